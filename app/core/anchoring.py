"""Re-anchoring spans from one version of an article to the next.

A revision of an article is a new document (its text never changes), so the spans of the old
version have to be found again in the new text. Two passes:

1. A diff of the two texts (``app.core.revision_diff``): sentences first (each compared without
   the white space after it), then the words of the sentences that changed. A span inside
   unchanged stretches, with its context unchanged too, is ``exact`` at once.
2. Every other span is searched for: each place where its text occurs is scored by how much
   of its context (``context`` characters each side) is still there, and the place the diff
   expects wins ties. When the text itself changed, candidate boundaries come from the diff,
   from the context and from the span's own first and last characters; a candidate whose text
   is similar enough (``threshold``) is ``moved``.

A span found nowhere is ``queued`` for a person: no span is ever dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from functools import lru_cache
from operator import add

from app.core.revision_diff import Stretch, diff_blocks

CONTEXT = 30
"""Characters of context each side of a span compared when a span is searched for."""
THRESHOLD = 0.8
"""Least similarity (difflib ratio) of a changed span's text to its old text."""
_MIN_CONTEXT_SCORE = 0.6
"""Least context score of the place the diff found, when its context changed."""
_SEARCH_CONTEXT_SCORE = 0.75
"""Least context score of a place found by search alone, where the diff saw none."""
_SHORT_TEXT = 8
_SHORT_CONTEXT_SCORE = 0.85
"""Least context score of a short text (under ``_SHORT_TEXT`` characters) found by search."""
_UNIQUE_TEXT = 12
_UNIQUE_CONTEXT_SCORE = 0.35
"""Least context score of a text of ``_UNIQUE_TEXT`` characters or more found once in each
version."""
_CHANGED_CONTEXT_SCORE = 0.5
"""Least context score of the place of a span whose text changed."""
_MAX_CANDIDATES = 64


class Outcome(StrEnum):
    """Where a span landed in the new text."""

    EXACT = "exact"
    """The same text, found again."""
    MOVED = "moved"
    """Found again with its text changed by no more than the threshold allows."""
    QUEUED = "queued"
    """Not found, or changed too much: a person places it."""


@dataclass(frozen=True)
class AnchorSpan:
    """A span of the old text to find again: ``[start, end)`` in code points."""

    start: int
    end: int
    label: str = ""
    id: str = ""


@dataclass(frozen=True)
class Anchored:
    """The outcome for one span; ``start``/``end`` are None when it is queued."""

    span: AnchorSpan
    outcome: Outcome
    start: int | None
    end: int | None
    similarity: float
    """1.0 for an exact span; the text ratio for a moved one; the best seen for a queued one."""


def reanchor(
    old: str,
    new: str,
    spans: Iterable[AnchorSpan],
    *,
    context: int = CONTEXT,
    threshold: float = THRESHOLD,
) -> list[Anchored]:
    """Find each span of ``old`` in ``new``: one ``Anchored`` per span, in the order given."""
    blocks = diff_blocks(old, new)
    starts = [block.a for block in blocks]
    finder = _Finder(old, new, blocks, starts, context, threshold)
    return [finder.anchor(span) for span in spans]


def position_in(old: str, new: str, at: int) -> int:
    """Where position ``at`` of ``old`` falls in ``new`` by the diff of the two texts."""
    blocks = diff_blocks(old, new)
    finder = _Finder(old, new, blocks, [block.a for block in blocks], CONTEXT, THRESHOLD)
    return finder._map(max(0, min(at, len(old))), at_end=False)[0]


