"""Review mode: every annotation of the project in one table, at the bottom of the window.

Filter, sort by any column, and work from the keyboard: Enter opens the article at the span,
A accepts, R rejects, U puts back to unreviewed, a label's hotkey relabels, and the article's
Ctrl+arrow keys fix the boundaries. Each is one step on the window's undo stack.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import GlossaError
from app.core.review import (
    Column,
    Review,
    ReviewQuery,
    ReviewRow,
    claims_not_reviewed,
    quotes_attributed_to,
)
from app.gui.annotating.layers import LayerChoice, Mode
from app.gui.commands import MoveSpan, RelabelSpan
from app.gui.keymap import BOUNDARY_KEYS
from app.gui.models.open_document import READERS
from app.gui.models.review import COLUMNS, ReviewTableModel
from app.gui.reviewing.review_commands import SetReview
from app.gui.reviewing.review_filters import ReviewFilters
from app.gui.session import Session
from app.gui.widgets.background import Background, database_problem
from app.gui.widgets.own_keys import claimed, ran
from app.services import ChangeSet, documents
from app.services.boundaries import Edge, nudged
from app.services.review import ReviewActions

if TYPE_CHECKING:
    from app.gui.annotating.layers import Layers
    from app.gui.annotating.suggestions import ArticleSuggestions

_KEYPAD = Qt.KeyboardModifier.KeypadModifier
QUEUE_TITLE = "Needs re-anchoring"
"""The tab of the spans revisions could not place."""
REVIEW_KEYS = {"accept": "A", "reject": "R", "unreview": "U"}
"""The table's own keys; a label whose hotkey is one of these cannot be given from it."""


def combined_key(keys: str) -> int:
    """The key combination ``keys`` ("A", "Ctrl+Left") names, as key events carry it."""
    return QKeySequence(keys)[0].toCombined()  # type: ignore[index, no-any-return]


