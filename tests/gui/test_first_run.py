"""The first hour: a hint above the article until the first span, and a document list that
counts the annotator's own spans."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui.annotating.first_run_hint import ink_on
from app.gui.models.documents import DocumentListModel
from app.gui.transfer.transfer import run_import
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents
from app.services import spans as spans_service
from tests.conftest import BUNDLED_SAMPLES
from tests.gui.support import FESTIVAL, wait_open


def festival_id(workspace: Workspace) -> int:
    return next(s.id for s in documents.documents(workspace) if s.title == FESTIVAL)


def tag_first_word(window: MainWindow, qtbot: QtBot) -> None:
    assert window.document is not None
    start = window.document.text.index("festival")
    window.article.select_range(start, start + len("festival"))
    qtbot.keyClick(window.article, Qt.Key.Key_1)


def test_the_hint_says_what_to_select_which_keys_and_where_help_is(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(sample_workspace)

    assert window.first_run.isVisible()
    text = window.first_run.label.text()
    assert "select" in text and "Shift+arrows" in text and "F1" in text
    for label in sample_workspace.schema.labels:
        assert f"<b>{label.hotkey}</b>&nbsp;{label.name}" in text


def test_the_hint_goes_with_the_first_span_and_stays_away(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(sample_workspace)
    window.open_document(festival_id(sample_workspace), wait=True)
    assert window.first_run.isVisible()

    tag_first_word(window, qtbot)
    assert not window.first_run.isVisible()

    window.undo_stack.undo()  # no spans again, but they know how now
    window.steps.next_document()
    assert not window.first_run.isVisible()


def test_no_hint_for_someone_who_has_tagged_before(
    db_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    first = Workspace.open(str(db_path), "tester")
    document = festival_id(first)
    spans_service.add_span(first, document, 0, 5, "ORG")
    other = Workspace.on_database(first.database, "colleague")
    try:
        assert open_window(first).first_run.isHidden()
        # someone else's spans do not count: the colleague still gets the hint
        assert open_window(other).first_run.isVisible()
    finally:
        first.close()


def test_the_list_counts_my_spans_not_everyones(
    db_path: Path, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    colleague = Workspace.open(str(db_path), "colleague")
    document = festival_id(colleague)
    spans_service.add_span(colleague, document, 0, 5, "ORG")
    spans_service.add_span(colleague, document, 6, 12, "ORG")
    mine = Workspace.on_database(colleague.database, "tester")
    try:
        window = open_window(mine)
        window.open_document(document, wait=True)
        model = window.documents
        row = model.row_of(document)
        assert row is not None
        spans = model.index(row, DocumentListModel.SPANS)
        assert model.headerData(DocumentListModel.SPANS, Qt.Orientation.Horizontal) == "My spans"
        assert spans.data() == 0
        assert "2 by every annotator" in spans.data(Qt.ItemDataRole.ToolTipRole)

        tag_first_word(window, qtbot)
        assert spans.data() == 1
        window.undo_stack.undo()
        assert spans.data() == 0
    finally:
        colleague.close()


def test_the_label_keys_are_legible_on_their_colours() -> None:
    assert ink_on("#e6194b") == "white"  # red
    assert ink_on("#ffe119") == "black"  # yellow
    assert ink_on("#4363d8") == "white"  # blue
    assert ink_on("not a colour") == "black"


def test_the_status_is_a_mark_so_that_titles_have_the_room(window: MainWindow) -> None:
    model = window.documents
    status = model.index(0, DocumentListModel.STATUS)
    assert status.data() in {"○", "◐", "●"}
    assert status.data(Qt.ItemDataRole.ToolTipRole).startswith(status.data())
    legend = model.headerData(DocumentListModel.STATUS, Qt.Orientation.Horizontal, 3)
    assert "○ new" in legend and "● done" in legend
    table = window.document_list.table
    width = table.horizontalHeader().sectionSize(DocumentListModel.STATUS)
    assert width < table.fontMetrics().horizontalAdvance("◐ in progress")
    title = model.index(0, DocumentListModel.TITLE)
    assert model.summaries()[0].title in title.data(Qt.ItemDataRole.ToolTipRole)


def test_no_hint_over_an_empty_project_until_an_article_opens(
    workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(workspace)
    assert window.document is None
    assert window.first_run.isHidden()  # nothing to select: the status bar says to import

    run_import(window.session, [BUNDLED_SAMPLES], wait=True)
    wait_open(qtbot, window)

    assert window.document is not None
    assert window.first_run.isVisible()
