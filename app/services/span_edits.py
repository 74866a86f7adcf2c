"""Editing a span in place: its label, its attributes and its boundaries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.annotations import Relation, Span, joined_pieces, moved_fragments
from app.core.entities import entity_type_problem
from app.core.errors import NotFoundError, SpanError
from app.core.schema import LabelSchema
from app.services.applying import write_change
from app.services.changes import ChangeSet
from app.services.project_schema import require_label, schema_in
from app.services.relations import a, relation_refusal
from app.store.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from app.services.workspace import Workspace

_NOTE_CHARACTERS = 40
"""How many characters of a span's text a note quotes."""


def attribute_problem(schema: LabelSchema, label: str, name: str, value: Any) -> str | None:
    """Why ``name = value`` is not an attribute a ``label`` span may carry; None when it is."""
    spec = schema.label(label)
    specs = {attribute.name: attribute for attribute in spec.attributes} if spec else {}
    attribute = specs.get(name)
    if attribute is None:
        has = ", ".join(specs) or "none"
        return f"{a(label)} has no attribute {name!r} (it has: {has})"
    if attribute.kind == "enum" and value not in attribute.values:
        return f"{label} {name} must be one of {', '.join(attribute.values)}, not {value!r}"
    if attribute.kind == "bool" and not isinstance(value, bool):
        return f"{label} {name} must be yes or no (true or false), not {value!r}"
    if attribute.kind == "text" and not isinstance(value, str):
        return f"{label} {name} must be text, not {value!r}"
    return None


def _quoted(text: str) -> str:
    words = " ".join(text.split())
    return f"“{words if len(words) <= _NOTE_CHARACTERS else words[: _NOTE_CHARACTERS - 1] + '…'}”"


def _not_allowed(
    uow: UnitOfWork, schema: LabelSchema, span: Span, label: str
) -> tuple[Relation, ...]:
    """The relations of ``span`` that the schema does not allow once it is labelled ``label``."""
    refused = []
    for relation in uow.spans.relations_touching(span.id):
        head = label if relation.head == span.id else uow.spans.get(relation.head).label
        tail = label if relation.tail == span.id else uow.spans.get(relation.tail).label
        if relation_refusal(schema, relation.label, head, tail) is not None:
            refused.append(relation)
    return tuple(refused)


def relabel_fallout(
    uow: UnitOfWork, schema: LabelSchema, span: Span, label: str
) -> tuple[tuple[Relation, ...], int | None]:
    """What labelling ``span`` as ``label`` takes away: the relations the schema does not
    allow then, and the entity link it keeps (None when the entity's type is not ``label``).

    Nothing is written; every relabel (of one's own span or of a gold span) asks here.
    """
    entity = span.entity
    if entity is not None:
        kind = uow.entities.get(entity).type
        if entity_type_problem(kind, label, schema.labels_with_role("entity")) is not None:
            entity = None
    return _not_allowed(uow, schema, span, label), entity


def relabel_span(workspace: Workspace, span_id: int, label: str) -> ChangeSet:
    """Give a span another label and commit, with what the new label does not allow.

    In the same transaction the span's relations that the schema does not allow with the
    new label are deleted (``relations_removed``), and a link to an entity whose type is
    not the new label is undone (the changed span's ``entity`` is None, ``entities`` is
    set); the inverse of the change puts everything back. ``SpanError`` for a label not in the
    schema, ``NotFoundError`` when the span is gone.
    """
    with workspace.database.unit_of_work() as uow:
        schema = schema_in(workspace, uow)
        require_label(schema, label)
        span = uow.spans.get(span_id, lock=True)
        removed, entity = relabel_fallout(uow, schema, span, label)
        change = ChangeSet(
            span.document_id,
            changed=(span._replace(label=label, entity=entity),),
            before=(span,),
            relations_removed=removed,
            entities=entity != span.entity,
        )
        written = write_change(
            uow,
            change,
            workspace.annotator,
            "relabel_span",
            old=span.label,
            new=label,
            unlinked_entity=span.entity if entity != span.entity else None,
        )
        uow.commit()
    return written


