"""Help > Guidelines: every label with its key and guideline, every relation with its ends."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui.schema.guidelines_dialog import GuidelinesDialog
from app.gui.window.main_window import MainWindow

SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_shift_f1_lists_every_label_hotkey_and_guideline(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_F1, SHIFT)
    dialog = window.findChild(GuidelinesDialog)
    assert dialog is not None and dialog.isVisible()
    schema = window.workspace.schema
    rows = dialog.label_rows()
    assert [(name, key) for name, key, _ in rows] == [
        (label.name, label.hotkey) for label in schema.labels
    ]
    for (_, _, guideline), label in zip(rows, schema.labels, strict=True):
        assert guideline.startswith(label.guideline)
    quote = next(row for row in rows if row[0] == "QUOTE")
    assert "Attributes: kind" in quote[2]
    assert ("speaker", "QUOTE", "PERSON or ORG") in dialog.relation_rows()
    assert len(dialog.relation_rows()) == len(schema.relations)
    dialog.close()


def test_keyboard_map_lists_find_and_guidelines_keys(window: MainWindow) -> None:
    from app.gui.actions import keyboard_map

    keys = {keys: action for _task, keys, action in keyboard_map(window.workspace.schema)}
    assert "Ctrl+F" in keys and "Shift+F1" in keys and "Ctrl+Shift+T" in keys
    assert keys["Ctrl+Shift+F or Ctrl+L"].startswith("Filter the document list")
