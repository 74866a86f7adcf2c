"""Where a span's edge goes when it is nudged from the keyboard or dragged with the mouse.

Edges stay on word boundaries unless asked for single characters, and never split what a
reader sees as one character (a letter and its marks, an emoji sequence, a flag).
"""

from __future__ import annotations

from typing import Literal

from app.core.words import is_word_char, snap_to_characters

Edge = Literal["start", "end"]


def _kind(ch: str) -> str:
    if ch.isspace() or ch in ("\u2028", "\u2029"):
        return "space"
    return "word" if is_word_char(ch) else "punctuation"


def _outside_cluster(text: str, position: int, step: int) -> int:
    """``position``, or the next cluster boundary in the direction of ``step``."""
    low, high = snap_to_characters(text, position, position)
    return high if step > 0 else low


def _skip(text: str, position: int, step: int, kinds: tuple[str, ...]) -> int:
    """Move over a run of characters of one of ``kinds`` in the direction of ``step``."""
    if step > 0:
        while position < len(text) and _kind(text[position]) in kinds:
            position += 1
    else:
        while position > 0 and _kind(text[position - 1]) in kinds:
            position -= 1
    return position


def _token(text: str, position: int, step: int) -> int:
    """Move over one word (or one run of punctuation) in the direction of ``step``."""
    if step > 0 and position < len(text):
        return _skip(text, position, step, (_kind(text[position]),))
    if step < 0 and position > 0:
        return _skip(text, position, step, (_kind(text[position - 1]),))
    return position


def nudged(
    text: str, start: int, end: int, edge: Edge, step: int, *, by_word: bool = True
) -> tuple[int, int]:
    """``[start, end)`` with one edge moved one word (or one character) right (``step`` > 0)
    or left.

    A run of punctuation counts as a word, so a closing quotation mark can be taken in word by
    word; white space between words is crossed, and never left at the span's edge. A move
    that would empty the span or leave the text returns the span unchanged.
    """
    step = 1 if step > 0 else -1
    position = end if edge == "end" else start
    if not by_word:
        moved = position + step
        if not 0 <= moved <= len(text):
            return start, end
    else:
        outward = (step > 0) == (edge == "end")
        if outward:
            moved = _token(text, _skip(text, position, step, ("space",)), step)
        else:
            moved = _skip(text, _token(text, position, step), step, ("space",))
    moved = _outside_cluster(text, moved, step)
    if edge == "end":
        return (start, moved) if moved > start else (start, end)
    return (moved, end) if moved < end else (start, end)


def dragged(
    text: str, start: int, end: int, edge: Edge, gap: int, *, exact: bool = False
) -> tuple[int, int]:
    """``[start, end)`` with one edge dropped at ``gap`` (a position between characters).

    Unless ``exact``, the edge takes in the whole word the gap falls inside and leaves white
    space out. A drop that would empty the span returns it unchanged.
    """
    gap = max(0, min(gap, len(text)))
    inside_word = 0 < gap < len(text) and is_word_char(text[gap - 1]) and is_word_char(text[gap])
    if edge == "end":
        if not exact:
            if inside_word:
                gap = _skip(text, gap, 1, ("word",))
            while gap > start and _kind(text[gap - 1]) == "space":
                gap -= 1
        gap = _outside_cluster(text, gap, 1)
        return (start, gap) if gap > start else (start, end)
    if not exact:
        if inside_word:
            gap = _skip(text, gap, -1, ("word",))
        while gap < end and _kind(text[gap]) == "space":
            gap += 1
    gap = _outside_cluster(text, gap, -1)
    return (gap, end) if gap < end else (start, end)
