"""GUI fixtures: a main window on a real SQLite file, shown and active (shortcuts need it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSettings, QTimer
from pytestqt.qtbot import QtBot

from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents
from tests.gui.support import FESTIVAL


@pytest.fixture(autouse=True)
def _own_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test's Qt settings in a folder of its own: windows remember their layout there."""
    folder = str(tmp_path_factory.mktemp("settings"))
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, folder)


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[..., MainWindow]]:
    """Make shown, active main windows; each is closed (and remembers) at the end."""
    windows: list[MainWindow] = []

    def make(workspace: Workspace, size: tuple[int, int] = (1100, 700)) -> MainWindow:
        window = MainWindow(workspace)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.deleteLater()


@pytest.fixture
def window(sample_workspace: Workspace, open_window: Callable[..., MainWindow]) -> MainWindow:
    """The main window on the sample articles, showing the festival article."""
    made = open_window(sample_workspace)
    festival = next(s.id for s in documents.documents(sample_workspace) if s.title == FESTIVAL)
    made.open_document(festival, wait=True)
    return made


@pytest.fixture
def ticks(qtbot: QtBot) -> Iterator[list[int]]:
    """Counts the turns of the event loop: a timer firing every few milliseconds."""
    counted: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: counted.append(1))
    timer.start()
    yield counted
    timer.stop()
