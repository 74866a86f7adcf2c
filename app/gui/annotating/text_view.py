"""Read-only canonical text, addressed in code points.

Qt counts UTF-16 units, so every conversion goes through one ``QtPositions`` built per text,
and the widget is only ever given ``display_text(text)``. A selection snaps to word
boundaries unless it was made with Alt held; the reading position (the top line) is kept in
code points, even before the widget has been laid out.

The text is laid out for reading (``reading_layout``): room above each line for relations,
space after each paragraph, lines no longer than a readable measure, centred; zoom scales
the font only. None of it touches the text, so no offset ever moves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QTextCursor,
    QTextDocument,
    QWheelEvent,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.core.offsets import QtPositions, display_text
from app.core.words import snap_to_characters, snap_to_words
from app.gui.annotating.reading_layout import PARAGRAPH_SPACE, ReadingLayout, measure_width
from app.gui.annotating.relation_marks import relation_room
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
READING_MARGIN = 22  # wide enough for the relation arrows that run down the left margin
ZOOM_STEP = 1.1  # each zoom step scales the article's font by this much
ZOOM_RANGE = range(-5, 13)
_ALT = Qt.KeyboardModifier.AltModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CTRL = Qt.KeyboardModifier.ControlModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier
_WORD_STEPS = (Qt.Key.Key_Left, Qt.Key.Key_Right)


class TextView(QPlainTextEdit):
    """Shows one canonical text for reading; reports selections and positions in code points."""

    zoom_changed = Signal(int)
    """The zoom, in steps from the normal size (keys, menu or Ctrl+wheel)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        document = QTextDocument(self)
        self.reading_layout = ReadingLayout(document)
        document.setDocumentLayout(self.reading_layout)
        self.setDocument(document)
        # the margins left and right of the measure read as page, not as window
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setUndoRedoEnabled(False)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._zoom = 0
        self._wheel = 0  # Ctrl+wheel turned by less than a notch so far
        self._normal_size = self.font().pointSizeF() * READING_SCALE
        font = self.font()
        font.setPointSizeF(self._normal_size)
        self.setFont(font)
        self.document().setDocumentMargin(READING_MARGIN)
        self._text = ""
        self._positions = QtPositions.of("")
        self._exact = False  # the selection was made with Alt held: do not snap to words
        self._alt_in_event: bool | None = None
        self._pending_scroll: int | None = None
        self.selectionChanged.connect(self._on_selection_changed)
        self._fit_reading()

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

    # -- reading: zoom, measure, spacing --------------------------------------------

    @property
    def zoom(self) -> int:
        """Zoom steps from the normal size (negative: smaller)."""
        return self._zoom

    def set_zoom(self, steps: int) -> None:
        """Scale the article's font to ``steps`` zoom steps (clamped to the allowed range)."""
        steps = min(max(steps, ZOOM_RANGE.start), ZOOM_RANGE.stop - 1)
        if steps == self._zoom:
            return
        scroll = self.scroll_position()  # keep reading where one was
        self._zoom = steps
        font = self.font()
        font.setPointSizeF(self._normal_size * ZOOM_STEP**steps)
        self.setFont(font)
        if self.isVisible():
            self.set_scroll_position(scroll)
        self.zoom_changed.emit(steps)

    def zoom_in(self) -> None:
        """One step larger."""
        self.set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        """One step smaller."""
        self.set_zoom(self._zoom - 1)

    def reset_zoom(self) -> None:
        """Back to the normal size."""
        self.set_zoom(0)

    def wheelEvent(self, event: QWheelEvent) -> None:
        # Ctrl+wheel zooms as the keys do, so that the zoom is remembered either way
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            # a touchpad turns in small deltas: one step per notch's worth (120), added up
            self._wheel += event.angleDelta().y()
            notches = int(self._wheel / 120)
            if notches:
                self._wheel -= notches * 120
                self.set_zoom(self._zoom + notches)
            event.accept()
            return
        super().wheelEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_reading()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_measure()

    def _fit_reading(self) -> None:
        """Room for relations above lines and space after paragraphs, from the font."""
        font = self.font()
        paragraph = QFontMetricsF(font).lineSpacing() * PARAGRAPH_SPACE
        self.reading_layout.set_gaps(relation_room(font), paragraph)
        self._fit_measure()

    def _fit_measure(self) -> None:
        """Cap the line length at the measure, the text centred in the width there is."""
        page = measure_width(self.font()) + 2 * self.document().documentMargin()
        scroll_bar = self.verticalScrollBar()
        room = self.contentsRect().width() - (scroll_bar.width() if scroll_bar.isVisible() else 0)
        side = max(int((room - page) / 2), 0)
        margins = self.viewportMargins()
        if (margins.left(), margins.right()) != (side, side):
            self.setViewportMargins(side, 0, side, 0)
            # Qt lays the text out again on a resize of a width it has not seen; a resize it
            # still has pending when the margins change is not one: say the width is new
            size = self.viewport().size()
            QCoreApplication.sendEvent(self.viewport(), QResizeEvent(size, QSize(-1, -1)))

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
