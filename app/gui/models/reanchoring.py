"""The "Needs re-anchoring" table: the spans revisions could not place, one row each."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.gui.widgets.plain_text import literal
from app.services.reanchoring_queue import QueuedSpan

_Index = QModelIndex | QPersistentModelIndex

HEADERS = ("Document", "Label", "Annotator", "Was (old version)", "Now, where it was", "Suggested")
WAS, NOW, SUGGESTED = 3, 4, 5
MARK_OPEN, MARK_CLOSE, MARK_HERE = "⟦", "⟧", "‸"
"""How a row shows the span in its old context, and where it was in the new text."""


def was(row: QueuedSpan) -> str:
    """The old text with its context, the span between marks, on one line."""
    return _line(f"…{row.before}{MARK_OPEN}{row.text}{MARK_CLOSE}{row.after}…")


def now(row: QueuedSpan) -> str:
    """The new text around where the span was, that place marked, on one line."""
    return _line(f"…{row.now[: row.now_at]}{MARK_HERE}{row.now[row.now_at :]}…")


def suggested(row: QueuedSpan) -> str:
    """The suggested place's text and likeness, or a dash."""
    if row.suggestion is None:
        return "—"
    start, end = row.suggestion
    return _line(f"{row.suggested_text} [{start}, {end}) {row.similarity:.0%}")


def _line(text: str) -> str:
    return " ".join(text.split())


class QueueModel(QAbstractTableModel):
    """Rows of queued spans, as ``queued_spans`` lists them."""

    def __init__(self, colours: dict[str, str]) -> None:
        super().__init__()
        self._rows: list[QueuedSpan] = []
        self._colours = {name: QColor(value) for name, value in colours.items()}

    def set_rows(self, rows: list[QueuedSpan]) -> None:
        """Show these rows instead."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_colours(self, colours: dict[str, str]) -> None:
        """The labels' colours (after a schema edit)."""
        self._colours = {name: QColor(value) for name, value in colours.items()}

    def row_at(self, row: int) -> QueuedSpan | None:
        """The queued span of a row, if there is such a row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.title,
                row.label,
                row.annotator,
                was(row),
                now(row),
                suggested(row),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (WAS, NOW, SUGGESTED):
            return literal((was(row), now(row), suggested(row))[column - WAS])
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return self._colours.get(row.label)
        return None
