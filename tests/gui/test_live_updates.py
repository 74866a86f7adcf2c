"""Seeing a colleague's changes on a shared database: by themselves, and with F5."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from app.core.annotations import DocumentSummary, Span
from app.gui.annotating.layers import LayerChoice, Mode
from app.gui.reviewing.review_view import ReviewPanel
from app.gui.team.live_updates import LiveUpdates
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, metadata, spans
from app.services.feed import FeedEvent
from app.services.importing import import_paths
from app.store.orm import DocumentRow
from tests.gui.support import FESTIVAL, patch_action, utf16, wait_open

CTRL = Qt.KeyboardModifier.ControlModifier
NEVER_MS = 3_600_000
"""A poll interval the test never reaches: the test polls by hand or with F5."""


@pytest.fixture
def shared(database_url: str) -> Iterator[tuple[Workspace, Workspace]]:
    """Two annotators on one database: ours (tester, with the samples) and bob's."""
    ours = Workspace.open(database_url, "tester")
    theirs = Workspace.open(database_url, "bob")
    yield ours, theirs
    theirs.close()
    ours.close()


@pytest.fixture
def festival_window(
    shared: tuple[Workspace, Workspace], open_window: Callable[..., MainWindow]
) -> MainWindow:
    """Our window on the festival article, showing every annotator's layer overlaid."""
    window = open_window(shared[0])
    window.open_document(festival_id(shared[0]), wait=True)
    window.layers.show_layers(LayerChoice(Mode.OVERLAID))
    return window


def live_on(window: MainWindow, interval_ms: int) -> LiveUpdates:
    """The window's live updates, looking every ``interval_ms`` (never, when 0)."""
    window.live_updates.set_interval(interval_ms)
    return window.live_updates


def look(window: MainWindow, qtbot: QtBot) -> None:
    """One quiet look, as the timer takes it, waited for until the feed and the document
    list are read and what they brought is shown."""
    window.live_updates.poll()
    settled(window, qtbot)


def settled(window: MainWindow, qtbot: QtBot) -> None:
    """Wait until what the window's live updates read is read and shown."""
    qtbot.waitUntil(lambda: not window.live_updates.reading, timeout=5000)
    wait_open(qtbot, window)


def festival_id(workspace: Workspace) -> int:
    return next(s.id for s in documents.documents(workspace) if s.title == FESTIVAL)


def on_show(window: MainWindow, span: Span) -> bool:
    """True when the article shows ``span`` (of any layer on show) as it is."""
    return span in window.article.spans_at(span.start)


def tag_word(window: MainWindow, qtbot: QtBot, word: str, key: Qt.Key = Qt.Key.Key_1) -> None:
    """Select a word as a mouse drag would and press a label key."""
    text = window.article.text
    start = text.index(word)
    cursor = window.article.textCursor()
    cursor.setPosition(utf16(text, start))
    cursor.setPosition(utf16(text, start + len(word)), cursor.MoveMode.KeepAnchor)
    window.article.setTextCursor(cursor)
    qtbot.keyClick(window.article, key)


def test_a_colleagues_span_appears_within_a_few_polls(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    live_on(window, 50)
    document = festival_id(theirs)
    start = window.article.text.index("Lindqvist")

    added = spans.add_span(theirs, document, start, start + len("Lindqvist"), "PERSON").added[0]

    qtbot.waitUntil(lambda: on_show(window, added), timeout=5000)
    assert window.documents.summary(document).span_count == 1  # type: ignore[union-attr]


def test_a_slow_server_never_holds_up_the_window(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    live = live_on(window, NEVER_MS)
    answer = threading.Event()
    read = live.feed.read_all

    def slow_read() -> tuple[FeedEvent, ...]:
        answer.wait(10)
        return read()

    live.feed.read_all = slow_read  # type: ignore[method-assign]
    start = window.article.text.index("Lindqvist")
    added = spans.add_span(theirs, festival_id(theirs), start, start + 9, "PERSON").added[0]

    live.poll()  # returns while the feed is still being read
    assert live.reading
    tag_word(window, qtbot, "Rivermouth")  # the window takes input meanwhile
    assert window.article.selected_span() is not None
    answer.set()
    qtbot.waitUntil(lambda: not live.reading, timeout=5000)
    wait_open(qtbot, window)
    assert live.reloads == 1 and on_show(window, added)


def test_a_slow_document_list_never_holds_up_the_window(
    shared: tuple[Workspace, Workspace],
    festival_window: MainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    ticks: list[int],
) -> None:
    window, (ours, theirs) = festival_window, shared
    live = live_on(window, NEVER_MS)
    answer = threading.Event()
    listed = partial(documents.documents, ours)

    def slow_list() -> list[DocumentSummary]:
        assert answer.wait(10), "never answered"
        return listed()

    patch_action(monkeypatch, ours, "documents", slow_list)
    added = spans.add_span(theirs, festival_id(theirs), 0, 5, "ORG").added[0]

    live.poll()
    qtbot.waitUntil(lambda: live.listing.busy)  # others' changes found, the list on its way
    seen = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) >= seen + 3)  # the event loop turns meanwhile
    assert live.reading and live.reloads == 0
    answer.set()
    settled(window, qtbot)
    assert live.reloads == 1 and on_show(window, added)
    assert window.documents.summary(added.document_id).span_count == 1  # type: ignore[union-attr]


