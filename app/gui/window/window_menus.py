"""The menu bar, built in one place from the declared actions (``app.gui.actions``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from app.core.schema import LabelSchema
from app.gui.actions import DECLARED, Actions
from app.gui.schema.guidelines_dialog import GuidelinesDialog
from app.gui.session import Session
from app.gui.transfer.export_dialog import open_export_dialog
from app.gui.transfer.transfer import import_files, import_folder
from app.gui.window.shortcuts_dialog import ShortcutsDialog

LABEL_MENU = "Label"


def build_menus(bar: QMenuBar, actions: Actions) -> None:
    """One menu per menu of the table, its actions in table order, groups parted by lines.

    An action no feature bound stays hidden; one bound later shows at its place.
    """
    for title in dict.fromkeys(d.menu.split("/")[0] for d in DECLARED):
        menu = bar.addMenu(_with_mnemonic(title))
        actions.menus[title] = menu
        _fill(menu, title, actions)
        # greyed while shown when they need a document and none is open
        names = [d.name for d in DECLARED if d.menu.split("/")[0] == title]
        menu.aboutToShow.connect(lambda names=names: actions.refresh_enabled(names))
        menu.aboutToHide.connect(lambda names=names: actions.enable_all(names))


def _fill(menu: QMenu, path: str, actions: Actions) -> None:
    """The actions of ``path`` in table order; a submenu where its first action is listed."""
    group: int | None = None
    for declared in DECLARED:
        if declared.menu.startswith(path + "/"):
            submenu = path + "/" + declared.menu[len(path) + 1 :].split("/")[0]
            if submenu not in actions.menus:
                sub = menu.addMenu(_with_mnemonic(submenu.rsplit("/", 1)[1]))
                actions.menus[submenu] = sub
                _fill(sub, submenu, actions)
            continue
        if declared.menu != path:
            continue
        if group is not None and declared.group != group:
            menu.addSeparator()
        group = declared.group
        menu.addAction(actions[declared.name])


def _with_mnemonic(title: str) -> str:
    return "&" + title


def bind_files_and_help(session: Session) -> None:
    """File > Import, Import folder, Export, and Help's keyboard map and guidelines."""
    actions = session.actions
    actions.bind("import", lambda: import_files(session))
    actions.bind("import_folder", lambda: import_folder(session))
    actions.bind("export", lambda: open_export_dialog(session))
    actions.bind("keyboard_map", lambda: show_keyboard_map(session))
    actions.bind("guidelines", lambda: show_guidelines(session))


def fill_label_menu(actions: Actions, schema: LabelSchema, annotate: Callable[[str], None]) -> None:
    """The Label menu: one action per label of the schema, with its hotkey, above Edit schema."""
    menu = actions.menu(LABEL_MENU)
    for name in [name for name in actions if name.startswith("label:")]:
        menu.removeAction(actions[name])
        actions.discard(name)
    first = next((a for a in menu.actions() if not a.objectName().startswith("label:")), None)
    for label in schema.labels:
        action = QAction(f"{label.name}", actions)
        action.setObjectName(f"label:{label.name}")
        action.setShortcut(QKeySequence(label.hotkey))
        action.triggered.connect(lambda _=False, name=label.name: annotate(name))
        actions.add(f"label:{label.name}", action)
        if first is not None:
            menu.insertAction(first, action)
        else:
            menu.addAction(action)
    if first is not None and not first.isSeparator():
        menu.insertSeparator(first)


def show_keyboard_map(session: Session) -> None:
    """Show the keyboard map dialog."""
    dialog = ShortcutsDialog(session.workspace.schema, session.parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def show_guidelines(session: Session) -> None:
    """Show every label's guideline and which labels each relation joins."""
    dialog = GuidelinesDialog(session.workspace.schema, session.parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
