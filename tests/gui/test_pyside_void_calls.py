"""Regression for DESIGN.md section 7: PySide6 6.12.0 on Python 3.11 leaks None's refcount.

Each call of a Qt method that returns nothing took one reference from ``None``; after a few
thousand calls the interpreter aborts in ``none_dealloc``. The calls run in a child process,
so a crash shows up as a return code instead of taking the test run down.
"""

from __future__ import annotations

import os
import subprocess
import sys

import PySide6

CALLS = 20_000
CHILD = f"""
import sys
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication(["void-calls", "-platform", "offscreen"])
obj = QObject()
widget = QWidget()
before = sys.getrefcount(None)
for i in range({CALLS}):
    obj.setObjectName("n")
    widget.setWindowTitle("t")
    widget.setMinimumWidth(1)
after = sys.getrefcount(None)
assert obj.objectName() == "n" and widget.windowTitle() == "t"
print(before, after, flush=True)
del widget, obj, app
"""


def test_void_qt_calls_leave_none_alone() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    before, after = (int(n) for n in result.stdout.split())
    # 3 * CALLS void calls: a leaking binding would take 60,000 references from None
    assert after >= before - 100, (before, after)


def test_pyside_version_is_not_the_broken_one() -> None:
    if sys.version_info < (3, 12):
        assert PySide6.__version__ != "6.12.0"
    major, minor = (int(part) for part in PySide6.__version__.split(".")[:2])
    assert (major, minor) >= (6, 11)
