"""doccano JSONL: both line shapes, the written relation shape, round trips, broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import doccano
from app.formats.report import ReadReport
from tests.unit.formats.strategies import documents

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "doccano"
FAST = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def key(record: DocumentRecord) -> tuple[object, ...]:
    """What doccano holds: text, id, metadata, spans in order, relations by span position."""
    position = {span.id: index for index, span in enumerate(record.spans)}
    return (
        record.id,
        record.text,
        record.meta,
        [(s.start, s.end, s.label, s.text) for s in record.spans],
        [(position[r.head], position[r.tail], r.label) for r in record.relations],
    )


@FAST
@given(st.lists(documents(), min_size=1, max_size=4))
def test_round_trip(tmp_path: Path, records: list[DocumentRecord]) -> None:
    path = tmp_path / "out.jsonl"
    report = doccano.export(records, path)
    assert report.documents == len(records)
    assert report.kept.total() == sum(len(r.spans) for r in records)

    # random spans cut emoji and words as a file counting grapheme clusters would seem to
    back = list(doccano.read(path, offsets="code points"))

    assert [key(r) for r in back] == [key(r) for r in records]
    for record in back:
        assert all(span.origin == "imported" and not span.attributes for span in record.spans)
        assert all(record.text[s.start : s.end] == s.text for s in record.spans)


def test_written_line_is_the_relation_shape(tmp_path: Path) -> None:
    text = "👨‍👩‍👧 Zoe\u0308 said \u201cno\u201d."
    quote = text.index("\u201c")
    record = DocumentRecord(
        "d1",
        text,
        meta={"title": "T", "label": ["politics"]},
        spans=(
            SpanRecord("p", 6, 10, "PERSON", text[6:10], attributes={"kind": "x"}),
            SpanRecord("q", quote, len(text) - 1, "QUOTE", text[quote:-1]),
        ),
        relations=(
            RelationRecord("r", "q", "p", "speaker"),
            RelationRecord("gone", "q", "missing", "speaker"),
        ),
    )
    path = tmp_path / "d.jsonl"

    report = doccano.export([record], path)

    line = json.loads(path.read_text(encoding="utf-8"))
    assert line == {
        "id": "d1",
        "text": text,
        "entities": [
            {"id": 1, "start_offset": 6, "end_offset": 10, "label": "PERSON"},
            {"id": 2, "start_offset": quote, "end_offset": len(text) - 1, "label": "QUOTE"},
        ],
        "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "speaker"}],
        "title": "T",
    }
    messages = " | ".join(w.message for w in report.warnings)
    assert "relation gone names a span the document lacks" in messages
    assert "metadata 'label' clashes with a doccano key" in messages
    assert "those of 1 span(s) left out" in messages


def test_both_shapes_and_older_spellings() -> None:
    report = ReadReport("doccano")
    docs = list(doccano.read(DATA / "mixed.jsonl", report))
    assert report.documents == len(docs) == 6
    first, second, old, classes, relation_shape, crlf = docs

    assert first.id == "17" and first.meta == {"Comments": []}
    assert [(s.text, s.label) for s in first.spans] == [("Zoe\u0308 Lindqvist", "PERSON")]
    assert [(s.text, s.label) for s in second.spans] == [("EU", "ORG"), ("German", "LOC")]
    assert second.id == ""
    assert old.text.startswith("Old export") and old.meta == {"user": 2}
    assert old.spans[0].text == "Old"
    assert classes.spans == () and classes.meta == {"label": ["politics", "eu"]}
    assert [(s.id, s.text) for s in relation_shape.spans] == [("1", "יעל לוי"), ("2", "“yes”")]
    assert relation_shape.relations == (RelationRecord("1", "2", "1", "speaker"),)
    assert crlf.text == "Title\n\nAna said so." and crlf.spans[0].text == "Ana"
    assert all(d.source.endswith("mixed.jsonl") for d in docs)
    assert [d.line for d in docs] == [1, 2, 3, 4, 5, 6]


BROKEN = [
    ("label-not-triple.jsonl", 2, "label[0] must be [start, end, label]"),
    ("dangling-relation.jsonl", 3, "relation 5: to_id 9 is not an entity of this line"),
    ("span-out-of-range.jsonl", 2, "[4, 40) is outside the text (length 12)"),
    ("truncated-json.jsonl", 2, "not JSON"),
    ("bad-encoding.jsonl", 2, "not valid UTF-8 (byte 0xff)"),
    ("duplicate-ids.jsonl", 2, "two entities share the id '10'"),
    ("between-cr-and-lf.jsonl", 1, "falls between \\r and \\n"),
    ("lone-surrogate.jsonl", 3, "lone surrogate"),
    ("bool-offset.jsonl", 1, "start_offset must be a whole number"),
    ("not-an-object.jsonl", 1, "a line must be a JSON object"),
    ("missing-text.jsonl", 2, 'missing "text"'),
    ("empty.jsonl", None, "holds no documents"),
]
"""doccano spans carry no text of their own, so a text mismatch cannot happen here."""


@pytest.mark.parametrize(("name", "line", "message"), BROKEN)
def test_broken_files_give_one_clear_error_and_no_document(
    name: str, line: int | None, message: str
) -> None:
    path = DATA / "broken" / name
    reader = doccano.read(path)
    with pytest.raises(InputError) as info:
        next(reader)  # nothing is yielded before the whole file is checked
    assert info.value.source == str(path)
    assert info.value.line == line
    assert message in info.value.message


def test_huge_numbers_and_deep_nesting_are_input_errors() -> None:
    for raw in (b'{"text": "a", "n": ' + b"1" * 5000 + b"}", b"[" * 100_000):
        with pytest.raises(InputError) as info:
            doccano.parse_line(raw, "f.jsonl", 4)
        assert info.value.line == 4 and "not JSON Glossa can read" in info.value.message


def test_a_pretty_printed_relation_export_reads_record_by_record() -> None:
    """As doccano's documentation shows its relation export: each object over many lines."""
    report = ReadReport("doccano")
    first, second = doccano.read(DATA / "relation-pretty.jsonl", report)
    assert [(s.label, s.text) for s in first.spans] == [
        ("ORG", "Ørsted"),
        ("PERSON", "Anders Eldrup"),
    ]
    assert [r.label for r in first.relations] == ["foundedBy"]
    assert [(s.label, s.text) for s in second.spans] == [("LOC", "Stavanger")]
    assert report.documents == 2


