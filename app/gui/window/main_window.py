"""The main window: documents | article | labels and spans, with the keyboard map wired up."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
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
from app.gui.models.documents import DocumentListModel
from app.gui.models.open_document import LayerView, OpenDocument
from app.gui.models.relations import RelationListModel
from app.gui.models.spans import SpanListModel
from app.gui.reviewing.adjudicate import install_adjudication
from app.gui.reviewing.review_view import install_review
from app.gui.reviewing.suggestion_settings import install_suggestion_settings
from app.gui.schema.schema_dialog import SchemaDialog
from app.gui.session import Session
from app.gui.team.activity import ActivityClock
from app.gui.team.annotators import AnnotatorSwitch
from app.gui.team.database_dialog import install_database_dialog
from app.gui.team.live_updates import UserBusy, install_live_updates
from app.gui.team.merge_dialog import install_merge
from app.gui.team.progress_dialog import show_progress
from app.gui.transfer.transfer import dropped_paths, run_import
from app.gui.widgets.plain_text import plain_box
from app.gui.window.document_on_show import DocumentOnShow
from app.gui.window.remembered import app_settings, restore_layout, save_layout
from app.gui.window.status_line import StatusLine
from app.gui.window.view_menu import install_view_menu
from app.gui.window.window_actions import bind_window_actions
from app.gui.window.window_menus import bind_files_and_help, build_menus, fill_label_menu
from app.services import Workspace, documents


class MainWindow(QMainWindow):
    """One annotator's session on one workspace: builds the window's parts, the session
    and the features that work on it."""

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
        self.current_document = OpenDocument(workspace, LayerView.mine(workspace.annotator), self)

        self.documents = DocumentListModel(
            documents.documents(workspace), owner=workspace.annotator
        )
        self.spans = SpanListModel()
        self.relations = RelationListModel()
        self.document_list = DocumentList(self.documents, self)
        self.article = ArticleView(self)
        self.panel = AnnotationPanel(workspace.schema, self.spans, self.relations, {}, self)

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

        self.status_line = StatusLine(self.statusBar(), workspace, self.documents, self.hub)
        self.session = session = self._build_session()
        self.linker = Linker(self.article, workspace, self.hub, self.undo_stack, self.statusBar())
        self.editing = SpanEditing(session, self.panel.relation_list, self.relations)
        self.entity_links = EntityLinking(session, self.panel, self.spans)
        # Tab, Enter, Del on suggestions
        self.suggested = ArticleSuggestions(session, lambda: self.layers.refuse_edit())
        self.find_bar.entity_name = self.panel.entity_name  # the names the window keeps
        self.steps = DocumentSteps(session, self.documents)
        self.finding = FindActions(
            session, self.find_bar, self.panel, lambda: self.layers.refuse_edit()
        )
        self.activity = ActivityClock(session, self.documents)  # active time on the open document
        self.shown = DocumentOnShow(
            session,
            document_list=self.document_list,
            spans=self.spans,
            relations=self.relations,
            panel=self.panel,
            header=self.header,
            find_bar=self.find_bar,
            first_run=self.first_run,
            suggested=self.suggested,
            linker=self.linker,
            annotate=self.annotate,
        )
        bind_window_actions(
            session.actions,
            close=self.close,
            edit_schema=self.edit_schema,
            steps=self.steps,
            finding=self.finding,
            editing=self.editing,
            entity_links=self.entity_links,
            linker=self.linker,
            panel=self.panel,
            header=self.header,
            document_list=self.document_list,
        )
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

        self.hub.failed.connect(self._on_failed)
        self.document_list.document_activated.connect(self.open_document)
        self.article.span_selected.connect(self._on_span_selected)
        self.article.span_move_requested.connect(self.editing.move_span)
        self.panel.span_activated.connect(self._show_span)
        self.panel.label_chosen.connect(self.annotate)
        self.panel.attribute_edited.connect(self.editing.set_attribute)
        self.panel.attribute_chosen.connect(self.article.setFocus)
        self.focus_return = FocusReturn(self, self.menuBar(), self.article, self.find_bar)
        self.header.edited.connect(self.edit_details)
        # View > Layers… (F6): whose spans the article shows
        self.layers = Layers(session, self.panel.details)
        install_adjudication(session, self.layers, self.document_list.document_activated)
        install_review(session, self.layers, self.suggested)
        # File > Switch annotator…
        self.annotator_switch = AnnotatorSwitch(session, self.another_window)
        session.actions.bind("progress_view", lambda: show_progress(session, self.activity))

        install_merge(session)
        install_database_dialog(session, self.another_window)
        busy = UserBusy(self.article, self.linker, self.header, (self.find_bar, self.panel))
        self.live_updates = install_live_updates(
            session, self.document_list, busy=busy, listing=self.shown.listing
        )

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

    @property
    def colours(self) -> dict[str, str]:
        """Each label's colour in the schema as shown."""
        return self.shown.colours

    @property
    def relation_colours(self) -> dict[str, str]:
        """Each relation's colour in the schema as shown."""
        return self.shown.relation_colours

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
        self.shown.resume(wait=wait)

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
        self.shown.open_document(document_id, scroll, wait=wait, then=then)

    def reload_document(
        self, *, wait: bool = False, again: bool = False, then: Callable[[], object] | None = None
    ) -> None:
        """Read the open document again (others' changes, another choice of layers) and show
        it where it was, the selected span still selected; ``again`` shows it even when
        nothing read differs (new colours); ``then()`` once it is shown."""
        self.shown.reload_document(wait=wait, again=again, then=then)

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

    def _show_span(self, span_id: int) -> None:
        self.article.select_span(span_id)
        self.article.setFocus()

    def _on_span_selected(self, span_id: int | None) -> None:
        span = self.article.selected_span() if span_id is not None else None
        self.panel.show_span(span, self.article.text)
        if span is not None and not self.article.picking:  # its label, not by colour alone
            self.statusBar().showMessage(self.article.describe_plainly(span), 6000)

    def edit_details(self, changes: dict[str, object]) -> None:
        """Change the open document's title or other details, as one undoable step."""
        if self.document is None or not changes:
            return
        self.undo_stack.push(UpdateMeta(self.workspace, self.hub, self.document.id, dict(changes)))

    def _on_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        box = plain_box(QMessageBox(QMessageBox.Icon.Warning, "Glossa", message, parent=self))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- the frame -------------------------------------------------------------------

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
        self.activity.stop()  # every second counted is written
        self.steps.stop()  # and a document marked done
        save_layout(self.settings, self, self.splitter)
        # after the places asked before, not overtaken by them
        self.current_document.remember(self.article.scroll_position(), wait=True)
        super().closeEvent(event)
