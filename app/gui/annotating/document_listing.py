"""The document list read again, and the label schema with it, off the window's thread.

After an import, a change of a document's details, a schema edit (ours or a colleague's) or
others' changes the list is read afresh on a worker thread, so a slow server never freezes
the window. The latest request wins: a newer read supersedes one still under way, and an
older list is never shown over a newer one. Whoever asked for a read hears the list that
answered it (the newest), each once; a failed read says why and leaves the list as it was.
A row changed while a list is read (our own change, our time written) has it read again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.core.annotations import DocumentSummary
from app.core.errors import GlossaError
from app.core.schema import LabelSchema
from app.gui.models.open_document import READERS
from app.gui.session import Session
from app.gui.widgets.background import Background
from app.services import documents as documents_service
from app.services import schema_edits
from app.services.live import connection_problem

if TYPE_CHECKING:
    from app.gui.annotating.document_list import DocumentList

Listed = Callable[[list[DocumentSummary]], object]
NotListed = Callable[[GlossaError], object]


class DocumentListing(QObject):
    """Reads the document list (and, when asked, the label schema) on a worker thread."""

    schema_changed = Signal()
    """The label schema read differs from the one on show (or a change of ours asked for it
    to be shown again): show the workspace's schema."""

    def __init__(self, session: Session, document_list: DocumentList) -> None:
        super().__init__(session.parent)
        self.session = session
        self.document_list = document_list
        self.shown_schema: LabelSchema = session.workspace.schema
        """The label schema the window shows."""
        self._schema = False  # the read under way reads the schema too
        self._always = False  # ...and has it shown even when unchanged
        self._first: list[Callable[[], object]] = []
        self._waiting: list[tuple[Listed | None, NotListed | None]] = []
        # a list stuck behind a slow server holds no worker the figures or the feed need
        self.background = Background(self, workers=READERS)
        self.background.finished.connect(self._arrived)
        self.background.failed.connect(self._not_read)
        # a status, span count or time set on a row while a list is read: the list under way
        # may predate it, so it is read again rather than shown over it
        document_list.model.dataChanged.connect(self._changed_meanwhile)

    @property
    def busy(self) -> bool:
        """True while the list is being read."""
        return self.background.busy

    def read(
        self,
        *,
        schema: bool = False,
        always: bool = False,
        first: Callable[[], object] | None = None,
        then: Listed | None = None,
        failed: NotListed | None = None,
    ) -> None:
        """Read the document list afresh on a worker thread and show it; with ``schema`` read
        the label schema before it (shown when it differs, or whatever it is with
        ``always``); ``first()`` runs on the worker before both. Then ``then(summaries)``,
        or ``failed(error)`` when the database could not be read (without ``failed`` the
        status bar says so). A read under way is superseded, and what it was asked to do is
        done by this one."""
        self._schema = self._schema or schema or always
        self._always = self._always or always
        if first is not None:
            self._first.append(first)
        self._waiting.append((then, failed))
        workspace, with_schema, before = self.session.workspace, self._schema, list(self._first)

        def work() -> tuple[LabelSchema | None, list[DocumentSummary]]:
            for step in before:
                step()
            read = schema_edits.refresh_schema(workspace) if with_schema else None
            return read, documents_service.documents(workspace)

        self.background.run(work)

    def _changed_meanwhile(self) -> None:
        if self.busy:
            self.read()

    def _taken(self) -> tuple[bool, list[tuple[Listed | None, NotListed | None]]]:
        always, waiting = self._always, self._waiting
        self._schema = self._always = False
        self._first, self._waiting = [], []
        return always, waiting

    def _arrived(self, result: tuple[LabelSchema | None, list[DocumentSummary]]) -> None:
        schema, summaries = result
        always, waiting = self._taken()
        if schema is not None and (always or schema != self.shown_schema):
            self.shown_schema = schema
            self.schema_changed.emit()
        documents = self.document_list.model
        if summaries != documents.summaries():
            documents.reset(summaries)
        document_id = self.session.document_id
        if document_id is not None:
            self.document_list.show_current(document_id)
        for then, _ in waiting:
            if then is not None:
                then(summaries)

    def _not_read(self, error: Any) -> None:
        _, waiting = self._taken()
        if not isinstance(error, GlossaError):
            raise error  # a mistake of ours, not the database's: let it be seen
        told = False
        for _, failed in waiting:
            if failed is not None:
                failed(error)
                told = True
        if not told:
            problem = connection_problem(error)
            self.session.say(f"Cannot read the document list: {problem}", 8000)


__all__ = ["DocumentListing"]
