"""Grapheme clusters: what a reader sees as one character, for tools that count those.

Some annotation tools count offsets in user-perceived characters (JavaScript grapheme
splitters): ``\\r\\n``, an emoji with its skin tone, a family joined by ZERO WIDTH JOINER,
a flag, a letter with its combining accents each count as one. ``cluster_starts`` gives the
code point offset where each cluster begins, so such an offset maps to ours by indexing.

The rules are those of Unicode's extended grapheme clusters that matter for text: CR LF;
combining marks, variation selectors, emoji modifiers, tag characters and spacing marks stay
with what precedes them; a ZERO WIDTH JOINER between two emoji joins them; regional
indicators pair up; Hangul syllable sequences (L, V, T jamo) hold together.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left

_ZWJ = "\u200d"
_REGIONAL = ("\U0001f1e6", "\U0001f1ff")
_TONES = ("\U0001f3fb", "\U0001f3ff")
_TAGS = ("\U000e0020", "\U000e007f")
_SELECTORS = (("\ufe00", "\ufe0f"), ("\U000e0100", "\U000e01ef"))


def _extends(ch: str) -> bool:
    """True for a character that belongs to the cluster before it."""
    if ch == _ZWJ or unicodedata.category(ch) in ("Mn", "Me", "Mc"):
        return True
    if _TONES[0] <= ch <= _TONES[1] or _TAGS[0] <= ch <= _TAGS[1]:
        return True
    return any(low <= ch <= high for low, high in _SELECTORS)


def _jamo(ch: str) -> str:
    code = ord(ch)
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return "L"
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return "V"
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return "T"
    if 0xAC00 <= code <= 0xD7A3:
        return "LV" if (code - 0xAC00) % 28 == 0 else "LVT"
    return ""


_PICTOGRAPHIC = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049),
    (0x2122, 0x2122), (0x2139, 0x2139), (0x2194, 0x21AA), (0x231A, 0x23FF),
    (0x24C2, 0x24C2), (0x25AA, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B55),
    (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3299), (0x1F000, 0x1FAFF),
    (0x1FC00, 0x1FFFD),
)  # fmt: skip
"""Ranges holding the emoji a ZERO WIDTH JOINER may join (Extended_Pictographic, widened to
whole blocks)."""


def _pictographic(ch: str) -> bool:
    code = ord(ch)
    if _REGIONAL[0] <= ch <= _REGIONAL[1]:
        return False  # flags pair up by their own rule
    return any(low <= code <= high for low, high in _PICTOGRAPHIC)


def _pictograph_before(text: str, zwj: int) -> bool:
    """True when the ZERO WIDTH JOINER at ``zwj`` follows a pictograph and its modifiers."""
    position = zwj - 1
    while (
        position >= 0
        and _extends(text[position])
        and text[position] != _ZWJ
        and unicodedata.category(text[position]) != "Mc"  # a spacing mark is no modifier
    ):
        position -= 1
    return position >= 0 and _pictographic(text[position])


_JAMO_JOINS = {
    ("L", "L"), ("L", "V"), ("L", "LV"), ("L", "LVT"),
    ("LV", "V"), ("V", "V"), ("LV", "T"), ("V", "T"), ("LVT", "T"), ("T", "T"),
}  # fmt: skip


def _joined(text: str, position: int, regional_run: int) -> bool:
    """True when no cluster boundary falls before ``text[position]``."""
    before, ch = text[position - 1], text[position]
    if before == "\r" and ch == "\n":
        return True
    if before in "\r\n" or ch in "\r\n":
        return False
    if _extends(ch):
        return True
    if before == _ZWJ:
        return _pictographic(ch) and _pictograph_before(text, position - 1)
    if _REGIONAL[0] <= ch <= _REGIONAL[1]:
        return regional_run % 2 == 1
    return (_jamo(before), _jamo(ch)) in _JAMO_JOINS


def cluster_starts(text: str) -> list[int]:
    """The offset where each grapheme cluster of ``text`` starts, then ``len(text)``."""
    starts = [0] if text else []
    run = 1 if text and _REGIONAL[0] <= text[0] <= _REGIONAL[1] else 0
    for position in range(1, len(text)):
        ch = text[position]
        if not _joined(text, position, run):
            starts.append(position)
        run = run + 1 if _REGIONAL[0] <= ch <= _REGIONAL[1] else 0
    starts.append(len(text))
    return starts


def has_clusters(text: str) -> bool:
    """True when some cluster of ``text`` is more than one code point."""
    if max(text, default="\x00") < "\u0300":
        # below U+0300 (ASCII, Latin letters) only CR LF is a cluster of two: every other
        # joining rule needs a code point from there up (marks, joiners, Hangul, emoji,
        # regional indicators)
        return "\r\n" in text
    return len(cluster_starts(text)) - 1 != len(text)


def splits_cluster(starts: list[int], offset: int) -> bool:
    """True when ``offset`` falls inside a cluster (``starts`` from ``cluster_starts``)."""
    index = bisect_left(starts, offset)
    return index >= len(starts) or starts[index] != offset
