"""Writing a change: the one place that puts a ``ChangeSet`` into the database.

Every undo and redo, and the actions that build their change before writing it, come
through ``write_change``: relations and spans removed, spans rewritten, spans and relations
added (those with an id keep it, those of id 0 get a new one), review states and the
document status and metadata set, pending and rejected suggestions stored or forgotten, the
event recorded, all in the caller's unit of work. A relation added with a negative head or
tail names the span added at that place of ``added`` (-1 the first), whose id is not known
yet. What the database took along on its own (the relations of a removed span, its review
state) is added to the change it returns, so that the inverse of that change brings
everything back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from app.core.annotations import Relation, Span, Status, check_fragments
from app.core.entities import Entity
from app.core.errors import ConflictError, SpanError
from app.core.review import Review as ReviewState
from app.services.changes import ChangeSet, Review, SchemaEdit
from app.services.restoring import missing_entities, put_back_relations
from app.services.schema_edits import refresh_schema
from app.services.schema_replacing import replace_schema
from app.store.repositories import Entities
from app.store.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from app.services.workspace import Workspace

UNREVIEWED = ReviewState.UNREVIEWED.value


def apply(workspace: Workspace, change: ChangeSet, action: str = "apply") -> ChangeSet:
    """Write a change again (redo) or its inverse (undo) in one transaction, under the ids
    it names; the change as written. Nothing changes when any part of it cannot be
    applied (``NotFoundError``, ``SpanError``)."""
    if not change.reversible:
        raise SpanError("this change cannot be undone or done again")
    if change.status is not None and not (change.annotations_changed or change.review_states):
        action = "set_status"  # what the progress figures count
    with workspace.database.unit_of_work() as uow:
        written = write_change(
            uow, change, workspace.annotator, action, project_id=workspace.project_id
        )
        uow.commit()
    if change.schema_edit is not None:
        refresh_schema(workspace)
    return written


def write_change(
    uow: UnitOfWork,
    change: ChangeSet,
    annotator: str,
    action: str,
    *,
    project_id: int | None = None,
    **payload: Any,
) -> ChangeSet:
    """Write ``change`` as ``annotator``'s ``action`` (not committed); the change as written.

    Entities it adds go into ``project_id``'s project; one added with a negative id gets a
    new id, and the spans of the change that name the negative id mention it.

    ``NotFoundError`` when something it removes or changes is gone, ``SpanError`` for a range
    outside its text or a relation whose span is gone, ``ConflictError`` when a metadata key
    it sets is no longer as ``meta_before`` says; the caller's rollback then leaves
    everything as it was.
    """
    _write_meta(uow, change)
    entities = uow.entities
    made = _add_entities(entities, change.entities_added, project_id)
    if any(entity.id < 0 for entity in change.entities_added):
        change = _with_entity_ids(
            change, {e.id: m.id for e, m in zip(change.entities_added, made, strict=True)}
        )
    for entity in change.entities_changed:
        entities.update(entity.id, name=entity.name, aliases=entity.aliases)
    removed_ids = {span.id for span in change.removed}
    relations = _with_relations_of(uow, change.relations_removed, removed_ids)
    reviews = _with_reviews_of(uow, change.review_states, removed_ids)
    for relation in relations:
        uow.spans.delete_relation(relation.id)
    for span in change.removed:
        uow.spans.delete(span.id)
    if change.schema_edit is not None:
        _replace_schema(uow, change.schema_edit, annotator, project_id)
    texts: dict[int, str] = {}
    gone = missing_entities(entities, (*change.changed, *change.added))
    for span in change.changed:
        text = _text(uow, texts, span)
        if span.entity in gone:  # deleted meanwhile: the span comes back unlinked
            span = span._replace(entity=None)
        uow.spans.rewrite(span, text[span.start : span.end])
    added = []
    for span in change.added:
        text = _text(uow, texts, span)
        new_id = uow.spans.add(
            span.document_id,
            span.start,
            span.end,
            span.label,
            uow.annotators.id_of(span.annotator),
            text=text[span.start : span.end],
            origin=span.origin,
            attributes=span.attributes,
            span_id=span.id or None,
            entity_id=None if span.entity in gone else span.entity,
            fragments=span.fragments,
        )
        added.append(span._replace(id=new_id))
    # relations coming back under their ids (undo, redo) are refused when an end has gone
    put_back_relations(uow, [r for r in change.relations_added if r.id])
    relations_added = []
    for relation in change.relations_added:
        if relation.head < 0 or relation.tail < 0:
            relation = replace(
                relation,
                head=added[-relation.head - 1].id if relation.head < 0 else relation.head,
                tail=added[-relation.tail - 1].id if relation.tail < 0 else relation.tail,
            )
        new_id = relation.id or uow.spans.add_relation(
            relation.document_id,
            relation.head,
            relation.tail,
            relation.label,
            uow.annotators.id_of(relation.annotator),
        )
        relations_added.append(replace(relation, id=new_id))
    kept = {span_id: after for span_id, _, after in reviews if span_id not in removed_ids}
    uow.review_rows.set_reviews(kept)
    for entity in change.entities_removed:
        entities.get(entity.id)  # NotFoundError when gone: this change is not the last
        entities.delete(entity.id)
    _write_suggestions(uow, change, annotator)
    if change.status is not None and change.document_id is not None:
        uow.documents.set_status(change.document_id, uow.annotators.id_of(annotator), change.status)
    written = replace(
        change,
        added=tuple(added),
        relations_added=tuple(relations_added),
        relations_removed=relations,
        review_states=reviews,
        reviews=tuple(sorted({*change.reviews, *kept})),
        entities_added=tuple(made),
        entities=change.entities
        or bool(made or change.entities_removed or change.entities_changed),
    )
    uow.events.record(annotator, action, **_event(written), **payload)
    return written


def _write_meta(uow: UnitOfWork, change: ChangeSet) -> None:
    """Set the metadata keys the change sets, when each is still as it was before it; the
    document's other keys are left alone, so that someone else's edit of them is kept."""
    if change.meta_before is None and change.meta_after is None:
        return
    if change.document_id is None:
        raise ValueError("a change of metadata names its document")
    before, after = change.meta_before or {}, change.meta_after or {}
    meta = dict(uow.documents.get(change.document_id, lock=True).meta)
    for key in sorted({*before, *after}):
        if meta.get(key) != before.get(key):
            raise ConflictError(
                f"document {change.document_id}: its {key} was changed meanwhile; "
                "reopen it and try again"
            )
        if key in after:
            meta[key] = after[key]
        else:
            meta.pop(key, None)
    # the title is a column too, the one the lists show
    uow.documents.set_meta(change.document_id, meta, title=after.get("title"))


def _write_suggestions(uow: UnitOfWork, change: ChangeSet, annotator: str) -> None:
    if not change.suggestions_changed:
        return
    suggestions = uow.suggestions
    suggestions.remove_pending(s.group for s in change.suggestions_removed)
    suggestions.add_pending(change.suggestions_added)
    for rejection in change.rejections_removed:
        suggestions.unreject(rejection)
    annotator_id = uow.annotators.id_of(annotator) if change.rejections_added else 0
    for rejection in change.rejections_added:
        suggestions.reject(rejection, annotator_id)


def started(uow: UnitOfWork, annotator_id: int, change: ChangeSet) -> ChangeSet:
    """``change``, marking its document in progress when it adds the annotator's first spans
    to a document still new to them (so that undoing it makes the document new again)."""
    document_id = change.document_id
    if document_id is None or not change.added:
        return change
    status = uow.documents.status(document_id, annotator_id)
    if status is not Status.NEW:
        return change
    return replace(change, status=Status.IN_PROGRESS, status_before=status)


def _add_entities(
    entities: Entities, added: tuple[Entity, ...], project_id: int | None
) -> list[Entity]:
    """Store the entities a change adds (a negative id: under a new one); as stored."""
    if added and project_id is None:
        raise ValueError("entities are added to a project: give its id")
    made = []
    for entity in added:
        assert project_id is not None
        new_id = entities.add(project_id, entity, keep_id=entity.id > 0)
        made.append(replace(entity, id=new_id))
    return made


def _with_entity_ids(change: ChangeSet, ids: dict[int, int]) -> ChangeSet:
    """``change`` with its spans' placeholder entity ids replaced by the stored ones."""

    def linked(spans: tuple[Span, ...]) -> tuple[Span, ...]:
        return tuple(
            span._replace(entity=ids[span.entity]) if span.entity in ids else span for span in spans
        )

    return replace(change, added=linked(change.added), changed=linked(change.changed))


