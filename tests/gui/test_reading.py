"""How the article reads: zoom by keys and wheel (remembered), paragraph spacing and a
readable measure, none of which moves an offset."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QTextBlock, QTextCharFormat, QTextLayout, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.annotations import Span
from app.gui.actions import keyboard_map
from app.gui.annotating.article_view import ArticleView
from app.gui.annotating.span_marks import line_rects
from app.gui.window import view_menu
from app.gui.window.main_window import MainWindow
from app.services import Workspace
from tests.gui.support import utf16

CTRL = Qt.KeyboardModifier.ControlModifier
SENTENCE = "The minister said on Monday that the ferry terminal would open next spring. "
# scraped text: paragraphs separated by single line breaks, emoji before the words looked at
TEXT = (
    "Harbour 🚢 chief promises ferry terminal\n"
    + SENTENCE * 8
    + "\n👨‍👩‍👧 Families welcomed the news.\n"
    + SENTENCE * 3
)


@pytest.fixture(autouse=True)
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> QSettings:
    """The user's settings, in a file of this test's own."""
    made = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(view_menu, "app_settings", lambda: made)
    return made


def make_view(qtbot: QtBot, width: int = 900, spans: list[Span] | None = None) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(width, 700)
    view.show()
    qtbot.waitExposed(view)
    view.show_document(TEXT, spans or [], {"PERSON": "#e6194b"})
    return view


def block_lines(view: ArticleView, block: QTextBlock) -> list[tuple[float, float, str]]:
    """(top, bottom, text) of each laid-out line of ``block``, in document coordinates."""
    top = view.blockBoundingGeometry(block).top()
    layout = block.layout()
    text = block.text()
    found = []
    for number in range(layout.lineCount()):
        line = layout.lineAt(number)
        words = text[line.textStart() : line.textStart() + line.textLength()]
        found.append((top + line.y(), top + line.y() + line.height(), words))
    return found


# -- zoom --------------------------------------------------------------------------------


def test_zoom_keys_scale_the_article_and_the_zoom_is_remembered(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(sample_workspace)
    article = window.article
    normal = article.font().pointSizeF()
    text = article.text
    selection = (text.index(" ") + 1, text.index(" ", text.index(" ") + 1))
    article.select_range(*selection)

    qtbot.keyClick(article, Qt.Key.Key_Equal, CTRL)
    qtbot.keyClick(article, Qt.Key.Key_Plus, CTRL)
    assert article.zoom == 2
    assert article.font().pointSizeF() > normal
    qtbot.keyClick(article, Qt.Key.Key_Minus, CTRL)
    assert article.zoom == 1
    # the text and the selection's offsets are the same at any size
    assert article.text == text
    assert article.selected_range() == selection

    again = open_window(sample_workspace)  # as after a restart
    assert again.article.zoom == 1
    assert again.article.font().pointSizeF() == article.font().pointSizeF()
    qtbot.keyClick(again.article, Qt.Key.Key_0, CTRL)
    assert again.article.zoom == 0
    assert again.article.font().pointSizeF() == normal
    assert open_window(sample_workspace).article.zoom == 0


def test_ctrl_wheel_zooms_as_the_keys_do_and_is_remembered(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(sample_workspace)
    viewport = window.article.viewport()
    QApplication.sendEvent(viewport, _wheel(viewport, 120))
    assert window.article.zoom == 1
    for _ in range(7):  # a touchpad: a notch's worth in eighths, and a little more
        QApplication.sendEvent(viewport, _wheel(viewport, -15))
    assert window.article.zoom == 1
    QApplication.sendEvent(viewport, _wheel(viewport, -15))
    assert window.article.zoom == 0
    QApplication.sendEvent(viewport, _wheel(viewport, 120))
    assert window.article.zoom == 1
    assert open_window(sample_workspace).article.zoom == 1


def _wheel(viewport: QWidget, delta: int) -> QWheelEvent:
    """A turn of the wheel by ``delta`` (120: a notch) with Ctrl held."""
    centre = QPointF(viewport.rect().center())
    return QWheelEvent(
        centre,
        QPointF(viewport.mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        CTRL,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )


def test_the_view_menu_and_the_keyboard_map_list_the_zoom_keys(window: MainWindow) -> None:
    view_actions = [action.text() for action in window.session.actions.menu("View").actions()]
    assert {"Zoom &in", "Zoom &out", "&Normal size"} <= set(view_actions)
    rows = {keys: what for _, keys, what in keyboard_map(window.workspace.schema)}
    assert "Zoom" in rows["Ctrl++ or Ctrl+="]
    assert "Ctrl+-" in rows and "Ctrl+0" in rows


# -- paragraphs and measure ------------------------------------------------------------


def test_single_line_breaks_read_as_paragraphs_without_changing_the_text(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    first = view.document().begin().next()  # the long paragraph
    lines = block_lines(view, first)
    assert len(lines) > 2
    between_lines = lines[1][0] - lines[0][1]
    after = block_lines(view, first.next())[0][0] - lines[-1][1]
    assert after > between_lines + view.fontMetrics().height() / 3
    assert view.document().toPlainText().split("\n")[1] == SENTENCE * 8
    assert view.text == TEXT


def test_lines_keep_to_a_readable_measure_centred_and_follow_resizing(qtbot: QtBot) -> None:
    view = make_view(qtbot, width=2200)
    lines = block_lines(view, view.document().begin().next())
    assert all(len(words) <= 82 for _, _, words in lines)
    assert all(len(words) >= 60 for _, _, words in lines[:-1])
    margins = view.viewportMargins()
    assert margins.left() == margins.right() > 200

    view.resize(420, 700)
    qtbot.waitUntil(lambda: view.viewportMargins().left() == 0)
    narrow = block_lines(view, view.document().begin().next())
    # the width there is, used
    assert max(len(words) for _, _, words in narrow) < min(len(w) for _, _, w in lines[:-1])
    assert (
        view.viewport().width()
        - max(  # and nothing runs out of the view
            rect.right() for rect in line_rects(view, 0, view.positions.qt_length)
        )
        >= 0
    )


def test_a_word_picked_by_mouse_has_the_same_offsets_in_the_spaced_layout(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    start = TEXT.index("Families")
    cursor = view.textCursor()
    cursor.setPosition(utf16(TEXT, start + 3))
    qtbot.mouseDClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center()
    )
    assert view.selected_range() == (start, start + len("Families"))


def test_a_highlight_covers_exactly_its_characters_in_the_spaced_layout(qtbot: QtBot) -> None:
    start = TEXT.index("Families")
    families = Span(1, 1, start, start + len("Families welcomed"), "PERSON", "tester")
    view = make_view(qtbot, spans=[families])
    qt_start, qt_end = utf16(TEXT, families.start), utf16(TEXT, families.end)
    formatted: set[int] = set()
    block = view.document().begin()
    while block.isValid():
        ranges: list[QTextLayout.FormatRange] = block.layout().formats()
        for item in ranges:
            if QTextCharFormat(item.format).background().style() != Qt.BrushStyle.NoBrush:
                formatted.update(
                    range(
                        block.position() + item.start, block.position() + item.start + item.length
                    )
                )
        block = block.next()
    assert formatted == set(range(qt_start, qt_end))
    # and the drawn box runs from the caret before its first character to the one after its last
    (rect,) = line_rects(view, qt_start, qt_end)
    for position, x in ((qt_start, rect.left()), (qt_end, rect.right())):
        cursor = view.textCursor()
        cursor.setPosition(position)
        caret = view.cursorRect(cursor)
        assert abs(caret.x() - x) <= 1
        assert rect.top() <= caret.center().y() <= rect.bottom()
