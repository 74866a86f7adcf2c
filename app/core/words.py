"""Word boundaries for snapping a selection, grapheme-safe for emoji and combining marks."""

from __future__ import annotations

import unicodedata

_JOINERS = {"\u200d", "\u200c", "\u2060", "\ufe0e", "\ufe0f"}


def is_word_char(ch: str) -> bool:
    """True for letters, digits, combining marks, connectors, symbols (emoji) and joiners."""
    if ch in _JOINERS:
        return True
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category in ("Pc", "So", "Sk")


def _is_space(ch: str) -> bool:
    return ch.isspace() or ch in ("\u2028", "\u2029")


def _is_attached(ch: str) -> bool:
    """Characters that belong to the character before them (never start a selection)."""
    return (
        ch in _JOINERS or unicodedata.category(ch)[0] == "M" or "\U0001f3fb" <= ch <= "\U0001f3ff"
    )


def _is_regional(ch: str) -> bool:
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def _is_inside_cluster(text: str, offset: int) -> bool:
    """True when ``offset`` would split what a reader sees as one character.

    That is a character and its marks, modifiers or ZWJ partner, or the two regional
    indicators of a flag (they pair up from the start of their run).
    """
    if not 0 < offset < len(text):
        return False
    if _is_attached(text[offset]) or text[offset - 1] == "\u200d":
        return True
    if not (_is_regional(text[offset]) and _is_regional(text[offset - 1])):
        return False
    run = 1
    while offset - run - 1 >= 0 and _is_regional(text[offset - run - 1]):
        run += 1
    return run % 2 == 1


def _clamped(text: str, start: int, end: int) -> tuple[int, int]:
    """``start <= end``, both within ``0..len(text)``."""
    low, high = min(start, end), max(start, end)
    return min(max(0, low), len(text)), min(max(0, high), len(text))


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words and trim surrounding white space.

    A selection that starts or ends inside a word grows to cover that word; one that starts or
    ends on white space shrinks past it. Combining marks and emoji sequences are never split.
    Returns ``(start, start)`` when nothing but white space was selected.
    """
    start, end = _clamped(text, start, end)
    while start < end and _is_space(text[start]):
        start += 1
    while end > start and _is_space(text[end - 1]):
        end -= 1
    if start == end:
        return start, start
    if is_word_char(text[start]):
        while start > 0 and is_word_char(text[start - 1]):
            start -= 1
    if is_word_char(text[end - 1]):
        while end < len(text) and is_word_char(text[end]):
            end += 1
    # a mark may sit on a character that is not a word character (a keycap "#\ufe0f\u20e3")
    return snap_to_characters(text, start, end)


def snap_to_characters(text: str, start: int, end: int) -> tuple[int, int]:
    """Keep ``[start, end)`` as chosen but never split a combining sequence or emoji sequence."""
    start, end = _clamped(text, start, end)
    while _is_inside_cluster(text, start):
        start -= 1
    while _is_inside_cluster(text, end):
        end += 1
    return start, end
