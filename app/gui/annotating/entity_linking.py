"""Entity linking in the window: the E popup, the Entities dock and the details pane.

After a change of entities the names, and the open document's mentions a merge moved, are
read again on a worker thread (the latest read wins; a failure is said in the status bar).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt

from app.core.annotations import Span
from app.core.entities import Entity
from app.gui.annotating.annotation_panel import AnnotationPanel
from app.gui.annotating.entities_view import EntitiesView
from app.gui.annotating.entity_link import EntityLinkDialog
from app.gui.commands import LinkEntity
from app.gui.models.open_document import READERS
from app.gui.models.spans import SpanListModel
from app.gui.session import Session
from app.gui.widgets.background import Background, database_problem
from app.services import ChangeSet
from app.services import entities as entities_service
from app.services import spans as spans_service


class EntityLinking(QObject):
    """Links the selected mention to an entity and keeps entity names shown up to date."""

    def __init__(
        self,
        session: Session,
        panel: AnnotationPanel,
        spans: SpanListModel,
    ) -> None:
        super().__init__(session.parent)
        self.session = session
        self.article = session.article
        self.workspace = session.workspace
        self.panel = panel
        """The details pane: it names each mention's entity."""
        self.spans = spans
        """The open document's spans as the list shows them (mentions moved by a merge)."""
        self.dialog: EntityLinkDialog | None = None
        self._names: dict[int, str] = {}
        self.dock = EntitiesView(session, session.parent)
        session.dock(self.dock, Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock.hide()
        self.dock.span_requested.connect(self.show_span)
        panel.entity_name = self._names.get
        panel.entity_activated.connect(self.show_entity)
        session.hub.changed.connect(self._on_changed)
        self.names_read = Background(self, workers=READERS)
        """The entities' names (and the open document's spans) read after a change."""
        self.names_read.finished.connect(self._names_arrived)
        self.names_read.failed.connect(self._names_not_read)
        workspace = self.workspace
        self.names_read.run(lambda: (entities_service.entities(workspace), None, []))

    @property
    def busy(self) -> bool:
        """True while the names are read again after a change of entities."""
        return self.names_read.busy

    def wait(self) -> None:
        """Return once the names read again are shown (for scripts and tests)."""
        self.names_read.wait()

    # -- the link popup ------------------------------------------------------------

    def link_selected(self) -> None:
        """Open the link popup for the selected PERSON, ORG or LOC span."""
        span = self.article.selected_span()
        linkable = self.workspace.schema.labels_with_role("entity")
        if span is None or span.label not in linkable:
            kinds = ", ".join(linkable) or "no label links to entities; an entity"
            self.session.say(f"Select a {kinds} span first, then press E.", 4000)
            return
        dialog = EntityLinkDialog(
            entities_service.mention_text(self.workspace, span.id),
            span.label,
            entities_service.entity_candidates(self.workspace, span.id),
            span.entity,
            self.session.parent,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._chosen(dialog, span.id))
        self.dialog = dialog
        dialog.open()

    def _chosen(self, dialog: EntityLinkDialog, span_id: int) -> None:
        self.dialog = None
        choice = dialog.choice
        span = self.article.selected_span()
        if choice is None or span is None or span.id != span_id:
            return
        if choice.new_name is None and choice.entity_id == span.entity:
            return
        self.session.undo_stack.push(
            LinkEntity(self.workspace, self.session.hub, span, choice.entity_id, choice.new_name)
        )

    # -- the dock ------------------------------------------------------------------

    def toggle_view(self) -> None:
        """Show the Entities dock (or hide it when it has the focus)."""
        if self.dock.isVisible() and self.dock.isAncestorOf(self.session.parent.focusWidget()):
            self.dock.hide()
            self.article.setFocus()
            return
        self.dock.show()
        self.dock.raise_()
        self.dock.table.setFocus()

    def show_entity(self, entity_id: int) -> None:
        """Show the dock with an entity current."""
        self.dock.show()
        self.dock.raise_()
        self.dock.select_entity(entity_id)
        self.dock.table.setFocus()

    def show_span(self, document_id: int, span_id: int) -> None:
        """Open a document at a span."""
        article = self.article

        def select() -> None:
            article.select_span(span_id)
            article.setFocus()

        self.session.open_document(document_id, then=select)

    # -- changes -------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if not changes.entities:
            return
        document_id = self.session.document_id
        # a merge or its undo moves mentions in any document: pick up the open one's
        elsewhere = document_id is not None and changes.document_id != document_id
        workspace = self.workspace

        def work() -> tuple[list[Entity], int | None, list[Span]]:
            read = spans_service.spans(workspace, document_id) if elsewhere and document_id else []
            return entities_service.entities(workspace), document_id if elsewhere else None, read

        self.names_read.run(work)

    def _names_arrived(self, result: tuple[list[Entity], int | None, list[Span]]) -> None:
        entities, document_id, spans = result
        self._names.clear()
        self._names.update((e.id, e.name) for e in entities)
        if document_id is not None and document_id == self.session.document_id:
            shown = self.spans
            moved = tuple(
                span
                for span in spans
                if (row := shown.row_of(span.id)) is not None
                and shown.span_in_row(row).entity != span.entity
            )
            if moved:
                self.session.current_document.apply(ChangeSet(document_id, changed=moved))
        self._reshow_selected()

    def _names_not_read(self, error: Any) -> None:
        self.session.say(f"Cannot read the entities: {database_problem(error)}", 8000)

    def _reshow_selected(self) -> None:
        selected = self.article.selected_span()
        if selected is not None:
            self.panel.show_span(selected, self.article.text)
