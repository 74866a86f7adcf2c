"""Sentence and paragraph boundaries good enough to bound reported speech.

A rule splitter rather than a model: a sentence ends at . ! or ? (after any closing quote
or bracket) followed by space and a capital, a digit or an opening quote, unless the word
before the full stop is a known abbreviation or an initial; a line break always ends one.
"""

from __future__ import annotations

import bisect
import re

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr sen rep gov gen lt col sgt capt st jr sr inc corp co ltd prof rev mt "
    "jan feb mar apr jun jul aug sep sept oct nov dec no vs etc u.s u.n u.k d.c e.g i.e "
    "ft ave blvd dept est fig vol pres adm cmdr".split()
)
_END = re.compile(r"[.!?]+[\"”’'»)\]]*(?=\s+[\"“‘'«„(\[]{0,2}[A-Z0-9])|\n+")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence of ``text``, leading white space excluded."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        if m.group()[0] == "." and is_abbreviation(text, m.start()):
            continue
        end = m.end() if m.group()[0] != "\n" else m.start()
        _add(text, bounds, start, end)
        start = m.end()
    _add(text, bounds, start, len(text))
    return bounds


def is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation or an initial (Mr. J. Sen.)."""
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
    w = word.group(1).lower() if word else ""
    return w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha())


def _add(text: str, bounds: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        bounds.append((start, end))


class Sentences:
    """The sentences of one text, with a lookup from an offset to its sentence."""

    def __init__(self, text: str) -> None:
        self.bounds = sentence_bounds(text)
        self._starts = [s for s, _ in self.bounds]

    def index_at(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (the one before, in a gap); -1 if none."""
        return bisect.bisect_right(self._starts, offset) - 1

    def around(self, offset: int) -> tuple[int, int]:
        """Bounds of the sentence holding ``offset`` (an empty stretch when none)."""
        i = self.index_at(offset)
        if i < 0:
            return (offset, offset)
        return self.bounds[i]
