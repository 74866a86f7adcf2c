"""Chart arithmetic: ticks cover the data, time ticks stay inside it, bars stay in their rect."""

from __future__ import annotations

import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from app.core.chart_scales import (
    DAY,
    HOUR,
    LinearScale,
    bands,
    fitting,
    nice_ticks,
    time_format,
    time_ticks,
)

values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
counts = st.integers(min_value=0, max_value=10**7)
most_ticks = st.integers(min_value=2, max_value=20)
# 2000-01-01 .. 2100-01-01
instants = st.floats(min_value=946_684_800, max_value=4_102_444_800)


@given(values, values, most_ticks)
def test_ticks_cover_the_data_range_evenly(a: float, b: float, most: int) -> None:
    low, high = min(a, b), max(a, b)
    ticks = nice_ticks(low, high, most)
    assert ticks[0] <= low
    assert ticks[-1] >= high
    assert 2 <= len(ticks) <= most + 1
    steps = [second - first for first, second in itertools.pairwise(ticks)]
    assert all(math.isclose(s, steps[0], rel_tol=1e-6) for s in steps)
    assert steps[0] > 0


@given(values, values, most_ticks)
def test_tick_steps_are_round_numbers(a: float, b: float, most: int) -> None:
    ticks = nice_ticks(min(a, b), max(a, b), most)
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, nice, rel_tol=1e-6) for nice in (1, 2, 2.5, 5, 10))


@given(counts, most_ticks)
def test_count_ticks_are_whole_numbers_from_zero(high: int, most: int) -> None:
    ticks = nice_ticks(0, high, most, whole=True)
    assert ticks[0] == 0
    assert ticks[-1] >= high
    assert all(tick == int(tick) for tick in ticks)
    assert len(ticks) <= most + 1


def test_ticks_of_fractions_read_as_written() -> None:
    assert nice_ticks(0, 1, 5) == (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    assert nice_ticks(0, 7, 4, whole=True) == (0, 2, 4, 6, 8)
    assert nice_ticks(3, 3, 5)[0] <= 3 <= nice_ticks(3, 3, 5)[-1]


@given(instants, st.floats(min_value=0, max_value=5 * 365 * DAY), most_ticks)
def test_time_ticks_lie_inside_the_range_and_fit(start: float, length: float, most: int) -> None:
    end = start + length
    ticks, step = time_ticks(start, end, most)
    assert len(ticks) <= most
    assert all(start <= tick <= end for tick in ticks)
    assert all(tick % step == 0 for tick in ticks)
    assert all(b - a == step for a, b in itertools.pairwise(ticks))
    if length >= step * 2:
        assert ticks  # a range two steps long always holds a tick


def test_time_steps_grow_with_the_range() -> None:
    _, minutes = time_ticks(0, 2 * HOUR, 6)
    _, days = time_ticks(0, 10 * DAY, 6)
    assert minutes == 30 * 60
    assert days == 2 * DAY
    assert time_format(minutes, 2 * HOUR) == "%H:%M"
    assert time_format(days, 10 * DAY) == "%d %b"
    assert time_format(HOUR, 3 * DAY) == "%d %b %H:%M"


@given(
    st.integers(min_value=0, max_value=200),
    st.floats(min_value=-1e4, max_value=1e4),
    st.floats(min_value=0, max_value=1e4),
    st.floats(min_value=0, max_value=1),
)
def test_bars_stay_inside_and_never_overlap(
    count: int, start: float, length: float, gap: float
) -> None:
    end = start + length
    laid = bands(count, start, end, gap)
    if end <= start:
        assert laid == ()
        return
    assert len(laid) == count
    tolerance = 1e-6 * max(1.0, abs(start), abs(end))
    for offset, thickness in laid:
        assert math.isclose(thickness, (end - start) / count * (1 - min(gap, 0.95)))
        assert start - tolerance <= offset
        assert offset + thickness <= end + tolerance
    for (first, size), (second, _) in itertools.pairwise(laid):
        assert first + size <= second + tolerance


@given(values, values, values, values, st.floats(min_value=0, max_value=1))
def test_scale_maps_the_ends_and_keeps_order(
    low: float, high: float, start: float, end: float, share: float
) -> None:
    scale = LinearScale(low, high, start, end)
    assert math.isclose(scale(low), start, abs_tol=1e-3)
    if low != high:
        assert math.isclose(scale(high), end, rel_tol=1e-6, abs_tol=1e-3)
        position = scale(low + share * (high - low))
        assert min(start, end) - 1e-3 <= position <= max(start, end) + 1e-3


def test_fitting_counts_whole_items_and_at_least_one() -> None:
    assert fitting(100, 30) == 3
    assert fitting(10, 30) == 1
    assert fitting(10, 0) == 1
