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
    relations_added: tuple[Relation, ...] = ()
    entities: bool = False
    """True when entities changed (added, renamed, merged, or their mentions)."""
    meta: bool = False
    """True when the document's title or metadata changed."""
    schema: bool = False
    """True when the project's label schema changed (labels, colours, relation types)."""
    reviews: tuple[int, ...] = ()
    """Ids of spans whose review state changed (accepted, rejected, back to unreviewed)."""

    @property
    def spans_changed(self) -> bool:
        """True when any span of ``document_id`` was added, removed or changed."""
        return bool(self.added or self.removed or self.changed)

    @property
    def relations_changed(self) -> bool:
        """True when any relation of ``document_id`` was added or removed."""
        return bool(self.relations_added or self.relations_removed)

    @property
    def annotations_changed(self) -> bool:
        """True when spans or relations of ``document_id`` changed."""
        return self.spans_changed or self.relations_changed
