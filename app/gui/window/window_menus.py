"""The main window's menu bar, built from the keyboard map."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from app.gui.keymap import LINK_KEYS, SHORTCUTS
from app.gui.schema.guidelines_dialog import GuidelinesDialog
from app.gui.transfer.export_dialog import open_export_dialog
from app.gui.transfer.transfer import import_files, import_folder
from app.gui.window.shortcuts_dialog import ShortcutsDialog
from app.gui.window.view_menu import install_view_menu

if TYPE_CHECKING:
    from app.gui.window.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    """The menu bar: every action of the keyboard map, in menus by what it acts on."""
    menus = window.menuBar()
    file_menu = menus.addMenu("&File")
    file_menu.addAction(
        window.keyed_action("import", lambda: import_files(window), "&Import files…")
    )
    import_folder_action = QAction("Import &folder…", window)
    import_folder_action.triggered.connect(lambda: import_folder(window))
    window.actions_by_name["import_folder"] = import_folder_action
    file_menu.addAction(import_folder_action)
    file_menu.addAction(
        window.keyed_action("export", lambda: open_export_dialog(window), "&Export…")
    )
    file_menu.addSeparator()
    file_menu.addAction(window.keyed_action("quit", window.close, "&Quit"))

    edit = menus.addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts([QKeySequence(keys) for keys in SHORTCUTS["undo"]])
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence(keys) for keys in SHORTCUTS["redo"]])
    window.actions_by_name.update(undo=undo, redo=redo)
    edit.addActions([undo, redo])
    edit.addSeparator()
    edit.addAction(window.keyed_action("delete_span", window.delete_selected, "&Delete"))
    edit.addAction(
        window.keyed_action("filter_documents", window.focus_filter, "&Filter documents")
    )
    edit.addSeparator()
    edit.addAction(window.keyed_action("find", window.open_find, "&Find…"))
    edit.addAction(window.keyed_action("find_next", window.find_next, "Find &next"))
    edit.addAction(window.keyed_action("find_previous", window.find_previous, "Find &previous"))
    edit.addAction(window.keyed_action("tag_all", window.find_bar.tag_all, "&Tag all matches"))

    span = menus.addMenu("&Span")
    for name, relations in LINK_KEYS.items():
        text = "Link " + " / ".join(relations)
        span.addAction(window.keyed_action(name, window.link_with(relations), text))
    span.addAction(window.keyed_action("link_any", window.link_with(None), "&Link…"))
    span.addAction(
        window.keyed_action("cycle_attribute", window.editing.cycle_attribute, "Cycle &attribute")
    )
    span.addAction(
        window.keyed_action("add_fragment", window.editing.add_fragment, "Add &fragment to span")
    )
    span.addAction(
        window.keyed_action("focus_relations", window.focus_relations, "Go to &relations")
    )
    span.addAction(
        window.keyed_action("link_entity", window.entity_links.link_selected, "Link &entity…")
    )

    window.label_menu = menus.addMenu("&Label")
    window.keyed_action("edit_schema", window.edit_schema, "Edit &schema…")
    fill_label_menu(window)

    document = menus.addMenu("&Document")
    document.addAction(
        window.keyed_action("done_and_next", window.mark_done_and_next, "Mark &done && next")
    )
    document.addAction(
        window.keyed_action("previous_document", window.previous_document, "&Previous document")
    )
    document.addAction(window.keyed_action("next_document", window.next_document, "&Next document"))
    document.addAction(
        window.keyed_action("edit_details", window.header.start_editing, "&Edit details…")
    )

    menus.addMenu("&Review")
    view = menus.addMenu("&View")
    view.addAction(
        window.keyed_action("entities_view", window.entity_links.toggle_view, "&Entities")
    )
    install_view_menu(window)  # zoom and theme

    help_menu = menus.addMenu("&Help")
    help_menu.addAction(
        window.keyed_action(
            "keyboard_map", lambda: show_keyboard_map(window), "&Keyboard shortcuts"
        )
    )
    help_menu.addAction(
        window.keyed_action("guidelines", lambda: show_guidelines(window), "&Guidelines")
    )


def fill_label_menu(window: MainWindow) -> None:
    """The Label menu: one action per label of the schema, with its hotkey."""
    for name in [name for name in window.actions_by_name if name.startswith("label:")]:
        window.actions_by_name.pop(name).deleteLater()
    window.label_menu.clear()
    for label in window.workspace.schema.labels:
        action = QAction(f"{label.name}", window)
        action.setShortcut(QKeySequence(label.hotkey))
        action.triggered.connect(lambda _=False, name=label.name: window.annotate(name))
        window.actions_by_name[f"label:{label.name}"] = action
        window.label_menu.addAction(action)
    window.label_menu.addSeparator()
    window.label_menu.addAction(window.actions_by_name["edit_schema"])


def show_keyboard_map(window: MainWindow) -> None:
    """Show the keyboard map dialog."""
    dialog = ShortcutsDialog(window.workspace.schema, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def show_guidelines(window: MainWindow) -> None:
    """Show every label's guideline and which labels each relation joins."""
    dialog = GuidelinesDialog(window.workspace.schema, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