class ReviewTable(QTableView):
    """The table; keys of ``key_actions`` are handled here, before any window shortcut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key_actions: dict[int, Callable[[], None]] = {}
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def _action_for(self, event: QKeyEvent) -> Callable[[], None] | None:
        combined = event.keyCombination().toCombined() & ~_KEYPAD.value
        return self.key_actions.get(combined)

    def event(self, event: QEvent) -> bool:
        # the window's shortcuts (A cycles an attribute, digits tag) would take these keys
        return claimed(event, self._action_for) or super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not ran(event, self._action_for):
            super().keyPressEvent(event)


class ReviewPanel(QWidget):
    """Filter bar, quick filters and the lazy table of the project's spans."""

    def __init__(self, session: Session, layers: Layers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.layers = layers
        """Whose layers the article shows: another annotator's span is opened overlaid."""
        self.reviewing = ReviewActions(session.workspace)
        self.model = ReviewTableModel(self.reviewing, session.colours)
        schema = session.workspace.schema
        self.filters = ReviewFilters([label.name for label in schema.labels], self)
        self.count_label = QLabel(self)
        presets = QToolButton(self)
        presets.setText("Quick filters")
        presets.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.presets_menu = QMenu(presets)
        self.presets_menu.addAction("Claims not yet reviewed", self.show_unreviewed_claims)
        self.presets_menu.addAction("Quotes attributed to…", self.ask_quotes_attributed)
        self.presets_menu.addAction("Everything", lambda: self.show_query(ReviewQuery()))
        presets.setMenu(self.presets_menu)

        self.table = ReviewTable(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((Column.DOCUMENT, 180), (Column.TEXT, 420), (Column.REVIEW, 60)):
            self.table.setColumnWidth(COLUMNS.index(column), width)

        bar = QHBoxLayout()
        bar.addWidget(self.filters, 1)
        bar.addWidget(presets)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)

        self._keep_row = 0
        self.model.modelReset.connect(self._after_reset)
        self.model.failed.connect(self._not_read)
        self._annotators = Background(self, workers=READERS)
        self._annotators.finished.connect(self.filters.set_annotators)
        self._annotators.failed.connect(self._annotators_not_read)
        self._bind_keys()
        self.filters.changed.connect(self._filters_changed)
        self.table.activated.connect(lambda _index: self.open_current())
        session.hub.changed.connect(self._on_changed)
        session.hub.reloaded.connect(self._on_reloaded)

    # -- keys ----------------------------------------------------------------------

    def _bind_keys(self) -> None:
        keys: dict[int, Callable[[], None]] = {}
        for label in self.session.workspace.schema.labels:
            keys[combined_key(label.hotkey)] = partial(self.relabel, label.name)
        for keys_text, (edge_name, step, by_word) in BOUNDARY_KEYS.items():
            edge: Edge = "start" if edge_name == "start" else "end"
            keys[combined_key(keys_text)] = partial(self.nudge, edge, step, by_word)
        keys[combined_key(REVIEW_KEYS["accept"])] = partial(self.review, Review.ACCEPTED)
        keys[combined_key(REVIEW_KEYS["reject"])] = partial(self.review, Review.REJECTED)
        keys[combined_key(REVIEW_KEYS["unreview"])] = partial(self.review, Review.UNREVIEWED)
        keys[Qt.Key.Key_Return.value] = self.open_current
        keys[Qt.Key.Key_Enter.value] = self.open_current
        self.table.key_actions = keys

    # -- the query -----------------------------------------------------------------

    def reload(self) -> None:
        """Read the annotators and the table again (others may have worked meanwhile), both
        on worker threads."""
        self._annotators.run(self.reviewing.annotators)
        current = self.table.currentIndex()
        self._keep_row = current.row() if current.isValid() else 0
        self.model.reload()

    def _on_reloaded(self) -> None:
        if self.isVisible():
            self.reload()

    def show_query(self, query: ReviewQuery) -> None:
        """Show a preset's filters in the bar and list what it asks for."""
        self.filters.show_query(query)

    def show_unreviewed_claims(self) -> None:
        """Quick filter: every claim not yet reviewed."""
        self.show_query(
            claims_not_reviewed(self.session.workspace.schema.labels_with_role("claim"))
        )
        self.table.setFocus()

    def ask_quotes_attributed(self) -> None:
        """Quick filter: every quote attributed to someone, asked for by name."""
        name, ok = QInputDialog.getText(
            self, "Quotes attributed to", "Speaker (span text or entity name):"
        )
        if ok and name.strip():
            self.show_quotes_attributed(name)

    def show_quotes_attributed(self, name: str) -> None:
        """Quick filter: every quote whose speaker's text or entity contains ``name``."""
        quotes = self.session.workspace.schema.labels_with_role("quote")
        self.show_query(quotes_attributed_to(name, quotes))
        self.table.setFocus()

    def _filters_changed(self) -> None:
        self.model.set_query(self.filters.query(self.model.query))

    def _after_reset(self) -> None:
        """New filters, order or a reload: show the count and put the cursor on a row."""
        count = self.model.rowCount()
        if self.model.loading and not count:
            self.count_label.setText("Loading…")
            return  # the cursor goes to the kept row once the rows are in
        self.count_label.setText(f"{count:,} span{'s' if count != 1 else ''}")
        self.count_label.setToolTip("")
        if count:
            self.table.setCurrentIndex(self.model.index(min(self._keep_row, count - 1), 0))
        self._keep_row = 0

    def _not_read(self, message: str) -> None:
        """A read failed: say so; the table keeps what it shows and answers as before."""
        if not self.model.rowCount():
            self.count_label.setText("Not read")
        self.count_label.setToolTip(message)
        self.session.say(message, 10000)

    def _annotators_not_read(self, error: Exception) -> None:
        self.session.say(f"Cannot read the annotators: {database_problem(error)}", 10000)

    # -- actions -------------------------------------------------------------------

    def current_row(self) -> ReviewRow | None:
        """The review row under the cursor, if any."""
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _chosen_rows(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        current = self.table.currentIndex()
        if not rows and current.isValid():
            rows = [current.row()]
        return rows

    def review(self, state: Review) -> None:
        """Accept, reject or unreview the chosen rows, then go to the row after them."""
        rows = self._chosen_rows()
        found = [self.model.row_at(row) for row in rows]
        span_ids = [row.span_id for row in found if row is not None]
        if not span_ids:
            return
        session = self.session
        session.undo_stack.push(SetReview(session.workspace, session.hub, span_ids, state))
        following = min(rows[-1] + 1, self.model.rowCount() - 1)
        self.table.setCurrentIndex(self.model.index(following, 0))
        self.table.setFocus()

    def relabel(self, label: str) -> None:
        """Give the current row's span another label."""
        row = self.current_row()
        if row is None or row.label == label:
            return
        session = self.session
        try:
            span = self.reviewing.span(row.span_id)
        except GlossaError as exc:
            session.hub.failed.emit(f"Relabel: {exc}")
            return
        session.undo_stack.push(command := RelabelSpan(session.workspace, session.hub, span, label))
        if command.note:  # relations or an entity link the new label does not allow went
            session.say(command.note, 10000)
        self.table.setFocus()

    def nudge(self, edge: Edge, step: int, by_word: bool) -> None:
        """Move an edge of the current row's span by a word (or a character)."""
        row = self.current_row()
        if row is None:
            return
        session = self.session
        try:
            span = self.reviewing.span(row.span_id)
            text = documents.document(session.workspace, span.document_id).text
        except GlossaError as exc:
            session.hub.failed.emit(f"Resize: {exc}")
            return
        start, end = nudged(text, span.start, span.end, edge, step, by_word=by_word)
        if (start, end) != (span.start, span.end):
            session.undo_stack.push(MoveSpan(session.workspace, session.hub, span, start, end))
        self.table.setFocus()

    def open_current(self) -> None:
        """Open the article at the current row's span."""
        row = self.current_row()
        if row is None:
            return
        session = self.session
        layers = self.layers
        shown = layers.choice
        if row.annotator != layers.me and not (
            shown.mode is Mode.OVERLAID
            or (shown.mode is Mode.OTHER and shown.other == row.annotator)
        ):  # another annotator's span: show every layer, so that it can be seen and selected
            layers.show_layers(LayerChoice(Mode.OVERLAID))
        article = session.article

        def select() -> None:
            article.select_span(row.span_id)
            article.setFocus()

        session.open_document(row.document_id, then=select)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.schema:
            schema = self.session.workspace.schema
            self.model.set_colours(self.session.colours)
            self.filters.set_labels(label.name for label in schema.labels)
            self._bind_keys()
        self.model.apply(changes)


def install_review(session: Session, layers: Layers, suggested: ArticleSuggestions) -> None:
    """Add the review table: a panel at the bottom of the window, shown by Ctrl+Shift+R, with
    the "Needs re-anchoring" queue in a second tab, the pending suggestions in a third, and its
    quick filters in the Review menu."""
    # loaded here: the queue's table is this module's ReviewTable
    from app.gui.reviewing.reanchoring_queue import QueuePanel
    from app.gui.reviewing.suggestion_list import install_suggestion_list

    dock = QDockWidget("Review", session.parent)
    dock.setObjectName("review_dock")
    tabs = QTabWidget(dock)
    tabs.setObjectName("review_tabs")
    panel = ReviewPanel(session, layers, tabs)
    queue = QueuePanel(session, tabs)
    tabs.addTab(panel, "Spans")
    tabs.addTab(queue, QUEUE_TITLE)
    dock.setWidget(tabs)
    session.dock(dock, Qt.DockWidgetArea.BottomDockWidgetArea)
    dock.hide()

    # shown by a key, or by the window putting back last run's panels: read the table afresh
    def reload(visible: bool) -> None:
        if visible:
            panel.reload()
            queue.reload()

    dock.visibilityChanged.connect(reload)

    def counted(count: int) -> None:
        tabs.setTabText(1, f"{QUEUE_TITLE} ({count})" if count else QUEUE_TITLE)

    queue.counted.connect(counted)
    install_suggestion_list(session, suggested, tabs)  # the pending suggestions, a third tab

    def show() -> None:
        if dock.isHidden():
            dock.show()
        tabs.setCurrentWidget(panel)
        panel.table.setFocus()

    def toggle() -> None:
        if dock.isHidden() or not panel.table.hasFocus():
            show()
        else:
            dock.hide()
            session.article.setFocus()

    def show_queue() -> None:
        if dock.isHidden():
            dock.show()
            panel.reload()
        queue.reload()
        tabs.setCurrentWidget(queue)
        queue.table.setFocus()

    def preset(choose: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            show()
            choose()

        return run

    session.actions.bind("review_table", toggle)
    session.actions.bind("review_claims", preset(panel.show_unreviewed_claims))
    session.actions.bind("review_quotes", preset(panel.ask_quotes_attributed))
    session.actions.bind("reanchoring_queue", show_queue)
    panel.presets_menu.addAction(QUEUE_TITLE, show_queue)


__all__ = ["ReviewPanel", "ReviewTable", "install_review"]
