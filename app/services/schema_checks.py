"""The checks a label schema passes before it is stored."""

from __future__ import annotations

from app.core.errors import InputError
from app.core.schema import LabelSchema

ATTRIBUTE_KINDS = ("enum", "bool", "text")


def checked_schema(new: LabelSchema) -> LabelSchema:
    """``new`` after the checks of its JSON form, and that relations name known labels.

    Raises ``InputError`` naming the field at fault.
    """
    schema = LabelSchema.from_dict(new.to_dict(), source="label schema")
    names = {label.name for label in schema.labels}
    for label in schema.labels:
        if not label.name.strip():
            raise InputError("a label has an empty name")
        if label.hotkey and not label.hotkey.strip():
            raise InputError(f"label {label.name}: the hotkey is white space")
        seen: set[str] = set()
        for spec in label.attributes:
            if not spec.name.strip():
                raise InputError(f"label {label.name}: an attribute has an empty name")
            if spec.name in seen:
                raise InputError(f"label {label.name}: duplicate attribute {spec.name!r}")
            seen.add(spec.name)
            if spec.kind not in ATTRIBUTE_KINDS:
                raise InputError(
                    f"label {label.name}: attribute {spec.name} has unknown kind {spec.kind!r}"
                )
            if spec.kind == "enum" and not spec.values:
                raise InputError(f"label {label.name}: attribute {spec.name} has no values")
    relation_names: set[str] = set()
    for kind in schema.relations:
        if not kind.name.strip():
            raise InputError("a relation type has an empty name")
        if kind.name in relation_names:
            raise InputError(f"duplicate relation type {kind.name!r} in label schema")
        relation_names.add(kind.name)
        for field, ends in (("heads", kind.heads), ("tails", kind.tails)):
            if not ends:
                raise InputError(f"relation {kind.name}: {field} is empty")
            unknown = [end for end in ends if end not in names]
            if unknown:
                raise InputError(
                    f"relation {kind.name}: {field} names unknown label {unknown[0]!r}"
                )
    return schema
