"""Moving between documents: next, previous, and done-and-next (a part of the main window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoStack

from app.core.annotations import Document, Status
from app.gui.commands import SetStatus
from app.gui.hub import ChangeHub
from app.gui.models.documents import DocumentListModel
from app.gui.models.open_document import OpenDocument
from app.services import Workspace

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar


class DocumentSteps:
    """The main window's document steps; mixed into ``MainWindow``, whose parts it uses."""

    workspace: Workspace
    hub: ChangeHub
    undo_stack: QUndoStack
    documents: DocumentListModel
    current_document: OpenDocument

    if TYPE_CHECKING:

        @property
        def document(self) -> Document | None: ...

        @property
        def document_id(self) -> int | None: ...

        def open_document(self, document_id: int, scroll: int = 0) -> None: ...

        def statusBar(self) -> QStatusBar: ...

    def _step(self, delta: int) -> int | None:
        ids = [summary.id for summary in self.documents.summaries()]
        # a step taken while the one before is still being read goes on from there
        pending = self.current_document.pending
        here = pending if pending is not None else self.document_id
        if here not in ids:
            return ids[0] if ids else None
        at = ids.index(here) + delta
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
