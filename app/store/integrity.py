"""Database-level checks: SQLite's own integrity check and foreign keys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.store.orm import DocumentRow, DocumentText, RelationRow, SpanRow


def sqlite_problems(session: Session) -> list[str]:
    """Problems reported by ``PRAGMA integrity_check`` and ``foreign_key_check``."""
    problems = [
        f"integrity_check: {row[0]}"
        for row in session.execute(text("PRAGMA integrity_check"))
        if row[0] != "ok"
    ]
    problems += [
        f"foreign key: row {row[1]} of {row[0]} points to a missing {row[2]}"
        for row in session.execute(text("PRAGMA foreign_key_check"))
    ]
    return problems


def documents_with_spans(session: Session) -> Iterator[tuple[int, str, str, list[Any]]]:
    """Each document's id, title, text and ``(span id, start, end, stored text, label,
    fragments)`` rows, the fragments as their column holds them (JSON text, or None)."""
    for document_id, title, body in session.execute(
        select(DocumentRow.id, DocumentRow.title, DocumentText.text).join(
            DocumentText, DocumentText.document_id == DocumentRow.id
        )
    ):
        spans = list(
            session.execute(
                select(
                    SpanRow.id,
                    SpanRow.start,
                    SpanRow.end,
                    SpanRow.text,
                    SpanRow.label,
                    SpanRow.fragments,
                ).where(SpanRow.document_id == document_id)
            )
        )
        yield document_id, title, body, spans


def relation_ends(session: Session) -> list[tuple[int, int, int, int, int, int]]:
    """``(relation, its document, head, head's document, tail, tail's document)``."""
    head = SpanRow.__table__.alias("head")
    tail = SpanRow.__table__.alias("tail")
    rows = session.execute(
        select(
            RelationRow.id,
            RelationRow.document_id,
            RelationRow.head_id,
            head.c.document_id,
            RelationRow.tail_id,
            tail.c.document_id,
        )
        .outerjoin(head, head.c.id == RelationRow.head_id)
        .outerjoin(tail, tail.c.id == RelationRow.tail_id)
    )
    return [tuple(r) for r in rows]
