"""What a user action changed, so that views refresh only that."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.annotations import Relation, Span, Status


@dataclass(frozen=True)
class ChangeSet:
    """The result of one user action."""

    document_id: int | None = None
    added: tuple[Span, ...] = ()
    removed: tuple[Span, ...] = ()
    changed: tuple[Span, ...] = ()
    relations_removed: tuple[Relation, ...] = ()
    status: Status | None = None
    documents: bool = False
    """True when the document list itself changed (documents added or removed)."""

    @property
    def spans_changed(self) -> bool:
        """True when any span of ``document_id`` was added, removed or changed."""
        return bool(self.added or self.removed or self.changed)
