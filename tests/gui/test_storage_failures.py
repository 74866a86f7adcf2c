"""A tag the database cannot take (locked by another program) is told, leaves no undo step,
keeps the selection, and works when pressed again once the lock is gone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.gui.window.main_window import MainWindow
from app.store import database as database_module
from tests.gui.support import stored_spans, utf16
from tests.gui.test_main_window import select_qt, word_offset


def close_message_boxes(window: MainWindow) -> list[str]:
    """Close the warnings the window opened, as the user does; return their texts."""
    texts = []
    for box in window.findChildren(QMessageBox):
        if box.isVisible():
            texts.append(box.text())
            box.close()
    return texts


def test_a_tag_on_a_locked_database_is_not_saved_and_can_be_pressed_again(
    window: MainWindow, qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # wait a moment for the lock, not five seconds: new connections read the timeout
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)
    window.workspace.database.dispose()
    assert window.document_id is not None
    text = window.article.text
    start = word_offset(window, "Lindqvist")
    select_qt(window, utf16(text, start), utf16(text, start + len("Lindqvist")))
    selected = window.article.selected_range()
    steps, saved = window.undo_stack.count(), window.status_line.saved_label.text()

    other = sqlite3.connect(db_path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # another program writing, for longer than we wait
        qtbot.keyClick(window.article, Qt.Key.Key_1)

        assert window.undo_stack.count() == steps  # no phantom step to undo
        message = window.statusBar().currentMessage()
        assert "not saved" in message
        assert "the database is locked by another program" in message
        assert window.status_line.saved_label.text() == saved
        assert window.article.selected_range() == selected  # press the key again later
        assert any("not saved" in shown for shown in close_message_boxes(window))
    finally:
        other.rollback()
        other.close()
    assert stored_spans(db_path, window.document_id) == []

    qtbot.keyClick(window.article, Qt.Key.Key_1)  # the lock is gone: the same key works
    assert window.undo_stack.count() == steps + 1
    [span] = stored_spans(db_path, window.document_id)
    assert (span.start, span.end, span.label) == (start, start + len("Lindqvist"), "PERSON")
