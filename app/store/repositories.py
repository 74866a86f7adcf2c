"""Repositories: read and write rows inside a unit of work, returning core values.

They never commit; the service that opened the unit of work does.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Text, delete, func, insert, select, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session

from app.core.annotations import (
    Document,
    DocumentSummary,
    Origin,
    Relation,
    Span,
    Status,
)
from app.core.entities import Entity
from app.core.errors import NotFoundError
from app.core.records import RelationRecord, SpanRecord
from app.store.orm import (
    Annotator,
    DocumentRow,
    DocumentState,
    DocumentText,
    EntityRow,
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
    SpanRow.entity_id,
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
            (
                i,
                d,
                s,
                e,
                lab,
                annotators[a],
                origins[o],
                {} if at == "{}" else _attributes(at),
                en,
            ),
        )
        for i, d, s, e, lab, a, o, at, en in rows
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


def _insert_unless_present(
    session: Session, model: type[DeclarativeBase], values: dict[str, Any]
) -> None:
    """Insert a row unless one with the same unique key exists (even a moment-old one).

    Two processes may both look a name up, find nothing and insert it; on a shared database
    the second insert then waits for the first and does nothing instead of failing.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(model).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(model).values(values).on_conflict_do_nothing())
    else:
        session.execute(insert(model).values(values))


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
        """Create a project and return its id.

        When another process has just created one of that name, return the id of that one.
        """
        _insert_unless_present(self.session, Project, {"name": name, "schema": schema})
        return self.session.execute(select(Project.id).where(Project.name == name)).scalar_one()