def test_our_own_changes_are_not_reloaded_and_undo_still_works(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    live = live_on(window, NEVER_MS)
    tag_word(window, qtbot, "Lindqvist")
    ours = window.article.selected_span()
    assert ours is not None

    look(window, qtbot)
    assert live.reloads == 0  # our own span is no news

    start = window.article.text.index("Rivermouth")
    theirs_span = spans.add_span(theirs, ours.document_id, start, start + 10, "ORG").added[0]
    look(window, qtbot)
    assert live.reloads == 1
    assert on_show(window, theirs_span)
    assert window.article.selected_span() == ours  # the selection survives the reload

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert window.article.span(ours.id) is None
    assert [s.id for s in spans.spans(theirs, ours.document_id)] == [theirs_span.id]


def test_no_reload_while_typing_in_the_find_bar(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    live = live_on(window, NEVER_MS)
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(lambda: window.find_bar.query.hasFocus(), timeout=2000)
    qtbot.keyClicks(window.find_bar.query, "Lind")
    start = window.article.text.index("Lindqvist")
    added = spans.add_span(theirs, festival_id(theirs), start, start + 9, "PERSON").added[0]

    look(window, qtbot)
    assert live.reloads == 0 and not on_show(window, added)
    assert window.find_bar.query.text() == "Lind"

    window.article.setFocus()
    qtbot.waitUntil(lambda: window.article.hasFocus(), timeout=2000)
    window.article.clear_text_selection()  # the find bar left its match selected
    look(window, qtbot)
    assert live.reloads == 1 and on_show(window, added)


def test_f5_reloads_at_once_keeping_the_scroll_position(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    live = live_on(window, NEVER_MS)
    window.article.set_scroll_position(len(window.article.text) // 2)
    scroll = window.article.scroll_position()
    document = festival_id(theirs)
    added = spans.add_span(theirs, document, 0, 5, "ORG").added[0]
    theirs_doc = documents.documents(theirs)[0]
    metadata.update_meta(theirs, theirs_doc.id, {"title": "Renamed by bob"})

    qtbot.keyClick(window, Qt.Key.Key_F5)
    settled(window, qtbot)

    assert live.reloads == 1
    assert on_show(window, added)
    assert window.article.scroll_position() == scroll
    assert "Renamed by bob" in [s.title for s in window.documents.summaries()]
    assert window.document_id == document


def test_a_document_deleted_elsewhere_closes_quietly(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    live_on(window, NEVER_MS)
    document = festival_id(theirs)
    with theirs.database.unit_of_work() as uow:
        uow.session.execute(delete(DocumentRow).where(DocumentRow.id == document))
        # every change is logged with it: the log is the feed others read
        uow.events.record("bob", "delete_document", document=document)
        uow.commit()

    look(window, qtbot)

    assert window.document_id is not None and window.document_id != document
    assert document not in [s.id for s in window.documents.summaries()]


def test_showing_only_my_layer_a_colleagues_span_only_updates_the_list(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    window.layers.show_layers(LayerChoice(Mode.MINE))
    live = live_on(window, NEVER_MS)
    shown = window.article.document()
    document = festival_id(theirs)

    added = spans.add_span(theirs, document, 0, 5, "ORG").added[0]
    look(window, qtbot)

    assert live.reloads == 1
    assert window.documents.summary(document).span_count == 1  # type: ignore[union-attr]
    assert not on_show(window, added)
    assert window.article.document() is shown  # the article was left alone


def test_a_title_changed_elsewhere_shows_in_the_window_title(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    window.layers.show_layers(LayerChoice(Mode.MINE))
    live_on(window, 0)
    metadata.update_meta(theirs, festival_id(theirs), {"title": "Festival, retitled by bob"})

    look(window, qtbot)

    assert window.windowTitle() == "Glossa — Festival, retitled by bob"
    assert window.document is not None and window.document.title == "Festival, retitled by bob"


def test_an_empty_window_opens_the_first_article_someone_imports(
    database_url: str, open_window: Callable[..., MainWindow], tmp_path: Path, qtbot: QtBot
) -> None:
    ours = Workspace.open(database_url, "tester", samples=False)
    theirs = Workspace.open(database_url, "bob", samples=False)
    try:
        window = open_window(ours)
        live_on(window, 0)
        assert window.document is None
        article = tmp_path / "council.txt"
        article.write_text("Council votes on the bridge.\n", encoding="utf-8")
        import_paths(theirs, [article])

        look(window, qtbot)

        assert (
            window.document is not None and window.document.title == "Council votes on the bridge."
        )
        assert window.status_line.progress_label.text() == "0 of 1 done"
    finally:
        theirs.close()
        ours.close()


def test_typing_in_the_document_filter_keeps_the_focus_through_a_reload(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    live = live_on(window, 0)
    search = window.document_list.filter
    search.setFocus()
    qtbot.waitUntil(search.hasFocus, timeout=2000)
    qtbot.keyClicks(search, "fest")
    added = spans.add_span(theirs, festival_id(theirs), 0, 5, "ORG").added[0]

    look(window, qtbot)

    assert live.reloads == 1 and on_show(window, added)
    assert search.hasFocus() and search.text() == "fest"


def test_an_open_review_table_lists_a_colleagues_span_after_f5(
    shared: tuple[Workspace, Workspace], festival_window: MainWindow, qtbot: QtBot
) -> None:
    window, (_, theirs) = festival_window, shared
    live_on(window, NEVER_MS)
    qtbot.keyClick(window.article, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)
    panel = window.findChild(ReviewPanel)
    assert panel is not None and panel.isVisible()
    panel.model.wait()
    before = panel.model.rowCount()
    start = window.article.text.index("Lindqvist")

    spans.add_span(theirs, festival_id(theirs), start, start + len("Lindqvist"), "PERSON")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    settled(window, qtbot)
    panel.model.wait()

    assert panel.model.rowCount() == before + 1
