"""The article header: the document's details shown, edited, saved and undone."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, metadata
from tests.gui.support import FESTIVAL, wait_open

CTRL = Qt.KeyboardModifier.ControlModifier


def fresh_document(db_path: Path, document_id: int) -> tuple[str, dict[str, object]]:
    fresh = Workspace.open(str(db_path), "tester")
    try:
        document = documents.document(fresh, document_id)
        return document.title, document.meta
    finally:
        fresh.close()


def list_titles(window: MainWindow) -> list[str]:
    model = window.documents
    return [str(model.index(row, model.TITLE).data()) for row in range(model.rowCount())]


def test_header_shows_title_and_details(
    window: MainWindow, qtbot: QtBot, sample_workspace: Workspace
) -> None:
    header = window.header
    assert header.title_label.text() == FESTIVAL
    assert header.title_label.font().bold()
    assert "No source" in header.details_text()

    assert window.document_id is not None
    metadata.update_meta(
        sample_workspace,
        window.document_id,
        {"source": "Rivermouth Gazette", "author": "P. Reporter", "url": "https://example.org/a"},
    )
    header.show_document(documents.document(sample_workspace, window.document_id))
    assert header.details_text() == ("Rivermouth Gazette · P. Reporter · https://example.org/a")


def test_editing_the_title_updates_database_list_and_undo(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    document_id = window.document_id
    assert document_id is not None
    header = window.header
    qtbot.keyClick(window.article, Qt.Key.Key_I, CTRL)
    assert header.editing and header.fields["title"].hasFocus()
    assert header.fields["title"].text() == FESTIVAL

    header.fields["title"].setText("Lumière draws record crowds")
    header.fields["author"].setText("P. Reporter")
    qtbot.keyClick(header.fields["title"], Qt.Key.Key_Return)

    assert not header.editing
    title, meta = fresh_document(db_path, document_id)
    assert title == "Lumière draws record crowds"
    assert meta["author"] == "P. Reporter"
    assert header.title_label.text() == "Lumière draws record crowds"
    assert "P. Reporter" in header.details_text()
    wait_open(qtbot, window)  # the list is read again off the window's thread
    assert "Lumière draws record crowds" in list_titles(window)
    assert window.windowTitle() == "Glossa — Lumière draws record crowds"
    assert window.undo_stack.count() == 1

    window.undo_stack.undo()
    title, meta = fresh_document(db_path, document_id)
    assert title == FESTIVAL
    assert "author" not in meta
    assert header.title_label.text() == FESTIVAL
    wait_open(qtbot, window)
    assert FESTIVAL in list_titles(window)

    window.undo_stack.redo()
    assert fresh_document(db_path, document_id)[0] == "Lumière draws record crowds"


def test_escape_cancels_and_an_empty_title_is_refused(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    header = window.header
    header.start_editing()
    header.fields["title"].setText("Something else")
    qtbot.keyClick(header.fields["title"], Qt.Key.Key_Escape)
    assert not header.editing
    assert window.undo_stack.count() == 0

    header.start_editing()
    header.fields["title"].setText("   ")
    header.save()
    assert header.editing  # still open: a document needs a title
    assert window.undo_stack.count() == 0
    header.cancel()
    assert window.document_id is not None
    assert fresh_document(db_path, window.document_id)[0] == FESTIVAL
