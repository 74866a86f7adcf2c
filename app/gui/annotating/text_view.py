"""Read-only canonical text, addressed in code points.

Qt counts UTF-16 units, so every conversion goes through one ``QtPositions`` built per text,
and the widget is only ever given ``display_text(text)``. A selection snaps to word
boundaries unless it was made with Alt held; the reading position (the top line) is kept in
code points, even before the widget has been laid out.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QShowEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.core.offsets import QtPositions, display_text
from app.core.words import snap_to_characters, snap_to_words
from app.gui.annotating.span_marks import snap_preview

_SELECTION_KEYS = {
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
}
READING_SCALE = 1.25  # the article is read for hours: larger than the interface text
READING_MARGIN = 14
_ALT = Qt.KeyboardModifier.AltModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CTRL = Qt.KeyboardModifier.ControlModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier
_WORD_STEPS = (Qt.Key.Key_Left, Qt.Key.Key_Right)


class TextView(QPlainTextEdit):
    """Shows one canonical text for reading; reports selections and positions in code points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * READING_SCALE)
        self.setFont(font)
        self.document().setDocumentMargin(READING_MARGIN)
        self._text = ""
        self._positions = QtPositions.of("")
        self._exact = False  # the selection was made with Alt held: do not snap to words
        self._alt_in_event: bool | None = None
        self._pending_scroll: int | None = None
        self.selectionChanged.connect(self._on_selection_changed)

    # -- content -------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The canonical text on show."""
        return self._text

    @property
    def positions(self) -> QtPositions:
        """Code point <-> Qt position conversion for the text on show."""
        return self._positions

    def _put_text(self, text: str) -> None:
        """Show ``text`` in place of the one on show, scrolled to its top."""
        self._text = text
        self._positions = QtPositions.of(text)
        self._pending_scroll = None
        self.setExtraSelections([])
        self.setPlainText(display_text(text))

    def offset_at(self, point: QPoint) -> int | None:
        """Code point of the character under ``point`` (viewport coordinates), if any."""
        cursor = self.cursorForPosition(point)
        position = cursor.position()
        block = cursor.block()
        # cursorForPosition gives the nearest gap between characters; step back when the
        # point lies left of it, so that the character actually under the mouse is taken
        if position > block.position() and point.x() < self.cursorRect(cursor).x():
            position -= 1
        if position >= block.position() + block.length() - 1:
            return None
        return self._positions.from_qt(position)

    # -- selection ------------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        """The text selection in code points, snapped to words unless made with Alt."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._positions.from_qt(cursor.selectionStart())
        end = self._positions.from_qt(cursor.selectionEnd(), round_up=True)
        snap = snap_to_characters if self._exact else snap_to_words
        start, end = snap(self._text, start, end)
        return (start, end) if start < end else None

    def select_range(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (code points) exactly as given."""
        cursor = self.textCursor()
        cursor.setPosition(self._positions.to_qt(start))
        cursor.setPosition(self._positions.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._exact = True
        self._show_snap()

    def clear_text_selection(self) -> None:
        """Drop the text selection."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)

    def _on_selection_changed(self) -> None:
        self._exact = bool(self._alt_in_event)
        self._show_snap()

    def _show_snap(self) -> None:
        """Preview the range a hotkey would tag, behind the raw selection."""
        snapped = self.selected_range()
        if snapped is None:
            self.setExtraSelections([])
            return
        start, end = (self._positions.to_qt(offset) for offset in snapped)
        selection = snap_preview(self.document(), start, end, self.palette())
        self.setExtraSelections([selection])

    # -- scrolling ------------------------------------------------------------------

    def _reveal(self, offset: int) -> None:
        """Centre the caret when code point ``offset`` is outside the viewport."""
        top = self.cursorForPosition(QPoint(0, 0)).position()
        bottom = self.cursorForPosition(
            QPoint(self.viewport().width(), self.viewport().height())
        ).position()
        if not top <= self._positions.to_qt(offset) < bottom:
            self.centerCursor()

    def scroll_position(self) -> int:
        """Code point offset of the first character on the top visible line."""
        if self._pending_scroll is not None:
            return self._pending_scroll
        block = self.firstVisibleBlock()
        if not block.isValid():
            return 0
        position = block.position()
        layout = block.layout()
        line_number = self.verticalScrollBar().value() - block.firstLineNumber()
        if layout is not None and 0 < line_number < layout.lineCount():
            position += layout.lineAt(line_number).textStart()
        return self._positions.from_qt(min(position, self._positions.qt_length))

    def set_scroll_position(self, offset: int) -> None:
        """Scroll so that the line holding code point ``offset`` is the top line."""
        offset = max(0, min(offset, len(self._text)))
        if not self.isVisible():
            self._pending_scroll = offset  # lines are only known once laid out at full width
            return
        self._pending_scroll = None
        position = self._positions.to_qt(offset)
        block = self.document().findBlock(position)
        self.document().documentLayout().blockBoundingRect(block)  # lays the block out
        line = block.layout().lineForTextPosition(position - block.position())
        within = line.lineNumber() if line.isValid() else 0
        self.verticalScrollBar().setValue(block.firstLineNumber() + within)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending_scroll is not None:
            self.set_scroll_position(self._pending_scroll)

    def visible_blocks(self) -> range:
        """Numbers of the text blocks (paragraphs) the viewport shows, wholly or in part."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return range(0)
        first = last = block.blockNumber()
        top = self.contentOffset().y()
        height = self.viewport().height()
        while block.isValid() and self.blockBoundingGeometry(block).top() + top < height:
            last = block.blockNumber()
            block = block.next()
        return range(first, last + 1)

    # -- input ------------------------------------------------------------------------

    @contextmanager
    def _alt_held(self, held: bool) -> Iterator[None]:
        """While Qt handles one event: whether Alt is held, for the selection it makes."""
        self._alt_in_event = held
        try:
            yield
        finally:
            self._alt_in_event = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers()
        alt = bool(modifiers & _ALT)
        if modifiers & ~_KEYPAD == _CTRL | _SHIFT and event.key() in _WORD_STEPS:
            self._select_word_more(event.key() == Qt.Key.Key_Right)
            return
        if alt and modifiers & _SHIFT and event.key() in _SELECTION_KEYS:
            # Qt ignores Alt+Shift+arrow; extend the selection as Shift+arrow, unsnapped
            event = QKeyEvent(
                event.type(), event.key(), modifiers & ~_ALT, event.text(), event.isAutoRepeat()
            )
        with self._alt_held(alt):
            super().keyPressEvent(event)

    def _select_word_more(self, forward: bool) -> None:
        """Ctrl+Shift+Right / Left: the selection's moving end goes to the end of the next
        word / the start of this or the previous one (Qt would stop at the space after a word,
        which snapping to words takes back, so that a first press seemed to do nothing)."""
        cursor = self.textCursor()
        keep = QTextCursor.MoveMode.KeepAnchor
        before = cursor.position()
        if forward:
            cursor.movePosition(QTextCursor.MoveOperation.EndOfWord, keep)
            if cursor.position() == before:
                cursor.movePosition(QTextCursor.MoveOperation.NextWord, keep)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfWord, keep)
        else:
            cursor.movePosition(QTextCursor.MoveOperation.StartOfWord, keep)
            if cursor.position() == before:
                cursor.movePosition(QTextCursor.MoveOperation.PreviousWord, keep)
        self._exact = False
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        with self._alt_held(bool(event.modifiers() & _ALT)):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        with self._alt_held(bool(event.modifiers() & _ALT)):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # Qt announces the selection once more on release: with Alt held it stays exact
        with self._alt_held(bool(event.modifiers() & _ALT)):
            super().mouseReleaseEvent(event)
