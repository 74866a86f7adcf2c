"""Edit mode: change the article's text in the window; finishing saves a new version with the
spans re-anchored, Esc cancels, and undo brings the old version and its spans back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from app.core.offsets import QtPositions
from app.gui.annotating.text_editing import edited_text
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents
from app.services import spans as spans_service
from app.services.importing import import_paths
from app.services.revisions import find_document
from tests.gui.support import wait_open

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TEXT = (
    "Ferry terminal opens late\n\n"
    "The harbour authority said on Monday that the terminal will open in June. "
    "Mayor Anna Lindqvist called the delay regrettable.\n"
)


@pytest.fixture
def article(workspace: Workspace, tmp_path: Path) -> tuple[int, int, int]:
    """The article, its PERSON span and its ORG span."""
    path = tmp_path / "terminal.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert import_paths(workspace, [path]).ok
    document = find_document(workspace, "Ferry terminal opens late")
    ids = []
    for words, label in (("Anna Lindqvist", "PERSON"), ("harbour authority", "ORG")):
        at = TEXT.index(words)
        ids.append(
            spans_service.add_span(workspace, document, at, at + len(words), label).added[0].id
        )
    return document, ids[0], ids[1]


def replace_word(window: MainWindow, old: str, new: str) -> None:
    editor = window.text_editing.editor
    text = edited_text(editor)
    at = text.index(old)
    positions = QtPositions.of(text)  # the cursor counts UTF-16 units
    cursor = editor.textCursor()
    cursor.setPosition(positions.to_qt(at))
    cursor.setPosition(positions.to_qt(at + len(old)), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.insertPlainText(new)


def test_an_edited_word_before_a_span_shifts_it_and_undo_restores_the_old_version(
    workspace: Workspace,
    article: tuple[int, int, int],
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    document, person, org = article
    window = open_window(workspace)
    window.open_document(document, wait=True)

    qtbot.keyClick(window.article, Qt.Key.Key_X, CTRL | SHIFT)
    editor = window.text_editing.editor
    qtbot.waitUntil(editor.hasFocus)
    assert not window.article.isVisible() and edited_text(editor) == TEXT
    replace_word(window, "Monday", "Tuesday morning")
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    wait_open(qtbot, window)

    assert not editor.isVisible() and window.article.isVisible()
    new_id = window.document_id
    assert new_id is not None and new_id != document
    new_text = documents.document(workspace, new_id).text
    assert new_text == TEXT.replace("Monday", "Tuesday morning")
    spans = {s.label: s for s in spans_service.spans(workspace, new_id)}
    shift = len("Tuesday morning") - len("Monday")
    old_start = TEXT.index("Anna Lindqvist")
    assert (spans["PERSON"].start, spans["PERSON"].end) == (
        old_start + shift,
        old_start + 14 + shift,
    )
    assert new_text[spans["PERSON"].start : spans["PERSON"].end] == "Anna Lindqvist"
    assert spans["ORG"].start == TEXT.index("harbour authority")
    assert window.article.text == new_text
    assert documents.document(workspace, document).text == TEXT  # the old version is kept

    window.undo_stack.undo()
    wait_open(qtbot, window)

    assert window.document_id == document and window.article.text == TEXT
    assert {s.id for s in window.article.spans()} == {person, org}
    assert [s.id for s in documents.documents(workspace)] == [document]

    window.undo_stack.redo()
    wait_open(qtbot, window)
    assert window.document_id not in (None, document)
    assert window.article.text == TEXT.replace("Monday", "Tuesday morning")


def test_esc_cancels_and_an_unchanged_text_makes_no_version(
    workspace: Workspace,
    article: tuple[int, int, int],
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    document, _, _ = article
    window = open_window(workspace)
    window.open_document(document, wait=True)
    editing = window.text_editing

    editing.start()
    replace_word(window, "Monday", "Friday")
    qtbot.keyClick(editing.editor, Qt.Key.Key_Escape)
    assert not editing.editing and window.article.isVisible()

    editing.start()
    qtbot.mouseClick(editing.done_button, Qt.MouseButton.LeftButton)

    assert [s.id for s in documents.documents(workspace)] == [document]
    assert window.undo_stack.count() == 0 and window.document_id == document


def test_a_leading_byte_order_mark_and_astral_characters_survive_an_edit(
    workspace: Workspace, tmp_path: Path, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    text = "\ufeffPort news 🚢\n\nThe ferry 🚢 left on Monday with Anna Lindqvist aboard.\n"
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert import_paths(workspace, [path]).ok
    (summary,) = documents.documents(workspace)
    stored = documents.document(workspace, summary.id).text
    at = stored.index("Anna Lindqvist")
    spans_service.add_span(workspace, summary.id, at, at + 14, "PERSON")
    window = open_window(workspace)
    window.open_document(summary.id, wait=True)

    window.text_editing.start()
    replace_word(window, "Monday", "Sunday night")
    qtbot.keyClick(window.text_editing.editor, Qt.Key.Key_Return, CTRL)
    wait_open(qtbot, window)

    new_id = window.document_id
    assert new_id != summary.id
    new_text = documents.document(workspace, new_id).text
    assert new_text == stored.replace("Monday", "Sunday night")
    (span,) = spans_service.spans(workspace, new_id)
    assert new_text[span.start : span.end] == "Anna Lindqvist"


def test_typing_in_the_editor_types_instead_of_tagging_and_ctrl_z_undoes_the_typing(
    workspace: Workspace,
    article: tuple[int, int, int],
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    document, _, _ = article
    window = open_window(workspace)
    window.open_document(document, wait=True)
    spans_before = spans_service.spans(workspace, document)
    editing = window.text_editing
    editing.start()
    qtbot.waitUntil(editing.editor.hasFocus)
    editing.editor.moveCursor(QTextCursor.MoveOperation.End)

    qtbot.keyClicks(editing.editor, "1 SAL")  # label and link hotkeys outside the editor
    assert edited_text(editing.editor) == TEXT + "1 SAL"
    qtbot.keyClick(editing.editor, Qt.Key.Key_Z, CTRL)

    assert edited_text(editing.editor) != TEXT + "1 SAL"
    assert editing.editing and window.undo_stack.count() == 0
    assert spans_service.spans(workspace, document) == spans_before
