"""Moving between documents: next, previous, and done-and-next.

Done-and-next writes the status and looks for the next unfinished document on a thread of
its own, so that a database locked by another program or a slow server never freezes the
window; the next document opens once both are done. The write is never dropped: a second
press while one is under way is refused until it is done.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer

from app.core.annotations import Status
from app.core.errors import GlossaError
from app.gui.commands import SetStatus
from app.gui.models.documents import DocumentListModel
from app.gui.session import Session
from app.gui.widgets.background import database_problem
from app.services import ChangeSet, Workspace
from app.services import documents as documents_service

MARKS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glossa-status")
"""One thread for every window: statuses are written in the order they were asked."""
COLLECT_MS = 5
"""How often a write under way is looked at: the next document must follow at once."""


@dataclass(frozen=True)
class Marked:
    """What became of done-and-next: the status written (None when it was done already)
    and the next unfinished document, or why it could not be found."""

    change: ChangeSet | None
    following: int | None
    problem: str | None = None


def mark_done(workspace: Workspace, document_id: int, write: bool) -> Marked:
    """Mark the document done (when ``write``) and find the next unfinished one (on the
    status thread). A status not written raises; a next one not found is said."""
    change = documents_service.set_status(workspace, document_id, Status.DONE) if write else None
    try:
        following = documents_service.next_unfinished(workspace, after=document_id)
    except GlossaError as exc:
        return Marked(change, None, str(exc))
    return Marked(change, following)


class DocumentSteps(QObject):
    """Steps through the documents in the order the document list shows them."""

    def __init__(self, session: Session, documents: DocumentListModel) -> None:
        super().__init__(session.parent)
        self.session = session
        self.documents = documents
        self._marking: Future[Marked] | None = None
        self._marked: tuple[int, Status] = (0, Status.DONE)  # the document and its status
        self._collector = QTimer(self)
        self._collector.setInterval(COLLECT_MS)
        self._collector.timeout.connect(self._collect)

    @property
    def busy(self) -> bool:
        """True while done-and-next is writing, or looking for the next document."""
        return self._marking is not None

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
        """Mark the open document done and open the next unfinished one, once the status is
        written (on the status thread)."""
        session = self.session
        document = session.document
        if document is None:
            return
        if self._marking is not None:
            session.say("Still marking the document done…", 4000)
            return
        summary = self.documents.summary(document.id)
        old = summary.status if summary is not None else Status.IN_PROGRESS
        self._marked = (document.id, old)
        write = old is not Status.DONE
        self._marking = MARKS.submit(mark_done, session.workspace, document.id, write)
        self._collector.start()

    def stop(self) -> None:
        """The window closes: wait until a status under way is written (and open nothing)."""
        marking, self._marking = self._marking, None
        self._collector.stop()
        if marking is not None:
            marking.exception()  # waits; a status not written is not written, as before

    def _collect(self) -> None:
        marking = self._marking
        if marking is None or not marking.done():
            return
        self._marking = None
        self._collector.stop()
        session, (document_id, old) = self.session, self._marked
        error = marking.exception()
        if error is not None:
            session.hub.failed.emit(f"Mark document done not saved: {database_problem(error)}")
            return
        marked = marking.result()
        if marked.change is not None:  # one undoable step, announced now it is written
            command = SetStatus(
                session.workspace, session.hub, document_id, old, Status.DONE, written=marked.change
            )
            session.undo_stack.push(command)
        current = session.current_document
        if current.pending is not None or current.document_id != document_id:
            return  # the user went on to another document meanwhile: it stays
        if marked.problem is not None:
            session.say(f"Marked done; cannot find the next document: {marked.problem}", 8000)
        elif marked.following is None:
            session.say("Every document is done.", 6000)
        else:
            session.open_document(marked.following)
