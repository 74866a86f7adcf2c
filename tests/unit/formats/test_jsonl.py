"""The native JSONL format: what is written is read back unchanged, offsets included."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.formats import jsonl
from tests.unit.formats.strategies import documents


def _unlocated(record: DocumentRecord) -> DocumentRecord:
    return dataclasses.replace(record, source="", line=None)


def _write_file(folder: Path, records: list[DocumentRecord]) -> Path:
    out = io.StringIO()
    assert jsonl.write(records, out) == len(records)
    path = folder / "docs.jsonl"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


@settings(max_examples=200, deadline=None)
@given(records=st.lists(documents(), min_size=1, max_size=4))
def test_write_then_read_gives_identical_records(
    records: list[DocumentRecord], tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = _write_file(tmp_path_factory.mktemp("jsonl"), records)

    read = list(jsonl.read(path))

    assert [_unlocated(r) for r in read] == records
    assert [r.line for r in read] == list(range(1, len(records) + 1))
    for record in read:
        for span in record.spans:
            assert record.text[span.start : span.end] == span.text


@settings(max_examples=50, deadline=None)
@given(record=documents())
def test_one_line_per_document_whatever_the_text_holds(record: DocumentRecord) -> None:
    out = io.StringIO()
    jsonl.write([record], out)

    # U+2028, NEL and friends stay inside the JSON string; only the record ends with "\n".
    assert out.getvalue().encode("utf-8").count(b"\n") == 1


def test_offsets_counted_on_crlf_text_are_mapped(tmp_path: Path) -> None:
    text = "Title\r\n\r\nZoe\u0308 said \U0001f600 \u201cyes\u201d.\r\nBy Ann"
    start = text.index("Zoe")
    quote = text.index("\u201c")
    line = {
        "text": text,
        "spans": [
            {"id": "p", "start": start, "end": start + 4, "label": "PERSON", "text": "Zoe\u0308"},
            {"id": "q", "start": quote, "end": text.index("."), "label": "QUOTE"},
            {"id": "all", "start": 0, "end": len(text), "label": "CLAIM", "text": text},
            {"id": "ann", "start": len(text) - 3, "end": len(text), "label": "PERSON"},
        ],
    }
    path = tmp_path / "crlf.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")

    (record,) = jsonl.read(path)

    assert "\r" not in record.text
    by_id = {span.id: span for span in record.spans}
    assert record.text[by_id["p"].start : by_id["p"].end] == "Zoe\u0308"
    assert record.text[by_id["q"].start : by_id["q"].end] == "\u201cyes\u201d"
    assert by_id["all"].text == text.replace("\r\n", "\n")
    assert (by_id["all"].start, by_id["all"].end) == (0, len(record.text))
    assert record.text[by_id["ann"].start : by_id["ann"].end] == "Ann"


def test_offset_between_cr_and_lf_is_refused(tmp_path: Path) -> None:
    line = {"text": "one\r\ntwo", "spans": [{"id": "x", "start": 4, "end": 7, "label": "LOC"}]}
    path = tmp_path / "split.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")

    with pytest.raises(InputError) as caught:
        list(jsonl.read(path))

    assert caught.value.line == 1
    assert "between \\r and \\n" in caught.value.message


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    path = tmp_path / "gaps.jsonl"
    path.write_text('\n{"text": "a"}\n\n{"text": "b"}\n', encoding="utf-8")

    assert [(r.text, r.line) for r in jsonl.read(path)] == [("a", 2), ("b", 4)]


def test_byte_order_mark_on_the_first_line_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes('\ufeff{"text": "a"}\n'.encode())

    assert [r.text for r in jsonl.read(path)] == ["a"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"text": "a", "spans": [{"start": true, "end": 1, "label": "LOC"}]}', "whole numbers"),
        ('{"text": "a", "meta": {"k": "\\udfff"}}', "lone surrogate in meta.k"),
        (
            '{"text": "ab", "spans": [{"id": 1, "start": 0, "end": 1, "label": "LOC"},'
            ' {"id": "1", "start": 1, "end": 2, "label": "LOC"}]}',
            "share the id '1'",
        ),
        ('{"text": "a", "meta": ["x"]}', '"meta" must be an object'),
        ('{"text": "a", "spans": {"x": 1}}', '"spans" must be a list'),
        ('["a"]', "JSON object"),
    ],
)
def test_malformed_lines_are_refused_with_their_line(line: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        jsonl.parse_line(line.encode(), "f.jsonl", 7)

    assert expected in caught.value.message
    assert caught.value.describe().startswith("f.jsonl:7: ")


def test_escaped_backslash_before_u_is_not_a_surrogate() -> None:
    record = jsonl.parse_line(b'{"text": "C:\\\\ud800 is a path"}', "f.jsonl", 1)

    assert record.text == "C:\\ud800 is a path"


def test_file_size_limit_is_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonl, "MAX_FILE_BYTES", 16)
    path = tmp_path / "big.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b"}\n', encoding="utf-8")

    with pytest.raises(InputError) as caught:
        next(jsonl.read(path))

    assert caught.value.describe() == f"{path}: file is 28 bytes; the limit is 16 bytes"
