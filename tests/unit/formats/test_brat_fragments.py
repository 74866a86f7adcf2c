"""Discontinuous spans in brat: one ``T`` line with ``s1 e1;s2 e2`` is one span with fragments,
and a span with fragments is written as that line, emoji and CRLF texts included."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import brat
from tests.unit.formats.brat_lines import check_ann
from tests.unit.formats.strategies import documents_with_fragments


def ann_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def covered(text: str, pieces: tuple[tuple[int, int], ...]) -> set[int]:
    return {o for s, e in pieces for o in range(s, e)}


def test_an_emoji_and_crlf_text_reads_one_span_with_fragments(tmp_path: Path) -> None:
    raw = "😀 “We stay,”\r\nshe said, “and fight.”\r\n"
    (tmp_path / "a.txt").write_bytes(raw.encode("utf-8"))
    # brat counts the .txt as read: \r\n is two characters, the emoji one
    first, gap = raw.index("“We"), raw.index("\r")
    second = raw.index("“and")
    end = raw.index("”", second) + 1
    line = f"T1\tQUOTE {first} {gap};{second} {end}\t“We stay,” “and fight.”\n"
    (tmp_path / "a.ann").write_text(line, encoding="utf-8")
    (doc,) = brat.read(tmp_path)
    (span,) = doc.spans
    text = doc.text
    assert [text[s:e] for s, e in span.fragments] == ["“We stay,”", "“and fight.”"]
    assert (span.start, span.end) == (span.fragments[0][0], span.fragments[-1][1])
    out = tmp_path / "out"
    brat.export([doc], out)
    # the export's text is the canonical one (\r\n as \n), its offsets count that text
    (written,) = ann_lines(out / "a.ann")
    assert written == f"T1\tQUOTE {first} {gap};{second - 1} {end - 1}\t“We stay,” “and fight.”"
    check_ann([written], (out / "a.txt").read_text(encoding="utf-8"))
    (again,) = brat.read(out)
    assert again.spans[0].fragments == span.fragments


def test_a_span_with_fragments_is_one_t_line_its_text_joined_by_a_space(tmp_path: Path) -> None:
    text = "vitamin B and C"
    span = SpanRecord("q", 0, 15, "Nutrient", text, fragments=((0, 7), (14, 15)))
    brat.export([DocumentRecord("d", text, spans=(span,))], tmp_path)
    assert ann_lines(tmp_path / "d.ann") == ["T1\tNutrient 0 7;14 15\tvitamin C"]


def _gaps_only_breaks(text: str, extra: set[int]) -> bool:
    return all(re.fullmatch("[\n\t]", text[o]) for o in extra)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(documents_with_fragments())
def test_fragments_round_trip_through_brat(tmp_path: Path, record: DocumentRecord) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        shutil.rmtree(folder, ignore_errors=True)
    spans = tuple(s._replace(attributes={}) for s in record.spans)
    record = DocumentRecord("doc", record.text, spans=spans)
    brat.export([record], first)
    written = ann_lines(first / "doc.ann")
    (doc,) = brat.read(first)
    assert len(doc.spans) == len(record.spans)
    for old, new in zip(record.spans, doc.spans, strict=True):
        assert (new.start, new.end, new.label) == (old.start, old.end, old.label)
        # brat writes a piece across a line break as pieces between them, and reads pieces
        # apart only by line breaks or tabs as one: such a gap is all that may be filled
        before, after = covered(doc.text, old.pieces), covered(doc.text, new.pieces)
        assert before <= after and _gaps_only_breaks(doc.text, after - before)
    brat.export([doc], second)
    assert sorted(ann_lines(second / "doc.ann")) == sorted(written)


def test_a_chain_of_fragment_spans_still_exports_as_one_t_line(tmp_path: Path) -> None:
    text = "vitamin B and C"
    spans = (SpanRecord("a", 0, 7, "Nutrient", "vitamin"), SpanRecord("b", 14, 15, "Nutrient", "C"))
    relations = (RelationRecord("r", "a", "b", "fragment"),)
    brat.export([DocumentRecord("d", text, spans=spans, relations=relations)], tmp_path)
    assert ann_lines(tmp_path / "d.ann") == ["T1\tNutrient 0 7;14 15\tvitamin C"]
    (doc,) = brat.read(tmp_path)
    assert [(s.start, s.end, s.fragments) for s in doc.spans] == [(0, 15, ((0, 7), (14, 15)))]
