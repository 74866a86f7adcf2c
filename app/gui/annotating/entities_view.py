"""The Entities dock: every entity with its mentions across the project and its quotes.

F2 renames the current entity; with two entities selected, Merge folds the second one into
the current one. Activating a mention or a quote opens its document at that span.

The entities and the current one's mentions are read on worker threads, so a slow server
never freezes the window: the table stays as it was while it is read again, the mentions say
"Loading…". The latest read wins (an older answer is dropped); a read that fails says why in
the status bar and leaves the dock usable.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
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

from app.core.entities import Entity
from app.gui.commands import MergeEntities, RenameEntity
from app.gui.models.entities import EntityTableModel
from app.gui.models.open_document import READERS
from app.gui.session import Session
from app.gui.widgets.background import Background, database_problem, wait_while
from app.services import entities as entities_service

SPAN_ROLE = Qt.ItemDataRole.UserRole
EXCERPT = 90
LOADING = "Loading…"

Listed = tuple[str, int, int]
"""A mention or quote as listed: its text, document id and span id."""


class EntitiesView(QDockWidget):
    """Entities of the project; mentions and quotes of the current one."""

    span_requested = Signal(int, int)
    """Document id, span id: show that span."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Entities", parent)
        self.setObjectName("entitiesDock")
        self.session = session
        self.workspace = session.workspace
        self.hub = session.hub
        self.stack = session.undo_stack
        self._wanted: int | None = None
        """The entity to make current once the entities read under way are in."""
        self._listing = Background(self, workers=READERS)
        self._listing.finished.connect(self._listed)
        self._listing.failed.connect(self._not_read)
        self._mentions = Background(self, workers=READERS)
        self._mentions.finished.connect(self._show_mentions)
        self._mentions.failed.connect(self._not_read)
        self._showing: int | None = None
        """The entity whose mentions are shown, or read."""
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

        self.hub.changed.connect(self._on_changed)
        self.hub.reloaded.connect(self.refresh)
        self.refresh()

    # -- reading -------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while the entities or the current one's mentions are being read."""
        return self._listing.busy or self._mentions.busy

    def wait(self) -> None:
        """Return once every read asked for is in, the window's events handled meanwhile
        (for scripts and tests)."""
        wait_while(lambda: self.busy)

    def refresh(self) -> None:
        """Read the entities afresh on a worker thread, keeping the current one current;
        the table stays as it is until they are in."""
        if not self._listing.busy:
            current = self.current_entity()
            self._wanted = current.id if current else None
        workspace = self.workspace
        self._listing.run(
            lambda: (
                entities_service.entities(workspace),
                entities_service.mention_counts(workspace),
            )
        )

    def _listed(self, result: tuple[list[Entity], dict[int, int]]) -> None:
        entities, counts = result
        current = self.current_entity()
        wanted = self._wanted if self._wanted is not None else (current.id if current else None)
        self._wanted = None
        self._showing = None  # the mentions too are read again
        self.model.reset(entities, counts)
        self.select_entity(wanted)

    def _not_read(self, error: Any) -> None:
        problem = database_problem(error)
        self._wanted = None
        if self.mention_list.count() == 1 and self.mention_list.item(0).text() == LOADING:
            self.mention_list.clear()
            self._showing = None
        self.session.say(f"Cannot read the entities: {problem}", 8000)

    # -- showing -------------------------------------------------------------------

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
        """Make an entity current and show its mentions (None: the first one, if any); while
        the entities are read, once they are in."""
        if self._listing.busy:
            self._wanted = entity_id
            return
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
        entity = self.model.entity_at(current.row()) if current.isValid() else None
        if self._listing.busy and entity is not None:
            self._wanted = entity.id  # chosen while the entities are read: kept current
        self._show(entity)

    def _show(self, entity: Entity | None) -> None:
        """Show an entity's mentions and quotes, read on a worker thread."""
        if entity is not None and entity.id == self._showing:
            return  # shown, or being read
        self._showing = entity.id if entity is not None else None
        self.mention_list.clear()
        self.quote_list.clear()
        if entity is None:
            self._mentions.cancel()
            return
        self.mention_list.addItem(LOADING)
        workspace, entity_id = self.workspace, entity.id

        def listed(found: list[tuple[str, Any]]) -> list[Listed]:
            return [
                (
                    _excerpt(title, entities_service.mention_text(workspace, span.id)),
                    span.document_id,
                    span.id,
                )
                for title, span in found
            ]

        self._mentions.run(
            lambda: (
                listed(entities_service.mentions(workspace, entity_id)),
                listed(entities_service.quotes_by(workspace, entity_id)),
            )
        )

    def _show_mentions(self, result: tuple[list[Listed], list[Listed]]) -> None:
        mentions, quotes = result
        self.mention_list.clear()
        self.quote_list.clear()
        for shown, rows in ((self.mention_list, mentions), (self.quote_list, quotes)):
            for text, document_id, span_id in rows:
                item = QListWidgetItem(text)
                item.setData(SPAN_ROLE, (document_id, span_id))
                shown.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        place = item.data(SPAN_ROLE)
        if not place:
            return  # "Loading…"
        document_id, span_id = place
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


def _excerpt(title: str, text: str) -> str:
    words = " ".join(text.split())
    if len(words) > EXCERPT:
        words = words[: EXCERPT - 1] + "…"
    return f"{title} — {words}"
