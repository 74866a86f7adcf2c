"""Linking offers the spans next to a quote before those inside it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.annotations import Span
from app.core.partners import ranked_partners

QUOTE = Span(1, 1, 10, 40, "QUOTE", "ana")


def person(span_id: int, start: int, end: int) -> Span:
    return Span(span_id, 1, start, end, "PERSON", "ana")


def test_the_speaker_right_after_the_quote_comes_before_a_name_inside_it() -> None:
    inside, after, far_before = person(2, 15, 20), person(3, 41, 47), person(4, 0, 3)
    assert ranked_partners(QUOTE, [inside, far_before, after]) == [3, 4, 2]


@given(st.lists(st.tuples(st.integers(0, 80), st.integers(1, 10)), max_size=8))
def test_every_outside_span_comes_before_every_inside_one(shapes: list[tuple[int, int]]) -> None:
    spans = [person(i + 2, start, start + width) for i, (start, width) in enumerate(shapes)]
    order = ranked_partners(QUOTE, [QUOTE, *spans])
    assert sorted(order) == [s.id for s in spans]
    inside = {s.id for s in spans if s.start < QUOTE.end and QUOTE.start < s.end}
    flags = [span_id in inside for span_id in order]
    assert flags == sorted(flags)
