"""Reads and writes for merging another database's work: layers, states, reviews."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select, update

from app.core.annotations import Status
from app.store.orm import Annotator, DocumentRow, DocumentState, RelationRow, SpanRow, now
from app.store.repositories._shared import Repository, _chunks

_PROGRESS = {Status.NEW: 0, Status.IN_PROGRESS: 1, Status.DONE: 2}

SpanKey = tuple[int, int, int, str, int, str | None]
"""``(document id, start, end, label, annotator id, fragments)``: what makes two spans the
same; the fragments as their column holds them (``fragments_json``)."""
RelationKey = tuple[int, int, str, int]
"""``(head span id, tail span id, label, annotator id)``."""


class Layers(Repository):
    """Annotator layers of documents, read whole and added to."""

    def states(self, project_id: int) -> list[tuple[int, str, Status]]:
        """``(document id, annotator name, status)`` of every recorded state."""
        rows = self.session.execute(
            select(DocumentState.document_id, Annotator.name, DocumentState.status)
            .join(Annotator, Annotator.id == DocumentState.annotator_id)
            .join(DocumentRow, DocumentRow.id == DocumentState.document_id)
            .where(DocumentRow.project_id == project_id)
        )
        return [(int(r[0]), str(r[1]), Status(r[2] or Status.NEW)) for r in rows]

    def external_ids(self, document_ids: Sequence[int]) -> dict[int, str]:
        """Each document's external id (its id in the file it came from)."""
        found: dict[int, str] = {}
        for chunk in _chunks(list(document_ids)):
            rows = self.session.execute(
                select(DocumentRow.id, DocumentRow.external_id).where(DocumentRow.id.in_(chunk))
            )
            found.update((int(r[0]), str(r[1] or "")) for r in rows)
        return found

    def span_keys(self, document_ids: Sequence[int]) -> dict[SpanKey, int]:
        """The id of every span of these documents, by what makes spans the same (the
        newest, when several are the same)."""
        found: dict[SpanKey, int] = {}
        for chunk in _chunks(list(document_ids)):
            rows = self.session.execute(
                select(
                    SpanRow.document_id,
                    SpanRow.start,
                    SpanRow.end,
                    SpanRow.label,
                    SpanRow.annotator_id,
                    SpanRow.id,
                    SpanRow.fragments,
                )
                .where(SpanRow.document_id.in_(chunk))
                .order_by(SpanRow.id)
            )
            for d, s, e, label, a, i, f in rows:
                found[(int(d), int(s), int(e), str(label), int(a), f or None)] = int(i)
        return found

    def relation_keys(self, document_ids: Sequence[int]) -> set[RelationKey]:
        """Every relation of these documents, as what makes relations the same."""
        found: set[RelationKey] = set()
        for chunk in _chunks(list(document_ids)):
            rows = self.session.execute(
                select(
                    RelationRow.head_id,
                    RelationRow.tail_id,
                    RelationRow.label,
                    RelationRow.annotator_id,
                ).where(RelationRow.document_id.in_(chunk))
            )
            found.update((int(h), int(t), str(label), int(a)) for h, t, label, a in rows)
        return found

    def add_spans(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert spans (every column but the id; review included) in one statement.

        Without ``RETURNING``: SQLite would then take them one row per statement. Their ids
        are found again by ``span_keys``.
        """
        if rows:
            self.session.execute(insert(SpanRow), list(rows))

    def raise_status(self, document_id: int, annotator_id: int, status: Status) -> bool:
        """Move an annotator's status of a document forward to ``status``, never back.

        Returns True when it changed.
        """
        current = self.session.scalar(
            select(DocumentState.status).where(
                DocumentState.document_id == document_id,
                DocumentState.annotator_id == annotator_id,
            )
        )
        if current is None:
            self.session.add(
                DocumentState(
                    document_id=document_id,
                    annotator_id=annotator_id,
                    status=status.value,
                    seconds_spent=0,
                )
            )
            self.session.flush()
            return True
        if _PROGRESS[Status(current)] >= _PROGRESS[status]:
            return False
        self.session.execute(
            update(DocumentState)
            .where(
                DocumentState.document_id == document_id,
                DocumentState.annotator_id == annotator_id,
            )
            .values(status=status.value, updated_at=now())
        )
        return True
