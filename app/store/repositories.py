"""Repositories: read and write rows inside a unit of work, returning core values.

They never commit; the service that opened the unit of work does.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Text, delete, func, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from app.core.annotations import (
    Document,
    DocumentSummary,
    Origin,
    Relation,
    Span,
    Status,
)
from app.core.errors import NotFoundError
from app.store.orm import (
    Annotator,
    DocumentRow,
    DocumentState,
    DocumentText,
    Event,
    Project,
    RelationRow,
    SpanRow,
)

_SPAN_COLUMNS = (
    SpanRow.id,
    SpanRow.document_id,
    SpanRow.start,
    SpanRow.end,
    SpanRow.label,
    SpanRow.annotator_id,
    SpanRow.origin,
    type_coerce(SpanRow.attributes, Text),
)


_ORIGINS = {origin.value: origin for origin in Origin}


def _spans(rows: Sequence[Sequence[Any]], annotators: dict[int, str]) -> list[Span]:
    """Rows of ``_SPAN_COLUMNS`` as spans; the loop is the hot path of opening an article."""
    new, origins = tuple.__new__, _ORIGINS
    # attributes arrive as raw JSON text: most spans have none, and decoding tens of
    # thousands of empty objects costs more than reading the rows
    return [
        new(
            Span,
            (i, d, s, e, lab, annotators[a], origins[o], {} if at == "{}" else _attributes(at)),
        )
        for i, d, s, e, lab, a, o, at in rows
    ]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Each of its passes would walk every tuple built so far, for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _attributes(raw: Any) -> dict[str, Any]:
    if raw == "{}" or not raw:
        return {}
    if isinstance(raw, dict):  # drivers that decode JSON themselves (psycopg)
        return raw
    return dict(json.loads(raw) or {})


class Projects:
    """The project row and its label schema."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def first(self) -> tuple[int, str, dict[str, Any]] | None:
        """Return ``(id, name, schema)`` of the first project, if any."""
        row = self.session.execute(
            select(Project.id, Project.name, Project.schema).order_by(Project.id).limit(1)
        ).first()
        return (row[0], row[1], row[2]) if row else None

    def create(self, name: str, schema: dict[str, Any]) -> int:
        """Create a project and return its id."""
        project = Project(name=name, schema=schema)
        self.session.add(project)
        self.session.flush()
        return project.id


