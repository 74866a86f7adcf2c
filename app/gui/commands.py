"""Undoable user actions. ``redo`` performs the action through the services, ``undo`` its inverse.

Commands never touch widgets: they announce each committed ChangeSet on the hub. When a
service call fails the command marks itself obsolete, so that QUndoStack drops it instead of
keeping a step that would replay a broken action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.core.annotations import Relation, Span, Status
from app.core.entities import Entity
from app.core.errors import GlossaError, StorageError
from app.core.schema import LabelSchema
from app.gui.hub import ChangeHub
from app.services import ChangeSet, Workspace
from app.services.entities import Merge


class _ServiceCommand(QUndoCommand):
    def __init__(self, workspace: Workspace, hub: ChangeHub, text: str) -> None:
        super().__init__(text)
        self.workspace = workspace
        self.hub = hub

    def _run(self, action: Callable[[], ChangeSet]) -> ChangeSet | None:
        try:
            changes = action()
        except GlossaError as exc:
            self.setObsolete(True)
            saved = " not saved" if isinstance(exc, StorageError) else ""
            self.hub.failed.emit(f"{self.text()}{saved}: {exc}")
            return None
        self.hub.changed.emit(changes)
        return changes


class AddSpan(_ServiceCommand):
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
        super().__init__(workspace, hub, f"Tag {label}")
        self.document_id = document_id
        self.start = start
        self.end = end
        self.label = label
        self.span_id: int | None = None

    def redo(self) -> None:
        changes = self._run(
            lambda: self.workspace.add_span(
                self.document_id, self.start, self.end, self.label, span_id=self.span_id
            )
        )
        if changes is not None:
            self.span_id = changes.added[0].id

    def undo(self) -> None:
        span_id = self.span_id
        if span_id is not None:
            self._run(lambda: self.workspace.delete_span(span_id))


class DeleteSpan(_ServiceCommand):
    """Delete a span; undo restores it, and the relations it took along, under their ids."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, span: Span) -> None:
        super().__init__(workspace, hub, f"Delete {span.label}")
        self.span = span
        self.relations: tuple[Relation, ...] = ()

    def redo(self) -> None:
        changes = self._run(lambda: self.workspace.delete_span(self.span.id))
        if changes is not None:
            self.span = changes.removed[0]
            self.relations = changes.relations_removed

    def undo(self) -> None:
        self._run(lambda: self.workspace.restore_span(self.span, self.relations))


class RelabelSpan(_ServiceCommand):
    """Give a span another label; the relations and entity link the new label does not allow
    go in the same step. Undo gives back the old label, the link and the relations under
    their ids; ``note`` says what went, for the status bar ("" when nothing did)."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, span: Span, label: str) -> None:
        super().__init__(workspace, hub, f"Relabel {span.label} as {label}")
        self.span = span
        self.new = label
        self.relations: tuple[Relation, ...] = ()
        self.note = ""

    def redo(self) -> None:
        changes = self._run(lambda: self.workspace.relabel_span(self.span.id, self.new))
        if changes is not None:
            self.relations = changes.relations_removed
            self.note = self.workspace.relabel_note(self.span, changes)

    def undo(self) -> None:
        self._run(lambda: self.workspace.restore_label(self.span, self.relations))


class AddRelation(_ServiceCommand):
    """Link two spans; undo deletes the link, redo brings it back under the same id."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, head: Span, tail: Span, label: str
    ) -> None:
        super().__init__(workspace, hub, f"Link {label}")
        self.head_id = head.id
        self.tail_id = tail.id
        self.label = label
        self.relation: Relation | None = None

    def redo(self) -> None:
        relation = self.relation
        if relation is None:
            changes = self._run(
                lambda: self.workspace.add_relation(self.head_id, self.tail_id, self.label)
            )
            if changes is not None:
                self.relation = changes.relations_added[0]
        else:
            self._run(lambda: self.workspace.restore_relation(relation))

    def undo(self) -> None:
        relation = self.relation
        if relation is not None:
            self._run(lambda: self.workspace.delete_relation(relation.id))


