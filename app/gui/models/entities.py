"""The project's entities as a table: name (editable, F2), type and number of mentions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.core.entities import Entity
from app.gui.widgets.plain_text import literal

_Index = QModelIndex | QPersistentModelIndex

ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole


class EntityTableModel(QAbstractTableModel):
    """Rows are entities in name order; editing a name asks for a rename, it does not do it."""

    NAME, TYPE, MENTIONS = range(3)
    HEADERS = ("Name", "Type", "Mentions")

    rename_requested = Signal(int, str)
    """Entity id, new name: the view turns it into an undoable command."""

    def __init__(self) -> None:
        super().__init__()
        self._entities: list[Entity] = []
        self._counts: dict[int, int] = {}

    def reset(self, entities: list[Entity], counts: dict[int, int]) -> None:
        """Show these entities with their mention counts."""
        self.beginResetModel()
        self._entities = list(entities)
        self._counts = dict(counts)
        self.endResetModel()

    def entity_at(self, row: int) -> Entity | None:
        """The entity shown in ``row``, if any."""
        return self._entities[row] if 0 <= row < len(self._entities) else None

    def row_of(self, entity_id: int) -> int | None:
        """The row showing an entity, if shown."""
        return next((i for i, e in enumerate(self._entities) if e.id == entity_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entities)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entities):
            return None
        entity = self._entities[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == self.NAME:
                return entity.name
            if column == self.TYPE:
                return entity.type
            if column == self.MENTIONS:
                return self._counts.get(entity.id, 0)
        if role == Qt.ItemDataRole.ToolTipRole and entity.aliases:
            return literal("Also: " + ", ".join(entity.aliases))
        if role == ENTITY_ID_ROLE:
            return entity.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.MENTIONS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        found = super().flags(index)
        if index.isValid() and index.column() == self.NAME:
            found |= Qt.ItemFlag.ItemIsEditable
        return found

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        entity = self.entity_at(index.row()) if index.isValid() else None
        if entity is None or index.column() != self.NAME or role != Qt.ItemDataRole.EditRole:
            return False
        name = " ".join(str(value).split())
        if name and name != entity.name:
            self.rename_requested.emit(entity.id, name)
        return False  # the rename comes back through the hub as a reset
