"""The schema editor's tables: labels, a label's attributes, relation types, and their cells."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.gui.widgets.fitted_tables import show_all_rows, size_columns_to_content

ORIGINAL_ROLE = Qt.ItemDataRole.UserRole
"""On a name cell: the name the label or relation type had when the dialog opened ("" new)."""
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
"""On a label's name cell: the key of its colour and attributes in the dialog."""

LABEL_COLUMNS = ("Name", "Colour", "Hotkey", "Guideline")
ATTRIBUTE_COLUMNS = ("Name", "Kind", "Values (comma-separated)")
RELATION_COLUMNS = ("Name", "Heads", "Tails")
KIND_NAMES = {"enum": "choice", "bool": "yes/no", "text": "text note"}


def names(text: str) -> tuple[str, ...]:
    """``"A, B,"`` as ``("A", "B")``."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def item(text: str, *, editable: bool = True) -> QTableWidgetItem:
    """A cell's item showing ``text``, editable unless said otherwise."""
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a cell, an empty one put there when it has none."""
    item = table.item(row, column)
    if item is None:
        item = QTableWidgetItem("")
        table.setItem(row, column, item)
    return item


def table(columns: tuple[str, ...], parent: QWidget) -> QTableWidget:
    """A table of whole rows, one selected at a time, every row shown, the last column wide."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    # names, colours, keys and kinds whole; the last column (guideline, values, tails) the rest
    size_columns_to_content(table.horizontalHeader(), stretch=len(columns) - 1)
    show_all_rows(table)
    return table


def buttons(parent: QWidget, *buttons: tuple[str, Callable[[], object]]) -> QHBoxLayout:
    """A row of push buttons (Add, Remove…), left-aligned."""
    row = QHBoxLayout()
    for text, slot in buttons:
        button = QPushButton(text, parent)
        button.clicked.connect(lambda _=False, slot=slot: slot())
        row.addWidget(button)
    row.addStretch(1)
    return row
