"""A unit of work: one transaction per user action."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from app.store.repositories import Annotators, Documents, Events, Projects, Spans


class UnitOfWork:
    """Context manager around one session; rolls back unless ``commit()`` was called."""

    session: Session
    projects: Projects
    annotators: Annotators
    documents: Documents
    spans: Spans
    events: Events

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
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
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        """Make the work durable."""
        self.session.commit()
