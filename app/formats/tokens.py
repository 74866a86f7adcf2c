"""Tokens of a canonical text, and the flat layer of spans that token formats can hold.

A token is a ``(start, end)`` pair of code point offsets into the canonical text. Tokens come
in text order, never overlap, are never empty, never contain white space (``str.isspace``)
and together cover every character that is not white space.

Two tokenizers produce them:

- spaCy's rule-based tokenizer of ``spacy.blank(lang)``, used when spaCy is installed, so a
  dataset is cut the way a spaCy pipeline trained on it will cut new text. Its white-space
  tokens are left out.
- Otherwise the regular expression below. At each position it takes the first of:

  1. an emoji: a keycap (``#️⃣``), a flag (two regional indicators), or a pictograph with its
     modifiers (skin tones, variation selectors, tag characters) and any further pictographs
     joined to it by ZERO WIDTH JOINER (``👨‍👩‍👧`` is one token);
  2. a number with inner separators: ``3,200``, ``4.5``, ``1.000.000``;
  3. a word: letters, digits, underscores and combining marks, with apostrophes
     (``'`` and ``’``) and zero-width (non-)joiners allowed between them: ``don't``,
     ``ministry’s``, ``Zoe\u0308``;
  4. any other single character that is not white space (each punctuation mark is its own
     token), with the combining marks that follow it.

Whichever tokenizer ran, a token boundary is never placed inside a character sequence that
reads as one character: before a combining mark, variation selector, skin tone or tag
character, on either side of a ZERO WIDTH JOINER, or between the two halves of a flag.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right, insort
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.core.records import SpanRecord
from app.formats.report import DropReason

Token = tuple[int, int]
"""``(start, end)`` code point offsets of one token."""

REGEX_TOKENIZER = "Glossa regular expression tokenizer"

_ZWJ = "\u200d"
_NON_SPACE = re.compile(r"\S+")
_REGIONAL = ("\U0001f1e6", "\U0001f1ff")
_TONES = ("\U0001f3fb", "\U0001f3ff")
_TAGS = ("\U000e0020", "\U000e007f")
_EMOJI_BLOCKS = (0x1F000, 0x1FAFF)
"""Blocks where a code point unassigned in this Python's Unicode data is a newer emoji."""


@dataclass(frozen=True)
class Tokenization:
    """The tokens of one text and the name of the tokenizer that produced them."""

    tokenizer: str
    tokens: tuple[Token, ...]


Tokenizer = Callable[[str], Tokenization]


def _ranges(codepoints: Iterable[int]) -> str:
    """A regular expression class body for ascending code points, as escaped ranges."""
    parts: list[str] = []
    run_start = run_end = -2
    for cp in codepoints:
        if cp == run_end + 1:
            run_end = cp
            continue
        if run_start >= 0:
            parts.append(f"\\U{run_start:08x}-\\U{run_end:08x}")
        run_start = run_end = cp
    if run_start >= 0:
        parts.append(f"\\U{run_start:08x}-\\U{run_end:08x}")
    return "".join(parts)


def _scan() -> Iterable[int]:
    # combining marks and symbols live in planes 0 and 1, and variation selectors in plane 14
    yield from range(0x20000)
    yield from range(0xE0000, 0xE1000)


@cache
def _pattern() -> re.Pattern[str]:
    """Build the tokenizer's expression once, from this Python's Unicode database."""
    marks, pictographs = [], []
    for cp in _scan():
        category = unicodedata.category(chr(cp))
        if category[0] == "M":
            marks.append(cp)
        elif category == "So" or (category == "Cn" and _EMOJI_BLOCKS[0] <= cp <= _EMOJI_BLOCKS[1]):
            pictographs.append(cp)
    mark = _ranges(marks)
    regional = f"[{_REGIONAL[0]}-{_REGIONAL[1]}]"
    modifier = f"[{mark}{_TONES[0]}-{_TONES[1]}{_TAGS[0]}-{_TAGS[1]}]"
    pictograph = f"[{_ranges(pictographs)}{_TONES[0]}-{_TONES[1]}]"
    word_char = rf"[\w{mark}]"
    return re.compile(
        "|".join(
            (
                r"[#*0-9]\ufe0f?\u20e3",
                f"{regional}{regional}",
                f"{pictograph}{modifier}*(?:{_ZWJ}{pictograph}{modifier}*)*",
                rf"\d+(?:[.,]\d+)+[{mark}]*",
                f"{word_char}+(?:['’\u200c{_ZWJ}]{word_char}+)*",
                rf"\S[{mark}]*",
            )
        )
    )


def _attached(ch: str) -> bool:
    """True for a character that belongs to the one before it."""
    return (
        ch == _ZWJ
        or unicodedata.category(ch)[0] == "M"
        or _TONES[0] <= ch <= _TONES[1]
        or _TAGS[0] <= ch <= _TAGS[1]
    )


