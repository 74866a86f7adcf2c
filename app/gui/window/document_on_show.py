"""What the window shows of the open document: opening one, and following its changes.

The open document model (``OpenDocument``) reads a document on a worker thread and applies
each committed change once; this part of the window puts what it holds on show (the
article, the span and relation lists, the header, the title, the document list's current
row) and keeps it there as changes arrive from the hub: ours, undo reaching back into
another document, and a label schema edited here or by a colleague.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from app.core.annotations import Status
from app.gui.annotating.annotation_panel import AnnotationPanel
from app.gui.annotating.article_header import ArticleHeader
from app.gui.annotating.document_list import DocumentList
from app.gui.annotating.document_listing import DocumentListing
from app.gui.annotating.find_bar import FindBar
from app.gui.annotating.first_run_hint import FirstRunHint
from app.gui.annotating.linking import Linker
from app.gui.annotating.relation_marks import relation_colours
from app.gui.annotating.suggestions import ArticleSuggestions
from app.gui.models.open_document import READERS
from app.gui.models.relations import RelationListModel
from app.gui.models.spans import SpanListModel
from app.gui.session import Session
from app.gui.widgets.background import Background, database_problem
from app.gui.window.window_menus import fill_label_menu
from app.services import ChangeSet, documents

Resumed = tuple[dict[str, Any], int | None, list[int]]
"""Where the annotator stopped, the first unfinished document, and every document's id."""


