"""View > Agreement (F7): two annotators tag one article differently; the dialog shows the
figures the agreement service computes, follows the label and pair choices, and copies them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.gui.figures import agreement_view
from app.gui.figures.agreement_view import AgreementDialog, install_agreement
from app.gui.figures.figure_table import FigureTable, ratio
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents
from app.services import spans as spans_service
from app.services.adjudication import Adjudication
from app.services.agreement import AgreementReport, agreement
from tests.gui.support import FESTIVAL, utf16

# (needle, label) each annotator tags in the festival article
ALICE = [
    ("Lindqvist", "PERSON"),
    ("Rivermouth Gazette", "ORG"),
    ("old quarter", "LOC"),
    ("Yael Levi", "PERSON"),
]
BOB = [
    ("Lindqvist", "PERSON"),
    ("Rivermouth", "ORG"),  # overlaps alice's ORG, does not match it exactly
    ("old quarter", "ORG"),  # another label
    ("Rana Khoury", "PERSON"),
]
CAROL = [("Lindqvist", "PERSON"), ("old quarter", "LOC")]


def tag(db_path: Path, name: str, spans: list[tuple[str, str]]) -> None:
    """``name`` tags the festival article through their own workspace on the same file."""
    workspace = Workspace.open(str(db_path), name)
    try:
        document = next(s.id for s in documents.documents(workspace) if s.title == FESTIVAL)
        text = documents.document(workspace, document).text
        for needle, label in spans:
            start = text.index(needle)
            spans_service.add_span(workspace, document, start, start + len(needle), label)
    finally:
        workspace.close()


@pytest.fixture
def two_annotators(sample_workspace: Workspace, db_path: Path) -> Workspace:
    tag(db_path, "alice", ALICE)
    tag(db_path, "bob", BOB)
    return sample_workspace


def open_with_f7(window: MainWindow, qtbot: QtBot) -> AgreementDialog:
    install_agreement(window.session)
    qtbot.keyClick(window.article, Qt.Key.Key_F7)
    dialog = window.findChild(AgreementDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.computing)
    return dialog


@pytest.fixture
def dialog(
    two_annotators: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> Iterator[AgreementDialog]:
    window = open_window(two_annotators)
    window.open_document(
        next(s.id for s in documents.documents(two_annotators) if s.title == FESTIVAL),
        wait=True,
    )
    made = open_with_f7(window, qtbot)
    yield made
    made.close()


def table_rows(table: FigureTable) -> list[list[str]]:
    return [[table.cell(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_f7_shows_the_figures_of_the_agreement_service(
    dialog: AgreementDialog, two_annotators: Workspace
) -> None:
    expected = agreement(two_annotators, ["alice", "bob"]).pairs[0]

    rows = {row[0]: row for row in table_rows(dialog.spans)}

    assert dialog.chosen_annotators() == ["alice", "bob"]  # tester has no spans, gold unticked
    assert set(rows) == {"PERSON", "ORG", "LOC", "all labels"}
    for label, score in expected.exact.labels.items():
        overlap = expected.overlap.labels[label]
        assert rows[label][1:] == [
            str(score.reference),
            str(score.candidate),
            str(score.matched),
            ratio(score.precision),
            ratio(score.recall),
            ratio(score.f1),
            str(overlap.matched),
            ratio(overlap.precision),
            ratio(overlap.recall),
            ratio(overlap.f1),
        ]
    assert rows["all labels"][6] == ratio(expected.exact.overall.f1)
    assert rows["all labels"][10] == ratio(expected.overlap.overall.f1)
    # PERSON: one exact match out of two each; ORG matches on overlap only
    assert rows["PERSON"][6] == "0.500"
    assert rows["ORG"][6] == "0.000"
    assert rows["ORG"][10] == ratio(2 * 1 / (1 + 2))
    assert ratio(expected.kappa) in dialog.kappa.text()
    assert dialog.pairs.isHidden()  # one pair: no table of pairs


def test_chart_shows_f1_per_label_for_exact_and_overlap(dialog: AgreementDialog) -> None:
    bars = {bar.label: bar.values for bar in dialog.chart.bars}
    assert bars["PERSON"] == (0.5, 0.5)
    assert bars["ORG"][0] == 0.0
    assert bars["ORG"][1] == pytest.approx(2 / 3)
    assert [s.name for s in dialog.chart.series] == ["exact match", "overlap match"]


def test_unticking_labels_recomputes_with_the_labels_left(
    dialog: AgreementDialog, two_annotators: Workspace, qtbot: QtBot
) -> None:
    for i in range(dialog.label_list.count()):
        item = dialog.label_list.item(i)
        if item.text() != "PERSON":
            item.setCheckState(Qt.CheckState.Unchecked)

    qtbot.waitUntil(lambda: dialog.spans.rowCount() == 2)

    expected = agreement(two_annotators, ["alice", "bob"], ["PERSON"]).pairs[0]
    rows = table_rows(dialog.spans)
    assert rows[0][0] == "PERSON"
    assert rows[1][6] == ratio(expected.exact.overall.f1)
    assert "PERSON" in dialog.summary.text()


def test_one_annotator_left_says_why_nothing_is_shown(
    dialog: AgreementDialog, qtbot: QtBot
) -> None:
    dialog.annotator_list.item(1).setCheckState(Qt.CheckState.Unchecked)  # bob

    qtbot.waitUntil(lambda: dialog.spans.rowCount() == 0)

    assert dialog.summary.text() == "Tick two or more annotators to compare."
    assert not dialog.chart.has_data()
    assert dialog.spans.isHidden()

    dialog.annotator_list.item(1).setCheckState(Qt.CheckState.Checked)

    qtbot.waitUntil(lambda: dialog.spans.rowCount() > 0)
    assert not dialog.spans.isHidden()


def test_three_annotators_compare_every_pair_and_the_picker_shows_one(
    two_annotators: Workspace,
    db_path: Path,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    tag(db_path, "carol", CAROL)
    dialog = open_with_f7(open_window(two_annotators), qtbot)
    report = agreement(two_annotators, ["alice", "bob", "carol"])

    assert not dialog.pairs.isHidden()
    assert [row[:2] for row in table_rows(dialog.pairs)] == [
        [p.reference, p.candidate] for p in report.pairs
    ]
    assert ratio(report.alpha) in dialog.summary.text()

    dialog.pair_box.setCurrentIndex(2)  # bob vs carol

    bob_carol = report.pairs[2]
    assert (bob_carol.reference, bob_carol.candidate) == ("bob", "carol")
    assert table_rows(dialog.spans)[-1][6] == ratio(bob_carol.exact.overall.f1)
    assert ratio(bob_carol.kappa) in dialog.kappa.text()
    dialog.close()


def test_alone_in_the_database_the_dialog_says_what_agreement_needs(
    sample_workspace: Workspace,
    db_path: Path,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    tag(db_path, "alice", ALICE)
    dialog = open_with_f7(open_window(sample_workspace), qtbot)

    assert "needs two annotators" in dialog.summary.text()
    assert "1 annotated so far" in dialog.summary.text()
    assert not dialog.chart.has_data()
    dialog.close()


def test_ctrl_c_copies_the_span_table_as_tab_separated_text(
    dialog: AgreementDialog, qtbot: QtBot
) -> None:
    dialog.spans.setFocus()
    qtbot.keyClick(dialog.spans, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)

    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t")[:4] == [
        "Label",
        "Reference spans",
        "Candidate spans",
        "Exact matched",
    ]
    assert [line.split("\t") for line in lines[1:]] == table_rows(dialog.spans)


def test_a_new_span_by_the_user_is_counted_when_the_dialog_is_open(
    dialog: AgreementDialog, qtbot: QtBot
) -> None:
    window = dialog.parent()
    assert isinstance(window, MainWindow)
    assert window.document is not None
    text = window.document.text
    start = text.index("Yael Levi")
    cursor = window.article.textCursor()
    cursor.setPosition(utf16(text, start))
    cursor.setPosition(utf16(text, start + len("Yael Levi")), QTextCursor.MoveMode.KeepAnchor)
    window.article.setTextCursor(cursor)
    window.activateWindow()  # the user clicks back into the article
    qtbot.waitUntil(window.isActiveWindow)
    person = window.workspace.schema.label("PERSON")
    assert person is not None
    qtbot.keyClicks(window.article, person.hotkey)

    spans = [window.spans.span_in_row(r) for r in range(window.spans.rowCount())]
    assert any(s.annotator == "tester" and s.label == "PERSON" for s in spans)
    qtbot.waitUntil(lambda: "tester" in dialog.chosen_annotators())
    qtbot.waitUntil(lambda: dialog.pair_box.count() == 3)


def test_the_gold_layer_is_listed_but_not_compared_until_ticked(
    two_annotators: Workspace,
    db_path: Path,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    adjudication = Adjudication(two_annotators)  # gold: alice's spans, picked one by one
    document = next(s.id for s in documents.documents(two_annotators) if s.title == FESTIVAL)
    for span in spans_service.spans(two_annotators, document, ["alice"]):
        adjudication.pick(document, span.id, ["alice", "bob"])
    dialog = open_with_f7(open_window(two_annotators), qtbot)
    names = [dialog.annotator_list.item(i).text() for i in range(dialog.annotator_list.count())]

    assert names == ["alice", "bob", "gold"]
    assert dialog.chosen_annotators() == ["alice", "bob"]
    assert dialog.pair_box.count() == 1

    dialog.annotator_list.item(2).setCheckState(Qt.CheckState.Checked)

    qtbot.waitUntil(lambda: dialog.pair_box.count() == 3)
    dialog.pair_box.setCurrentIndex(1)  # alice vs gold: the same spans
    assert table_rows(dialog.spans)[-1][6] == "1.000"
    dialog.close()


def test_the_figures_are_computed_off_the_gui_thread(
    two_annotators: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[threading.Thread] = []

    def recording(*args: Any, **kwargs: Any) -> AgreementReport:
        threads.append(threading.current_thread())
        return agreement(*args, **kwargs)

    monkeypatch.setattr(agreement_view, "agreement", recording)
    dialog = open_with_f7(open_window(two_annotators), qtbot)

    assert threads and threading.main_thread() not in threads
    expected = agreement(two_annotators, ["alice", "bob"]).pairs[0]
    assert table_rows(dialog.spans)[-1][6] == ratio(expected.exact.overall.f1)
    dialog.close()


class Slow:
    """A slow agreement over every label: it starts, then waits until let go."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.gate = threading.Event()

    def __call__(
        self, workspace: Workspace, annotators: Any = None, labels: Any = None
    ) -> AgreementReport:
        report = agreement(workspace, annotators, labels)
        if labels is None:
            self.started.set()
            assert self.gate.wait(timeout=30), "the test never let the computation finish"
        return report


