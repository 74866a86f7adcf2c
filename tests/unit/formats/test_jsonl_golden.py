"""The native JSONL export, byte for byte: a golden file and the plain ``json.dumps`` form."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import jsonl
from tests.unit.formats.strategies import documents

GOLDEN = Path(__file__).parents[2] / "data" / "formats" / "jsonl" / "export.jsonl"


def golden_records() -> list[DocumentRecord]:
    """Documents covering every field the export writes."""
    text = "Ingrid Dahl met Tor Ås in Halden.\nZoe\u0308 said \U0001f600 \u201cyes\u201d\u2028ok"
    return [
        DocumentRecord(
            id="7",
            text=text,
            meta={"title": "Harbour", "status": "done", "tags": ["a", "ø"], "n": 1.5},
            spans=(
                SpanRecord("1", 0, 11, "PERSON", "Ingrid Dahl", "ann", "manual", {}, "e1"),
                SpanRecord("2", 16, 22, "PERSON", "Tor Ås", "", "suggested", {"neg": True, "n": 2}),
                SpanRecord("3", 26, 32, "LOC", "Halden", "bo", "imported", {"note": '<"x">'}),
            ),
            relations=(RelationRecord("1", "1", "2", "meets", "ann"),),
        ),
        DocumentRecord(id="", text="Empty\tdocument \\ with \x85 controls \x00", meta={}),
        DocumentRecord(
            id="x/y",
            text="👨‍👩‍👧 family",
            meta={"nested": {"deep": [None, False, 0]}},
            spans=(SpanRecord("a", 0, 5, "ORG", "👨‍👩‍👧", entity="e2"),),
        ),
    ]


def _reference(records: list[DocumentRecord]) -> str:
    """What the export has always written: ``json.dumps`` of each document, one per line."""
    lines = []
    for record in records:
        spans = []
        for s in record.spans:
            item = {
                "id": s.id,
                "start": s.start,
                "end": s.end,
                "label": s.label,
                "text": s.text,
                "annotator": s.annotator,
                "origin": s.origin,
                "attributes": s.attributes,
            }
            if s.entity:
                item["entity"] = s.entity
            spans.append(item)
        relations = [
            {"id": r.id, "head": r.head, "tail": r.tail, "label": r.label, "annotator": r.annotator}
            for r in record.relations
        ]
        value = {
            "id": record.id,
            "text": record.text,
            "meta": record.meta,
            "spans": spans,
            "relations": relations,
        }
        lines.append(json.dumps(value, ensure_ascii=False) + "\n")
    return "".join(lines)


def test_export_matches_the_golden_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"

    report = jsonl.export(golden_records(), out)

    assert out.read_bytes() == GOLDEN.read_bytes()
    assert report.documents == 3
    assert dict(report.kept) == {"PERSON": 2, "LOC": 1, "ORG": 1}


def test_write_matches_the_golden_file() -> None:
    out = io.StringIO()

    assert jsonl.write(golden_records(), out) == 3
    assert out.getvalue().encode("utf-8") == GOLDEN.read_bytes()


def test_export_of_nothing_is_an_empty_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"

    report = jsonl.export([], out)

    assert out.read_bytes() == b""
    assert report.documents == 0 and not report.kept


@settings(max_examples=100, deadline=None)
@given(records=st.lists(documents(), max_size=4))
def test_export_is_json_dumps_of_each_document(records: list[DocumentRecord]) -> None:
    out = io.StringIO()
    jsonl.write(records, out)

    assert out.getvalue() == _reference(records)
