"""Formats that cannot hold a discontinuous span get one span per fragment, and say so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import FORMATS
from app.formats.fragment_pieces import joined_chains, pieces_of

TEXT = "“We stay,” she said, “and we fight.”"
FIRST = (0, TEXT.index(" she"))
SECOND = (TEXT.index("“and"), len(TEXT))
QUOTE = SpanRecord("q", 0, len(TEXT), "QUOTE", TEXT, "ann", attributes={"kind": "direct"})._replace(
    fragments=(FIRST, SECOND)
)
SHE = SpanRecord("p", TEXT.index("she"), TEXT.index("she") + 3, "PERSON", "she", "ann")
RECORD = DocumentRecord(
    "d",
    TEXT,
    {"title": "t"},
    spans=(QUOTE, SHE),
    relations=(RelationRecord("r", "q", "p", "speaker", "ann"),),
)
NOTICE = "1 discontinuous span(s) written as one span per fragment"


def test_pieces_linked_keep_the_span_id_on_the_first_piece() -> None:
    cut, count = pieces_of(RECORD, linked=True)
    assert count == 1
    assert [(s.id, s.start, s.end, s.text, s.attributes) for s in cut.spans] == [
        ("q", *FIRST, TEXT[slice(*FIRST)], {"kind": "direct"}),
        ("p", SHE.start, SHE.end, "she", {}),
        ("q.2", *SECOND, TEXT[slice(*SECOND)], {}),
    ]
    assert [(r.head, r.tail, r.label) for r in cut.relations] == [
        ("q", "p", "speaker"),
        ("q", "q.2", "fragment"),
    ]
    unlinked, _ = pieces_of(RECORD, linked=False)
    assert len(unlinked.relations) == 1
    assert unlinked.spans[2].attributes == {"kind": "direct"}  # each piece says it all


def test_a_record_without_fragments_is_passed_on_as_it_is() -> None:
    plain = DocumentRecord("d", TEXT, spans=(SHE,))
    assert pieces_of(plain, linked=True) == (plain, 0)


def test_conll_tags_each_fragment_as_a_chunk_and_the_gap_outside(tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    report = FORMATS["conll"].export([RECORD], out)  # type: ignore[misc]
    lines = out.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if "\t" in line]
    tags = [tag for _, tag in rows]
    said = [tag for token, tag in rows if token == "said"]
    assert said == ["O"]
    assert tags.count("B-QUOTE") == 2
    assert any(w.message.startswith(NOTICE + ", the gaps left out") for w in report.warnings)


@pytest.mark.parametrize("name", ["doccano", "labelstudio", "prodigy", "csv", "spacy"])
def test_formats_with_relations_link_the_pieces(tmp_path: Path, name: str) -> None:
    fmt = FORMATS[name]
    assert fmt.export is not None
    out = tmp_path / ("out" if fmt.folder else f"out{fmt.suffixes[0]}")
    report = fmt.export([RECORD], out)
    assert any(w.message == NOTICE + ", linked by 'fragment' relations" for w in report.warnings), (
        report.warnings
    )


def test_doccano_label_shape_writes_two_entities(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    FORMATS["doccano-label"].export([RECORD], out)  # type: ignore[misc]
    (line,) = [json.loads(raw) for raw in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["label"]) == sorted(
        [[*FIRST, "QUOTE"], [SHE.start, SHE.end, "PERSON"], [*SECOND, "QUOTE"]]
    )


def test_native_formats_keep_fragments(tmp_path: Path) -> None:
    for name in ("jsonl", "brat"):
        fmt = FORMATS[name]
        assert fmt.export is not None and fmt.read is not None
        out = tmp_path / ("brat" if fmt.folder else "out.jsonl")
        report = fmt.export([RECORD], out)
        assert not any("discontinuous" in w.message for w in report.warnings)
        (back,) = fmt.read(out, None)
        (quote,) = [s for s in back.spans if s.label == "QUOTE"]
        assert quote.fragments == (FIRST, SECOND)


def test_linked_pieces_read_back_as_the_span_they_were() -> None:
    cut, _ = pieces_of(RECORD, linked=True)
    joined, chains = joined_chains(cut)
    assert chains == 1
    assert joined.spans == (QUOTE._replace(text=TEXT), SHE)
    assert joined.relations == RECORD.relations


def test_a_chain_of_other_labels_or_annotators_is_left_as_it_is() -> None:
    other = SHE._replace(id="o", annotator="someone else")
    record = DocumentRecord(
        "d",
        TEXT,
        spans=(SHE, other, QUOTE._replace(fragments=(), text=TEXT)),
        relations=(
            RelationRecord("r1", "p", "o", "fragment"),
            RelationRecord("r2", "q", "p", "fragment"),
        ),
    )
    assert joined_chains(record) == (record, 0)


def test_a_relation_to_a_later_piece_names_the_joined_span() -> None:
    spans = (
        SpanRecord("a", 0, 3, "QUOTE", TEXT[0:3]),
        SpanRecord("b", 20, 25, "QUOTE", TEXT[20:25]),
        SpanRecord("c", 10, 15, "QUOTE", TEXT[10:15]),
        SHE,
    )
    relations = (
        RelationRecord("f1", "a", "b", "fragment"),
        RelationRecord("f2", "b", "c", "fragment"),
        RelationRecord("s", "c", "p", "speaker"),
    )
    joined, chains = joined_chains(DocumentRecord("d", TEXT, spans=spans, relations=relations))
    assert chains == 1
    quote, she = joined.spans
    assert she == SHE
    assert (quote.id, quote.start, quote.end) == ("a", 0, 25)
    assert quote.fragments == ((0, 3), (10, 15), (20, 25))
    assert joined.relations == (RelationRecord("s", "a", "p", "speaker"),)
