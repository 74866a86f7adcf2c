"""Whether a range lies inside one of many: the question tag-all asks of every match."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.services.bulk import RangeCover

ranges = st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda r: (r[0], r[0] + r[1]))


@given(st.lists(ranges, max_size=25), ranges)
def test_cover_answers_as_checking_every_range_would(
    spans: list[tuple[int, int]], match: tuple[int, int]
) -> None:
    start, end = match
    expected = any(s <= start and end <= e for s, e in spans)
    assert RangeCover(spans).covers(start, end) == expected
