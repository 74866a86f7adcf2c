"""``GLOSSA_FIRST_PAINT=1``: print how long the window took to be painted first, then quit.

The cold-start benchmark (benchmarks/cold_start.py) starts Glossa with it set. The line is
``first paint after 0.812 s (clock 12345.678901)``: seconds since the process started (from
/proc on Linux, else since this module was loaded) and the system's monotonic clock at that
moment, which a launcher reading the same clock before starting the process can subtract.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

FIRST_PAINT = "GLOSSA_FIRST_PAINT"

_LOADED = time.monotonic()


def process_age() -> float:
    """Seconds since this process started: its start in /proc against the boot clock."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            # the command name (field 2) may hold spaces: count fields after its ')'
            fields = stat.read().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic() - _LOADED


class _FirstPaint(QObject):
    """Watches a window for its first paint event and reports once what has been drawn."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # after this paint and its children's: the frame is on screen when the queue runs
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        print(f"first paint after {process_age():.3f} s (clock {time.monotonic():.6f})")
        sys.stdout.flush()
        QApplication.quit()


def report_first_paint(window: QWidget) -> None:
    """With GLOSSA_FIRST_PAINT set, print the first paint's time and quit; else nothing."""
    if not os.environ.get(FIRST_PAINT):
        return
    watcher = _FirstPaint(window)
    window.installEventFilter(watcher)
