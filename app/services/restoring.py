"""Putting deleted spans and relations back under their old ids, inside a unit of work.

Every undo that brings annotations back goes through here, so that they come back the same
way: the covered text read afresh from the document, the annotator's id looked up, and a
mention of an entity deleted meanwhile brought back unlinked rather than refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.core.annotations import Relation, Span
from app.core.errors import NotFoundError, SpanError
from app.store.repositories import Entities
from app.store.unit_of_work import UnitOfWork


def put_back_spans(uow: UnitOfWork, spans: Sequence[Span]) -> None:
    """Add ``spans`` again under their ids, with their attributes and entity links."""
    gone = missing_entities(uow.entities, spans)
    for span in spans:
        _, covered = uow.documents.excerpt(span.document_id, span.start, span.end)
        uow.spans.add(
            span.document_id,
            span.start,
            span.end,
            span.label,
            uow.annotators.id_of(span.annotator),
            text=covered,
            origin=span.origin,
            attributes=span.attributes,
            span_id=span.id,
            entity_id=None if span.entity in gone else span.entity,
            fragments=span.fragments,
        )


def put_back_relations(
    uow: UnitOfWork, relations: Iterable[Relation], *, check_ends: bool = True
) -> None:
    """Add ``relations`` again under their ids; with ``check_ends`` both spans of each must
    still be in its document (``SpanError`` otherwise)."""
    for relation in relations:
        if check_ends:
            for end in (relation.head, relation.tail):
                if uow.spans.get(end).document_id != relation.document_id:
                    raise SpanError(
                        f"span {end} is not in document {relation.document_id} any more"
                    )
        uow.spans.add_relation(
            relation.document_id,
            relation.head,
            relation.tail,
            relation.label,
            uow.annotators.id_of(relation.annotator),
            relation_id=relation.id,
        )


def missing_entities(entities: Entities, spans: Iterable[Span]) -> set[int]:
    """The entities the spans mention that are no longer there."""
    missing = set()
    for entity_id in {span.entity for span in spans if span.entity is not None}:
        try:
            entities.get(entity_id)
        except NotFoundError:
            missing.add(entity_id)
    return missing
