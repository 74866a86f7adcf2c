"""File > Import of a CoNLL corpus: its labels appear in the palette at once."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.gui.transfer.transfer import run_import
from app.gui.window.main_window import MainWindow
from app.services import Workspace
from tests.gui.support import wait_open
from tests.unit.formats.test_conll_reading import REAL


def test_a_conll_corpus_brings_its_labels_to_the_palette(
    workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(workspace)

    report = run_import(window.session, [REAL / "wnut17.conll"], wait=True).report
    wait_open(qtbot, window)

    assert report.ok
    assert report.schema_added["added labels"] == ["location", "group", "person", "creative-work"]
    palette = window.panel.palette_list
    shown = [palette.item(row).text() for row in range(palette.count())]
    assert any("creative-work" in text for text in shown)
    assert len(window.documents.summaries()) == 1
