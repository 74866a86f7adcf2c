"""The arithmetic of charts: scales, axis ticks and bar geometry, free of any drawing toolkit.

Values map linearly to positions. Ticks of a value axis are "nice" numbers (1, 2, 2.5 or 5
times a power of ten) that cover the data; ticks of a time axis are whole minutes, hours,
days or weeks since the Unix epoch (so days start at midnight UTC) that lie within the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

_NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)

MINUTE = 60.0
HOUR = 60 * MINUTE
DAY = 24 * HOUR
TIME_STEPS = (
    MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
    DAY,
    2 * DAY,
    7 * DAY,
    14 * DAY,
    28 * DAY,
    91 * DAY,
    364 * DAY,
)
"""Steps of a time axis, in seconds, from the finest."""


@dataclass(frozen=True)
class LinearScale:
    """Maps the values ``low..high`` onto the positions ``start..end`` (either may be reversed).

    A scale whose ``low`` equals ``high`` maps every value to ``start``.
    """

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        """The position of ``value``."""
        if self.high == self.low:
            return self.start
        share = (value - self.low) / (self.high - self.low)
        return self.start + share * (self.end - self.start)


def nice_ticks(low: float, high: float, most: int, *, whole: bool = False) -> tuple[float, ...]:
    """Evenly spaced round ticks, the first at or below ``low`` and the last at or above ``high``.

    At least two ticks and at most ``most + 1`` (``most`` is at least 2: a range across zero
    needs three). The step is 1, 2, 2.5 or 5 times a power of ten; ``whole`` keeps it a whole
    number (for counts). A range narrower than a millionth of its values (an empty one too)
    is widened to that.
    """
    most = max(2, most)
    if high < low:
        low, high = high, low
    span = max(high - low, abs(low) * 1e-6, abs(high) * 1e-6, 1e-9)
    magnitude = 10.0 ** math.floor(math.log10(span / most))
    for power in (magnitude, magnitude * 10, magnitude * 100):
        for factor in _NICE_STEPS:
            step = factor * power
            if whole and (step < 1 or step != int(step)):
                continue
            ticks = _covering(low, high, step)
            if len(ticks) <= most + 1:
                return ticks
    return _covering(low, high, high - low or 1.0)  # pragma: no cover - a step always fits


def _covering(low: float, high: float, step: float) -> tuple[float, ...]:
    """Multiples of ``step`` from at or below ``low`` to at or above ``high`` (two at least)."""
    digits = max(0, 2 - math.floor(math.log10(step)))

    def tick(k: int) -> float:
        return round(k * step, digits)  # no 0.30000000000000004 in a label

    first = math.floor(low / step)
    while tick(first) > low:
        first -= 1
    last = max(math.ceil(high / step), first + 1)
    while tick(last) < high:
        last += 1
    return tuple(tick(k) for k in range(first, last + 1))


def time_ticks(start: float, end: float, most: int) -> tuple[tuple[float, ...], float]:
    """``(ticks, step)``: at most ``most`` ticks within ``start..end`` (seconds since the epoch).

    The step is the finest of ``TIME_STEPS`` (or a whole number of years beyond them) that
    yields no more than ``most`` ticks; ticks are its multiples since the epoch. A range too
    short to hold one multiple yields no ticks.
    """
    most = max(1, most)
    if end < start:
        start, end = end, start
    steps = list(TIME_STEPS)
    while (end - start) / steps[-1] > most:
        steps.append(steps[-1] * 2)
    for step in steps:
        first = math.ceil(start / step)
        last = math.floor(end / step)
        if last - first + 1 <= most:
            return tuple(k * step for k in range(first, last + 1)), step
    return (), steps[-1]  # pragma: no cover - the loop above made the last step fit


def time_format(step: float, span: float) -> str:
    """A ``strftime`` pattern for tick labels ``step`` seconds apart over ``span`` seconds."""
    if step >= 364 * DAY:
        return "%Y"
    if step >= DAY:
        return "%d %b" if span < 300 * DAY else "%d %b %Y"
    return "%H:%M" if span <= DAY else "%d %b %H:%M"


def bands(count: int, start: float, end: float, gap: float) -> tuple[tuple[float, float], ...]:
    """``(offset, thickness)`` of ``count`` equal bars side by side in ``start..end``.

    ``gap`` is the share (0 to 1) of each bar's slot left empty, split evenly on both sides,
    so bars never touch when it is above zero.
    """
    if count <= 0 or end <= start:
        return ()
    gap = min(max(gap, 0.0), 0.95)
    slot = (end - start) / count
    thickness = slot * (1 - gap)
    return tuple((start + i * slot + (slot - thickness) / 2, thickness) for i in range(count))


def fitting(length: float, item: float) -> int:
    """How many items of size ``item`` fit along ``length`` (at least one)."""
    if item <= 0:
        return 1
    return max(1, int(length // item))
