"""Undoable user actions.

Most actions are a ``ChangeCommand``: its first ``redo`` runs the action through the
services, which returns a reversible ``ChangeSet``; ``undo`` applies that change's inverse
and later redos apply the change again, under the same ids, each in one transaction.

Commands never touch widgets: they announce each committed ChangeSet on the hub. When a
service call fails the command marks itself obsolete, so that QUndoStack drops it instead of
keeping a step that would replay a broken action.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.core.annotations import Relation, Span, Status
from app.core.entities import Entity
from app.core.errors import GlossaError, StorageError
from app.core.schema import LabelSchema
from app.gui.hub import ChangeHub
from app.services import (
    ChangeSet,
    Workspace,
    applying,
    bulk,
    documents,
    entities,
    metadata,
    relations,
    schema_edits,
    span_edits,
    spans,
)


def failure(command: QUndoCommand, exc: GlossaError) -> str:
    """What the status bar says when a step failed: "Tag PERSON not saved: ... locked"."""
    saved = " not saved" if isinstance(exc, StorageError) else ""
    return f"{command.text()}{saved}: {exc}"


Apply = Callable[[ChangeSet, str], ChangeSet]
"""Writes a change (``"redo"``) or an inverse (``"undo"``) and returns it as written."""


class ChangeCommand(QUndoCommand):
    """One reversible change: the action the first time, then the change and its inverse."""

    def __init__(
        self, hub: ChangeHub, text: str, action: Callable[[], ChangeSet], apply: Apply
    ) -> None:
        super().__init__(text)
        self.hub = hub
        self.action = action
        self.apply = apply
        self.change: ChangeSet | None = None
        self.written: ChangeSet | None = None
        """The change as already written, when the first redo is to announce it only."""

    def redo(self) -> None:
        written, self.written = self.written, None
        if written is not None:  # written already, off the window's thread: only announce it
            self.change = written
            self.hub.changed.emit(written)
            self.done(written)
            return
        change = self.change
        done = self._run(self.action if change is None else lambda: self.apply(change, "redo"))
        if done is not None:
            self.change = done
            self.done(done)

    def undo(self) -> None:
        change = self.change
        if change is not None:
            self._run(lambda: self.apply(change.inverse(), "undo"))

    def done(self, change: ChangeSet) -> None:
        """Called after each successful redo with the change as written."""

    def _run(self, action: Callable[[], ChangeSet]) -> ChangeSet | None:
        try:
            done = action()
        except GlossaError as exc:
            self.setObsolete(True)
            self.hub.failed.emit(failure(self, exc))
            return None
        self.hub.changed.emit(done)
        return done


class WorkspaceChange(ChangeCommand):
    """A change of one annotator's own layer, undone and redone through the workspace."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        text: str,
        action: Callable[[], ChangeSet],
    ) -> None:
        super().__init__(hub, text, action, partial(applying.apply, workspace))
        self.workspace = workspace


class AddSpan(WorkspaceChange):
    """Tag a range; undo deletes the span, redo brings it back under the same id."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        document_id: int,
        start: int,
        end: int,
        label: str,
    ) -> None:
        super().__init__(
            workspace,
            hub,
            f"Tag {label}",
            lambda: spans.add_span(workspace, document_id, start, end, label),
        )

    @property
    def span_id(self) -> int | None:
        """The id of the span made, once it is."""
        return self.change.added[0].id if self.change is not None else None


class DeleteSpan(WorkspaceChange):
    """Delete a span; undo restores it, its relations and review state, under their ids."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, span: Span) -> None:
        super().__init__(
            workspace, hub, f"Delete {span.label}", lambda: spans.delete_span(workspace, span.id)
        )


class RelabelSpan(WorkspaceChange):
    """Give a span another label; the relations and entity link the new label does not allow
    go in the same step, and come back with the old label on undo. ``note`` says what went,
    for the status bar ("" when nothing did)."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, span: Span, label: str) -> None:
        super().__init__(
            workspace,
            hub,
            f"Relabel {span.label} as {label}",
            lambda: span_edits.relabel_span(workspace, span.id, label),
        )
        self.span = span
        self.note = ""

    def done(self, change: ChangeSet) -> None:
        if not self.note:
            self.note = span_edits.relabel_note(self.workspace, self.span, change)


class AddRelation(WorkspaceChange):
    """Link two spans; undo deletes the link, redo brings it back under the same id."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, head: Span, tail: Span, label: str
    ) -> None:
        super().__init__(
            workspace,
            hub,
            f"Link {label}",
            lambda: relations.add_relation(workspace, head.id, tail.id, label),
        )

    @property
    def relation(self) -> Relation | None:
        """The relation made, once it is."""
        return self.change.relations_added[0] if self.change is not None else None


