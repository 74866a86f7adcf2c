"""Projects, annotators and the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from app.core.errors import ConflictError
from app.store.orm import Annotator, Event, Project
from app.store.repositories._shared import Repository, _insert_unless_present


class Projects(Repository):
    """The project row and its label schema."""

    def first(self) -> tuple[int, str, dict[str, Any]] | None:
        """Return ``(id, name, schema)`` of the first project, if any."""
        row = self.session.execute(
            select(Project.id, Project.name, Project.schema).order_by(Project.id).limit(1)
        ).first()
        return (row[0], row[1], row[2]) if row else None

    def create(self, name: str, schema: dict[str, Any]) -> int:
        """Create a project and return its id.

        When another process has just created one of that name, return the id of that one.
        """
        _insert_unless_present(self.session, Project, {"name": name, "schema": schema})
        return self.session.execute(select(Project.id).where(Project.name == name)).scalar_one()

    def schema_version(self, project_id: int) -> int:
        """How many times the project's schema has been stored (1 when never edited)."""
        return int(
            self.session.execute(
                select(Project.schema_version).where(Project.id == project_id)
            ).scalar_one()
        )

    def schema_of(self, project_id: int, *, lock: bool = False) -> tuple[dict[str, Any], int]:
        """The project's label schema (its JSON form) and its version.

        With ``lock`` the row stays taken until the transaction ends: whoever edits the
        schema next waits, then reads the result (PostgreSQL; SQLite's writing transactions
        hold the whole file already).
        """
        query = select(Project.schema, Project.schema_version).where(Project.id == project_id)
        row = self.session.execute(query.with_for_update() if lock else query).one()
        return dict(row[0]), int(row[1])

    def set_schema(self, project_id: int, schema: dict[str, Any], version: int) -> int:
        """Store a new label schema made from ``version``; the new version.

        ``ConflictError`` when the stored schema is no longer at ``version``: someone else
        changed it meanwhile, and this edit would overwrite theirs.
        """
        stored = self.session.scalar(
            update(Project)
            .where(Project.id == project_id, Project.schema_version == version)
            .values(schema=schema, schema_version=version + 1)
            .returning(Project.schema_version)
        )
        if stored is None:
            raise ConflictError(
                "the label schema was changed by someone else meanwhile; it has been read "
                "again: make the change once more"
            )
        return int(stored)


class Annotators(Repository):
    """Annotators by name; created on first use."""

    def id_of(self, name: str) -> int:
        """Return the id of annotator ``name``, creating the row when new."""
        query = select(Annotator.id).where(Annotator.name == name)
        found = self.session.scalar(query)
        if found is not None:
            return found
        _insert_unless_present(self.session, Annotator, {"name": name, "resume": {}})
        return self.session.execute(query).scalar_one()

    def find(self, name: str) -> int | None:
        """The id of annotator ``name``, or None when there is none (nothing is created)."""
        return self.session.scalar(select(Annotator.id).where(Annotator.name == name))

    def resume(self, name: str) -> dict[str, Any]:
        """Where ``name`` stopped last time (empty when never)."""
        found = self.session.scalar(select(Annotator.resume).where(Annotator.name == name))
        return dict(found or {})

    def set_resume(self, name: str, resume: dict[str, Any]) -> None:
        """Remember where ``name`` is now."""
        annotator_id = self.id_of(name)
        self.session.execute(
            update(Annotator).where(Annotator.id == annotator_id).values(resume=resume)
        )


class Events(Repository):
    """The audit log."""

    def last_id(self) -> int:
        """The id of the newest event (0 when there is none)."""
        return int(self.session.scalar(select(func.max(Event.id))) or 0)

    def after(self, last_id: int, limit: int) -> list[tuple[int, str, str, dict[str, Any]]]:
        """``(id, annotator, action, payload)`` of up to ``limit`` events after ``last_id``,
        oldest first: the change feed. Reads the events' primary key index only."""
        rows = self.session.execute(
            select(Event.id, Event.annotator, Event.action, Event.payload)
            .where(Event.id > last_id)
            .order_by(Event.id)
            .limit(limit)
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    def with_ids(self, ids: Iterable[int]) -> list[tuple[int, str, str, dict[str, Any]]]:
        """``(id, annotator, action, payload)`` of those of these events that exist."""
        wanted = sorted(ids)[:1000]
        rows = self.session.execute(
            select(Event.id, Event.annotator, Event.action, Event.payload).where(
                Event.id.in_(wanted)
            )
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    def record(self, annotator: str, action: str, **payload: Any) -> None:
        """Append one event."""
        self.session.execute(
            insert(Event).values(annotator=annotator, action=action, payload=payload)
        )

    def timeline(self) -> list[tuple[datetime, str, str, dict[str, Any]]]:
        """``(time, annotator, action, payload)`` of every event, oldest first (UTC)."""
        rows = self.session.execute(
            select(Event.at, Event.annotator, Event.action, Event.payload).order_by(
                Event.at, Event.id
            )
        )
        return [
            (at if at.tzinfo else at.replace(tzinfo=UTC), who, action, dict(payload or {}))
            for at, who, action, payload in rows
        ]

    def newest_payload(
        self, action: str, wanted: Callable[[dict[str, Any]], bool]
    ) -> dict[str, Any] | None:
        """The payload of the newest event of ``action`` that ``wanted`` keeps, if any: read
        newest first, and no further than the first one kept."""
        rows = self.session.execute(
            select(Event.payload)
            .where(Event.action == action)
            .order_by(Event.id.desc())
            .execution_options(yield_per=64)
        )
        for (payload,) in rows:
            found = dict(payload or {})
            if wanted(found):
                return found
        return None

    def of_actions(self, actions: Iterable[str]) -> list[tuple[datetime, str, str, dict[str, Any]]]:
        """``(time, annotator, action, payload)`` of every event of these actions, oldest first.

        Times are in UTC (SQLite hands them back without a zone).
        """
        rows = self.session.execute(
            select(Event.at, Event.annotator, Event.action, Event.payload)
            .where(Event.action.in_(list(actions)))
            .order_by(Event.at, Event.id)
        )
        return [
            (at if at.tzinfo else at.replace(tzinfo=UTC), who, action, dict(payload or {}))
            for at, who, action, payload in rows
        ]
