"""Chunk tags: every scheme decodes back to what was encoded; repairs are counted, as conlleval."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from seqeval.metrics.sequence_labeling import get_entities

from app.formats.tag_schemes import (
    SCHEMES,
    BracketReader,
    SchemeTally,
    chunks,
    encode,
    parse_tag,
    problems,
)

TYPES = ["PER", "LOC", "creative-work", "LOCderiv"]


@st.composite
def chunkings(draw: st.DrawFn, *, touching: bool = True) -> tuple[int, list[tuple[int, int, str]]]:
    """A sentence length and non-overlapping typed chunks in order (touching same-type chunks
    only when ``touching``, as IO cannot write them)."""
    length = draw(st.integers(0, 14))
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < length:
        if draw(st.booleans()):
            i += 1
            continue
        stop = draw(st.integers(i + 1, length))
        kind = draw(st.sampled_from(TYPES))
        if not touching and spans and spans[-1][1] == i and spans[-1][2] == kind:
            i += 1
            continue
        spans.append((i, stop, kind))
        i = stop
    return length, spans


def tags_of(values: list[str]):  # type: ignore[no-untyped-def]
    parsed = [parse_tag(v) for v in values]
    assert None not in parsed
    return parsed


@pytest.mark.parametrize("scheme", ["iob1", "iob2", "ioe", "bioes"])
@given(chunking=chunkings())
def test_each_scheme_decodes_what_it_encoded_without_repairs(
    scheme: str, chunking: tuple[int, list[tuple[int, int, str]]]
) -> None:
    length, spans = chunking
    tags = tags_of(encode(length, spans, scheme))
    assert chunks(tags) == spans
    assert list(problems(tags, scheme)) == []


@given(chunking=chunkings(touching=False))
def test_io_decodes_chunks_that_do_not_touch_one_of_their_type(
    chunking: tuple[int, list[tuple[int, int, str]]],
) -> None:
    length, spans = chunking
    tags = tags_of(encode(length, spans, "io"))
    assert chunks(tags) == spans
    assert list(problems(tags, "io")) == []


@given(chunking=chunkings())
def test_bilou_names_read_as_bioes(chunking: tuple[int, list[tuple[int, int, str]]]) -> None:
    length, spans = chunking
    bioes = encode(length, spans, "bioes")
    bilou = [t.replace("E-", "L-", 1).replace("S-", "U-", 1) for t in bioes]
    assert chunks(tags_of(bilou)) == spans


@given(chunking=chunkings())
def test_ioe1_reads_like_ioe2(chunking: tuple[int, list[tuple[int, int, str]]]) -> None:
    """IOE1 writes E- only where a chunk touches the next one of its type."""
    length, spans = chunking
    tags = ["O"] * length
    for n, (first, stop, kind) in enumerate(spans):
        for i in range(first, stop):
            tags[i] = f"I-{kind}"
        following = spans[n + 1] if n + 1 < len(spans) else None
        if following and following[0] == stop and following[2] == kind:
            tags[stop - 1] = f"E-{kind}"
    assert chunks(tags_of(tags)) == spans


@given(values=st.lists(st.sampled_from(["O", "B-PER", "I-PER", "I-LOC", "B-LOC"]), max_size=12))
def test_inconsistent_iob_reads_as_seqeval_and_conlleval_read_it(values: list[str]) -> None:
    """seqeval's default mode is conlleval's reading of IOB tags."""
    expected = [(kind, first, last + 1) for kind, first, last in get_entities(values)]
    assert sorted(chunks(tags_of(values)), key=lambda c: c[0]) == sorted(
        ((a, b, k) for k, a, b in expected), key=lambda c: c[0]
    )


def test_an_inside_tag_after_another_type_is_one_repair_and_starts_a_span() -> None:
    tags = tags_of(["B-person", "I-person", "I-creative-work", "I-creative-work", "O"])
    assert chunks(tags) == [(0, 2, "person"), (2, 4, "creative-work")]
    assert list(problems(tags, "iob2")) == [(2, "I-creative-work after I-person starts a new span")]


def test_tally_picks_the_scheme_the_tags_break_least() -> None:
    cases = {
        "iob1": ["I-ORG", "O", "I-MISC", "I-PER", "B-PER", "O"],
        "iob2": ["B-ORG", "I-ORG", "O", "B-PER", "B-PER"],
        "bioes": ["S-ORG", "O", "B-PER", "I-PER", "E-PER", "U-LOC", "B-X", "L-X"],
        "ioe": ["I-ORG", "E-ORG", "E-ORG", "O", "I-PER"],
    }
    for expected, values in cases.items():
        tally = SchemeTally()
        tally.add(tags_of(values), list(range(1, len(values) + 1)))
        assert tally.best() == expected, values


def test_tally_counts_every_repair_and_keeps_the_first_lines() -> None:
    tally = SchemeTally(("iob2",))
    for start in range(0, 60, 3):
        tally.add(tags_of(["O", "I-PER", "I-LOC"]), [start + 1, start + 2, start + 3])
    assert tally.counts["iob2"] == 40
    assert [line for line, _ in tally.examples["iob2"]][:3] == [2, 3, 5]
    assert len(tally.examples["iob2"]) == 10


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("O", ("O", "")),
        ("B-LOCderiv", ("B", "LOCderiv")),
        ("I-creative-work", ("I", "creative-work")),
        ("U-PER", ("S", "PER")),
        ("L-PER", ("E", "PER")),
        ("NNP", None),
        ("B-", None),
        ("-X-", None),
    ],
)
def test_parse_tag(value: str, expected: tuple[str, str] | None) -> None:
    assert parse_tag(value) == expected


def test_bare_labels_read_as_inside_tags_only_when_asked() -> None:
    assert parse_tag("PER") is None
    assert parse_tag("PER", bare=True) == ("I", "PER")
    assert SCHEMES[0] == "iob2"


def brackets(length: int, spans: list[tuple[int, int, str]]) -> list[str]:
    """OntoNotes' bracketed column for ``spans``."""
    values = ["*"] * length
    for first, stop, kind in spans:
        if stop - first == 1:
            values[first] = f"({kind})"
        else:
            values[first], values[stop - 1] = f"({kind}*", "*)"
    return values


@given(chunking=chunkings())
def test_ontonotes_brackets_decode_to_their_chunks(
    chunking: tuple[int, list[tuple[int, int, str]]],
) -> None:
    length, spans = chunking
    reader = BracketReader()
    tags = [reader.tag(value) for value in brackets(length, spans)]
    assert None not in tags
    assert chunks(tags) == spans  # type: ignore[arg-type]
    assert list(problems(tags, "bioes")) == []  # type: ignore[arg-type]
