"""The agreement and adjudication dialogs show a colleague's work once it is loaded (F5),
on a database shared with them (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.adjudication import Kind
from app.gui.figures.agreement_view import AgreementDialog
from app.gui.reviewing.adjudication_view import AdjudicationDialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents
from app.services import spans as spans_service
from app.services.importing import import_paths
from tests.gui.support import FESTIVAL, wait_open
from tests.gui.test_agreement_view import ALICE, BOB

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NEVER_MS = 3_600_000
"""A poll interval the test never reaches: only F5 loads others' changes."""
FERRY = "Ann Varga told Bo Lind that Acme Shipping is late."


@pytest.fixture
def team(database_url: str) -> Iterator[dict[str, Workspace]]:
    """Ours (tester, with the sample articles), alice's and bob's, on one database."""
    ours = Workspace.open(database_url, "tester")
    people = {
        "tester": ours,
        "alice": Workspace.open(database_url, "alice"),
        "bob": Workspace.open(database_url, "bob"),
    }
    yield people
    for workspace in people.values():
        workspace.close()


def tag(workspace: Workspace, document_id: int, spans: list[tuple[str, str]]) -> None:
    text = documents.document(workspace, document_id).text
    for needle, label in spans:
        start = text.index(needle)
        spans_service.add_span(workspace, document_id, start, start + len(needle), label)


def press_f5(window: MainWindow, qtbot: QtBot) -> None:
    """The user clicks back into the main window and presses F5; what it reads is shown."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.article, Qt.Key.Key_F5)
    # the document list, then the article, are read on worker threads
    qtbot.waitUntil(lambda: not window.live_updates.reading, timeout=5000)
    wait_open(qtbot, window)


def test_the_agreement_dialog_compares_a_colleague_after_f5(
    team: dict[str, Workspace], open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    festival = next(s.id for s in documents.documents(team["tester"]) if s.title == FESTIVAL)
    tag(team["alice"], festival, ALICE)
    window = open_window(team["tester"])
    window.live_updates.set_interval(NEVER_MS)
    qtbot.keyClick(window.article, Qt.Key.Key_F7)
    dialog = window.findChild(AgreementDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.computing)
    assert "1 annotated so far" in dialog.summary.text()

    tag(team["bob"], festival, BOB)
    assert dialog.annotator_list.count() == 1  # not loaded yet

    press_f5(window, qtbot)

    qtbot.waitUntil(lambda: dialog.report is not None)
    assert dialog.chosen_annotators() == ["alice", "bob"]
    assert dialog.pair_box.currentText() == "alice (reference) vs bob"
    assert dialog.spans.cell(dialog.spans.rowCount() - 1, 6) == "0.250"  # exact F1: 1 of 4
    dialog.close()


@pytest.fixture
def ferry(team: dict[str, Workspace], tmp_path: Path) -> int:
    """An article alice and bob tagged: they agree on Ann Varga, differ on Bo Lind's
    label; only alice tagged Acme Shipping."""
    source = tmp_path / "ferry.txt"
    source.write_text(FERRY, encoding="utf-8")
    assert import_paths(team["tester"], [source]).ok
    document = next(
        s.id for s in documents.documents(team["tester"]) if s.title.startswith("Ann Varga")
    )
    tag(team["alice"], document, [("Ann Varga", "PERSON"), ("Bo Lind", "PERSON")])
    tag(team["alice"], document, [("Acme Shipping", "ORG")])
    tag(team["bob"], document, [("Ann Varga", "PERSON"), ("Bo Lind", "ORG")])
    return document


def test_the_adjudication_dialog_compares_afresh_after_f5(
    team: dict[str, Workspace],
    ferry: int,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    window = open_window(team["tester"])
    window.live_updates.set_interval(NEVER_MS)
    window.open_document(ferry, wait=True)
    qtbot.keyClick(window.article, Qt.Key.Key_J, CTRL | SHIFT)
    wait_open(qtbot, window)  # every layer read: the dialog compares them
    dialog = window.findChild(AdjudicationDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.comparison is not None, timeout=2000)
    dialog.wait()
    assert dialog.comparison is not None
    assert len(dialog.comparison.of_kind(Kind.MISSING)) == 1

    tag(team["bob"], ferry, [("Acme Shipping", "ORG")])
    assert len(dialog.comparison.of_kind(Kind.MISSING)) == 1  # not loaded yet

    press_f5(window, qtbot)
    dialog.wait()

    comparison = dialog.comparison
    assert comparison is not None and comparison.document_id == ferry
    assert comparison.of_kind(Kind.MISSING) == []
    assert [d.labels for d in comparison.of_kind(Kind.AGREED)] == [("PERSON",), ("ORG",)]
    dialog.close()


def test_a_hidden_adjudication_dialog_is_left_alone_by_f5(
    team: dict[str, Workspace],
    ferry: int,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    window = open_window(team["tester"])
    window.live_updates.set_interval(NEVER_MS)
    window.open_document(ferry, wait=True)
    qtbot.keyClick(window.article, Qt.Key.Key_J, CTRL | SHIFT)
    wait_open(qtbot, window)  # every layer read: the dialog compares them
    dialog = window.findChild(AdjudicationDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.comparison is not None, timeout=2000)
    dialog.wait()
    shown = dialog.comparison
    assert shown is not None
    dialog.close()

    tag(team["bob"], ferry, [("Acme Shipping", "ORG")])
    press_f5(window, qtbot)
    dialog.wait()

    assert dialog.comparison is shown, "compared afresh only when opened again"
