"""How a ``.ann`` file counts its offsets, and mapping them into the canonical text.

brat itself counts code points of the ``.txt`` as read without newline translation (a
``\\r\\n`` is two characters, a byte order mark one). Other tools that write brat count
UTF-8 bytes, or code points of the text with ``\\r\\n`` as one. A counting is three choices:
bytes or code points, ``\\r\\n`` as two or one, the byte order mark counted or not.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import product

_NON_ASCII = re.compile("[^\x00-\x7f]")


@dataclass(frozen=True)
class Counting:
    """One way of counting offsets in a ``.txt`` file."""

    bytes: bool = False
    crlf_two: bool = False
    bom: bool = False

    def describe(self) -> str:
        """What this counting counts, for a warning; empty for the canonical counting."""
        parts = []
        if self.bytes:
            parts.append("UTF-8 bytes")
        if self.crlf_two:
            parts.append("\\r\\n as two")
        if self.bom:
            parts.append("the byte order mark")
        return " and ".join(parts)


CANONICAL = Counting()


def countings(raw: str) -> list[Counting]:
    """The countings that differ for this raw text: brat's own first, then the canonical one.

    When two countings make every span agree (a span ending in a line break can), the one
    brat writes is the likelier.

    ``raw`` is the ``.txt`` decoded without newline translation, with its BOM if any.
    """
    has_bom = raw.startswith("\ufeff")
    has_crlf = "\r\n" in raw
    has_wide = has_bom or _NON_ASCII.search(raw) is not None
    found: list[Counting] = []
    for wide, crlf, bom in product((False, True), repeat=3):
        counting = Counting(wide and has_wide, crlf and has_crlf, bom and has_bom)
        if counting not in found:
            found.append(counting)
    native = Counting(False, has_crlf, has_bom)
    found.remove(native)
    return [native, *found]


class OffsetMap:
    """Maps offsets counted one way in the raw text to code points of the canonical text."""

    def __init__(self, raw: str, text: str, counting: Counting) -> None:
        self.length = len(text)
        self.bytes = counting.bytes
        bom = raw.startswith("\ufeff")
        self.base = (3 if counting.bytes else 1) if counting.bom and bom else 0
        extra: dict[int, int] = {}
        if counting.crlf_two:
            body = raw[1:] if bom else raw
            for dropped, match in enumerate(re.finditer("\r\n", body)):
                extra[match.start() - dropped] = 1
        if counting.bytes:
            for match in _NON_ASCII.finditer(text):
                extra[match.start()] = extra.get(match.start(), 0) + len(match.group().encode()) - 1
        self._positions = sorted(extra)  # wide characters, in the canonical text
        self._starts: list[int] = []  # where each wide character starts in this counting
        self._ends: list[int] = []
        self._through: list[int] = []  # extra units up to and including each wide character
        total = 0
        for position in self._positions:
            start = position + total
            total += extra[position]
            self._starts.append(start)
            self._ends.append(start + 1 + extra[position])
            self._through.append(total)

    def map(self, offset: int) -> int | None:
        """The canonical offset, or None when ``offset`` is inside a character or outside."""
        offset -= self.base
        if offset < 0:
            return None
        k = bisect_left(self._starts, offset) - 1
        if k >= 0:
            if offset < self._ends[k]:
                return None
            offset -= self._through[k]
        return offset if offset <= self.length else None

    def unmap(self, offset: int) -> int:
        """The offset in this counting of a canonical offset."""
        k = bisect_left(self._positions, offset) - 1
        return self.base + offset + (self._through[k] if k >= 0 else 0)

    def problem(self, offset: int, text: str) -> str:
        """Why ``offset`` cannot be mapped (``map`` gave None), for a message."""
        end = self.unmap(self.length)
        if offset > end:
            return f"is past the end of the text ({end} {'bytes' if self.bytes else 'characters'})"
        if offset < self.base:
            return "falls inside the byte order mark"
        k = bisect_left(self._starts, offset - self.base) - 1
        character = text[self._positions[k]]
        if character == "\n":
            return "falls between \\r and \\n"
        return f"falls inside the character {character!r}"