class DeleteRelation(_ServiceCommand):
    """Delete a relation; undo restores it under its id."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, relation: Relation) -> None:
        super().__init__(workspace, hub, f"Unlink {relation.label}")
        self.relation = relation

    def redo(self) -> None:
        changes = self._run(lambda: self.workspace.delete_relation(self.relation.id))
        if changes is not None:
            self.relation = changes.relations_removed[0]

    def undo(self) -> None:
        self._run(lambda: self.workspace.restore_relation(self.relation))


class SetSpanAttributes(_ServiceCommand):
    """Replace a span's attributes; undo puts the old ones back."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, span: Span, attributes: dict[str, Any]
    ) -> None:
        super().__init__(workspace, hub, f"Set {span.label} attributes")
        self.span_id = span.id
        self.old = dict(span.attributes)
        self.new = {name: value for name, value in attributes.items() if value is not None}

    def redo(self) -> None:
        self._run(lambda: self.workspace.set_span_attributes(self.span_id, self.new))

    def undo(self) -> None:
        self._run(lambda: self.workspace.set_span_attributes(self.span_id, self.old))


class MoveSpan(_ServiceCommand):
    """Give a span new boundaries; undo puts back the old ones."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, span: Span, start: int, end: int
    ) -> None:
        super().__init__(workspace, hub, f"Resize {span.label}")
        self.span_id = span.id
        self.old = (span.start, span.end)
        self.new = (start, end)

    def redo(self) -> None:
        self._run(lambda: self.workspace.move_span(self.span_id, *self.new))

    def undo(self) -> None:
        self._run(lambda: self.workspace.move_span(self.span_id, *self.old))


class SetStatus(_ServiceCommand):
    """Mark a document new, in progress or done; undo restores the previous status."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, document_id: int, old: Status, new: Status
    ) -> None:
        label = "done" if new is Status.DONE else new.value.replace("_", " ")
        super().__init__(workspace, hub, f"Mark document {label}")
        self.document_id = document_id
        self.old = old
        self.new = new

    def redo(self) -> None:
        self._run(lambda: self.workspace.set_status(self.document_id, self.new))

    def undo(self) -> None:
        self._run(lambda: self.workspace.set_status(self.document_id, self.old))


class TagAll(_ServiceCommand):
    """Tag many ranges with one label as one step; undo deletes them all, redo brings them back
    under the same ids."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        document_id: int,
        ranges: list[tuple[int, int]],
        label: str,
    ) -> None:
        super().__init__(workspace, hub, f"Tag all as {label}")
        self.document_id = document_id
        self.ranges = ranges
        self.label = label
        self.span_ids: list[int] | None = None
        self.added: tuple[Span, ...] = ()

    def redo(self) -> None:
        if self.span_ids is None:
            changes = self._run(
                lambda: self.workspace.add_spans(self.document_id, self.ranges, self.label)
            )
            if changes is not None:
                self.added = changes.added
                self.span_ids = [span.id for span in changes.added]
                self.ranges = [(span.start, span.end) for span in changes.added]
                if not changes.added:
                    self.setObsolete(True)  # every match was tagged already: no step to keep
        else:
            ids = self.span_ids
            self._run(
                lambda: self.workspace.add_spans(
                    self.document_id, self.ranges, self.label, span_ids=ids
                )
            )

    def undo(self) -> None:
        if self.span_ids:
            ids = self.span_ids
            self._run(lambda: self.workspace.delete_spans(self.document_id, ids))


class UpdateMeta(_ServiceCommand):
    """Change a document's title or metadata; undo puts back the old values."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        document_id: int,
        old: dict[str, Any],
        new: dict[str, Any],
    ) -> None:
        super().__init__(workspace, hub, "Edit document details")
        self.document_id = document_id
        self.old = old
        self.new = new

    def redo(self) -> None:
        self._run(lambda: self.workspace.update_meta(self.document_id, self.new))

    def undo(self) -> None:
        self._run(lambda: self.workspace.update_meta(self.document_id, self.old))


