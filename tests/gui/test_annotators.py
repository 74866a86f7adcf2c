"""Annotators in the window: who is annotating at first start, switching, and layers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

import app.gui
from app.core.annotations import Span, Status
from app.gui.annotating.article_view import ArticleView
from app.gui.annotating.highlighting import OVERLAID_UNDERLINE
from app.gui.team import annotators
from app.gui.team.annotators import AnnotatorDialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, spans
from app.services.annotator_choice import remembered_annotator
from tests.gui.support import FESTIVAL, stored_spans, utf16, wait_open

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def festival_id(workspace: Workspace) -> int:
    return next(s.id for s in documents.documents(workspace) if s.title == FESTIVAL)


def tag(workspace: Workspace, document_id: int, word: str, label: str) -> Span:
    text = documents.document(workspace, document_id).text
    start = text.index(word)
    return spans.add_span(workspace, document_id, start, start + len(word), label).added[0]


def format_at(view: ArticleView, offset: int) -> QTextCharFormat:
    """The format the highlighter gave the character at code point ``offset``."""
    view.viewport().grab()  # paints, which formats the blocks on show
    position = utf16(view.text, offset)
    block = view.document().findBlock(position)
    for item in block.layout().formats():
        if item.start <= position - block.position() < item.start + item.length:
            return QTextCharFormat(item.format)
    return QTextCharFormat()


def exec_closing_windows(shown: list[MainWindow]) -> Callable[[QApplication], int]:
    def exec_once(_app: QApplication) -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        shown.extend(w for w in windows if w.isVisible())
        for window in windows:
            window.close()
        return 0

    return exec_once


# -- who is annotating ------------------------------------------------------------------


def test_first_start_asks_who_is_annotating_once_then_remembers(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = Workspace.open(str(db_path), "ana")
    with team.database.unit_of_work() as uow:  # a gold layer made by adjudication
        uow.annotators.id_of("gold")
        uow.commit()
    team.close()
    monkeypatch.delenv("GLOSSA_ANNOTATOR")
    seen_lists: list[list[str]] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AnnotatorDialog):
            QTimer.singleShot(10, answer)  # not shown yet
            return
        seen_lists.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, "carol")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    shown: list[MainWindow] = []
    monkeypatch.setattr(QApplication, "exec", exec_closing_windows(shown))
    QTimer.singleShot(0, answer)
    assert app.gui.main(str(db_path)) == 0
    assert seen_lists == [["ana"]]  # the gold layer is nobody's name
    assert [w.workspace.annotator for w in shown] == ["carol"]
    assert remembered_annotator() == "carol"

    def never(*_args: object) -> str | None:
        raise AssertionError("asked again although a name is remembered")

    monkeypatch.setattr(annotators, "ask_annotator", never)
    assert app.gui.main(str(db_path)) == 0
    assert [w.workspace.annotator for w in shown] == ["carol", "carol"]


def test_named_annotator_is_neither_asked_nor_remembered(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_args: object) -> str | None:
        raise AssertionError("asked although GLOSSA_ANNOTATOR names the annotator")

    monkeypatch.setattr(annotators, "ask_annotator", never)
    shown: list[MainWindow] = []
    monkeypatch.setattr(QApplication, "exec", exec_closing_windows(shown))
    assert app.gui.main(str(db_path)) == 0
    assert shown[0].workspace.annotator == "tester"
    assert remembered_annotator() is None


def test_cancelling_the_question_opens_nothing(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GLOSSA_ANNOTATOR")
    monkeypatch.setattr(annotators, "ask_annotator", lambda *_args: None)
    shown: list[MainWindow] = []
    monkeypatch.setattr(QApplication, "exec", exec_closing_windows(shown))
    assert app.gui.main(str(db_path)) == 0
    assert shown == []
    assert remembered_annotator() is None
    assert not db_path.exists()  # nothing was made either


def test_dialog_refuses_an_empty_name_and_the_gold_layer(qtbot: QtBot) -> None:
    dialog = AnnotatorDialog(["ana", "bob", "gold"], "bob")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.currentItem().text() == "bob"
    for bad, message in (("", "Type a name"), ("gold", "adjudicated layer")):
        dialog.name.setText(bad)
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.isVisible()
        assert message in dialog.problem.text()
    dialog.list.setCurrentRow(0)
    assert dialog.chosen() == "ana"
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.result() == AnnotatorDialog.DialogCode.Accepted


def test_switching_annotator_shows_their_statuses_and_layer(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    festival = festival_id(sample_workspace)
    bob = Workspace(sample_workspace.database, "bob")
    documents.set_status(bob, festival, Status.DONE)
    theirs = tag(bob, festival, "Lindqvist", "PERSON")
    window = open_window(sample_workspace)
    window.open_document(festival, wait=True)
    qtbot.keyClick(window.article, Qt.Key.Key_Right, SHIFT)
    qtbot.keyClick(window.article, Qt.Key.Key_1)  # tester tags the first word
    assert window.undo_stack.count() == 1
    row = window.documents.row_of(festival)
    assert row is not None
    assert "in progress" in window.documents.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)

    qtbot.keyClick(window.article, Qt.Key.Key_U, CTRL | SHIFT)
    dialog = window.findChild(AnnotatorDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.name.setText("bob")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    new = next(
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, MainWindow) and w.isVisible() and w is not window
    )
    try:
        assert not window.isVisible()
        assert new.workspace.annotator == "bob"
        assert new.status_line.annotator_label.text() == "Annotator: bob"
        assert new.document_id == festival
        row = new.documents.row_of(festival)
        assert row is not None
        assert "done" in new.documents.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
        assert [s.id for s in new.article.spans()] == [theirs.id]  # bob's layer, not mine
        assert new.undo_stack.count() == 0
        assert remembered_annotator() == "bob"
    finally:
        new.close()


# -- layers -----------------------------------------------------------------------------


@pytest.fixture
def two_layers(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow]
) -> tuple[MainWindow, Span, Span, Span]:
    """tester tagged Lindqvist; bob tagged Lindqvist too, and Rivermouth."""
    festival = festival_id(sample_workspace)
    mine = tag(sample_workspace, festival, "Lindqvist", "PERSON")
    bob = Workspace(sample_workspace.database, "bob")
    same = tag(bob, festival, "Lindqvist", "PERSON")
    only_bob = tag(bob, festival, "Rivermouth", "ORG")
    window = open_window(sample_workspace)
    window.open_document(festival, wait=True)
    return window, mine, same, only_bob


def choose_layer(window: MainWindow, qtbot: QtBot, text: str) -> None:
    """F6, then the menu entry ``text``."""
    qtbot.keyClick(window.article, Qt.Key.Key_F6)
    menu = window.layers.menu
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    [action] = [a for a in menu.actions() if a.text() == text]
    action.trigger()
    menu.hide()
    wait_open(qtbot, window)


def test_my_layer_only_by_default(two_layers: tuple[MainWindow, Span, Span, Span]) -> None:
    window, mine, _, only_bob = two_layers
    assert [s.id for s in window.article.spans()] == [mine.id]
    assert window.article.spans_at(only_bob.start) == []
    assert window.spans.rowCount() == 1
    hint = window.layers.banner
    assert hint.isVisible() and "Also annotated here: bob" in hint.text()  # hidden, not lost


def test_no_hint_where_nobody_else_annotated(
    two_layers: tuple[MainWindow, Span, Span, Span], qtbot: QtBot
) -> None:
    window = two_layers[0]
    window.steps.next_document()
    wait_open(qtbot, window)
    assert window.document_id != two_layers[1].document_id
    assert window.layers.banner.isHidden()


def test_layer_menu_lists_everyone(
    two_layers: tuple[MainWindow, Span, Span, Span], qtbot: QtBot
) -> None:
    window = two_layers[0]
    qtbot.keyClick(window.article, Qt.Key.Key_F6)
    menu: QMenu = window.layers.menu
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == [
        "My layer (tester)",
        "bob's layer (read-only)",
        "All layers overlaid",
        "Side by side with bob",
    ]
    assert next(a for a in menu.actions() if a.text()).isChecked()
    menu.hide()


def test_overlaid_layers_are_drawn_in_distinct_styles(
    two_layers: tuple[MainWindow, Span, Span, Span], qtbot: QtBot
) -> None:
    window, mine, same, only_bob = two_layers
    choose_layer(window, qtbot, "All layers overlaid")
    article = window.article
    assert {s.id for s in article.spans_at(mine.start)} == {mine.id, same.id}
    assert [s.id for s in article.spans()] == [mine.id]  # only mine may be edited
    bob_colour = window.layers.colours["bob"]

    theirs = format_at(article, only_bob.start)
    assert theirs.underlineStyle() == OVERLAID_UNDERLINE
    assert theirs.underlineColor().name() == bob_colour
    assert theirs.background().style() == Qt.BrushStyle.NoBrush  # no tint: not mine

    both = format_at(article, mine.start)
    assert both.underlineStyle() == OVERLAID_UNDERLINE  # bob's layer shows over mine...
    assert both.background().style() != Qt.BrushStyle.NoBrush  # ...which keeps its tint

    choose_layer(window, qtbot, "My layer (tester)")
    alone = format_at(article, mine.start)
    assert alone.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert alone.underlineColor().name() == window.colours["PERSON"].lower()
    assert "Also annotated here" in window.layers.banner.text()

    choose_layer(window, qtbot, "All layers overlaid")
    banner = window.layers.banner
    assert banner.isVisible() and "bob" in banner.text() and bob_colour in banner.text()


def test_another_annotators_span_is_never_edited(
    two_layers: tuple[MainWindow, Span, Span, Span], qtbot: QtBot, db_path: Path
) -> None:
    window, _, _, only_bob = two_layers
    choose_layer(window, qtbot, "All layers overlaid")
    window.article.select_span(only_bob.id)
    assert window.article.viewed_span() == only_bob
    assert window.article.selected_span() is None
    assert "read-only" in window.panel.details.text()
    qtbot.keyClick(window.article, Qt.Key.Key_2)  # would relabel it
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert "bob's" in window.statusBar().currentMessage()
    assert only_bob in stored_spans(db_path, only_bob.document_id)
    assert window.undo_stack.count() == 0


def test_another_annotators_layer_alone_is_read_only(
    two_layers: tuple[MainWindow, Span, Span, Span], qtbot: QtBot, db_path: Path
) -> None:
    window, mine, same, only_bob = two_layers
    choose_layer(window, qtbot, "bob's layer (read-only)")
    banner = window.layers.banner
    assert banner.isVisible()
    assert "Viewing <b>bob</b>'s layer (read-only)" in banner.text()
    assert "F6 to change" in banner.text()
    article = window.article
    assert {s.id for s in article.spans_at(only_bob.start)} == {only_bob.id}
    assert {s.id for s in article.spans_at(mine.start)} == {same.id}
    assert window.spans.rowCount() == 1  # the list keeps showing my layer

    text = article.text
    word = text.index("festival director".capitalize())
    cursor = article.textCursor()
    cursor.setPosition(utf16(text, word))
    cursor.setPosition(utf16(text, word + 8), QTextCursor.MoveMode.KeepAnchor)
    article.setTextCursor(cursor)
    before = stored_spans(db_path, mine.document_id)
    qtbot.keyClick(article, Qt.Key.Key_1)
    assert stored_spans(db_path, mine.document_id) == before
    assert "read-only" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0


def test_side_by_side_shows_the_other_layer_next_to_mine(
    two_layers: tuple[MainWindow, Span, Span, Span], qtbot: QtBot
) -> None:
    window, mine, same, only_bob = two_layers
    choose_layer(window, qtbot, "Side by side with bob")
    side = window.layers.side
    assert side is not None and side.isVisible()
    assert side.read_only
    assert {s.id for s in side.spans_at(only_bob.start)} == {only_bob.id}
    assert {s.id for s in side.spans_at(mine.start)} == {same.id}
    assert [s.id for s in window.article.spans()] == [mine.id]
    assert window.article.spans_at(only_bob.start) == []

    window.resize(900, 260)  # short enough to scroll
    qtbot.waitUntil(lambda: window.article.verticalScrollBar().maximum() > 0, timeout=2000)
    late = len(window.article.text) - 40
    window.article.set_scroll_position(late)
    top = window.article.scroll_position()
    assert top > 0
    assert abs(side.scroll_position() - top) < 120  # the same lines, give or take wrapping

    choose_layer(window, qtbot, "My layer (tester)")
    assert not side.isVisible()


def test_undo_while_viewing_another_layer_changes_only_mine(
    two_layers: tuple[MainWindow, Span, Span, Span], qtbot: QtBot
) -> None:
    window, mine, same, _ = two_layers
    article = window.article
    article.select_span(mine.id)
    qtbot.keyClick(article, Qt.Key.Key_Delete)
    assert window.spans.rowCount() == 0
    choose_layer(window, qtbot, "bob's layer (read-only)")
    qtbot.keyClick(article, Qt.Key.Key_Z, CTRL)  # my span comes back: in my list only
    assert window.spans.rowCount() == 1
    assert {s.id for s in article.spans_at(mine.start)} == {same.id}
