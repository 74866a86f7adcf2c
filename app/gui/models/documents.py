"""The document list: one row per document with its title, status and span count."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.annotations import DocumentSummary, Status
from app.services import ChangeSet

_Index = QModelIndex | QPersistentModelIndex

STATUS_TEXT = {Status.NEW: "new", Status.IN_PROGRESS: "in progress", Status.DONE: "done"}
STATUS_MARK = {Status.NEW: "○", Status.IN_PROGRESS: "◐", Status.DONE: "●"}

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole


class DocumentListModel(QAbstractTableModel):
    """Document summaries in list order; updated in place from each ChangeSet."""

    TITLE, STATUS, SPANS = range(3)
    _HEADERS = ("Title", "Status", "Spans")

    def __init__(self, summaries: list[DocumentSummary] | None = None) -> None:
        super().__init__()
        self._rows: list[DocumentSummary] = list(summaries or [])
        self._row_of: dict[int, int] = {}
        self._reindex()

    def _reindex(self) -> None:
        self._row_of = {summary.id: row for row, summary in enumerate(self._rows)}

    # -- reading -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                return summary.title
            if column == self.STATUS:
                return f"{STATUS_MARK[summary.status]} {STATUS_TEXT[summary.status]}"
            if column == self.SPANS:
                return summary.span_count
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return f"{summary.title}\n{summary.length:,} characters"
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == self.SPANS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == DOCUMENT_ID_ROLE:
            return summary.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._HEADERS)
        ):
            return self._HEADERS[section]
        return None

    def summary(self, document_id: int) -> DocumentSummary | None:
        """The summary of one document, if it is listed."""
        row = self._row_of.get(document_id)
        return None if row is None else self._rows[row]

    def row_of(self, document_id: int) -> int | None:
        """The row showing ``document_id``, if any."""
        return self._row_of.get(document_id)

    def summaries(self) -> list[DocumentSummary]:
        """Every listed document, in order."""
        return list(self._rows)

    def progress(self) -> tuple[int, int]:
        """``(done, total)`` over the listed documents."""
        return sum(s.status is Status.DONE for s in self._rows), len(self._rows)

    # -- updating ------------------------------------------------------------------

    def reset(self, summaries: list[DocumentSummary]) -> None:
        """Replace every row (the set of documents itself changed)."""
        self.beginResetModel()
        self._rows = list(summaries)
        self._reindex()
        self.endResetModel()

    def apply(self, changes: ChangeSet) -> None:
        """Update the one row a ChangeSet names: its span count and status."""
        row = self._row_of.get(changes.document_id) if changes.document_id is not None else None
        if row is None:
            return
        summary = self._rows[row]
        count = summary.span_count + len(changes.added) - len(changes.removed)
        status = summary.status
        if changes.status is not None:
            status = changes.status
        elif changes.added and status is Status.NEW:
            status = Status.IN_PROGRESS  # the service starts a document on its first span
        if (count, status) == (summary.span_count, summary.status):
            return
        self._rows[row] = dataclasses.replace(summary, span_count=count, status=status)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._HEADERS) - 1))
