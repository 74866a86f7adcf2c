"""Spans of documents: the fast path that opens an article, and single-span edits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Text, delete, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from app.core.annotations import Origin, Span
from app.core.collector import collector_paused
from app.core.errors import NotFoundError
from app.store.orm import DocumentRow, RelationRow, SpanRow
from app.store.repositories._shared import (
    _annotator_names,
    _attributes,
    _driver_rows,
    _fragments,
    fragments_json,
)
from app.store.repositories.relations import RelationQueries
from app.store.repositories.statistics import SpanFigures

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
    SpanRow.fragments,
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
                () if f is None else _fragments(f),
            ),
        )
        for i, d, s, e, lab, a, o, at, en, f in rows
    ]


def insert_spans_returning_ids(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert spans and return their new ids in the order given."""
    if not rows:
        return []
    result = session.execute(
        insert(SpanRow).returning(SpanRow.id, sort_by_parameter_order=True), rows
    )
    return [int(r[0]) for r in result]


class Spans(RelationQueries, SpanFigures):
    """Spans and relations of documents."""

    def of_document(self, document_id: int) -> list[Span]:
        """Every span of a document ordered by start, as plain values (no ORM objects)."""
        # through the connection: Core rows, without the ORM's per-row loading machinery;
        # ordered by the (document_id, start) index alone, so SQLite needs no sort
        names = _annotator_names(self.session)
        result = self.session.connection().execute(
            select(*_SPAN_COLUMNS).where(SpanRow.document_id == document_id).order_by(SpanRow.start)
        )
        with collector_paused():
            # the driver's plain tuples: none of these columns needs a result processor, and
            # building Row objects would double the time to open a long article
            rows = _driver_rows(result)
            return _spans(rows, names)

    def get(self, span_id: int, *, lock: bool = False) -> Span:
        """Return one span, or raise ``NotFoundError``.

        With ``lock`` the row stays taken until the transaction ends, so that a change based
        on what was read here cannot overwrite another made meanwhile (PostgreSQL; SQLite's
        writing transactions hold the whole file already).
        """
        query = select(*_SPAN_COLUMNS).where(SpanRow.id == span_id)
        if lock:
            query = query.with_for_update(of=SpanRow)
        row = self.session.execute(query).first()
        if row is None:
            raise NotFoundError(f"no span with id {span_id}")
        return _spans([row], _annotator_names(self.session))[0]

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
        fragments: tuple[tuple[int, int], ...] = (),
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
            "fragments": fragments_json(fragments),
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

    def _change(self, span_id: int, **values: Any) -> None:
        """Set columns of one span; ``NotFoundError`` when it is gone (see ``delete``)."""
        changed = self.session.scalar(
            update(SpanRow).where(SpanRow.id == span_id).values(**values).returning(SpanRow.id)
        )
        if changed is None:
            raise NotFoundError(f"no span with id {span_id}")

    def rewrite(self, span: Span, text: str) -> None:
        """Store ``span``'s range (covering ``text``), fragments, label, attributes and entity
        under its id; ``NotFoundError`` when it is gone (see ``delete``)."""
        self._change(
            span.id,
            start=span.start,
            end=span.end,
            text=text,
            label=span.label,
            attributes=dict(span.attributes),
            entity_id=span.entity,
            fragments=fragments_json(span.fragments),
        )

    def ids_with_label(self, project_id: int, label: str) -> list[int]:
        """The ids of every span of the project labelled ``label``."""
        documents = select(DocumentRow.id).where(DocumentRow.project_id == project_id)
        query = select(SpanRow.id).where(SpanRow.label == label, SpanRow.document_id.in_(documents))
        return list(self.session.scalars(query.order_by(SpanRow.id)))

    def rename_label(self, project_id: int, old: str, new: str) -> int:
        """Relabel every span of the project labelled ``old`` as ``new``; how many."""
        documents = select(DocumentRow.id).where(DocumentRow.project_id == project_id)
        renamed = self.session.scalars(
            update(SpanRow)
            .where(SpanRow.label == old, SpanRow.document_id.in_(documents))
            .values(label=new)
            .returning(SpanRow.id)
        )
        return len(list(renamed))

    def relation_ids_with_label(self, project_id: int, label: str) -> list[int]:
        """The ids of every relation of the project labelled ``label``."""
        documents = select(DocumentRow.id).where(DocumentRow.project_id == project_id)
        query = select(RelationRow.id).where(
            RelationRow.label == label, RelationRow.document_id.in_(documents)
        )
        return list(self.session.scalars(query.order_by(RelationRow.id)))

    def rename_relation_label(self, project_id: int, old: str, new: str) -> int:
        """Relabel every relation of the project labelled ``old`` as ``new``; how many."""
        documents = select(DocumentRow.id).where(DocumentRow.project_id == project_id)
        renamed = self.session.scalars(
            update(RelationRow)
            .where(RelationRow.label == old, RelationRow.document_id.in_(documents))
            .values(label=new)
            .returning(RelationRow.id)
        )
        return len(list(renamed))
