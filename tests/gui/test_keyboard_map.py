"""The keyboard map (F1): grouped by task, narrowed by a filter box, word selection told."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.gui.actions import keyboard_map
from app.gui.keymap import SHORTCUTS, TASKS
from app.gui.window.main_window import MainWindow
from app.gui.window.shortcuts_dialog import ShortcutsDialog

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def open_map(window: MainWindow, qtbot: QtBot) -> ShortcutsDialog:
    qtbot.keyClick(window.article, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_the_map_is_grouped_by_task_in_a_sensible_order(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_map(window, qtbot)
    groups = list(dialog.groups)
    assert groups[:4] == ["Selecting", "Tagging", "Moving a span's edges", "Relations"]
    assert {"Entities", "Review and agreement", "Documents", "View", "Help"} <= set(groups)
    assert groups == [task for task in TASKS if task in groups]
    tagging = [keys for task, keys, _ in dialog.rows() if task == "Tagging"]
    hotkeys = [label.hotkey for label in window.workspace.schema.labels]
    assert tagging[: len(hotkeys)] == hotkeys  # the label keys open the Tagging group
    assert ("Entities", "Ctrl+E") in {(task, keys) for task, keys, _ in dialog.rows()}


def test_every_key_of_the_map_is_listed_once(window: MainWindow) -> None:
    rows = keyboard_map(window.workspace.schema)
    for keys in SHORTCUTS.values():
        assert sum(row[1] == " or ".join(keys) for row in rows) == 1
    assert all(task != "More" for task, _, _ in rows)  # every action has its task


def test_the_filter_narrows_the_rows_as_you_type(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_map(window, qtbot)
    everything = dialog.rows()
    assert dialog.focusWidget() is dialog.filter

    qtbot.keyClicks(dialog.filter, "word")
    worded = dialog.rows()
    assert 0 < len(worded) < len(everything)
    assert all("word" in f"{keys} {action}".lower() for _, keys, action in worded)
    assert any(keys == "Ctrl+Shift+Right / Ctrl+Shift+Left" for _, keys, _ in worded)

    dialog.filter.setText("entities")  # a task's name shows its whole group
    assert {task for task, _, _ in dialog.rows()} >= {"Entities"}
    assert (
        len([r for r in dialog.rows() if r[0] == "Entities"])
        == dialog.groups["Entities"].childCount()
    )

    dialog.filter.setText("ctrl+e")
    assert ("Entities", "Ctrl+E") in {(task, keys) for task, keys, _ in dialog.rows()}
    assert not dialog.nothing.isVisible()

    dialog.filter.setText("no such key anywhere")
    assert dialog.rows() == [] and dialog.nothing.isVisible()
    assert all(group.isHidden() for group in dialog.groups.values())

    dialog.filter.clear()
    assert dialog.rows() == everything


def test_ctrl_shift_right_extends_the_selection_by_a_word_as_the_map_says(
    window: MainWindow, qtbot: QtBot
) -> None:
    text = window.article.text
    start = text.index("festival")
    window.article.select_range(start, start + len("festival"))
    qtbot.keyClick(window.article, Qt.Key.Key_Right, CTRL_SHIFT)
    selected = window.article.selected_range()
    assert selected is not None and selected[0] == start
    assert text[selected[0] : selected[1]].split() == text[start:].split()[:2]
    qtbot.keyClick(window.article, Qt.Key.Key_Right, CTRL_SHIFT)
    selected = window.article.selected_range()
    assert selected is not None
    assert text[selected[0] : selected[1]].split() == text[start:].split()[:3]
    qtbot.keyClick(window.article, Qt.Key.Key_Left, CTRL_SHIFT)
    assert window.article.selected_range() == (start, start + len("festival draws"))
