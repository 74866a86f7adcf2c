"""The review table's "Needs re-anchoring" tab from the keyboard: accept a suggested place,
place a span on the article's selection, drop one, and undo each as one step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot

from app.gui.reviewing.reanchoring_queue import QueuePanel
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, relations, spans
from app.services.importing import import_paths
from app.services.reanchoring_queue import QUEUE
from app.services.revisions import find_document, revise
from tests.gui.support import wait_open

OLD = (
    "Ferry terminal opens late\n\n"
    "The harbour authority said on Monday that the new ferry terminal will open in June. "
    "Mayor Anna Lindqvist called the delay regrettable. "
    "Residents of Port Eldmoor have waited four years.\n"
)
NEW = (
    "Ferry terminal opens late\n\n"
    "The harbour authority said on Monday that the new ferry terminal will open in July. "
    "Residents of Port Eldmoor have waited four years. "
    "Later the town's mayor, Ana Lindkvist, apologised. The council met on Friday.\n"
)


@pytest.fixture
def revised(workspace: Workspace, tmp_path: Path) -> tuple[int, int, int, int]:
    """The new version (PERSON and CLAIM "regrettable" queued), the two entries and the
    copied CLAIM about June."""
    path = tmp_path / "terminal.txt"
    path.write_text(OLD, encoding="utf-8")
    assert import_paths(workspace, [path]).ok
    old_id = find_document(workspace, "Ferry terminal opens late")
    ids = []
    for words, label in (
        ("will open in June", "CLAIM"),
        ("Anna Lindqvist", "PERSON"),
        ("regrettable", "CLAIM"),
    ):
        at = OLD.index(words)
        ids.append(spans.add_span(workspace, old_id, at, at + len(words), label).added[0].id)
    relations.add_relation(workspace, ids[0], ids[1], "claimant")
    new_path = tmp_path / "terminal-v2.txt"
    new_path.write_text(NEW, encoding="utf-8")
    report = revise(workspace, old_id, new_path)
    (claim,) = [s.new_id for s in report.spans if s.id == ids[0]]
    assert claim is not None
    assert [s.outcome.value for s in report.spans][1:] == ["queued", "queued"]
    return report.document, ids[1], ids[2], claim


def open_queue(window: MainWindow, qtbot: QtBot) -> QueuePanel:
    (action,) = [
        a
        for a in window.session.actions.menu("Review").actions()
        if a.objectName() == "reanchoring_queue"
    ]
    action.trigger()
    queue = window.findChild(QueuePanel)
    assert isinstance(queue, QueuePanel)
    qtbot.waitUntil(lambda: queue.table.hasFocus())
    queue.wait()
    return queue


def test_the_queue_shows_old_and_new_text_side_by_side_and_counts_in_its_tab(
    workspace: Workspace,
    revised: tuple[int, int, int, int],
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    window = open_window(workspace)
    queue = open_queue(window, qtbot)

    assert queue.model.rowCount() == 2
    tabs = window.findChild(QTabWidget, "review_tabs")
    assert isinstance(tabs, QTabWidget) and tabs.tabText(1) == "Needs re-anchoring (2)"
    was = queue.model.index(0, 3).data()
    now = queue.model.index(0, 4).data()
    assert "Mayor ⟦Anna Lindqvist⟧ called the delay" in was
    assert "will open in July. ‸Residents" in now
    assert "Ana Lindkvist" in queue.model.index(0, 5).data()
    assert "Anna Lindqvist" in queue.old_side.toPlainText()
    assert "Ana Lindkvist" in queue.new_side.toPlainText()


def test_a_accepts_the_suggested_place_with_the_relation_and_undo_puts_it_back(
    workspace: Workspace,
    revised: tuple[int, int, int, int],
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    document, person, _, claim = revised
    window = open_window(workspace)
    queue = open_queue(window, qtbot)

    qtbot.keyClick(queue.table, Qt.Key.Key_A)
    wait_open(qtbot, window)

    (placed,) = [s for s in spans.spans(workspace, document) if s.label == "PERSON"]
    assert NEW[placed.start : placed.end] == "Ana Lindkvist"
    (relation,) = spans.relations(workspace, document)
    assert (relation.head, relation.tail) == (claim, placed.id)
    assert [e["id"] for e in documents.document(workspace, document).meta[QUEUE]] != [person]
    queue.wait()
    assert queue.model.rowCount() == 1
    assert window.document_id == document and window.article.span(placed.id) == placed

    window.undo_stack.undo()

    assert [s.label for s in spans.spans(workspace, document)] == ["CLAIM"]
    assert spans.relations(workspace, document) == []
    assert person in [e["id"] for e in documents.document(workspace, document).meta[QUEUE]]
    queue.wait()
    assert queue.model.rowCount() == 2


def test_p_places_on_the_selection_and_del_drops(
    workspace: Workspace,
    revised: tuple[int, int, int, int],
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    document, _, regrettable, _ = revised
    window = open_window(workspace)
    queue = open_queue(window, qtbot)
    queue.table.setCurrentIndex(queue.model.index(1, 0))
    assert queue.current_row() is not None and queue.current_row().entry == regrettable

    qtbot.keyClick(queue.table, Qt.Key.Key_P)  # nothing selected in the article: refused
    assert queue.model.rowCount() == 2
    assert [s.label for s in spans.spans(workspace, document)] == ["CLAIM"]

    qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    wait_open(qtbot, window)
    assert window.document_id == document
    at = NEW.index("apologised")
    window.article.select_range(at, at + len("apologised"))
    queue.table.setFocus()
    qtbot.keyClick(queue.table, Qt.Key.Key_P)

    placed = [s for s in spans.spans(workspace, document) if s.start == at]
    assert [(s.label, s.end) for s in placed] == [("CLAIM", at + 10)]
    queue.wait()
    assert queue.model.rowCount() == 1

    queue.table.setCurrentIndex(queue.model.index(0, 0))
    qtbot.keyClick(queue.table, Qt.Key.Key_Delete)
    assert QUEUE not in documents.document(workspace, document).meta
    queue.wait()
    assert queue.model.rowCount() == 0

    window.undo_stack.undo()
    assert len(documents.document(workspace, document).meta[QUEUE]) == 1
    window.undo_stack.undo()
    assert len(documents.document(workspace, document).meta[QUEUE]) == 2
    assert [s.label for s in spans.spans(workspace, document)] == ["CLAIM"]
