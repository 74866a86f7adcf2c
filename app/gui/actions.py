"""The window's actions, declared once: menu, place, keys, and whether they need a document.

``DECLARED`` is the one table the menu bar (``window_menus.build_menus``) and the keyboard
map (F1) are both built from; the keys come from ``keymap.SHORTCUTS``. A feature does not
make its menu entry: it binds what the entry does (``Actions.bind``), and the entry shows
at its declared place whatever the order features are installed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu, QWidget

from app.core.schema import LabelSchema
from app.gui.keymap import ARTICLE_KEYS, DESCRIPTIONS, MORE, SHORTCUTS, TAGGING, TASK_OF, TASKS


@dataclass(frozen=True)
class Declared:
    """One action of the window, as the menus and the keyboard map show it."""

    name: str
    menu: str
    """The menu it sits in, without ``&``; ``View/Theme`` is the Theme submenu of View."""
    text: str
    group: int = 0
    """Actions of one menu in different groups are parted by a separator."""
    needs_document: bool = False
    """Refused (and greyed in its menu) while no document is open."""
    checkable: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """Its keys in the keyboard map (none for a menu-only action)."""
        return SHORTCUTS.get(self.name, ())

    @property
    def description(self) -> str:
        """What it does, in the keyboard map's words (its menu text when not in the map)."""
        shown = self.text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        return DESCRIPTIONS.get(self.name, shown)

    @property
    def task(self) -> str:
        """The keyboard map's group it is listed under."""
        return TASK_OF.get(self.name, MORE)


UNDO_REDO = ("undo", "redo")

DECLARED: tuple[Declared, ...] = (
    Declared("import", "File", "&Import files…"),
    Declared("import_folder", "File", "Import &folder…"),
    Declared("export", "File", "&Export…"),
    Declared("switch_annotator", "File", "Switch &annotator…", group=1),
    Declared("merge_work", "File", "&Merge colleague's work…", group=1),
    Declared("open_database", "File", "Open &database…", group=1),
    Declared("quit", "File", "&Quit", group=2),
    Declared("undo", "Edit", "&Undo"),
    Declared("redo", "Edit", "&Redo"),
    Declared("delete_span", "Edit", "&Delete", group=1, needs_document=True),
    Declared("filter_documents", "Edit", "&Filter documents", group=1),
    Declared("find", "Edit", "&Find…", group=2),
    Declared("find_next", "Edit", "Find &next", group=2),
    Declared("find_previous", "Edit", "Find &previous", group=2),
    Declared("tag_all", "Edit", "&Tag all matches", group=2, needs_document=True),
    Declared("edit_text", "Edit", "Edit article &text", group=2, needs_document=True),
    Declared("link_speaker", "Span", "Link speaker / claimant", needs_document=True),
    Declared("link_cue", "Span", "Link cue", needs_document=True),
    Declared("link_any", "Span", "&Link…", needs_document=True),
    Declared("cycle_attribute", "Span", "Cycle &attribute", needs_document=True),
    Declared("add_fragment", "Span", "Add &fragment to span", needs_document=True),
    Declared("focus_relations", "Span", "Go to &relations"),
    Declared("link_entity", "Span", "Link &entity…", needs_document=True),
    # the labels of the schema come first in this menu (window_menus.fill_label_menu)
    Declared("edit_schema", "Label", "Edit &schema…", group=1),
    Declared("done_and_next", "Document", "Mark &done && next", needs_document=True),
    Declared("previous_document", "Document", "&Previous document"),
    Declared("next_document", "Document", "&Next document"),
    Declared("edit_details", "Document", "&Edit details…", needs_document=True),
    Declared("adjudicate", "Review", "&Adjudicate…", needs_document=True),
    Declared("review_table", "Review", "Review &table"),
    Declared("review_claims", "Review", "&Claims not yet reviewed"),
    Declared("review_quotes", "Review", "&Quotes attributed to…"),
    Declared("reanchoring_queue", "Review", "&Needs re-anchoring"),
    Declared("suggestion_settings", "Review", "Suggestion settings…"),
    Declared("train_model", "Review", "&Train model…"),
    Declared("entities_view", "View", "&Entities"),
    Declared("zoom_in", "View", "Zoom &in"),
    Declared("zoom_out", "View", "Zoom &out"),
    Declared("zoom_reset", "View", "&Normal size"),
    Declared("theme:system", "View/Theme", "&System", checkable=True),
    Declared("theme:light", "View/Theme", "&Light", checkable=True),
    Declared("theme:dark", "View/Theme", "&Dark", checkable=True),
    Declared("agreement_view", "View", "&Agreement…"),
    Declared("dashboard", "View", "&Dashboard…"),
    Declared("choose_layers", "View", "&Layers…"),
    Declared("progress_view", "View", "&Progress…"),
    Declared("refresh", "View", "&Refresh"),
    Declared("keyboard_map", "Help", "&Keyboard shortcuts"),
    Declared("guidelines", "Help", "&Guidelines"),
)

BY_NAME: dict[str, Declared] = {declared.name: declared for declared in DECLARED}

NO_DOCUMENT = "Open a document first."


