"""The review table: every span of the project that passes the filters, read a page at a time.

The model knows how many rows the query lists and keeps a few pages of them; a page is read
when a view first asks for one of its rows, so a million spans open as fast as a hundred.

Every read runs on a worker thread (a slow server never freezes the window): the count and
the first page of a query come together, the other pages as they are shown, and a row not
read yet shows empty until its page arrives. A newer query supersedes the reads of older
ones, whose answers are dropped. A read that fails says why (``failed``) and the table stays
as it was; the page is read again with the next query or reload.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEventLoop,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from app.core.review import Column, Review, ReviewQuery, ReviewRow
from app.gui.models.open_document import READERS
from app.gui.widgets.background import database_problem
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
COLLECT_MS = 10
"""How often reads under way are looked at."""
_COUNT = -1
"""The read of a query's count and first page, among the page numbers."""
_FRESH = -2
"""The read of rows held again after a change."""


class ReviewTableModel(QAbstractTableModel):
    """Rows of a ``ReviewQuery``; ``sort`` and ``set_query`` read the count again."""

    failed = Signal(str)
    """A read failed; the message is for the user. The table stays as it was."""
    settled = Signal()
    """Every read asked for is in."""

    def __init__(
        self,
        actions: ReviewActions,
        colours: dict[str, str],
        *,
        readers: Executor = READERS,
        collect_ms: int = COLLECT_MS,
    ) -> None:
        super().__init__()
        self._actions = actions
        self._query = ReviewQuery()
        self._count = 0
        self._pages: OrderedDict[int, list[ReviewRow]] = OrderedDict()
        self._colours: dict[str, QColor] = {}
        self._readers = readers
        self._generation = 0
        """Bumped by every query: reads asked under an older one are dropped."""
        self._under_way: dict[Future[Any], tuple[int, int]] = {}
        """Each read's generation and page number (or ``_COUNT``, ``_FRESH``)."""
        self._asked: set[int] = set()
        """Pages asked for (read, under way or failed) since the query."""
        self.loading = False
        """True until the count of the query is in."""
        self._collector = QTimer(self)
        self._collector.setInterval(collect_ms)
        self._collector.timeout.connect(self._collect)
        self.set_colours(colours)

    # -- the query -----------------------------------------------------------------

    @property
    def query(self) -> ReviewQuery:
        """What the table lists now."""
        return self._query

    def set_query(self, query: ReviewQuery) -> None:
        """List what ``query`` asks for, read afresh on a worker thread. Another query
        empties the table until its rows are in; the same one keeps them shown meanwhile."""
        self._generation += 1
        self._asked.clear()
        self.loading = True
        if query != self._query or not self._count:
            self.beginResetModel()
            self._query = query
            self._pages.clear()
            self._count = 0
            self.endResetModel()
        actions = self._actions
        self._read(_COUNT, lambda: (actions.count(query), actions.rows(query, 0, PAGE_SIZE)))

    @property
    def busy(self) -> bool:
        """True while a read of the query shown is under way."""
        return any(asked == self._generation for asked, _ in self._under_way.values())

    @property
    def reads_under_way(self) -> int:
        """How many reads are under way, superseded ones included."""
        return len(self._under_way)

    def wait(self) -> None:
        """Return once every read asked for is in, the window's events handled meanwhile
        (for scripts and tests)."""
        while self.busy:
            loop = QEventLoop()
            self.settled.connect(loop.quit)
            loop.exec()
            self.settled.disconnect(loop.quit)

    def _read(self, page: int, work: Callable[[], Any]) -> None:
        self._under_way[self._readers.submit(work)] = (self._generation, page)
        self._collector.start()

    def _collect(self) -> None:
        for future in [f for f in self._under_way if f.done()]:
            generation, page = self._under_way.pop(future)
            if generation != self._generation:
                continue  # a newer query superseded it
            error = future.exception()
            if error is not None:
                if page == _COUNT:
                    self.loading = False
                self.failed.emit(f"Cannot read the review table: {database_problem(error)}")
            elif page == _COUNT:
                self._counted(*future.result())
            elif page == _FRESH:
                self._refreshed(future.result())
            else:
                self._arrived(page, future.result())
        if not self._under_way:
            self._collector.stop()
        if not self.busy:
            self.settled.emit()

    def _counted(self, count: int, first: list[ReviewRow]) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count, self.loading = count, False
        self._keep(0, first)
        self.endResetModel()

    def _arrived(self, number: int, page: list[ReviewRow]) -> None:
        self._keep(number, page)
        first = number * PAGE_SIZE
        last = min(first + PAGE_SIZE, self._count) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _keep(self, number: int, page: list[ReviewRow]) -> None:
        self._asked.add(number)
        self._pages[number] = page
        while len(self._pages) > KEPT_PAGES:
            gone, _ = self._pages.popitem(last=False)
            self._asked.discard(gone)  # read again when shown again

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
        """The row at ``row``; None while its page is not in memory (it is then read)."""
        if not 0 <= row < self._count:
            return None
        number, at = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            if number not in self._asked and not self.loading:
                self._asked.add(number)
                query, actions = self._query, self._actions
                self._read(number, lambda: actions.rows(query, number * PAGE_SIZE, PAGE_SIZE))
            return None
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
        if wanted:
            actions = self._actions
            self._read(_FRESH, lambda: actions.rows_of(wanted))

    def _refreshed(self, fresh: dict[int, ReviewRow]) -> None:
        for number, page in self._pages.items():
            for at, row in enumerate(page):
                if row.span_id in fresh:
                    page[at] = fresh[row.span_id]
                    where = number * PAGE_SIZE + at
                    self.dataChanged.emit(self.index(where, 0), self.index(where, len(COLUMNS) - 1))
