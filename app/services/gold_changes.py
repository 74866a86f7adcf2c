"""Changes of the gold layer, and the one place that writes them.

Gold changes are ordinary ``ChangeSet`` values: ``commit_change`` writes one inside a unit
of work (new spans and relations of id 0 get ids; those with an id keep it) and records the
event under the adjudicator's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.core.annotations import Origin, Span
from app.services.applying import write_change
from app.services.changes import ChangeSet
from app.services.selection import GOLD_ANNOTATOR
from app.store.unit_of_work import UnitOfWork


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
        span.fragments,
    )
    return copy._replace(**changes)


def same_answer(first: Span, second: Span) -> bool:
    """True when two spans say the same thing (ids and annotators aside)."""
    return (
        first.start,
        first.end,
        first.fragments,
        first.label,
        first.attributes,
        first.entity,
    ) == (
        second.start,
        second.end,
        second.fragments,
        second.label,
        second.attributes,
        second.entity,
    )


def replacing(
    uow: UnitOfWork, document_id: int, old: Sequence[Span], new: Sequence[Span]
) -> ChangeSet:
    """The change that puts ``new`` in place of the gold spans ``old`` and their relations."""
    relations = {r.id: r for span in old for r in uow.spans.relations_touching(span.id)}
    return ChangeSet(
        document_id,
        added=tuple(new),
        removed=tuple(old),
        relations_removed=tuple(relations.values()),
    )


def commit_change(
    uow: UnitOfWork, change: ChangeSet, adjudicator: str, action: str, **payload: Any
) -> ChangeSet:
    """Write ``change`` (storing spans and relations of id 0 under new ids), record it as
    ``adjudicator``'s ``action`` and commit; the change as written, with its new ids."""
    written = write_change(uow, change, adjudicator, action, **payload)
    uow.commit()
    return written
