"""What a user action changed: enough for views to refresh only that, and to undo it.

Every mutating action returns a ``ChangeSet``; its ``inverse`` is the change that undoes it,
and ``applying.apply`` writes either one in a single transaction, putting spans and
relations back under the ids they had.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.core.annotations import Relation, Span, Status
from app.core.entities import Entity
from app.core.schema import LabelSchema
from app.core.suggestions import PendingSuggestion, Rejection

Review = tuple[int, str, str]
"""``(span id, review state before, review state after)``."""


@dataclass(frozen=True)
class SchemaEdit:
    """The label schema as it was and as it became, and the names an edit renamed (their
    spans, relations and entities follow the new names)."""

    before: LabelSchema
    after: LabelSchema
    renames: tuple[tuple[str, str], ...] = ()
    relation_renames: tuple[tuple[str, str], ...] = ()

    def inverse(self) -> SchemaEdit:
        """The edit that puts ``before`` back, every name renamed back."""
        return SchemaEdit(
            self.after,
            self.before,
            tuple((new, old) for old, new in self.renames),
            tuple((new, old) for old, new in self.relation_renames),
        )


@dataclass(frozen=True)
class ChangeSet:
    """The result of one user action, and what it replaced."""

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
    before: tuple[Span, ...] = ()
    """The spans of ``changed`` as they were, in the same order."""
    review_states: tuple[Review, ...] = ()
    """Review states this change sets, with the state each span had."""
    status_before: Status | None = None
    """The annotator's status of the document before ``status`` was set."""
    entities_added: tuple[Entity, ...] = ()
    """Entities made; one with a negative id is new, and spans naming that id mention it."""
    entities_removed: tuple[Entity, ...] = ()
    entities_changed: tuple[Entity, ...] = ()
    """Entities renamed or given other aliases, as they are after the change."""
    entities_before: tuple[Entity, ...] = ()
    """The entities of ``entities_changed`` as they were, in the same order."""
    schema_edit: SchemaEdit | None = None
    """The label schema before and after, when this change edited it (``schema`` is set)."""
    meta_before: Mapping[str, Any] | None = None
    """The metadata keys of ``document_id`` this change sets, as they were (a key it adds is
    absent here); None when it sets no metadata."""
    meta_after: Mapping[str, Any] | None = None
    """The same keys as this change leaves them (a key it removes is absent here)."""
    suggestions_added: tuple[PendingSuggestion, ...] = ()
    """Pending suggestions this change stores (undoing an accept puts them back)."""
    suggestions_removed: tuple[PendingSuggestion, ...] = ()
    """Pending suggestions this change forgets (accepted ones)."""
    rejections_added: tuple[Rejection, ...] = ()
    """Suggestions rejected by this change: not proposed again for that text."""
    rejections_removed: tuple[Rejection, ...] = ()

    @property
    def suggestions_changed(self) -> bool:
        """True when pending or rejected suggestions changed."""
        return bool(
            self.suggestions_added
            or self.suggestions_removed
            or self.rejections_added
            or self.rejections_removed
        )

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

    @property
    def reversible(self) -> bool:
        """True when ``inverse`` undoes everything this change did (its flags aside)."""
        return (
            len(self.changed) == len(self.before)
            and len(self.entities_changed) == len(self.entities_before)
            and all(entity.id > 0 for entity in self.entities_added)
            and (self.status is None or self.status_before is not None)
            and not (self.documents or (self.schema and self.schema_edit is None))
            and (not self.meta or self.meta_after is not None)
        )

    def inverse(self) -> ChangeSet:
        """The change that undoes this one: what it added goes, what it removed comes back
        under the same ids, changed spans and review states return to what they were."""
        return ChangeSet(
            self.document_id,
            added=self.removed,
            removed=self.added,
            changed=self.before,
            before=self.changed,
            relations_added=self.relations_removed,
            relations_removed=self.relations_added,
            reviews=self.reviews,
            entities=self.entities,
            review_states=tuple((i, after, old) for i, old, after in self.review_states),
            status=self.status_before,
            status_before=self.status,
            entities_added=self.entities_removed,
            entities_removed=self.entities_added,
            entities_changed=self.entities_before,
            entities_before=self.entities_changed,
            schema=self.schema,
            schema_edit=None if self.schema_edit is None else self.schema_edit.inverse(),
            meta=self.meta,
            meta_before=self.meta_after,
            meta_after=self.meta_before,
            suggestions_added=self.suggestions_removed,
            suggestions_removed=self.suggestions_added,
            rejections_added=self.rejections_removed,
            rejections_removed=self.rejections_added,
        )
