"""Read-only queries over the event log for progress over time."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.store.orm import DocumentRow, Event
from app.store.repositories._shared import Repository

SET_STATUS = "set_status"
"""The action logged each time an annotator sets a document's status."""


class StatusEvents(Repository):
    """Every change of a document's status, as the event log recorded it."""

    def status_changes(self, project_id: int) -> list[tuple[datetime, str, int, str]]:
        """``(time, annotator, document, status)`` of the project's documents, oldest first.

        Times are in UTC. Events of documents deleted since (or of other projects) are
        left out.
        """
        document = Event.payload["document"].as_integer()
        rows = self.session.execute(
            select(Event.at, Event.annotator, document, Event.payload["status"].as_string())
            .join(DocumentRow, DocumentRow.id == document)
            .where(Event.action == SET_STATUS, DocumentRow.project_id == project_id)
            .order_by(Event.at, Event.id)
        )
        return [
            (at if at.tzinfo else at.replace(tzinfo=UTC), who, int(doc), str(status))
            for at, who, doc, status in rows
        ]