class DocumentOnShow(QObject):
    """Opens documents for the window and shows the open one as it changes."""

    def __init__(
        self,
        session: Session,
        *,
        document_list: DocumentList,
        spans: SpanListModel,
        relations: RelationListModel,
        panel: AnnotationPanel,
        header: ArticleHeader,
        find_bar: FindBar,
        first_run: FirstRunHint,
        suggested: ArticleSuggestions,
        linker: Linker,
        annotate: Callable[[str], None],
    ) -> None:
        super().__init__(session.parent)
        self.session = session
        self.window = session.parent.window()
        self.article = session.article
        self.document_list, self.documents = document_list, document_list.model
        self.spans, self.relations, self.panel = spans, relations, panel
        self.header, self.find_bar, self.first_run = header, find_bar, first_run
        self.suggested, self.linker, self.annotate = suggested, linker, annotate
        schema = session.workspace.schema
        self.colours = {label.name: label.colour for label in schema.labels}
        self.relation_colours = relation_colours(r.name for r in schema.relations)
        self.article.set_relation_colours(self.relation_colours)
        self.panel.relation_colours = self.relation_colours
        self._then: Callable[[], object] | None = None  # what to do once it is shown
        self.listing = DocumentListing(session, document_list)
        """The document list (and the schema) read again off the window's thread."""
        self.listing.schema_changed.connect(self.show_schema_changes)
        self.resuming = Background(self, workers=READERS)
        """Where to resume, read off the window's thread (after an import, say)."""
        self.resuming.finished.connect(self._resume_at)
        self.resuming.failed.connect(self._not_resumed)

        session.hub.changed.connect(self._on_changed)
        current = session.current_document
        current.opened.connect(self._show_opened)
        current.changed.connect(self.article.apply)
        current.changed.connect(self._show_span_changes)
        current.own_changed.connect(self.spans.apply)  # the lists show my layer only
        current.own_changed.connect(self.relations.apply)
        current.meta_changed.connect(self._show_meta_changes)
        current.failed.connect(self._not_opened)

    # -- opening -------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while the document list or where to resume is being read."""
        return self.listing.busy or self.resuming.busy

    def resume(self, *, wait: bool = False) -> None:
        """Open where this annotator stopped, else the first unfinished document: what that
        is is read on a worker thread, or here and now with ``wait`` (the start-up, before
        the window shows)."""
        workspace = self.session.workspace

        def work() -> Resumed:
            summaries = documents.documents(workspace)  # the list on show may not be read yet
            first = next((s.id for s in summaries if s.status is not Status.DONE), None)
            return documents.resume_point(workspace), first, [s.id for s in summaries]

        if not wait:
            self.resuming.run(work)
            return
        self.resuming.cancel()
        self._resume_at(work(), wait=True)

    def _resume_at(self, found: Resumed, *, wait: bool = False) -> None:
        current = self.session.current_document
        if not wait and (current.document_id is not None or current.pending is not None):
            return  # a document was chosen meanwhile: it stays
        point, first, ids = found
        document_id = point.get("document")
        if isinstance(document_id, int) and document_id in ids:
            self.open_document(document_id, int(point.get("position", 0) or 0), wait=wait)
            return
        if first is None and ids:
            first = ids[0]
        if first is not None:
            self.open_document(first, wait=wait)
        else:
            self.window.setWindowTitle("Glossa")
            self.session.say(
                "No documents yet: import some with File > Import (Ctrl+O) or drop files here."
            )

    def _not_resumed(self, error: Any) -> None:
        message = f"Cannot find where to resume: {database_problem(error)}"
        self.session.say(message, 10000)  # the list stays: a document can be picked there

    def open_document(
        self,
        document_id: int,
        scroll: int = 0,
        *,
        wait: bool = False,
        then: Callable[[], object] | None = None,
    ) -> None:
        """Show a document and its spans, scrolled to code point ``scroll``; then ``then()``
        (see ``MainWindow.open_document``)."""
        current = self.session.current_document
        if document_id == current.pending:  # on its way already
            self._then = then
            return
        if document_id == current.document_id:
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
        """Read the open document again and show it where it was (see
        ``MainWindow.reload_document``)."""
        if then is not None:
            self._then, again = then, True
        self.session.current_document.reload(wait=wait, again=again)

    def _show_opened(self, scroll: int | None) -> None:
        current, article = self.session.current_document, self.article
        document, layers = current.document, current.layers
        assert document is not None
        again = scroll is None  # the same document read again: keep the place and selection
        selected = article.selected_span() if again else None
        position = article.scroll_position() if scroll is None else scroll
        article.show_document(document.text, layers.spans, self.colours, layers.relations)
        self.spans.show_document(document.id, document.text, layers.own_spans, self.colours)
        self.relations.show_document(
            document.id,
            document.text,
            layers.own_spans,
            layers.own_relations,
            self.relation_colours,
        )
        self.document_list.show_current(document.id)
        article.set_scroll_position(position)
        self.window.setWindowTitle(f"Glossa — {document.title}")
        self.header.show_document(document)
        self.suggested.show_document(document)
        if selected is not None and article.span(selected.id) is not None:
            article.select_span(selected.id)
            article.set_scroll_position(position)
        elif not again:
            article.setFocus()
        current.remember(position)
        # someone who has tagged nothing yet is told how, above the first article they see
        self.first_run.offer(any(s.own_span_count for s in self.documents.summaries()))
        then, self._then = self._then, None
        if then is not None:
            then()

    def _not_opened(self, message: str, again: bool) -> None:
        self._then = None
        if again:  # a quiet reload: the article stays as it was, the next look tries again
            self.session.say(message, 8000)
        else:
            self.session.hub.failed.emit(message)

    # -- changes -------------------------------------------------------------------------

    def show_schema_changes(self) -> None:
        """Show the label schema as the workspace now holds it: colours, palette, find bar,
        label keys and menu, and the open document in them (the document list is read
        with the schema, by ``listing``)."""
        session = self.session
        schema = session.workspace.schema
        self.colours = {label.name: label.colour for label in schema.labels}
        self.relation_colours = relation_colours(r.name for r in schema.relations)
        self.article.set_relation_colours(self.relation_colours)
        self.panel.relation_colours = self.relation_colours
        self.panel.set_schema(schema)
        self.find_bar.set_schema(schema)
        self.first_run.set_schema(schema)
        session.actions.rekey()  # a label's hotkey wins over a key of the map
        fill_label_menu(session.actions, schema, self.annotate)
        self.listing.shown_schema = schema
        self.reload_document(again=True)  # in the new colours, and renamed labels

    def _on_changed(self, changes: ChangeSet) -> None:
        session = self.session
        if changes.schema:  # an import may have added labels to it: read it, and the list
            self.listing.read(always=True)
            return
        document_id = session.document_id
        if changes.documents or changes.meta:
            self.listing.read()  # shown with the open document's row current when read
        else:
            self.documents.apply(changes)
        if any(span.annotator == session.workspace.annotator for span in changes.added):
            self.first_run.dismiss()  # they found out how: the hint stays away from now on
        session.current_document.apply(changes)
        if changes.document_id not in (None, document_id) and changes.annotations_changed:
            # undo or redo reached back into another document: show it where it changed
            self.open_document(changes.document_id)

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
        document = self.session.document
        if document is not None:
            self.header.show_document(document)
            self.window.setWindowTitle(f"Glossa — {document.title}")


__all__ = ["DocumentOnShow"]
