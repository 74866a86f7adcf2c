"""The review table from the keyboard: open it, filter, accept, relabel, resize, open the
article at a span, and undo each step."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDockWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.errors import StorageError
from app.core.review import Column, Review, ReviewQuery, ReviewRow
from app.gui.annotating.layers import Mode
from app.gui.models.review import (
    COLUMNS,
    PAGE_SIZE,
    SPAN_ID_ROLE,
    ReviewTableModel,
)
from app.gui.reviewing.review_view import ReviewPanel, install_review
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, relations, spans
from app.services.review import ReviewActions
from tests.gui.support import wait_open

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def tag(workspace: Workspace, document_id: int, covered: str, label: str) -> int:
    text = documents.document(workspace, document_id).text
    start = text.index(covered)
    return spans.add_span(workspace, document_id, start, start + len(covered), label).added[0].id


def words(workspace: Workspace, document_id: int, count: int) -> list[str]:
    """The first ``count`` distinct plain words of a document after its title line, to tag."""
    found: list[str] = []
    title, body = documents.document(workspace, document_id).text.split("\n", 1)
    for word in body.split():
        if word.lower() in title.lower():
            continue
        if word.isalpha() and len(word) > 3 and word not in found:
            found.append(word)
    return found[:count]


@pytest.fixture
def panel(window: MainWindow, qtbot: QtBot) -> ReviewPanel:
    """The review panel installed in the window, not yet shown; the festival article has
    three tagged words and another article one claim."""
    workspace = window.workspace
    festival = window.document_id
    assert festival is not None
    first, second, third = words(workspace, festival, 3)
    tag(workspace, festival, first, "PERSON")
    tag(workspace, festival, second, "ORG")
    tag(workspace, festival, third, "LOC")
    other = next(s.id for s in documents.documents(workspace) if s.id != festival)
    (word,) = words(workspace, other, 1)
    tag(workspace, other, word, "CLAIM")
    if window.findChild(ReviewPanel) is None:  # until the window installs it itself
        install_review(window.session, window.layers, window.suggested)
    found = window.findChild(ReviewPanel)
    assert isinstance(found, ReviewPanel)
    return found


def open_panel(window: MainWindow, panel: ReviewPanel, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL | SHIFT)
    qtbot.waitUntil(lambda: panel.table.hasFocus())
    panel.model.wait()


def review_of(workspace: Workspace, span_id: int) -> Review:
    return ReviewActions(workspace).reviews([span_id])[span_id]


def cell(panel: ReviewPanel, row: int, column: Column) -> Any:
    """What the table shows at ``row``, once its page and the changes asked for are read."""
    panel.model.row_at(row)
    panel.model.wait()
    return panel.model.index(row, COLUMNS.index(column)).data()


def test_ctrl_shift_r_shows_every_span_and_toggles_back(
    window: MainWindow, panel: ReviewPanel, qtbot: QtBot
) -> None:
    dock = window.findChild(QDockWidget, "review_dock")
    assert dock is not None and dock.isHidden()

    open_panel(window, panel, qtbot)

    assert dock.isVisible()
    assert panel.model.rowCount() == 4
    assert panel.count_label.text() == "4 spans"
    assert panel.table.currentIndex().row() == 0
    assert [cell(panel, row, Column.REVIEW) for row in range(4)] == ["·"] * 4
    qtbot.keyClick(panel.table, Qt.Key.Key_R, CTRL | SHIFT)
    assert dock.isHidden()


def test_the_review_menu_offers_the_table_and_the_quick_filters(
    window: MainWindow, panel: ReviewPanel
) -> None:
    texts = [action.text() for action in window.session.actions.menu("Review").actions()]
    ours = ["Review &table", "&Claims not yet reviewed", "&Quotes attributed to…"]
    assert [text for text in texts if text in ours] == ours


def test_filters_narrow_the_table(window: MainWindow, panel: ReviewPanel, qtbot: QtBot) -> None:
    open_panel(window, panel, qtbot)
    filters = panel.filters

    filters.label.setCurrentIndex(filters.label.findData("ORG"))
    panel.model.wait()
    assert panel.model.rowCount() == 1
    assert cell(panel, 0, Column.LABEL) == "ORG"

    filters.label.setCurrentIndex(0)
    panel.model.wait()
    word = cell(panel, 3, Column.TEXT).split("[")[1].split("]")[0]
    filters.text.setFocus()
    qtbot.keyClicks(filters.text, word.upper())
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)  # after the typing pause
    assert f"[{word}]" in cell(panel, 0, Column.TEXT)

    panel.show_unreviewed_claims()
    panel.model.wait()
    assert panel.model.rowCount() == 1
    assert cell(panel, 0, Column.LABEL) == "CLAIM"
    assert filters.text.text() == ""


def test_a_accepts_moves_on_and_ctrl_z_undoes(
    window: MainWindow, panel: ReviewPanel, qtbot: QtBot
) -> None:
    open_panel(window, panel, qtbot)
    first = panel.model.index(0, 0).data(SPAN_ID_ROLE)

    qtbot.keyClick(panel.table, Qt.Key.Key_A)

    assert review_of(window.workspace, first) is Review.ACCEPTED
    assert cell(panel, 0, Column.REVIEW) == "✓"
    assert panel.table.currentIndex().row() == 1
    assert window.undo_stack.undoText() == "Accept span"

    qtbot.keyClick(panel.table, Qt.Key.Key_R)
    second = panel.model.index(1, 0).data(SPAN_ID_ROLE)
    assert review_of(window.workspace, second) is Review.REJECTED
    assert cell(panel, 1, Column.REVIEW) == "✗"

    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert review_of(window.workspace, first) is Review.UNREVIEWED
    assert review_of(window.workspace, second) is Review.UNREVIEWED
    assert [cell(panel, row, Column.REVIEW) for row in (0, 1)] == ["·", "·"]


def go_to(panel: ReviewPanel, label: str) -> int:
    """Put the cursor on the row of the span labelled ``label``; its row."""
    (row,) = [r for r in range(panel.model.rowCount()) if cell(panel, r, Column.LABEL) == label]
    panel.table.setCurrentIndex(panel.model.index(row, 0))
    return row


def test_a_label_hotkey_relabels_and_ctrl_z_undoes(
    window: MainWindow, panel: ReviewPanel, qtbot: QtBot
) -> None:
    open_panel(window, panel, qtbot)
    row = go_to(panel, "PERSON")
    span_id = panel.model.index(row, 0).data(SPAN_ID_ROLE)

    qtbot.keyClick(panel.table, Qt.Key.Key_2)  # ORG's hotkey

    assert ReviewActions(window.workspace).span(span_id).label == "ORG"
    assert cell(panel, row, Column.LABEL) == "ORG"
    assert panel.table.hasFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert ReviewActions(window.workspace).span(span_id).label == "PERSON"
    assert cell(panel, row, Column.LABEL) == "PERSON"


def test_ctrl_shift_right_takes_in_the_next_word_and_ctrl_z_undoes(
    window: MainWindow, panel: ReviewPanel, qtbot: QtBot
) -> None:
    open_panel(window, panel, qtbot)
    span_id = panel.model.index(go_to(panel, "PERSON"), 0).data(SPAN_ID_ROLE)
    before = ReviewActions(window.workspace).span(span_id)

    qtbot.keyClick(panel.table, Qt.Key.Key_Right, CTRL | SHIFT)

    after = ReviewActions(window.workspace).span(span_id)
    assert after.start == before.start and after.end > before.end
    text = documents.document(window.workspace, after.document_id).text
    assert " " in text[before.start : after.end].strip()  # one more word
    qtbot.keyClick(panel.table, Qt.Key.Key_Z, CTRL)
    assert ReviewActions(window.workspace).span(span_id) == before


def test_enter_opens_the_article_at_the_span(
    window: MainWindow, panel: ReviewPanel, qtbot: QtBot
) -> None:
    open_panel(window, panel, qtbot)
    panel.filters.label.setCurrentIndex(panel.filters.label.findData("CLAIM"))
    panel.model.wait()
    claim = panel.model.index(0, 0).data(SPAN_ID_ROLE)
    panel.table.setFocus()
    assert panel.table.currentIndex().row() == 0

    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    wait_open(qtbot, window)

    selected = window.article.selected_span()
    assert selected is not None and selected.id == claim
    assert window.document_id == selected.document_id
    assert window.article.hasFocus()


class CountingReader:
    """Review rows made up on the spot, counting the pages read."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.pages: list[int] = []

    def count(self, query: ReviewQuery) -> int:
        return self.total

    def rows(self, query: ReviewQuery, offset: int, limit: int) -> list[ReviewRow]:
        self.pages.append(offset)
        return [self.row(n) for n in range(offset, min(offset + limit, self.total))]

    def rows_of(self, span_ids: set[int]) -> dict[int, ReviewRow]:
        return {n: self.row(n) for n in span_ids}

    @staticmethod
    def row(n: int) -> ReviewRow:
        return ReviewRow(
            n, 1, "Doc", n, n + 1, "PERSON", f"w{n}", "", "", "tester", "manual", Review.UNREVIEWED
        )  # type: ignore[arg-type]


