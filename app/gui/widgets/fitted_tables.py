"""Tables that show what they hold: columns as wide as their content (one column takes the
room left), and short tables tall enough for every row.

A column that stretches to the view takes the room from the others, and Qt elides what no
longer fits ("PE…"), so only the column whose text may be shortened without loss (a
guideline, an excerpt, a title) stretches; the view scrolls sideways when the rest is wider.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHeaderView, QTableView


def size_columns_to_content(header: QHeaderView, stretch: int | None) -> None:
    """Every column as wide as its content, except ``stretch``, which takes the rest (None:
    none does; the view scrolls sideways when they are wider than it)."""
    header.setStretchLastSection(False)
    for column in range(header.count()):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if column == stretch
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(column, mode)


def rows_height(table: QTableView, most: int) -> int:
    """The height that shows the header and the first ``most`` rows (one empty row at least)."""
    model = table.model()
    rows = min(model.rowCount() if model is not None else 0, most)
    height = sum(table.rowHeight(row) for row in range(rows))
    if rows == 0:
        height = table.verticalHeader().defaultSectionSize()
    header = table.horizontalHeader()
    if not header.isHidden():
        height += header.sizeHint().height()
    scroll = table.horizontalScrollBar()
    return height + 2 * table.frameWidth() + (scroll.sizeHint().height() if scroll else 0)


class _RowFit(QObject):
    """Lives as the table's child, so that its connections to the model go with the table."""

    def __init__(self, table: QTableView, most: int) -> None:
        super().__init__(table)
        self.table = table
        self.most = most

    def fit(self) -> None:
        try:
            self.table.setMinimumHeight(rows_height(self.table, self.most))
        except RuntimeError:  # a table being destroyed empties its model first
            return


def show_all_rows(table: QTableView, most: int = 12) -> None:
    """Keep ``table`` at least tall enough for every row, up to ``most`` rows (it scrolls
    beyond), as rows come and go."""
    fitting = _RowFit(table, most)
    model = table.model()
    if model is not None:
        model.rowsInserted.connect(fitting.fit)
        model.rowsRemoved.connect(fitting.fit)
        model.modelReset.connect(fitting.fit)
    fitting.fit()


class _ColumnFit(QObject):
    """Lives as the view's child, so that its connections to the model go with the view."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self.view = view

    def fit(self) -> None:
        try:
            header = self.view.horizontalHeader()
            fitted = QHeaderView.ResizeMode.ResizeToContents
            for column in range(header.count()):
                if header.sectionResizeMode(column) == fitted:
                    # setting the mode again makes the header measure the column anew
                    header.setSectionResizeMode(column, fitted)
        except RuntimeError:  # a view being destroyed empties its model first
            return


def follow_content(view: QTableView) -> None:
    """Re-measure ``view``'s sized-to-content columns as rows come and go; Qt does so only
    when cells change, so a list that started empty kept its first, narrow columns
    ("…" for every label)."""
    fitting = _ColumnFit(view)
    model = view.model()
    if model is not None:
        model.rowsInserted.connect(fitting.fit)
        model.rowsRemoved.connect(fitting.fit)
        model.modelReset.connect(fitting.fit)