def relabel_note(workspace: Workspace, before: Span, changes: ChangeSet) -> str:
    """What a relabel removed, for the status bar ("" when it removed nothing):
    ``QUOTE is now CLAIM; removed QUOTE → speaker → PERSON “Khoury”``."""
    (after,) = changes.changed or (before,)
    parts = []
    with workspace.database.reading() as uow:
        for relation in changes.relations_removed:
            outgoing = relation.head == before.id
            try:
                other = uow.spans.get(relation.tail if outgoing else relation.head)
            except NotFoundError:
                continue
            _, covered = uow.documents.excerpt(other.document_id, other.start, other.end)
            end = f"{other.label} {_quoted(covered)}"
            if outgoing:
                parts.append(f"{before.label} → {relation.label} → {end}")
            else:
                parts.append(f"{end} → {relation.label} → {before.label}")
        if before.entity is not None and after.entity is None and changes.entities:
            try:
                name = uow.entities.get(before.entity).name
            except NotFoundError:
                name = f"entity {before.entity}"
            parts.append(f"the link to the {before.label} entity {name}")
    if not parts:
        return ""
    return (
        f"{before.label} is now {after.label}; removed what {a(after.label)} cannot have: "
        + "; ".join(parts)
        + " (Ctrl+Z brings them back)"
    )


def set_span_attributes(
    workspace: Workspace, span_id: int, attributes: dict[str, Any]
) -> ChangeSet:
    """Replace a span's attributes and commit; a None value unsets that attribute.

    Each attribute that changes must be declared by the span's label, with a value of its
    kind (``SpanError`` otherwise). Attributes the span already carries unchanged, such as
    imported ones the schema does not know, are kept as they are.
    """
    new = {name: value for name, value in attributes.items() if value is not None}
    with workspace.database.unit_of_work() as uow:
        span = uow.spans.get(span_id, lock=True)
        for name, value in new.items():
            if name in span.attributes and span.attributes[name] == value:
                continue
            problem = attribute_problem(schema_in(workspace, uow), span.label, name, value)
            if problem is not None:
                raise SpanError(problem)
        change = ChangeSet(
            span.document_id, changed=(span._replace(attributes=new),), before=(span,)
        )
        written = write_change(uow, change, workspace.annotator, "set_attributes")
        uow.commit()
    return written


def move_span(workspace: Workspace, span_id: int, start: int, end: int) -> ChangeSet:
    """Give a span new boundaries ``[start, end)`` and commit.

    The stored text is taken afresh from the document; ``SpanError`` when the range is
    empty or outside the text.
    """
    if not isinstance(start, int) or not isinstance(end, int):
        raise SpanError(f"offsets must be whole numbers, got {start!r}, {end!r}")
    with workspace.database.unit_of_work() as uow:
        span = uow.spans.get(span_id, lock=True)
        if not 0 <= start < end:
            raise SpanError(f"span [{start}, {end}) is empty or starts before the text")
        length, _ = uow.documents.excerpt(span.document_id, start, end)
        if end > length:
            raise SpanError(f"span [{start}, {end}) is outside the text (length {length})")
        moved = span._replace(
            start=start, end=end, fragments=moved_fragments(span.fragments, start, end)
        )
        change = ChangeSet(span.document_id, changed=(moved,), before=(span,))
        written = write_change(
            uow, change, workspace.annotator, "move_span", old=[span.start, span.end]
        )
        uow.commit()
    return written


def add_fragment(workspace: Workspace, span_id: int, start: int, end: int) -> ChangeSet:
    """Add ``[start, end)`` to a span as one more of its pieces and commit: the span
    becomes discontinuous (a quote broken by "he said"), its range covering every piece.

    A range that overlaps or touches a piece joins it. ``SpanError`` when the range is
    empty, outside the text, or adds nothing the span does not already cover.
    """
    if not isinstance(start, int) or not isinstance(end, int):
        raise SpanError(f"offsets must be whole numbers, got {start!r}, {end!r}")
    with workspace.database.unit_of_work() as uow:
        span = uow.spans.get(span_id, lock=True)
        if not 0 <= start < end:
            raise SpanError(f"fragment [{start}, {end}) is empty or starts before the text")
        length, _ = uow.documents.excerpt(span.document_id, start, end)
        if end > length:
            raise SpanError(f"fragment [{start}, {end}) is outside the text (length {length})")
        first, last, fragments = joined_pieces([*span.pieces, (start, end)])
        grown = span._replace(start=first, end=last, fragments=fragments)
        if grown.pieces == span.pieces:
            raise SpanError(f"span {span_id} already covers [{start}, {end})")
        change = ChangeSet(span.document_id, changed=(grown,), before=(span,))
        written = write_change(
            uow, change, workspace.annotator, "add_fragment", fragment=[start, end]
        )
        uow.commit()
    return written
