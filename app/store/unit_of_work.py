"""A unit of work: one transaction per user action, from its first read to its commit."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import StorageError
from app.store.failures import DRIVER_FAILURES
from app.store.repositories import (
    Annotators,
    BulkReads,
    BulkWrites,
    Documents,
    Entities,
    Events,
    Projects,
    Spans,
)
from app.store.repositories.annotator_work import AnnotatorWork
from app.store.repositories.gold import GoldLayer
from app.store.repositories.merging import Layers
from app.store.repositories.progress import StatusEvents
from app.store.repositories.review import ReviewRows
from app.store.repositories.suggestions import Suggestions

Failure = Callable[[BaseException], StorageError]
"""Turns a driver's error into the StorageError the user sees (the database named)."""


class UnitOfWork:
    """Context manager around one session; rolls back unless ``commit()`` was called.

    A writing unit of work (the default) holds the database's write lock from its first
    statement on SQLite, so what it reads cannot change before it commits; a reading one
    (``write=False``) takes no lock and must not write. Driver failures leave it as a
    ``StorageError``.
    """

    session: Session
    projects: Projects
    annotators: Annotators
    documents: Documents
    spans: Spans
    events: Events

    def __init__(
        self,
        sessions: sessionmaker[Session],
        failure: Failure,
        *,
        write: bool = True,
        isolation: str | None = None,
    ) -> None:
        self._sessions = sessions
        self._failure = failure
        self.write = write
        self._isolation = isolation

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        if self._isolation is not None:
            try:
                self.session.connection(execution_options={"isolation_level": self._isolation})
            except DRIVER_FAILURES as failed:
                self.session.close()
                raise self._failure(failed) from failed
        self.projects = Projects(self.session)
        self.annotators = Annotators(self.session)
        self.documents = Documents(self.session)
        self.spans = Spans(self.session)
        self.events = Events(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
            self.session.close()
        except DRIVER_FAILURES as failed:
            # a connection already gone cannot roll back; the first failure is the one to tell
            if exc is None:
                raise self._failure(failed) from failed
        if exc is not None and isinstance(exc, DRIVER_FAILURES):
            raise self._failure(exc) from exc

    # the other repositories, made on first use: most actions need only a few

    @property
    def entities(self) -> Entities:
        """Cross-document entities and their mentions."""
        return Entities(self.session)

    @property
    def gold(self) -> GoldLayer:
        """Review states and whole-span rewrites (adjudication, undo)."""
        return GoldLayer(self.session)

    @property
    def review_rows(self) -> ReviewRows:
        """The review table's rows."""
        return ReviewRows(self.session)

    @property
    def annotator_work(self) -> AnnotatorWork:
        """Who annotated what, and the time they spent."""
        return AnnotatorWork(self.session)

    @property
    def bulk_reads(self) -> BulkReads:
        """Records read in batches, for exports and merges."""
        return BulkReads(self.session)

    @property
    def bulk_writes(self) -> BulkWrites:
        """Rows written in batches, for imports and merges."""
        return BulkWrites(self.session)

    @property
    def layers(self) -> Layers:
        """Annotators' layers as a merge matches them."""
        return Layers(self.session)

    @property
    def suggestions(self) -> Suggestions:
        """Pending suggestions and the rejected ones."""
        return Suggestions(self.session)

    @property
    def status_events(self) -> StatusEvents:
        """Documents' status changes over time."""
        return StatusEvents(self.session)

    def commit(self) -> None:
        """Make the work durable; ``StorageError`` when the database refuses."""
        try:
            self.session.commit()
        except DRIVER_FAILURES as exc:
            raise self._failure(exc) from exc
