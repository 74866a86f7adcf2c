"""The review table's "Suggestions" tab: every pending suggestion of the project.

Each row is a suggestion the suggesters stored (``glossa suggest``) and nobody has answered
yet, its origin "suggested", with its document, label, text in context and where it came
from. From the keyboard: Enter opens the article on it (the suggestion current there), A
accepts it (a quote with its cue, speaker and relations), Del rejects it; each answer is one
step on the undo stack.

The suggestions are read on a worker thread, so a slow server never freezes the window: the
rows on show stay until the new ones are in, the latest read wins (an older answer is
dropped), and a read that fails says why in the status bar with the tab still usable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTabWidget, QVBoxLayout, QWidget

from app.core.annotations import Origin
from app.gui.commands import WorkspaceChange
from app.gui.models.open_document import READERS
from app.gui.reviewing.review_view import ReviewTable, combined_key
from app.gui.session import Session
from app.gui.widgets.background import Background, database_problem
from app.services import ChangeSet
from app.services.pending import PendingRow, pending_rows
from app.services.suggestion_actions import accept, reject

if TYPE_CHECKING:
    from app.gui.annotating.suggestions import ArticleSuggestions

TITLE = "Suggestions"
HEADERS = ("Document", "Label", "Text in context", "Origin", "From", "Confidence")
_HELP = "Enter: show in the article · A: accept · Del: reject"
_Index = QModelIndex | QPersistentModelIndex


class SuggestionRows(QAbstractTableModel):
    """Pending suggestions as table rows."""

    def __init__(self, colours: dict[str, str]) -> None:
        super().__init__()
        self.rows: list[PendingRow] = []
        self.colours = colours

    def set_rows(self, rows: list[PendingRow]) -> None:
        """Show these rows instead."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        suggestion = row.suggestion
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.title,
                suggestion.label,
                row.in_context(),
                Origin.SUGGESTED.value,
                f"{suggestion.suggester} · {suggestion.rule}",
                f"{suggestion.confidence:.2f}",
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return suggestion.provenance()
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 1:
            colour = QColor(self.colours.get(suggestion.label, "#777777"))
            colour.setAlpha(90)
            return colour
        return None


class SuggestionsPanel(QWidget):
    """The tab: the table of pending suggestions and its keys."""

    counted = Signal(int)
    """How many suggestions the tab lists, after each reload."""

    def __init__(
        self, session: Session, suggested: ArticleSuggestions, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.suggested = suggested
        """The open article's suggestions: "show in the article" makes the row's current."""
        self.model = SuggestionRows(session.colours)
        self.table = ReviewTable(self)
        self.table.setObjectName("suggestions_table")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 80, 520, 80, 200)):
            self.table.setColumnWidth(column, width)
        self.help = QLabel(_HELP, self)
        self.help.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.help)
        layout.addWidget(self.table, 1)
        keys = {
            "A": self.accept_current,
            "Del": self.reject_current,
            "Backspace": self.reject_current,
            "Return": self.show_in_article,
            "Enter": self.show_in_article,
        }
        self.table.key_actions = {combined_key(key): action for key, action in keys.items()}
        self.table.activated.connect(lambda _index: self.show_in_article())
        self.reading = Background(self, workers=READERS)
        """The suggestions read on a worker thread; only the latest read is shown."""
        self.reading.finished.connect(self._arrived)
        self.reading.failed.connect(self._not_read)
        session.hub.changed.connect(self._on_changed)
        session.hub.reloaded.connect(self.reload)

    @property
    def busy(self) -> bool:
        """True while the suggestions are being read."""
        return self.reading.busy

    def wait(self) -> None:
        """Return once the suggestions read are shown (for scripts and tests)."""
        self.reading.wait()

    def reload(self) -> None:
        """Read the pending suggestions again on a worker thread, keeping the cursor's row
        where it can; the rows on show stay until the new ones are in."""
        workspace = self.session.workspace
        self.reading.run(lambda: pending_rows(workspace))

    def _not_read(self, error: Any) -> None:
        self.session.say(f"Cannot read the suggestions: {database_problem(error)}", 8000)

    def _arrived(self, rows: list[PendingRow]) -> None:
        current = self.table.currentIndex()
        keep = current.row() if current.isValid() else 0
        self.model.colours = self.session.colours
        self.model.set_rows(rows)
        if rows:
            self.table.setCurrentIndex(self.model.index(min(keep, len(rows) - 1), 0))
        self.counted.emit(len(rows))

    def current_row(self) -> PendingRow | None:
        """The row under the cursor, if any."""
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _on_changed(self, change: ChangeSet) -> None:
        if self.isVisible() and (
            change.suggestions_changed or change.documents or change.annotations_changed
        ):
            self.reload()

    def show_in_article(self) -> None:
        """Open the suggestion's document with the suggestion current there."""
        row = self.current_row()
        if row is None:
            return
        session, suggested = self.session, self.suggested
        group = row.suggestion.group

        def go_to() -> None:
            suggested.go_to(group)
            session.article.setFocus()

        session.open_document(row.suggestion.document_id, then=go_to)

    def _push(self, text: str, action: Any) -> None:
        session = self.session
        session.undo_stack.push(WorkspaceChange(session.workspace, session.hub, text, action))
        self.reload()

    def accept_current(self) -> None:
        """Accept the suggestion under the cursor."""
        row = self.current_row()
        if row is not None:
            chosen, workspace = row.suggestion, self.session.workspace
            self._push(f"Accept suggested {chosen.label}", lambda: accept(workspace, [chosen]))

    def reject_current(self) -> None:
        """Reject the suggestion under the cursor."""
        row = self.current_row()
        if row is not None:
            chosen, workspace = row.suggestion, self.session.workspace
            self._push(f"Reject suggested {chosen.label}", lambda: reject(workspace, chosen))


def install_suggestion_list(
    session: Session, suggested: ArticleSuggestions, tabs: QTabWidget
) -> SuggestionsPanel:
    """Add the "Suggestions" tab to the review dock's ``tabs``; it reads the pending
    suggestions whenever it comes into view."""
    panel = SuggestionsPanel(session, suggested, tabs)
    number = tabs.addTab(panel, TITLE)

    def counted(count: int) -> None:
        tabs.setTabText(number, f"{TITLE} ({count})" if count else TITLE)

    def shown(index: int) -> None:
        if index == number:
            panel.reload()
            panel.table.setFocus()

    panel.counted.connect(counted)
    tabs.currentChanged.connect(shown)
    return panel
