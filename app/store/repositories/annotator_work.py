"""Each annotator's work: their layer of spans, their time spent and their progress."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select, update

from app.core.annotations import Span
from app.core.collector import collector_paused
from app.core.errors import NotFoundError
from app.store.orm import Annotator, DocumentRow, DocumentState, SpanRow, now
from app.store.repositories._shared import (
    Repository,
    _annotator_names,
    _driver_rows,
    _insert_unless_present,
)
from app.store.repositories.spans import _SPAN_COLUMNS, _spans


class AnnotatorWork(Repository):
    """Annotator names, the spans of chosen annotators, and time spent per document."""

    def names(self) -> list[str]:
        """Every annotator's name, sorted."""
        return sorted(self.session.scalars(select(Annotator.name)))

    def spans_of(self, document_id: int, annotators: Collection[str]) -> list[Span]:
        """The spans of a document by the named annotators only, ordered by start."""
        names = _annotator_names(self.session)
        wanted = [annotator_id for annotator_id, name in names.items() if name in annotators]
        if not wanted:
            return []
        result = self.session.connection().execute(
            select(*_SPAN_COLUMNS)
            .where(SpanRow.document_id == document_id, SpanRow.annotator_id.in_(wanted))
            .order_by(SpanRow.start)
        )
        with collector_paused():
            return _spans(_driver_rows(result), names)

    def annotators_of(self, document_id: int) -> list[str]:
        """The names of everyone with a span in a document, sorted."""
        rows = self.session.scalars(
            select(Annotator.name)
            .where(
                Annotator.id.in_(
                    select(SpanRow.annotator_id)
                    .where(SpanRow.document_id == document_id)
                    .distinct()
                )
            )
            .order_by(Annotator.name)
        )
        return list(rows)

    def add_seconds(self, document_id: int, annotator_id: int, seconds: int) -> int:
        """Add ``seconds`` to the annotator's time on a document; return the new total.

        The state row is made (status new) when the annotator has none yet; an existing
        status is left as it is. ``NotFoundError`` when the document is gone.
        """
        exists = self.session.scalar(select(DocumentRow.id).where(DocumentRow.id == document_id))
        if exists is None:
            raise NotFoundError(f"no document with id {document_id}")
        _insert_unless_present(
            self.session,
            DocumentState,
            {
                "document_id": document_id,
                "annotator_id": annotator_id,
                "status": "new",
                "seconds_spent": 0,
                "updated_at": now(),
            },
        )
        # one statement adds to what is stored, so that two windows never overwrite each other
        total = self.session.execute(
            update(DocumentState)
            .where(
                DocumentState.document_id == document_id,
                DocumentState.annotator_id == annotator_id,
            )
            .values(seconds_spent=DocumentState.seconds_spent + seconds, updated_at=now())
            .returning(DocumentState.seconds_spent)
        ).scalar_one()
        return int(total)

    def seconds(self, document_id: int, annotator_id: int) -> int:
        """The annotator's time on a document so far (0 when none was recorded)."""
        found = self.session.scalar(
            select(DocumentState.seconds_spent).where(
                DocumentState.document_id == document_id,
                DocumentState.annotator_id == annotator_id,
            )
        )
        return int(found or 0)

    def progress(self, project_id: int) -> list[tuple[str, str, int, int]]:
        """``(annotator, status, documents, seconds)`` over the project's document states."""
        rows = self.session.execute(
            select(
                Annotator.name,
                DocumentState.status,
                func.count(),
                func.coalesce(func.sum(DocumentState.seconds_spent), 0),
            )
            .join(Annotator, Annotator.id == DocumentState.annotator_id)
            .join(DocumentRow, DocumentRow.id == DocumentState.document_id)
            .where(DocumentRow.project_id == project_id)
            .group_by(Annotator.name, DocumentState.status)
            .order_by(Annotator.name, DocumentState.status)
        )
        return [(str(a), str(s), int(n), int(t)) for a, s, n, t in rows]
