"""Label > Edit schema…: rename, recolour, add and remove labels, attributes and relations."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui.annotating.annotation_panel import LABEL_ROLE
from app.gui.schema.schema_dialog import SchemaDialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace, relations, spans
from tests.gui.support import stored_relations, stored_spans, wait_open

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def dialog_of(window: MainWindow) -> SchemaDialog:
    return SchemaDialog(window.workspace, window.hub, window.push_schema_edit, window)


def palette(window: MainWindow) -> list[tuple[str, str]]:
    items = [window.panel.palette_list.item(i) for i in range(window.panel.palette_list.count())]
    return [(str(item.data(LABEL_ROLE)), item.text()) for item in items if item is not None]


def test_ctrl_shift_l_opens_the_schema_editor(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_L, CTRL_SHIFT)
    dialog = window.findChild(SchemaDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.labels.rowCount() == len(window.workspace.schema.labels)
    assert dialog.relations.rowCount() == len(window.workspace.schema.relations)
    dialog.reject()


def test_rename_and_recolour_then_undo(window: MainWindow, db_path: Path, qtbot: QtBot) -> None:
    document = window.document_id
    assert document is not None
    span = spans.add_span(window.workspace, document, 0, 5, "CUE").added[0]
    old = window.workspace.schema

    dialog = dialog_of(window)
    row = dialog.label_row("CUE")
    assert row is not None
    item = dialog.labels.item(row, 0)
    assert item is not None
    item.setText("VERB")
    dialog.set_colour(row, "#123456")
    dialog.accept()
    wait_open(qtbot, window)  # shown again in the new colours

    assert [s.label for s in stored_spans(db_path, document) if s.id == span.id] == ["VERB"]
    assert window.workspace.schema.label("VERB") is not None
    verb = window.workspace.schema.label("VERB")
    assert verb is not None and verb.colour == "#123456"
    assert "VERB" in [name for name, _ in palette(window)]
    assert "CUE" not in [name for name, _ in palette(window)]
    assert window.colours["VERB"] == "#123456"
    assert window.article._highlighter.colour("VERB").name() == "#123456"
    row_of = window.spans.row_of(span.id)
    assert row_of is not None and window.spans.span_in_row(row_of).label == "VERB"
    assert ("cue", ("QUOTE",), ("VERB",)) in [
        (k.name, k.heads, k.tails) for k in window.workspace.schema.relations
    ]
    assert "label:VERB" in window.session.actions
    offered = [
        window.find_bar.label_box.itemData(i) for i in range(window.find_bar.label_box.count())
    ]
    assert "VERB" in offered and "CUE" not in offered

    window.undo_stack.undo()
    wait_open(qtbot, window)

    assert window.workspace.schema == old
    assert [s.label for s in stored_spans(db_path, document) if s.id == span.id] == ["CUE"]
    assert "CUE" in [name for name, _ in palette(window)]


def test_removing_a_used_label_asks_then_undo_restores(
    window: MainWindow, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = window.document_id
    assert document is not None
    ws: Workspace = window.workspace
    quote = spans.add_span(ws, document, 0, 5, "QUOTE").added[0]
    cue = spans.add_span(ws, document, 6, 10, "CUE").added[0]
    relation = relations.add_relation(ws, quote.id, cue.id, "cue").relations_added[0]
    questions: list[str] = []
    answers = iter([False, True])

    def confirm(_self: SchemaDialog, question: str) -> bool:
        questions.append(question)
        return next(answers)

    monkeypatch.setattr(SchemaDialog, "confirm", confirm)
    dialog = dialog_of(window)
    row = dialog.label_row("CUE")
    assert row is not None
    dialog.labels.setCurrentCell(row, 0)
    dialog.remove_label()
    cue_row = next(
        r
        for r in range(dialog.relations.rowCount())
        if (item := dialog.relations.item(r, 0)) is not None and item.text() == "cue"
    )
    dialog.relations.setCurrentCell(cue_row, 0)
    dialog.remove_relation()

    assert dialog.command() is None  # the user said no
    dialog.accept()

    assert questions == ["1 span uses CUE; 1 relation uses cue; delete them?"] * 2
    assert ws.schema.label("CUE") is None
    assert [s.id for s in stored_spans(db_path, document)] == [quote.id]

    window.undo_stack.undo()

    assert ws.schema.label("CUE") is not None
    assert {s.id for s in stored_spans(db_path, document)} == {quote.id, cue.id}
    assert [r.id for r in stored_relations(db_path, document)] == [relation.id]


def test_attributes_and_relation_types_are_edited(window: MainWindow) -> None:
    dialog = dialog_of(window)
    dialog.add_label()
    row = dialog.labels.currentRow()
    name = dialog.labels.item(row, 0)
    assert name is not None
    name.setText("EVENT")
    dialog.add_attribute("enum", "size", ("small", "large"))
    dialog.add_attribute("bool", "planned")
    dialog.add_attribute("text", "note")
    dialog.attributes.setCurrentCell(2, 0)
    dialog.remove_attribute()
    dialog.add_relation()
    relation_row = dialog.relations.rowCount() - 1
    for column, text in enumerate(("at", "EVENT", "LOC, ORG")):
        cell = dialog.relations.item(relation_row, column)
        assert cell is not None
        cell.setText(text)

    schema, renames, _ = dialog.edited()
    dialog.accept()

    assert renames == {}
    event = window.workspace.schema.label("EVENT")
    assert event is not None
    assert [(a.name, a.kind, a.values) for a in event.attributes] == [
        ("size", "enum", ("small", "large")),
        ("planned", "bool", ()),
    ]
    assert window.workspace.schema.relations[-1].tails == ("LOC", "ORG")
    assert window.workspace.schema == schema


def test_invalid_schema_names_the_field_and_changes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        "app.gui.schema.schema_dialog.QMessageBox.warning",
        lambda _parent, _title, text: warnings.append(text),
    )
    old = window.workspace.schema
    dialog = dialog_of(window)
    hotkey = dialog.labels.item(1, 2)
    assert hotkey is not None
    hotkey.setText("1")
    dialog.accept()

    assert len(warnings) == 1 and "hotkey" in warnings[0]
    assert window.workspace.schema == old
    assert window.undo_stack.count() == 0
