"""Find in the article and tag every match (a part of the main window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack

from app.core.annotations import Document
from app.gui.annotating.annotation_panel import LABEL_ROLE, AnnotationPanel
from app.gui.annotating.article_view import ArticleView
from app.gui.annotating.find_bar import FindBar
from app.gui.commands import TagAll
from app.gui.hub import ChangeHub
from app.services import Workspace

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar

    from app.gui.annotating.layers import Layers


class FindActions:
    """The main window's find and tag-all actions; mixed into ``MainWindow``."""

    workspace: Workspace
    hub: ChangeHub
    undo_stack: QUndoStack
    panel: AnnotationPanel
    article: ArticleView
    find_bar: FindBar
    layers: Layers

    if TYPE_CHECKING:

        @property
        def document(self) -> Document | None: ...

        def statusBar(self) -> QStatusBar: ...

    def current_label(self) -> str | None:
        """The palette's current label, else the selected span's label."""
        item = self.panel.palette_list.currentItem()
        if item is not None:
            return str(item.data(LABEL_ROLE))
        span = self.article.selected_span()
        return None if span is None else span.label

    def open_find(self) -> None:
        """Open the find bar above the article."""
        self.find_bar.open(self.current_label())

    def find_next(self) -> None:
        """Select the next match (opening the find bar when it is closed)."""
        if self.find_bar.isHidden():
            searched = self.find_bar.current_match() is None
            self.open_find()
            if searched:  # opening found the first match after the caret: that one is next
                return
        self.find_bar.find_next()

    def find_previous(self) -> None:
        """Select the previous match (opening the find bar when it is closed)."""
        if self.find_bar.isHidden():
            self.open_find()
        self.find_bar.find_previous()

    def tag_all(self, ranges: list[tuple[int, int]], label: str, entity: int | None = None) -> None:
        """Tag every range not yet tagged with ``label`` (nor inside a ``label`` span), the new
        spans mentions of ``entity`` when given, as one undoable step."""
        if self.document is None or not ranges or self.layers.refuse_edit():
            return
        command = TagAll(self.workspace, self.hub, self.document.id, ranges, label, entity)
        self.undo_stack.push(command)
        # the article takes the keys again: Ctrl+Z now undoes the tagging, not the typing
        self.article.setFocus()
        made = len(command.span_ids or ())
        self.statusBar().showMessage(
            f"Tagged {made} of {len(ranges)} matches as {label}"
            + (" and linked them" if entity is not None and made else "")
            + (
                f"; {len(ranges) - made} were tagged already (or lie inside a {label})"
                if made < len(ranges)
                else ""
            ),
            6000,
        )
