"""app.gui.main: opens the window on a database, or explains why it cannot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

import app.gui
from app.gui.window.main_window import MainWindow


def test_unopenable_database_shows_a_message_and_returns_1(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def critical(_parent: Any, title: str, text: str, *args: Any) -> None:
        shown.append(f"{title}\n{text}")

    monkeypatch.setattr(QMessageBox, "critical", critical)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert app.gui.main(str(blocker / "glossa.db")) == 1
    assert shown and "could not open" in shown[0]


def test_main_shows_the_window_and_closes_the_workspace(
    qtbot: QtBot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[MainWindow] = []

    def exec_once(_app: QApplication) -> int:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        seen.extend(w for w in windows if w.isVisible())
        for window in windows:
            window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_once)
    assert app.gui.main(str(db_path), "reader") == 0
    [window] = seen
    assert window.workspace.annotator == "reader"
    assert window.documents.rowCount() == 3
