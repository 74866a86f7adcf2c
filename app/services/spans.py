"""A document's spans and relations: reading them, tagging one range, deleting one span."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from app.core.annotations import Origin, Relation, Span
from app.services.applying import started, write_change
from app.services.changes import ChangeSet
from app.services.project_schema import require_label, schema_in

if TYPE_CHECKING:
    from app.services.workspace import Workspace


def spans(
    workspace: Workspace, document_id: int, annotators: Collection[str] | None = None
) -> list[Span]:
    """Every span of a document (only those of ``annotators`` when given), by start."""
    with workspace.database.reading() as uow:
        if annotators is None:
            return uow.spans.of_document(document_id)
        return uow.annotator_work.spans_of(document_id, annotators)


def relations(workspace: Workspace, document_id: int) -> list[Relation]:
    """Every relation of a document."""
    with workspace.database.reading() as uow:
        return uow.spans.relations_of_document(document_id)


def add_span(
    workspace: Workspace,
    document_id: int,
    start: int,
    end: int,
    label: str,
    *,
    span_id: int | None = None,
    attributes: dict[str, Any] | None = None,
    origin: Origin = Origin.MANUAL,
) -> ChangeSet:
    """Tag ``[start, end)`` of a document with ``label`` and commit.

    ``span_id`` restores a deleted span under its old id (undo).
    """
    span = Span(
        span_id or 0, document_id, start, end, label, workspace.annotator, origin, attributes or {}
    )
    with workspace.database.unit_of_work() as uow:
        require_label(schema_in(workspace, uow), label)
        change = started(uow, workspace.annotator_id, ChangeSet(document_id, added=(span,)))
        written = write_change(uow, change, workspace.annotator, "add_span", label=label)
        uow.commit()
    return written


def delete_span(workspace: Workspace, span_id: int) -> ChangeSet:
    """Delete a span and the relations that use it; the ChangeSet carries both, and the
    span's review state, so that its inverse brings all of them back."""
    with workspace.database.unit_of_work() as uow:
        span = uow.spans.get(span_id)
        change = write_change(
            uow, ChangeSet(span.document_id, removed=(span,)), workspace.annotator, "delete_span"
        )
        uow.commit()
    return change