@pytest.fixture
def held_back(monkeypatch: pytest.MonkeyPatch) -> Iterator[Slow]:
    """Make the dialog's agreement over every label wait until let go (a computation on a
    big project); any other computation answers at once."""
    slow = Slow()
    monkeypatch.setattr(agreement_view, "agreement", slow)
    yield slow
    slow.gate.set()


def test_a_new_choice_supersedes_a_computation_under_way(
    dialog: AgreementDialog, held_back: Slow, qtbot: QtBot
) -> None:
    dialog.reload()  # every label: held back
    first = dialog.background.future
    assert first is not None and dialog.computing
    assert dialog.summary.text() == "Computing…"
    assert not dialog.figures.isEnabled()
    assert held_back.started.wait(timeout=10)

    for i in range(dialog.label_list.count()):  # meanwhile the user keeps PERSON only
        item = dialog.label_list.item(i)
        if item.text() != "PERSON":
            item.setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: not dialog.computing)

    assert dialog.report is not None and dialog.report.labels == ("PERSON",)
    assert not first.done(), "the first computation is still under way"
    held_back.gate.set()
    qtbot.waitUntil(first.done)
    QApplication.processEvents()
    assert dialog.report.labels == ("PERSON",), "the stale result was dropped"
    assert [row[0] for row in table_rows(dialog.spans)] == ["PERSON", "all labels"]
    assert dialog.figures.isEnabled() and not dialog.computing


