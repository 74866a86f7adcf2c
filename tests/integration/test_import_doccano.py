"""doccano files that used to import with no spans and no word: now read, labels added."""

from __future__ import annotations

import json
from pathlib import Path

from app.services import Workspace
from app.services.importing import import_paths


def test_intent_detection_export_brings_its_spans(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "intents.jsonl"
    lines = [
        {"text": "Book a table in Rome", "entities": [[16, 20, "City"]], "cats": ["book"]},
        {"text": "Weather in Oslo", "entities": [[11, 15, "City"]], "cats": ["weather"]},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")

    report = import_paths(workspace, [path])

    assert report.ok, report.errors
    assert report.spans == 2
    assert report.schema_added == {"added labels": ["City"]}


def test_named_columns_are_read_as_doccano(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "custom.jsonl"
    path.write_text(
        json.dumps({"sentence": "Ann met Bo", "tags": [[0, 3, "PERSON"], [8, 10, "PERSON"]]})
        + "\n",
        encoding="utf-8",
    )

    plain = import_paths(workspace, [path])
    named = import_paths(workspace, [path], text_field="sentence", label_field="tags")

    assert not plain.ok  # which key is the text cannot be guessed
    assert named.ok, named.errors
    assert named.spans == 2
