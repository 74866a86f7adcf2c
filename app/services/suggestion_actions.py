"""Accepting and rejecting suggestions: each one reversible change, like any other edit.

Accepting a quote suggestion adds the quote, its cue and speaker and the relations between
them in one change, which also forgets the pending suggestion (undo brings it back).
A part that the annotator already tagged (same label and range) is linked, not copied.
Rejecting remembers the label and text, so the suggestion is not proposed again there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from app.core.annotations import Origin, Relation, Span
from app.core.errors import SpanError
from app.core.schema import LabelSchema
from app.core.suggestions import PendingSuggestion, Rejection, SuggestedPart
from app.services.applying import started, write_change
from app.services.changes import ChangeSet
from app.services.project_schema import require_label, schema_in
from app.services.relations import relation_refusal
from app.services.workspace import Workspace

Key = tuple[str, int, int]


def _attributes(schema: LabelSchema, part: SuggestedPart) -> dict[str, object]:
    """The part's attributes the schema declares for its label (provenance stays out)."""
    spec = schema.label(part.label)
    declared = {a.name for a in spec.attributes} if spec is not None else set()
    return {k: v for k, v in part.attributes.items() if k in declared}


def accept(
    workspace: Workspace,
    suggestions: Sequence[PendingSuggestion],
    label: str | None = None,
    *,
    fixed_from: Sequence[PendingSuggestion] | None = None,
) -> ChangeSet:
    """Accept suggestions of one document as the annotator's spans and relations, as one
    change (``label``: each suggestion itself under that label instead, without its parts;
    the label it had is then remembered as rejected for that text; ``fixed_from``: the
    suggestions as proposed, in the same order, when some of ``suggestions`` are them with
    their boundaries fixed: those leave the pending ones, so that undo brings them back as
    proposed, and the cost ledger counts the step as accepted after a fix)."""
    proposed = suggestions if fixed_from is None else fixed_from
    if len(proposed) != len(suggestions):
        raise SpanError("each fixed suggestion needs the suggestion it was proposed as")
    fixed = any(
        (a.group, a.start, a.end) != (b.group, b.start, b.end)
        for a, b in zip(suggestions, proposed, strict=True)
    )
    if not suggestions:
        raise SpanError("no suggestion to accept")
    document_id = suggestions[0].document_id
    if any(s.document_id != document_id for s in suggestions):
        raise SpanError("suggestions of several documents cannot be accepted as one step")
    with workspace.database.unit_of_work() as uow:
        schema = schema_in(workspace, uow)
        if label is not None:
            require_label(schema, label)
        text = uow.documents.text(document_id)
        own = uow.annotator_work.spans_of(document_id, [workspace.annotator])
        refs: dict[Key, int] = {(s.label, s.start, s.end): s.id for s in own}
        labels = {s.id: s.label for s in own}
        linked = {(r.head, r.tail, r.label) for r in uow.spans.relations_of_document(document_id)}
        added: list[Span] = []
        relations: list[Relation] = []
        rejections: list[Rejection] = []
        for suggestion in suggestions:
            parts, links = suggestion.parts, suggestion.relations
            relabelled = label is not None and label != suggestion.label
            if relabelled:
                assert label is not None
                parts, links = (replace(parts[0], label=label),), ()
                covered = text[suggestion.start : suggestion.end]
                rejections.append(Rejection.of(document_id, suggestion.label, covered))
            ids: list[int | None] = []
            for number, part in enumerate(parts):
                if schema.label(part.label) is None:
                    if number == 0:
                        require_label(schema, part.label)
                    ids.append(None)  # a part the schema has no label for is left out
                    continue
                key = (part.label, part.start, part.end)
                if key not in refs:
                    entity = suggestion.entity if number == 0 and not relabelled else None
                    added.append(
                        Span(
                            0,
                            document_id,
                            part.start,
                            part.end,
                            part.label,
                            workspace.annotator,
                            Origin.SUGGESTED,
                            _attributes(schema, part),
                            entity,
                        )
                    )
                    refs[key] = -len(added)  # the added span's place, for write_change
                    labels[refs[key]] = part.label
                ids.append(refs[key])
            for name, head, tail in links:
                ends = (ids[head], ids[tail]) if max(head, tail) < len(ids) else (None, None)
                if ends[0] is None or ends[1] is None or (*ends, name) in linked:
                    continue
                if relation_refusal(schema, name, labels[ends[0]], labels[ends[1]]):
                    continue
                linked.add((ends[0], ends[1], name))
                relations.append(
                    Relation(0, document_id, ends[0], ends[1], name, workspace.annotator)
                )
        change = ChangeSet(
            document_id,
            added=tuple(added),
            relations_added=tuple(relations),
            suggestions_removed=tuple(s for s in proposed if s.stored),
            rejections_added=tuple(dict.fromkeys(rejections)),
        )
        change = started(uow, workspace.annotator_id, change)
        # the cost ledger counts each suggestion answered, however many spans it brought
        written = write_change(
            uow,
            change,
            workspace.annotator,
            "accept_suggestion",
            project_id=workspace.project_id,
            suggestions=[s.group for s in suggestions],
            **({"fixed": True} if fixed else {}),
        )
        uow.commit()
    return written


def reject(workspace: Workspace, suggestion: PendingSuggestion) -> ChangeSet:
    """Reject a suggestion: forget it if stored, and remember its label and text so that it
    is not proposed again in that document."""
    with workspace.database.unit_of_work() as uow:
        text = uow.documents.text(suggestion.document_id)
        covered = text[suggestion.start : suggestion.end]
        change = ChangeSet(
            suggestion.document_id,
            suggestions_removed=(suggestion,) if suggestion.stored else (),
            rejections_added=(Rejection.of(suggestion.document_id, suggestion.label, covered),),
        )
        written = write_change(
            uow, change, workspace.annotator, "reject_suggestion", suggestions=[suggestion.group]
        )
        uow.commit()
    return written
