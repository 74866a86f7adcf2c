"""Time spent: only active time counts, and it reaches the database per document."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.annotations import DocumentSummary, Status
from app.core.errors import StorageError
from app.gui.models.documents import REVIEWED_MARK, DocumentListModel
from app.gui.team import activity
from app.gui.team.activity import IDLE_SECONDS, ActiveTime
from app.gui.team.progress_dialog import HEADERS, ProgressDialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace
from app.services import documents as documents_service
from app.services.timing import record_time, time_spent
from tests.gui.support import wait_open

ALT = Qt.KeyboardModifier.AltModifier


@dataclass
class FakeClock:
    """Seconds that pass only when a test says so."""

    at: float = 1000.0

    def __call__(self) -> float:
        return self.at

    def wait(self, seconds: float) -> None:
        self.at += seconds


# -- the bookkeeping, without a window -------------------------------------------------------


def test_steady_work_counts_every_second() -> None:
    clock = FakeClock()
    time = ActiveTime(clock, idle=60)
    time.set_in_front(True)
    for _ in range(10):
        clock.wait(10)
        time.input()
    assert time.seconds == pytest.approx(100)


def test_a_long_pause_counts_only_up_to_the_idle_limit() -> None:
    clock = FakeClock()
    time = ActiveTime(clock, idle=60)
    time.set_in_front(True)
    clock.wait(20)
    time.input()
    clock.wait(600)  # lunch
    assert time.seconds == pytest.approx(80)
    time.input()
    clock.wait(5)
    assert time.seconds == pytest.approx(85)


def test_time_with_another_window_in_front_counts_nothing() -> None:
    clock = FakeClock()
    time = ActiveTime(clock, idle=60)
    time.set_in_front(True)
    clock.wait(10)
    time.set_in_front(False)
    clock.wait(30)
    time.input()  # not ours: another window has the keyboard
    clock.wait(30)
    assert time.seconds == pytest.approx(10)
    time.set_in_front(True)
    clock.wait(7)
    assert time.seconds == pytest.approx(17)


def test_taking_keeps_the_fraction_unless_everything_is_taken() -> None:
    clock = FakeClock()
    time = ActiveTime(clock, idle=60)
    time.set_in_front(True)
    clock.wait(10.75)
    assert time.take() == 10
    assert time.seconds == pytest.approx(0.75)
    clock.wait(1)
    assert time.take(all_of_it=True) == 2  # 1.75 rounds to 2
    assert time.seconds == 0
    time.give_back(3)
    assert time.take() == 3


EVENTS = st.lists(
    st.tuples(st.integers(0, 150), st.sampled_from(["input", "front", "away"])), max_size=30
)


@given(EVENTS, st.integers(1, 90))
def test_counted_time_is_the_active_time(events: list[tuple[int, str]], idle: int) -> None:
    """Counted seconds equal the seconds in which the window was in front and the last
    input (or activation) was less than ``idle`` seconds before, counted one by one."""
    clock = FakeClock(0)
    time = ActiveTime(clock, idle=idle)
    front, last, expected = False, None, 0
    for gap, event in events:
        for second in range(int(clock.at), int(clock.at) + gap):
            expected += front and last is not None and second < last + idle
        clock.wait(gap)
        if event == "input":
            time.input()
            last = int(clock.at) if front else None
        else:
            time.set_in_front(event == "front")
            front = event == "front"
            last = int(clock.at) if front else None
    assert time.seconds == pytest.approx(expected)


# -- in the window ----------------------------------------------------------------------------


def written(window: MainWindow, qtbot: QtBot) -> None:
    """Wait until the seconds counted so far reached the database and the document list."""
    qtbot.waitUntil(lambda: not window.activity.writing, timeout=5000)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(activity, "monotonic", fake)
    return fake


def test_window_records_active_time_per_document(
    clock: FakeClock,
    sample_workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    window = open_window(sample_workspace)
    first = window.document_id
    assert first is not None
    for pause in (20, 20, 10 * IDLE_SECONDS):
        clock.wait(pause)
        qtbot.keyClick(window.article, Qt.Key.Key_Right)
    # 20 + 20 of work, then a long pause of which only the first minute counts
    qtbot.keyClick(window.article, Qt.Key.Key_Right, ALT)  # next document: the time is saved
    wait_open(qtbot, window)
    written(window, qtbot)
    second = window.document_id
    assert second != first
    assert time_spent(sample_workspace, first) == 40 + IDLE_SECONDS
    row = window.documents.row_of(first)
    assert row is not None
    assert window.documents.index(row, window.documents.TIME).data() == "1m"

    clock.wait(12)
    window.activity.timer.timeout.emit()  # the periodic save
    written(window, qtbot)
    assert time_spent(sample_workspace, second) == 12
    clock.wait(5)
    window.close()
    assert time_spent(sample_workspace, second) == 17
    assert time_spent(sample_workspace, first) == 40 + IDLE_SECONDS  # nothing more


def test_time_never_changes_the_status(
    clock: FakeClock,
    sample_workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    window = open_window(sample_workspace)
    document = window.document_id
    assert document is not None
    clock.wait(30)
    window.activity.flush()
    written(window, qtbot)
    assert time_spent(sample_workspace, document) == 30
    assert documents_service.status(sample_workspace, document) is Status.NEW


def test_document_list_shows_time_spent_and_the_reviewed_mark(
    qtmodeltester: ModelTester,
) -> None:
    model = DocumentListModel(
        [
            DocumentSummary(1, "Harbour", 100, 4, Status.DONE, seconds_spent=3725, reviewed=True),
            DocumentSummary(2, "Dam", 300, 0, Status.NEW),
        ]
    )
    qtmodeltester.check(model)

    def cell(row: int, column: int) -> object:
        return model.index(row, column).data()

    assert [cell(0, model.TIME), cell(0, model.REVIEWED)] == ["1h02", REVIEWED_MARK]
    assert "1 h 02 min" in model.index(0, model.TIME).data(Qt.ItemDataRole.ToolTipRole)
    assert [cell(1, model.TIME), cell(1, model.REVIEWED)] == ["", ""]
    model.set_time(2, 45)
    assert cell(1, model.TIME) == "45s"


def test_progress_view_shows_every_annotator(
    clock: FakeClock,
    sample_workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    documents = [s.id for s in documents_service.documents(sample_workspace)]
    bob = Workspace(sample_workspace.database, "bob")
    documents_service.set_status(bob, documents[0], Status.DONE)
    record_time(bob, documents[0], 600)
    window = open_window(sample_workspace)
    clock.wait(90)  # a minute and a half on the open document, not yet saved
    window.session.actions["progress_view"].trigger()
    qtbot.waitUntil(lambda: window.findChild(ProgressDialog) is not None)
    dialog = window.findChild(ProgressDialog)
    assert dialog is not None and dialog.isVisible()
    rows = [
        [dialog.cell(row, column) for column in range(len(HEADERS))]
        for row in range(dialog.table.rowCount())
    ]
    assert rows == [["bob", "2", "0", "1", "10 min"], ["tester", "3", "0", "0", "1 min"]]
    dialog.close()


# -- on a database another program holds ------------------------------------------------------


class WriteLock:
    """Another program writing to the SQLite file: readers go on (WAL), writers wait."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.held = False

    def take(self) -> None:
        self.connection.execute("BEGIN EXCLUSIVE")
        self.held = True

    def let_go(self) -> None:
        if self.held:
            self.connection.execute("ROLLBACK")
            self.held = False