def test_closing_the_dialog_during_a_computation_is_safe(
    dialog: AgreementDialog,
    held_back: Slow,
    two_annotators: Workspace,
    qtbot: QtBot,
    qtlog: Any,
) -> None:
    window = dialog.parent()
    assert isinstance(window, MainWindow)
    dialog.reload()
    under_way = dialog.background.future
    assert under_way is not None and held_back.started.wait(timeout=10)

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert not dialog.isVisible() and not dialog.computing
    shown = dialog.report
    held_back.gate.set()
    qtbot.waitUntil(under_way.done)
    QApplication.processEvents()
    assert dialog.report is shown, "nothing was shown in the closed dialog"
    assert dialog.summary.text() == "Computing…"

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    reopened = open_with_f7(window, qtbot)  # F7 again: computed afresh

    assert reopened is dialog and dialog.report is not None
    expected = agreement(two_annotators, ["alice", "bob"]).pairs[0]
    assert table_rows(dialog.spans)[-1][6] == ratio(expected.exact.overall.f1)
    assert not under_way.cancelled() and under_way.exception() is None
    assert not [r for r in qtlog.records if "QThread" in r.message]


def test_a_dialog_deleted_during_a_computation_leaves_the_worker_harmless(
    two_annotators: Workspace,
    open_window: Callable[..., MainWindow],
    held_back: Slow,
    qtbot: QtBot,
    qtlog: Any,
) -> None:
    dialog = AgreementDialog(two_annotators, open_window(two_annotators))
    dialog.show()
    assert dialog.summary.text() == dialog.chart.empty_text == "Computing…"
    under_way = dialog.background.future
    assert under_way is not None and held_back.started.wait(timeout=10)
    dialog.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))

    held_back.gate.set()
    qtbot.waitUntil(under_way.done)
    QApplication.processEvents()

    assert not under_way.cancelled() and under_way.exception() is None
    assert not [r for r in qtlog.records if "QThread" in r.message]


def test_a_computation_that_fails_says_why_in_place_of_the_figures(
    dialog: AgreementDialog, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    def server_gone(*_args: Any, **_kwargs: Any) -> AgreementReport:
        raise ConnectionError("connection refused")

    monkeypatch.setattr(agreement_view, "agreement", server_gone)
    dialog.reload()
    qtbot.waitUntil(lambda: not dialog.computing)

    assert dialog.summary.text().startswith("Cannot compute the agreement: ")
    assert dialog.report is None and dialog.spans.isHidden()
    assert dialog.figures.isEnabled()
