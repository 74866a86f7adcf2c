"""Changes of the gold layer, and the one place that writes them.

A ``GoldChange`` is a ``ChangeSet`` that also knows what it replaced, so that its
``inverse`` puts everything back under the same ids. ``commit_change`` writes one inside a
unit of work (new spans and relations of id 0 get ids; those with an id keep it) and records
the event under the adjudicator's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from app.core.annotations import Origin, Span
from app.core.errors import SpanError
from app.services.changes import ChangeSet
from app.services.restoring import missing_entities, put_back_relations
from app.services.selection import GOLD_ANNOTATOR
from app.store.repositories import Entities
from app.store.repositories.gold import REJECTED, GoldLayer
from app.store.unit_of_work import UnitOfWork

Review = tuple[int, str, str]
"""``(span id, review state before, review state after)``."""


@dataclass(frozen=True)
class GoldChange(ChangeSet):
    """A change of the gold layer, with what it takes to undo it."""

    before: tuple[Span, ...] = ()
    """The spans of ``changed`` as they were."""
    review_states: tuple[Review, ...] = ()
    """Review states that changed (rejected versions); ``reviews`` holds their ids."""

    def inverse(self) -> GoldChange:
        """The change that undoes this one."""
        return GoldChange(
            self.document_id,
            added=self.removed,
            removed=self.added,
            changed=self.before,
            before=self.changed,
            relations_added=self.relations_removed,
            relations_removed=self.relations_added,
            reviews=self.reviews,
            entities=self.entities,
            review_states=tuple((i, after, old) for i, old, after in self.review_states),
        )


def gold_copy(span: Span, **changes: Any) -> Span:
    """A new gold span (id 0 until stored) like ``span``, with ``changes``."""
    copy = Span(
        0,
        span.document_id,
        span.start,
        span.end,
        span.label,
        GOLD_ANNOTATOR,
        Origin.MANUAL,
        dict(span.attributes),
        span.entity,
    )
    return copy._replace(**changes)


def same_answer(first: Span, second: Span) -> bool:
    """True when two spans say the same thing (ids and annotators aside)."""
    return (first.start, first.end, first.label, first.attributes, first.entity) == (
        second.start,
        second.end,
        second.label,
        second.attributes,
        second.entity,
    )


def replacing(
    uow: UnitOfWork, document_id: int, old: Sequence[Span], new: Sequence[Span]
) -> GoldChange:
    """The change that puts ``new`` in place of the gold spans ``old`` and their relations."""
    relations = {r.id: r for span in old for r in uow.spans.relations_touching(span.id)}
    return GoldChange(
        document_id,
        added=tuple(new),
        removed=tuple(old),
        relations_removed=tuple(relations.values()),
    )


def commit_change(
    uow: UnitOfWork, change: GoldChange, adjudicator: str, action: str, **payload: Any
) -> GoldChange:
    """Write ``change`` (storing spans and relations of id 0 under new ids), record it as
    ``adjudicator``'s ``action`` and commit; the change as written, with its new ids."""
    document_id = change.document_id
    assert document_id is not None
    text = uow.documents.text(document_id)
    for relation in change.relations_removed:
        uow.spans.delete_relation(relation.id)
    for span in change.removed:
        uow.spans.delete(span.id)
    gold = GoldLayer(uow.session)
    gone = missing_entities(Entities(uow.session), (*change.changed, *change.added))
    for span in change.changed:
        _check_range(text, span)
        if span.entity in gone:  # deleted meanwhile: the span comes back unlinked
            span = span._replace(entity=None)
        gold.rewrite(span, text[span.start : span.end])
    added = []
    for span in change.added:
        _check_range(text, span)
        new_id = uow.spans.add(
            document_id,
            span.start,
            span.end,
            span.label,
            uow.annotators.id_of(span.annotator),
            text=text[span.start : span.end],
            origin=span.origin,
            attributes=span.attributes,
            span_id=span.id or None,
            entity_id=None if span.entity in gone else span.entity,
        )
        added.append(span._replace(id=new_id))
    # relations coming back under their ids (undo, redo) are put back like any undone
    # relation: refused when an end has gone meanwhile
    put_back_relations(uow, [r for r in change.relations_added if r.id])
    relations = []
    for relation in change.relations_added:
        new_id = relation.id or uow.spans.add_relation(
            document_id,
            relation.head,
            relation.tail,
            relation.label,
            uow.annotators.id_of(relation.annotator),
        )
        relations.append(replace(relation, id=new_id))
    gold.set_reviews({span_id: after for span_id, _, after in change.review_states})
    written = replace(change, added=tuple(added), relations_added=tuple(relations))
    uow.events.record(
        adjudicator,
        action,
        document=document_id,
        added=[s.id for s in written.added],
        removed=[s.id for s in written.removed],
        changed=[s.id for s in written.changed],
        relations_added=[r.id for r in written.relations_added],
        rejected=[i for i, _, after in written.review_states if after == REJECTED],
        **payload,
    )
    uow.commit()
    return written


def _check_range(text: str, span: Span) -> None:
    if not 0 <= span.start < span.end <= len(text):
        raise SpanError(
            f"span [{span.start}, {span.end}) is empty or outside the text (length {len(text)})"
        )
