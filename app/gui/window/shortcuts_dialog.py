"""The keyboard map dialog (F1): every key, grouped by task, narrowed by a filter box."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.schema import LabelSchema
from app.gui.actions import keyboard_map


class ShortcutsDialog(QDialog):
    """Lists every key Glossa answers to, one group per task; typing filters the rows."""

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.filter = QLineEdit(self)
        self.filter.setObjectName("keymapFilter")
        self.filter.setPlaceholderText("Filter: type a key or a word (word, quote, undo…)")
        self.filter.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("keymap")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Keys", "Action"])
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.groups: dict[str, QTreeWidgetItem] = {}
        self._rows: list[tuple[str, QTreeWidgetItem]] = []  # (task, row) in order
        bold = QFont(self.font())
        bold.setBold(True)
        for task, keys, action in keyboard_map(schema):
            group = self.groups.get(task)
            if group is None:
                group = QTreeWidgetItem(self.tree, [task])
                group.setFont(0, bold)
                group.setFirstColumnSpanned(True)
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.groups[task] = group
            row = QTreeWidgetItem(group, [keys, action])
            row.setToolTip(1, action)  # a long action is cut in a narrow dialog
            self._rows.append((task, row))
        self.tree.expandAll()
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.nothing = QLabel("No key matches the filter.", self)
        self.nothing.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addWidget(self.nothing)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self.narrow)
        self.filter.setFocus()
        self.resize(820, 640)

    def narrow(self, typed: str) -> None:
        """Show the rows whose keys, action or task contain every typed word (any case)."""
        words = typed.casefold().split()
        shown = dict.fromkeys(self.groups, 0)
        for task, row in self._rows:
            text = f"{task} {row.text(0)} {row.text(1)}".casefold()
            hidden = not all(word in text for word in words)
            row.setHidden(hidden)
            shown[task] += not hidden
        for task, group in self.groups.items():
            group.setHidden(shown[task] == 0)
        self.nothing.setVisible(not any(shown.values()))

    def rows(self) -> list[tuple[str, str, str]]:
        """The rows on show as (task, keys, action), top first."""
        return [(task, row.text(0), row.text(1)) for task, row in self._rows if not row.isHidden()]
