"""The review table: every span of the project that passes the filters, read a page at a time.

The model knows how many rows the query lists and keeps a few pages of them; a page is read
when a view first asks for one of its rows, so a million spans open as fast as a hundred.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.core.review import Column, Review, ReviewQuery, ReviewRow
from app.gui.widgets.plain_text import literal
from app.services import ChangeSet
from app.services.review import ReviewActions

_Index = QModelIndex | QPersistentModelIndex

SPAN_ID_ROLE = Qt.ItemDataRole.UserRole
PAGE_SIZE = 200
KEPT_PAGES = 40
"""Pages kept in memory; the one read longest ago goes first."""

COLUMNS = tuple(Column)
HEADERS = {
    Column.DOCUMENT: "Document",
    Column.LABEL: "Label",
    Column.TEXT: "Text in context",
    Column.ANNOTATOR: "Annotator",
    Column.ORIGIN: "Origin",
    Column.REVIEW: "Review",
    Column.SPEAKER: "Speaker",
    Column.ENTITY: "Entity",
}
_REJECTED = QColor("#8a8a8a")


class ReviewTableModel(QAbstractTableModel):
    """Rows of a ``ReviewQuery``; ``sort`` and ``set_query`` read the count again."""

    def __init__(self, actions: ReviewActions, colours: dict[str, str]) -> None:
        super().__init__()
        self._actions = actions
        self._query = ReviewQuery()
        self._count = 0
        self._pages: OrderedDict[int, list[ReviewRow]] = OrderedDict()
        self._colours: dict[str, QColor] = {}
        self.set_colours(colours)

    # -- the query -----------------------------------------------------------------

    @property
    def query(self) -> ReviewQuery:
        """What the table lists now."""
        return self._query

    def set_query(self, query: ReviewQuery) -> None:
        """List what ``query`` asks for (read afresh from the database)."""
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        self._count = self._actions.count(query)
        self.endResetModel()

    def reload(self) -> None:
        """Read the count and the rows again: others may have added or changed spans."""
        self.set_query(self._query)

    def set_colours(self, colours: dict[str, str]) -> None:
        """Label colours (after a schema edit)."""
        self._colours = {name: QColor(colour) for name, colour in colours.items()}
        for colour in self._colours.values():
            colour.setAlpha(90)
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(COLUMNS) - 1))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        query = self._query.sorted_by(COLUMNS[column], descending=descending)
        if query != self._query:
            self.set_query(query)

    # -- rows ----------------------------------------------------------------------

    def row_at(self, row: int) -> ReviewRow | None:
        """The row at ``row``, reading its page when it is not in memory."""
        if not 0 <= row < self._count:
            return None
        number, at = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self._actions.rows(self._query, number * PAGE_SIZE, PAGE_SIZE)
            self._pages[number] = page
            while len(self._pages) > KEPT_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        # spans deleted since the count make the last page short
        return page[at] if at < len(page) else None

    def rows_in_memory(self) -> int:
        """How many rows are held now (the rest are read when shown)."""
        return sum(len(page) for page in self._pages.values())

    def row_of(self, span_id: int) -> int | None:
        """The row of a span among the pages in memory, if there."""
        for number, page in self._pages.items():
            for at, row in enumerate(page):
                if row.span_id == span_id:
                    return number * PAGE_SIZE + at
        return None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.value(column)
        if role == Qt.ItemDataRole.BackgroundRole and column is Column.LABEL:
            return self._colours.get(row.label)
        if role == Qt.ItemDataRole.ForegroundRole and row.review is Review.REJECTED:
            return _REJECTED
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.TEXT:
                return literal(f"{row.left}[{row.text}]{row.right}")
            if column is Column.REVIEW:
                return row.review.value
            if column is Column.DOCUMENT:
                return literal(f"{row.document_title} (offsets {row.start}–{row.end})")
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.REVIEW:
            return Qt.AlignmentFlag.AlignCenter
        if role == SPAN_ID_ROLE:
            return row.span_id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[COLUMNS[section]] if 0 <= section < len(COLUMNS) else None
        return section + 1

    # -- changes -------------------------------------------------------------------

    def apply(self, changes: ChangeSet) -> None:
        """Show what a committed action changed in the rows held in memory.

        Rows stay where they are (a span accepted under an "unreviewed" filter keeps its
        row, now with ✓) until the query is read again; only the pages in memory are read.
        """
        if changes.entities or changes.relations_changed:
            touched: Iterable[int] = [row.span_id for page in self._pages.values() for row in page]
        else:
            touched = {
                *changes.reviews,
                *(span.id for span in changes.changed),
                *(span.id for span in changes.removed),
            }
        held = {row.span_id for page in self._pages.values() for row in page}
        wanted = held.intersection(touched)
        if not wanted:
            return
        fresh = self._actions.rows_of(wanted)
        for number, page in self._pages.items():
            for at, row in enumerate(page):
                if row.span_id in wanted and row.span_id in fresh:
                    page[at] = fresh[row.span_id]
                    where = number * PAGE_SIZE + at
                    self.dataChanged.emit(self.index(where, 0), self.index(where, len(COLUMNS) - 1))
