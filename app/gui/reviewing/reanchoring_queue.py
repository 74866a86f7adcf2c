"""The review table's "Needs re-anchoring" tab: spans a revision could not place.

Each row shows the span's old text in its context beside the new text around where it was,
and below the table the two versions side by side with the span and the suggested place
marked. From the keyboard: Enter shows the place in the article (the suggested place
selected), A accepts the suggested place, P places the span on the article's selection, Del
drops it. Placing makes the span again with its label, attributes, entity link and the
relations it can have, and takes it out of the queue: one step on the undo stack, as is
dropping it.

The queue is read on a worker thread, so a slow server never freezes the window: the rows
on show stay until the new ones are in, the latest read wins (an older answer is dropped),
and a read that fails says why in the status bar with the tab still usable.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.gui.commands import WorkspaceChange
from app.gui.hub import ChangeHub
from app.gui.models.open_document import READERS
from app.gui.models.reanchoring import NOW, WAS, QueueModel
from app.gui.reviewing.review_view import ReviewTable, combined_key
from app.gui.session import Session
from app.gui.widgets.background import Background, database_problem
from app.services import ChangeSet, Workspace
from app.services.reanchoring_queue import QueuedSpan, drop_queued, place_queued, queued_spans

QUEUE_KEYS = {"accept": "A", "place": "P", "drop": "Del", "show": "Return"}
_HELP = (
    "Enter: show in the article · A: accept the suggested place · "
    "P: place on the article's selection · Del: drop"
)


class PlaceQueued(WorkspaceChange):
    """Make a queued span again at a place and take it out of the queue, as one step."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, row: QueuedSpan, start: int, end: int
    ) -> None:
        super().__init__(
            workspace,
            hub,
            f"Place queued {row.label} {row.text[:30]!r}",
            lambda: place_queued(workspace, row.document_id, row.entry, start, end),
        )


