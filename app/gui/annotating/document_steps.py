"""Moving between documents: next, previous, and done-and-next."""

from __future__ import annotations

from app.core.annotations import Status
from app.gui.commands import SetStatus
from app.gui.models.documents import DocumentListModel
from app.gui.session import Session


class DocumentSteps:
    """Steps through the documents in the order the document list shows them."""

    def __init__(self, session: Session, documents: DocumentListModel) -> None:
        self.session = session
        self.documents = documents

    def neighbour(self, delta: int) -> int | None:
        """The document ``delta`` places from the open one in the list (the first when
        none is open), or None past either end."""
        ids = [summary.id for summary in self.documents.summaries()]
        # a step taken while the one before is still being read goes on from there
        pending = self.session.current_document.pending
        here = pending if pending is not None else self.session.document_id
        if here not in ids:
            return ids[0] if ids else None
        at = ids.index(here) + delta
        return ids[at] if 0 <= at < len(ids) else None

    def next_document(self) -> None:
        """Open the next document in the list."""
        target = self.neighbour(+1)
        if target is None:
            self.session.say("This is the last document.", 4000)
        else:
            self.session.open_document(target)

    def previous_document(self) -> None:
        """Open the previous document in the list."""
        target = self.neighbour(-1)
        if target is None:
            self.session.say("This is the first document.", 4000)
        else:
            self.session.open_document(target)

    def mark_done_and_next(self) -> None:
        """Mark the open document done and open the next unfinished one."""
        session = self.session
        document = session.document
        if document is None:
            return
        summary = self.documents.summary(document.id)
        old = summary.status if summary is not None else Status.IN_PROGRESS
        if old is not Status.DONE:
            session.undo_stack.push(
                SetStatus(session.workspace, session.hub, document.id, old, Status.DONE)
            )
        following = session.workspace.next_unfinished(after=document.id)
        if following is None:
            session.say("Every document is done.", 6000)
        else:
            session.open_document(following)
