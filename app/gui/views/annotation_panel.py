"""The right pane: the label palette with hotkeys, the document's spans, the selected span."""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.annotations import Span
from app.core.schema import LabelSchema
from app.gui.models.spans import SPAN_ID_ROLE, SpanListModel, excerpt

LABEL_ROLE = Qt.ItemDataRole.UserRole


def swatch(colour: str, size: int = 14) -> QIcon:
    """A square of the label's colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class AnnotationPanel(QWidget):
    """Label palette, span list and a line about the selected span."""

    label_chosen = Signal(str)
    span_activated = Signal(int)

    def __init__(
        self, schema: LabelSchema, model: SpanListModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.schema = schema
        self.model = model

        self.palette_list = QListWidget(self)
        self.palette_list.setObjectName("labelPalette")
        self.palette_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for label in schema.labels:
            item = QListWidgetItem(swatch(label.colour), f"{label.hotkey}   {label.name}")
            item.setData(LABEL_ROLE, label.name)
            item.setToolTip(
                f"<b>{html.escape(label.name)}</b> — key {label.hotkey}<br>"
                f"{html.escape(label.guideline)}"
            )
            self.palette_list.addItem(item)
        rows = max(len(schema.labels), 1)
        self.palette_list.setFixedHeight(
            self.palette_list.sizeHintForRow(0) * rows + 2 * self.palette_list.frameWidth() + 4
        )
        self.palette_list.itemClicked.connect(
            lambda item: self.label_chosen.emit(str(item.data(LABEL_ROLE)))
        )

        self.table = QTableView(self)
        self.table.setObjectName("spanList")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        # fixed row heights keep a list of tens of thousands of spans cheap to scroll
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SpanListModel.LABEL, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SpanListModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SpanListModel.OFFSETS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)

        self.details = QLabel(self)
        self.details.setObjectName("spanDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setMinimumHeight(60)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Labels</b>", self))
        layout.addWidget(self.palette_list)
        layout.addWidget(QLabel("<b>Spans</b>", self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)

    def _activated(self, index: QModelIndex) -> None:
        span_id = index.data(SPAN_ID_ROLE)
        if span_id is not None:
            self.span_activated.emit(int(span_id))

    def show_span(self, span: Span | None, text: str) -> None:
        """Select the span's row and describe it (None clears both)."""
        selection = self.table.selectionModel()
        row = None if span is None else self.model.row_of(span.id)
        if span is None or row is None:
            selection.clearSelection()
            self.details.setText("")
            return
        index = self.model.index(row, 0)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        label = self.schema.label(span.label)
        guideline = html.escape(label.guideline) if label else ""
        self.details.setText(
            f"<b>{html.escape(span.label)}</b> {span.start}–{span.end} · "
            f"{html.escape(span.annotator)} · {span.origin.value}<br>"
            f"{html.escape(excerpt(text[span.start : span.end], 120))}<br>"
            f"<span style='color:gray'>{guideline}</span>"
        )