def keyboard_map(schema: LabelSchema) -> list[tuple[str, str, str]]:
    """Rows of (task, keys, what they do) for F1, grouped by task in the order of ``TASKS``:
    the article's own keys, the labels' keys (opening the Tagging group), then every
    declared action that has keys."""
    rows = [(task, keys, what) for task, keys, what in ARTICLE_KEYS]
    rows.extend(
        (TAGGING, label.hotkey, f"Tag the selection as {label.name} (or relabel the selected span)")
        for label in schema.labels
    )
    rows.extend(
        (declared.task, " or ".join(declared.keys), declared.description)
        for declared in DECLARED
        if declared.keys
    )
    order = {task: at for at, task in enumerate(TASKS)}
    # a stable sort: within a task, the rows keep the order they were listed in
    return sorted(rows, key=lambda row: order.get(row[0], len(TASKS)))


class Actions(QObject):
    """The window's actions by name: every declared one, made at once, shown once bound.

    An action's keys are the keyboard map's, less any key a label of the schema takes (a
    schema may give labels letters, and a label's hotkey wins).
    """

    def __init__(
        self,
        parent: QWidget,
        undo_stack: QUndoStack,
        schema: Callable[[], LabelSchema],
        has_document: Callable[[], bool],
        say: Callable[[str, int], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._schema = schema
        self._has_document = has_document
        self._say = say
        self._actions: dict[str, QAction] = {}
        self._slots: dict[str, Callable[[], object]] = {}
        self.menus: dict[str, QMenu] = {}
        """The menus built from the table, by title (``window_menus.build_menus``)."""
        for declared in DECLARED:
            if declared.name == "undo":
                action = undo_stack.createUndoAction(self, declared.text)
            elif declared.name == "redo":
                action = undo_stack.createRedoAction(self, declared.text)
            else:
                action = QAction(declared.text, self)
                action.setVisible(False)  # until a feature binds it
                action.triggered.connect(lambda _=False, name=declared.name: self._run(name))
            action.setObjectName(declared.name)
            action.setCheckable(declared.checkable)
            self._actions[declared.name] = action
            parent.addAction(action)  # its keys work with no menu bar too
        self.rekey()

    # -- the table ---------------------------------------------------------------------

    def bind(self, name: str, slot: Callable[[], object]) -> QAction:
        """Make the declared action ``name`` do ``slot``, and show it.

        Binding a name twice keeps the first slot, so that a key never becomes ambiguous.
        """
        action = self._actions[name]
        if name not in self._slots and name not in UNDO_REDO:
            self._slots[name] = slot
            action.setVisible(True)
        return action

    def bound(self, name: str) -> bool:
        """True when a feature made the action ``name`` do something."""
        return name in self._slots or name in UNDO_REDO

    def add(self, name: str, action: QAction) -> QAction:
        """Keep an action made elsewhere (a label of the schema) under ``name``."""
        self.discard(name)
        self._actions[name] = action
        self._parent.addAction(action)
        return action

    def discard(self, name: str) -> None:
        """Forget the action ``name`` (a label the schema no longer has)."""
        action = self._actions.pop(name, None)
        self._slots.pop(name, None)
        if action is not None:
            self._parent.removeAction(action)
            action.deleteLater()

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._actions and self._shown(name)

    def __iter__(self) -> Iterator[str]:
        return iter([name for name in self._actions if self._shown(name)])

    def get(self, name: str) -> QAction | None:
        """The action ``name``, if there is one on show."""
        return self._actions[name] if name in self else None

    def _shown(self, name: str) -> bool:
        return name not in BY_NAME or self.bound(name)

    def menu(self, title: str) -> QMenu:
        """The menu called ``title`` (without ``&``), made when the table has none."""
        menu = self.menus.get(title)
        if menu is None:
            menu = self.menus[title] = QMenu(title, self._parent)
        return menu

    # -- keys and enablement -------------------------------------------------------------

    def rekey(self) -> None:
        """Give every declared action its keys again, less those the labels now take."""
        hotkeys = {QKeySequence(label.hotkey) for label in self._schema().labels}
        for declared in DECLARED:
            keys = [QKeySequence(key) for key in declared.keys]
            if declared.name not in UNDO_REDO:  # undo and redo keep theirs
                keys = [key for key in keys if key not in hotkeys]
            self._actions[declared.name].setShortcuts(keys)

    def refresh_enabled(self, names: Iterable[str]) -> None:
        """Grey those of ``names`` that need a document while none is open."""
        has_document = self._has_document()
        for name in names:
            declared = BY_NAME.get(name)
            if declared is not None and declared.name not in UNDO_REDO:
                self._actions[name].setEnabled(has_document or not declared.needs_document)

    def enable_all(self, names: Iterable[str]) -> None:
        """Enable ``names`` again (a menu closed: their keys say why they are refused)."""
        for name in names:
            if name in BY_NAME and name not in UNDO_REDO:
                self._actions[name].setEnabled(True)

    def _run(self, name: str) -> None:
        slot = self._slots.get(name)
        if slot is None:
            return
        if BY_NAME[name].needs_document and not self._has_document():
            self._say(NO_DOCUMENT, 4000)
            return
        slot()


__all__ = ["BY_NAME", "DECLARED", "NO_DOCUMENT", "Actions", "Declared", "keyboard_map"]
