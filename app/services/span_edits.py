"""Editing a span in place: its attributes and its boundaries."""

from __future__ import annotations

from typing import Any

from app.core.errors import SpanError
from app.core.schema import LabelSchema
from app.services.changes import ChangeSet
from app.services.relations import a
from app.store import Database


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


class SpanEdits:
    """The workspace's actions that change a span in place; ``Workspace`` mixes them in."""

    database: Database
    annotator: str
    annotator_id: int
    schema: LabelSchema

    def set_span_attributes(self, span_id: int, attributes: dict[str, Any]) -> ChangeSet:
        """Replace a span's attributes and commit; a None value unsets that attribute.

        Each attribute that changes must be declared by the span's label, with a value of its
        kind (``SpanError`` otherwise). Attributes the span already carries unchanged, such as
        imported ones the schema does not know, are kept as they are.
        """
        new = {name: value for name, value in attributes.items() if value is not None}
        with self.database.unit_of_work() as uow:
            span = uow.spans.get(span_id)
            for name, value in new.items():
                if name in span.attributes and span.attributes[name] == value:
                    continue
                problem = attribute_problem(self.schema, span.label, name, value)
                if problem is not None:
                    raise SpanError(problem)
            uow.spans.set_attributes(span_id, new)
            uow.events.record(self.annotator, "set_attributes", span=span_id, attributes=new)
            uow.commit()
        return ChangeSet(span.document_id, changed=(span._replace(attributes=new),))

    def move_span(self, span_id: int, start: int, end: int) -> ChangeSet:
        """Give a span new boundaries ``[start, end)`` and commit.

        The stored text is taken afresh from the document; ``SpanError`` when the range is
        empty or outside the text.
        """
        if not isinstance(start, int) or not isinstance(end, int):
            raise SpanError(f"offsets must be whole numbers, got {start!r}, {end!r}")
        with self.database.unit_of_work() as uow:
            span = uow.spans.get(span_id)
            if not 0 <= start < end:
                raise SpanError(f"span [{start}, {end}) is empty or starts before the text")
            length, covered = uow.documents.excerpt(span.document_id, start, end)
            if end > length:
                raise SpanError(f"span [{start}, {end}) is outside the text (length {length})")
            uow.spans.move(span_id, start, end, covered)
            uow.events.record(
                self.annotator,
                "move_span",
                span=span_id,
                old=[span.start, span.end],
                new=[start, end],
            )
            uow.commit()
        return ChangeSet(span.document_id, changed=(span._replace(start=start, end=end),))
