"""The Entities dock, the adjudication dialog, the re-anchoring queue, the Suggestions tab and
the layers' annotators read on worker threads: the window answers while a read is held, an
older answer never replaces a newer one, and a read that fails says so with the view usable."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import app.gui.reviewing.reanchoring_queue as queue_module
import app.gui.reviewing.suggestion_list as suggestion_module
from app.core.errors import StorageError
from app.gui.reviewing.suggestion_list import SuggestionsPanel
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, spans
from app.services import entities as entities_service
from app.services.reanchoring_queue import drop_queued
from tests.gui.support import patch_action
from tests.gui.test_adjudication_gui import adjudicating, at, open_dialog, press  # noqa: F401
from tests.gui.test_reanchoring_queue_gui import open_queue, revised  # noqa: F401

GONE = StorageError("cannot reach the database server", reason="the server is gone")


class Held:
    """Stands in for a read: each call can be held at a gate until let go (having read
    ``early``, before the wait, or after it), or fail."""

    def __init__(self, read: Callable[..., Any]) -> None:
        self.read = read
        self.plans: list[tuple[threading.Event | None, bool, BaseException | None]] = []
        self.started = 0
        self.done = 0

    def next_read(
        self, *, held: bool = False, early: bool = False, fails: BaseException | None = None
    ) -> threading.Event:
        gate = threading.Event()
        self.plans.append((gate if held else None, early, fails))
        return gate

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        gate, early, fails = self.plans.pop(0) if self.plans else (None, False, None)
        self.started += 1
        try:
            found = self.read(*args, **kwargs) if early else None
            if gate is not None:
                assert gate.wait(10), "never let go"
            if fails is not None:
                raise fails
            return found if early else self.read(*args, **kwargs)
        finally:
            self.done += 1


def turns(qtbot: QtBot, ticks: list[int], more: int = 10) -> None:
    """Let the event loop turn ``more`` times: time enough to show an answer, were it kept."""
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + more)


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


# -- the Entities dock -----------------------------------------------------------------


@pytest.fixture
def entities(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> Held:
    entities_service.create_entity(window.workspace, "Rana Khoury", "PERSON")
    dock = window.entity_links.dock
    dock.refresh()
    dock.wait()
    held = Held(partial(entities_service.entities, window.workspace))
    patch_action(monkeypatch, window.workspace, "entities", held)
    return held


def names(window: MainWindow) -> list[str]:
    model = window.entity_links.dock.model
    return [model.entity_at(row).name for row in range(model.rowCount())]  # type: ignore[union-attr]


def test_a_held_entities_read_keeps_the_window_answering_and_the_table_shown(
    window: MainWindow, qtbot: QtBot, entities: Held, ticks: list[int]
) -> None:
    dock = window.entity_links.dock
    gate = entities.next_read(held=True)
    entities_service.create_entity(window.workspace, "Maxim Herkin", "PERSON")
    dock.refresh()
    qtbot.waitUntil(lambda: len(ticks) >= 3)  # the window answers while it is read
    assert dock.busy
    assert names(window) == ["Rana Khoury"]  # as it was, meanwhile
    gate.set()
    dock.wait()
    assert names(window) == ["Maxim Herkin", "Rana Khoury"]


def test_an_older_entities_read_never_replaces_a_newer_one(
    window: MainWindow, qtbot: QtBot, entities: Held, ticks: list[int]
) -> None:
    dock = window.entity_links.dock
    older = entities.next_read(held=True, early=True)  # read before the entity below
    dock.refresh()
    qtbot.waitUntil(lambda: entities.started == 1)
    entities_service.create_entity(window.workspace, "Maxim Herkin", "PERSON")
    dock.refresh()
    qtbot.waitUntil(lambda: names(window) == ["Maxim Herkin", "Rana Khoury"])
    older.set()
    qtbot.waitUntil(lambda: entities.done == 2)
    turns(qtbot, ticks)
    assert names(window) == ["Maxim Herkin", "Rana Khoury"]
    assert not dock.busy


def test_an_entities_read_that_fails_says_so_and_the_dock_stays_usable(
    window: MainWindow, qtbot: QtBot, entities: Held
) -> None:
    dock = window.entity_links.dock
    entities.next_read(fails=GONE)
    dock.refresh()
    dock.wait()
    assert "Cannot read the entities" in status(window)
    assert "the server is gone" in status(window)
    assert names(window) == ["Rana Khoury"]
    entities_service.create_entity(window.workspace, "Maxim Herkin", "PERSON")
    dock.refresh()  # the next read answers
    dock.wait()
    assert names(window) == ["Maxim Herkin", "Rana Khoury"]


def test_the_mentions_of_an_entity_chosen_last_are_the_ones_shown(
    window: MainWindow, qtbot: QtBot, entities: Held, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = window.workspace
    herkin = entities_service.create_entity(workspace, "Maxim Herkin", "PERSON")
    dock = window.entity_links.dock
    dock.refresh()
    dock.wait()
    rana = entities_service.create_entity(workspace, "Rivermouth Council", "ORG")
    document = window.document_id
    assert document is not None
    start = window.article.text.index("festival")
    span = spans.add_span(workspace, document, start, start + 8, "ORG").added[0]
    entities_service.link_span(workspace, span.id, rana.id)
    dock.refresh()
    dock.wait()
    mentions = Held(partial(entities_service.mentions, workspace))
    patch_action(monkeypatch, workspace, "mentions", mentions)
    gate = mentions.next_read(held=True)
    dock.select_entity(rana.id)
    qtbot.waitUntil(lambda: mentions.started == 1)
    assert [dock.mention_list.item(i).text() for i in range(dock.mention_list.count())] == [
        "Loading…"
    ]
    dock.select_entity(herkin.id)  # chosen meanwhile: Rana's mentions must not show
    dock.wait()
    gate.set()
    qtbot.waitUntil(lambda: mentions.done == 2)
    dock.wait()
    assert dock.current_entity() == herkin
    assert dock.mention_list.count() == 0


# -- the adjudication dialog -------------------------------------------------------------


def test_a_held_comparison_keeps_the_window_answering_and_the_rows_shown(
    qtbot: QtBot,
    adjudicating: MainWindow,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    ticks: list[int],
) -> None:
    dialog = open_dialog(qtbot, adjudicating)
    rows = dialog.tree.topLevelItemCount()
    held = Held(dialog.adjudication.differences)
    monkeypatch.setattr(dialog.adjudication, "differences", held)
    gate = held.next_read(held=True)
    dialog.reload()
    qtbot.waitUntil(lambda: len(ticks) >= 3)
    assert dialog.busy
    assert dialog.tree.topLevelItemCount() == rows and "5 unresolved" in dialog.summary.text()
    gate.set()
    dialog.wait()
    assert "5 unresolved" in dialog.summary.text()


def test_an_older_comparison_never_replaces_a_newer_one(
    qtbot: QtBot,
    adjudicating: MainWindow,  # noqa: F811
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    ticks: list[int],
) -> None:
    dialog = open_dialog(qtbot, adjudicating)
    document_id = adjudicating.document_id
    assert document_id is not None
    held = Held(dialog.adjudication.differences)
    monkeypatch.setattr(dialog.adjudication, "differences", held)
    older = held.next_read(held=True, early=True)  # compared before carol's span below
    dialog.reload()
    qtbot.waitUntil(lambda: held.started == 1)
    spans.add_span(Workspace(workspace.database, "carol"), document_id, *at("Acme Shipping"), "ORG")
    dialog.reload()
    qtbot.waitUntil(lambda: "3: carol" in dialog.summary.text())
    older.set()
    qtbot.waitUntil(lambda: held.done == 2)
    turns(qtbot, ticks)
    assert "3: carol" in dialog.summary.text()


def test_a_comparison_that_fails_says_so_and_the_dialog_stays_usable(
    qtbot: QtBot,
    adjudicating: MainWindow,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = open_dialog(qtbot, adjudicating)
    shown = dialog.comparison
    held = Held(dialog.adjudication.differences)
    monkeypatch.setattr(dialog.adjudication, "differences", held)
    held.next_read(fails=GONE)
    dialog.reload()
    dialog.wait()
    assert "Cannot compare the annotators" in dialog.message.text()
    assert "the server is gone" in dialog.message.text()
    assert "cannot compare" in status(adjudicating)
    assert dialog.comparison is shown
    press(qtbot, dialog, Qt.Key.Key_1)  # the keys still work, and the next read answers
    assert "gold layer: 1 spans" in dialog.summary.text()
    assert "4 unresolved" in dialog.summary.text()


# -- the re-anchoring queue --------------------------------------------------------------


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> Held:
    held = Held(queue_module.queued_spans)
    monkeypatch.setattr(queue_module, "queued_spans", held)
    return held


def test_a_held_queue_read_keeps_the_window_answering_and_the_rows_shown(
    workspace: Workspace,
    revised: tuple[int, int, int, int],  # noqa: F811
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    queued: Held,
    ticks: list[int],
) -> None:
    window = open_window(workspace)
    queue = open_queue(window, qtbot)
    assert queue.model.rowCount() == 2
    gate = queued.next_read(held=True)
    document, person, _, _ = revised
    drop_queued(workspace, document, person)
    queue.reload()
    qtbot.waitUntil(lambda: len(ticks) >= 3)
    assert queue.busy and queue.model.rowCount() == 2
    gate.set()
    queue.wait()
    assert queue.model.rowCount() == 1


def test_an_older_queue_read_never_replaces_a_newer_one(
    workspace: Workspace,
    revised: tuple[int, int, int, int],  # noqa: F811
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    queued: Held,
    ticks: list[int],
) -> None:
    window = open_window(workspace)
    queue = open_queue(window, qtbot)
    older = queued.next_read(held=True, early=True)  # read before the drop below
    queue.reload()
    qtbot.waitUntil(lambda: queued.started >= 1 and queued.done < queued.started)
    document, person, _, _ = revised
    drop_queued(workspace, document, person)
    queue.reload()
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    older.set()
    qtbot.waitUntil(lambda: queued.done == queued.started)
    turns(qtbot, ticks)
    assert queue.model.rowCount() == 1


def test_a_queue_read_that_fails_says_so_and_the_tab_stays_usable(
    workspace: Workspace,
    revised: tuple[int, int, int, int],  # noqa: F811
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    queued: Held,
) -> None:
    window = open_window(workspace)
    queue = open_queue(window, qtbot)
    queued.next_read(fails=GONE)
    queue.reload()
    queue.wait()
    assert "Cannot read the re-anchoring queue" in status(window)
    assert "the server is gone" in status(window)
    assert queue.model.rowCount() == 2
    queue.table.setCurrentIndex(queue.model.index(1, 0))
    qtbot.keyClick(queue.table, Qt.Key.Key_Delete)  # still answers its keys
    queue.wait()
    assert queue.model.rowCount() == 1


# -- the layers' annotators ------------------------------------------------------------------


def layer_entries(window: MainWindow) -> list[str]:
    return [a.text() for a in window.layers.menu.actions() if a.text()]


def test_f6_offers_the_annotators_known_at_once_and_newcomers_once_read(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, ticks: list[int]
) -> None:
    layers = window.layers
    layers.wait()
    Workspace(window.workspace.database, "carol")  # enlisted after the window opened
    held = Held(partial(documents.annotators, window.workspace))
    patch_action(monkeypatch, window.workspace, "annotators", held)
    gate = held.next_read(held=True)
    qtbot.keyClick(window.article, Qt.Key.Key_F6)
    qtbot.waitUntil(layers.menu.isVisible, timeout=2000)
    qtbot.waitUntil(lambda: len(ticks) >= 3)
    assert layers.busy
    assert "carol's layer (read-only)" not in layer_entries(window)
    gate.set()
    layers.wait()
    assert "carol's layer (read-only)" in layer_entries(window)
    assert "Side by side with carol" in layer_entries(window)
    layers.menu.hide()


def test_annotators_that_cannot_be_read_are_said_and_f6_still_answers(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    layers = window.layers
    layers.wait()
    held = Held(partial(documents.annotators, window.workspace))
    patch_action(monkeypatch, window.workspace, "annotators", held)
    held.next_read(fails=GONE)
    layers.read_annotators()
    layers.wait()
    assert "Cannot read who the annotators are" in status(window)
    assert "the server is gone" in status(window)
    qtbot.keyClick(window.article, Qt.Key.Key_F6)
    qtbot.waitUntil(layers.menu.isVisible, timeout=2000)
    assert layer_entries(window)[0] == "My layer (tester)"
    layers.wait()
    layers.menu.hide()


# -- the Suggestions tab ---------------------------------------------------------------------


def test_suggestions_that_cannot_be_read_are_said_and_the_tab_keeps_its_rows(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = window.findChild(SuggestionsPanel)
    assert isinstance(panel, SuggestionsPanel)
    panel.reload()
    panel.wait()
    rows = panel.model.rowCount()
    held = Held(suggestion_module.pending_rows)
    monkeypatch.setattr(suggestion_module, "pending_rows", held)
    held.next_read(fails=GONE)
    panel.reload()
    panel.wait()
    assert "Cannot read the suggestions" in status(window)
    assert panel.model.rowCount() == rows
