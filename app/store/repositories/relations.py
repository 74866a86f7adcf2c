"""Relations between spans of one document."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, insert, select

from app.core.annotations import Relation
from app.core.errors import NotFoundError
from app.store.orm import Annotator, RelationRow
from app.store.repositories._shared import Repository

_RELATION_COLUMNS = (
    RelationRow.id,
    RelationRow.document_id,
    RelationRow.head_id,
    RelationRow.tail_id,
    RelationRow.label,
    Annotator.name,
)
"""A relation's fields in the order of ``Relation``, the annotator by name."""


def _relations() -> Select[int, int, int, int, str, str]:
    """``_RELATION_COLUMNS`` of relations joined to their annotators, to be filtered."""
    return select(*_RELATION_COLUMNS).join(Annotator, Annotator.id == RelationRow.annotator_id)


class RelationQueries(Repository):
    """Reads and writes of relations; part of ``Spans``."""

    def relations_of_document(self, document_id: int) -> list[Relation]:
        """Every relation of a document."""
        rows = self.session.execute(
            _relations().where(RelationRow.document_id == document_id).order_by(RelationRow.id)
        )
        return [Relation(*r) for r in rows]

    def relations_touching(self, span_id: int) -> list[Relation]:
        """Relations whose head or tail is ``span_id``."""
        rows = self.session.execute(
            _relations().where((RelationRow.head_id == span_id) | (RelationRow.tail_id == span_id))
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

    def relation(self, relation_id: int) -> Relation:
        """Return one relation, or raise ``NotFoundError``."""
        row = self.session.execute(_relations().where(RelationRow.id == relation_id)).first()
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
