"""A native JSONL line is ``json.dumps`` of the document's object, whatever its strings hold:
texts escaped with ``bytes.replace`` and texts sent through the json module alike."""

from __future__ import annotations

import json
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import jsonl, jsonl_writing
from app.formats.jsonl_writing import document_line, line_pieces, to_json
from tests.unit.formats.strategies import documents_with_fragments


def reference(record: DocumentRecord) -> bytes:
    """The line as ``json.dumps`` writes the document's object, built here key by key."""
    spans: list[dict[str, Any]] = []
    for s in record.spans:
        item: dict[str, Any] = {
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
        if s.fragments:
            item["fragments"] = [list(piece) for piece in s.fragments]
        spans.append(item)
    value = {
        "id": record.id,
        "text": record.text,
        "meta": record.meta,
        "spans": spans,
        "relations": [
            {"id": r.id, "head": r.head, "tail": r.tail, "label": r.label, "annotator": r.annotator}
            for r in record.relations
        ],
    }
    return (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8")


@st.composite
def linked(draw: st.DrawFn) -> DocumentRecord:
    """A document, some spans discontinuous, some naming entities."""
    record = draw(documents_with_fragments())
    entities = st.sampled_from(["", "", "7", "e\u00e9\\"])
    spans = tuple(span._replace(entity=draw(entities)) for span in record.spans)
    return DocumentRecord(record.id, record.text, record.meta, spans, record.relations)


@settings(max_examples=200, deadline=None)
@given(record=linked())
def test_a_line_is_json_dumps_of_the_document(record: DocumentRecord) -> None:
    assert document_line(record) == reference(record)
    assert b"".join(line_pieces(record)) == reference(record)
    assert json.dumps(to_json(record), ensure_ascii=False).encode() + b"\n" == reference(record)


@settings(max_examples=50, deadline=None)
@given(records=st.lists(linked(), max_size=6))
def test_an_export_is_the_lines_of_its_documents(records: list[DocumentRecord]) -> None:
    with TemporaryDirectory() as folder:
        out = Path(folder) / "out.jsonl"
        jsonl.export(records, out)
        assert out.read_bytes() == b"".join(reference(r) for r in records)


# every character below U+0020 and those JSON writes with a backslash, alone and together
ESCAPED = [chr(c) for c in range(0x20)] + ['"', "\\", "\x7f", "\x85", "\u2028", "\ufeff"]


@pytest.mark.parametrize("character", ESCAPED)
def test_each_character_json_escapes_is_escaped_as_json_does(character: str) -> None:
    text = f'Line one\n"quoted" \\ {character} tab\there\n\u00c5s \U0001f600'
    span = SpanRecord("1", 9, 17, "QUOTE", text[9:17], "Zo\u00eb", attributes={"note": character})
    record = DocumentRecord(
        id=f"id{character}",
        text=text,
        meta={"title": character},
        spans=(span, span._replace(id="2", entity=character)),
        relations=(RelationRecord("r", "1", "2", "cue", character),),
    )

    assert document_line(record) == reference(record)


@pytest.mark.parametrize(
    "text",
    ["plain", "\n", "\t", '"', "\\", '\\"\\n', "\n\t\n", "ends in a backslash \\", "\x00"],
)
def test_texts_made_only_of_what_is_escaped(text: str) -> None:
    record = DocumentRecord(id="1", text=text)

    assert document_line(record) == reference(record)


def test_a_lone_surrogate_is_refused_as_utf_8_refuses_it(tmp_path: Path) -> None:
    record = DocumentRecord(id="1", text="broken \udc80 text")

    with pytest.raises(UnicodeEncodeError):
        jsonl.export([record], tmp_path / "out.jsonl")


ODD_VALUES = {
    "n": 1.5,
    "nan": float("nan"),
    "big": 1e300,
    "negative zero": -0.0,
    "nested": [1, [2, {"a": None, "b": False}], "\u2028"],
    "": {},
}


def odd_record() -> DocumentRecord:
    """A document whose metadata and attributes hold every kind of JSON value."""
    span = SpanRecord("1", 0, 4, "CLAIM", "Some", attributes=ODD_VALUES)
    meta = {"title": "t", **ODD_VALUES}
    return DocumentRecord(id="1", text="Some text", meta=meta, spans=(span,))


def test_metadata_and_attributes_are_written_as_json_dumps_writes_them() -> None:
    assert document_line(odd_record()) == reference(odd_record())


def test_without_the_json_modules_c_part_lines_are_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jsonl_writing, "_ONE_CALL", None)

    assert document_line(odd_record()) == reference(odd_record())


def test_a_value_json_cannot_write_is_refused_as_json_dumps_refuses_it() -> None:
    span = SpanRecord("1", 0, 4, "CLAIM", "Some", attributes={"when": object()})
    record = DocumentRecord(id="1", text="Some text", spans=(span,))

    with pytest.raises(TypeError, match="not JSON serializable"):
        document_line(record)