def _inside_cluster(text: str, position: int) -> bool:
    """True when a boundary at ``position`` would split one visible character."""
    if _attached(text[position]) or text[position - 1] == _ZWJ:
        return True
    if not (_REGIONAL[0] <= text[position] <= _REGIONAL[1]):
        return False
    run = 0
    while position - run > 0 and _REGIONAL[0] <= text[position - run - 1] <= _REGIONAL[1]:
        run += 1
    return run % 2 == 1


def _keep_clusters(text: str, tokens: Iterable[Token]) -> list[Token]:
    """Join touching tokens whose boundary would split one visible character."""
    joined: list[Token] = []
    for start, end in tokens:
        if joined and joined[-1][1] == start and _inside_cluster(text, start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def regex_tokens(text: str) -> list[Token]:
    """Tokenize ``text`` with Glossa's regular expression (see the module docstring)."""
    return _keep_clusters(text, (m.span() for m in _pattern().finditer(text)))


def regex_tokenization(text: str) -> Tokenization:
    """``regex_tokens`` with the tokenizer's name, whether or not spaCy is installed."""
    return Tokenization(REGEX_TOKENIZER, tuple(regex_tokens(text)))


@cache
def spacy_blank(lang: str = "en") -> Any:
    """``spacy.blank(lang)``, made once per language; raises ``ImportError`` without spaCy."""
    import spacy  # optional: imported only when spaCy is asked for

    return spacy.blank(lang)


@cache
def _spacy_tokenizer(lang: str) -> tuple[Any, str] | None:
    """spaCy's tokenizer for ``lang`` and its name, or None without spaCy (tried once)."""
    try:
        nlp = spacy_blank(lang)
    except ImportError:
        return None
    import spacy

    return nlp.tokenizer, f"spaCy {spacy.about.__version__} blank('{lang}') tokenizer"


def spacy_tokenization(text: str, lang: str = "en") -> Tokenization:
    """Tokenize with ``spacy.blank(lang)``; raises ``ImportError`` without spaCy.

    spaCy's character offsets are code points, as ours are. White-space tokens are left out
    and any white space inside a token splits it.
    """
    found = _spacy_tokenizer(lang)
    if found is None:
        raise ImportError("spaCy is not installed")
    tokenizer, name = found
    pieces = (
        (token.idx + m.start(), token.idx + m.end())
        for token in tokenizer(text)
        for m in _NON_SPACE.finditer(token.text)
    )
    return Tokenization(name, tuple(_keep_clusters(text, pieces)))


def tokenize(text: str, lang: str = "en") -> Tokenization:
    """Tokenize with spaCy's ``blank(lang)`` tokenizer when spaCy is installed, else the regex.

    The result names the tokenizer that ran, so an export can say how it was cut.
    """
    if _spacy_tokenizer(lang) is None:
        return regex_tokenization(text)
    return spacy_tokenization(text, lang)


class TokenBounds:
    """Which token starts or ends at a code point offset, for aligning spans to tokens."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self._starts = {start: i for i, (start, _) in enumerate(tokens)}
        self._ends = {end: i for i, (_, end) in enumerate(tokens)}

    def token_range(self, start: int, end: int) -> tuple[int, int] | None:
        """``(first, last + 1)`` token indices of ``[start, end)``, or None if not aligned."""
        first, last = self._starts.get(start), self._ends.get(end)
        if first is None or last is None or last < first:
            return None
        return first, last + 1


def flat_layer(
    spans: Iterable[SpanRecord],
) -> tuple[list[SpanRecord], list[tuple[SpanRecord, DropReason]]]:
    """Split spans into one non-overlapping layer and the spans it leaves out.

    The layer is chosen outermost-longest first: spans are taken longest first (on a tie, the
    one starting earlier, then the one listed first), and a span is kept when it overlaps no
    span kept before it.
    A span left out is *nested* when a kept span contains it, *same extent* when a kept span
    has its exact offsets, and *overlapping* otherwise. The kept spans come back in text order.
    """
    order = sorted(spans, key=lambda s: (s.start - s.end, s.start))  # stable: ties keep order
    starts: list[int] = []
    ends: list[int] = []
    kept: list[SpanRecord] = []
    dropped: list[tuple[SpanRecord, DropReason]] = []
    for span in order:
        # kept spans never overlap, so only the one starting at or before span.start and the
        # ones starting inside the span can touch it
        i = bisect_right(starts, span.start) - 1
        if i >= 0 and ends[i] > span.start:
            if (starts[i], ends[i]) == (span.start, span.end):
                dropped.append((span, DropReason.SAME_EXTENT))
            elif ends[i] >= span.end:
                dropped.append((span, DropReason.NESTED))
            else:
                dropped.append((span, DropReason.OVERLAPPING))
            continue
        if i + 1 < len(starts) and starts[i + 1] < span.end:
            dropped.append((span, DropReason.OVERLAPPING))
            continue
        insort(starts, span.start)
        ends.insert(bisect_right(starts, span.start) - 1, span.end)
        kept.append(span)
    kept.sort(key=lambda s: (s.start, s.end))
    return kept, dropped
