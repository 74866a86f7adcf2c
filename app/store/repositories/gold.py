"""What adjudication reads besides plain spans: who annotated a document, what was rejected."""

from __future__ import annotations

from sqlalchemy import select

from app.store.orm import Annotator, SpanRow
from app.store.repositories._shared import Repository

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
