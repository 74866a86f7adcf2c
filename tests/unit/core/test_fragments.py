"""Discontinuous spans: fragments checked, joined, moved, and what a span with them covers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.annotations import (
    Span,
    check_fragments,
    fragments_text,
    joined_pieces,
    moved_fragments,
)
from app.core.errors import SpanError

ranges = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1])),
    min_size=1,
    max_size=6,
)


def test_a_span_made_as_before_has_no_fragments() -> None:
    span = Span(1, 2, 0, 5, "PERSON", "ann")
    assert span.fragments == ()
    assert span.pieces == ((0, 5),)
    assert span.covers(4) and not span.covers(5)


def test_a_span_with_fragments_covers_its_pieces_not_its_gap() -> None:
    span = Span(1, 2, 0, 10, "QUOTE", "ann", fragments=((0, 3), (7, 10)))
    assert [o for o in range(12) if span.covers(o)] == [0, 1, 2, 7, 8, 9]
    assert span.pieces == ((0, 3), (7, 10))


@pytest.mark.parametrize(
    ("fragments", "message"),
    [
        ([(0, 10)], "at least two fragments"),
        ([(0, 4), (4, 10)], r"fragment \[0, 4\) overlaps, touches"),
        ([(0, 6), (4, 10)], "overlaps"),
        ([(5, 10), (0, 3)], "overlaps, touches or comes after"),
        ([(0, 3), (6, 6), (8, 10)], r"fragment \[6, 6\) is empty"),
        ([(0, 3), (6, 9)], r"run from 0 to 9, not over the span \[0, 10\)"),
        ([(1, 3), (6, 10)], "run from 1 to 10"),
        ([(0, 3), (6, "10")], "two whole numbers"),
        ([(0, 3), (6, 8, 10)], "two whole numbers"),
        ([(0, 3), (6, True)], "two whole numbers"),
    ],
)
def test_bad_fragments_are_refused_naming_the_span(fragments: list, message: str) -> None:
    with pytest.raises(SpanError, match=message) as raised:
        check_fragments(0, 10, fragments, name="span T6")
    assert str(raised.value).startswith("span T6: ")


def test_good_fragments_come_back_as_tuples() -> None:
    assert check_fragments(0, 10, [[0, 3], [5, 6], [8, 10]]) == ((0, 3), (5, 6), (8, 10))
    assert check_fragments(0, 10, []) == ()


@given(ranges)
def test_joined_pieces_cover_exactly_the_characters_of_the_ranges(
    pieces: list[tuple[int, int]],
) -> None:
    start, end, fragments = joined_pieces(pieces)
    covered = {o for s, e in pieces for o in range(s, e)}
    span = Span(0, 0, start, end, "X", "a", fragments=fragments)
    assert {o for o in range(80) if span.covers(o)} == covered
    # whatever comes out is valid, and joining it again changes nothing
    assert check_fragments(start, end, fragments) == fragments
    assert joined_pieces(span.pieces) == (start, end, fragments)


@given(ranges, st.integers(0, 70), st.integers(1, 20))
def test_moved_fragments_stay_valid_inside_the_new_range(
    pieces: list[tuple[int, int]], start: int, width: int
) -> None:
    _, _, fragments = joined_pieces(pieces)
    moved = moved_fragments(fragments, start, start + width)
    assert check_fragments(start, start + width, moved) == moved


def test_moving_a_fragmented_span_cuts_and_stretches_its_end_pieces() -> None:
    fragments = ((2, 5), (8, 10), (14, 20))
    assert moved_fragments(fragments, 0, 22) == ((0, 5), (8, 10), (14, 22))
    assert moved_fragments(fragments, 9, 16) == ((9, 10), (14, 16))
    assert moved_fragments(fragments, 15, 19) == ()  # one piece left: a whole span
    assert moved_fragments((), 3, 4) == ()


def test_fragments_text_joins_the_pieces_with_a_space() -> None:
    text = "vitamin B and C"
    assert fragments_text(text, ((0, 7), (14, 15)), 0, 15) == "vitamin C"
    assert fragments_text(text, (), 0, 9) == "vitamin B"
