"""Projects, annotators and the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update

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

    def schema(self, project_id: int, *, lock: bool = False) -> dict[str, Any]:
        """The project's label schema as stored (its JSON form).

        With ``lock`` the row stays taken until the transaction ends: whoever edits the
        schema next waits, then reads the result (PostgreSQL; SQLite's writing transactions
        hold the whole file already).
        """
        query = select(Project.schema).where(Project.id == project_id)
        return dict(self.session.scalar(query.with_for_update() if lock else query) or {})

    def set_schema(self, project_id: int, schema: dict[str, Any]) -> None:
        """Store a new label schema (its JSON form) on the project row."""
        self.session.execute(update(Project).where(Project.id == project_id).values(schema=schema))


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

    def record(self, annotator: str, action: str, **payload: Any) -> None:
        """Append one event."""
        self.session.execute(
            insert(Event).values(annotator=annotator, action=action, payload=payload)
        )

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