def _with_relations_of(
    uow: UnitOfWork, relations: Iterable[Relation], span_ids: set[int]
) -> tuple[Relation, ...]:
    """``relations`` and every other relation of these spans, which go with them."""
    every = {relation.id: relation for relation in relations}
    for span_id in sorted(span_ids):
        for relation in uow.spans.relations_touching(span_id):
            every.setdefault(relation.id, relation)
    return tuple(every.values())


def _with_reviews_of(
    uow: UnitOfWork, reviews: tuple[Review, ...], span_ids: set[int]
) -> tuple[Review, ...]:
    """``reviews`` and the review state of each removed span that has one, so that it comes
    back with the span."""
    named = {span_id for span_id, _, _ in reviews}
    states = uow.review_rows.reviews_of(span_ids - named)
    kept = tuple(
        (span_id, state, UNREVIEWED)
        for span_id, state in sorted(states.items())
        if state != UNREVIEWED
    )
    return (*reviews, *kept)


def _text(uow: UnitOfWork, texts: dict[int, str], span: Span) -> str:
    text = texts.get(span.document_id)
    if text is None:
        text = texts[span.document_id] = uow.documents.text(span.document_id)
    if not 0 <= span.start < span.end <= len(text):
        raise SpanError(
            f"span [{span.start}, {span.end}) is empty or outside the text (length {len(text)})"
        )
    if span.fragments:
        check_fragments(span.start, span.end, span.fragments, name=f"span {span.id or 'new'}")
    return text


