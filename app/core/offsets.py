"""The one place where code points meet Qt's UTF-16 positions.

Spans are stored in code points of the canonical text. Qt's text classes count UTF-16 code
units: a character outside the Basic Multilingual Plane (most emoji) takes two positions.
Canonical text holds no ``\\r``, so each remaining code point maps to one or two positions
and block separators (``\\n``, U+2029) take one position each, exactly as in the text.

Two more Qt habits are guarded by ``display_text``: a leading U+FEFF is dropped and a leading
U+FFFE byte-swaps the whole text, so either is replaced by a same-width stand-in.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LEADING_STAND_IN = "\u2060"  # WORD JOINER: invisible, one code unit, kept by Qt


def display_text(text: str) -> str:
    """Return the text to hand to Qt: same length in code points and in UTF-16 units."""
    if text[:1] in ("\ufeff", "\ufffe"):
        return _LEADING_STAND_IN + text[1:]
    return text


@dataclass(frozen=True)
class QtPositions:
    """Converts between code point offsets and Qt (UTF-16) positions for one text."""

    length: int
    _astral: tuple[int, ...] = field(default=(), repr=False)
    """Code point index of every astral character, ascending."""
    _astral_qt: tuple[int, ...] = field(default=(), repr=False)
    """Qt position of every astral character, ascending."""

    @classmethod
    def of(cls, text: str) -> QtPositions:
        """Build the conversion table for ``text`` (a linear scan, once per document)."""
        astral = tuple(m.start() for m in _ASTRAL.finditer(text))
        return cls(len(text), astral, tuple(cp + i for i, cp in enumerate(astral)))

    @property
    def qt_length(self) -> int:
        """Length of the text in UTF-16 code units."""
        return self.length + len(self._astral)

    def to_qt(self, offset: int) -> int:
        """Return the Qt position of code point ``offset`` (0..length)."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} outside 0..{self.length}")
        return offset + bisect_left(self._astral, offset)

    def from_qt(self, position: int, *, round_up: bool = False) -> int:
        """Return the code point offset of Qt ``position``.

        A position inside a surrogate pair is snapped to the start of that character, or to
        its end when ``round_up`` is true (use it for the end of a selection).
        """
        if not 0 <= position <= self.qt_length:
            raise ValueError(f"position {position} outside 0..{self.qt_length}")
        before = bisect_right(self._astral_qt, position - 2)  # astral chars wholly before
        offset = position - before
        inside = before < len(self._astral_qt) and self._astral_qt[before] == position - 1
        if inside and not round_up:
            offset -= 1
        return offset
