"""A second annotator's file for documents already here comes in as that annotator's layer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services import Workspace, documents
from app.services import spans as spans_service
from app.services.importing import import_paths

TEXT = "Ann Varga met the Harbour Authority."


def write(path: Path, *spans: tuple[int, int, str], text: str = TEXT) -> Path:
    line = {"text": text, "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans]}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    return path


def test_a_known_text_gets_the_named_layer(database_url: str, tmp_path: Path) -> None:
    workspace = Workspace.open(database_url, "tester", samples=False)
    first = write(tmp_path / "alex.jsonl", (0, 9, "PERSON"))
    second = write(tmp_path / "bea.jsonl", (0, 9, "PERSON"), (18, 35, "Organisation"))
    fresh = write(tmp_path / "new.jsonl", (0, 3, "PERSON"), text="Ann left.")
    assert import_paths(workspace, [first]).ok

    skipped = import_paths(workspace, [second])
    report = import_paths(workspace, [second, fresh], as_annotator="bea")

    assert len(skipped.skipped) == 1 and skipped.spans == 0
    assert report.ok, report.errors
    assert report.summary() == (
        "imported 1 document(s) with 3 span(s), annotated 1 already present; "
        "added labels: Organisation"
    )
    [known] = [d for d in documents.documents(workspace) if d.title == TEXT]
    by_annotator = sorted((s.annotator, s.label) for s in spans_service.spans(workspace, known.id))
    assert by_annotator == [("bea", "Organisation"), ("bea", "PERSON"), ("tester", "PERSON")]
    workspace.close()


def test_importing_as_oneself_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    report = import_paths(workspace, [write(tmp_path / "a.jsonl")], as_annotator="tester")
    assert "your own annotator name" in report.errors[0].message


@pytest.mark.parametrize("strict", [True, False])
def test_strict_schema_holds_for_a_layer_too(
    workspace: Workspace, tmp_path: Path, strict: bool
) -> None:
    path = write(tmp_path / "a.jsonl", (0, 3, "Person"))
    report = import_paths(workspace, [path], as_annotator="bea", strict_schema=strict)
    assert report.ok is not strict
    assert (workspace.schema.label("Person") is not None) is not strict
