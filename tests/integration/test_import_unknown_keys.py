"""Keys a file holds that Glossa does not know are reported, once per key, with a count."""

from __future__ import annotations

import json
from pathlib import Path

from app.formats import ReadReport, jsonl
from app.services import Workspace
from app.services.importing import import_paths


def test_native_jsonl_reports_the_keys_it_ignores(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    lines = [
        {
            "text": "Ann met Bo.",
            "spans": [
                {"start": 0, "end": 3, "label": "PERSON", "prob": 0.9},
                {"start": 8, "end": 10, "label": "PERSON", "prob": 0.4},
            ],
            "sentiment": "neutral",
        },
        {"text": "Bo left.", "sentiment": "sad", "relations": []},
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")

    report = import_paths(workspace, [path])

    assert report.ok and report.spans == 2
    assert report.warnings == [
        f"{path}: unknown key 'sentiment' ignored (2 time(s))",
        f"{path}: unknown key 'span.prob' ignored (2 time(s))",
    ]


def test_a_glossa_export_has_no_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    line = {
        "id": "d",
        "text": "Ann",
        "meta": {"anything": 1},
        "spans": [{"id": "a", "start": 0, "end": 3, "label": "P", "text": "Ann", "entity": "e"}],
        "relations": [{"id": "r", "head": "a", "tail": "a", "label": "x", "annotator": ""}],
    }
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    report = ReadReport("jsonl")

    list(jsonl.read(path, report))

    assert report.unknown_notices() == []