class Annotators:
    """Annotators by name; created on first use."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def id_of(self, name: str) -> int:
        """Return the id of annotator ``name``, creating the row when new."""
        found = self.session.scalar(select(Annotator.id).where(Annotator.name == name))
        if found is not None:
            return found
        annotator = Annotator(name=name, resume={})
        self.session.add(annotator)
        self.session.flush()
        return annotator.id

    def resume(self, name: str) -> dict[str, Any]:
        """Where ``name`` stopped last time (empty when never)."""
        found = self.session.scalar(select(Annotator.resume).where(Annotator.name == name))
        return dict(found or {})

    def set_resume(self, name: str, resume: dict[str, Any]) -> None:
        """Remember where ``name`` is now."""
        annotator_id = self.id_of(name)
        self.session.execute(
            update(Annotator).where(Annotator.id == annotator_id).values(resume=resume)
        )


class Documents:
    """Documents, their texts and per-annotator states."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def hashes(self, project_id: int) -> set[str]:
        """SHA-256 of every document text already in the project."""
        return set(
            self.session.scalars(
                select(DocumentRow.sha256).where(DocumentRow.project_id == project_id)
            )
        )

    def add(
        self,
        project_id: int,
        *,
        title: str,
        text: str,
        sha256: str,
        meta: dict[str, Any],
        external_id: str = "",
    ) -> int:
        """Insert a document and its text; return the new id."""
        position = (
            self.session.scalar(
                select(func.coalesce(func.max(DocumentRow.position), 0)).where(
                    DocumentRow.project_id == project_id
                )
            )
            or 0
        ) + 1
        document_id = self.session.execute(
            insert(DocumentRow)
            .values(
                project_id=project_id,
                external_id=external_id,
                title=title,
                meta=meta,
                sha256=sha256,
                length=len(text),
                position=position,
            )
            .returning(DocumentRow.id)
        ).scalar_one()
        self.session.execute(insert(DocumentText).values(document_id=document_id, text=text))
        return int(document_id)

    def get(self, document_id: int) -> Document:
        """Return a document with its text, or raise ``NotFoundError``."""
        row = self.session.execute(
            select(
                DocumentRow.id,
                DocumentRow.title,
                DocumentText.text,
                DocumentRow.sha256,
                DocumentRow.meta,
            )
            .join(DocumentText, DocumentText.document_id == DocumentRow.id)
            .where(DocumentRow.id == document_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        return Document(row[0], row[1], row[2], row[3], row[4] or {})

    def text(self, document_id: int) -> str:
        """Return only the canonical text of a document."""
        text = self.session.scalar(
            select(DocumentText.text).where(DocumentText.document_id == document_id)
        )
        if text is None:
            raise NotFoundError(f"no document with id {document_id}")
        return text

    def excerpt(self, document_id: int, start: int, end: int) -> tuple[int, str]:
        """``(length of the text, text[start:end])`` without loading the whole text.

        Both SQLite and PostgreSQL count characters (code points) in ``length`` and ``substr``.
        """
        row = self.session.execute(
            select(
                func.length(DocumentText.text),
                func.substr(DocumentText.text, start + 1, max(end - start, 0)),
            ).where(DocumentText.document_id == document_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        return int(row[0]), str(row[1] or "")

    def ids(self, project_id: int) -> list[int]:
        """Every document id of the project in list order."""
        return list(
            self.session.scalars(
                select(DocumentRow.id)
                .where(DocumentRow.project_id == project_id)
                .order_by(DocumentRow.position, DocumentRow.id)
            )
        )

    def summaries(self, project_id: int, annotator_id: int) -> list[DocumentSummary]:
        """Title, length, span count and this annotator's status of every document."""
        counts = (
            select(SpanRow.document_id, func.count().label("n"))
            .group_by(SpanRow.document_id)
            .subquery()
        )
        rows = self.session.execute(
            select(
                DocumentRow.id,
                DocumentRow.title,
                DocumentRow.length,
                func.coalesce(counts.c.n, 0),
                DocumentState.status,
            )
            .outerjoin(counts, counts.c.document_id == DocumentRow.id)
            .outerjoin(
                DocumentState,
                (DocumentState.document_id == DocumentRow.id)
                & (DocumentState.annotator_id == annotator_id),
            )
            .where(DocumentRow.project_id == project_id)
            .order_by(DocumentRow.position, DocumentRow.id)
        )
        return [DocumentSummary(r[0], r[1], r[2], r[3], Status(r[4] or Status.NEW)) for r in rows]

    def status(self, document_id: int, annotator_id: int) -> Status:
        """This annotator's status of one document."""
        found = self.session.scalar(
            select(DocumentState.status).where(
                DocumentState.document_id == document_id,
                DocumentState.annotator_id == annotator_id,
            )
        )
        return Status(found or Status.NEW)

    def set_status(self, document_id: int, annotator_id: int, status: Status) -> None:
        """Record this annotator's status of one document."""
        state = self.session.get(DocumentState, (document_id, annotator_id))
        if state is None:
            self.session.add(
                DocumentState(
                    document_id=document_id,
                    annotator_id=annotator_id,
                    status=status.value,
                    seconds_spent=0,
                )
            )
        else:
            state.status = status.value
        self.session.flush()


class Spans:
    """Spans and relations of documents."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def of_document(self, document_id: int) -> list[Span]:
        """Every span of a document ordered by start, as plain values (no ORM objects)."""
        # through the connection: Core rows, without the ORM's per-row loading machinery;
        # ordered by the (document_id, start) index alone, so SQLite needs no sort
        names = self._annotator_names()
        result = self.session.connection().execute(
            select(*_SPAN_COLUMNS).where(SpanRow.document_id == document_id).order_by(SpanRow.start)
        )
        with _collector_paused():
            # the driver's plain tuples: none of these columns needs a result processor, and
            # building Row objects would double the time to open a long article
            rows = result.cursor.fetchall() if result.cursor is not None else []
            result.close()
            return _spans(rows, names)

    def _annotator_names(self) -> dict[int, str]:
        return {
            row[0]: row[1] for row in self.session.execute(select(Annotator.id, Annotator.name))
        }

    def get(self, span_id: int) -> Span:
        """Return one span, or raise ``NotFoundError``."""
        row = self.session.execute(select(*_SPAN_COLUMNS).where(SpanRow.id == span_id)).first()
        if row is None:
            raise NotFoundError(f"no span with id {span_id}")
        return _spans([row], self._annotator_names())[0]

    def add(
        self,
        document_id: int,
        start: int,
        end: int,
        label: str,
        annotator_id: int,
        *,
        text: str,
        origin: Origin = Origin.MANUAL,
        attributes: dict[str, Any] | None = None,
        span_id: int | None = None,
    ) -> int:
        """Insert one span (with a given id when restoring) and return its id."""
        values: dict[str, Any] = {
            "document_id": document_id,
            "start": start,
            "end": end,
            "label": label,
            "text": text,
            "annotator_id": annotator_id,
            "origin": origin.value,
            "attributes": attributes or {},
        }
        if span_id is not None:
            values["id"] = span_id
        new_id = self.session.execute(
            insert(SpanRow).values(**values).returning(SpanRow.id)
        ).scalar_one()
        return int(new_id)

    def add_many(self, rows: Iterable[dict[str, Any]]) -> list[int]:
        """Bulk insert spans given as column dicts; return their ids in order."""
        return insert_spans_returning_ids(self.session, list(rows))

    def delete(self, span_id: int) -> None:
        """Delete one span (its relations go with it)."""
        self.session.execute(delete(SpanRow).where(SpanRow.id == span_id))

    def relabel(self, span_id: int, label: str) -> None:
        """Give a span another label."""
        self.session.execute(update(SpanRow).where(SpanRow.id == span_id).values(label=label))

    def relations_of_document(self, document_id: int) -> list[Relation]:
        """Every relation of a document."""
        rows = self.session.execute(
            select(
                RelationRow.id,
                RelationRow.document_id,
                RelationRow.head_id,
                RelationRow.tail_id,
                RelationRow.label,
                Annotator.name,
            )
            .join(Annotator, Annotator.id == RelationRow.annotator_id)
            .where(RelationRow.document_id == document_id)
            .order_by(RelationRow.id)
        )
        return [Relation(*r) for r in rows]

    def relations_touching(self, span_id: int) -> list[Relation]:
        """Relations whose head or tail is ``span_id``."""
        rows = self.session.execute(
            select(
                RelationRow.id,
                RelationRow.document_id,
                RelationRow.head_id,
                RelationRow.tail_id,
                RelationRow.label,
                Annotator.name,
            )
            .join(Annotator, Annotator.id == RelationRow.annotator_id)
            .where((RelationRow.head_id == span_id) | (RelationRow.tail_id == span_id))
        )
        return [Relation(*r) for r in rows]

    def add_relation(
        self,
        document_id: int,
        head: int,
        tail: int,
        label: str,
        annotator_id: int,
        relation_id: int | None = None,
    ) -> int:
        """Insert a relation (with a given id when restoring) and return its id."""
        values: dict[str, Any] = {
            "document_id": document_id,
            "head_id": head,
            "tail_id": tail,
            "label": label,
            "annotator_id": annotator_id,
        }
        if relation_id is not None:
            values["id"] = relation_id
        return int(
            self.session.execute(
                insert(RelationRow).values(**values).returning(RelationRow.id)
            ).scalar_one()
        )


class Events:
    """The audit log."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, annotator: str, action: str, **payload: Any) -> None:
        """Append one event."""
        self.session.execute(
            insert(Event).values(annotator=annotator, action=action, payload=payload)
        )


def insert_spans_returning_ids(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert spans and return their new ids in the order given."""
    if not rows:
        return []
    result = session.execute(
        insert(SpanRow).returning(SpanRow.id, sort_by_parameter_order=True), rows
    )
    return [int(r[0]) for r in result]
