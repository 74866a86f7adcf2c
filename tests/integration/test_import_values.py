"""Ids and attribute values in imported files are what the schema says, or the file is refused
whole with its file, line and span; the database is left as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services import Workspace, importing, spans
from app.services import documents as documents_service
from app.services.importing import import_paths
from tests.conftest import BUNDLED_SAMPLES

TEXT = "Ann Varga said \u201cyes\u201d. The claim is false."


@pytest.fixture
def loaded(database_url: str) -> Iterator[Workspace]:
    """A workspace on SQLite or PostgreSQL holding the samples, so 'unchanged' means something."""
    workspace = Workspace.open(database_url, "tester", samples=False)
    report = import_paths(workspace, sorted(BUNDLED_SAMPLES.glob("*.txt")))
    assert report.ok
    yield workspace
    workspace.close()


def snapshot(workspace: Workspace) -> list[Any]:
    return [
        (s.title, [(x.start, x.end, x.label, x.attributes) for x in spans.spans(workspace, s.id)])
        for s in documents_service.documents(workspace)
    ]


def write(tmp_path: Path, *documents: dict[str, Any]) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    return path


def fine(number: int) -> dict[str, Any]:
    return {"id": f"fine{number}", "text": f"Article {number} is fine."}


def refused(workspace: Workspace, path: Path) -> str:
    before = snapshot(workspace)
    report = import_paths(workspace, [path])
    assert not report.ok and report.imported == []
    assert snapshot(workspace) == before
    (error,) = report.errors
    return error.describe()


@pytest.mark.parametrize(
    ("document", "complaint"),
    [
        ({"id": {"a": 1}}, "the document id must be a string or a whole number, not an object"),
        ({"id": [1, 2]}, "the document id must be a string or a whole number, not a list"),
        ({"id": 1.5}, "the document id must be a string or a whole number, not a number with"),
        ({"id": True}, "the document id must be a string or a whole number, not true or false"),
        (
            {"spans": [{"id": {"x": 1}, "start": 0, "end": 9, "label": "PERSON"}]},
            "span #1: its id must be a string or a whole number, not an object",
        ),
        (
            {"spans": [{"id": ["p"], "start": 0, "end": 9, "label": "PERSON"}]},
            "span #1: its id must be a string or a whole number, not a list",
        ),
        (
            {
                "spans": [{"id": "p", "start": 0, "end": 9, "label": "PERSON"}],
                "relations": [{"id": {"r": 1}, "head": "p", "tail": "p", "label": "speaker"}],
            },
            "relation #1: its id must be a string or a whole number, not an object",
        ),
    ],
)
def test_an_id_that_is_an_object_or_a_list_is_refused_with_its_line(
    loaded: Workspace, tmp_path: Path, document: dict[str, Any], complaint: str
) -> None:
    path = write(tmp_path, fine(1), {"text": TEXT, **document})

    assert refused(loaded, path).startswith(f"{path}:2: {complaint}")


def test_whole_number_ids_are_still_taken(loaded: Workspace, tmp_path: Path) -> None:
    document = {
        "id": 7,
        "text": TEXT,
        "spans": [{"id": 1, "start": 0, "end": 9, "label": "PERSON"}],
    }

    report = import_paths(loaded, [write(tmp_path, document)])

    assert report.ok and report.spans == 1


def quote(**attributes: Any) -> dict[str, Any]:
    return {"id": "q", "start": 15, "end": 20, "label": "QUOTE", "attributes": attributes}


def claim(**attributes: Any) -> dict[str, Any]:
    return {"id": "c", "start": 22, "end": 40, "label": "CLAIM", "attributes": attributes}


@pytest.mark.parametrize(
    ("span", "complaint"),
    [
        (quote(kind="sarcastic"), "QUOTE kind must be one of direct, indirect, mixed"),
        (quote(kind=1), "QUOTE kind must be one of direct, indirect, mixed, not 1"),
        (quote(kind=["direct"]), "QUOTE kind must be one of direct, indirect, mixed"),
        (claim(check_worthy="yes"), "CLAIM check_worthy must be yes or no (true or false)"),
        (claim(check_worthy=1), "CLAIM check_worthy must be yes or no (true or false), not 1"),
        (claim(note=5), "CLAIM note must be text, not 5"),
        (claim(note={"text": "x"}), "CLAIM note must be text"),
    ],
)
def test_an_attribute_value_the_schema_does_not_allow_is_refused(
    loaded: Workspace, tmp_path: Path, span: dict[str, Any], complaint: str
) -> None:
    path = write(tmp_path, fine(1), fine(2), {"id": "d", "text": TEXT, "spans": [span]})
    where = f"span {span['id']} [{span['start']}, {span['end']})"

    assert refused(loaded, path).startswith(f"{path}:3: {where}: {complaint}")


def test_allowed_values_unset_ones_and_undeclared_attributes_are_taken(
    loaded: Workspace, tmp_path: Path
) -> None:
    document = {
        "id": "d",
        "text": TEXT,
        "spans": [
            quote(kind="indirect", source_page=12),
            claim(check_worthy=False, note="ask the ministry", kind=None),
        ],
    }

    report = import_paths(loaded, [write(tmp_path, document)])

    assert report.ok, [e.describe() for e in report.errors]
    (summary,) = [s for s in documents_service.documents(loaded) if s.title == TEXT]
    attributes = sorted((s.label, s.attributes) for s in spans.spans(loaded, summary.id))
    assert attributes == [
        ("CLAIM", {"check_worthy": False, "note": "ask the ministry", "kind": None}),
        ("QUOTE", {"kind": "indirect", "source_page": 12}),
    ]


def test_a_document_over_the_article_limit_is_refused_in_a_file_of_many(
    loaded: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "MAX_DOCUMENT_BYTES", 64)
    path = tmp_path / "many.conll"
    short = "Ann\tB-PERSON\nspoke\tO\n"
    long = "".join(f"word{i}\tO\n" for i in range(40))
    path.write_text(f"-DOCSTART-\tO\n\n{short}\n-DOCSTART-\tO\n\n{long}", encoding="utf-8")

    complaint = refused(loaded, path)

    assert complaint.startswith(f"{path}:6: the text is ")
    assert complaint.endswith("bytes; the limit is 64 bytes")