@pytest.fixture
def write_lock(db_path: Path) -> Iterator[WriteLock]:
    lock = WriteLock(db_path)
    yield lock
    lock.let_go()
    lock.connection.close()


def work(clock: FakeClock, window: MainWindow, qtbot: QtBot, seconds: int) -> None:
    """``seconds`` of work on the open document, ending with a key press."""
    clock.wait(seconds)
    qtbot.keyClick(window.article, Qt.Key.Key_Right)


def shown_time(window: MainWindow, document_id: int) -> object:
    row = window.documents.row_of(document_id)
    assert row is not None
    return window.documents.index(row, window.documents.TIME).data()


def test_switching_documents_while_another_program_writes_keeps_the_window_answering(
    clock: FakeClock,
    sample_workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    write_lock: WriteLock,
    ticks: list[int],
) -> None:
    window = open_window(sample_workspace)
    first = window.document_id
    assert first is not None
    work(clock, window, qtbot, 25)
    write_lock.take()

    window.steps.next_document()
    qtbot.waitUntil(lambda: window.activity.document_id not in (None, first))
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + 3)  # the event loop turns meanwhile
    assert window.activity.writing  # the time waits for the lock, off the window's thread
    assert shown_time(window, first) == ""

    write_lock.let_go()
    written(window, qtbot)
    assert time_spent(sample_workspace, first) == 25  # written once the lock is let go
    assert shown_time(window, first) == "25s"


