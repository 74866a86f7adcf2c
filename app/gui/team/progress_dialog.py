"""View > Progress…: per annotator, documents new, in progress and done, and time spent."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.session import Session
from app.gui.team.activity import TIMES, ActivityClock
from app.gui.widgets.background import Background, database_problem
from app.services.timing import AnnotatorProgress, annotator_progress, describe_seconds

HEADERS = ("Annotator", "New", "In progress", "Done", "Time spent")


class ProgressDialog(QDialog):
    """A table of every annotator's progress; the window's own annotator in bold."""

    def __init__(
        self, rows: list[AnnotatorProgress], me: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Progress")
        self.table = QTableWidget(len(rows), len(HEADERS), self)
        self.table.setObjectName("progressTable")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for number, row in enumerate(rows):
            cells = (
                row.annotator,
                str(row.new),
                str(row.in_progress),
                str(row.done),
                describe_seconds(row.seconds),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(right)
                if row.annotator == me:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(number, column, item)
        total = rows[0].documents if rows else 0
        note = QLabel(
            f"{total} documents. Time counts while Glossa is in front and in use; "
            "a pause of more than a minute is not counted.",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def cell(self, row: int, column: int) -> str:
        """The text of one cell, as shown."""
        item = self.table.item(row, column)
        return "" if item is None else item.text()


def show_progress(session: Session, activity: ActivityClock) -> None:
    """Open the progress table over the window (not blocking) once it is read.

    The open document's time so far counts too: it is flushed, and the table read after it
    on the thread that writes time, so a locked or slow database never freezes the window.
    """
    activity.flush()
    workspace = session.workspace
    reading = Background(session.parent, workers=TIMES)

    def show(rows: list[AnnotatorProgress]) -> None:
        reading.deleteLater()
        dialog = ProgressDialog(rows, workspace.annotator, session.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def not_read(error: Any) -> None:
        reading.deleteLater()
        session.say(f"Cannot read everyone's progress: {database_problem(error)}", 8000)

    reading.finished.connect(show)
    reading.failed.connect(not_read)
    reading.run(lambda: annotator_progress(workspace))