def test_a_json_array_export_reads_each_item() -> None:
    first, second = doccano.read(DATA / "export-array.json")
    assert (first.id, [(s.label, s.text) for s in first.spans]) == ("7", [("LOC", "Kraków")])
    assert (second.id, len(second.spans)) == ("8", 0)


def test_a_bad_record_of_a_pretty_printed_file_is_refused_at_its_first_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "pretty.jsonl"
    path.write_text('{\n  "text": "A", "label": []\n}\n{\n  "label": [[0, 1, "X"]]\n}\n')
    with pytest.raises(InputError) as caught:
        list(doccano.read(path))
    assert caught.value.line == 4 and 'missing "text"' in str(caught.value)
    path.write_text('[\n  {"text": "A", "label": []},\n  {"text": "B" "label": []}\n]\n')
    with pytest.raises(InputError) as caught:
        list(doccano.read(path))
    assert caught.value.line == 3 and "not JSON" in str(caught.value)


def test_label_studio_json_min_export_reads_each_label_as_a_span() -> None:
    """Label Studio's JSON-MIN export: an array of records whose regions hold ``labels``."""
    path = DATA.parent / "labelstudio" / "json-min.json"
    report = ReadReport("doccano")
    (record,) = doccano.read(path, report)
    assert [(s.start, s.end, s.label, s.text) for s in record.spans] == [
        (0, 9, "Person", "Ana Lučić"),
        (15, 20, "Location", "Split"),
        (15, 20, "Port", "Split"),
        (25, 31, "Location", "Zagreb"),
    ]
    assert len({s.id for s in record.spans}) == 4
    assert record.meta["annotation_id"] == 31
    assert not report.unknown
