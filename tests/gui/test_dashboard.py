"""View > Dashboard (F8): headline figures and charts from the statistics, agreement and
progress services; marking a document done (and undoing it) shows on the progress chart."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.gui.figures import dashboard
from app.gui.figures.dashboard import DashboardDialog, Figures, install_dashboard, read_figures
from app.gui.window.main_window import MainWindow
from app.services import Workspace
from app.services.statistics import statistics
from tests.gui.test_agreement_view import ALICE, BOB, tag


def open_with_f8(window: MainWindow, qtbot: QtBot) -> DashboardDialog:
    install_dashboard(window.session)
    qtbot.keyClick(window.article, Qt.Key.Key_F8)
    dialog = window.findChild(DashboardDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.computing)
    return dialog


@pytest.fixture
def team_window(
    sample_workspace: Workspace, db_path: Path, open_window: Callable[..., MainWindow]
) -> MainWindow:
    tag(db_path, "alice", ALICE)
    tag(db_path, "bob", BOB)
    return open_window(sample_workspace)


def test_f8_shows_spans_per_label_in_schema_order_and_colours(
    team_window: MainWindow, qtbot: QtBot
) -> None:
    dialog = open_with_f8(team_window, qtbot)
    stats = statistics(team_window.workspace)
    schema = team_window.workspace.schema.labels

    bars = dialog.labels_chart.bars
    assert [bar.label for bar in bars] == [label.name for label in schema]
    assert [bar.colour for bar in bars] == [label.colour for label in schema]
    for bar in bars:
        assert bar.values == (sum(stats.labels.get(bar.label, {}).values()),)
    counted = {bar.label: bar.values[0] for bar in bars}
    assert (counted["PERSON"], counted["ORG"], counted["LOC"], counted["QUOTE"]) == (4, 3, 1, 0)
    assert dialog.figures["spans"].number.text() == str(stats.spans)
    assert dialog.figures["documents"].number.text() == "3"
    assert dialog.figures["annotators"].number.text() == "2"
    dialog.close()


def test_agreement_chart_pools_the_pairs_f1_per_label(
    team_window: MainWindow, qtbot: QtBot
) -> None:
    dialog = open_with_f8(team_window, qtbot)

    bars = {bar.label: bar.values for bar in dialog.agreement_chart.bars}

    assert bars["PERSON"] == (0.5, 0.5)  # Lindqvist matches; Yael Levi and Rana Khoury do not
    assert bars["ORG"][0] == 0.0 and bars["ORG"][1] == pytest.approx(2 / 3)
    assert "alice vs bob" in dialog.agreement_chart.title
    dialog.close()


def test_progress_shows_a_point_after_marking_done_and_drops_on_undo(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(sample_workspace)
    dialog = open_with_f8(window, qtbot)
    assert not dialog.progress_chart.has_data()
    assert not dialog.agreement_chart.has_data()  # nobody to agree with

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.article, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: dialog.progress_chart.has_data())
    (line,) = dialog.progress_chart.lines
    assert line.name == "tester"
    assert [value for _, value in line.points] == [1.0]
    assert dialog.figures["done"].number.text() == "1 of 3"

    qtbot.keyClick(window.article, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: dialog.figures["done"].number.text() == "0 of 3")
    (line,) = dialog.progress_chart.lines
    assert [value for _, value in line.points] == [1.0, 0.0]
    dialog.close()


def test_refresh_reads_what_others_did_meanwhile(
    sample_workspace: Workspace,
    db_path: Path,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    window = open_window(sample_workspace)
    dialog = open_with_f8(window, qtbot)
    assert not dialog.labels_chart.has_data()

    tag(db_path, "alice", ALICE)
    refresh = dialog.findChild(QPushButton, "dashboardRefresh")
    assert refresh is not None
    qtbot.mouseClick(refresh, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(dialog.labels_chart.has_data)
    assert dialog.annotators.cell(0, 0) == "alice"
    assert dialog.annotators.cell(0, 5) == str(len(ALICE))
    dialog.close()


class Slow:
    """Reading the dashboard's figures slowly: it starts, then waits until let go."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.gate = threading.Event()
        self.threads: list[threading.Thread] = []

    def __call__(self, workspace: Workspace) -> Figures:
        figures = read_figures(workspace)
        self.threads.append(threading.current_thread())
        self.started.set()
        assert self.gate.wait(timeout=30), "the test never let the computation finish"
        return figures


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> Iterator[Slow]:
    held = Slow()
    monkeypatch.setattr(dashboard, "read_figures", held)
    yield held
    held.gate.set()


