"""The document list and the label schema read again off the GUI thread: after our own
changes, with F5, and to find where to resume; the newest list wins, a failure says so."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.annotations import DocumentSummary
from app.core.errors import StorageError
from app.core.schema import LabelSchema
from app.gui.commands import AddSpan
from app.gui.window.main_window import MainWindow
from app.services import ChangeSet, Workspace, documents, schema_edits
from app.services.importing import import_paths
from tests.gui.support import patch_action, wait_open

NEVER_MS = 3_600_000


class HeldLists:
    """Stands in for ``Workspace.documents``: each read can be held until let go, and can
    bring back titles of its own (to tell an older list from a newer one)."""

    def __init__(self, read: Callable[[], list[DocumentSummary]]) -> None:
        self.read = read
        self.gates: list[threading.Event | None] = []
        self.marks: list[str | None] = []
        self.early: list[bool] = []
        self.started = 0
        self.done = 0

    def next_read(
        self, *, held: bool = False, mark: str | None = None, early: bool = False
    ) -> threading.Event:
        """What the next read does: wait for the gate returned (``held``), before reading
        or, ``early``, after (then it brings back the list as it was before the wait)."""
        gate = threading.Event()
        self.gates.append(gate if held else None)
        self.marks.append(mark)
        self.early.append(early)
        return gate

    def __call__(self) -> list[DocumentSummary]:
        gate = self.gates.pop(0) if self.gates else None
        mark = self.marks.pop(0) if self.marks else None
        early = self.early.pop(0) if self.early else False
        self.started += 1
        summaries = self.read() if early else []
        if gate is not None:
            assert gate.wait(10), "never let go"
        summaries = summaries if early else self.read()
        self.done += 1
        if mark is None:
            return summaries
        return [dataclasses.replace(s, title=f"{mark} {s.title}") for s in summaries]


@pytest.fixture
def lists(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> HeldLists:
    held = HeldLists(partial(documents.documents, window.workspace))
    patch_action(monkeypatch, window.workspace, "documents", held)
    return held


def titles(window: MainWindow) -> list[str]:
    return [s.title for s in window.documents.summaries()]


def test_a_newer_list_is_never_replaced_by_an_older_one(
    window: MainWindow, qtbot: QtBot, lists: HeldLists, ticks: list[int]
) -> None:
    older = lists.next_read(held=True, mark="OLDER")
    window.hub.changed.emit(ChangeSet(documents=True))  # an import of ours, say
    qtbot.waitUntil(lambda: len(ticks) >= 3)  # the window answers while it is read
    assert window.shown.busy
    lists.next_read(mark="NEWER")
    window.hub.changed.emit(ChangeSet(documents=True))  # a second one supersedes it
    qtbot.waitUntil(lambda: all(t.startswith("NEWER") for t in titles(window)))
    older.set()
    qtbot.waitUntil(lambda: lists.done == 2)
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + 10)  # time enough to show it, were it kept
    assert all(t.startswith("NEWER") for t in titles(window))
    assert not window.shown.busy


def test_a_list_read_before_a_change_of_ours_does_not_undo_it_on_show(
    window: MainWindow, qtbot: QtBot, lists: HeldLists, ticks: list[int]
) -> None:
    document = window.document_id
    assert document is not None
    gate = lists.next_read(held=True, early=True)
    window.hub.changed.emit(ChangeSet(documents=True))
    qtbot.waitUntil(lambda: lists.started == 1)  # read as it was, held back
    text = window.article.text
    start = text.index("festival")
    window.undo_stack.push(AddSpan(window.workspace, window.hub, document, start, start + 8, "ORG"))
    assert window.documents.summary(document).own_span_count == 1  # type: ignore[union-attr]
    gate.set()
    qtbot.waitUntil(lambda: lists.done == 2 and not window.shown.busy)
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + 10)
    assert window.documents.summary(document).own_span_count == 1  # type: ignore[union-attr]


def test_a_list_that_cannot_be_read_says_so_and_keeps_the_window_usable(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = titles(window)

    def unreachable() -> list[DocumentSummary]:
        raise StorageError("cannot reach the database server", reason="the server is gone")

    patch_action(monkeypatch, window.workspace, "documents", unreachable)
    window.hub.changed.emit(ChangeSet(documents=True))
    qtbot.waitUntil(lambda: not window.shown.busy)
    assert "Cannot read the document list" in window.statusBar().currentMessage()
    assert titles(window) == before
    monkeypatch.undo()
    other = next(s.id for s in window.documents.summaries() if s.id != window.document_id)
    window.open_document(other)  # still usable
    wait_open(qtbot, window)
    assert window.document_id == other


def colleague_recolours(db_path: Path) -> str:
    """Bob gives the first label another colour; its name."""
    theirs = Workspace.open(str(db_path), "bob")
    try:
        schema = theirs.schema.to_dict()
        schema["labels"][0]["colour"] = "#123456"
        schema_edits.update_schema(theirs, LabelSchema.from_dict(schema))
        return str(schema["labels"][0]["name"])
    finally:
        theirs.close()


def test_f5_answers_while_the_schema_and_the_list_are_read(
    window: MainWindow,
    qtbot: QtBot,
    lists: HeldLists,
    monkeypatch: pytest.MonkeyPatch,
    ticks: list[int],
    db_path: Path,
) -> None:
    window.live_updates.set_interval(NEVER_MS)
    name = colleague_recolours(db_path)
    gate = threading.Event()
    read = partial(schema_edits.refresh_schema, window.workspace)

    def slow_schema() -> LabelSchema:
        assert gate.wait(10), "never let go"
        return read()

    patch_action(monkeypatch, window.workspace, "refresh_schema", slow_schema)
    qtbot.keyClick(window.article, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: len(ticks) >= 3)  # the event loop turns while F5 reads
    assert window.live_updates.reading and window.live_updates.reloads == 0
    assert window.colours[name] != "#123456"
    gate.set()
    qtbot.waitUntil(lambda: not window.live_updates.reading, timeout=5000)
    wait_open(qtbot, window)
    assert window.live_updates.reloads == 1
    assert window.statusBar().currentMessage() == "Reloaded from the database."
    assert window.colours[name] == "#123456"  # the colleague's edit, shown


def test_where_to_resume_after_an_import_is_read_off_the_thread(
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    ticks: list[int],
    tmp_path: Path,
) -> None:
    window = open_window(workspace)
    article = tmp_path / "a.txt"
    article.write_text("Ferry terminal opens.\n\nThe harbour chief said so.", encoding="utf-8")
    import_paths(workspace, [article])
    gate = threading.Event()
    read = partial(documents.resume_point, workspace)

    def slow() -> dict[str, object]:
        assert gate.wait(10), "never let go"
        return read()

    patch_action(monkeypatch, workspace, "resume_point", slow)
    window.hub.changed.emit(ChangeSet(documents=True))
    window.session.resume()
    qtbot.waitUntil(lambda: len(ticks) >= 3)
    assert window.document is None and window.shown.busy
    gate.set()
    wait_open(qtbot, window)
    assert window.document is not None and window.document.text.startswith("Ferry")
    assert titles(window) == [window.document.title]


def test_a_colleagues_schema_edit_is_shown_at_the_look_after_a_failed_one(
    window: MainWindow, qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = window.live_updates
    live.set_interval(NEVER_MS)
    name = colleague_recolours(db_path)

    def unreachable() -> list[DocumentSummary]:
        raise StorageError("cannot reach the database server", reason="the server is gone")

    patch_action(monkeypatch, window.workspace, "documents", unreachable)
    live.poll()
    qtbot.waitUntil(lambda: "Cannot reload" in window.statusBar().currentMessage())
    qtbot.waitUntil(lambda: not live.reading)
    assert window.colours[name] != "#123456"
    monkeypatch.undo()  # the server is back
    live.poll()
    qtbot.waitUntil(lambda: window.colours[name] == "#123456", timeout=5000)
