"""brat offsets counted another way (UTF-8 bytes, ``\\r\\n`` as two, the byte order mark) are
found by checking them against each T line's text, mapped with a warning, never shifted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.formats import brat
from app.formats.report import ReadReport

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "brat"
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_utf8_byte_offsets_are_mapped_with_one_warning() -> None:
    report = ReadReport("brat")
    (doc,) = brat.read(DATA / "bytes", report)
    assert [s.text for s in doc.spans] == ["Minister Ana Díaz", "Zoë Quist", "“a fantasy”", "Díaz"]
    (notice,) = report.warnings
    assert notice.message == "offsets count UTF-8 bytes; mapped"
    assert notice.source.endswith("diaz.ann")


def test_offsets_that_fit_no_counting_refuse_the_file_at_the_first_line_that_disagrees(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text("Ana Díaz met Zoë Quist.", encoding="utf-8")
    # T1 counts code points, T2 bytes: no one counting makes both agree
    (tmp_path / "a.ann").write_text(
        "T1\tPERSON 0 8\tAna Díaz\nT2\tPERSON 14 24\tZoë Quist\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        list(brat.read(tmp_path / "a.ann"))
    assert info.value.line == 2
    assert "no counting of offsets" in info.value.message


ALPHABET = st.sampled_from([*"ab ,.", "\n", "é", "Ž", "中", "😀", "\u0308", "\t"])


@st.composite
def annotated_file(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], bool, bool, bool]:
    """A canonical text, spans on it, and how the file is written: CRLF, BOM, byte offsets."""
    text = draw(st.text(ALPHABET, min_size=1, max_size=40).filter(lambda t: t.strip()))
    bounds = st.integers(0, len(text))
    spans = draw(
        st.lists(st.tuples(bounds, bounds).filter(lambda p: p[0] < p[1]), min_size=1, max_size=5)
    )
    return text, spans, draw(st.booleans()), draw(st.booleans()), draw(st.booleans())


@FAST
@given(annotated_file(), st.booleans())
def test_every_span_read_equals_its_text_column(
    tmp_path: Path, drawn: tuple[str, list[tuple[int, int]], bool, bool, bool], crlf_two: bool
) -> None:
    text, spans, crlf, bom, in_bytes = drawn
    raw = ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)

    def counted(offset: int) -> int:
        """``offset`` as the writer counts it."""
        before = text[:offset]
        if crlf and crlf_two:
            before = before.replace("\n", "\r\n")
        if bom:
            before = "\ufeff" + before
        return len(before.encode()) if in_bytes else len(before)

    lines, columns = [], {}
    for number, (start, end) in enumerate(spans, start=1):
        pieces = brat.fragments(text, start, end)
        offsets = ";".join(f"{counted(s)} {counted(e)}" for s, e in pieces)
        column = " ".join(re.sub("[\t\n]", " ", text[s:e]) for s, e in pieces)
        columns[f"T{number}"] = column
        lines.append(f"T{number}\tLABEL {offsets}\t{column}")
    (tmp_path / "a.txt").write_bytes(raw.encode())
    (tmp_path / "a.ann").write_bytes(("\r\n" if crlf else "\n").join(lines).encode())
    report = ReadReport("brat")
    (doc,) = brat.read(tmp_path / "a.ann", report)
    assert doc.text == text
    # each span, and the fragments a discontinuous one is chained from, as brat shows them
    pieces: dict[str, list[str]] = {}
    owner = {r.tail: r.head for r in doc.relations if r.label == "fragment"}
    for span in doc.spans:
        assert doc.text[span.start : span.end] == span.text
        pieces.setdefault(owner.get(span.id, span.id), []).extend(
            re.sub("[\t\n]", " ", text[s:e]) for s, e in brat.fragments(text, span.start, span.end)
        )
    by_id = {s.id: str(s.attributes["brat_id"]) for s in doc.spans if "brat_id" in s.attributes}
    assert {by_id[head]: " ".join(shown) for head, shown in pieces.items()} == columns
    mapped = [w.message for w in report.warnings if w.message.endswith("; mapped")]
    assert len(mapped) <= 1  # one warning for the file, never one per span