def test_computing_shows_while_the_figures_are_read_off_the_gui_thread(
    team_window: MainWindow, slow: Slow, qtbot: QtBot
) -> None:
    install_dashboard(team_window.session)
    qtbot.keyClick(team_window.article, Qt.Key.Key_F8)
    dialog = team_window.findChild(DashboardDialog)
    assert dialog is not None and dialog.computing
    assert slow.started.wait(timeout=10)

    assert dialog.state.text() == "Computing…"
    assert not dialog.body.isEnabled()
    assert not dialog.labels_chart.has_data()
    assert dialog.labels_chart.empty_text == "Computing…"  # not "No spans yet"
    slow.gate.set()
    qtbot.waitUntil(lambda: not dialog.computing)

    assert threading.main_thread() not in slow.threads
    assert dialog.state.text() == "" and dialog.body.isEnabled()
    assert dialog.figures["spans"].number.text() == str(statistics(team_window.workspace).spans)
    dialog.close()


def test_closing_the_dashboard_during_a_computation_is_safe(
    team_window: MainWindow, slow: Slow, qtbot: QtBot, qtlog: Any
) -> None:
    install_dashboard(team_window.session)
    qtbot.keyClick(team_window.article, Qt.Key.Key_F8)
    dialog = team_window.findChild(DashboardDialog)
    assert dialog is not None
    under_way = dialog.background.future
    assert under_way is not None and slow.started.wait(timeout=10)

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert not dialog.isVisible() and not dialog.computing
    slow.gate.set()
    qtbot.waitUntil(under_way.done)
    QApplication.processEvents()
    assert dialog.stats is None, "nothing was shown in the closed dashboard"
    assert not under_way.cancelled() and under_way.exception() is None

    team_window.activateWindow()
    qtbot.waitUntil(team_window.isActiveWindow)
    reopened = open_with_f8(team_window, qtbot)

    assert reopened is dialog and dialog.stats is not None
    assert dialog.figures["annotators"].number.text() == "2"
    assert not [r for r in qtlog.records if "QThread" in r.message]
    dialog.close()


def test_refresh_during_a_computation_shows_only_the_latest_figures(
    sample_workspace: Workspace,
    db_path: Path,
    open_window: Callable[..., MainWindow],
    slow: Slow,
    qtbot: QtBot,
) -> None:
    window = open_window(sample_workspace)
    install_dashboard(window.session)
    qtbot.keyClick(window.article, Qt.Key.Key_F8)
    dialog = window.findChild(DashboardDialog)
    assert dialog is not None
    first = dialog.background.future
    assert first is not None and slow.started.wait(timeout=10)  # read before alice's spans
    tag(db_path, "alice", ALICE)
    slow.started.clear()
    refresh = dialog.findChild(QPushButton, "dashboardRefresh")
    assert refresh is not None

    qtbot.mouseClick(refresh, Qt.MouseButton.LeftButton)
    assert slow.started.wait(timeout=10)
    slow.gate.set()
    qtbot.waitUntil(lambda: not dialog.computing)
    QApplication.processEvents()

    assert first.done() and dialog.annotators.cell(0, 0) == "alice"
    assert dialog.figures["spans"].number.text() == str(len(ALICE))
    dialog.close()


def test_the_cost_ledger_shows_seconds_per_span_and_exports_as_csv(
    team_window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_with_f8(team_window, qtbot)
    table = dialog.costs.table
    rows = [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        for r in range(table.rowCount())
    ]
    spans = {(row[0], row[1], row[2]): int(row[3]) for row in rows}
    assert spans[("PERSON", "alice", "typed")] + spans[("PERSON", "bob", "typed")] == 4
    assert all(float(row[4]) >= 0 for row in rows)
    assert "No suggestion" in dialog.costs.summary.text()
    written = dialog.costs.export(str(tmp_path / "ledger.csv"))
    assert written is not None
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "time,annotator,document,kind,label,made,seconds"
    assert len(lines) - 1 == sum(spans.values())
    dialog.close()
