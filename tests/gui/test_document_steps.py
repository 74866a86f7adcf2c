"""Done-and-next off the GUI thread: the window answers while the status is written and the
next document looked for, the next one opens once both are done, and a failure says so."""

from __future__ import annotations

import sqlite3
import threading
from functools import partial
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.annotations import Status
from app.core.errors import StorageError
from app.gui.window.main_window import MainWindow
from app.services import ChangeSet, Workspace, documents
from tests.gui.support import patch_action, wait_open


def stored_status(db_path: Path, document_id: int) -> Status:
    """The tester's status of a document, as a fresh connection sees it."""
    fresh = Workspace.open(str(db_path), "tester")
    try:
        return next(s.status for s in documents.documents(fresh) if s.id == document_id)
    finally:
        fresh.close()


def expected_next(window: MainWindow, document_id: int) -> int:
    ids = [s.id for s in window.documents.summaries()]
    return ids[(ids.index(document_id) + 1) % len(ids)]


def test_done_and_next_waits_for_a_write_lock_with_the_window_answering(
    window: MainWindow, qtbot: QtBot, db_path: Path, ticks: list[int]
) -> None:
    marked = window.document_id
    assert marked is not None
    following = expected_next(window, marked)
    locker = sqlite3.connect(db_path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        window.session.actions["done_and_next"].trigger()
        qtbot.waitUntil(lambda: len(ticks) >= 3)  # the event loop turns meanwhile
        assert window.steps.busy
        assert window.document_id == marked  # the next one waits for the write
        assert window.undo_stack.count() == 0
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    wait_open(qtbot, window)
    assert window.document_id == following
    assert stored_status(db_path, marked) is Status.DONE
    assert window.documents.summary(marked).status is Status.DONE  # type: ignore[union-attr]
    assert window.undo_stack.count() == 1  # one step, written once
    window.undo_stack.undo()
    assert stored_status(db_path, marked) is not Status.DONE


def test_done_and_next_waits_for_a_slow_read_of_the_next_document(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, ticks: list[int]
) -> None:
    marked = window.document_id
    assert marked is not None
    gate = threading.Event()
    read = partial(documents.next_unfinished, window.workspace)

    def slow(after: int | None = None) -> int | None:
        assert gate.wait(10), "never let go"
        return read(after)

    patch_action(monkeypatch, window.workspace, "next_unfinished", slow)
    window.steps.mark_done_and_next()
    qtbot.waitUntil(lambda: len(ticks) >= 3)
    assert window.steps.busy and window.document_id == marked
    window.steps.mark_done_and_next()  # pressed again meanwhile: refused, not queued
    assert "Still marking" in window.statusBar().currentMessage()
    gate.set()
    wait_open(qtbot, window)
    assert window.document_id == expected_next(window, marked)
    assert window.undo_stack.count() == 1


def test_a_step_taken_meanwhile_is_not_overtaken_by_done_and_next(
    window: MainWindow, qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marked = window.document_id
    assert marked is not None
    gate = threading.Event()
    read = partial(documents.next_unfinished, window.workspace)

    def slow(after: int | None = None) -> int | None:
        assert gate.wait(10), "never let go"
        return read(after)

    patch_action(monkeypatch, window.workspace, "next_unfinished", slow)
    window.steps.mark_done_and_next()
    skipped = expected_next(window, marked)
    chosen = next(s.id for s in window.documents.summaries() if s.id not in (marked, skipped))
    window.open_document(chosen)  # the user picks another document meanwhile
    qtbot.waitUntil(lambda: window.document_id == chosen)
    gate.set()
    wait_open(qtbot, window)
    assert window.document_id == chosen  # it stays
    assert stored_status(db_path, marked) is Status.DONE  # and the write was not dropped


def test_a_status_not_written_says_so_and_keeps_the_window_usable(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    marked = window.document_id
    assert marked is not None

    def locked(document_id: int, status: Status) -> ChangeSet:
        raise StorageError("the database is locked", reason="database is locked")

    patch_action(monkeypatch, window.workspace, "set_status", locked)
    with qtbot.waitSignal(window.hub.failed, timeout=5000) as failed:
        window.steps.mark_done_and_next()
    assert failed.args is not None
    assert "Mark document done not saved" in failed.args[0]
    assert "locked" in failed.args[0]
    assert not window.steps.busy and window.document_id == marked
    assert window.undo_stack.count() == 0
    assert stored_status(db_path, marked) is not Status.DONE
    monkeypatch.undo()  # the lock went away: the next press works
    window.steps.mark_done_and_next()
    wait_open(qtbot, window)
    assert window.document_id == expected_next(window, marked)
    assert stored_status(db_path, marked) is Status.DONE


def test_closing_waits_for_a_status_on_its_way(
    window: MainWindow, qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marked = window.document_id
    assert marked is not None
    gate, written = threading.Event(), threading.Event()
    write, stop_clock = partial(documents.set_status, window.workspace), window.activity.stop

    def slow(document_id: int, status: Status) -> ChangeSet:
        assert gate.wait(10), "never let go"
        try:
            return write(document_id, status)
        finally:
            written.set()

    def closing() -> None:
        gate.set()  # the other program lets go as the window closes
        stop_clock()

    patch_action(monkeypatch, window.workspace, "set_status", slow)
    monkeypatch.setattr(window.activity, "stop", closing)
    window.steps.mark_done_and_next()
    assert window.steps.busy
    window.close()
    assert written.is_set() and not window.steps.busy  # closing waited for it
    assert stored_status(db_path, marked) is Status.DONE
