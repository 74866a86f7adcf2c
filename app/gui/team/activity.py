"""Time spent on the open document: active time only, written to the database now and then.

Time counts while the window is in front and there was a key press, click, wheel turn or
mouse move in the last ``IDLE_SECONDS``; a longer pause counts only its first
``IDLE_SECONDS`` (reading), and time with another window in front counts nothing.
The seconds are written when another document opens, every ``FLUSH_SECONDS`` and when the
window closes, on a thread of their own. Recording time never changes a document's status
(see app.services.timing).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from time import monotonic
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.core.errors import GlossaError, NotFoundError
from app.gui.session import Session
from app.services import Workspace
from app.services.timing import record_time

if TYPE_CHECKING:
    from app.gui.models.documents import DocumentListModel

IDLE_SECONDS = 60.0
FLUSH_SECONDS = 30
TIMES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glossa-time")
"""One thread for every window: amounts are written in the order they were counted."""
COLLECT_MS = 20
"""How often amounts on their way are looked at."""
_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
    }
)


def _now() -> float:
    # looked up at each call, so that tests can put a clock of their own in its place
    return monotonic()


class ActiveTime:
    """Counts active seconds from input moments and whether the window is in front.

    At any moment time is active when the window is in front and the last input was at most
    ``idle`` seconds ago. Pure bookkeeping: every method takes the time from ``now``.
    """

    def __init__(self, now: Callable[[], float] = _now, idle: float = IDLE_SECONDS) -> None:
        self.now = now
        self.idle = idle
        self._front = False
        self._last_input: float | None = None
        self._settled = now()  # counted up to here
        self._seconds = 0.0

    @property
    def in_front(self) -> bool:
        """True while the window is the active one."""
        return self._front

    def _settle(self) -> float:
        at = self.now()
        if self._front and self._last_input is not None:
            end = min(at, self._last_input + self.idle)
            if end > self._settled:
                self._seconds += end - self._settled
        self._settled = max(self._settled, at)
        return at

    def input(self) -> None:
        """A key press or mouse event in the window, now."""
        at = self._settle()
        if self._front:
            self._last_input = at

    def set_in_front(self, front: bool) -> None:
        """The window became active (counts as input) or another window did."""
        at = self._settle()
        self._front = front
        self._last_input = at if front else None

    @property
    def seconds(self) -> float:
        """Active seconds counted and not yet taken."""
        self._settle()
        return self._seconds

    def take(self, *, all_of_it: bool = False) -> int:
        """The whole active seconds counted so far, which are then no longer counted.

        The fraction left over stays for the next time, unless ``all_of_it`` (another
        document opens): then it is rounded into this amount.
        """
        self._settle()
        whole = round(self._seconds) if all_of_it else int(self._seconds)
        self._seconds = 0.0 if all_of_it else self._seconds - whole
        return whole

    def give_back(self, seconds: int) -> None:
        """Count again seconds taken but not recorded (the write failed)."""
        self._seconds += seconds


class ActivityClock(QObject):
    """The window's clock: counts active time on the open document and records it.

    The seconds are written on a thread of their own (``TIMES``), in the order they were
    counted, so that a database locked by another program or a slow server never freezes
    the window; each amount is either on its way or owed, never both, so none is lost or
    written twice. One that cannot be written is owed to its document and written with the
    next. Closing the window waits until every amount is written.
    """

    def __init__(
        self,
        session: Session,
        documents: DocumentListModel,
        now: Callable[[], float] = _now,
    ) -> None:
        super().__init__(session.parent)
        self.session = session
        self.window = window = session.parent.window()
        """The window whose being in front counts."""
        self.documents = documents
        """The document list: it shows each document's time."""
        self.time = ActiveTime(now)
        self.document_id: int | None = None
        self._owed: dict[int, int] = {}
        """Seconds counted for each document and not on their way to the database."""
        self._writing: list[Future[Written]] = []
        """Amounts on their way, in the order they were handed over."""
        self.timer = QTimer(self)
        self.timer.setInterval(FLUSH_SECONDS * 1000)
        self.timer.timeout.connect(self.flush)
        self.timer.start()
        self._collector = QTimer(self)
        self._collector.setInterval(COLLECT_MS)
        self._collector.timeout.connect(self._collect)
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.time.set_in_front(window.isActiveWindow())
        session.current_document.opened.connect(self._follow)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT:
            if self.time.in_front:
                self.time.input()
        elif kind == QEvent.Type.ActivationChange and watched is self.window:
            self.time.set_in_front(self.window.isActiveWindow())
        return False

    @property
    def writing(self) -> bool:
        """True while counted seconds are on their way to the database."""
        return bool(self._writing)

    def _follow(self, _scroll: object = None) -> None:
        document_id = self.session.document_id
        if document_id != self.document_id:
            self.switch_to(document_id)

    def switch_to(self, document_id: int | None) -> None:
        """Another document opens: what was counted goes to the one before."""
        self._owe(self.time.take(all_of_it=True))
        self.document_id = document_id
        self._write()

    def flush(self) -> None:
        """Write the whole seconds counted so far to the open document (on the time thread:
        what runs there after this sees them written)."""
        self._owe(self.time.take())
        self._write()

    def stop(self) -> None:
        """The window closes: write everything counted, wait for it, and stop counting."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._wait()  # what failed before is owed again, and goes with the rest
        self.switch_to(None)
        self._wait()

    def _owe(self, seconds: int) -> None:
        document_id = self.document_id
        if document_id is not None and seconds > 0:
            self._owed[document_id] = self._owed.get(document_id, 0) + seconds

    def _write(self) -> None:
        if not self._owed:
            return
        amounts, self._owed = self._owed, {}
        self._writing.append(TIMES.submit(write_times, self.session.workspace, amounts))
        self._collector.start()

    def _wait(self) -> None:
        for future in self._writing:
            future.exception()  # waits; what it raised is seen when collected
        self._collect()

    def _collect(self) -> None:
        while self._writing and self._writing[0].done():
            written = self._writing.pop(0).result()
            for document_id, total in written.totals.items():
                self.documents.set_time(document_id, total)
            for document_id, seconds in written.unwritten.items():
                self._owed[document_id] = self._owed.get(document_id, 0) + seconds
            if written.problem is not None:  # time keeping must never stop annotating
                self.session.say(f"Time spent not saved yet: {written.problem}", 6000)
        if not self._writing:
            self._collector.stop()


@dataclass(frozen=True)
class Written:
    """What became of amounts of time handed to the database."""

    totals: dict[int, int]
    """Each document written: this annotator's time on it now."""
    unwritten: dict[int, int]
    """Seconds that could not be written, per document."""
    problem: str | None = None


def write_times(workspace: Workspace, amounts: dict[int, int]) -> Written:
    """Add each document's seconds to this annotator's time on it (on the time thread).

    After a failure the rest is not tried: a locked database would make each wait as long.
    """
    totals: dict[int, int] = {}
    done: set[int] = set()
    for document_id, seconds in amounts.items():
        try:
            totals[document_id] = record_time(workspace, document_id, seconds)
        except NotFoundError:  # deleted meanwhile: no time of it to keep
            pass
        except GlossaError as exc:
            unwritten = {d: s for d, s in amounts.items() if d not in done}
            return Written(totals, unwritten, str(exc))
        done.add(document_id)
    return Written(totals, {})
