"""The main window: documents | article | labels and spans, with the keyboard map wired up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QWidget

from app.core.annotations import Document, Status
from app.gui.commands import AddSpan, DeleteSpan, RelabelSpan, SetStatus
from app.gui.hub import ChangeHub
from app.gui.keymap import DESCRIPTIONS, SHORTCUTS
from app.gui.models.documents import DocumentListModel
from app.gui.models.spans import SpanListModel
from app.gui.views.annotation_panel import AnnotationPanel
from app.gui.views.article_view import ArticleView
from app.gui.views.document_list import DocumentList
from app.gui.views.shortcuts_dialog import ShortcutsDialog
from app.services import ChangeSet, Workspace

SAVED_FLASH_MS = 1500
_SAVED_STYLE = "QLabel { background: #c8f0c8; border-radius: 3px; padding: 0 4px; }"
_IDLE_STYLE = "QLabel { padding: 0 4px; }"


class MainWindow(QMainWindow):
    """One annotator's session on one workspace."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.hub = ChangeHub(self)
        self.undo_stack = QUndoStack(self)
        self.colours = {label.name: label.colour for label in workspace.schema.labels}
        self.document: Document | None = None

        self.documents = DocumentListModel(workspace.documents())
        self.spans = SpanListModel()
        self.document_list = DocumentList(self.documents, self)
        self.article = ArticleView(self)
        self.panel = AnnotationPanel(workspace.schema, self.spans, self)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.document_list)
        splitter.addWidget(self.article)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([280, 700, 380])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self._build_status_bar()
        self.actions_by_name: dict[str, QAction] = {}
        self._build_menus()

        self.hub.changed.connect(self._on_changed)
        self.hub.failed.connect(self._on_failed)
        self.document_list.document_activated.connect(self.open_document)
        self.article.span_selected.connect(self._on_span_selected)
        self.panel.span_activated.connect(self.article.select_span)
        self.panel.label_chosen.connect(self.annotate)

        self._fit_to_screen()
        self.resume()

    # -- building --------------------------------------------------------------------

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry()
        self.resize(min(1360, screen.width()), min(860, screen.height()))

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.annotator_label = QLabel(f"Annotator: {self.workspace.annotator}", self)
        self.progress_label = QLabel(self)
        self.database_label = QLabel(self.workspace.database.display_name, self)
        self.database_label.setToolTip("Database")
        self.saved_label = QLabel("Saved", self)
        self.saved_label.setStyleSheet(_IDLE_STYLE)
        for label in (
            self.annotator_label,
            self.progress_label,
            self.database_label,
            self.saved_label,
        ):
            bar.addPermanentWidget(label)
        self._saved_timer = QTimer(self)
        self._saved_timer.setSingleShot(True)
        self._saved_timer.setInterval(SAVED_FLASH_MS)
        self._saved_timer.timeout.connect(lambda: self.saved_label.setStyleSheet(_IDLE_STYLE))
        self._update_progress()

    def _action(self, name: str, slot: Callable[[], object], text: str = "") -> QAction:
        action = QAction(text or DESCRIPTIONS[name], self)
        action.setShortcuts([QKeySequence(keys) for keys in SHORTCUTS.get(name, ())])
        action.triggered.connect(slot)
        self.actions_by_name[name] = action
        return action

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self._action("quit", self.close, "&Quit"))

        edit = menus.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence(keys) for keys in SHORTCUTS["undo"]])
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence(keys) for keys in SHORTCUTS["redo"]])
        self.actions_by_name.update(undo=undo, redo=redo)
        edit.addActions([undo, redo])
        edit.addSeparator()
        edit.addAction(self._action("delete_span", self.delete_selected_span, "&Delete span"))
        edit.addAction(self._action("filter_documents", self._focus_filter, "&Filter documents"))

        labels = menus.addMenu("&Label")
        for label in self.workspace.schema.labels:
            action = QAction(f"{label.name}", self)
            action.setShortcut(QKeySequence(label.hotkey))
            action.triggered.connect(lambda _=False, name=label.name: self.annotate(name))
            self.actions_by_name[f"label:{label.name}"] = action
            labels.addAction(action)

        document = menus.addMenu("&Document")
        document.addAction(
            self._action("done_and_next", self.mark_done_and_next, "Mark &done && next")
        )
        document.addAction(
            self._action("previous_document", self.previous_document, "&Previous document")
        )
        document.addAction(self._action("next_document", self.next_document, "&Next document"))

        help_menu = menus.addMenu("&Help")
        help_menu.addAction(
            self._action("keyboard_map", self.show_keyboard_map, "&Keyboard shortcuts")
        )

    # -- documents -------------------------------------------------------------------

    @property
    def document_id(self) -> int | None:
        """The open document's id."""
        return None if self.document is None else self.document.id

    def resume(self) -> None:
        """Open where this annotator stopped, else the first unfinished document."""
        point = self.workspace.resume_point()
        document_id = point.get("document")
        if isinstance(document_id, int) and self.documents.row_of(document_id) is not None:
            self.open_document(document_id, int(point.get("position", 0) or 0))
            return
        first = self.workspace.next_unfinished()
        summaries = self.documents.summaries()
        if first is None and summaries:
            first = summaries[0].id
        if first is not None:
            self.open_document(first)
        else:
            self.setWindowTitle("Glossa")
            self.statusBar().showMessage("No documents yet: import some with `glossa import`.")

    def open_document(self, document_id: int, scroll: int = 0) -> None:
        """Show a document and its spans, scrolled to code point ``scroll``."""
        if document_id == self.document_id:
            return
        self.document = self.workspace.document(document_id)
        spans = self.workspace.spans(document_id)
        self.article.show_document(self.document.text, spans, self.colours)
        self.spans.show_document(document_id, self.document.text, spans, self.colours)
        self.document_list.show_current(document_id)
        self.article.set_scroll_position(scroll)
        self.setWindowTitle(f"Glossa — {self.document.title}")
        self.article.setFocus()
        self.workspace.remember(document_id, scroll)

    def _step(self, delta: int) -> int | None:
        ids = [summary.id for summary in self.documents.summaries()]
        if self.document_id not in ids:
            return ids[0] if ids else None
        at = ids.index(self.document_id) + delta
        return ids[at] if 0 <= at < len(ids) else None

    def next_document(self) -> None:
        """Open the next document in the list."""
        target = self._step(+1)
        if target is None:
            self.statusBar().showMessage("This is the last document.", 4000)
        else:
            self.open_document(target)

    def previous_document(self) -> None:
        """Open the previous document in the list."""
        target = self._step(-1)
        if target is None:
            self.statusBar().showMessage("This is the first document.", 4000)
        else:
            self.open_document(target)

    def mark_done_and_next(self) -> None:
        """Mark the open document done and open the next unfinished one."""
        if self.document is None:
            return
        summary = self.documents.summary(self.document.id)
        old = summary.status if summary is not None else Status.IN_PROGRESS
        if old is not Status.DONE:
            self.undo_stack.push(
                SetStatus(self.workspace, self.hub, self.document.id, old, Status.DONE)
            )
        following = self.workspace.next_unfinished(after=self.document.id)
        if following is None:
            self.statusBar().showMessage("Every document is done.", 6000)
        else:
            self.open_document(following)

    # -- spans -----------------------------------------------------------------------

    def annotate(self, label: str) -> None:
        """Tag the selection with ``label``, or relabel the selected span."""
        if self.document is None:
            return
        selected = self.article.selected_range()
        if selected is not None:
            command = AddSpan(self.workspace, self.hub, self.document.id, *selected, label)
            self.undo_stack.push(command)
            if command.span_id is not None:
                self.article.select_span(command.span_id)
            return
        span = self.article.selected_span()
        if span is None:
            self.statusBar().showMessage("Select some text first, then press a label key.", 4000)
        elif span.label != label:
            self.undo_stack.push(RelabelSpan(self.workspace, self.hub, span, label))

    def delete_selected_span(self) -> None:
        """Delete the selected span."""
        span = self.article.selected_span()
        if span is None:
            self.statusBar().showMessage("No span selected (Tab selects the next one).", 4000)
            return
        self.undo_stack.push(DeleteSpan(self.workspace, self.hub, span))

    def _on_span_selected(self, span_id: int | None) -> None:
        span = self.article.selected_span() if span_id is not None else None
        self.panel.show_span(span, self.article.text)

    # -- change notifications --------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.documents:
            self.documents.reset(self.workspace.documents())
        else:
            self.documents.apply(changes)
        if changes.document_id is not None and changes.document_id == self.document_id:
            self._show_span_changes(changes)
        elif changes.spans_changed and changes.document_id is not None:
            # undo or redo reached back into another document: show it where it changed
            self.open_document(changes.document_id)
        self._update_progress()
        self._flash_saved()

    def _show_span_changes(self, changes: ChangeSet) -> None:
        for span in changes.removed:
            self.article.remove_span(span.id)
        for span in changes.added:
            self.article.add_span(span)
        for span in changes.changed:
            self.article.update_span(span)
        self.spans.apply(changes)
        selected = self.article.selected_span()
        if selected is not None and any(s.id == selected.id for s in changes.changed):
            self.panel.show_span(selected, self.article.text)

    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        box = QMessageBox(QMessageBox.Icon.Warning, "Glossa", message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _update_progress(self) -> None:
        done, total = self.documents.progress()
        self.progress_label.setText(f"{done} of {total} done")

    def _flash_saved(self) -> None:
        self.saved_label.setText(f"Saved {datetime.now():%H:%M:%S}")
        self.saved_label.setStyleSheet(_SAVED_STYLE)
        self._saved_timer.start()

    # -- the rest --------------------------------------------------------------------

    def show_keyboard_map(self) -> None:
        """Show the keyboard map dialog."""
        dialog = ShortcutsDialog(self.workspace.schema, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _focus_filter(self) -> None:
        self.document_list.filter.setFocus()
        self.document_list.filter.selectAll()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.document is not None:
            self.workspace.remember(self.document.id, self.article.scroll_position())
        super().closeEvent(event)
