"""The window remembers its layout, the export choices and the last folder across restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from app.gui.transfer.export_dialog import ExportDialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace
from tests.conftest import BUNDLED_SAMPLES
from tests.gui.support import wait_imported


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "glossa.ini"), QSettings.Format.IniFormat)


def started(workspace: Workspace, settings: QSettings, qtbot: QtBot) -> MainWindow:
    window = MainWindow(workspace, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_size_splitter_and_panels_come_back_after_a_restart(
    sample_workspace: Workspace, settings: QSettings, qtbot: QtBot
) -> None:
    first = started(sample_workspace, settings, qtbot)
    first.resize(760, 540)  # within the offscreen screen (800 x 600)
    first.entity_links.dock.show()
    qtbot.waitUntil(lambda: first.entity_links.dock.isVisible())
    first.splitter.setSizes([180, 520, 300])
    sizes = first.splitter.sizes()
    size = (first.width(), first.height())
    first.close()

    again = started(sample_workspace, settings, qtbot)

    assert (again.width(), again.height()) == size
    assert again.entity_links.dock.isVisible()
    assert again.splitter.sizes() == sizes


def test_a_first_run_fits_the_screen_with_the_panels_closed(
    sample_workspace: Workspace, settings: QSettings, qtbot: QtBot
) -> None:
    window = started(sample_workspace, settings, qtbot)
    assert not window.entity_links.dock.isVisible()
    assert window.width() <= window.screen().availableGeometry().width()


def test_the_export_dialog_offers_the_last_format_split_and_folder(
    sample_workspace: Workspace, settings: QSettings, qtbot: QtBot, tmp_path: Path
) -> None:
    window = started(sample_workspace, settings, qtbot)
    dialog = ExportDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("conll"))
    dialog.split.setChecked(True)
    boxes = (dialog.train, dialog.dev, dialog.test, dialog.seed)
    for box, value in zip(boxes, (60, 20, 20, 5), strict=True):
        box.setValue(value)
    (tmp_path / "exports").mkdir()
    dialog.destination.setText(str(tmp_path / "exports" / "split"))
    dialog.accept()
    assert (tmp_path / "exports" / "split").is_dir()
    window.close()

    restarted = started(sample_workspace, settings, qtbot)
    again = ExportDialog(restarted.session)
    qtbot.addWidget(again)

    assert again.format_name() == "conll"
    assert again.split.isChecked()
    shares = [box.value() for box in (again.train, again.dev, again.test, again.seed)]
    assert shares == [60, 20, 20, 5]
    assert Path(again.destination.text()) == tmp_path / "exports"


def test_the_import_dialog_opens_where_files_were_last_picked(
    workspace: Workspace, settings: QSettings, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = str(sorted(BUNDLED_SAMPLES.glob("*.txt"))[0])
    opened_in: list[str] = []

    def pick(_parent: object, _title: str, folder: str = "", *_: object) -> tuple[list[str], str]:
        opened_in.append(folder)
        return [file], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(pick))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("txt", True)))
    window = started(workspace, settings, qtbot)
    window.session.actions["import"].trigger()
    wait_imported(qtbot, window)
    window.close()

    restarted = started(workspace, settings, qtbot)
    restarted.session.actions["import"].trigger()
    wait_imported(qtbot, restarted)

    assert opened_in == ["", str(BUNDLED_SAMPLES)]


def test_the_merge_dialog_opens_in_the_last_folder_too(
    workspace: Workspace, settings: QSettings, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = str(sorted(BUNDLED_SAMPLES.glob("*.txt"))[0])
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([file], "")))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("txt", True)))
    opened_in: list[str] = []

    def pick(_parent: object, _title: str, folder: str = "", *_: object) -> tuple[str, str]:
        opened_in.append(folder)
        return "", ""  # cancelled

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    window = started(workspace, settings, qtbot)
    window.session.actions["import"].trigger()
    wait_imported(qtbot, window)
    window.session.actions["merge_work"].trigger()

    assert opened_in == [str(BUNDLED_SAMPLES)]
