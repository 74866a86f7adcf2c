"""The project's label schema as the database has it now.

A window stays open for hours while colleagues edit the schema of a shared database, so no
action trusts a schema read at open: each one that checks labels or relation types reads
the schema's version inside its own unit of work, and the schema itself when that version
has moved on. The workspace keeps the last schema read, for views to show.
"""

from __future__ import annotations

from typing import Protocol

from app.core.errors import SpanError
from app.core.schema import LabelSchema
from app.store.unit_of_work import UnitOfWork


class HoldsSchema(Protocol):
    """Whatever keeps the last schema read of a project (the workspace)."""

    project_id: int
    schema: LabelSchema
    schema_version: int


def schema_in(holder: HoldsSchema, uow: UnitOfWork) -> LabelSchema:
    """The project's schema as stored now, read in ``uow``; ``holder`` keeps it."""
    version = uow.projects.schema_version(holder.project_id)
    if version != holder.schema_version:
        data, version = uow.projects.schema_of(holder.project_id)
        holder.schema = LabelSchema.from_dict(data)
        holder.schema_version = version
    return holder.schema


def require_label(schema: LabelSchema, label: str) -> None:
    """``SpanError`` unless the schema has a label called ``label``."""
    if schema.label(label) is None:
        raise SpanError(f"label {label!r} is not in the schema {schema.name!r}")
