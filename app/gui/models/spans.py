"""The spans of the open document, in reading order (start, then longest first)."""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.core.annotations import Span, fragments_text
from app.gui.widgets.plain_text import literal
from app.services import ChangeSet

_Index = QModelIndex | QPersistentModelIndex

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole
EXCERPT_LENGTH = 60


def reading_order(span: Span) -> tuple[int, int, int]:
    """Sort key: by start, an enclosing span before the spans inside it."""
    return span.start, -span.end, span.id


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """One line of at most ``limit`` characters for a list cell."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def shown(text: str, span: Span) -> str:
    """The span's words as lists show them: a discontinuous span's pieces joined by " … "."""
    return fragments_text(text, span.fragments, span.start, span.end, gap=" … ")


# Quotation marks that are not of the initial/final punctuation categories (Pi, Pf)
_STRAIGHT_AND_LOW_QUOTES = frozenset("\"'„‚「」『』〝〞〟＂＇")


def is_quotation_mark(character: str) -> bool:
    """True for any quotation mark: straight, curly, guillemets, low-9, CJK brackets."""
    return character in _STRAIGHT_AND_LOW_QUOTES or unicodedata.category(character) in ("Pi", "Pf")


def quoted(words: str) -> str:
    """``words`` inside “…”, unless they already begin or end with a quotation mark (a
    quote's own marks): then as they are, so that the marks are not doubled."""
    stripped = words.rstrip("…")
    if words and (is_quotation_mark(words[0]) or (stripped and is_quotation_mark(stripped[-1]))):
        return words
    return f"“{words}”"


class SpanListModel(QAbstractTableModel):
    """Rows are the spans of one document; text comes from the canonical text, never Qt."""

    LABEL, TEXT, OFFSETS = range(3)
    _HEADERS = ("Label", "Text", "Offsets")

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self._document_id: int | None = None
        self._spans: list[Span] = []
        self._keys: list[tuple[int, int, int]] = []
        self._by_id: dict[int, Span] = {}
        self._colours: dict[str, QColor] = {}

    # -- reading -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._spans):
            return None
        span = self._spans[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.LABEL:
                return span.label
            if column == self.TEXT:
                return excerpt(shown(self._text, span))
            if column == self.OFFSETS:
                return ", ".join(f"{start}–{end}" for start, end in span.pieces)
        elif role == Qt.ItemDataRole.DecorationRole and column == self.LABEL:
            return self._colours.get(span.label)
        elif role == Qt.ItemDataRole.ToolTipRole and column == self.TEXT:
            return literal(shown(self._text, span))
        elif role == SPAN_ID_ROLE:
            return span.id
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

    @property
    def document_id(self) -> int | None:
        """The document whose spans are listed."""
        return self._document_id

    def span_in_row(self, row: int) -> Span:
        """The span shown in ``row``."""
        return self._spans[row]

    def row_of(self, span_id: int) -> int | None:
        """The row of a span, if it is listed."""
        span = self._by_id.get(span_id)
        if span is None:
            return None
        row = bisect_left(self._keys, reading_order(span))
        return row if row < len(self._spans) and self._spans[row].id == span_id else None

    # -- updating ------------------------------------------------------------------

    def show_document(
        self, document_id: int, text: str, spans: list[Span], colours: dict[str, str]
    ) -> None:
        """List the spans of another document."""
        self.beginResetModel()
        self._document_id = document_id
        self._text = text
        self._spans = sorted(spans, key=reading_order)
        self._keys = [reading_order(span) for span in self._spans]
        self._by_id = {span.id: span for span in self._spans}
        self._colours = {label: QColor(colour) for label, colour in colours.items()}
        self.endResetModel()

    def apply(self, changes: ChangeSet) -> None:
        """Insert, remove and update only the rows a ChangeSet names."""
        if changes.document_id != self._document_id:
            return
        for span in changes.removed:
            self._remove(span.id)
        for span in changes.changed:
            row = self.row_of(span.id)
            if row is None:
                continue
            if reading_order(span) == self._keys[row]:
                self._spans[row] = span
                self._by_id[span.id] = span
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._HEADERS) - 1))
            else:
                self._remove(span.id)
                self._insert(span)
        for span in changes.added:
            if self.row_of(span.id) is None:
                self._insert(span)

    def _insert(self, span: Span) -> None:
        key = reading_order(span)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._spans.insert(row, span)
        self._keys.insert(row, key)
        self._by_id[span.id] = span
        self.endInsertRows()

    def _remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._spans[row]
        del self._keys[row]
        del self._by_id[span_id]
        self.endRemoveRows()
