"""Nudging and dragging a span's edges: whole words or characters, never a split cluster."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.boundaries import dragged, nudged
from tests.unit.core.test_words import CLAP, E_ACUTE, FAMILY, is_inside_cluster

TEXT = 'Khoury said: "Music does not ask for a passport," to applause.'


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def covered(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


@pytest.mark.parametrize(
    ("words", "edge", "step", "expected"),
    [
        ("Music does", "end", 1, "Music does not"),
        ("Music does", "end", -1, "Music"),
        ("Music does", "start", -1, '"Music does'),
        ('"Music does', "start", -1, ': "Music does'),  # punctuation runs are words too
        (': "Music does', "start", -1, 'said: "Music does'),
        ("Music does", "start", 1, "does"),
        ("passport", "end", 1, 'passport,"'),
        ('passport,"', "end", -1, "passport"),
        ("said", "end", 1, "said:"),
        ("Music", "end", -1, "Music"),  # one word left: it stays
        ("Music", "start", 1, "Music"),
        ("Khoury", "start", -1, "Khoury"),  # the text's edge: nothing to take in
        ("applause.", "end", 1, "applause."),
    ],
)
def test_nudge_by_word(words: str, edge: str, step: int, expected: str) -> None:
    span = span_of(TEXT, words)
    assert covered(TEXT, nudged(TEXT, *span, edge, step)) == expected  # type: ignore[arg-type]


def test_nudge_by_character_keeps_clusters_whole() -> None:
    text = f"hi {CLAP} caf{E_ACUTE}!"
    by_character = {"by_word": False}
    span = span_of(text, "hi")
    span = nudged(text, *span, "end", 1, **by_character)
    assert covered(text, span) == "hi "
    span = nudged(text, *span, "end", 1, **by_character)
    assert covered(text, span) == f"hi {CLAP}"  # the skin tone comes along
    assert covered(text, nudged(text, *span, "end", -1, **by_character)) == "hi "
    span = span_of(text, f"caf{E_ACUTE}")
    assert covered(text, nudged(text, *span, "end", -1, **by_character)) == "caf"
    assert covered(text, nudged(text, *span_of(text, "caf"), "end", 1, **by_character)) == (
        f"caf{E_ACUTE}"
    )
    assert covered(text, nudged(text, *span_of(text, "i"), "start", -1, **by_character)) == "hi"
    family = f"{FAMILY} x"
    assert (
        covered(family, nudged(family, len(FAMILY) + 1, len(family), "start", -1, **by_character))
        == " x"
    )
    assert (
        covered(family, nudged(family, len(FAMILY), len(family), "start", -1, **by_character))
        == family
    )


@pytest.mark.parametrize(
    ("gap_after", "edge", "exact", "expected"),
    [
        ("Music do", "end", False, "Music does"),
        ("Music do", "end", True, "Music do"),
        ("Music does ", "end", False, "Music does"),
        ("Music does not ask", "end", False, "Music does not ask"),
    ],
)
def test_drag_the_end(gap_after: str, edge: str, exact: bool, expected: str) -> None:
    start = TEXT.index("Music")
    gap = start + len(gap_after)
    span = span_of(TEXT, "Music")
    result = dragged(TEXT, *span, edge, gap, exact=exact)  # type: ignore[arg-type]
    assert covered(TEXT, result) == expected


def test_drag_the_start() -> None:
    span = span_of(TEXT, "does not")
    assert covered(TEXT, dragged(TEXT, *span, "start", TEXT.index("usic"))) == "Music does not"
    exact = dragged(TEXT, *span, "start", TEXT.index("usic"), exact=True)
    assert covered(TEXT, exact) == "usic does not"
    assert covered(TEXT, dragged(TEXT, *span, "start", TEXT.index(" does"))) == "does not"
    # past the other edge: the span stays as it was
    assert dragged(TEXT, *span, "start", TEXT.index("ask"), exact=True) == span
    assert dragged(TEXT, *span, "end", TEXT.index("Music")) == span


PIECES = st.sampled_from(
    ["a", "b", " ", ".", '"', "\n", CLAP, E_ACUTE, FAMILY, "\U0001f1eb\U0001f1f7"]
)


@st.composite
def text_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    text = "".join(draw(st.lists(PIECES, min_size=1, max_size=12)))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


@given(
    text_and_span(),
    st.sampled_from(["start", "end"]),
    st.sampled_from([1, -1]),
    st.booleans(),
)
def test_nudge_never_empties_leaves_or_splits(
    case: tuple[str, int, int], edge: str, step: int, by_word: bool
) -> None:
    text, start, end = case
    new_start, new_end = nudged(text, start, end, edge, step, by_word=by_word)  # type: ignore[arg-type]
    assert 0 <= new_start < new_end <= len(text)
    if (new_start, new_end) != (start, end):
        moved = new_end if edge == "end" else new_start
        assert not is_inside_cluster(text, moved)
        assert (new_start == start) if edge == "end" else (new_end == end)
        assert (moved - (end if edge == "end" else start)) * step > 0


@given(text_and_span(), st.sampled_from(["start", "end"]), st.integers(-2, 40), st.booleans())
def test_drag_never_empties_leaves_or_splits(
    case: tuple[str, int, int], edge: str, gap: int, exact: bool
) -> None:
    text, start, end = case
    new_start, new_end = dragged(text, start, end, edge, gap, exact=exact)  # type: ignore[arg-type]
    assert 0 <= new_start < new_end <= len(text)
    if (new_start, new_end) != (start, end):
        assert not is_inside_cluster(text, new_end if edge == "end" else new_start)
