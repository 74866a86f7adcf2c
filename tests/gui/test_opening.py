"""Opening a document off the GUI thread: the window answers meanwhile, the latest request
wins, and a failed read keeps the document on show."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.errors import StorageError
from app.gui.models import open_document
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents
from app.services.opening import DocumentSnapshot, read_document
from tests.gui.support import wait_open


def _other(window: MainWindow) -> int:
    return next(s.id for s in window.documents.summaries() if s.id != window.document_id)


class HeldReads:
    """Stands in for ``read_document``: the read of a held document waits until let go."""

    def __init__(self) -> None:
        self.held: dict[int, threading.Event] = {}
        self.done: set[int] = set()

    def hold(self, document_id: int) -> threading.Event:
        self.held[document_id] = threading.Event()
        return self.held[document_id]

    def __call__(
        self, workspace: Workspace, document_id: int, annotators: Collection[str] | None = None
    ) -> DocumentSnapshot:
        gate = self.held.get(document_id)
        if gate is not None:
            assert gate.wait(10), "never let go"
        try:
            return read_document(workspace, document_id, annotators)
        finally:
            self.done.add(document_id)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> HeldReads:
    held = HeldReads()
    monkeypatch.setattr(open_document, "read_document", held)
    return held


def test_the_window_answers_while_another_program_holds_the_write_lock(
    window: MainWindow, qtbot: QtBot, db_path: Path, ticks: list[int]
) -> None:
    other = _other(window)
    locker = sqlite3.connect(db_path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        window.open_document(other)
        qtbot.waitUntil(lambda: len(ticks) >= 3)  # the event loop turns meanwhile
        wait_open(qtbot, window)
        assert window.document_id == other  # reading waits for no writer
        resume = documents.resume_point(window.workspace)
        assert resume.get("document") != other  # where to resume waits for the lock...
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    # ...off the GUI thread, and is written once the lock is let go
    qtbot.waitUntil(lambda: documents.resume_point(window.workspace).get("document") == other)


def test_the_window_answers_while_a_read_is_slow(
    window: MainWindow, qtbot: QtBot, reads: HeldReads, ticks: list[int]
) -> None:
    before, other = window.document_id, _other(window)
    gate = reads.hold(other)
    window.open_document(other)
    qtbot.waitUntil(lambda: len(ticks) >= 3)
    assert window.document_id == before and window.current_document.pending == other
    gate.set()
    wait_open(qtbot, window)
    assert window.document_id == other
    assert window.windowTitle().endswith(window.documents.summary(other).title)  # type: ignore[union-attr]


def test_a_later_open_supersedes_one_still_being_read(
    window: MainWindow, qtbot: QtBot, reads: HeldReads, ticks: list[int]
) -> None:
    summaries = window.documents.summaries()
    older, newer = (s.id for s in summaries if s.id != window.document_id)
    gate = reads.hold(older)
    window.open_document(older)
    window.open_document(newer)
    wait_open(qtbot, window)
    assert window.document_id == newer
    text = window.article.text
    gate.set()
    qtbot.waitUntil(lambda: older in reads.done)
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + 10)  # time enough to show it, were it kept
    assert window.document_id == newer and window.article.text == text


def test_a_storage_failure_keeps_the_document_on_show_and_says_why(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, text = window.document_id, window.article.text

    def unreachable(*_: object) -> DocumentSnapshot:
        raise StorageError("cannot reach the database server", reason="the server is gone")

    monkeypatch.setattr(open_document, "read_document", unreachable)
    with qtbot.waitSignal(window.hub.failed, timeout=5000) as failed:
        window.open_document(_other(window))
    assert failed.args is not None
    assert "cannot reach the database server" in failed.args[0]
    assert window.current_document.pending is None
    assert window.document_id == before and window.article.text == text
    assert "cannot reach the database server" in window.statusBar().currentMessage()


def test_reading_the_open_document_again_fails_quietly(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, text = window.document_id, window.article.text
    told: list[str] = []
    window.hub.failed.connect(told.append)

    def unreachable(*_: object) -> DocumentSnapshot:
        raise StorageError("cannot reach the database server")

    monkeypatch.setattr(open_document, "read_document", unreachable)
    window.reload_document()
    wait_open(qtbot, window)
    assert window.document_id == before and window.article.text == text
    assert "cannot reach the database server" in window.statusBar().currentMessage()
    assert told == []  # no box over the article for a look the user did not ask for
