"""The right pane: the label palette with hotkeys, the document's spans and relations, and the
selected span's details (its relations and attribute editors)."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.annotations import Span
from app.core.schema import LabelSchema
from app.gui.annotating.attribute_editors import AttributeEditors
from app.gui.annotating.label_marks import LEGEND_INK, label_markers, marker_swatch
from app.gui.models.relations import HEAD_ID_ROLE, RelationListModel
from app.gui.models.spans import SPAN_ID_ROLE, SpanListModel, excerpt, shown
from app.gui.widgets.fitted_tables import follow_content

LABEL_ROLE = Qt.ItemDataRole.UserRole


def swatch(colour: str, size: int = 14) -> QIcon:
    """A square of the label's colour."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class AnnotationPanel(QWidget):
    """Label palette, span and relation lists, and the selected span's details."""

    label_chosen = Signal(str)
    span_activated = Signal(int)
    attribute_edited = Signal(int, str, object)
    attribute_chosen = Signal()
    """An attribute's value was picked or confirmed: the keys may go back to the article."""
    entity_activated = Signal(int)
    """The linked entity's name was clicked: show that entity."""
    """Span id, attribute name, new value (None: unset)."""

    def __init__(
        self,
        schema: LabelSchema,
        model: SpanListModel,
        relations: RelationListModel,
        relation_colours: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.schema = schema
        self.model = model
        self.relations = relations
        self.relation_colours = relation_colours
        self._span: Span | None = None

        self.palette_list = QListWidget(self)
        self.palette_list.setObjectName("labelPalette")
        self.palette_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._fill_palette(schema)
        self.palette_list.currentItemChanged.connect(lambda *_: self._palette_moved())
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
        follow_content(self.table)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)

        self.relation_list = QListView(self)
        self.relation_list.setObjectName("relationList")
        self.relation_list.setModel(relations)
        self.relation_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.relation_list.setUniformItemSizes(True)
        self.relation_list.setIconSize(QSize(12, 12))
        self.relation_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.relation_list.setToolTip("Del deletes the current relation; Enter shows its span")
        self.relation_list.activated.connect(self._relation_activated)
        self.relation_list.clicked.connect(self._relation_activated)

        self.details = QLabel(self)
        self.details.setObjectName("spanDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setMinimumHeight(60)

        self.span_relations = QLabel(self)
        self.span_relations.setObjectName("spanRelations")
        self.span_relations.setWordWrap(True)
        self.span_relations.setTextFormat(Qt.TextFormat.RichText)
        self.span_relations.linkActivated.connect(lambda link: self.span_activated.emit(int(link)))

        self.entity_name: Callable[[int], str | None] = lambda _entity_id: None
        """The name of an entity by id, set by the window (None when it is gone)."""
        self.span_entity = QLabel(self)
        self.span_entity.setObjectName("spanEntity")
        self.span_entity.setTextFormat(Qt.TextFormat.RichText)
        self.span_entity.linkActivated.connect(lambda link: self.entity_activated.emit(int(link)))

        self.attributes = AttributeEditors(schema, self)
        self.attributes.edited.connect(self._attribute_edited)
        self.attributes.chosen.connect(self.attribute_chosen)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("<b>Labels</b>", self))
        layout.addWidget(self.palette_list)
        layout.addWidget(QLabel("<b>Spans</b>", self))
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel("<b>Relations</b>", self))
        layout.addWidget(self.relation_list, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.span_relations)
        layout.addWidget(self.span_entity)
        layout.addWidget(self.attributes)

    def _fill_palette(self, schema: LabelSchema) -> None:
        self.palette_list.clear()
        markers = label_markers(label.name for label in schema.labels)
        ink = QColor(LEGEND_INK)
        for label in schema.labels:
            marker = markers[label.name]
            icon = marker_swatch(label.colour, marker, ink)
            item = QListWidgetItem(icon, f"{label.hotkey}   {label.name}")
            item.setData(LABEL_ROLE, label.name)
            item.setToolTip(
                f"<b>{html.escape(label.name)}</b> — key {label.hotkey}, "
                f"{marker.describe()}<br>{html.escape(label.guideline)}"
            )
            self.palette_list.addItem(item)
        rows = max(len(schema.labels), 1)
        self.palette_list.setFixedHeight(
            self.palette_list.sizeHintForRow(0) * rows + 2 * self.palette_list.frameWidth() + 4
        )

    def follow_label(self, label: str) -> None:
        """Make ``label`` the palette's current label, as the last one used (a hotkey or a
        click): find's "Tag all" tags with it and the guideline shown is its own."""
        for row in range(self.palette_list.count()):
            item = self.palette_list.item(row)
            if item.data(LABEL_ROLE) == label:
                self.palette_list.setCurrentItem(item)
                return

    def set_schema(self, schema: LabelSchema) -> None:
        """Show another label schema: the palette, guidelines and attribute editors."""
        self.schema = schema
        self._fill_palette(schema)
        editors = AttributeEditors(schema, self)
        editors.edited.connect(self._attribute_edited)
        editors.chosen.connect(self.attribute_chosen)
        layout = self.layout()
        if layout is not None:
            layout.replaceWidget(self.attributes, editors)
        self.attributes.deleteLater()
        self.attributes = editors
        self.show_span(None, "")

    def _activated(self, index: QModelIndex) -> None:
        span_id = index.data(SPAN_ID_ROLE)
        if span_id is not None:
            self.span_activated.emit(int(span_id))

    def _relation_activated(self, index: QModelIndex) -> None:
        head = index.data(HEAD_ID_ROLE)
        if head is not None:
            self.span_activated.emit(int(head))

    def _attribute_edited(self, name: str, value: object) -> None:
        if self._span is not None:
            self.attribute_edited.emit(self._span.id, name, value)

    def show_span(self, span: Span | None, text: str) -> None:
        """Select the span's row and describe it, its relations and attributes (None clears)."""
        selection = self.table.selectionModel()
        row = None if span is None else self.model.row_of(span.id)
        self._span = span if row is not None else None
        if span is None or row is None:
            selection.clearSelection()
            self.details.setText(self._label_guideline())
            self.span_relations.setText("")
            self.span_entity.setText("")
            self.attributes.show_attributes(None, {})
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
            f"{html.escape(excerpt(shown(text, span), 120))}<br>"
            f"<span style='color:gray'>{guideline}</span>"
        )
        self.span_relations.setText(self._describe_relations(span))
        self.span_entity.setText(self._describe_entity(span))
        self.attributes.show_attributes(span.label, span.attributes)

    def _label_guideline(self) -> str:
        """The palette's current label and its guideline, shown while no span is selected."""
        item = self.palette_list.currentItem()
        label = self.schema.label(str(item.data(LABEL_ROLE))) if item is not None else None
        if label is None:
            return ""
        return (
            f"<b>{html.escape(label.name)}</b> · key {html.escape(label.hotkey)}<br>"
            f"<span style='color:gray'>{html.escape(label.guideline)}</span>"
        )

    def _palette_moved(self) -> None:
        if self._span is None:
            self.details.setText(self._label_guideline())

    def _describe_entity(self, span: Span) -> str:
        """``entity: <name>`` as a link to the entity, or how to link one (E)."""
        if span.label not in self.schema.labels_with_role("entity"):
            return ""
        name = self.entity_name(span.entity) if span.entity is not None else None
        if name is None:
            return "<span style='color:gray'>entity: none (E links one)</span>"
        return f"entity: <a href='{span.entity}'>{html.escape(name)}</a>"

    def _describe_relations(self, span: Span) -> str:
        """One line per relation of the span: ``speaker → PERSON “Khoury”``."""
        lines = []
        for relation in self.relations.relations_of(span.id):
            outgoing = relation.head == span.id
            other = relation.tail if outgoing else relation.head
            colour = self.relation_colours.get(relation.label, "gray")
            name = f"<b style='color:{colour}'>{html.escape(relation.label)}</b>"
            arrow = f"{name} →" if outgoing else f"{name} of ←"
            words = html.escape(self.relations.words(other))
            lines.append(f"{arrow} <a href='{other}'>{words}</a>")
        return "<br>".join(lines)

    def relation_lines(self) -> list[str]:
        """The selected span's relations as plain lines, as shown."""
        doc = QTextDocument()
        doc.setHtml(self.span_relations.text())
        return [line for line in doc.toPlainText().splitlines() if line]
