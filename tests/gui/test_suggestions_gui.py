"""Suggestions in the article: Tab steps to them, Enter accepts, Del rejects, a label key
accepts as that label, and each answer is one undoable step."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget
from pytestqt.qtbot import QtBot

from app.gui.annotating.suggestions import LONG_ARTICLE
from app.gui.reviewing.suggestion_list import SuggestionsPanel
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, entities
from app.services import spans as spans_service
from app.services.importing import import_paths
from app.services.pending import pending_suggestions, store_suggestions
from app.services.suggestion_layer import OpenSuggestions

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ARTICLE = (
    "Harbour talks\n\n"
    "“We will not leave,” said Mara Voss, the union's spokeswoman. "
    "Later Voss met the mayor. Everyone in Tarn knows Voss.\n"
)
QUOTE = "“We will not leave,”"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    made = Workspace.open(f"sqlite:///{tmp_path / 'g.db'}", "ana", samples=False)
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    import_paths(made, [article])
    yield made
    made.close()


@pytest.fixture
def window(workspace: Workspace, open_window: Callable[..., MainWindow]) -> MainWindow:
    (document,) = documents.documents(workspace)
    store_suggestions(workspace, [document.id], ["quotes"])
    made = open_window(workspace)
    assert made.document_id == document.id
    return made


def spans(window: MainWindow) -> set[tuple[str, str]]:
    assert window.document_id is not None
    text = window.article.text
    return {
        (s.label, text[s.start : s.end])
        for s in spans_service.spans(window.workspace, window.document_id)
    }


def key(qtbot: QtBot, window: MainWindow, which: Qt.Key, modifiers: object = None) -> None:
    if modifiers is None:
        qtbot.keyClick(window.article, which)
    else:
        qtbot.keyClick(window.article, which, modifiers)  # type: ignore[arg-type]


def test_enter_accepts_a_quote_with_its_cue_speaker_and_relations_and_undo_restores_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    suggested = window.suggested
    assert suggested.count_label.text() == "1 suggestion"

    key(qtbot, window, Qt.Key.Key_Tab)
    assert suggested.current is not None and suggested.current.label == "QUOTE"
    key(qtbot, window, Qt.Key.Key_Return)

    assert spans(window) == {("QUOTE", QUOTE), ("CUE", "said"), ("PERSON", "Mara Voss")}
    assert window.document_id is not None
    assert len(spans_service.relations(window.workspace, window.document_id)) == 2
    assert pending_suggestions(window.workspace, window.document_id) == []
    assert len(window.article.spans()) == 3  # drawn at once
    assert suggested.count_label.text() == "No suggestions"
    assert window.undo_stack.count() == 1

    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert spans(window) == set()
    assert suggested.count_label.text() == "1 suggestion"
    assert len(pending_suggestions(window.workspace, window.document_id)) == 1

    key(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert len(spans(window)) == 3 and suggested.suggestions == []


def test_del_rejects_and_the_rejection_is_remembered_and_undoable(
    qtbot: QtBot, window: MainWindow, open_window: Callable[..., MainWindow]
) -> None:
    key(qtbot, window, Qt.Key.Key_Tab)
    key(qtbot, window, Qt.Key.Key_Delete)

    assert spans(window) == set()
    assert window.suggested.suggestions == []
    assert documents.documents(window.workspace)[0].id == window.document_id
    # stored again by the suggester: the rejected text is not proposed again
    store_suggestions(window.workspace, [window.document_id or 0], ["quotes"])
    window.suggested.reload()
    assert window.suggested.suggestions == []

    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    window.suggested.reload()
    assert [s.label for s in window.suggested.suggestions] == ["QUOTE"]


def test_a_label_key_accepts_the_suggestion_as_that_label(qtbot: QtBot, window: MainWindow) -> None:
    claim = window.workspace.schema.label("CLAIM")
    assert claim is not None and claim.hotkey == "6"

    key(qtbot, window, Qt.Key.Key_Tab)
    key(qtbot, window, Qt.Key.Key_6)

    assert spans(window) == {("CLAIM", QUOTE)}
    assert window.suggested.suggestions == []
    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert spans(window) == set() and len(window.suggested.suggestions) == 1


def test_tagging_a_name_suggests_its_other_occurrences_at_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    text = window.article.text
    first = text.index("Voss", text.index("Later"))
    window.article.select_range(first, first + 4)
    key(qtbot, window, Qt.Key.Key_1)  # PERSON

    names = [s for s in window.suggested.suggestions if s.label == "PERSON"]
    # the two other occurrences (one inside "Mara Voss"), not the one just tagged
    assert [text[s.start : s.end] for s in names] == ["Voss", "Voss"]
    assert [s.start for s in names] == [text.index("Voss"), text.rindex("Voss")]

    # the next Tab from the tagged name goes to the quote (before it) or the name: both
    # are answered; Shift+Enter takes every PERSON suggestion at once
    window.suggested.step()
    while window.suggested.current is not None and window.suggested.current.label != "PERSON":
        window.suggested.step()
    key(qtbot, window, Qt.Key.Key_Return, SHIFT)

    assert sorted(
        s.start for s in spans_service.spans(window.workspace, window.document_id or 0)
    ) == sorted([text.index("Voss"), first, text.rindex("Voss")])
    assert [s.label for s in window.suggested.suggestions] == ["QUOTE"]
    assert window.undo_stack.count() == 2  # the tag, and the accept of both


def test_while_picking_a_partner_tab_stays_with_the_partners(
    qtbot: QtBot, window: MainWindow
) -> None:
    text = window.article.text
    start = text.index("Later")
    quote = spans_service.add_span(
        window.workspace, window.document_id or 0, start, start + 24, "QUOTE"
    )
    start = text.index("Mara")
    person = spans_service.add_span(
        window.workspace, window.document_id or 0, start, start + 9, "PERSON"
    )
    for change in (quote, person):
        window.hub.changed.emit(change)
    assert window.suggested.suggestions  # the quote's suggestion is still on offer
    window.article.select_span(quote.added[0].id)
    key(qtbot, window, Qt.Key.Key_S)
    assert window.article.picking

    key(qtbot, window, Qt.Key.Key_Tab)

    assert window.suggested.current is None
    selected = window.article.selected_span()
    assert selected is not None and selected.label == "PERSON"


def test_alt_down_reaches_the_suggestions_and_tab_keeps_to_spans_until_then(
    qtbot: QtBot, window: MainWindow
) -> None:
    text = window.article.text
    start = text.index("Tarn")
    window.hub.changed.emit(
        spans_service.add_span(window.workspace, window.document_id or 0, start, start + 4, "LOC")
    )

    key(qtbot, window, Qt.Key.Key_Tab)
    selected = window.article.selected_span()
    assert selected is not None and selected.label == "LOC"
    assert window.suggested.current is None

    key(qtbot, window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.suggested.current is not None
    assert window.suggested.current.label == "QUOTE"
    assert window.article.selected_span() is None  # the keys answer the suggestion now
    key(qtbot, window, Qt.Key.Key_Tab)
    assert window.suggested.current is not None  # the only one, again

    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.suggested.current is None
    key(qtbot, window, Qt.Key.Key_Tab)
    assert window.article.selected_span() is not None


def test_a_long_articles_suggestions_are_computed_off_the_window_thread(
    qtbot: QtBot,
    tmp_path: Path,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []
    load = OpenSuggestions.load

    def recorded(self: OpenSuggestions) -> object:
        threads.append(threading.current_thread().name)
        return load(self)

    monkeypatch.setattr(OpenSuggestions, "load", recorded)
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'long.db'}", "ana", samples=False)
    paragraph = "The harbour council met on Tuesday while Mara Voss waited outside. "
    article = tmp_path / "long.txt"
    article.write_text("Long\n\n" + paragraph * 3200, encoding="utf-8")
    import_paths(workspace, [article])
    entities.create_entity(workspace, "Mara Voss", "PERSON")
    try:
        window = open_window(workspace)
        assert len(window.article.text) >= LONG_ARTICLE

        qtbot.waitUntil(lambda: window.suggested.count_label.text() == "3200 suggestions")
        assert {s.label for s in window.suggested.suggestions} == {"PERSON"}
        assert threads and threads[0] != threading.main_thread().name
    finally:
        workspace.close()


def test_the_review_dock_lists_pending_suggestions_as_suggested_and_answers_them(
    qtbot: QtBot, window: MainWindow
) -> None:
    key(qtbot, window, Qt.Key.Key_R, CTRL | SHIFT)  # the review table
    tabs = window.findChild(QTabWidget, "review_tabs")
    assert isinstance(tabs, QTabWidget)
    panel = next(
        w for w in (tabs.widget(i) for i in range(tabs.count())) if isinstance(w, SuggestionsPanel)
    )
    tabs.setCurrentWidget(panel)
    panel.wait()

    assert panel.model.rowCount() == 1
    assert tabs.tabText(tabs.indexOf(panel)) == "Suggestions (1)"
    row = [panel.model.index(0, column).data() for column in range(panel.model.columnCount())]
    assert row[1:2] + row[3:4] == ["QUOTE", "suggested"]
    assert QUOTE in row[2] and row[4].startswith("quotes · ")

    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # shown in the article, current there
    assert window.suggested.current is not None and window.suggested.current.label == "QUOTE"

    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    panel.wait()
    assert len(spans(window)) == 3 and panel.model.rowCount() == 0
    assert tabs.tabText(tabs.indexOf(panel)) == "Suggestions"

    key(qtbot, window, Qt.Key.Key_Z, CTRL)
    panel.reload()
    panel.wait()
    assert panel.model.rowCount() == 1
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    panel.wait()
    assert panel.model.rowCount() == 0 and spans(window) == set()
    assert window.suggested.suggestions == []


def test_a_long_article_shows_the_suggestions_on_screen_before_the_rest(
    qtbot: QtBot,
    tmp_path: Path,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    go_on = threading.Event()
    load = OpenSuggestions.load

    def held(self: OpenSuggestions) -> object:
        go_on.wait(30)  # the whole article waits until the test has looked
        return load(self)

    monkeypatch.setattr(OpenSuggestions, "load", held)
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'long.db'}", "ana", samples=False)
    paragraph = "The harbour council met on Tuesday while Mara Voss waited outside. "
    article = tmp_path / "long.txt"
    article.write_text("Long\n\n" + paragraph * 3200, encoding="utf-8")
    import_paths(workspace, [article])
    entities.create_entity(workspace, "Mara Voss", "PERSON")
    try:
        window = open_window(workspace)
        first = window.suggested.suggestions
        text = window.article.text
        assert first and len(first) < 3200  # the part on screen, not the whole
        assert all(text[s.start : s.end] == "Mara Voss" for s in first)
        assert max(s.end for s in first) < 6_000 + 2 * len(paragraph) + 2_000
        assert "computing the rest" in window.suggested.count_label.text()
        go_on.set()
        qtbot.waitUntil(lambda: window.suggested.count_label.text() == "3200 suggestions")
    finally:
        go_on.set()
        workspace.close()
