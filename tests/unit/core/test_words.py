"""Snapping a selection to words or to whole characters, grapheme-safe."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.words import is_word_char, snap_to_characters, snap_to_words

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl
CLAP = "\U0001f44f\U0001f3fd"  # clapping hands, medium skin tone
E_ACUTE = "e\u0301"  # e + combining acute accent
ZWJ = "\u200d"


def is_inside_cluster(text: str, i: int) -> bool:
    """True when offset ``i`` falls inside a user-perceived character.

    Written apart from ``app.core.words``: a boundary is inside when the next character is a
    combining mark, variation selector, joiner or skin tone, or the previous one is a ZWJ.
    """
    if not 0 < i < len(text):
        return False
    after = text[i]
    attached = (
        unicodedata.category(after) in ("Mn", "Mc", "Me")
        or after in ("\u200d", "\ufe0e", "\ufe0f")
        or 0x1F3FB <= ord(after) <= 0x1F3FF
    )
    if attached or text[i - 1] == ZWJ:
        return True
    # regional indicators pair up into flags from the start of their run
    run = 0
    while i - run - 1 >= 0 and is_regional(text[i - run - 1]):
        run += 1
    return is_regional(after) and run % 2 == 1


def is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def clamp(text: str, a: int, b: int) -> tuple[int, int]:
    """The selection ``a..b`` in order and cut to the text."""
    return min(max(0, min(a, b)), len(text)), min(max(0, max(a, b)), len(text))


def covered(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]]


# -- snap_to_words: examples -------------------------------------------------------------


def test_widens_to_whole_words() -> None:
    text = "The quick brown fox"
    assert covered(text, snap_to_words(text, 5, 12)) == "quick brown"
    assert covered(text, snap_to_words(text, 4, 5)) == "quick"
    assert covered(text, snap_to_words(text, 18, 19)) == "fox"
    assert snap_to_words(text, 0, 2) == (0, 3)


def test_trims_white_space() -> None:
    text = "say  quick \t\n now"
    assert covered(text, snap_to_words(text, 3, 12)) == "quick"
    assert covered(text, snap_to_words(text, 4, 17)) == "quick \t\n now"
    text = "a\u2028b\u2029c\u00a0d"
    assert covered(text, snap_to_words(text, 1, 2)) == ""
    assert covered(text, snap_to_words(text, 5, 7)) == "d"


def test_only_white_space_selects_nothing() -> None:
    text = "one   two"
    start, end = snap_to_words(text, 3, 6)
    assert start == end
    assert 3 <= start <= 6


def test_reversed_and_out_of_range_selections() -> None:
    text = "alpha beta"
    assert snap_to_words(text, 8, 7) == (6, 10)
    assert snap_to_words(text, -5, 2) == (0, 5)
    assert snap_to_words(text, 7, 99) == (6, 10)
    assert snap_to_words("ab", 5, 7) == (2, 2)
    assert snap_to_characters("ab", 5, 7) == (2, 2)
    assert snap_to_characters("ab", -3, -1) == (0, 0)


def test_punctuation_stays_out_unless_selected() -> None:
    text = '"Hello," she said.'
    assert covered(text, snap_to_words(text, 2, 4)) == "Hello"
    assert covered(text, snap_to_words(text, 2, 7)) == "Hello,"
    assert covered(text, snap_to_words(text, 2, 9)) == 'Hello,"'
    assert covered(text, snap_to_words(text, 14, 18)) == "said."


def test_apostrophes_and_hyphens_split_words() -> None:
    text = "Saint-Aure\u0300le"
    assert covered(text, snap_to_words(text, 7, 8)) == "Aure\u0300le"


@pytest.mark.parametrize(("start", "end"), [(3, 4), (4, 5), (3, 5), (0, 4), (2, 4), (1, 5)])
def test_combining_mark_is_never_split(start: int, end: int) -> None:
    text = f"caf{E_ACUTE} noir"
    assert covered(text, snap_to_words(text, start, end)) == f"caf{E_ACUTE}"


@pytest.mark.parametrize("inside", range(len(FAMILY)))
def test_zwj_family_is_never_split(inside: int) -> None:
    text = f"Hi {FAMILY} there"
    start, end = snap_to_words(text, 3 + inside, 4 + inside)
    assert covered(text, (start, end)) == FAMILY


@pytest.mark.parametrize("inside", [0, 1])
def test_skin_tone_is_never_split(inside: int) -> None:
    text = f"Well done {CLAP}!"
    assert covered(text, snap_to_words(text, 10 + inside, 11 + inside)) == CLAP


def test_emoji_next_to_a_word_joins_it() -> None:
    # emoji are symbols (So): a word glued to one snaps with it, as a reader sees it
    text = f"great{CLAP} work"
    assert covered(text, snap_to_words(text, 1, 2)) == f"great{CLAP}"


def test_mark_after_punctuation_is_not_split() -> None:
    # a combining mark may follow punctuation (a keycap, an accented quote mark)
    keycap = "#\ufe0f\u20e3"
    text = f"press {keycap} now"
    assert covered(text, snap_to_words(text, 6, 7)) == keycap
    assert covered(text, snap_to_words(text, 8, 9)) == keycap
    text = "x !\u0301y"
    start, end = snap_to_words(text, 3, 5)
    assert not is_inside_cluster(text, start)
    assert covered(text, (start, end)) == "!\u0301y"


def test_word_chars() -> None:
    assert all(is_word_char(ch) for ch in "aZ9_\u0301\u05d0\u4e2d\U0001f600\u200d\ufe0f")
    assert not any(is_word_char(ch) for ch in " \t\n.,;:!?\"'()-\u2028\u00a0")


# -- snap_to_characters ------------------------------------------------------------------


def test_snap_to_characters_keeps_a_clean_selection() -> None:
    text = "Zoe\u0308 went"
    assert snap_to_characters(text, 1, 3) == (1, 4)
    assert snap_to_characters(text, 5, 7) == (5, 7)
    assert snap_to_characters(text, 7, 5) == (5, 7)


@pytest.mark.parametrize("cut", range(1, len(FAMILY)))
def test_snap_to_characters_keeps_zwj_sequences_whole(cut: int) -> None:
    text = f"a{FAMILY}b"
    assert snap_to_characters(text, 0, 1 + cut) == (0, 1 + len(FAMILY))
    assert snap_to_characters(text, 1 + cut, len(text)) == (1, len(text))


def test_snap_to_characters_keeps_skin_tones_whole() -> None:
    text = f"a{CLAP}b"
    assert snap_to_characters(text, 0, 2) == (0, 3)
    assert snap_to_characters(text, 2, 4) == (1, 4)


def test_snap_to_characters_keeps_a_toned_member_of_a_zwj_sequence() -> None:
    # woman, skin tone, ZWJ, rocket: ending after the ZWJ must take the rocket
    astronaut = "\U0001f469\U0001f3fd\u200d\U0001f680"
    couple = f"\U0001f469{ZWJ}\U0001f91d{ZWJ}\U0001f468\U0001f3fb"
    for sequence in (astronaut, couple):
        text = f"<{sequence}>"
        for cut in range(2, len(sequence) + 1):
            start, end = snap_to_characters(text, 1, cut)
            assert (start, end) == (1, 1 + len(sequence)), (sequence, cut)
            start, end = snap_to_characters(text, cut, len(text))
            assert not is_inside_cluster(text, start), (sequence, cut)


def test_snap_to_characters_keeps_flags_whole() -> None:
    # a flag is a pair of regional indicators; a run of them pairs up from its start
    ukraine, france = "\U0001f1fa\U0001f1e6", "\U0001f1eb\U0001f1f7"
    text = f"x{ukraine}{france}y"
    assert snap_to_characters(text, 0, 2) == (0, 3)
    assert snap_to_characters(text, 2, 4) == (1, 5)
    assert snap_to_characters(text, 3, 4) == (3, 5)
    assert snap_to_characters(text, 4, 6) == (3, 6)
    assert snap_to_characters(text, 1, 3) == (1, 3)


# -- properties --------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "word",
        "e",
        "\u0301",
        "\u0308",
        " ",
        "  ",
        "\n",
        "\t",
        ".",
        ",",
        "!",
        '"',
        "-",
        ZWJ,
        "\ufe0f",
        "\U0001f3fd",
        FAMILY,
        CLAP,
        "\U0001f600",
        "\u2764\ufe0f",
        "\U0001f1fa",
        "\U0001f1fa\U0001f1e6",
        "\u05e9\u05dc\u05d5\u05dd",
        "\u0645\u0631\u062d\u0628\u0627",
        "\u4e2d\u6587",
        "\u2028",
        "\u00a0",
    ]
)
_TEXTS = st.lists(st.one_of(_PIECES, st.characters(exclude_categories=("Cs",))), max_size=25).map(
    "".join
)


@st.composite
def _selections(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(_TEXTS)
    a = draw(st.integers(-2, len(text) + 2))
    b = draw(st.integers(-2, len(text) + 2))
    return text, a, b


@given(_selections())
def test_snap_to_words_properties(selection: tuple[str, int, int]) -> None:
    text, a, b = selection
    start, end = snap_to_words(text, a, b)
    assert 0 <= start <= end <= len(text)
    if start == end:
        return
    assert not is_inside_cluster(text, start)
    assert not is_inside_cluster(text, end)
    assert covered(text, (start, end)).strip() != ""
    # every visible character that was selected stays selected
    low, high = clamp(text, a, b)
    for i in range(low, high):
        if not (text[i].isspace() or text[i] in "\u2028\u2029"):
            assert start <= i < end
    # snapping again never loses what the first snap selected
    again = snap_to_words(text, start, end)
    assert again[0] <= start and end <= again[1]


@given(_selections())
def test_snap_to_characters_properties(selection: tuple[str, int, int]) -> None:
    text, a, b = selection
    start, end = snap_to_characters(text, a, b)
    low, high = clamp(text, a, b)
    assert 0 <= start <= low <= high <= end <= len(text)
    assert not is_inside_cluster(text, start)
    assert not is_inside_cluster(text, end)
    assert snap_to_characters(text, start, end) == (start, end)
