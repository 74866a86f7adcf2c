"""Relations between spans: who said a quote, with which cue, who made a claim."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.core.annotations import Relation
from app.core.errors import SpanError
from app.core.schema import LabelSchema, RelationType
from app.services.applying import write_change
from app.services.changes import ChangeSet
from app.services.project_schema import schema_in

if TYPE_CHECKING:
    from app.services.workspace import Workspace


def either(names: Sequence[str]) -> str:
    """``A``, ``A or B``, ``A, B or C``: the names as a reader says the choice."""
    if len(names) <= 1:
        return "".join(names) or "nothing"
    return f"{', '.join(names[:-1])} or {names[-1]}"


def a(word: str, *, capital: bool = False) -> str:
    """``word`` after the indefinite article a reader would say: "a QUOTE", "an ORG"."""
    article = "an" if word[:1] and word[:1].upper() in "AEIOU" else "a"
    return f"{article.capitalize() if capital else article} {word}"


def relation_type(schema: LabelSchema, label: str) -> RelationType | None:
    """The schema's relation type called ``label``, if any."""
    return next((kind for kind in schema.relations if kind.name == label), None)


def relation_types_from(schema: LabelSchema, head_label: str) -> list[RelationType]:
    """The relation types a span labelled ``head_label`` may be the head of, in schema order."""
    return [kind for kind in schema.relations if head_label in kind.heads]


def relation_refusal(
    schema: LabelSchema, label: str, head_label: str, tail_label: str
) -> str | None:
    """Why the schema does not allow a ``label`` link from a ``head_label`` span to a
    ``tail_label`` span, in the user's words; None when it does."""
    kind = relation_type(schema, label)
    if kind is None:
        known = ", ".join(known.name for known in schema.relations) or "none"
        return f"relation {label!r} is not in the schema {schema.name!r} (known: {known})"
    if head_label not in kind.heads:
        return f"only {a(either(kind.heads))} can have {a(label)}, not {a(head_label)}"
    if tail_label not in kind.tails:
        return f"{a(label)} must be {a(either(kind.tails))}, not {tail_label}"
    return None


def add_relation(
    workspace: Workspace, head_span_id: int, tail_span_id: int, label: str
) -> ChangeSet:
    """Link a head span to a tail span with ``label`` and commit.

    Raises ``SpanError`` when the schema does not allow the pair, when the spans are in
    different documents, for a span linked to itself and for a link that already exists;
    ``NotFoundError`` when a span is gone.
    """
    if head_span_id == tail_span_id:
        raise SpanError(f"a span cannot be its own {label}")
    with workspace.database.unit_of_work() as uow:
        head = uow.spans.get(head_span_id)
        tail = uow.spans.get(tail_span_id)
        if head.document_id != tail.document_id:
            raise SpanError(
                f"the {head.label} and the {tail.label} are in different documents "
                f"({head.document_id} and {tail.document_id})"
            )
        refusal = relation_refusal(schema_in(workspace, uow), label, head.label, tail.label)
        if refusal is not None:
            raise SpanError(refusal)
        existing = uow.spans.relations_touching(head.id)
        if any((r.head, r.tail, r.label) == (head.id, tail.id, label) for r in existing):
            raise SpanError(f"this {head.label} already has that {label}")
        relation = Relation(0, head.document_id, head.id, tail.id, label, workspace.annotator)
        change = ChangeSet(head.document_id, relations_added=(relation,))
        written = write_change(uow, change, workspace.annotator, "add_relation", label=label)
        uow.commit()
    return written


def delete_relation(workspace: Workspace, relation_id: int) -> ChangeSet:
    """Delete one relation (its spans stay) and commit."""
    with workspace.database.unit_of_work() as uow:
        relation = uow.spans.relation(relation_id)
        change = ChangeSet(relation.document_id, relations_removed=(relation,))
        written = write_change(uow, change, workspace.annotator, "delete_relation")
        uow.commit()
    return written
