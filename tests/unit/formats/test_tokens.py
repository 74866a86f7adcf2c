"""Tokens: the regular expression tokenizer, the spaCy one, and the flat span layer.

The text and span strategies at the top are shared by the other format tests.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.records import SpanRecord
from app.formats import tokens as tokens_module
from app.formats.report import DropReason
from app.formats.tokens import (
    REGEX_TOKENIZER,
    Token,
    TokenBounds,
    Tokenization,
    flat_layer,
    regex_tokenization,
    regex_tokens,
    spacy_tokenization,
    tokenize,
)

HAS_SPACY = importlib.util.find_spec("spacy") is not None
LABELS = ("PERSON", "ORG", "QUOTE", "CLAIM")
tokenize("Load spaCy once, here, rather than inside a strategy (it touches random).")

# -- strategies shared with the other format tests -----------------------------------------

WORDS = (
    "The", "Lindqvist", "said", "ferry", "don't", "ministry’s", "3,200", "4.5", "52",
    "Zoe\u0308", "e\u0301", "caf\u00e9", "👨‍👩‍👧", "👍🏽", "🇺🇸", "🚢🎉", "海洋技研", "Kaijō",
    "יוסף", "כהן", "مريم", "حداد", ".", ",", "!", "?", "“", "”", "(", ")", "-", "…",
)  # fmt: skip
SEPARATORS = (" ", " ", " ", "  ", "\n", "\n\n", " \n", "\u00a0", "\t", "")


@st.composite
def article_texts(draw: st.DrawFn) -> str:
    """Texts mixing ASCII, emoji, combining marks, CJK, Hebrew, Arabic and line breaks."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
    separators = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words) + 1))
    lead = separators[0] if draw(st.booleans()) else ""
    return lead + "".join(w + s for w, s in zip(words, separators[1:], strict=False))


def spans_from(
    pairs: list[tuple[int, int]], labels: list[str], text: str
) -> tuple[SpanRecord, ...]:
    """Span records over ``(start, end)`` pairs, labelled in turn."""
    return tuple(
        SpanRecord(str(i), s, e, labels[i % len(labels)], text[s:e])
        for i, (s, e) in enumerate(pairs, start=1)
    )


@st.composite
def text_with_token_spans(
    draw: st.DrawFn, tokenizer: Callable[[str], Tokenization] = tokenize
) -> tuple[str, tuple[SpanRecord, ...]]:
    """A text and spans that start and end on its tokens (nested and overlapping ones too)."""
    text = draw(article_texts())
    tokens = tokenizer(text).tokens
    if not tokens:
        return text, ()
    index = st.integers(0, len(tokens) - 1)
    pairs = draw(st.lists(st.tuples(index, index), max_size=8))
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=4))
    spans = [(tokens[min(a, b)][0], tokens[max(a, b)][1]) for a, b in pairs]
    return text, spans_from(spans, labels, text)


@st.composite
def text_with_any_spans(draw: st.DrawFn) -> tuple[str, tuple[SpanRecord, ...]]:
    """A text and spans at arbitrary code point offsets."""
    text = draw(article_texts())
    offset = st.integers(0, len(text))
    pairs = draw(st.lists(st.tuples(offset, offset).filter(lambda p: p[0] != p[1]), max_size=8))
    labels = draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=4))
    return text, spans_from([(min(p), max(p)) for p in pairs], labels, text)


# -- token invariants ----------------------------------------------------------------------


def check_tokens(text: str, tokens: tuple[Token, ...] | list[Token]) -> None:
    """In order, apart, non-empty, no white space, every other character covered."""
    position = 0
    covered: set[int] = set()
    for start, end in tokens:
        assert position <= start < end <= len(text)
        assert not any(ch.isspace() for ch in text[start:end]), (text, text[start:end])
        covered.update(range(start, end))
        position = end
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and i not in covered]
    assert not missing, [text[i] for i in missing]


ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=50, deadline=None)
@given(st.one_of(article_texts(), ANY_TEXT))
def test_regex_tokens_cover_the_text(text: str) -> None:
    check_tokens(text, regex_tokens(text))


@pytest.mark.skipif(not HAS_SPACY, reason="spaCy is not installed")
@settings(max_examples=50, deadline=None)
@given(st.one_of(article_texts(), ANY_TEXT))
def test_spacy_tokens_cover_the_text(text: str) -> None:
    check_tokens(text, tokenize(text).tokens)


