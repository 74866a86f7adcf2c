"""brat standoff: golden files, round trips, CRLF texts, warnings and broken ``.ann`` files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import brat
from app.formats.report import ReadReport
from tests.unit.formats.test_tokens import text_with_any_spans

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "brat"
FAST = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

GOLDEN_TEXT = (
    "Harbour chief Zoe\u0308 Lindqvist said:\n"
    "“It will open before the summer 🚢.”\n"
    "The ministry declined."
)


def golden_record() -> DocumentRecord:
    t = GOLDEN_TEXT

    def at(part: str, label: str, id_: str, **attributes: object) -> SpanRecord:
        start = t.index(part)
        return SpanRecord(id_, start, start + len(part), label, part, attributes=attributes)

    return DocumentRecord(
        "news/2024 harbour",
        t,
        spans=(
            at("Zoe\u0308 Lindqvist", "PERSON", "p"),
            at("said", "CUE", "c"),
            at("“It will open before the summer 🚢.”", "QUOTE", "q", mode="direct"),
            at(
                "Lindqvist said:\n“It will open",
                "CLAIM",
                "k",
                check_worthy=True,
                disputed=False,
                note="needs a source",
            ),
            at("ministry", "ORG", "o"),
        ),
        relations=(
            RelationRecord("r1", "q", "p", "speaker"),
            RelationRecord("r2", "q", "c", "cue"),
            RelationRecord("r3", "k", "p", "claimant"),
        ),
    )


def test_golden_folder(tmp_path: Path) -> None:
    report = brat.export([golden_record()], tmp_path)
    golden = DATA / "golden"
    for name in ("news_2024_harbour.txt", "news_2024_harbour.ann", "annotation.conf"):
        assert (tmp_path / name).read_bytes() == (golden / name).read_bytes(), name
    assert report.documents == 1 and report.kept.total() == 5


def test_golden_folder_reads_back(tmp_path: Path) -> None:
    report = ReadReport("brat")
    (doc,) = brat.read(DATA / "golden", report)
    assert doc.id == "news_2024_harbour"
    assert doc.text == GOLDEN_TEXT
    assert report.warnings == []
    assert_same(golden_record(), doc)


def kept(attributes: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in attributes.items() if k not in ("brat", "brat_id")}


def key(record: DocumentRecord) -> tuple[object, ...]:
    """Spans, relations and attributes by offsets: ids are renamed by the format."""
    by_id = {s.id: (s.start, s.end, s.label) for s in record.spans}
    # the brat id kept on each span is the reader's, not part of what was annotated
    spans = sorted(
        (s.start, s.end, s.label, s.text, sorted(kept(s.attributes).items())) for s in record.spans
    )
    relations = sorted((by_id[r.head], by_id[r.tail], r.label) for r in record.relations)
    return record.text, spans, relations


def assert_same(original: DocumentRecord, imported: DocumentRecord) -> None:
    # brat reads a missing attribute as false: false ones are not written
    expected = DocumentRecord(
        original.id,
        original.text,
        spans=tuple(
            SpanRecord(
                s.id,
                s.start,
                s.end,
                s.label,
                s.text,
                attributes={k: v for k, v in s.attributes.items() if v is not False},
            )
            for s in original.spans
        ),
        relations=original.relations,
    )
    assert key(imported) == key(expected)


ATTRIBUTES = st.sampled_from(
    [{}, {"mode": "direct"}, {"check_worthy": True}, {"note": "needs a second source"}]
)


@st.composite
def annotated(draw: st.DrawFn, doc_id: str) -> DocumentRecord:
    text, spans = draw(text_with_any_spans())
    spans = tuple(
        SpanRecord(s.id, s.start, s.end, s.label, s.text, attributes=draw(ATTRIBUTES))
        for s in spans
    )
    relations: tuple[RelationRecord, ...] = ()
    if spans:
        ends = st.sampled_from([s.id for s in spans])
        pairs = draw(st.lists(st.tuples(ends, ends), max_size=3))
        relations = tuple(
            RelationRecord(f"r{i}", head, tail, "speaker") for i, (head, tail) in enumerate(pairs)
        )
    return DocumentRecord(doc_id, text, spans=spans, relations=relations)


@FAST
@given(st.lists(st.integers(), min_size=1, max_size=3).flatmap(
    lambda ids: st.tuples(*(annotated(f"doc{i}") for i in range(len(ids))))
))  # fmt: skip
def test_round_trip(tmp_path: Path, records: tuple[DocumentRecord, ...]) -> None:
    folder = tmp_path / "out"
    shutil.rmtree(folder, ignore_errors=True)
    report = brat.export(records, folder)
    assert report.documents == len(records)
    imported = {doc.id: doc for doc in brat.read(folder)}
    assert sorted(imported) == sorted(r.id for r in records)
    for original in records:
        assert_same(original, imported[original.id])


@FAST
@given(text_with_any_spans())
def test_offsets_counted_on_crlf_text_map_into_canonical_text(
    tmp_path: Path, drawn: tuple[str, tuple[SpanRecord, ...]]
) -> None:
    text, spans = drawn
    crlf = text.replace("\n", "\r\n")

    def raw(offset: int) -> int:  # each \n before the offset gained a \r
        return offset + text.count("\n", 0, offset)

    lines = []
    for i, span in enumerate(spans, start=1):
        # pieces between line breaks, as brat writes them, counted on the CRLF text
        pieces = [(raw(a), raw(b)) for a, b in brat.fragments(text, span.start, span.end)]
        offsets = ";".join(f"{a} {b}" for a, b in pieces)
        shown = " ".join(crlf[a:b] for a, b in pieces).replace("\r", " ").replace("\n", " ")
        lines.append(f"T{i}\t{span.label} {offsets}\t{shown}")
    (tmp_path / "a.txt").write_bytes(crlf.encode())
    (tmp_path / "a.ann").write_bytes("\r\n".join(lines).encode())
    (doc,) = brat.read(tmp_path / "a.ann")
    assert doc.text == text
    assert [(s.start, s.end, s.label) for s in doc.spans] == [
        (s.start, s.end, s.label) for s in spans
    ]


def test_crlf_golden_pair() -> None:
    (doc,) = brat.read(DATA / "crlf" / "article.ann")
    assert "\r" not in doc.text
    got = {s.id: (s.text, s.label) for s in doc.spans}
    assert got == {
        "T1": ("Zoe\u0308 Lindqvist", "PERSON"),
        "T2": ("יוסף כהן", "PERSON"),
        "T3": ("👨‍👩‍👧", "EMOJI"),
        "T4": ("Late edition\nHarbour", "ACROSS"),  # fragments around the \r\n line break
    }
    assert kept(doc.spans[0].attributes) == {"note": "first mention"}
    assert [(r.head, r.tail, r.label) for r in doc.relations] == [("T2", "T1", "disputes")]


def test_text_without_ann_has_no_spans_and_bom_counts_as_a_character(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_bytes(b"Just text.")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfZoe said")
    (tmp_path / "bom.ann").write_bytes(b"T1\tPERSON 1 4\tZoe\n")
    docs = {d.id: d for d in brat.read(tmp_path)}
    assert docs["plain"].spans == ()
    assert docs["bom"].text == "Zoe said"
    assert (docs["bom"].spans[0].start, docs["bom"].spans[0].end) == (0, 3)


def test_export_warns_about_what_brat_cannot_hold(tmp_path: Path) -> None:
    text = "Acme hired Zoe."
    record = DocumentRecord(
        "d",
        text,
        spans=(SpanRecord("1", 0, 4, "BIG ORG", "Acme", attributes={"size": "very big", "n": 3}),),
    )
    report = brat.export([record], tmp_path)
    ann = (tmp_path / "d.ann").read_text(encoding="utf-8")
    assert ann == "T1\tBIG_ORG 0 4\tAcme\nA1\tn T1 3\n"
    messages = " | ".join(w.message for w in report.warnings)
    assert "'BIG ORG' written as 'BIG_ORG'" in messages
    assert "not one word; left out" in messages
    assert "written as text" in messages


BROKEN = [
    ("bad-offsets", 2, "bad offsets 10 99"),
    ("reversed-offsets", 1, "bad offsets 5 2"),
    ("text-mismatch", 1, "differs from"),
    ("dangling-relation", 3, "relation R1 names T9"),
    ("dangling-attribute", 2, "attribute A1 names T4"),
    ("r-wrong-arguments", 3, "expected 'R<n><TAB>TYPE Arg1:T<n> Arg2:T<n>'"),
    ("between-cr-and-lf", 1, "falls between \\r and \\n"),
    ("duplicate-id", 2, "T1 is defined twice"),
    ("not-offsets", 1, "expected 'TYPE START END'"),
]


@pytest.mark.parametrize(("name", "line", "message"), BROKEN)
def test_broken_ann_files_give_one_clear_error(name: str, line: int, message: str) -> None:
    ann = DATA / "broken" / f"{name}.ann"
    with pytest.raises(InputError) as info:
        list(brat.read(ann))
    assert info.value.source == str(ann)
    assert info.value.line == line
    assert message in info.value.message
