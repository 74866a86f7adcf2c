"""Keys a file holds that Glossa does not know are reported, once per key, with a count."""

from __future__ import annotations

import json
from pathlib import Path

from app.formats import ReadReport, jsonl
from app.services import Workspace, documents
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
        f"{path}:1: unknown key 'sentiment' ignored (2 time(s))",
        f"{path}:1: unknown key 'span.prob' ignored (2 time(s); first in spans[0])",
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


def test_doccano_keys_it_does_not_read_are_warned_with_file_line_and_record(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "doccano.jsonl"
    lines = [
        {"text": "Ann met Bo.", "label": [[0, 3, "PERSON"]]},
        {
            "text": "Ann met Bo.  Again.",
            "entities": [
                {"id": 1, "start_offset": 0, "end_offset": 3, "label": "PERSON", "prob": 0.9},
                {"id": 2, "start_offset": 8, "end_offset": 10, "label": "PERSON", "prob": 0.4},
            ],
            "relations": [{"id": 1, "from_id": 1, "to_id": 2, "type": "knows", "by": "model"}],
            "sentiment": "neutral",
        },
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")

    report = import_paths(workspace, [path])

    assert report.ok and report.spans == 3
    assert f"{path}:2: unknown key 'entity.prob' ignored (2 time(s); first in entities[0])" in (
        report.warnings
    )
    assert (
        f"{path}:2: unknown key 'relation.by' ignored (1 time(s); first in relations[0])"
        in report.warnings
    )
    # a key of the line itself is kept in the document's metadata: nothing is lost
    assert not any("sentiment" in w for w in report.warnings)
    second = next(s for s in documents.documents(workspace) if s.title.endswith("Again."))
    assert documents.document(workspace, second.id).meta["sentiment"] == "neutral"


def test_label_studio_keys_it_does_not_read_are_warned_not_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    region = {
        "id": "a",
        "type": "labels",
        "from_name": "label",
        "to_name": "text",
        "meta": {"text": ["check the spelling"]},
        "value": {"start": 0, "end": 3, "text": "Ann", "labels": ["PERSON"], "confidence": 1},
    }
    task = {
        "id": 7,
        "data": {"text": "Ann met Bo."},
        "created_at": "2024-05-01T10:00:00Z",
        "sentiment": "neutral",
        "annotations": [
            {"id": 1, "completed_by": 3, "lead_time": 4.2, "result": [region], "flagged": True}
        ],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps([task]), encoding="utf-8")

    report = import_paths(workspace, [path])

    assert report.ok and report.spans == 1
    where = "tasks[0].annotations[0]"
    assert [w for w in report.warnings if "unknown key" in w] == [
        f"{path}:1: unknown key 'annotation.flagged' ignored (1 time(s); first in {where})",
        f"{path}:1: unknown key 'result.meta' ignored (1 time(s); first in {where}.result[0])",
        f"{path}:1: unknown key 'result.value.confidence' ignored "
        f"(1 time(s); first in {where} region 'a')",
        f"{path}:1: unknown key 'task.sentiment' ignored (1 time(s); first in tasks[0])",
    ]
