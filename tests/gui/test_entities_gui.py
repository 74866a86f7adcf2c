"""Entities from the keyboard: link a mention with E, rename and merge in the Entities dock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.annotations import Span
from app.core.entities import Entity
from app.gui.annotating.entity_link import EntityLinkDialog
from app.gui.models.entities import EntityTableModel
from app.gui.window.main_window import MainWindow
from app.services import Workspace, entities, spans
from tests.gui.support import stored_spans, wait_open


def tag(window: MainWindow, needle: str, label: str, nth: int = 0) -> Span:
    """Tag an occurrence of ``needle`` behind the window's back, then show it."""
    assert window.document_id is not None
    start = -1
    for _ in range(nth + 1):
        start = window.article.text.index(needle, start + 1)
    span = spans.add_span(window.workspace, window.document_id, start, start + len(needle), label)
    document = window.document_id
    window.open_document(window.steps.neighbour(-1) or window.steps.neighbour(+1) or 0, wait=True)
    window.open_document(document, wait=True)
    return span.added[0]


def open_link_popup(qtbot: QtBot, window: MainWindow, span: Span) -> EntityLinkDialog:
    window.article.select_span(span.id)
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: window.entity_links.dialog is not None, timeout=2000)
    dialog = window.entity_links.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def fresh(db_path: Path) -> Workspace:
    return Workspace.open(str(db_path), "tester")


def test_e_links_the_fuzzy_match_with_the_keyboard(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    herkin = entities.create_entity(window.workspace, "Maxim Herkin", "PERSON")
    rana = entities.create_entity(window.workspace, "Rana Khoury", "PERSON")
    khoury = tag(window, "Khoury", "PERSON", nth=1)

    dialog = open_link_popup(qtbot, window, khoury)
    rows = dialog.rows()
    assert rows[0].startswith("Rana Khoury") and "%" in rows[0]
    assert rows[1].startswith("Maxim Herkin")
    assert rows[-2:] == ["New entity: Khoury", "No entity"]
    # typing filters; Down then Up, then Enter picks
    qtbot.keyClicks(dialog.filter, "rana")
    assert dialog.rows() == [rows[0], "New entity: rana", "No entity"]
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    window.entity_links.wait()

    linked = next(s for s in stored_spans(db_path, khoury.document_id) if s.id == khoury.id)
    assert linked.entity == rana.id
    assert window.panel.span_entity.text().endswith(">Rana Khoury</a>")
    assert herkin.id != rana.id

    window.undo_stack.undo()
    window.entity_links.wait()
    unlinked = next(s for s in stored_spans(db_path, khoury.document_id) if s.id == khoury.id)
    assert unlinked.entity is None
    assert entities.entity(window.workspace, rana.id).aliases == ()
    assert "none" in window.panel.span_entity.text()


def test_new_entity_row_creates_one_and_undo_removes_it(
    qtbot: QtBot, window: MainWindow, db_path: Path
) -> None:
    levi = tag(window, "Yael Levi", "PERSON")
    dialog = open_link_popup(qtbot, window, levi)
    assert dialog.rows() == ["New entity: Yael Levi", "No entity"]
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    [entity] = entities.entities(window.workspace)
    assert entity.name == "Yael Levi"
    assert next(s for s in stored_spans(db_path, levi.document_id) if s.id == levi.id).entity
    window.undo_stack.undo()
    assert entities.entities(window.workspace) == []
    window.undo_stack.redo()
    assert entities.entities(window.workspace) == [entity]


def test_merge_in_the_view_and_undo(qtbot: QtBot, window: MainWindow) -> None:
    workspace = window.workspace
    rana = entities.create_entity(workspace, "Rana Khoury", "PERSON")
    other = entities.create_entity(workspace, "Khouri", "PERSON")
    first = tag(window, "Rana Khoury", "PERSON")
    second = tag(window, "Khoury", "PERSON", nth=1)
    entities.link_span(workspace, first.id, rana.id)
    entities.link_span(workspace, second.id, other.id)

    qtbot.keyClick(window.article, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dock = window.entity_links.dock
    qtbot.waitUntil(dock.isVisible, timeout=2000)
    dock.wait()
    model = dock.model
    assert [model.entity_at(r).name for r in range(model.rowCount())] == ["Khouri", "Rana Khoury"]  # type: ignore[union-attr]
    dock.select_entity(rana.id)
    dock.wait()
    row = model.row_of(other.id)
    assert row is not None
    dock.table.selectionModel().select(
        model.index(row, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.mouseClick(dock.merge_button, Qt.MouseButton.LeftButton)
    dock.wait()
    window.entity_links.wait()

    assert [e.id for e in entities.entities(workspace)] == [rana.id]
    assert model.rowCount() == 1
    assert model.data(model.index(0, EntityTableModel.MENTIONS)) == 2
    assert [span.id for _, span in entities.mentions(workspace, rana.id)] == [first.id, second.id]
    assert dock.mention_list.count() == 2
    assert window.spans.span_in_row(window.spans.row_of(second.id) or 0).entity == rana.id

    window.undo_stack.undo()
    dock.wait()
    assert {e.id for e in entities.entities(workspace)} == {rana.id, other.id}
    assert [span.id for _, span in entities.mentions(workspace, other.id)] == [second.id]
    assert model.rowCount() == 2
    window.undo_stack.redo()
    assert [e.id for e in entities.entities(workspace)] == [rana.id]


def test_rename_with_f2_is_undoable(qtbot: QtBot, window: MainWindow) -> None:
    levy = entities.create_entity(window.workspace, "Yael Levy", "PERSON")
    window.entity_links.show_entity(levy.id)
    dock = window.entity_links.dock
    qtbot.waitUntil(dock.isVisible, timeout=2000)
    dock.wait()
    dock.table.setCurrentIndex(dock.model.index(0, EntityTableModel.NAME))
    qtbot.keyClick(dock.table, Qt.Key.Key_F2)
    editor = dock.table.viewport().findChild(QLineEdit)
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "Yael Levi")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: entities.entity(window.workspace, levy.id).name == "Yael Levi", timeout=2000
    )
    dock.wait()
    assert dock.model.data(dock.model.index(0, 0)) == "Yael Levi"
    window.undo_stack.undo()
    assert entities.entity(window.workspace, levy.id).name == "Yael Levy"


def test_mention_activation_opens_the_document(qtbot: QtBot, window: MainWindow) -> None:
    workspace = window.workspace
    rana = entities.create_entity(workspace, "Rana Khoury", "PERSON")
    span = tag(window, "Rana Khoury", "PERSON")
    entities.link_span(workspace, span.id, rana.id)
    window.steps.next_document()
    wait_open(qtbot, window)
    assert window.document_id != span.document_id
    window.entity_links.show_entity(rana.id)
    window.entity_links.dock.wait()
    item = window.entity_links.dock.mention_list.item(0)
    assert "Rana Khoury" in item.text()
    window.entity_links.dock.mention_list.itemActivated.emit(item)
    wait_open(qtbot, window)
    assert window.document_id == span.document_id
    assert window.article.selected_span() is not None
    assert window.article.selected_span().id == span.id  # type: ignore[union-attr]


def test_entity_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = EntityTableModel()
    qtmodeltester.check(model)
    model.reset(
        [Entity(1, "Rana Khoury", "PERSON", ("Khoury",)), Entity(2, "Rivermouth", "LOC")],
        {1: 3},
    )
    qtmodeltester.check(model)
    assert model.data(model.index(1, EntityTableModel.MENTIONS)) == 0
    model.reset([], {})
    qtmodeltester.check(model)
