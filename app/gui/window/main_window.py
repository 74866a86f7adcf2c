"""The main window: documents | article | labels and spans, with the keyboard map wired up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.annotations import Document
from app.gui.actions import Actions
from app.gui.annotating.annotation_panel import AnnotationPanel
from app.gui.annotating.article_header import ArticleHeader
from app.gui.annotating.article_view import ArticleView
from app.gui.annotating.document_list import DocumentList
from app.gui.annotating.document_steps import DocumentSteps
from app.gui.annotating.entity_linking import EntityLinking
from app.gui.annotating.find_actions import FindActions
from app.gui.annotating.find_bar import FindBar
from app.gui.annotating.first_run_hint import FirstRunHint
from app.gui.annotating.focus_return import FocusReturn
from app.gui.annotating.layers import Layers
from app.gui.annotating.linking import Linker
from app.gui.annotating.relation_marks import relation_colours
from app.gui.annotating.span_editing import SpanEditing
from app.gui.annotating.suggestions import ArticleSuggestions
from app.gui.annotating.text_editing import install_text_editing
from app.gui.commands import (
    AddSpan,
    EditSchema,
    RelabelSpan,
    UpdateMeta,
)
from app.gui.figures.agreement_view import install_agreement
from app.gui.figures.dashboard import install_dashboard
from app.gui.figures.model_training import install_model_training
from app.gui.hub import ChangeHub
from app.gui.keymap import LINK_KEYS
from app.gui.models.documents import DocumentListModel
from app.gui.models.open_document import LayerView, OpenDocument
from app.gui.models.relations import RelationListModel
from app.gui.models.spans import SpanListModel
from app.gui.reviewing.adjudication_view import install_adjudication
from app.gui.reviewing.review_view import install_review
from app.gui.reviewing.suggestion_settings import install_suggestion_settings
from app.gui.schema.schema_dialog import SchemaDialog
from app.gui.session import Session
from app.gui.team.activity import ActivityClock
from app.gui.team.annotators import AnnotatorSwitch
from app.gui.team.database_dialog import install_database_dialog
from app.gui.team.live_updates import install_live_updates
from app.gui.team.merge_dialog import install_merge
from app.gui.team.progress_dialog import show_progress
from app.gui.transfer.transfer import dropped_paths, run_import
from app.gui.widgets.plain_text import plain, plain_box
from app.gui.window.remembered import app_settings, restore_layout, save_layout
from app.gui.window.view_menu import install_view_menu
from app.gui.window.window_menus import bind_files_and_help, build_menus, fill_label_menu
from app.services import ChangeSet, Workspace

SAVED_FLASH_MS = 1500
# a light flash keeps dark letters, whatever the theme
_SAVED_STYLE = "QLabel { background: #c8f0c8; color: #1a1a1a; border-radius: 3px; padding: 0 4px; }"
_IDLE_STYLE = "QLabel { padding: 0 4px; }"


class MainWindow(DocumentSteps, FindActions, QMainWindow):
    """One annotator's session on one workspace."""

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings if settings is not None else app_settings()
        self.hub = ChangeHub(self)
        self.undo_stack = QUndoStack(self)
        self.colours = {label.name: label.colour for label in workspace.schema.labels}
        self.relation_colours = relation_colours(r.name for r in workspace.schema.relations)
        self.current_document = OpenDocument(workspace, LayerView.mine(workspace.annotator), self)
        self._then: Callable[[], object] | None = None  # what to do once it is shown

        self.documents = DocumentListModel(workspace.documents(), owner=workspace.annotator)
        self.spans = SpanListModel()
        self.relations = RelationListModel()
        self.document_list = DocumentList(self.documents, self)
        self.article = ArticleView(self)
        self.article.set_relation_colours(self.relation_colours)
        self.panel = AnnotationPanel(
            workspace.schema, self.spans, self.relations, self.relation_colours, self
        )

        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.document_list)
        splitter.addWidget(self._build_centre())
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([340, 640, 380])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self._build_status_bar()
        self.session = session = self._build_session()
        self.linker = Linker(self.article, workspace, self.hub, self.undo_stack, self.statusBar())
        self.editing = SpanEditing(session, self.panel.relation_list, self.relations)
        self.entity_links = EntityLinking(session, self.panel, self.spans)
        # Tab, Enter, Del on suggestions
        self.suggested = ArticleSuggestions(session, lambda: self.layers.refuse_edit())
        self.find_bar.entity_name = self.panel.entity_name  # the names the window keeps
        self._bind_actions()
        bind_files_and_help(session)
        install_view_menu(session)  # zoom and theme
        build_menus(self.menuBar(), session.actions)
        fill_label_menu(session.actions, workspace.schema, self.annotate)
        install_agreement(session)
        install_dashboard(session)
        install_suggestion_settings(session, self.suggested)
        self.text_editing = install_text_editing(session)
        install_model_training(session)
        self.setAcceptDrops(True)

        self.hub.changed.connect(self._on_changed)
        self.hub.failed.connect(self._on_failed)
        self._observe_open_document()
        self.document_list.document_activated.connect(self.open_document)
        self.article.span_selected.connect(self._on_span_selected)
        self.article.span_move_requested.connect(self.editing.move_span)
        self.panel.span_activated.connect(self._show_span)
        self.panel.label_chosen.connect(self.annotate)
        self.panel.attribute_edited.connect(self.editing.set_attribute)
        self.panel.attribute_chosen.connect(self.article.setFocus)
        self.focus_return = FocusReturn(self, self.menuBar(), self.article, self.find_bar)
        self.find_bar.tag_all_requested.connect(self.tag_all)
        self.header.edited.connect(self.edit_details)
        # View > Layers… (F6): whose spans the article shows
        self.layers = Layers(session, self.panel.details)
        install_adjudication(session, self.layers, self.document_list.document_activated)
        install_review(session, self.layers, self.suggested)
        self.activity = ActivityClock(session, self.documents)  # active time on the open document
        # File > Switch annotator…
        self.annotator_switch = AnnotatorSwitch(session, self.another_window)
        session.actions.bind("progress_view", lambda: show_progress(session, self.activity))

        install_merge(session)
        install_database_dialog(session, self.another_window)
        self.live_updates = install_live_updates(self)

        if not restore_layout(self.settings, self, splitter):
            self._fit_to_screen()
        self.resume(wait=True)  # not shown yet: nothing to keep responsive

    # -- building --------------------------------------------------------------------

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry()
        self.resize(min(1360, screen.width()), min(860, screen.height()))

    def _build_centre(self) -> QWidget:
        """The article under its header and the find bar."""
        centre = QWidget(self)
        self.header = ArticleHeader(centre)
        self.find_bar = FindBar(self.article, self.workspace.schema, centre)
        self.first_run = FirstRunHint(self.workspace.schema, centre)
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.first_run)
        layout.addWidget(self.article, 1)
        return centre

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.annotator_label = plain(QLabel(f"Annotator: {self.workspace.annotator}", self))
        self.annotator_label.setToolTip("File > Switch annotator… (Ctrl+Shift+U)")
        self.progress_label = QLabel(self)
        self.database_label = plain(QLabel(self.workspace.database.display_name, self))
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

    def _build_session(self) -> Session:
        """What the features are handed instead of the window."""
        actions = Actions(
            self,
            self.undo_stack,
            lambda: self.workspace.schema,
            lambda: self.document is not None,
            self.statusBar().showMessage,
        )
        return Session(
            workspace=self.workspace,
            hub=self.hub,
            undo_stack=self.undo_stack,
            settings=self.settings,
            actions=actions,
            parent=self,
            status_bar=self.statusBar(),
            article=self.article,
            current_document=self.current_document,
            open_document=self.open_document,
            reload_document=self.reload_document,
            resume=self.resume,
            colours=lambda: self.colours,
        )

    def _bind_actions(self) -> None:
        """What the window's own actions do (the table of ``app.gui.actions`` places them)."""
        bind = self.session.actions.bind
        bind("quit", self.close)
        bind("delete_span", self.delete_selected)
        bind("filter_documents", self.focus_filter)
        bind("find", self.open_find)
        bind("find_next", self.find_next)
        bind("find_previous", self.find_previous)
        bind("tag_all", self.find_bar.tag_all)
        for name, relations in LINK_KEYS.items():
            bind(name, self.link_with(relations))
        bind("link_any", self.link_with(None))
        bind("cycle_attribute", self.editing.cycle_attribute)
        bind("add_fragment", self.editing.add_fragment)
        bind("focus_relations", self.focus_relations)
        bind("link_entity", self.entity_links.link_selected)
        bind("edit_schema", self.edit_schema)
        bind("done_and_next", self.mark_done_and_next)
        bind("previous_document", self.previous_document)
        bind("next_document", self.next_document)
        bind("edit_details", self.header.start_editing)
        bind("entities_view", self.entity_links.toggle_view)

    def another_window(self, workspace: Workspace) -> Session:
        """A window like this one on ``workspace`` (another annotator, another database)."""
        return MainWindow(workspace, settings=self.settings).session

    def edit_schema(self) -> None:
        """Open the schema editor; OK pushes one undoable step."""
        dialog = SchemaDialog(self.workspace, self.hub, self.push_schema_edit, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def push_schema_edit(self, command: EditSchema) -> None:
        """Do a schema edit (made by the schema dialog) as an undoable step."""
        self.undo_stack.push(command)

    def _show_schema_changes(self) -> None:
        schema = self.workspace.schema
        self.colours = {label.name: label.colour for label in schema.labels}
        self.relation_colours = relation_colours(r.name for r in schema.relations)
        self.article.set_relation_colours(self.relation_colours)
        self.panel.relation_colours = self.relation_colours
        self.panel.set_schema(schema)
        self.find_bar.set_schema(schema)
        self.first_run.set_schema(schema)
        self.session.actions.rekey()  # a label's hotkey wins over a key of the map
        fill_label_menu(self.session.actions, schema, self.annotate)
        self.documents.reset(self.workspace.documents())
        self.reload_document(again=True)  # in the new colours, and renamed labels

    # -- documents -------------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        """The open document (``current_document`` holds it, its spans and relations)."""
        return self.current_document.document

    @property
    def document_id(self) -> int | None:
        """The open document's id."""
        return self.current_document.document_id

    def resume(self, *, wait: bool = False) -> None:
        """Open where this annotator stopped, else the first unfinished document."""
        point = self.workspace.resume_point()
        document_id = point.get("document")
        if isinstance(document_id, int) and self.documents.row_of(document_id) is not None:
            self.open_document(document_id, int(point.get("position", 0) or 0), wait=wait)
            return
        first = self.workspace.next_unfinished()
        summaries = self.documents.summaries()
        if first is None and summaries:
            first = summaries[0].id
        if first is not None:
            self.open_document(first, wait=wait)
        else:
            self.setWindowTitle("Glossa")
            self.statusBar().showMessage(
                "No documents yet: import some with File > Import (Ctrl+O) or drop files here."
            )

    def open_document(
        self,
        document_id: int,
        scroll: int = 0,
        *,
        wait: bool = False,
        then: Callable[[], object] | None = None,
    ) -> None:
        """Show a document and its spans, scrolled to code point ``scroll``; then ``then()``.

        The document is read on a worker thread and shown when read, the window responsive
        meanwhile; a later request supersedes this one (its ``then`` is dropped with it).
        ``wait`` reads it before returning: for the start-up, before the window shows, and
        for scripts and tests that look at the article next.
        """
        current = self.current_document
        if document_id == current.pending:  # on its way already
            self._then = then
            return
        if document_id == self.document_id:
            current.cancel()  # a request for another one is superseded by this one
            self._then = None
            if then is not None:
                then()
            return
        self.linker.cancel(quietly=True)
        self._then = then
        current.open(document_id, scroll, wait=wait)

    def reload_document(
        self, *, wait: bool = False, again: bool = False, then: Callable[[], object] | None = None
    ) -> None:
        """Read the open document again (others' changes, another choice of layers) and show
        it where it was, the selected span still selected; ``again`` shows it even when
        nothing read differs (new colours); ``then()`` once it is shown."""
        if then is not None:
            self._then, again = then, True
        self.current_document.reload(wait=wait, again=again)

    def _observe_open_document(self) -> None:
        current = self.current_document
        current.opened.connect(self._show_opened)
        current.changed.connect(self.article.apply)
        current.changed.connect(self._show_span_changes)
        current.own_changed.connect(self.spans.apply)  # the lists show my layer only
        current.own_changed.connect(self.relations.apply)
        current.meta_changed.connect(self._show_meta_changes)
        current.failed.connect(self._not_opened)

    def _show_opened(self, scroll: int | None) -> None:
        document, layers = self.current_document.document, self.current_document.layers
        assert document is not None
        again = scroll is None  # the same document read again: keep the place and selection
        selected = self.article.selected_span() if again else None
        position = self.article.scroll_position() if scroll is None else scroll
        if self.activity.document_id != document.id:
            self.activity.switch_to(document.id)
        self.article.show_document(document.text, layers.spans, self.colours, layers.relations)
        self.spans.show_document(document.id, document.text, layers.own_spans, self.colours)
        self.relations.show_document(
            document.id,
            document.text,
            layers.own_spans,
            layers.own_relations,
            self.relation_colours,
        )
        self.document_list.show_current(document.id)
        self.article.set_scroll_position(position)
        self.setWindowTitle(f"Glossa — {document.title}")
        self.header.show_document(document)
        self.suggested.show_document(document)
        if selected is not None and self.article.span(selected.id) is not None:
            self.article.select_span(selected.id)
            self.article.set_scroll_position(position)
        elif not again:
            self.article.setFocus()
        self.current_document.remember(position)
        # someone who has tagged nothing yet is told how, above the first article they see
        self.first_run.offer(any(s.own_span_count for s in self.documents.summaries()))
        then, self._then = self._then, None
        if then is not None:
            then()

    def _not_opened(self, message: str, again: bool) -> None:
        self._then = None
        if again:  # a quiet reload: the article stays as it was, the next look tries again
            self.statusBar().showMessage(message, 8000)
        else:
            self.hub.failed.emit(message)

    # -- spans -----------------------------------------------------------------------

    def annotate(self, label: str) -> None:
        """Tag the selection with ``label``, or relabel the selected span."""
        if self.document is None or self.layers.refuse_edit():
            return
        self.linker.cancel(quietly=True)
        self.panel.follow_label(label)
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
            self.undo_stack.push(relabel := RelabelSpan(self.workspace, self.hub, span, label))
            if relabel.note:  # what the new label does not allow went with the old one
                self.statusBar().showMessage(relabel.note, 10000)

    def delete_selected(self) -> None:
        """Delete the current relation when the relation list has the focus, else the span."""
        self.linker.cancel(quietly=True)
        if self.panel.relation_list.hasFocus():
            self.editing.delete_current_relation()
        else:
            self.editing.delete_selected_span()

    def link_with(self, relations: tuple[str, ...] | None) -> Callable[[], None]:
        def start() -> None:
            self.linker.start(relations)

        return start

    def _show_span(self, span_id: int) -> None:
        self.article.select_span(span_id)
        self.article.setFocus()

    def _on_span_selected(self, span_id: int | None) -> None:
        span = self.article.selected_span() if span_id is not None else None
        self.panel.show_span(span, self.article.text)
        if span is not None and not self.article.picking:  # its label, not by colour alone
            self.statusBar().showMessage(self.article.describe_plainly(span), 6000)

    # -- change notifications --------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.schema:
            self.workspace.refresh_schema()  # an import may have added labels to it
            self._show_schema_changes()
            self._update_progress()
            self._flash_saved()
            return
        if changes.documents or changes.meta:
            self.documents.reset(self.workspace.documents())
            if self.document_id is not None:
                self.document_list.show_current(self.document_id)
        else:
            self.documents.apply(changes)
        if any(span.annotator == self.workspace.annotator for span in changes.added):
            self.first_run.dismiss()  # they found out how: the hint stays away from now on
        self.current_document.apply(changes)
        if changes.document_id not in (None, self.document_id) and changes.annotations_changed:
            # undo or redo reached back into another document: show it where it changed
            self.open_document(changes.document_id)
        self._update_progress()
        self._flash_saved()

    def _show_span_changes(self, changes: ChangeSet) -> None:
        selected = self.article.selected_span()
        touched = {s.id for s in changes.changed} | {
            end
            for relation in (*changes.relations_added, *changes.relations_removed)
            for end in (relation.head, relation.tail)
        }
        if selected is not None and selected.id in touched:
            self.panel.show_span(selected, self.article.text)

    def _show_meta_changes(self) -> None:
        if self.document is not None:
            self.header.show_document(self.document)
            self.setWindowTitle(f"Glossa — {self.document.title}")

    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        box = plain_box(QMessageBox(QMessageBox.Icon.Warning, "Glossa", message, parent=self))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _update_progress(self) -> None:
        done, total = self.documents.progress()
        self.progress_label.setText(f"{done} of {total} done")

    def _flash_saved(self) -> None:
        self.saved_label.setText(f"Saved {datetime.now():%H:%M:%S}")
        self.saved_label.setStyleSheet(_SAVED_STYLE)
        self._saved_timer.start()

    # -- document details ----------------------------------------------------------

    def edit_details(self, changes: dict[str, object]) -> None:
        """Change the open document's title or other details, as one undoable step."""
        if self.document is None or not changes:
            return
        self.undo_stack.push(UpdateMeta(self.workspace, self.hub, self.document.id, dict(changes)))

    def focus_relations(self) -> None:
        relation_list = self.panel.relation_list
        relation_list.setFocus()
        if not relation_list.currentIndex().isValid() and self.relations.rowCount() > 0:
            relation_list.setCurrentIndex(self.relations.index(0))

    def focus_filter(self) -> None:
        self.document_list.filter.setFocus()
        self.document_list.filter.selectAll()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = dropped_paths(event.mimeData())
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        run_import(self.session, paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.activity.stop()
        save_layout(self.settings, self, self.splitter)
        # after the places asked before, not overtaken by them
        self.current_document.remember(self.article.scroll_position(), wait=True)
        super().closeEvent(event)