class LinkEntity(_ServiceCommand):
    """Link a span to an entity (a new one when ``new_name`` is given, none for None); undo
    puts back the old link, the entity's old aliases, and deletes an entity it created."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        span: Span,
        entity_id: int | None,
        new_name: str | None = None,
    ) -> None:
        what = "Unlink entity" if entity_id is None and new_name is None else "Link entity"
        super().__init__(workspace, hub, what)
        self.span = span
        self.old = span.entity
        self.entity_id = entity_id
        self.new_name = new_name
        self.created: Entity | None = None
        self.before: Entity | None = None

    def redo(self) -> None:
        self._run(self._link)

    def _link(self) -> ChangeSet:
        if self.new_name is not None:
            if self.created is None:
                self.created = self.workspace.create_entity(self.new_name, self.span.label)
            else:
                self.workspace.restore_entity(self.created)
            self.entity_id = self.created.id
        elif self.entity_id is not None and self.before is None:
            self.before = self.workspace.entity(self.entity_id)
        return self.workspace.link_span(self.span.id, self.entity_id)

    def undo(self) -> None:
        self._run(lambda: self.workspace.link_span(self.span.id, self.old, add_alias=False))
        before, created = self.before, self.created
        if before is not None:
            self._run(lambda: self.workspace.rename_entity(before.id, before.name, before.aliases))
        if created is not None:
            self._run(lambda: self.workspace.delete_entity(created.id))


class RenameEntity(_ServiceCommand):
    """Give an entity another name; undo gives back the old one."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, entity: Entity, name: str) -> None:
        super().__init__(workspace, hub, f"Rename {entity.name}")
        self.entity_id = entity.id
        self.old = entity.name
        self.new = name

    def redo(self) -> None:
        self._run(lambda: self.workspace.rename_entity(self.entity_id, self.new))

    def undo(self) -> None:
        self._run(lambda: self.workspace.rename_entity(self.entity_id, self.old))


class MergeEntities(_ServiceCommand):
    """Merge one entity into another; undo brings it back under its id with its mentions."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, keep: Entity, merged: Entity) -> None:
        super().__init__(workspace, hub, f"Merge {merged.name} into {keep.name}")
        self.keep_id = keep.id
        self.merged_id = merged.id
        self.merge: Merge | None = None

    def redo(self) -> None:
        self._run(self._merge)

    def _merge(self) -> ChangeSet:
        self.merge = self.workspace.merge_entities(self.keep_id, self.merged_id)
        return self.merge.changes

    def undo(self) -> None:
        merge = self.merge
        if merge is not None:
            self._run(lambda: self.workspace.unmerge(merge))


class EditSchema(_ServiceCommand):
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
        super().__init__(workspace, hub, "Edit schema")
        self.old = workspace.schema
        self.new = schema
        self.renames = dict(renames or {})
        self.relation_renames = dict(relation_renames or {})
        self.delete_used = delete_used
        self.removed: tuple[Span, ...] = ()
        self.relations: tuple[Relation, ...] = ()

    def redo(self) -> None:
        changes = self._run(
            lambda: self.workspace.update_schema(
                self.new,
                self.renames,
                relation_renames=self.relation_renames,
                delete_used=self.delete_used,
            )
        )
        if changes is not None:
            self.removed = changes.removed
            self.relations = changes.relations_removed

    def undo(self) -> None:
        self._run(self._restore)

    def _restore(self) -> ChangeSet:
        return self.workspace.undo_schema_edit(
            self.old, self.renames, self.relation_renames, self.removed, self.relations
        )
