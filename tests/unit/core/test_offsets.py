"""Code point offsets versus Qt (UTF-16) positions, without Qt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.offsets import QtPositions, display_text

# astral characters are the interesting part: weight them heavily
_TEXTS = st.text(
    alphabet=st.one_of(
        st.sampled_from(["a", " ", "\n", "é", "\U0001f600", "\U0001f3fd", "\U00010348", "中"]),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=50,
)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_known_positions() -> None:
    text = "a\U0001f600b\U0001f44f\U0001f3fdc"
    positions = QtPositions.of(text)
    assert positions.length == 6
    assert positions.qt_length == 9
    assert [positions.to_qt(i) for i in range(7)] == [0, 1, 3, 4, 6, 8, 9]
    assert [positions.from_qt(q) for q in range(10)] == [0, 1, 1, 2, 3, 3, 4, 4, 5, 6]
    assert [positions.from_qt(q, round_up=True) for q in range(10)] == [
        0, 1, 2, 2, 3, 4, 4, 5, 5, 6
    ]  # fmt: skip


def test_bmp_only_text_is_identity() -> None:
    text = "Zoe\u0308 \u05e2\u05d1\u05e8\u05d9\u05ea \u4e2d\u6587\n\u2028"
    positions = QtPositions.of(text)
    assert positions.qt_length == len(text)
    assert all(positions.to_qt(i) == i == positions.from_qt(i) for i in range(len(text) + 1))


def test_empty_text() -> None:
    positions = QtPositions.of("")
    assert positions.qt_length == 0
    assert positions.to_qt(0) == 0
    assert positions.from_qt(0) == 0


@pytest.mark.parametrize("offset", [-1, 4])
def test_to_qt_refuses_offsets_outside_the_text(offset: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        QtPositions.of("ab\U0001f600").to_qt(offset)


@pytest.mark.parametrize("position", [-1, 5])
def test_from_qt_refuses_positions_outside_the_text(position: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        QtPositions.of("ab\U0001f600").from_qt(position)


@given(_TEXTS)
def test_to_qt_counts_utf16_code_units(text: str) -> None:
    positions = QtPositions.of(text)
    assert positions.length == len(text)
    assert positions.qt_length == utf16_length(text)
    for i in range(len(text) + 1):
        assert positions.to_qt(i) == utf16_length(text[:i])


@given(_TEXTS)
def test_from_qt_inverts_to_qt(text: str) -> None:
    positions = QtPositions.of(text)
    for i in range(len(text) + 1):
        qt = positions.to_qt(i)
        assert positions.from_qt(qt) == i
        assert positions.from_qt(qt, round_up=True) == i


@given(_TEXTS)
def test_positions_inside_a_surrogate_pair_snap(text: str) -> None:
    positions = QtPositions.of(text)
    boundaries = {positions.to_qt(i): i for i in range(len(text) + 1)}
    for qt in range(positions.qt_length + 1):
        if qt in boundaries:
            continue
        # only the middle of an astral character is not a boundary
        before = boundaries[qt - 1]
        assert ord(text[before]) > 0xFFFF
        assert positions.from_qt(qt) == before
        assert positions.from_qt(qt, round_up=True) == before + 1
    assert len(boundaries) == len(text) + 1


def test_display_text_replaces_a_leading_byte_order_mark() -> None:
    for mark in ("\ufeff", "\ufffe"):
        shown = display_text(mark + "News \U0001f600")
        assert shown == "\u2060News \U0001f600"
        assert len(shown) == len(mark) + 6
        assert utf16_length(shown) == utf16_length(mark + "News \U0001f600")


def test_display_text_keeps_other_text() -> None:
    for text in ("", "plain", "a\ufeffb", "\n\ufeff", " \ufffe", "\u2060x"):
        assert display_text(text) == text


@given(_TEXTS)
def test_display_text_keeps_lengths(text: str) -> None:
    shown = display_text(text)
    assert len(shown) == len(text)
    assert utf16_length(shown) == utf16_length(text)
    assert shown[1:] == text[1:]
    assert shown[:1] not in ("\ufeff", "\ufffe")
