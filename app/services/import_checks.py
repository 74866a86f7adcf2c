"""What each document of a file is held to before anything of the file is written: the
labels, attribute values and relation types of the schema."""

from __future__ import annotations

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.core.schema import LabelSchema
from app.services.span_edits import attribute_problem


def check_labels(
    schema: LabelSchema, record: DocumentRecord, declared_before: LabelSchema | None = None
) -> None:
    """Refuse a span whose label, or a value of an attribute its label declares, or a relation
    the schema does not have. Attributes the schema does not declare are kept as they are, and
    so are those the file itself brought into the schema (``declared_before`` is the schema
    before it): a file's own attributes take the values it gives them."""
    before = schema if declared_before is None else declared_before
    declared_of: dict[str, set[str]] = {}  # by label: a record has few labels, many spans
    for span in record.spans:
        declared = declared_of.get(span.label)
        if declared is None:
            if schema.label(span.label) is None:
                raise InputError(
                    f"span {span.id}: label {span.label!r} is not in the schema "
                    f"(known: {', '.join(label.name for label in schema.labels)}; "
                    "import without --strict-schema to add it)",
                    source=record.source,
                    line=record.line,
                )
            known = before.label(span.label)
            declared = {attribute.name for attribute in known.attributes} if known else set()
            declared_of[span.label] = declared
        for name, value in span.attributes.items():
            if name not in declared or value is None:
                continue
            problem = attribute_problem(schema, span.label, name, value)
            if problem is not None:
                raise InputError(
                    f"span {span.id} [{span.start}, {span.end}): {problem}",
                    source=record.source,
                    line=record.line,
                )
    types = {relation.name: relation for relation in schema.relations}
    labels = {span.id: span.label for span in record.spans}
    for relation in record.relations:
        kind = types.get(relation.label)
        if kind is None:
            raise InputError(
                f"relation {relation.id}: label {relation.label!r} is not in the schema "
                f"(known: {', '.join(types) or 'none'})",
                source=record.source,
                line=record.line,
            )
        head, tail = labels.get(relation.head), labels.get(relation.tail)
        if head not in kind.heads or tail not in kind.tails:
            raise InputError(
                f"relation {relation.id}: a {kind.name} joins {'/'.join(kind.heads)} to "
                f"{'/'.join(kind.tails)}, not {head} to {tail}",
                source=record.source,
                line=record.line,
            )
