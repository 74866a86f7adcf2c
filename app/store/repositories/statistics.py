"""Read-only counting queries over a whole project, for statistics and agreement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Result, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.annotations import Status
from app.store.orm import Annotator, DocumentRow, DocumentState, RelationRow, SpanRow
from app.store.repositories._shared import Repository


def _counts_per_annotator(
    session: Session,
    model: type[SpanRow | RelationRow | DocumentState],
    project_id: int,
    *columns: InstrumentedAttribute[str],
) -> Result[*tuple[Any, ...]]:
    """``(annotator, *columns, rows)`` of ``model``'s rows in the project's documents."""
    return session.execute(
        select(Annotator.name, *columns, func.count())
        .join(Annotator, Annotator.id == model.annotator_id)
        .join(DocumentRow, DocumentRow.id == model.document_id)
        .where(DocumentRow.project_id == project_id)
        .group_by(Annotator.name, *columns)
    )


class DocumentFigures(Repository):
    """Counts over the documents of a project and their per-annotator states."""

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
        rows = _counts_per_annotator(self.session, DocumentState, project_id, DocumentState.status)
        return [(r[0], r[1], int(r[2])) for r in rows]


class SpanFigures(Repository):
    """Counts of spans and relations over a project."""

    def label_counts(self, project_id: int) -> list[tuple[str, str, str, int]]:
        """``(annotator, label, origin, spans)`` over every document of the project."""
        rows = _counts_per_annotator(
            self.session, SpanRow, project_id, SpanRow.label, SpanRow.origin
        )
        return [(r[0], r[1], r[2], int(r[3])) for r in rows]

    def relation_counts(self, project_id: int) -> list[tuple[str, str, int]]:
        """``(annotator, relation label, relations)`` over every document of the project."""
        rows = _counts_per_annotator(self.session, RelationRow, project_id, RelationRow.label)
        return [(r[0], r[1], int(r[2])) for r in rows]

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
