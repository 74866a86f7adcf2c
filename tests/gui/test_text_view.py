"""TextView: a mouse selection snaps to whole words unless Alt is held as it is made."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.gui.annotating.text_view import TextView

TEXT = "Harbour chief Ana Kovač resigned on Monday."
LEFT = Qt.MouseButton.LeftButton
NO_BUTTON = Qt.MouseButton.NoButton
ALT = Qt.KeyboardModifier.AltModifier
NO_KEY = Qt.KeyboardModifier.NoModifier


def make_view(qtbot: QtBot) -> TextView:
    view = TextView()
    qtbot.addWidget(view)
    view.resize(600, 200)
    view._put_text(TEXT)
    view.show()
    qtbot.waitExposed(view)
    return view


def gap(view: TextView, offset: int) -> QPoint:
    """Where the gap before code point ``offset`` is drawn (all of TEXT is one UTF-16 unit
    per code point)."""
    cursor = view.textCursor()
    cursor.setPosition(offset)
    return view.cursorRect(cursor).center()


def send(view: TextView, kind: QEvent.Type, offset: int, modifiers: Qt.KeyboardModifier) -> None:
    """A mouse event at the gap before ``offset``, the left button held (pressed, dragging)."""
    viewport = view.viewport()
    point = gap(view, offset)
    button = NO_BUTTON if kind == QEvent.Type.MouseMove else LEFT
    event = QMouseEvent(
        kind, QPointF(point), QPointF(viewport.mapToGlobal(point)), button, LEFT, modifiers
    )
    QApplication.sendEvent(viewport, event)


def test_a_drag_snaps_to_words_unless_alt_is_held_while_moving(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    start, end = TEXT.index("ief"), TEXT.index("na ") + 1  # from inside "chief" into "Ana"
    words = (TEXT.index("chief"), TEXT.index("Ana") + len("Ana"))
    send(view, QEvent.Type.MouseButtonPress, start, NO_KEY)

    send(view, QEvent.Type.MouseMove, end, NO_KEY)
    assert view.selected_range() == words

    send(view, QEvent.Type.MouseMove, end + 1, ALT)
    assert view.selected_range() == (start, end + 1)

    send(view, QEvent.Type.MouseMove, end, NO_KEY)  # Alt let go mid-drag: whole words again
    assert view.selected_range() == words


def test_a_drag_with_alt_held_stays_exact_when_the_button_is_released(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    start, end = TEXT.index("ief"), TEXT.index("na ") + 1
    send(view, QEvent.Type.MouseButtonPress, start, ALT)
    send(view, QEvent.Type.MouseMove, end, ALT)

    send(view, QEvent.Type.MouseButtonRelease, end, ALT)

    assert view.selected_range() == (start, end)
