"""What adjudication reads and writes besides plain spans: who annotated a document, review
states of spans, and whole-span rewrites of gold spans."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import select, update

from app.core.annotations import Span
from app.core.errors import NotFoundError
from app.store.orm import Annotator, SpanRow
from app.store.repositories._shared import Repository, _chunks

REJECTED = "rejected"


class GoldLayer(Repository):
    """Queries of the adjudication of one document; never commits."""

    def annotators_of(self, document_id: int) -> list[str]:
        """The names of everyone with a span in the document, alphabetically."""
        query = (
            select(Annotator.name)
            .join(SpanRow, SpanRow.annotator_id == Annotator.id)
            .where(SpanRow.document_id == document_id)
            .distinct()
        )
        return sorted(self.session.scalars(query))

    def rejected(self, document_id: int) -> set[int]:
        """Ids of the document's spans a reviewer (or adjudicator) rejected."""
        query = select(SpanRow.id).where(
            SpanRow.document_id == document_id, SpanRow.review == REJECTED
        )
        return set(self.session.scalars(query))

    def reviews(self, span_ids: Collection[int]) -> dict[int, str]:
        """The review state of each of these spans by id (missing ids are left out)."""
        states: dict[int, str] = {}
        for chunk in _chunks(sorted(span_ids)):
            rows = self.session.execute(
                select(SpanRow.id, SpanRow.review).where(SpanRow.id.in_(chunk))
            )
            states.update({span_id: review for span_id, review in rows})
        return states

    def set_reviews(self, states: Mapping[int, str]) -> None:
        """Give each span its review state; ``NotFoundError`` when a span is gone."""
        for span_id, review in states.items():
            changed = self.session.scalar(
                update(SpanRow)
                .where(SpanRow.id == span_id)
                .values(review=review)
                .returning(SpanRow.id)
            )
            if changed is None:
                raise NotFoundError(f"no span with id {span_id}")

    def rewrite(self, span: Span, text: str) -> None:
        """Store ``span``'s range (covering ``text``), label, attributes and entity under its
        id; ``NotFoundError`` when it is gone."""
        changed = self.session.scalar(
            update(SpanRow)
            .where(SpanRow.id == span.id)
            .values(
                start=span.start,
                end=span.end,
                text=text,
                label=span.label,
                attributes=dict(span.attributes),
                entity_id=span.entity,
            )
            .returning(SpanRow.id)
        )
        if changed is None:
            raise NotFoundError(f"no span with id {span.id}")
