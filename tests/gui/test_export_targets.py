"""The window's export dialog refuses to write over the database it shows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.gui.transfer.export_dialog import ExportDialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace


@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_the_export_dialog_refuses_the_open_database_and_stays(
    sample_workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    suffix: str,
) -> None:
    database = sample_workspace.database.path
    assert database is not None
    window = open_window(sample_workspace)
    failures: list[str] = []
    window.hub.failed.connect(failures.append)
    dialog = ExportDialog(window.session)
    qtbot.addWidget(dialog)
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    target = Path(f"{database}{suffix}")
    dialog.destination.setText(str(target))

    dialog.accept()

    assert len(failures) == 1 and "open database" in failures[0]
    assert str(target) in failures[0]
    assert dialog.last_report is None
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert len(window.documents.summaries()) == 3


def test_the_formats_are_listed_with_what_they_are(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow]
) -> None:
    dialog = ExportDialog(open_window(sample_workspace).session)
    items = [dialog.format.itemText(i) for i in range(dialog.format.count())]
    assert "jsonl — Glossa native JSON lines" in items
    assert any(item.startswith("brat — brat standoff folder") for item in items)
    assert all(" — " in item and len(item) < 80 for item in items)
    dialog.close()
