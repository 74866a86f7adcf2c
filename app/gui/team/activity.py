"""Time spent on the open document: active time only, written to the database now and then.

Time counts while the window is in front and there was a key press, click, wheel turn or
mouse move in the last ``IDLE_SECONDS``; a longer pause counts only its first
``IDLE_SECONDS`` (reading), and time with another window in front counts nothing.
The seconds are written when another document opens, every ``FLUSH_SECONDS`` and when the
window closes. Recording time never changes a document's status (see app.services.timing).
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.core.errors import GlossaError
from app.gui.session import Session
from app.services.timing import record_time

if TYPE_CHECKING:
    from app.gui.models.documents import DocumentListModel

IDLE_SECONDS = 60.0
FLUSH_SECONDS = 30
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
    """The window's clock: counts active time on the open document and records it."""

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
        self.timer = QTimer(self)
        self.timer.setInterval(FLUSH_SECONDS * 1000)
        self.timer.timeout.connect(self.flush)
        self.timer.start()
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.time.set_in_front(window.isActiveWindow())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _INPUT:
            if self.time.in_front:
                self.time.input()
        elif kind == QEvent.Type.ActivationChange and watched is self.window:
            self.time.set_in_front(self.window.isActiveWindow())
        return False

    def switch_to(self, document_id: int | None) -> None:
        """Another document opens: what was counted goes to the one before."""
        self._record(self.time.take(all_of_it=True))
        self.document_id = document_id

    def flush(self) -> None:
        """Write the whole seconds counted so far to the open document."""
        self._record(self.time.take())

    def stop(self) -> None:
        """The window closes: write everything counted and stop counting."""
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.switch_to(None)

    def _record(self, seconds: int) -> None:
        document_id = self.document_id
        if document_id is None or seconds <= 0:
            return
        try:
            total = record_time(self.session.workspace, document_id, seconds)
        except GlossaError as exc:  # time keeping must never stop annotating
            self.time.give_back(seconds)  # written with the next flush
            self.session.say(f"Time spent not saved yet: {exc}", 6000)
            return
        self.documents.set_time(document_id, total)
