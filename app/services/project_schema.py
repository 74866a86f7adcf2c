"""The project's label schema as the database has it now.

A window stays open for hours while colleagues edit the schema of a shared database, so no
action trusts a schema read at open: each one that checks labels or relation types reads
the schema's version inside its own unit of work, and the schema itself when that version
has moved on. The workspace's ``ProjectSchema`` keeps the newest schema read, for views to
show; reads on worker threads may finish out of order, so an older one never replaces a
newer one.
"""

from __future__ import annotations

import threading
from typing import Protocol

from app.core.errors import SpanError
from app.core.schema import LabelSchema
from app.store.unit_of_work import UnitOfWork

_KEEPING = threading.Lock()
"""Held while the schema and its version are put back together: readers on several threads."""


class ProjectSchema:
    """The newest schema read of one project, with its version: the only state a workspace
    changes after it opens, and never trusted by a unit of work (see ``schema_in``)."""

    def __init__(self, project_id: int, schema: LabelSchema, version: int) -> None:
        self._project_id = project_id
        self._schema = schema
        self._version = version

    @property
    def project_id(self) -> int:
        """The project whose schema this is."""
        return self._project_id

    @property
    def schema(self) -> LabelSchema:
        """The newest schema read."""
        return self._schema

    @property
    def version(self) -> int:
        """The version ``schema`` was read at (or grown from, until it is read again)."""
        return self._version

    def keep(self, schema: LabelSchema, version: int | None = None) -> None:
        """Keep ``schema`` (written at ``version``; without it, the version stays and the
        next unit of work reads the schema again when the stored one has moved on)."""
        with _KEEPING:
            self._schema = schema
            if version is not None:
                self._version = version

    def read_in(self, uow: UnitOfWork) -> LabelSchema:
        """The project's schema as stored now, read in ``uow``; kept unless a newer one is
        already kept (read by a unit of work that began later)."""
        version = uow.projects.schema_version(self._project_id)
        with _KEEPING:
            if version == self._version:
                return self._schema
        data, version = uow.projects.schema_of(self._project_id)
        schema = LabelSchema.from_dict(data)
        with _KEEPING:
            if version > self._version:
                self._schema, self._version = schema, version
        return schema


class HoldsSchema(Protocol):
    """Whatever keeps the last schema read of a project (the workspace)."""

    @property
    def project_schema(self) -> ProjectSchema:
        """The holder of the newest schema read."""


def schema_in(holder: HoldsSchema, uow: UnitOfWork) -> LabelSchema:
    """The project's schema as stored now, read in ``uow``; ``holder`` keeps it unless it
    already holds a newer one (read by a unit of work that began later)."""
    return holder.project_schema.read_in(uow)


def require_label(schema: LabelSchema, label: str) -> None:
    """``SpanError`` unless the schema has a label called ``label``."""
    if schema.label(label) is None:
        raise SpanError(f"label {label!r} is not in the schema {schema.name!r}")
