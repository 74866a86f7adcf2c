"""Help > Guidelines (Shift+F1): every label with its colour, key and guideline, and which
labels each relation joins."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.schema import LabelSchema
from app.gui.annotating.annotation_panel import swatch
from app.services.relations import either


def _table(rows: int, headers: list[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(rows, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    for column in range(len(headers) - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class GuidelinesDialog(QDialog):
    """The project's annotation guidelines, as its label schema states them."""

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Guidelines — {schema.name}")
        self.labels = _table(len(schema.labels), ["Label", "Key", "Guideline"], self)
        self.labels.setObjectName("guidelineLabels")
        for row, label in enumerate(schema.labels):
            self.labels.setItem(row, 0, QTableWidgetItem(swatch(label.colour), label.name))
            key = QTableWidgetItem(label.hotkey)
            key.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.labels.setItem(row, 1, key)
            attributes = ", ".join(attribute.name for attribute in label.attributes)
            guideline = label.guideline or "(no guideline)"
            if attributes:
                guideline += f"\nAttributes: {attributes}"
            self.labels.setItem(row, 2, QTableWidgetItem(guideline))
        self.relations = _table(len(schema.relations), ["Relation", "From", "To"], self)
        self.relations.setObjectName("guidelineRelations")
        for row, relation in enumerate(schema.relations):
            self.relations.setItem(row, 0, QTableWidgetItem(relation.name))
            self.relations.setItem(row, 1, QTableWidgetItem(either(relation.heads)))
            self.relations.setItem(row, 2, QTableWidgetItem(either(relation.tails)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Labels</b>", self))
        layout.addWidget(self.labels, 3)
        layout.addWidget(QLabel("<b>Relations</b> (a link goes from one span to another)", self))
        layout.addWidget(self.relations, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)
        # wrapped guidelines are as tall as the width of their column makes them
        for table in (self.labels, self.relations):
            table.horizontalHeader().sectionResized.connect(
                lambda *_, table=table: table.resizeRowsToContents()
            )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.labels.resizeRowsToContents()

    def label_rows(self) -> list[tuple[str, str, str]]:
        """``(label, key, guideline)`` as listed."""
        return _rows(self.labels)

    def relation_rows(self) -> list[tuple[str, str, str]]:
        """``(relation, from, to)`` as listed."""
        return _rows(self.relations)


def _rows(table: QTableWidget) -> list[tuple[str, str, str]]:
    def text(row: int, column: int) -> str:
        item = table.item(row, column)
        return "" if item is None else item.text()

    return [(text(row, 0), text(row, 1), text(row, 2)) for row in range(table.rowCount())]