@settings(max_examples=50, deadline=None)
@given(st.one_of(article_texts(), ANY_TEXT))
def test_no_token_boundary_splits_a_visible_character(text: str) -> None:
    for tokens in (regex_tokens(text), list(tokenize(text).tokens)):
        for (_, end), (start, _) in pairwise(tokens):
            if end == start:
                assert text[start] not in "\u200d\u0301\u0308\ufe0f\U0001f3fd", text
                assert text[end - 1] != "\u200d"


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in regex_tokens(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3,200 people, 4.5 metres.", ["3,200", "people", ",", "4.5", "metres", "."]),
        ("don't stop O'Brien’s", ["don't", "stop", "O'Brien’s"]),
        ("Zoe\u0308 e\u0301\u0301!", ["Zoe\u0308", "e\u0301\u0301", "!"]),
        ("a 👨‍👩‍👧 b 👍🏽🚢", ["a", "👨‍👩‍👧", "b", "👍🏽", "🚢"]),
        ("🇺🇸🇬🇧 #️⃣", ["🇺🇸", "🇬🇧", "#️⃣"]),
        ("“Quote”—(x)...", ["“", "Quote", "”", "—", "(", "x", ")", ".", ".", "."]),
        (
            "יוסף כהן, مريم حداد (海洋技研)",
            ["יוסף", "כהן", ",", "مريم", "حداد", "(", "海洋技研", ")"],
        ),
        ("3\u00a0200\u202fm\n\nx", ["3", "200", "m", "x"]),
        ("  \n\t ", []),
    ],
)
def test_regex_tokenizer_examples(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_tokenize_names_its_tokenizer() -> None:
    result = tokenize("Hello, world")
    if HAS_SPACY:
        assert result.tokenizer.startswith("spaCy ")
    else:
        assert result.tokenizer == REGEX_TOKENIZER
    assert regex_tokenization("Hello").tokenizer == REGEX_TOKENIZER


def test_tokenize_falls_back_to_the_regex_without_spacy(monkeypatch: pytest.MonkeyPatch) -> None:
    def forget() -> None:
        tokens_module.spacy_blank.cache_clear()
        tokens_module._spacy_tokenizer.cache_clear()

    forget()
    try:
        with monkeypatch.context() as patch:
            patch.setitem(sys.modules, "spacy", None)  # "import spacy" raises ImportError
            result = tokenize("It's 4.5 metres 🚢")
            with pytest.raises(ImportError):
                spacy_tokenization("x")
    finally:
        forget()
        tokenize("Load spaCy again now, not inside a later strategy.")
    assert result.tokenizer == REGEX_TOKENIZER
    assert list(result.tokens) == regex_tokens("It's 4.5 metres 🚢")


def test_token_bounds_align_only_on_token_edges() -> None:
    bounds = TokenBounds([(0, 3), (4, 9), (9, 10)])
    assert bounds.token_range(0, 9) == (0, 2)
    assert bounds.token_range(4, 10) == (1, 3)
    assert bounds.token_range(1, 9) is None
    assert bounds.token_range(0, 5) is None


# -- the flat layer ------------------------------------------------------------------------


def span(id_: str, start: int, end: int, label: str = "X") -> SpanRecord:
    return SpanRecord(id_, start, end, label, "")


def test_flat_layer_keeps_outermost_longest_and_names_reasons() -> None:
    spans = [
        span("quote", 0, 50, "QUOTE"),
        span("person", 5, 10, "PERSON"),  # inside the quote
        span("twin", 0, 50, "CLAIM"),  # same extent as the quote, listed later
        span("cross", 45, 60, "ORG"),  # crosses the quote's end
        span("after", 60, 70, "LOC"),
    ]
    kept, dropped = flat_layer(spans)
    assert [s.id for s in kept] == ["quote", "after"]
    assert {s.id: reason for s, reason in dropped} == {
        "person": DropReason.NESTED,
        "twin": DropReason.SAME_EXTENT,
        "cross": DropReason.OVERLAPPING,
    }


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 10)), max_size=12))
def test_flat_layer_is_maximal_and_non_overlapping(pairs: list[tuple[int, int]]) -> None:
    spans = [span(str(i), s, s + n) for i, (s, n) in enumerate(pairs)]
    kept, dropped = flat_layer(spans)
    assert len(kept) + len(dropped) == len(spans)
    for a, b in pairwise(kept):
        assert a.end <= b.start
    for s, reason in dropped:
        blockers = [k for k in kept if k.start < s.end and s.start < k.end]
        assert blockers, "a dropped span must overlap a kept one"
        if reason is DropReason.NESTED:
            assert any(k.start <= s.start and s.end <= k.end for k in blockers)
        # what pushed a span out was at least as long as the span
        assert any(k.end - k.start >= s.end - s.start for k in blockers)