def test_the_model_reads_only_the_pages_shown(qtbot: QtBot) -> None:
    reader = CountingReader(1_000_000)
    model = ReviewTableModel(reader, {"PERSON": "#e6194b"})  # type: ignore[arg-type]
    model.set_query(ReviewQuery())
    model.wait()

    assert model.rowCount() == 1_000_000
    assert reader.pages == [0]  # the first page comes with the count
    assert model.index(500_000, 2).data() is None  # not read yet: its page is asked for
    model.wait()
    assert model.index(500_000, 2).data() == "[w500000]"
    assert model.index(500_001, 0).data(SPAN_ID_ROLE) == 500_001
    assert reader.pages == [0, 500_000 // PAGE_SIZE * PAGE_SIZE]
    assert model.rows_in_memory() == 2 * PAGE_SIZE


class HeldReader(CountingReader):
    """Review rows whose reads wait, query by query, until let go; a read may fail."""

    def __init__(self, total: int) -> None:
        super().__init__(total)
        self.gates: dict[str, threading.Event] = {}
        self.failing: set[str] = set()

    def hold(self, text: str) -> threading.Event:
        self.gates[text] = threading.Event()
        return self.gates[text]

    def rows(self, query: ReviewQuery, offset: int, limit: int) -> list[ReviewRow]:
        gate = self.gates.get(query.text)
        if gate is not None:
            assert gate.wait(10), "never let go"
        if query.text in self.failing:
            raise StorageError("the database is locked")
        return [
            replace(row, text=f"{query.text}{row.span_id}")
            for row in super().rows(query, offset, limit)
        ]


def test_a_superseded_query_never_shows_its_rows(qtbot: QtBot) -> None:
    reader = HeldReader(3)
    model = ReviewTableModel(reader, {})  # type: ignore[arg-type]
    older = reader.hold("older")
    shown: list[str] = []
    model.modelReset.connect(lambda: shown.extend(cell_texts(model)))
    model.dataChanged.connect(lambda *_: shown.extend(cell_texts(model)))

    model.set_query(ReviewQuery(text="older"))
    assert model.loading and model.rowCount() == 0
    model.set_query(ReviewQuery(text="newer"))
    model.wait()
    older.set()  # the older read ends after the newer one is shown
    qtbot.waitUntil(lambda: model.reads_under_way == 0)

    assert cell_texts(model) == ["[newer0]", "[newer1]", "[newer2]"]
    assert all("older" not in text for text in shown)


def test_a_failed_read_says_so_and_the_table_stays_usable(
    window: MainWindow, panel: ReviewPanel, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_panel(window, panel, qtbot)
    real = ReviewActions.rows

    def locked(self: ReviewActions, query: ReviewQuery, offset: int, limit: int) -> Any:
        if query.labels == {"ORG"}:
            raise StorageError("the database is locked")
        return real(self, query, offset, limit)

    monkeypatch.setattr(ReviewActions, "rows", locked)
    filters = panel.filters
    filters.label.setCurrentIndex(filters.label.findData("ORG"))
    panel.model.wait()

    assert "the database is locked" in window.statusBar().currentMessage()
    assert panel.count_label.text() == "Not read" and not panel.model.loading
    filters.label.setCurrentIndex(filters.label.findData("LOC"))
    panel.model.wait()
    assert panel.count_label.text() == "1 span"
    assert cell(panel, 0, Column.LABEL) == "LOC"
    span_id = panel.model.index(0, 0).data(SPAN_ID_ROLE)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    assert review_of(window.workspace, span_id) is Review.ACCEPTED
    assert cell(panel, 0, Column.REVIEW) == "✓"


def test_the_table_says_loading_until_the_rows_of_new_filters_are_in(
    window: MainWindow,
    panel: ReviewPanel,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    ticks: list[int],
) -> None:
    open_panel(window, panel, qtbot)
    real, gate = ReviewActions.count, threading.Event()

    def slow(self: ReviewActions, query: ReviewQuery) -> int:
        if query.labels == {"LOC"}:
            assert gate.wait(10), "never let go"
        return real(self, query)

    monkeypatch.setattr(ReviewActions, "count", slow)
    filters = panel.filters
    filters.label.setCurrentIndex(filters.label.findData("LOC"))
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > before + 3)  # the window answers meanwhile

    assert panel.count_label.text() == "Loading…" and panel.model.rowCount() == 0
    gate.set()
    panel.model.wait()
    assert panel.count_label.text() == "1 span"
    assert cell(panel, 0, Column.LABEL) == "LOC"


def cell_texts(model: ReviewTableModel) -> list[str]:
    column = COLUMNS.index(Column.TEXT)
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_model_passes_the_model_tester(
    window: MainWindow, panel: ReviewPanel, qtmodeltester: ModelTester
) -> None:
    panel.model.reload()
    panel.model.wait()
    assert panel.model.rowCount() == 4
    qtmodeltester.check(panel.model)
    assert panel.model.index(0, 0).parent() == QModelIndex()


def test_clicking_a_header_sorts_by_that_column(
    window: MainWindow, panel: ReviewPanel, qtbot: QtBot
) -> None:
    open_panel(window, panel, qtbot)
    label = COLUMNS.index(Column.LABEL)

    panel.table.sortByColumn(label, Qt.SortOrder.DescendingOrder)

    labels = [cell(panel, row, Column.LABEL) for row in range(4)]
    assert labels == ["PERSON", "ORG", "LOC", "CLAIM"]
    assert panel.model.query.sort is Column.LABEL and panel.model.query.descending
    assert panel.table.currentIndex().row() == 0


def test_quotes_attributed_to_someone_stay_listed_once_accepted(
    window: MainWindow, panel: ReviewPanel, qtbot: QtBot
) -> None:
    workspace = window.workspace
    festival = window.document_id
    assert festival is not None
    speaker = next(s for s in spans.spans(workspace, festival) if s.label == "PERSON")
    text = documents.document(workspace, festival).text
    quote_start = speaker.end + 1
    quote = spans.add_span(workspace, festival, quote_start, quote_start + 20, "QUOTE").added[0]
    relations.add_relation(workspace, quote.id, speaker.id, "speaker")
    name = text[speaker.start : speaker.end]
    open_panel(window, panel, qtbot)

    panel.show_quotes_attributed(name.lower())
    panel.model.wait()

    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 0).data(SPAN_ID_ROLE) == quote.id
    assert cell(panel, 0, Column.SPEAKER) == name
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    # the row stays (with its mark) until the filters change or the table is read again
    assert panel.model.rowCount() == 1
    assert cell(panel, 0, Column.REVIEW) == "✓"
    panel.filters.review.setCurrentIndex(panel.filters.review.findData("unreviewed"))
    panel.model.wait()
    assert panel.model.rowCount() == 0
    assert panel.count_label.text() == "0 spans"


def test_enter_on_another_annotators_span_shows_every_layer_and_that_span(
    window: MainWindow, panel: ReviewPanel, qtbot: QtBot
) -> None:
    bob = Workspace(window.workspace.database, "bob")
    festival = window.document_id
    assert festival is not None
    (word,) = words(bob, festival, 1)
    theirs = tag(bob, festival, word, "ORG")
    open_panel(window, panel, qtbot)
    qtbot.waitUntil(lambda: panel.filters.annotator.findData("bob") >= 0)  # read meanwhile
    panel.filters.annotator.setCurrentIndex(panel.filters.annotator.findData("bob"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    panel.table.setCurrentIndex(panel.model.index(0, 0))

    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    wait_open(qtbot, window)

    assert window.layers.choice.mode is Mode.OVERLAID
    viewed = window.article.viewed_span()
    assert viewed is not None and viewed.id == theirs and viewed.annotator == "bob"
    assert window.article.selected_span() is None  # seen, not editable: it is bob's