def _replace_schema(
    uow: UnitOfWork, edit: SchemaEdit, annotator: str, project_id: int | None
) -> None:
    """The schema turned from ``edit.before`` into ``edit.after``, after the spans the change
    removes are gone and before those it brings back return (they may carry labels only
    the schema after has). A span of a removed label left meanwhile refuses the change."""
    if project_id is None:
        raise ValueError("a change of the schema needs its project")
    replace_schema(
        uow,
        project_id,
        annotator,
        edit.before,
        edit.after,
        dict(edit.renames),
        dict(edit.relation_renames),
        delete_used=False,
    )


def _event(change: ChangeSet) -> dict[str, Any]:
    """What the event log keeps of a change: the ids it touched, and the labels of what it
    made."""
    event: dict[str, Any] = {"document": change.document_id}
    for name, values in (
        ("added", [span.id for span in change.added]),
        ("removed", [span.id for span in change.removed]),
        ("changed", [span.id for span in change.changed]),
        ("relations_added", [relation.id for relation in change.relations_added]),
        ("relations_removed", [relation.id for relation in change.relations_removed]),
        ("reviews", [[span_id, after] for span_id, _, after in change.review_states]),
        ("suggestions_removed", [s.group for s in change.suggestions_removed]),
        ("suggestions_added", [s.group for s in change.suggestions_added]),
        ("rejected", [[r.label, r.text] for r in change.rejections_added]),
    ):
        if values:
            event[name] = values
    # the cost ledger reads what was made from the log, deleted spans included
    for name, labels in (
        ("labels", [span.label for span in change.added]),
        ("changed_labels", [span.label for span in change.changed]),
        ("relation_labels", [relation.label for relation in change.relations_added]),
    ):
        if labels:
            event[name] = labels
    if change.status is not None:
        event["status"] = change.status.value
    if change.meta_before is not None or change.meta_after is not None:
        event["meta"] = sorted({*(change.meta_before or {}), *(change.meta_after or {})})
    for name, group in (
        ("entities_added", change.entities_added),
        ("entities_removed", change.entities_removed),
        ("entities_changed", change.entities_changed),
    ):
        if group:
            event[name] = [entity.id for entity in group]
    return event
