"""What every repository module shares: the base class and small query helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import CursorResult, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session

from app.store.orm import Annotator, DocumentRow


class Repository:
    """Reads and writes through one session; never commits."""

    session: Session

    def __init__(self, session: Session) -> None:
        self.session = session


def _attributes(raw: Any) -> dict[str, Any]:
    if raw == "{}" or not raw:
        return {}
    if isinstance(raw, dict):  # drivers that decode JSON themselves (psycopg)
        return raw
    return dict(json.loads(raw) or {})


def _fragments(raw: Any) -> tuple[tuple[int, int], ...]:
    """A span's fragments from their column (JSON text, or NULL for a span in one piece)."""
    if not raw:
        return ()
    pieces = json.loads(raw) if isinstance(raw, str) else raw
    return tuple((int(s), int(e)) for s, e in pieces)


def fragments_json(fragments: tuple[tuple[int, int], ...]) -> str | None:
    """The column value of a span's fragments: compact JSON text, NULL when there are none."""
    if not fragments:
        return None
    return json.dumps([[s, e] for s, e in fragments], separators=(",", ":"))


def _insert_unless_present(
    session: Session, model: type[DeclarativeBase], values: dict[str, Any]
) -> None:
    """Insert a row unless one with the same unique key exists (even a moment-old one).

    Two processes may both look a name up, find nothing and insert it; on a shared database
    the second insert then waits for the first and does nothing instead of failing.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(postgresql.insert(model).values(values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(model).values(values).on_conflict_do_nothing())
    else:
        session.execute(insert(model).values(values))


def _annotator_names(session: Session) -> dict[int, str]:
    """Every annotator's name by id."""
    return {row[0]: row[1] for row in session.execute(select(Annotator.id, Annotator.name))}


def _driver_rows(result: CursorResult[*tuple[Any, ...]]) -> Sequence[Any]:
    """The driver's plain tuples of a Core result, which is then closed.

    Only for columns that need no result processor: no Row objects are built.
    """
    rows = result.cursor.fetchall() if result.cursor is not None else []
    result.close()
    return rows


def _next_position(session: Session, project_id: int) -> int:
    """The list position after the project's last document (1 when it has none)."""
    last = session.scalar(
        select(func.coalesce(func.max(DocumentRow.position), 0)).where(
            DocumentRow.project_id == project_id
        )
    )
    return (last or 0) + 1


_BATCH = 500
"""Ids per ``IN (...)`` list: far below SQLite's limit on bound parameters."""


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for first in range(0, len(ids), _BATCH):
        yield ids[first : first + _BATCH]