class _Finder:
    """Looks spans up through the diff, then by search."""

    def __init__(
        self,
        old: str,
        new: str,
        blocks: list[Stretch],
        starts: list[int],
        context: int,
        threshold: float,
    ) -> None:
        self.old, self.new = old, new
        self.blocks, self.starts = blocks, starts
        self.context, self.threshold = context, threshold

    def anchor(self, span: AnchorSpan) -> Anchored:
        old, new = self.old, self.new
        start, end = span.start, span.end
        if not 0 <= start < end <= len(old):
            return Anchored(span, Outcome.QUEUED, None, None, 0.0)
        text = old[start:end]
        mapped_start, start_equal = self._map(start, at_end=False)
        mapped_end, end_equal = self._map(end, at_end=True)
        before, after = old[max(0, start - self.context) : start], old[end : end + self.context]
        preferred = None
        if start_equal and end_equal and new[mapped_start:mapped_end] == text:
            if (
                new[max(0, mapped_start - len(before)) : mapped_start] == before
                and new[mapped_end : mapped_end + len(after)] == after
            ):
                return Anchored(span, Outcome.EXACT, mapped_start, mapped_end, 1.0)
            preferred = mapped_start
        edges = (start_edge(old, start), end_edge(old, end))
        found = self._same_text(text, (before, after), edges, mapped_start, preferred)
        if found is not None:
            return Anchored(span, Outcome.EXACT, found, found + len(text), 1.0)
        return self._changed(span, text, (before, after), edges, (mapped_start, mapped_end))

    def _map(self, position: int, *, at_end: bool) -> tuple[int, bool]:
        """Where a boundary of the old text falls in the new one, and whether it is in an
        equal stretch (a start looks at the character after it, an end at the one before)."""
        probe = position - 1 if at_end else position
        if probe < 0:
            return 0, True
        index = bisect_right(self.starts, probe) - 1
        if index < 0:
            return 0, False
        block = self.blocks[index]
        if block.equal and block.a <= probe < block.a + block.size:
            return block.b + (position - block.a), True
        if probe >= block.a + block.size:  # past the end of the old text
            return block.b + block.b_size, False
        return (block.b + block.b_size if at_end else block.b), False

    def _context_score(self, at: int, end: int, before: str, after: str) -> float:
        """How much of the old context surrounds ``new[at:end]`` (1.0 only when all of it)."""
        total = len(before) + len(after)
        if total == 0:
            return 1.0
        new = self.new
        near_before = new[max(0, at - len(before)) : at]
        near_after = new[end : end + len(after)]
        score = 0.0
        for old_side, new_side in ((before, near_before), (after, near_after)):
            if old_side == new_side:
                score += len(old_side)
            elif old_side and new_side:
                score += len(old_side) * _likeness(old_side, new_side) * 0.99
        return score / total

    def _occurrences(self, needle: str, near: int) -> list[int]:
        """Where ``needle`` occurs in the new text, the ones nearest ``near`` first."""
        found: list[int] = []
        at = self.new.find(needle)
        while at != -1 and len(found) < 4096:
            found.append(at)
            at = self.new.find(needle, at + 1)
        found.sort(key=lambda i: abs(i - near))
        return found[:_MAX_CANDIDATES]

    def _same_text(
        self,
        text: str,
        context: tuple[str, str],
        edges: tuple[bool, bool],
        expected: int,
        preferred: int | None,
    ) -> int | None:
        """The best place of the span's unchanged text by its context, or None.

        A place with all of the old context around it wins; else the place the diff found
        (``preferred``); else the place with the most context left, the nearest on a tie.
        """
        best, best_key = None, (False, False, 0.0, 0.0)
        for at in self._occurrences(text, expected):
            if not self._keeps_edges(edges, at, at + len(text)):
                continue
            score = self._context_score(at, at + len(text), *context)
            nearness = 1.0 / (1.0 + abs(at - expected) / 100)
            key = (score == 1.0, at == preferred, round(score, 6), nearness)
            if key > best_key:
                best, best_key = at, key
        least = _MIN_CONTEXT_SCORE if best_key[1] else _SEARCH_CONTEXT_SCORE
        if best is not None and best_key[1] and self._one_side_kept(best, len(text), context):
            return best  # the diff put it there and the text on one side is as it was
        if not best_key[1] and len(text) < _SHORT_TEXT:
            least = _SHORT_CONTEXT_SCORE  # "of", "the", "said" occur everywhere: ask more
        elif len(text) >= _UNIQUE_TEXT and self._once(text):
            least = _UNIQUE_CONTEXT_SCORE  # a sentence edited around a phrase found nowhere else
        if best is None or best_key[2] < least:
            return None
        return best

    def _changed(
        self,
        span: AnchorSpan,
        text: str,
        context: tuple[str, str],
        edges: tuple[bool, bool],
        mapped: tuple[int, int],
    ) -> Anchored:
        """The best place of a span whose text changed, or the span queued."""
        new = self.new
        before, after = context
        mapped_start, mapped_end = mapped
        head, tail = text[: min(len(text), 12)], text[-min(len(text), 12) :]
        starts = {mapped_start}
        ends = {mapped_end}
        if before:
            starts.update(at + len(before) for at in self._occurrences(before, mapped_start)[:8])
        if after:
            ends.update(self._occurrences(after, mapped_end)[:8])
        starts.update(self._occurrences(head, mapped_start)[:6])
        ends.update(at + len(tail) for at in self._occurrences(tail, mapped_end)[:6])
        starts = {self._word_start(at) if edges[0] else at for at in starts if at >= 0}
        ends = {self._word_end(at) if edges[1] else at for at in ends if at <= len(new)}
        shortest, longest = len(text) * 0.6, len(text) * 1.4 + 2
        # each boundary found suggests the other one, aligned on what the span still shares
        for end in list(ends):
            window = max(0, end - int(longest))
            blocks = self._shared(text, window, end)
            if blocks:
                at = window + blocks[0][1] - blocks[0][0]
                starts.add(self._word_start(at) if edges[0] else at)
        for start in list(starts):
            blocks = self._shared(text, start, start + int(longest))
            if blocks:
                a, b, size = blocks[-1]
                at = start + b + size + len(text) - a - size
                ends.add(self._word_end(at) if edges[1] else at)
        best: tuple[float, float, int, int] | None = None
        best_ratio = 0.0
        for start in starts:
            if start < 0 or not self._keeps_edges(edges, start, None):
                continue
            for end in ends:
                if not shortest <= end - start <= longest or end > len(new):
                    continue
                if not self._keeps_edges(edges, None, end):
                    continue
                candidate = new[start:end]
                matcher = SequenceMatcher(None, text, candidate, autojunk=False)
                if matcher.real_quick_ratio() < self.threshold:
                    continue
                ratio = matcher.ratio()
                best_ratio = max(best_ratio, ratio)
                if ratio < self.threshold or (
                    candidate.strip() != candidate and text.strip() == text
                ):
                    continue
                score = self._context_score(start, end, before, after)
                key = (ratio + score, -abs(start - mapped_start), start, end)
                if score >= _CHANGED_CONTEXT_SCORE and (best is None or key > best):
                    best = (key[0], key[1], start, end)
        if best is None:
            return Anchored(span, Outcome.QUEUED, None, None, round(best_ratio, 3))
        start, end = best[2], best[3]
        ratio = SequenceMatcher(None, text, new[start:end], autojunk=False).ratio()
        outcome = Outcome.EXACT if new[start:end] == text else Outcome.MOVED
        return Anchored(span, outcome, start, end, round(ratio, 3))

    def _once(self, text: str) -> bool:
        """Whether ``text`` occurs exactly once in the old version and once in the new one."""
        old, new = self.old, self.new
        first_old, first_new = old.find(text), new.find(text)
        return (
            first_old != -1
            and first_new != -1
            and old.find(text, first_old + 1) == -1
            and new.find(text, first_new + 1) == -1
        )

    def _one_side_kept(self, at: int, length: int, context: tuple[str, str]) -> bool:
        """Whether the whole context before, or the whole context after, is unchanged."""
        before, after = context
        new = self.new
        return new[max(0, at - len(before)) : at] == before or (
            new[at + length : at + length + len(after)] == after
        )

    def _word_start(self, at: int) -> int:
        """``at`` moved back to the start of the word it falls in (unchanged between words)."""
        new = self.new
        at = max(0, min(at, len(new)))
        while 0 < at < len(new) and new[at - 1].isalnum() and new[at].isalnum():
            at -= 1
        return at

    def _word_end(self, at: int) -> int:
        """``at`` moved on to the end of the word it falls in (unchanged between words)."""
        new = self.new
        at = max(0, min(at, len(new)))
        while 0 < at < len(new) and new[at - 1].isalnum() and new[at].isalnum():
            at += 1
        return at

    def _keeps_edges(self, edges: tuple[bool, bool], start: int | None, end: int | None) -> bool:
        """A span that started (ended) at a word's edge is not moved into the middle of one."""
        if start is not None and edges[0] and not start_edge(self.new, start):
            return False
        return end is None or not edges[1] or end_edge(self.new, end)

    def _shared(self, text: str, start: int, end: int) -> list[tuple[int, int, int]]:
        """The runs ``text`` shares with ``new[start:end]`` (offsets in each, sizes)."""
        if start < 0 or start >= end:
            return []
        window = self.new[start:end]
        matcher = SequenceMatcher(None, text, window, autojunk=False)
        return [(a, b, size) for a, b, size in matcher.get_matching_blocks() if size]


def start_edge(text: str, at: int) -> bool:
    """Whether a span starting at ``at`` starts a word (or is not in one)."""
    return at <= 0 or at >= len(text) or not (text[at - 1].isalnum() and text[at].isalnum())


def end_edge(text: str, at: int) -> bool:
    """Whether a span ending at ``at`` ends a word (or is not in one)."""
    return start_edge(text, at)


def _likeness(first: str, second: str) -> float:
    """Dice coefficient of the character pairs of two strings: cheap, and forgiving of a typo
    or a shifted word where a character-by-character comparison is not."""
    pairs_first, pairs_second = pairs(first), pairs(second)
    size = len(pairs_first) + len(pairs_second)
    if size == 0:
        return 1.0 if first == second else 0.0
    return 2 * len(pairs_first & pairs_second) / size


@lru_cache(maxsize=4096)
def pairs(text: str) -> frozenset[str]:
    """The pairs of neighbouring characters of ``text`` (cached: span texts repeat)."""
    return frozenset(map(add, text, text[1:]))


def changed_share(old: str, new: str) -> float:
    """The share of characters that differ between two span texts (0.0 when equal)."""
    return 1.0 - SequenceMatcher(None, old, new, autojunk=False).ratio()
