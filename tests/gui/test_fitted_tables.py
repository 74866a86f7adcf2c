"""Tables sized to what they hold: the adjudication rows' versions and gold whole, the schema
editor's rows all shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTreeWidget
from pytestqt.qtbot import QtBot

from app.gui.schema.schema_dialog import SchemaDialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, spans
from app.services.importing import import_paths
from tests.gui.test_adjudication_gui import open_dialog

TEXT = "Ann Varga met Bo Lind and the Port Authority of Rivermouth at the quay."
LONG_NAMES = ("alexandra.konstantinopoulou", "bartholomew.featherstonehaugh")


def whole(view: QTreeWidget | QTableWidget, column: int) -> bool:
    """True when the column is at least as wide as its widest cell (and its title)."""
    header = view.header() if isinstance(view, QTreeWidget) else view.horizontalHeader()
    return header.sectionSize(column) >= max(
        view.sizeHintForColumn(column), header.sectionSizeHint(column)
    )


def test_the_versions_and_gold_of_a_difference_are_never_cut(
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    source = tmp_path / "quay.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert import_paths(workspace, [source]).ok
    document_id = documents.documents(workspace)[0].id
    port = TEXT.index("Port Authority of Rivermouth")
    for name, label in zip(LONG_NAMES, ("ORG", "LOC"), strict=True):
        who = Workspace(workspace.database, name)
        spans.add_span(who, document_id, port, port + len("Port Authority of Rivermouth"), label)
        spans.add_span(who, document_id, 0, len("Ann Varga"), "PERSON")
    window = open_window(workspace)
    window.open_document(document_id, wait=True)
    dialog = open_dialog(qtbot, window)
    tree = dialog.tree
    qtbot.keyClick(tree, Qt.Key.Key_1)  # gold answers the row: "gold: ORG [...]"
    qtbot.waitUntil(lambda: tree.currentItem() is not None)

    header = tree.header()
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.ResizeToContents
    assert header.sectionResizeMode(2) == QHeaderView.ResizeMode.ResizeToContents
    assert not header.stretchLastSection()
    qtbot.waitUntil(lambda: all(whole(tree, column) for column in range(3)))
    versions = [tree.topLevelItem(0).child(0).text(1)]
    assert all(name in versions[0] for name in LONG_NAMES)
    dialog.close()


def test_the_schema_editor_shows_every_label_row_and_whole_names(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = SchemaDialog(window.workspace, window.hub, window.push_schema_edit, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    for table in (dialog.labels, dialog.relations):
        rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
        assert rows > 0
        qtbot.waitUntil(lambda table=table, rows=rows: table.viewport().height() >= rows)
        last = table.columnCount() - 1
        header = table.horizontalHeader()
        assert header.sectionResizeMode(last) == QHeaderView.ResizeMode.Stretch
        for column in range(last):
            assert header.sectionResizeMode(column) == QHeaderView.ResizeMode.ResizeToContents
            assert whole(table, column)

    before = dialog.labels.minimumHeight()
    dialog.add_label()  # a new row: the table grows with it
    assert dialog.labels.minimumHeight() > before


def test_the_span_list_shows_whole_labels_from_the_first_span_on(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.document is not None
    start = window.document.text.index("festival")
    window.article.select_range(start, start + len("festival"))
    window.annotate("PERSON")  # the list was empty: its columns were measured on nothing
    table = window.panel.table
    qtbot.waitUntil(lambda: whole(table, 0) and whole(table, 2))
    assert table.horizontalHeader().sectionSize(0) > table.horizontalHeader().sectionSizeHint(0)
