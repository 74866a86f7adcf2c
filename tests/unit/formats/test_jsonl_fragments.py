"""Discontinuous spans in native JSONL: a ``fragments`` list beside the covering range."""

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
from app.formats.report import ReadReport
from tests.unit.formats.strategies import documents_with_fragments


@settings(max_examples=150, deadline=None)
@given(records=st.lists(documents_with_fragments(), min_size=1, max_size=3))
def test_fragments_are_written_and_read_back_unchanged(
    records: list[DocumentRecord], tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = io.StringIO()
    jsonl.write(records, out)
    path = tmp_path_factory.mktemp("jsonl") / "docs.jsonl"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    report = ReadReport("jsonl")
    read = [dataclasses.replace(r, source="", line=None) for r in jsonl.read(path, report)]
    assert read == records
    assert not report.warnings  # "fragments" is a key the format knows


def test_a_span_without_fragments_is_written_without_the_key() -> None:
    record = DocumentRecord("d", "one two", spans=())
    assert "fragments" not in json.dumps(jsonl.to_json(record))


def test_fragments_on_crlf_text_with_emoji_are_mapped_with_the_text(tmp_path: Path) -> None:
    text = "\U0001f600 “We stay,”\r\nshe said, “and fight.”"
    first = text.index("“We")
    second = text.index("“and")
    line = {
        "text": text,
        "spans": [
            {
                "id": "q",
                "start": first,
                "end": len(text),
                "label": "QUOTE",
                "text": text[first:],
                "fragments": [[first, text.index("\r")], [second, len(text)]],
            }
        ],
    }
    path = tmp_path / "crlf.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    (record,) = jsonl.read(path)
    (span,) = record.spans
    assert [record.text[s:e] for s, e in span.fragments] == ["“We stay,”", "“and fight.”"]
    assert (span.start, span.end) == (span.fragments[0][0], len(record.text))
    assert span.text == record.text[span.start : span.end]


@pytest.mark.parametrize(
    ("fragments", "expected"),
    [
        ([[0, 3]], "span q: a discontinuous span needs at least two fragments"),
        (
            [[0, 3], [2, 10]],
            "span q: fragment [0, 3) overlaps, touches or comes after the next one",
        ),
        ([[0, 3], [5, 9]], "span q: fragments run from 0 to 9, not over the span [0, 10)"),
        ([[0, 3], "5 10"], "span q: a fragment must be two whole numbers"),
        ({"0": 3}, "span q: fragments must be a list of [start, end] pairs"),
    ],
)
def test_bad_fragments_refuse_the_line_naming_the_span(
    tmp_path: Path, fragments: object, expected: str
) -> None:
    span = {"id": "q", "start": 0, "end": 10, "label": "QUOTE", "fragments": fragments}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "0123456789 and more", "spans": [span]}) + "\n")
    with pytest.raises(InputError) as caught:
        list(jsonl.read(path))
    assert caught.value.line == 1
    assert caught.value.message.startswith(expected)
