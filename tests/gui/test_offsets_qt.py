"""The offsets contract against a real Qt text document (DESIGN.md section 3).

Spans are stored in code points of the canonical text; Qt counts UTF-16 code units. These
tests hand generated texts to ``QTextDocument`` and ``QPlainTextEdit`` exactly as the article
view does (``display_text`` then ``setPlainText``), select through ``QtPositions`` and check
that what comes back names the same characters of the canonical text.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from app.core.offsets import QtPositions, display_text

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
PIECES = [
    "The minister said",
    " ",
    "\t",
    "\n",
    "\n\n",
    "\u2028",  # LINE SEPARATOR: stays inside the block
    "\u2029",  # PARAGRAPH SEPARATOR: a block separator, like \n
    "\u00a0",
    "\U0001f600",
    FAMILY,
    "\U0001f44f\U0001f3fd",  # skin tone modifier
    "\U0001f469\U0001f3fd\u200d\U0001f680",  # toned member of a ZWJ sequence
    "\u2764\ufe0f",
    "\U0001f1fa\U0001f1e6",  # a flag: two regional indicators
    "e\u0301",
    "Zoe\u0308",
    "\u0915\u094d\u0937",  # Devanagari conjunct
    "\u4e2d\u6587\u65b0\u95fb",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0627\u0644\u0633\u0644\u0627\u0645",
    "\U00020000",  # CJK extension B: astral, not an emoji
    "\U0001d400",
    "\ufeff",  # kept by Qt unless leading (display_text guards that)
    "\ufffe",
]
# canonical text: no \r (turned into \n at import), no lone surrogates (refused at import)
TEXTS = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.characters(exclude_categories=("Cs",), exclude_characters="\r"),
    ),
    min_size=1,
    max_size=30,
).map("".join)
QT_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Qt's own frame markers inside a QTextDocument; in plain text they act as block separators
FRAME_MARKS = ("\ufdd0", "\ufdd1")


@st.composite
def texts_with_selection(draw: st.DrawFn) -> tuple[str, int, int, bool]:
    text = draw(TEXTS)
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, len(text)))
    return text, a, b, draw(st.booleans())


def as_selected_text(text: str) -> str:
    """What ``selectedText()`` returns for canonical ``text``: block separators as U+2029."""
    for separator in ("\n", *FRAME_MARKS):
        text = text.replace(separator, "\u2029")
    return text


def load(text: str) -> QTextDocument:
    document = QTextDocument()
    document.setPlainText(display_text(text))
    return document


@pytest.fixture(scope="module")
def editor(qapp: QApplication) -> Iterator[QPlainTextEdit]:
    widget = QPlainTextEdit()
    widget.setReadOnly(True)
    yield widget
    widget.deleteLater()


@QT_SETTINGS
@given(selection=texts_with_selection())
def test_selection_round_trips_through_qt(
    editor: QPlainTextEdit, selection: tuple[str, int, int, bool]
) -> None:
    text, a, b, backwards = selection
    positions = QtPositions.of(text)
    editor.setPlainText(display_text(text))
    document = editor.document()
    # Qt and our table agree on the length of every text
    assert document.characterCount() - 1 == positions.qt_length

    anchor, position = positions.to_qt(a), positions.to_qt(b)
    if backwards:
        anchor, position = position, anchor
    cursor = QTextCursor(document)
    cursor.setPosition(anchor)
    cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)

    chosen = editor.textCursor()
    start = positions.from_qt(chosen.selectionStart())
    end = positions.from_qt(chosen.selectionEnd(), round_up=True)
    assert (start, end) == (a, b)
    # the stored span text is always a slice of the canonical text, never the widget's text
    assert text[start:end] == text[a:b]

    # What the widget shows is display_text(text): a leading U+FEFF/U+FFFE became U+2060.
    shown = display_text(text)[a:b]
    # selectedText() gives every block separator as U+2029 and keeps U+2028 and U+00A0, so
    # after turning the separators back into "\n" it is the slice itself
    assert chosen.selectedText() == as_selected_text(shown)
    if not any(ch in shown for ch in ("\u2029", *FRAME_MARKS)):
        assert chosen.selectedText().replace("\u2029", "\n") == shown
    # The selection as plain text (what copy and paste give) turns U+00A0 into a space and
    # U+2028/U+2029 into "\n": comparable only when the slice holds none of them.
    if not any(ch in shown for ch in ("\u00a0", "\u2028", "\u2029", *FRAME_MARKS)):
        assert chosen.selection().toPlainText() == shown


@QT_SETTINGS
@given(text=TEXTS)
# Qt's cursor can stop inside a surrogate pair: seen here after a Devanagari letter followed
# by an astral character the fonts lack (stops 0, 1, 2, 3 for "\u0915\U00014647").
@example(text="\u0915\U00014647")
@example(text="\u0915\u094d\u0937\U00014647 x")
def test_qt_length_and_cursor_stops_agree_with_the_table(qapp: QApplication, text: str) -> None:
    positions = QtPositions.of(text)
    document = load(text)
    assert document.characterCount() - 1 == positions.qt_length
    assert len(display_text(text)) == len(text)
    cursor = QTextCursor(document)
    stops = [0]
    while cursor.movePosition(QTextCursor.MoveOperation.NextCharacter):
        stops.append(cursor.position())
    assert stops == sorted(set(stops))
    assert stops[-1] == positions.qt_length
    # wherever Qt's cursor stops, snapping gives the code point boundaries around it
    for stop in stops:
        down, up = positions.from_qt(stop), positions.from_qt(stop, round_up=True)
        assert positions.to_qt(down) <= stop <= positions.to_qt(up)
        if down != up:  # only in the middle of an astral character
            assert up == down + 1
            assert ord(text[down]) > 0xFFFF
            assert positions.to_qt(down) == stop - 1


def test_known_text_positions(qapp: QApplication) -> None:
    text = f"Hi {FAMILY}\nZoe\u0308 \U0001f44f\U0001f3fd said\u2028so"
    positions = QtPositions.of(text)
    document = load(text)
    assert positions.qt_length == len(text) + 5  # five astral characters
    assert document.characterCount() - 1 == positions.qt_length
    assert document.blockCount() == 2  # "\n" separates blocks, U+2028 does not
    start = text.index("Zoe")
    cursor = QTextCursor(document)
    cursor.setPosition(positions.to_qt(start))
    cursor.setPosition(positions.to_qt(start + 4), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "Zoe\u0308"
    assert positions.from_qt(cursor.selectionStart()) == start
    assert cursor.selectionStart() == start + 3  # the man, woman and girl take two each


@pytest.mark.parametrize("mark", ["\ufeff", "\ufffe"])
@pytest.mark.parametrize("tail", ["Headline \u05e9\nbody", "Headline \U0001f600\nbody"])
def test_leading_byte_order_mark_needs_display_text(
    qapp: QApplication, mark: str, tail: str
) -> None:
    text = mark + tail
    positions = QtPositions.of(text)

    guarded = load(text)
    assert guarded.characterCount() - 1 == positions.qt_length
    assert guarded.toPlainText() == "\u2060" + tail
    cursor = QTextCursor(guarded)
    a, b = text.index("Headline"), len(text)
    cursor.setPosition(positions.to_qt(a))
    cursor.setPosition(positions.to_qt(b), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == as_selected_text(text[a:b])
    assert positions.from_qt(cursor.selectionStart()) == a

    # The trap, in PySide's conversion of str to QString (so in every Qt call taking text):
    # handed over as it is, the text no longer matches the stored offsets.
    raw = QTextDocument()
    raw.setPlainText(text)
    if mark == "\ufeff":
        # the mark is dropped: every Qt position is one less than the table says
        assert raw.characterCount() - 1 == positions.qt_length - 1
        assert raw.toPlainText() == tail
    elif text.isascii() or max(map(ord, text)) <= 0xFFFF:
        # a text of BMP characters only is taken as byte-swapped UTF-16 with a BOM: the mark
        # is dropped and every other character swapped
        assert raw.characterCount() - 1 == positions.qt_length - 1
        assert "Headline" not in raw.toPlainText()
        assert raw.toPlainText().startswith("\u4800\u6500")  # "He" swapped
    else:
        # with an astral character the mark happens to survive (still a non-character)
        assert raw.toPlainText() == text


def test_widget_plain_text_is_not_the_canonical_text(qapp: QApplication) -> None:
    """Why span text is always sliced from the canonical text, never read from Qt."""
    text = "a\u00a0b\u2028c\u2029d\ne"
    document = load(text)
    assert document.characterCount() - 1 == len(text)
    assert document.toPlainText() == "a b\nc\nd\ne"
    cursor = QTextCursor(document)
    cursor.select(QTextCursor.SelectionType.Document)
    assert cursor.selectedText() == "a\u00a0b\u2028c\u2029d\u2029e"
