"""The Entities dock: every entity with its mentions across the project and its quotes.

F2 renames the current entity; with two entities selected, Merge folds the second one into
the current one. Activating a mention or a quote opens its document at that span.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.annotations import Span
from app.core.entities import Entity
from app.gui.commands import MergeEntities, RenameEntity
from app.gui.hub import ChangeHub
from app.gui.models.entities import EntityTableModel
from app.services import Workspace

SPAN_ROLE = Qt.ItemDataRole.UserRole
EXCERPT = 90


class EntitiesView(QDockWidget):
    """Entities of the project; mentions and quotes of the current one."""

    span_requested = Signal(int, int)
    """Document id, span id: show that span."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__("Entities", parent)
        self.setObjectName("entitiesDock")
        self.workspace = workspace
        self.hub = hub
        self.stack = stack
        self.model = EntityTableModel()
        # queued: the rename resets the model, which must not happen while the editor commits
        self.model.rename_requested.connect(self._rename, Qt.ConnectionType.QueuedConnection)

        self.table = QTableView(self)
        self.table.setObjectName("entityTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(EntityTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (EntityTableModel.TYPE, EntityTableModel.MENTIONS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.merge_button = QPushButton("Merge", self)
        self.merge_button.setObjectName("mergeEntities")
        self.merge_button.setToolTip("Select two entities: the other is merged into the current")
        self.merge_button.clicked.connect(self.merge_selected)

        self.mention_list = QListWidget(self)
        self.mention_list.setObjectName("entityMentions")
        self.mention_list.itemActivated.connect(self._activated)
        self.quote_list = QListWidget(self)
        self.quote_list.setObjectName("entityQuotes")
        self.quote_list.setWordWrap(True)
        self.quote_list.itemActivated.connect(self._activated)

        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.merge_button)
        top_layout.addLayout(buttons)
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel("<b>Mentions</b>", bottom))
        bottom_layout.addWidget(self.mention_list, 2)
        bottom_layout.addWidget(QLabel("<b>Quotes</b>", bottom))
        bottom_layout.addWidget(self.quote_list, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        self.setWidget(splitter)

        hub.changed.connect(self._on_changed)
        hub.reloaded.connect(self.refresh)
        self.refresh()

    # -- showing -------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the entities afresh, keeping the current one current."""
        current = self.current_entity()
        self.model.reset(self.workspace.entities(), self.workspace.mention_counts())
        self.select_entity(current.id if current else None)

    def _on_changed(self, changes: object) -> None:
        if getattr(changes, "entities", False) and self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)

    def current_entity(self) -> Entity | None:
        """The entity of the current row, if any."""
        index = self.table.currentIndex()
        return self.model.entity_at(index.row()) if index.isValid() else None

    def select_entity(self, entity_id: int | None) -> None:
        """Make an entity current and show its mentions (None: the first one, if any)."""
        row = self.model.row_of(entity_id) if entity_id is not None else None
        if row is None and self.model.rowCount() > 0:
            row = 0
        if row is None:
            self._show(None)
            return
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._show(self.model.entity_at(row))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.model.entity_at(current.row()) if current.isValid() else None)

    def _show(self, entity: Entity | None) -> None:
        self.mention_list.clear()
        self.quote_list.clear()
        if entity is None:
            return
        for title, span in self.workspace.mentions(entity.id):
            self.mention_list.addItem(self._item(title, span))
        for title, span in self.workspace.quotes_by(entity.id):
            self.quote_list.addItem(self._item(title, span))

    def _item(self, title: str, span: Span) -> QListWidgetItem:
        words = " ".join(self.workspace.mention_text(span.id).split())
        if len(words) > EXCERPT:
            words = words[: EXCERPT - 1] + "…"
        item = QListWidgetItem(f"{title} — {words}")
        item.setData(SPAN_ROLE, (span.document_id, span.id))
        return item

    def _activated(self, item: QListWidgetItem) -> None:
        document_id, span_id = item.data(SPAN_ROLE)
        self.span_requested.emit(int(document_id), int(span_id))

    # -- actions -------------------------------------------------------------------

    def selected_entities(self) -> list[Entity]:
        """The selected entities, the current one first."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        current = self.table.currentIndex().row()
        ordered = [current] if current in rows else []
        ordered += [row for row in rows if row != current]
        return [e for e in (self.model.entity_at(row) for row in ordered) if e is not None]

    def merge_selected(self) -> None:
        """Merge the other selected entity into the current one."""
        chosen = self.selected_entities()
        if len(chosen) != 2:
            self.hub.failed.emit("Merge: select exactly two entities (the current one stays)")
            return
        keep, merged = chosen
        self.stack.push(MergeEntities(self.workspace, self.hub, keep, merged))
        self.select_entity(keep.id)

    def _rename(self, entity_id: int, name: str) -> None:
        row = self.model.row_of(entity_id)
        entity = self.model.entity_at(row) if row is not None else None
        if entity is not None:
            self.stack.push(RenameEntity(self.workspace, self.hub, entity, name))
