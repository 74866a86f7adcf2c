"""Undoable user actions. ``redo`` performs the action through the services, ``undo`` its inverse.

Commands never touch widgets: they announce each committed ChangeSet on the hub. When a
service call fails the command marks itself obsolete, so that QUndoStack drops it instead of
keeping a step that would replay a broken action.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from app.core.annotations import Relation, Span, Status
from app.core.errors import GlossaError
from app.gui.hub import ChangeHub
from app.services import ChangeSet, Workspace


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
            self.hub.failed.emit(f"{self.text()}: {exc}")
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
    """Give a span another label; undo gives back the old one."""

    def __init__(self, workspace: Workspace, hub: ChangeHub, span: Span, label: str) -> None:
        super().__init__(workspace, hub, f"Relabel {span.label} as {label}")
        self.span_id = span.id
        self.old = span.label
        self.new = label

    def redo(self) -> None:
        self._run(lambda: self.workspace.relabel_span(self.span_id, self.new))

    def undo(self) -> None:
        self._run(lambda: self.workspace.relabel_span(self.span_id, self.old))


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
