"""The document list: one row per document with its title, status, the annotator's own span
count, time spent and whether it was reviewed."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.annotations import DocumentSummary, Span, Status
from app.gui.widgets.plain_text import literal
from app.services import ChangeSet
from app.services.timing import describe_seconds

_Index = QModelIndex | QPersistentModelIndex

STATUS_TEXT = {Status.NEW: "new", Status.IN_PROGRESS: "in progress", Status.DONE: "done"}
STATUS_MARK = {Status.NEW: "○", Status.IN_PROGRESS: "◐", Status.DONE: "●"}

REVIEWED_MARK = "✓"
DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole


def short_time(seconds: int) -> str:
    """Time spent as a narrow column shows it: ``45s``, ``12m``, ``3h05`` (empty for none)."""
    if seconds <= 0:
        return ""
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    return f"{minutes}m" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}"


class DocumentListModel(QAbstractTableModel):
    """Document summaries in list order; updated in place from each ChangeSet."""

    TITLE, STATUS, SPANS, TIME, REVIEWED = range(5)
    _HEADERS = ("Title", "", "Spans", "Time", REVIEWED_MARK)
    _HEADER_TIPS: ClassVar[dict[int, str]] = {
        STATUS: "  ".join(f"{STATUS_MARK[s]} {STATUS_TEXT[s]}" for s in Status),
        TIME: "Your active time on the document",
        REVIEWED: "Reviewed: a reviewer accepted or rejected spans of the document",
    }

    def __init__(
        self, summaries: list[DocumentSummary] | None = None, owner: str | None = None
    ) -> None:
        super().__init__()
        self.owner = owner
        """The annotator whose spans the list counts (the summaries' ``own_span_count``)."""
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
                # the mark alone: the title has the room (the word is in the tooltip)
                return STATUS_MARK[summary.status]
            if column == self.SPANS:
                return summary.span_count if self.owner is None else summary.own_span_count
            if column == self.TIME:
                return short_time(summary.seconds_spent)
            if column == self.REVIEWED:
                return REVIEWED_MARK if summary.reviewed else ""
        elif role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(summary, column)
        elif role == Qt.ItemDataRole.TextAlignmentRole and column in (self.SPANS, self.TIME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == DOCUMENT_ID_ROLE:
            return summary.id
        return None

    def _tooltip(self, summary: DocumentSummary, column: int) -> str | None:
        if column == self.TITLE:
            return literal(f"{summary.title}\n{summary.length:,} characters")
        if column == self.STATUS:
            return f"{STATUS_MARK[summary.status]} {STATUS_TEXT[summary.status]}"
        if column == self.SPANS and self.owner is not None:
            return (
                f"{summary.own_span_count} of your spans; "
                f"{summary.span_count} by every annotator together"
            )
        if column == self.TIME:
            spent = describe_seconds(summary.seconds_spent)
            return f"Your active time on this document: {spent} (idle time not counted)"
        if column == self.REVIEWED and summary.reviewed:
            return "A reviewer accepted or rejected spans of this document"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._HEADERS)
        ):
            if section == self.SPANS and self.owner is not None:
                return "My spans"
            return self._HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            if section == self.SPANS and self.owner is not None:
                return f"Spans {self.owner} made in the document (others' are not counted)"
            return self._HEADER_TIPS.get(section)
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

    def set_time(self, document_id: int, seconds: int) -> None:
        """Show a document's new total of time spent."""
        row = self._row_of.get(document_id)
        if row is None or self._rows[row].seconds_spent == seconds:
            return
        self._rows[row] = dataclasses.replace(self._rows[row], seconds_spent=seconds)
        self.dataChanged.emit(self.index(row, self.TIME), self.index(row, self.TIME))

    def reset(self, summaries: list[DocumentSummary]) -> None:
        """Replace every row (the set of documents itself changed)."""
        self.beginResetModel()
        self._rows = list(summaries)
        self._reindex()
        self.endResetModel()

    def _counted(self, span: Span) -> bool:
        return span.annotator == self.owner

    def apply(self, changes: ChangeSet) -> None:
        """Update the one row a ChangeSet names: its span count and status."""
        row = self._row_of.get(changes.document_id) if changes.document_id is not None else None
        if row is None:
            return
        summary = self._rows[row]
        count = summary.span_count + len(changes.added) - len(changes.removed)
        own = (
            summary.own_span_count
            + sum(map(self._counted, changes.added))
            - sum(map(self._counted, changes.removed))
        )
        status = summary.status
        if changes.status is not None:
            status = changes.status
        elif changes.added and status is Status.NEW:
            status = Status.IN_PROGRESS  # the service starts a document on its first span
        if (count, own, status) == (summary.span_count, summary.own_span_count, summary.status):
            return
        self._rows[row] = dataclasses.replace(
            summary, span_count=count, own_span_count=own, status=status
        )
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._HEADERS) - 1))
