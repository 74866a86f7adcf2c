"""A cheap fingerprint of everything annotators change, to notice others' work."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.store.orm import DocumentRow, DocumentState, Event, RelationRow, SpanRow
from app.store.repositories._shared import Repository


class ChangeStamps(Repository):
    """Reads that tell whether the database changed since the last look."""

    def stamp(self) -> tuple[Any, ...]:
        """Counts and highest ids of spans, relations, documents, states and events.

        Any action that adds, deletes or edits something moves one of them: adding moves a
        count and a highest id, deleting a count, an edit records an event. One query of
        aggregates over indexed keys, cheap enough to run every few seconds.
        """
        parts = (
            select(func.count(), func.max(SpanRow.id)).select_from(SpanRow),
            select(func.count(), func.max(RelationRow.id)).select_from(RelationRow),
            select(func.count(), func.max(DocumentRow.id)).select_from(DocumentRow),
            select(func.count(), func.max(DocumentState.updated_at)).select_from(DocumentState),
            select(func.count(), func.max(Event.id)).select_from(Event),
        )
        columns = [
            query.with_only_columns(column).scalar_subquery()
            for query in parts
            for column in query.selected_columns
        ]
        row = self.session.execute(select(*columns)).one()
        return tuple(row)
