"""A place to offer for a span that re-anchoring queued: looser than ``reanchor`` on purpose,
since a person looks at it before it is taken."""

from __future__ import annotations

import heapq
from difflib import SequenceMatcher
from operator import add

from app.core.anchoring import Anchored, AnchorSpan, Outcome, end_edge, pairs, reanchor, start_edge

SUGGESTION_THRESHOLD = 0.7
"""Least similarity of a place offered for a queued span: a person confirms it."""


def suggested_place(
    old: str, new: str, start: int, end: int, *, threshold: float = SUGGESTION_THRESHOLD
) -> Anchored | None:
    """The best place in ``new`` for ``old[start:end]``, searched as ``reanchor`` does but
    content with a looser likeness: what to offer for a span that was queued. None when
    nothing is alike enough even so."""
    span = AnchorSpan(start, end)
    found = reanchor(old, new, [span], threshold=threshold)[0]
    if found.outcome is not Outcome.QUEUED:
        return found
    text = old[start:end]
    place = _likest(text, new, threshold) if text.strip() else None
    if place is None:
        return None
    at, until, ratio = place
    outcome = Outcome.EXACT if new[at:until] == text else Outcome.MOVED
    return Anchored(span, outcome, at, until, round(ratio, 3))


def _likest(text: str, new: str, threshold: float) -> tuple[int, int, float] | None:
    """The stretch of ``new`` most like ``text`` wherever it is, context aside: the likeliest
    starts by shared character pairs, then each one's best end by difflib's ratio."""
    size = len(text)
    wanted = pairs(text)
    scored: list[tuple[float, int]] = []
    for at in range(len(new)):
        if new[at].isspace() or not start_edge(new, at):
            continue
        window = new[at : at + size]
        found = frozenset(map(add, window, window[1:]))
        total = len(found) + len(wanted)
        scored.append((2 * len(found & wanted) / total if total else 0.0, -at))
    best: tuple[float, int, int] | None = None
    for _, negative in heapq.nlargest(8, scored):
        at = -negative
        for until in range(
            at + max(1, int(size * 0.6)), min(len(new), int(size * 1.4) + 2 + at) + 1
        ):
            if new[until - 1].isspace() or not end_edge(new, until):
                continue
            matcher = SequenceMatcher(None, text, new[at:until], autojunk=False)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold and (best is None or (ratio, -at) > (best[0], -best[1])):
                best = (ratio, at, until)
    return None if best is None else (best[1], best[2], best[0])
