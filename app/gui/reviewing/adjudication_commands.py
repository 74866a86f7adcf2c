"""Undoable adjudication steps: each builds the gold layer through ``Adjudication``.

The first ``redo`` runs the action; it returns a ``ChangeSet`` that ``undo`` reverts and
later redos replay, under the same ids. Like every command, they announce each committed
change on the hub and never touch widgets; a failed action marks the command obsolete so
that the undo stack drops it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.core.adjudication import Difference, RelationDifference
from app.core.annotations import Relation, Span
from app.gui.commands import ChangeCommand
from app.gui.hub import ChangeHub
from app.services import span_edits
from app.services.adjudication import Adjudication
from app.services.changes import ChangeSet


class GoldCommand(ChangeCommand):
    """One change of the gold layer."""

    def __init__(
        self,
        adjudication: Adjudication,
        hub: ChangeHub,
        text: str,
        action: Callable[[], ChangeSet],
    ) -> None:
        super().__init__(hub, text, action, adjudication.apply)
        self.adjudication = adjudication


def pick(
    adjudication: Adjudication, hub: ChangeHub, version: Span, annotators: Sequence[str]
) -> GoldCommand:
    """Put one annotator's version into gold."""
    return GoldCommand(
        adjudication,
        hub,
        f"Pick {version.annotator}'s {version.label}",
        lambda: adjudication.pick(version.document_id, version.id, annotators),
    )


def merge(
    adjudication: Adjudication,
    hub: ChangeHub,
    difference: Difference,
    annotators: Sequence[str],
    how: str = "union",
) -> GoldCommand:
    """Merge every version of a difference into one gold span (union or intersection)."""
    document_id = difference.versions[0].document_id
    ids = [span.id for span in difference.versions]
    union = how == "union"
    return GoldCommand(
        adjudication,
        hub,
        f"Merge {'(union)' if union else '(intersection)'}",
        lambda: adjudication.merge(
            document_id, ids, how="union" if union else "intersection", annotators=annotators
        ),
    )


def reject(
    adjudication: Adjudication, hub: ChangeHub, difference: Difference, annotators: Sequence[str]
) -> GoldCommand:
    """Keep nothing in gold for a difference."""
    first = difference.versions[0]
    return GoldCommand(
        adjudication,
        hub,
        f"Reject {'/'.join(difference.labels)}",
        lambda: adjudication.reject(first.document_id, first.id, annotators),
    )


def accept_agreements(
    adjudication: Adjudication, hub: ChangeHub, document_id: int, annotators: Sequence[str]
) -> GoldCommand:
    """Put every agreement not yet in gold into gold."""
    return GoldCommand(
        adjudication,
        hub,
        "Accept agreements",
        lambda: adjudication.accept_agreements(document_id, annotators),
    )


def copy_relations(
    adjudication: Adjudication, hub: ChangeHub, document_id: int, annotators: Sequence[str]
) -> GoldCommand:
    """Copy the relations everyone made into gold, where both ends are gold."""
    return GoldCommand(
        adjudication,
        hub,
        "Copy agreed relations",
        lambda: adjudication.copy_relations(document_id, annotators=annotators),
    )


def pick_relation(
    adjudication: Adjudication,
    hub: ChangeHub,
    difference: RelationDifference,
    relation: Relation,
    annotators: Sequence[str],
) -> GoldCommand:
    """Copy one annotator's relation into gold."""
    return GoldCommand(
        adjudication,
        hub,
        f"Pick {relation.annotator}'s {difference.label}",
        lambda: adjudication.pick_relation(relation.document_id, relation.id, annotators),
    )


class GoldRelabel(GoldCommand):
    """Give a gold span another label; the gold relations and entity link the new label does
    not allow go in the same step and come back on undo. ``note`` says what went, for the
    dialog ("" when nothing did)."""

    def __init__(self, adjudication: Adjudication, hub: ChangeHub, span: Span, label: str) -> None:
        super().__init__(
            adjudication,
            hub,
            f"Relabel gold {span.label} as {label}",
            lambda: adjudication.relabel(span.id, label),
        )
        self.span = span
        self.note = ""

    def redo(self) -> None:
        first = self.change is None
        super().redo()
        if first and self.change is not None:
            self.note = span_edits.relabel_note(self.adjudication.workspace, self.span, self.change)


def relabel(adjudication: Adjudication, hub: ChangeHub, span: Span, label: str) -> GoldRelabel:
    """Give a gold span another label, with what the new label does not allow."""
    return GoldRelabel(adjudication, hub, span, label)


def move(
    adjudication: Adjudication, hub: ChangeHub, span: Span, start: int, end: int
) -> GoldCommand:
    """Give a gold span new boundaries."""
    return GoldCommand(
        adjudication,
        hub,
        f"Move gold {span.label}",
        lambda: adjudication.move(span.id, start, end),
    )


def delete(adjudication: Adjudication, hub: ChangeHub, span: Span) -> GoldCommand:
    """Delete a gold span (its difference is unresolved again)."""
    return GoldCommand(
        adjudication, hub, f"Delete gold {span.label}", lambda: adjudication.delete(span.id)
    )
