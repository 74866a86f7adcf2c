"""The relations of the open document, oldest first, each described by its two spans."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.core.annotations import Relation, Span
from app.gui.models.spans import excerpt, quoted, shown
from app.gui.widgets.plain_text import literal
from app.services import ChangeSet

_Index = QModelIndex | QPersistentModelIndex

RELATION_ID_ROLE = Qt.ItemDataRole.UserRole
HEAD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SPAN_EXCERPT = 24


class RelationListModel(QAbstractListModel):
    """Rows are relations; it follows span changes too, to keep their descriptions right."""

    def __init__(self) -> None:
        super().__init__()
        self._document_id: int | None = None
        self._text = ""
        self._relations: list[Relation] = []
        self._ids: list[int] = []
        self._spans: dict[int, Span] = {}
        self._colours: dict[str, QColor] = {}

    # -- reading -------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._relations)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._relations):
            return None
        relation = self._relations[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.describe(relation)
        if role == Qt.ItemDataRole.ToolTipRole:
            head, tail = self.words(relation.head, 400), self.words(relation.tail, 400)
            return literal(f"{head} —{relation.label}→ {tail}")
        if role == Qt.ItemDataRole.DecorationRole:
            return self._colours.get(relation.label)
        if role == RELATION_ID_ROLE:
            return relation.id
        if role == HEAD_ID_ROLE:
            return relation.head
        return None

    def describe(self, relation: Relation, limit: int = SPAN_EXCERPT) -> str:
        """``label: “head words” → “tail words”``, from the canonical text."""
        head = self.words(relation.head, limit, labelled=False)
        tail = self.words(relation.tail, limit, labelled=False)
        return f"{relation.label}: {head} → {tail}"

    def words(self, span_id: int, limit: int = SPAN_EXCERPT, *, labelled: bool = True) -> str:
        """A span's words (after its label, unless not ``labelled``) as one short line."""
        span = self._spans.get(span_id)
        if span is None:
            return f"(span {span_id})"
        words = quoted(excerpt(shown(self._text, span), limit))
        return f"{span.label} {words}" if labelled else words

    def relation(self, relation_id: int) -> Relation | None:
        """A listed relation by id."""
        row = self.row_of(relation_id)
        return None if row is None else self._relations[row]

    def relation_in_row(self, row: int) -> Relation:
        """The relation shown in ``row``."""
        return self._relations[row]

    def row_of(self, relation_id: int) -> int | None:
        """The row of a relation, if it is listed."""
        row = bisect_left(self._ids, relation_id)
        return row if row < len(self._ids) and self._ids[row] == relation_id else None

    def relations(self) -> list[Relation]:
        """Every listed relation, oldest first."""
        return list(self._relations)

    def relations_of(self, span_id: int) -> list[Relation]:
        """The relations whose head or tail is ``span_id``, oldest first."""
        return [r for r in self._relations if span_id in (r.head, r.tail)]

    def span_of(self, span_id: int) -> Span | None:
        """A span of the open document, as the model last heard of it."""
        return self._spans.get(span_id)

    # -- updating ------------------------------------------------------------------

    def show_document(
        self,
        document_id: int,
        text: str,
        spans: list[Span],
        relations: list[Relation],
        colours: dict[str, str],
    ) -> None:
        """List the relations of another document (``colours`` by relation label)."""
        self.beginResetModel()
        self._document_id = document_id
        self._text = text
        self._relations = sorted(relations, key=lambda r: r.id)
        self._ids = [r.id for r in self._relations]
        self._spans = {span.id: span for span in spans}
        self._colours = {label: QColor(colour) for label, colour in colours.items()}
        self.endResetModel()

    def apply(self, changes: ChangeSet) -> None:
        """Follow the spans and relations a ChangeSet names."""
        if changes.document_id != self._document_id:
            return
        for span in changes.removed:
            self._spans.pop(span.id, None)
        for span in (*changes.added, *changes.changed):
            self._spans[span.id] = span
        for relation in changes.relations_removed:
            self._remove(relation.id)
        for relation in changes.relations_added:
            self._insert(relation)
        touched = {span.id for span in (*changes.added, *changes.changed)}
        for row, relation in enumerate(self._relations):
            if relation.head in touched or relation.tail in touched:
                self.dataChanged.emit(self.index(row), self.index(row))

    def _insert(self, relation: Relation) -> None:
        if self.row_of(relation.id) is not None:
            return
        row = bisect_left(self._ids, relation.id)
        self.beginInsertRows(QModelIndex(), row, row)
        self._relations.insert(row, relation)
        self._ids.insert(row, relation.id)
        self.endInsertRows()

    def _remove(self, relation_id: int) -> None:
        row = self.row_of(relation_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._relations[row]
        del self._ids[row]
        self.endRemoveRows()