class Annotators:
    """Annotators by name; created on first use."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def id_of(self, name: str) -> int:
        """Return the id of annotator ``name``, creating the row when new."""
        query = select(Annotator.id).where(Annotator.name == name)
        found = self.session.scalar(query)
        if found is not None:
            return found
        _insert_unless_present(self.session, Annotator, {"name": name, "resume": {}})
        return self.session.execute(query).scalar_one()

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

    def set_meta(self, document_id: int, meta: dict[str, Any], title: str | None = None) -> None:
        """Replace a document's metadata, and its title when given; ``NotFoundError`` if gone."""
        values: dict[str, Any] = {"meta": meta}
        if title is not None:
            values["title"] = title
        changed = self.session.scalar(
            update(DocumentRow)
            .where(DocumentRow.id == document_id)
            .values(**values)
            .returning(DocumentRow.id)
        )
        if changed is None:
            raise NotFoundError(f"no document with id {document_id}")

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

    def annotators_by_document(self, project_id: int) -> dict[int, set[str]]:
        """Who annotated each document: has a span in it, or a status other than new.

        Documents nobody annotated are absent.
        """
        with_spans = (
            select(SpanRow.document_id, Annotator.name)
            .join(Annotator, Annotator.id == SpanRow.annotator_id)
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .where(DocumentRow.project_id == project_id)
        )
        with_status = (
            select(DocumentState.document_id, Annotator.name)
            .join(Annotator, Annotator.id == DocumentState.annotator_id)
            .join(DocumentRow, DocumentRow.id == DocumentState.document_id)
            .where(DocumentRow.project_id == project_id, DocumentState.status != Status.NEW.value)
        )
        found: dict[int, set[str]] = {}
        for document_id, name in self.session.execute(with_spans.union(with_status)):
            found.setdefault(document_id, set()).add(name)
        return found

    def status_counts(self, project_id: int) -> list[tuple[str, str, int]]:
        """``(annotator, status, documents)`` for every recorded document state.

        A document with no state for an annotator is new to them and not counted here.
        """
        rows = self.session.execute(
            select(Annotator.name, DocumentState.status, func.count())
            .join(Annotator, Annotator.id == DocumentState.annotator_id)
            .join(DocumentRow, DocumentRow.id == DocumentState.document_id)
            .where(DocumentRow.project_id == project_id)
            .group_by(Annotator.name, DocumentState.status)
        )
        return [(r[0], r[1], int(r[2])) for r in rows]


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
        entity_id: int | None = None,
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
        if entity_id is not None:
            values["entity_id"] = entity_id
        new_id = self.session.execute(
            insert(SpanRow).values(**values).returning(SpanRow.id)
        ).scalar_one()
        return int(new_id)

    def add_many(self, rows: Iterable[dict[str, Any]]) -> list[int]:
        """Bulk insert spans given as column dicts; return their ids in order."""
        return insert_spans_returning_ids(self.session, list(rows))

    def delete(self, span_id: int) -> None:
        """Delete one span (its relations go with it).

        Raises ``NotFoundError`` when no row went: read a moment ago, the span may since
        have been deleted by someone else on a shared database.
        """
        gone = self.session.scalar(
            delete(SpanRow).where(SpanRow.id == span_id).returning(SpanRow.id)
        )
        if gone is None:
            raise NotFoundError(f"no span with id {span_id}")

    def relabel(self, span_id: int, label: str) -> None:
        """Give a span another label; ``NotFoundError`` when it is gone (see ``delete``)."""
        changed = self.session.scalar(
            update(SpanRow).where(SpanRow.id == span_id).values(label=label).returning(SpanRow.id)
        )
        if changed is None:
            raise NotFoundError(f"no span with id {span_id}")

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

    def label_counts(self, project_id: int) -> list[tuple[str, str, str, int]]:
        """``(annotator, label, origin, spans)`` over every document of the project."""
        rows = self.session.execute(
            select(Annotator.name, SpanRow.label, SpanRow.origin, func.count())
            .join(Annotator, Annotator.id == SpanRow.annotator_id)
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .where(DocumentRow.project_id == project_id)
            .group_by(Annotator.name, SpanRow.label, SpanRow.origin)
        )
        return [(r[0], r[1], r[2], int(r[3])) for r in rows]

    def relation_counts(self, project_id: int) -> list[tuple[str, str, int]]:
        """``(annotator, relation label, relations)`` over every document of the project."""
        rows = self.session.execute(
            select(Annotator.name, RelationRow.label, func.count())
            .join(Annotator, Annotator.id == RelationRow.annotator_id)
            .join(DocumentRow, DocumentRow.id == RelationRow.document_id)
            .where(DocumentRow.project_id == project_id)
            .group_by(Annotator.name, RelationRow.label)
        )
        return [(r[0], r[1], int(r[2])) for r in rows]

    def relation(self, relation_id: int) -> Relation:
        """Return one relation, or raise ``NotFoundError``."""
        row = self.session.execute(
            select(
                RelationRow.id,
                RelationRow.document_id,
                RelationRow.head_id,
                RelationRow.tail_id,
                RelationRow.label,
                Annotator.name,
            )
            .join(Annotator, Annotator.id == RelationRow.annotator_id)
            .where(RelationRow.id == relation_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no relation with id {relation_id}")
        return Relation(*row)

    def delete_relation(self, relation_id: int) -> None:
        """Delete one relation; ``NotFoundError`` when it is gone (see ``delete``)."""
        gone = self.session.scalar(
            delete(RelationRow).where(RelationRow.id == relation_id).returning(RelationRow.id)
        )
        if gone is None:
            raise NotFoundError(f"no relation with id {relation_id}")

    def move(self, span_id: int, start: int, end: int, text: str) -> None:
        """Give a span new offsets and the text they cover; ``NotFoundError`` when gone."""
        moved = self.session.scalar(
            update(SpanRow)
            .where(SpanRow.id == span_id)
            .values(start=start, end=end, text=text)
            .returning(SpanRow.id)
        )
        if moved is None:
            raise NotFoundError(f"no span with id {span_id}")

    def set_attributes(self, span_id: int, attributes: dict[str, Any]) -> None:
        """Replace a span's attributes; ``NotFoundError`` when it is gone."""
        changed = self.session.scalar(
            update(SpanRow)
            .where(SpanRow.id == span_id)
            .values(attributes=attributes)
            .returning(SpanRow.id)
        )
        if changed is None:
            raise NotFoundError(f"no span with id {span_id}")

    def relation_end_labels(self) -> list[tuple[int, int, str, str, str]]:
        """``(id, document, label, head's label, tail's label)`` of every complete relation."""
        head = SpanRow.__table__.alias("head")
        tail = SpanRow.__table__.alias("tail")
        rows = self.session.execute(
            select(
                RelationRow.id,
                RelationRow.document_id,
                RelationRow.label,
                head.c.label,
                tail.c.label,
            )
            .join(head, head.c.id == RelationRow.head_id)
            .join(tail, tail.c.id == RelationRow.tail_id)
            .order_by(RelationRow.id)
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


class Events:
    """The audit log."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, annotator: str, action: str, **payload: Any) -> None:
        """Append one event."""
        self.session.execute(
            insert(Event).values(annotator=annotator, action=action, payload=payload)
        )

    def of_actions(self, actions: Iterable[str]) -> list[tuple[datetime, str, str, dict[str, Any]]]:
        """``(time, annotator, action, payload)`` of every event of these actions, oldest first.

        Times are in UTC (SQLite hands them back without a zone).
        """
        rows = self.session.execute(
            select(Event.at, Event.annotator, Event.action, Event.payload)
            .where(Event.action.in_(list(actions)))
            .order_by(Event.at, Event.id)
        )
        return [
            (at if at.tzinfo else at.replace(tzinfo=UTC), who, action, dict(payload or {}))
            for at, who, action, payload in rows
        ]


def insert_spans_returning_ids(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert spans and return their new ids in the order given."""
    if not rows:
        return []
    result = session.execute(
        insert(SpanRow).returning(SpanRow.id, sort_by_parameter_order=True), rows
    )
    return [int(r[0]) for r in result]


_BATCH = 500
"""Ids per ``IN (...)`` list: far below SQLite's limit on bound parameters."""


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for first in range(0, len(ids), _BATCH):
        yield ids[first : first + _BATCH]


class BulkReads:
    """Reads over many documents at once, for exports: a few queries per batch, not per row."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def annotator_id(self, name: str) -> int | None:
        """The id of annotator ``name``, or None when there is none (nothing is created)."""
        return self.session.scalar(select(Annotator.id).where(Annotator.name == name))

    def statuses(self, project_id: int, annotator_id: int | None) -> list[tuple[int, Status]]:
        """``(document id, status)`` of every document in list order, for one annotator.

        Documents the annotator never touched (or every document, when there is no such
        annotator) are new.
        """
        query = select(DocumentRow.id, DocumentState.status)
        query = query.outerjoin(
            DocumentState,
            (DocumentState.document_id == DocumentRow.id)
            & (DocumentState.annotator_id == (annotator_id or -1)),
        )
        rows = self.session.execute(
            query.where(DocumentRow.project_id == project_id).order_by(
                DocumentRow.position, DocumentRow.id
            )
        )
        return [(int(r[0]), Status(r[1] or Status.NEW)) for r in rows]

    def hashes_by_document(self, project_id: int) -> dict[int, str]:
        """SHA-256 of each document's text, by document id."""
        rows = self.session.execute(
            select(DocumentRow.id, DocumentRow.sha256).where(DocumentRow.project_id == project_id)
        )
        return {int(r[0]): str(r[1]) for r in rows}

    def documents(self, document_ids: Sequence[int]) -> list[Document]:
        """Documents with their texts, in the order of ``document_ids`` (missing ids skipped)."""
        found: dict[int, Document] = {}
        for chunk in _chunks(document_ids):
            result = self.session.connection().execute(
                select(
                    DocumentRow.id,
                    DocumentRow.title,
                    DocumentText.text,
                    DocumentRow.sha256,
                    type_coerce(DocumentRow.meta, Text),
                )
                .join(DocumentText, DocumentText.document_id == DocumentRow.id)
                .where(DocumentRow.id.in_(chunk))
            )
            rows = result.cursor.fetchall() if result.cursor is not None else []
            result.close()
            for i, title, text, digest, meta in rows:
                found[i] = Document(i, title, text, digest, _attributes(meta))
        return [found[i] for i in document_ids if i in found]

    def span_records(
        self, documents: Sequence[Document], *, reviews: bool = False
    ) -> tuple[dict[int, list[SpanRecord]], dict[str, str]]:
        """The spans of documents as records, by document id, ordered by start.

        Each record's text is sliced from the document's canonical text; its id is the span
        id as a string. With ``reviews`` the second dictionary gives each span's review state
        (``unreviewed`` until someone accepts or rejects it) by that id; else it is empty.
        """
        names = {r[0]: r[1] for r in self.session.execute(select(Annotator.id, Annotator.name))}
        texts = {document.id: document.text for document in documents}
        by_document: dict[int, list[SpanRecord]] = {i: [] for i in texts}
        states: dict[str, str] = {}
        columns = (*_SPAN_COLUMNS, SpanRow.review) if reviews else _SPAN_COLUMNS
        new, set_fields = object.__new__, object.__setattr__
        with _collector_paused():
            for chunk in _chunks(list(texts)):
                result = self.session.connection().execute(
                    select(*columns)
                    .where(SpanRow.document_id.in_(chunk))
                    .order_by(SpanRow.document_id, SpanRow.start)
                )
                rows = result.cursor.fetchall() if result.cursor is not None else []
                result.close()
                for row in rows:
                    i, d, start, end, label, annotator, origin, attributes, entity = row[:9]
                    # a frozen dataclass's __init__ sets each field through
                    # object.__setattr__; handing over one dictionary is several times faster
                    record: SpanRecord = new(SpanRecord)
                    set_fields(
                        record,
                        "__dict__",
                        {
                            "id": str(i),
                            "start": start,
                            "end": end,
                            "label": label,
                            "text": texts[d][start:end],
                            "annotator": names[annotator],
                            "origin": origin,
                            "attributes": {} if attributes == "{}" else _attributes(attributes),
                            "entity": "" if entity is None else str(entity),
                        },
                    )
                    by_document[d].append(record)
                    if reviews:
                        states[record.id] = row[9] or "unreviewed"
        return by_document, states

    def relation_records(self, document_ids: Sequence[int]) -> dict[int, list[RelationRecord]]:
        """Relations of many documents as records by document, in id order.

        ``head`` and ``tail`` are span ids as strings, as ``span_records`` gives them.
        """
        by_document: dict[int, list[RelationRecord]] = {i: [] for i in document_ids}
        for chunk in _chunks(document_ids):
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
                .where(RelationRow.document_id.in_(chunk))
                .order_by(RelationRow.id)
            )
            for i, d, head, tail, label, name in rows:
                by_document[d].append(RelationRecord(str(i), str(head), str(tail), label, name))
        return by_document

    def documents_annotated_by(self, project_id: int, annotator_id: int) -> set[int]:
        """Documents where the annotator has a span, or a status other than new."""
        with_spans = (
            select(SpanRow.document_id)
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .where(DocumentRow.project_id == project_id, SpanRow.annotator_id == annotator_id)
        )
        with_status = (
            select(DocumentState.document_id)
            .join(DocumentRow, DocumentRow.id == DocumentState.document_id)
            .where(
                DocumentRow.project_id == project_id,
                DocumentState.annotator_id == annotator_id,
                DocumentState.status != Status.NEW.value,
            )
        )
        return {int(r[0]) for r in self.session.execute(with_spans.union(with_status))}

    def reviewed_documents(self, project_id: int) -> set[int]:
        """Documents with at least one span whose review state is not ``unreviewed``."""
        rows = self.session.execute(
            select(SpanRow.document_id)
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .where(DocumentRow.project_id == project_id, SpanRow.review != "unreviewed")
            .distinct()
        )
        return {int(r[0]) for r in rows}


SPAN_VALUES = (
    "document_id",
    "start",
    "end",
    "label",
    "text",
    "annotator_id",
    "origin",
    "attributes",
)
"""The order of a span's values for ``BulkWrites.add_spans_to_new_documents``."""


class BulkWrites:
    """Inserts of many rows in a few statements, for imports.

    Rows go in by ``executemany`` without ``RETURNING`` (which SQLite honours in order only
    one row per statement); new ids are read back afterwards in one query per batch. On
    SQLite the rows go straight to the driver as tuples, their JSON and time values made by
    the column types' own bind processors: SQLAlchemy's per-row parameter processing would
    cost more than the inserts. Elsewhere Core ``insert()`` takes lists of dicts.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.connection = session.connection()
        self.dialect = self.connection.dialect

    def _driver_insert(
        self, model: type[DeclarativeBase], columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        quote = self.dialect.identifier_preparer.quote
        table = quote(str(model.__tablename__))
        names = ", ".join(quote(column) for column in columns)
        marks = ", ".join("?" for _ in columns)
        self.connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def _processor(self, model: type[DeclarativeBase], column: str) -> Any:
        kind = model.__table__.c[column].type
        return kind.dialect_impl(self.dialect).bind_processor(self.dialect) or (lambda v: v)

    def _created(self, model: type[DeclarativeBase]) -> Any:
        return self._processor(model, "created_at")(datetime.now(UTC))

    def add_documents(self, project_id: int, documents: Sequence[dict[str, Any]]) -> list[int]:
        """Insert documents (``title``, ``text``, ``sha256``, ``meta``, ``external_id``) and
        their texts after the project's last one; return the new ids in the order given.

        The ``sha256`` values must be new to the project (it holds each text once).
        """
        if not documents:
            return []
        last = self.session.scalar(
            select(func.coalesce(func.max(DocumentRow.position), 0)).where(
                DocumentRow.project_id == project_id
            )
        )
        first_position = (last or 0) + 1
        if self.dialect.name == "sqlite":
            meta, created = self._processor(DocumentRow, "meta"), self._created(DocumentRow)
            self._driver_insert(
                DocumentRow,
                (
                    "project_id",
                    "external_id",
                    "title",
                    "meta",
                    "sha256",
                    "length",
                    "position",
                    "created_at",
                ),
                [
                    (
                        project_id,
                        d.get("external_id", ""),
                        d["title"],
                        meta(d["meta"]),
                        d["sha256"],
                        len(d["text"]),
                        first_position + n,
                        created,
                    )
                    for n, d in enumerate(documents)
                ],
            )
        else:
            self.connection.execute(
                insert(DocumentRow),
                [
                    {
                        "project_id": project_id,
                        "external_id": d.get("external_id", ""),
                        "title": d["title"],
                        "meta": d["meta"],
                        "sha256": d["sha256"],
                        "length": len(d["text"]),
                        "position": first_position + n,
                    }
                    for n, d in enumerate(documents)
                ],
            )
        digests = [str(d["sha256"]) for d in documents]
        by_digest: dict[str, int] = {}
        for first in range(0, len(digests), _BATCH):
            rows = self.connection.execute(
                select(DocumentRow.sha256, DocumentRow.id).where(
                    DocumentRow.project_id == project_id,
                    DocumentRow.sha256.in_(digests[first : first + _BATCH]),
                )
            )
            by_digest.update((r[0], int(r[1])) for r in rows)
        ids = [by_digest[digest] for digest in digests]
        texts = [(i, d["text"]) for i, d in zip(ids, documents, strict=True)]
        if self.dialect.name == "sqlite":
            self._driver_insert(DocumentText, ("document_id", "text"), texts)
        else:
            self.connection.execute(
                insert(DocumentText), [{"document_id": i, "text": t} for i, t in texts]
            )
        return ids

    def add_spans_to_new_documents(
        self, rows: Sequence[tuple[Any, ...]], document_ids: Sequence[int]
    ) -> list[int]:
        """Insert spans of documents added in this transaction; return ids in the order given.

        Each row is a tuple in the order of ``SPAN_VALUES``. Nobody else can have added spans
        to documents not yet committed, and ids grow in the order rows are inserted (SQLite
        AUTOINCREMENT, a PostgreSQL sequence in one session), so those documents' spans in id
        order are the rows given, in order.
        """
        if not rows:
            return []
        if self.dialect.name == "sqlite":
            attributes, created = self._processor(SpanRow, "attributes"), self._created(SpanRow)
            review = SpanRow.__table__.c.review.default.arg
            self._driver_insert(
                SpanRow,
                (*SPAN_VALUES, "review", "created_at"),
                [
                    (*row[:7], attributes(row[7]) if row[7] else "{}", review, created)
                    for row in rows
                ],
            )
        else:
            self.connection.execute(
                insert(SpanRow), [dict(zip(SPAN_VALUES, row, strict=True)) for row in rows]
            )
        ids: list[int] = []
        for chunk in _chunks(document_ids):
            result = self.connection.execute(
                select(SpanRow.id).where(SpanRow.document_id.in_(chunk)).order_by(SpanRow.id)
            )
            found = result.cursor.fetchall() if result.cursor is not None else []
            result.close()
            ids.extend(int(row[0]) for row in found)
        ids.sort()
        if len(ids) != len(rows):
            raise RuntimeError(f"inserted {len(rows)} spans but found {len(ids)}")
        return ids

    def add_relations(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert relations (``document_id``, ``head_id``, ``tail_id``, ``label``,
        ``annotator_id``) in one statement."""
        if rows:
            self.connection.execute(insert(RelationRow), list(rows))


def _entity(row: Sequence[Any]) -> Entity:
    return Entity(int(row[0]), str(row[1]), str(row[2]), tuple(row[3] or ()), str(row[4] or ""))


_ENTITY_COLUMNS = (
    EntityRow.id,
    EntityRow.name,
    EntityRow.type,
    EntityRow.aliases,
    EntityRow.external_id,
)


class Entities:
    """Cross-document entities of a project and the spans that mention them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def of_project(self, project_id: int, entity_type: str | None = None) -> list[Entity]:
        """Every entity of the project (of one type when given), by name then id."""
        query = select(*_ENTITY_COLUMNS).where(EntityRow.project_id == project_id)
        if entity_type is not None:
            query = query.where(EntityRow.type == entity_type)
        rows = self.session.execute(query.order_by(EntityRow.name, EntityRow.id))
        return [_entity(row) for row in rows]

    def get(self, entity_id: int) -> Entity:
        """One entity, or ``NotFoundError``."""
        row = self.session.execute(
            select(*_ENTITY_COLUMNS).where(EntityRow.id == entity_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        return _entity(row)

    def project_of(self, entity_id: int) -> int | None:
        """The project an entity belongs to, or None when there is no such entity."""
        return self.session.scalar(select(EntityRow.project_id).where(EntityRow.id == entity_id))

    def add(self, project_id: int, entity: Entity, *, keep_id: bool = False) -> int:
        """Insert an entity (under ``entity.id`` when ``keep_id``, for undo); return its id."""
        values: dict[str, Any] = {
            "project_id": project_id,
            "name": entity.name,
            "type": entity.type,
            "aliases": list(entity.aliases),
            "external_id": entity.external_id,
        }
        if keep_id:
            values["id"] = entity.id
        return int(
            self.session.execute(
                insert(EntityRow).values(**values).returning(EntityRow.id)
            ).scalar_one()
        )

    def update(self, entity_id: int, *, name: str, aliases: Sequence[str]) -> None:
        """Give an entity a name and aliases; ``NotFoundError`` when it is gone."""
        changed = self.session.scalar(
            update(EntityRow)
            .where(EntityRow.id == entity_id)
            .values(name=name, aliases=list(aliases))
            .returning(EntityRow.id)
        )
        if changed is None:
            raise NotFoundError(f"no entity with id {entity_id}")

    def delete(self, entity_id: int) -> None:
        """Delete an entity; its mentions become unlinked."""
        self.session.execute(
            update(SpanRow).where(SpanRow.entity_id == entity_id).values(entity_id=None)
        )
        self.session.execute(delete(EntityRow).where(EntityRow.id == entity_id))

    def link(self, span_ids: Sequence[int], entity_id: int | None) -> None:
        """Make spans mentions of an entity (None: of none)."""
        for chunk in _chunks(list(span_ids)):
            self.session.execute(
                update(SpanRow).where(SpanRow.id.in_(chunk)).values(entity_id=entity_id)
            )

    def mention_ids(self, entity_id: int) -> list[int]:
        """Ids of the spans that mention an entity, in id order."""
        return list(
            self.session.scalars(
                select(SpanRow.id).where(SpanRow.entity_id == entity_id).order_by(SpanRow.id)
            )
        )

    def mention_counts(self, project_id: int) -> dict[int, int]:
        """Mentions per entity id (entities without mentions are absent)."""
        rows = self.session.execute(
            select(SpanRow.entity_id, func.count())
            .join(EntityRow, EntityRow.id == SpanRow.entity_id)
            .where(EntityRow.project_id == project_id)
            .group_by(SpanRow.entity_id)
        )
        return {int(r[0] or 0): int(r[1]) for r in rows}

    def _titled_spans(self, span_ids: Sequence[int]) -> list[tuple[str, Span]]:
        if not span_ids:
            return []
        names = {r[0]: r[1] for r in self.session.execute(select(Annotator.id, Annotator.name))}
        found: list[tuple[int, str, Span]] = []
        for chunk in _chunks(list(span_ids)):
            rows = self.session.execute(
                select(DocumentRow.position, DocumentRow.title, *_SPAN_COLUMNS)
                .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
                .where(SpanRow.id.in_(chunk))
            ).all()
            spans = _spans([tuple(row[2:]) for row in rows], names)
            found.extend(
                (int(row[0]), str(row[1]), span) for row, span in zip(rows, spans, strict=True)
            )
        found.sort(key=lambda item: (item[0], item[2].document_id, item[2].start))
        return [(title, span) for _, title, span in found]

    def mentions(self, entity_id: int) -> list[tuple[str, Span]]:
        """``(document title, span)`` of every mention, in document list order, by start."""
        return self._titled_spans(self.mention_ids(entity_id))

    def quotes_by(self, entity_id: int, relation: str = "speaker") -> list[tuple[str, Span]]:
        """``(document title, span)`` of the spans whose ``relation`` points at a mention."""
        heads = self.session.scalars(
            select(RelationRow.head_id)
            .join(SpanRow, SpanRow.id == RelationRow.tail_id)
            .where(SpanRow.entity_id == entity_id, RelationRow.label == relation)
            .distinct()
        )
        return self._titled_spans(list(heads))

    def links(self) -> list[tuple[int, int, str, int, int, str | None, int | None]]:
        """``(span, document, span label, document's project, entity, entity type, entity's
        project)`` of every linked span; the entity's fields are None when it is missing."""
        rows = self.session.execute(
            select(
                SpanRow.id,
                SpanRow.document_id,
                SpanRow.label,
                DocumentRow.project_id,
                SpanRow.entity_id,
                EntityRow.type,
                EntityRow.project_id,
            )
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .outerjoin(EntityRow, EntityRow.id == SpanRow.entity_id)
            .where(SpanRow.entity_id.is_not(None))
            .order_by(SpanRow.id)
        )
        return [(r[0], r[1], r[2], r[3], int(r[4] or 0), r[5], r[6]) for r in rows]