def test_closing_the_window_writes_what_waited_for_a_lock_and_the_rest(
    clock: FakeClock,
    sample_workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    write_lock: WriteLock,
) -> None:
    window = open_window(sample_workspace)
    first = window.document_id
    assert first is not None
    work(clock, window, qtbot, 25)
    write_lock.take()
    window.steps.next_document()
    qtbot.waitUntil(lambda: window.activity.document_id not in (None, first))
    second = window.document_id
    assert second is not None and window.activity.writing
    work(clock, window, qtbot, 10)
    write_lock.let_go()

    window.close()  # waits for the first amount, then writes the second

    assert not window.activity.writing
    assert time_spent(sample_workspace, first) == 25
    assert time_spent(sample_workspace, second) == 10


def test_time_that_could_not_be_written_goes_to_its_own_document_once(
    clock: FakeClock,
    sample_workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refused: list[int] = []

    def locked_once(workspace: Workspace, document_id: int, seconds: int) -> int:
        if not refused:
            refused.append(document_id)
            raise StorageError("the database is locked by another program")
        return record_time(workspace, document_id, seconds)

    monkeypatch.setattr(activity, "record_time", locked_once)
    window = open_window(sample_workspace)
    first = window.document_id
    assert first is not None
    work(clock, window, qtbot, 25)
    window.steps.next_document()
    wait_open(qtbot, window)
    written(window, qtbot)
    assert refused == [first] and time_spent(sample_workspace, first) == 0
    assert "Time spent not saved yet" in window.statusBar().currentMessage()
    second = window.document_id
    assert second is not None and second != first

    work(clock, window, qtbot, 10)
    window.activity.flush()
    written(window, qtbot)

    assert time_spent(sample_workspace, first) == 25  # not given to the document after it
    assert time_spent(sample_workspace, second) == 10
    window.close()
    assert time_spent(sample_workspace, first) == 25  # nor written twice
    assert time_spent(sample_workspace, second) == 10


def test_the_progress_view_opens_after_another_program_lets_go_the_window_answering(
    clock: FakeClock,
    sample_workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    write_lock: WriteLock,
    ticks: list[int],
) -> None:
    window = open_window(sample_workspace)
    work(clock, window, qtbot, 90)
    write_lock.take()

    window.session.actions["progress_view"].trigger()
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + 3)  # the event loop turns meanwhile
    assert window.activity.writing and window.findChild(ProgressDialog) is None

    write_lock.let_go()
    qtbot.waitUntil(lambda: window.findChild(ProgressDialog) is not None)
    dialog = window.findChild(ProgressDialog)
    assert dialog is not None
    assert dialog.cell(0, 0) == "tester" and dialog.cell(0, 4) == "1 min"  # read after written
    dialog.close()
