"""The project's label schema as the database has it now.

A window stays open for hours while colleagues edit the schema of a shared database, so no
action trusts a schema read at open: each one that checks labels or relation types reads
the schema's version inside its own unit of work, and the schema itself when that version
has moved on. The workspace keeps the newest schema read, for views to show; reads on
worker threads may finish out of order, so an older one never replaces a newer one.
"""

from __future__ import annotations

import threading
from typing import Protocol

from app.core.errors import SpanError
from app.core.schema import LabelSchema
from app.store.unit_of_work import UnitOfWork


class HoldsSchema(Protocol):
    """Whatever keeps the last schema read of a project (the workspace)."""

    project_id: int
    schema: LabelSchema
    schema_version: int


_KEEPING = threading.Lock()
"""Held while the schema and its version are put back together: readers on several threads."""


def schema_in(holder: HoldsSchema, uow: UnitOfWork) -> LabelSchema:
    """The project's schema as stored now, read in ``uow``; ``holder`` keeps it unless it
    already holds a newer one (read by a unit of work that began later)."""
    version = uow.projects.schema_version(holder.project_id)
    with _KEEPING:
        if version == holder.schema_version:
            return holder.schema
    data, version = uow.projects.schema_of(holder.project_id)
    schema = LabelSchema.from_dict(data)
    with _KEEPING:
        if version > holder.schema_version:
            holder.schema, holder.schema_version = schema, version
    return schema


def require_label(schema: LabelSchema, label: str) -> None:
    """``SpanError`` unless the schema has a label called ``label``."""
    if schema.label(label) is None:
        raise SpanError(f"label {label!r} is not in the schema {schema.name!r}")