class DeleteRelation(WorkspaceChange):
    """Delete a relation; undo restores it under its id."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, relation: Relation) -> None:
        super().__init__(
            workspace,
            hub,
            f"Unlink {relation.label}",
            lambda: relations.delete_relation(workspace, relation.id),
        )


class SetSpanAttributes(WorkspaceChange):
    """Replace a span's attributes; undo puts the old ones back."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, span: Span, attributes: dict[str, Any]
    ) -> None:
        super().__init__(
            workspace,
            hub,
            f"Set {span.label} attributes",
            lambda: span_edits.set_span_attributes(workspace, span.id, attributes),
        )


class MoveSpan(WorkspaceChange):
    """Give a span new boundaries; undo puts back the old ones."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, span: Span, start: int, end: int
    ) -> None:
        super().__init__(
            workspace,
            hub,
            f"Resize {span.label}",
            lambda: span_edits.move_span(workspace, span.id, start, end),
        )


class AddFragment(WorkspaceChange):
    """Add a piece to a span, making it discontinuous; undo takes the piece off again."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, span: Span, start: int, end: int
    ) -> None:
        super().__init__(
            workspace,
            hub,
            f"Add a fragment to {span.label}",
            lambda: span_edits.add_fragment(workspace, span.id, start, end),
        )


class SetStatus(WorkspaceChange):
    """Mark a document new, in progress or done; undo restores the previous status."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        document_id: int,
        old: Status,
        new: Status,
        *,
        written: ChangeSet | None = None,
    ) -> None:
        label = "done" if new is Status.DONE else new.value.replace("_", " ")
        super().__init__(
            workspace,
            hub,
            f"Mark document {label}",
            lambda: documents.set_status(workspace, document_id, new),
        )
        self.written = written  # done-and-next writes it on a worker thread


class TagAll(WorkspaceChange):
    """Tag many ranges with one label as one step; undo deletes them all, redo brings them back
    under the same ids."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        document_id: int,
        ranges: list[tuple[int, int]],
        label: str,
        entity: int | None = None,
    ) -> None:
        super().__init__(
            workspace,
            hub,
            f"Tag all as {label}" + (" and link" if entity is not None else ""),
            lambda: bulk.add_spans(workspace, document_id, ranges, label, entity),
        )

    def done(self, change: ChangeSet) -> None:
        if not change.added:
            self.setObsolete(True)  # every match was tagged already: no step to keep

    @property
    def span_ids(self) -> list[int] | None:
        """The ids of the spans made, once they are."""
        return [span.id for span in self.change.added] if self.change is not None else None


class UpdateMeta(WorkspaceChange):
    """Change a document's title or metadata; undo puts back the keys as they were."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, document_id: int, new: dict[str, Any]
    ) -> None:
        super().__init__(
            workspace,
            hub,
            "Edit document details",
            lambda: metadata.update_meta(workspace, document_id, new),
        )


class LinkEntity(WorkspaceChange):
    """Link a span to an entity (a new one when ``new_name`` is given, none for None); undo
    puts back the old link and the entity's aliases, and deletes an entity it made."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        span: Span,
        entity_id: int | None,
        new_name: str | None = None,
    ) -> None:
        what = "Unlink entity" if entity_id is None and new_name is None else "Link entity"
        if new_name is not None:
            name = new_name
            super().__init__(
                workspace, hub, what, lambda: entities.link_new_entity(workspace, span.id, name)
            )
        else:
            super().__init__(
                workspace, hub, what, lambda: entities.link_span(workspace, span.id, entity_id)
            )


class RenameEntity(WorkspaceChange):
    """Give an entity another name; undo gives back the old one."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, entity: Entity, name: str) -> None:
        super().__init__(
            workspace,
            hub,
            f"Rename {entity.name}",
            lambda: entities.rename_entity(workspace, entity.id, name),
        )


class MergeEntities(WorkspaceChange):
    """Merge one entity into another; undo brings it back under its id with its mentions."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, keep: Entity, merged: Entity) -> None:
        super().__init__(
            workspace,
            hub,
            f"Merge {merged.name} into {keep.name}",
            lambda: entities.merge_entities(workspace, keep.id, merged.id),
        )


class EditSchema(WorkspaceChange):
    """Replace the label schema; undo puts back the old one, its names, and deleted spans,
    in one transaction."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        schema: LabelSchema,
        renames: dict[str, str] | None = None,
        relation_renames: dict[str, str] | None = None,
        *,
        delete_used: bool = False,
    ) -> None:
        super().__init__(
            workspace,
            hub,
            "Edit schema",
            lambda: schema_edits.update_schema(
                workspace,
                schema,
                dict(renames or {}),
                relation_renames=dict(relation_renames or {}),
                delete_used=delete_used,
            ),
        )