class DropQueued(WorkspaceChange):
    """Take a queued span out of the queue without placing it."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, row: QueuedSpan) -> None:
        super().__init__(
            workspace,
            hub,
            f"Drop queued {row.label} {row.text[:30]!r}",
            lambda: drop_queued(workspace, row.document_id, row.entry),
        )


class QueuePanel(QWidget):
    """The queue's table, its keys and the two versions side by side."""

    counted = Signal(int)
    """How many spans the queue lists, after each reload."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = QueueModel(session.colours)
        self.table = ReviewTable(self)
        self.table.setObjectName("reanchoring_table")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 170), (1, 90), (2, 80), (WAS, 330), (NOW, 330)):
            self.table.setColumnWidth(column, width)
        self.old_side = self._side("reanchoring_old")
        self.new_side = self._side("reanchoring_new")
        self.help = QLabel(_HELP, self)
        self.help.setTextFormat(Qt.TextFormat.PlainText)

        sides = QWidget(self)
        side_by_side = QHBoxLayout(sides)
        side_by_side.setContentsMargins(0, 0, 0, 0)
        for title, side in (("Old version", self.old_side), ("New version", self.new_side)):
            stack = QVBoxLayout()
            caption = QLabel(title, sides)
            caption.setTextFormat(Qt.TextFormat.PlainText)
            stack.addWidget(caption)
            stack.addWidget(side, 1)
            side_by_side.addLayout(stack, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(sides)
        splitter.setSizes([180, 120])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.help)
        layout.addWidget(splitter, 1)

        keys = {
            QUEUE_KEYS["accept"]: self.accept_suggestion,
            QUEUE_KEYS["place"]: self.place_on_selection,
            QUEUE_KEYS["drop"]: self.drop,
            "Backspace": self.drop,
            QUEUE_KEYS["show"]: self.show_in_article,
            "Enter": self.show_in_article,
        }
        self.table.key_actions = {combined_key(key): action for key, action in keys.items()}
        self.table.activated.connect(lambda _index: self.show_in_article())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_sides())
        self.reading = Background(self, workers=READERS)
        """The queue read on a worker thread; only the latest read is shown."""
        self.reading.finished.connect(self._arrived)
        self.reading.failed.connect(self._not_read)
        session.hub.changed.connect(self._on_changed)
        session.hub.reloaded.connect(self.reload)

    def _side(self, name: str) -> QTextBrowser:
        side = QTextBrowser(self)
        side.setObjectName(name)
        side.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return side

    # -- reading -------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while the queue is being read."""
        return self.reading.busy

    def wait(self) -> None:
        """Return once the queue read is shown (for scripts and tests)."""
        self.reading.wait()

    def reload(self) -> None:
        """Read the queue again on a worker thread, keeping the cursor's row where it can;
        the rows on show stay until the new ones are in."""
        workspace = self.session.workspace
        self.reading.run(lambda: queued_spans(workspace))

    def _not_read(self, error: Any) -> None:
        self.session.say(f"Cannot read the re-anchoring queue: {database_problem(error)}", 8000)

    def _arrived(self, rows: list[QueuedSpan]) -> None:
        current = self.table.currentIndex()
        keep = current.row() if current.isValid() else 0
        self.model.set_rows(rows)
        if rows:
            self.table.setCurrentIndex(self.model.index(min(keep, len(rows) - 1), 0))
        self._show_sides()
        self.counted.emit(len(rows))

    def current_row(self) -> QueuedSpan | None:
        """The queued span under the cursor, if any."""
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show_sides(self) -> None:
        row = self.current_row()
        if row is None:
            self.old_side.setHtml("")
            self.new_side.setHtml("")
            return
        colour = self.session.colours.get(row.label, "#ffe08a")
        self.old_side.setHtml(
            _paragraph(row.before, row.text, row.after, colour)
            + _note(f"{row.label} by {row.annotator} at [{row.start}, {row.end})")
        )
        if row.suggestion is not None:
            before, after = row.suggested_context
            self.new_side.setHtml(
                _paragraph(before, row.suggested_text, after, colour)
                + _note(
                    f"Suggested: “{row.suggested_text}” at [{row.suggestion[0]}, "
                    f"{row.suggestion[1]}), {row.similarity:.0%} alike — A accepts it"
                )
            )
        else:
            self.new_side.setHtml(
                _paragraph(row.now[: row.now_at], "", row.now[row.now_at :], colour)
                + _note("No place alike enough: select one in the article and press P")
            )

    # -- actions -------------------------------------------------------------------

    def show_in_article(self) -> None:
        """Open the row's document where the span was, the suggested place selected."""
        row = self.current_row()
        if row is None:
            return
        session = self.session
        article = session.article

        def show_place() -> None:
            if row.suggestion is not None:
                article.select_range(*row.suggestion)
            else:
                article.set_scroll_position(row.near)

        session.open_document(row.document_id, then=show_place)
        session.say(f"Select where {row.text[:40]!r} goes, then press P in the queue", 10000)

    def accept_suggestion(self) -> None:
        """Place the row's span at its suggested place."""
        row = self.current_row()
        if row is None:
            return
        if row.suggestion is None:
            self.session.say(
                "No suggested place: select one in the article (Enter shows it), then press P",
                10000,
            )
            return
        self._place(row, *row.suggestion)

    def place_on_selection(self) -> None:
        """Place the row's span on the article's selection (in the row's document)."""
        row = self.current_row()
        if row is None:
            return
        session = self.session
        selected = session.article.selected_range()
        if session.document_id != row.document_id or selected is None:
            session.say(
                f"Select where {row.text[:40]!r} goes in “{row.title}” first "
                "(Enter opens it there)",
                10000,
            )
            return
        self._place(row, *selected)

    def _place(self, row: QueuedSpan, start: int, end: int) -> None:
        session = self.session
        session.undo_stack.push(PlaceQueued(session.workspace, session.hub, row, start, end))
        self.table.setFocus()

    def drop(self) -> None:
        """Drop the row's span from the queue (undoable)."""
        row = self.current_row()
        if row is None:
            return
        session = self.session
        session.undo_stack.push(DropQueued(session.workspace, session.hub, row))
        self.table.setFocus()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.schema:
            self.model.set_colours(self.session.colours)
        if changes.meta or changes.documents or changes.schema:
            self.reload()


def _paragraph(before: str, marked: str, after: str, colour: str) -> str:
    """Text with ``marked`` highlighted (or, when empty, a caret where it was)."""
    tint = QColor(colour)
    # a third of the label's colour on white, as the article tints a span: dark text stays legible
    tint.setRgb(*((value + 2 * 255) // 3 for value in (tint.red(), tint.green(), tint.blue())))
    middle = (
        f'<span style="background:{tint.name()}; font-weight:bold">{escape(marked)}</span>'
        if marked
        else '<span style="color:#c00000; font-weight:bold">‸</span>'
    )
    return f"<p>…{escape(before)}{middle}{escape(after)}…</p>"


def _note(text: str) -> str:
    return f'<p style="color:#555555"><i>{escape(text)}</i></p>'
