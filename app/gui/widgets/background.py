"""Figures computed off the GUI thread, so that a window stays responsive while a big
project's agreement or statistics are worked out.

A view asks its ``Background`` to ``run`` a computation (a plain function calling services);
the function runs on a worker thread and the view hears ``finished`` (or ``failed``) on the
GUI thread. Only the latest request is answered: asking again, or ``cancel``, makes the
result of anything still under way stale, and a stale result is dropped.

The worker never touches a Qt object: it only returns a value, which a timer on the GUI
thread collects. So a view closed, or deleted, in the middle of a computation has nothing
to be crashed into; the computation finishes on its own and its result is forgotten. The
services the worker calls open their own unit of work, hence their own session and pooled
connection, as each thread must.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

from app.core.errors import GlossaError
from app.services.live import connection_problem

WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="glossa-figures")
"""Shared by every view: two computations at most run at once (these machines have two
cores), the others wait their turn."""
COLLECT_MS = 20
"""How often a view looks whether its computation is done, while one is under way."""


class Background(QObject):
    """One view's computations, on a worker thread; only the latest request is answered."""

    finished = Signal(object)
    """The result of the latest request."""
    failed = Signal(object)
    """The exception the latest request raised."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        workers: Executor = WORKERS,
        collect_ms: int = COLLECT_MS,
    ) -> None:
        super().__init__(parent)
        self.workers = workers
        self.future: Future[Any] | None = None
        """The latest request, until its result is delivered (or it is cancelled)."""
        self._collector = QTimer(self)
        self._collector.setInterval(collect_ms)
        self._collector.timeout.connect(self._collect)

    @property
    def busy(self) -> bool:
        """True while the latest request is under way."""
        return self.future is not None

    def wait(self) -> None:
        """Return once the latest request is answered, the window's events handled meanwhile
        (for scripts and tests)."""
        wait_while(lambda: self.busy, self._collector.interval())

    def run(self, work: Callable[[], Any]) -> None:
        """Compute ``work()`` on a worker thread, superseding any earlier request."""
        self.cancel()
        self.future = self.workers.submit(work)
        self._collector.start()

    def cancel(self) -> None:
        """Forget the request under way: its result, when it comes, is dropped."""
        if self.future is not None:
            self.future.cancel()  # only stops one still waiting for a worker
        self.future = None
        self._collector.stop()

    def _collect(self) -> None:
        future = self.future
        if future is None or not future.done():
            return
        self.future = None
        self._collector.stop()
        error = future.exception()
        if error is not None:
            self.failed.emit(error)
        else:
            self.finished.emit(future.result())


def wait_while(busy: Callable[[], bool], turn_ms: int = COLLECT_MS) -> None:
    """Handle the window's events until ``busy()`` is false (for scripts and tests)."""
    while busy():
        loop = QEventLoop()
        QTimer.singleShot(turn_ms, loop.quit)
        loop.exec()


def database_problem(error: object) -> str:
    """Why a read on a worker thread failed, in words for the user (never with a password).

    A failure that is not the database's is a mistake of ours: it is raised again, so that it
    is seen rather than said as if the database were at fault.
    """
    if not isinstance(error, GlossaError):
        raise error if isinstance(error, BaseException) else RuntimeError(error)
    return connection_problem(error)
