"""The diff of two versions of an article that re-anchoring maps spans through.

Sentences first, each compared without the white space after it (a paragraph split changes no
sentence), then the words of the stretches that changed, where only equal runs long enough to
mean something are kept. The result covers both texts with consecutive stretches, equal or
changed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

_MANY_SENTENCES = 2000
_REFINE_LIMIT = 4_000_000
"""Largest product of token counts a changed stretch is compared word by word within."""
_SENTENCE = re.compile(r"[^\n.!?…]*(?:[.!?…]+[\"'”’»)\]]*(?=\s|$)|[.!?…]+|\n|$)", re.DOTALL)
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Stretch:
    """A stretch of the old text ``[a, a + size)`` and where it is in the new one."""

    a: int
    b: int
    size: int
    equal: bool
    b_size: int


def diff_blocks(old: str, new: str) -> list[Stretch]:
    """The two texts as consecutive stretches, equal or changed, covering both entirely."""
    old_units, new_units = _sentences(old), _sentences(new)
    keys_a = [old[s:e].rstrip() for s, e in old_units]
    keys_b = [new[s:e].rstrip() for s, e in new_units]
    # a sentence repeated thousands of times (a page of "Advertisement.") would make the
    # matcher quadratic: past a few thousand sentences the most frequent ones are set aside
    many = max(len(keys_a), len(keys_b)) > _MANY_SENTENCES
    matcher = SequenceMatcher(None, keys_a, keys_b, autojunk=many)
    blocks: list[Stretch] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a1, a2 = _edges(old_units, i1, i2, len(old))
        b1, b2 = _edges(new_units, j1, j2, len(new))
        if tag != "equal":
            blocks.extend(_refined(old, new, a1, a2, b1, b2))
            continue
        for (sa, ea), (sb, eb) in zip(old_units[i1:i2], new_units[j1:j2], strict=True):
            core = len(old[sa:ea].rstrip())
            blocks.append(Stretch(sa, sb, core, True, core))
            if ea - sa > core or eb - sb > core:  # the white space after may differ
                space_a, space_b = old[sa + core : ea], new[sb + core : eb]
                same = space_a == space_b
                blocks.append(Stretch(sa + core, sb + core, len(space_a), same, len(space_b)))
    return blocks


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentences (and lines) with the white space that follows each, covering all the text."""
    units: list[tuple[int, int]] = []
    position = 0
    while position < len(text):
        match = _SENTENCE.match(text, position)
        end = match.end() if match else position
        while end < len(text) and text[end].isspace():
            end += 1
        end = max(end, position + 1)
        units.append((position, end))
        position = end
    return units


def _edges(units: Sequence[tuple[int, int]], i1: int, i2: int, length: int) -> tuple[int, int]:
    if i1 < i2:
        return units[i1][0], units[i2 - 1][1]
    at = units[i1][0] if i1 < len(units) else length
    return at, at


def _refined(old: str, new: str, a1: int, a2: int, b1: int, b2: int) -> list[Stretch]:
    """A changed stretch compared word by word: the equal runs long enough to trust."""
    tokens_a = [(m.start() + a1, m.group()) for m in _TOKEN.finditer(old, a1, a2)]
    tokens_b = [(m.start() + b1, m.group()) for m in _TOKEN.finditer(new, b1, b2)]
    if not tokens_a or not tokens_b or len(tokens_a) * len(tokens_b) > _REFINE_LIMIT:
        return [Stretch(a1, b1, a2 - a1, False, b2 - b1)]
    matcher = SequenceMatcher(
        None, [t for _, t in tokens_a], [t for _, t in tokens_b], autojunk=False
    )
    blocks: list[Stretch] = []
    a_at, b_at = a1, b1
    for i, j, size in matcher.get_matching_blocks():
        if size == 0:
            continue
        sa, sb = tokens_a[i][0], tokens_b[j][0]
        last_a, last_b = tokens_a[i + size - 1], tokens_b[j + size - 1]
        ea, eb = last_a[0] + len(last_a[1]), last_b[0] + len(last_b[1])
        if len(old[sa:ea].strip()) < 4 and size < 3:  # a lone "the" or comma proves nothing
            continue
        if sa > a_at or sb > b_at:
            blocks.append(Stretch(a_at, b_at, sa - a_at, False, sb - b_at))
        blocks.append(Stretch(sa, sb, ea - sa, True, ea - sa))
        a_at, b_at = ea, eb
    if a_at < a2 or b_at < b2:
        blocks.append(Stretch(a_at, b_at, a2 - a_at, False, b2 - b_at))
    return blocks
