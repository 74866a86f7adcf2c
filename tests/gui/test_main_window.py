"""The annotation session end to end: keys in, spans in the database, same ids on undo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.core.annotations import Status
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, spans
from tests.gui.support import FESTIVAL, stored_spans, stored_text, utf16, wait_open

SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def word_offset(window: MainWindow, word: str) -> int:
    assert window.document is not None
    return window.document.text.index(word)


def select_qt(window: MainWindow, anchor: int, position: int) -> None:
    """Select by Qt (UTF-16) positions, as a mouse drag would."""
    cursor = window.article.textCursor()
    cursor.setPosition(anchor)
    cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    window.article.setTextCursor(cursor)


def test_opens_first_unfinished_document_with_title_and_status(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(sample_workspace)
    first = documents.documents(sample_workspace)[0]
    assert window.document_id == first.id
    assert window.windowTitle() == f"Glossa — {first.title}"
    assert window.status_line.progress_label.text() == "0 of 3 done"
    assert window.status_line.annotator_label.text() == "Annotator: tester"
    assert window.status_line.database_label.text() == sample_workspace.database.display_name


def test_mouse_selection_and_hotkey_store_code_point_offsets(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    text = window.article.text
    start = word_offset(window, "Lindqvist")
    # a partial selection inside the word, in Qt positions: emoji before it count twice
    select_qt(window, utf16(text, start + 1), utf16(text, start + 5))
    qtbot.keyClick(window.article, Qt.Key.Key_1)

    assert window.document_id is not None
    [span] = stored_spans(db_path, window.document_id)
    stored = stored_text(db_path, window.document_id)
    assert (span.start, span.end, span.label) == (start, start + len("Lindqvist"), "PERSON")
    assert stored[span.start : span.end] == "Lindqvist"
    assert window.status_line.saved_label.text().startswith("Saved ")
    assert window.article.selected_span() == span


def test_shift_arrows_select_and_snap_to_the_word(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    text = window.article.text
    start = word_offset(window, "Rivermouth")
    cursor = window.article.textCursor()
    cursor.setPosition(utf16(text, start))
    window.article.setTextCursor(cursor)
    for _ in range(3):
        qtbot.keyClick(window.article, Qt.Key.Key_Right, SHIFT)
    assert window.article.selected_range() == (start, start + len("Rivermouth"))
    qtbot.keyClick(window.article, Qt.Key.Key_2)

    assert window.document_id is not None
    [span] = stored_spans(db_path, window.document_id)
    assert (span.start, span.end, span.label) == (start, start + len("Rivermouth"), "ORG")
    assert stored_text(db_path, window.document_id)[span.start : span.end] == "Rivermouth"


def test_alt_shift_arrows_select_exact_characters(window: MainWindow, qtbot: QtBot) -> None:
    text = window.article.text
    start = word_offset(window, "Rivermouth")
    cursor = window.article.textCursor()
    cursor.setPosition(utf16(text, start))
    window.article.setTextCursor(cursor)
    for _ in range(5):
        qtbot.keyClick(window.article, Qt.Key.Key_Right, SHIFT | ALT)
    assert window.article.selected_range() == (start, start + len("River"))


def test_tab_selects_span_del_deletes_and_undo_restores_the_same_id(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    document_id = window.document_id
    assert document_id is not None
    start = word_offset(window, "Khoury")
    spans.add_span(window.workspace, document_id, start, start + len("Khoury"), "PERSON")
    window.open_document(window.steps.neighbour(-1) or 0, wait=True)
    window.open_document(document_id, wait=True)  # reload with the span

    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    selected = window.article.selected_span()
    assert selected is not None and selected.start == start
    assert window.panel.table.selectionModel().selectedRows()[0].row() == 0

    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert stored_spans(db_path, document_id) == []
    assert window.spans.rowCount() == 0
    assert window.article.span_at(start) is None

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    [restored] = stored_spans(db_path, document_id)
    assert restored.id == selected.id
    assert window.article.span_at(start) == restored
    assert window.spans.rowCount() == 1

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored_spans(db_path, document_id) == []
    qtbot.keyClick(window.article, Qt.Key.Key_Y, CTRL)  # nothing left to redo
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert [s.id for s in stored_spans(db_path, document_id)] == [selected.id]


def test_undo_of_a_new_span_and_redo_keep_its_id(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    start = word_offset(window, "Saint")
    window.article.select_range(start, start + len("Saint-Aurèle"))
    qtbot.keyClick(window.article, Qt.Key.Key_3)
    assert window.document_id is not None
    [added] = stored_spans(db_path, window.document_id)
    assert (added.end - added.start, added.label) == (len("Saint-Aurèle"), "LOC")

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert stored_spans(db_path, window.document_id) == []
    qtbot.keyClick(window.article, Qt.Key.Key_Y, CTRL)
    assert stored_spans(db_path, window.document_id) == [added]
    assert window.article.span_at(start) == added


def test_hotkey_on_selected_span_relabels_it_and_undo_restores_label(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    start = word_offset(window, "Gazette")
    window.article.select_range(start, start + len("Gazette"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    span = window.article.selected_span()
    assert span is not None and span.label == "PERSON"

    qtbot.keyClick(window.article, Qt.Key.Key_2)  # no new selection: relabel
    assert window.document_id is not None
    [stored] = stored_spans(db_path, window.document_id)
    assert (stored.id, stored.label) == (span.id, "ORG")
    assert window.spans.data(window.spans.index(0, 0)) == "ORG"

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    [stored] = stored_spans(db_path, window.document_id)
    assert (stored.id, stored.label) == (span.id, "PERSON")


def test_hotkey_without_selection_only_explains(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    assert "Select some text first" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0


def test_ctrl_return_marks_done_and_opens_the_next_unfinished(
    window: MainWindow, qtbot: QtBot, sample_workspace: Workspace
) -> None:
    festival = window.document_id
    qtbot.keyClick(window.article, Qt.Key.Key_Return, CTRL)
    wait_open(qtbot, window)
    assert documents.status(sample_workspace, festival or 0) is Status.DONE
    following = documents.next_unfinished(sample_workspace, after=festival)
    assert window.document_id == following != festival
    assert window.status_line.progress_label.text() == "1 of 3 done"
    row = window.documents.row_of(festival or 0)
    assert row is not None
    assert "done" in window.documents.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert documents.status(sample_workspace, festival or 0) is not Status.DONE
    assert window.status_line.progress_label.text() == "0 of 3 done"


def test_alt_arrows_move_between_documents(window: MainWindow, qtbot: QtBot) -> None:
    ids = [s.id for s in window.documents.summaries()]
    assert window.document_id == ids[1]
    qtbot.keyClick(window.article, Qt.Key.Key_Right, ALT)
    wait_open(qtbot, window)
    assert window.document_id == ids[2]
    qtbot.keyClick(window.article, Qt.Key.Key_Left, ALT)
    qtbot.keyClick(window.article, Qt.Key.Key_PageUp, CTRL)  # before the one before is read
    wait_open(qtbot, window)
    assert window.document_id == ids[0]
    assert window.windowTitle().startswith("Glossa — Harbour chief")


def test_reopening_returns_to_the_last_document_and_scroll_position(
    db_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    first = Workspace.open(str(db_path), "tester")
    small = (420, 260)  # small enough for the article to scroll
    window = open_window(first, small)
    festival = next(s.id for s in documents.documents(first) if s.title == FESTIVAL)
    window.open_document(festival, wait=True)
    text = window.article.text
    window.article.set_scroll_position(text.index("The Israeli"))
    position = window.article.scroll_position()
    assert position > 0
    window.close()
    first.close()

    second = Workspace.open(str(db_path), "tester")
    again = open_window(second, small)
    assert again.document_id == festival
    assert again.article.scroll_position() == position
    again.close()
    second.close()


def test_document_filter_narrows_the_list_by_title(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClicks(window.document_list.filter, "dam")
    assert window.document_list.proxy.rowCount() == 1
    assert window.document_id is not None  # typing a digit-free filter opened nothing
    window.document_list.filter.clear()
    assert window.document_list.proxy.rowCount() == 3


def test_digits_typed_in_the_filter_are_not_label_hotkeys(window: MainWindow, qtbot: QtBot) -> None:
    start = word_offset(window, "Gazette")
    window.article.select_range(start, start + 3)
    window.document_list.filter.setFocus()
    qtbot.keyClicks(window.document_list.filter, "1")
    assert window.document_list.filter.text() == "1"
    assert window.undo_stack.count() == 0


def test_clicking_a_span_in_the_list_selects_it_in_the_article(
    window: MainWindow, qtbot: QtBot
) -> None:
    start = word_offset(window, "Khoury")
    window.article.select_range(start, start + len("Khoury"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    assert window.article.selected_span() is None
    table = window.panel.table
    rect = table.visualRect(window.spans.index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    selected = window.article.selected_span()
    assert selected is not None and selected.start == start


def test_clicking_on_a_span_in_the_article_selects_it(window: MainWindow, qtbot: QtBot) -> None:
    start = word_offset(window, "Khoury")
    window.article.select_range(start, start + len("Khoury"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    cursor = window.article.textCursor()
    cursor.setPosition(utf16(window.article.text, start + 2))
    point = window.article.cursorRect(cursor).center()
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=point)
    selected = window.article.selected_span()
    assert selected is not None and selected.start == start


def test_failed_action_is_reported_and_not_kept_for_undo(window: MainWindow) -> None:
    start = word_offset(window, "Khoury")
    window.article.select_range(start, start + len("Khoury"))
    window.annotate("NOT-A-LABEL")
    assert "NOT-A-LABEL" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0
    assert window.spans.rowCount() == 0


def test_f1_shows_the_keyboard_map(window: MainWindow, qtbot: QtBot) -> None:
    from app.gui.window.shortcuts_dialog import ShortcutsDialog

    qtbot.keyClick(window.article, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    keys = [keys for _task, keys, _action in dialog.rows()]
    assert "1" in keys and "Tab / Shift+Tab" in keys
    dialog.close()


def test_undo_reaches_back_into_the_document_it_changed(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    festival = window.document_id
    assert festival is not None
    start = word_offset(window, "Khoury")
    window.article.select_range(start, start + len("Khoury"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    qtbot.keyClick(window.article, Qt.Key.Key_Right, ALT)
    wait_open(qtbot, window)
    assert window.document_id != festival
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    wait_open(qtbot, window)
    assert window.document_id == festival
    assert stored_spans(db_path, festival) == []
    assert window.spans.rowCount() == 0


def test_clicking_a_document_in_the_list_opens_it(window: MainWindow, qtbot: QtBot) -> None:
    table = window.document_list.table
    rect = table.visualRect(window.document_list.proxy.index(2, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_open(qtbot, window)
    assert window.document_id == window.documents.summaries()[2].id
    assert window.windowTitle().startswith("Glossa — Inquiry")


def test_the_palette_label_shows_its_guideline_while_no_span_is_selected(
    window: MainWindow,
) -> None:
    quote = window.workspace.schema.label("QUOTE")
    assert quote is not None
    window.article.select_span(None)
    window.panel.palette_list.setCurrentRow(3)  # QUOTE

    shown = window.panel.details.text()
    assert "QUOTE" in shown
    assert "Link the quote to its speaker and cue" in shown
    assert "Link the quote to its speaker and cue" in quote.guideline
