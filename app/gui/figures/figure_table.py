"""A read-only table of figures that copies itself as tab-separated text (Ctrl+C)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


def ratio(value: float | None) -> str:
    """A figure between -1 and 1 with three decimals, as ``glossa agree`` prints it."""
    return "–" if value is None else f"{value:.3f}"


class FigureTable(QTableWidget):
    """A read-only table of figures; Ctrl+C copies the selected rows (or all) as TSV."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(False)

    def fill(self, rows: Sequence[Sequence[object]], bold_last: bool = False) -> None:
        """Show ``rows``: text on the left, numbers on the right."""
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(str(value))
                if c > 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if bold_last and r == len(rows) - 1:
                    font = QFont(self.font())
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(r, c, item)

        self.fit_height()

    def fit_height(self, most: int = 8) -> None:
        """As tall as the header and up to ``most`` rows; more rows scroll."""
        rows = sum(self.rowHeight(r) for r in range(min(self.rowCount(), most)))
        scroll = self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(
            self.horizontalHeader().sizeHint().height() + rows + scroll + 2 * self.frameWidth()
        )

    def cell(self, row: int, column: int) -> str:
        """The text of one cell."""
        item = self.item(row, column)
        return "" if item is None else item.text()

    def tsv(self) -> str:
        """The header and the selected rows (every row when none is) as tab-separated text."""
        chosen = sorted({index.row() for index in self.selectedIndexes()})
        rows = chosen or list(range(self.rowCount()))
        columns = range(self.columnCount())
        headers = [self.horizontalHeaderItem(c) for c in columns]
        lines = ["\t".join(h.text().replace("\n", " ") if h else "" for h in headers)]
        lines += ["\t".join(self.cell(r, c) for c in columns) for r in rows]
        return "\n".join(lines) + "\n"

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(self.tsv())
            return
        super().keyPressEvent(event)
