"""Entity linking in the main window: the E popup, the Entities dock and the details pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

from app.gui.annotating.entities_view import EntitiesView
from app.gui.annotating.entity_link import EntityLinkDialog
from app.gui.commands import LinkEntity
from app.services import ChangeSet

if TYPE_CHECKING:
    from app.gui.window.main_window import MainWindow


class EntityLinking(QObject):
    """Links the selected mention to an entity and keeps entity names shown up to date."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.workspace = window.workspace
        self.dialog: EntityLinkDialog | None = None
        self._names: dict[int, str] = {}
        self.dock = EntitiesView(self.workspace, window.hub, window.undo_stack, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.span_requested.connect(self.show_span)
        self._read_names()
        window.panel.entity_name = self._names.get
        window.panel.entity_activated.connect(self.show_entity)
        window.hub.changed.connect(self._on_changed)

    def _read_names(self) -> None:
        self._names.clear()
        self._names.update((e.id, e.name) for e in self.workspace.entities())

    # -- the link popup ------------------------------------------------------------

    def link_selected(self) -> None:
        """Open the link popup for the selected PERSON, ORG or LOC span."""
        span = self.window.article.selected_span()
        bar = self.window.statusBar()
        linkable = self.window.workspace.schema.labels_with_role("entity")
        if span is None or span.label not in linkable:
            kinds = ", ".join(linkable) or "no label links to entities; an entity"
            bar.showMessage(f"Select a {kinds} span first, then press E.", 4000)
            return
        dialog = EntityLinkDialog(
            self.workspace.mention_text(span.id),
            span.label,
            self.workspace.entity_candidates(span.id),
            span.entity,
            self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._chosen(dialog, span.id))
        self.dialog = dialog
        dialog.open()

    def _chosen(self, dialog: EntityLinkDialog, span_id: int) -> None:
        self.dialog = None
        choice = dialog.choice
        span = self.window.article.selected_span()
        if choice is None or span is None or span.id != span_id:
            return
        if choice.new_name is None and choice.entity_id == span.entity:
            return
        self.window.undo_stack.push(
            LinkEntity(self.workspace, self.window.hub, span, choice.entity_id, choice.new_name)
        )

    # -- the dock ------------------------------------------------------------------

    def toggle_view(self) -> None:
        """Show the Entities dock (or hide it when it has the focus)."""
        if self.dock.isVisible() and self.dock.isAncestorOf(self.window.focusWidget()):
            self.dock.hide()
            self.window.article.setFocus()
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
        article = self.window.article

        def select() -> None:
            article.select_span(span_id)
            article.setFocus()

        self.window.open_document(document_id, then=select)

    # -- changes -------------------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if not changes.entities:
            return
        self._read_names()
        document_id = self.window.document_id
        if document_id is None or changes.document_id == document_id:
            self._reshow_selected()
            return
        # a merge or its undo moves mentions in any document: pick up the open one's
        shown = self.window.spans
        moved = tuple(
            span
            for span in self.workspace.spans(document_id)
            if (row := shown.row_of(span.id)) is not None
            and shown.span_in_row(row).entity != span.entity
        )
        if moved:
            self.window.current_document.apply(ChangeSet(document_id, changed=moved))
        self._reshow_selected()

    def _reshow_selected(self) -> None:
        selected = self.window.article.selected_span()
        if selected is not None:
            self.window.panel.show_span(selected, self.window.article.text)
