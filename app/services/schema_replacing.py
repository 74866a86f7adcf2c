"""Replacing a project's label schema inside a unit of work: names renamed on every span,
relation and entity, spans of removed labels deleted, a colleague's edits kept.

Both an edit in the schema editor and the writing of a change (undo, redo) come here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.core.annotations import Relation, Span
from app.core.errors import InputError, SpanError
from app.core.schema import LabelSchema
from app.core.schema_merge import merged_schema
from app.services.changes import SchemaEdit
from app.services.schema_checks import checked_schema
from app.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SchemaReplaced:
    """What replacing the schema did: the edit as made (from the stored schema to the one
    stored now), the spans and relations deleted, and the schema's new version."""

    edit: SchemaEdit
    removed: tuple[Span, ...]
    relations: tuple[Relation, ...]
    version: int


def used(count: int, noun: str) -> str:
    """``1 span uses``, ``12 spans use``: how many things use a name."""
    return f"1 {noun} uses" if count == 1 else f"{count} {noun}s use"


def removed_names(old: tuple[str, ...], new: set[str], renames: Mapping[str, str]) -> list[str]:
    """The names of ``old`` that are neither kept in ``new`` nor renamed."""
    return [name for name in old if name not in renames and name not in new]


def _check_renames(
    renames: Mapping[str, str], old: set[str], new: set[str], what: str
) -> dict[str, str]:
    for source, target in renames.items():
        if source not in old:
            raise InputError(f"cannot rename {what} {source!r}: the schema has no such {what}")
        if target not in new:
            raise InputError(f"cannot rename {what} {source!r} to {target!r}: not in new schema")
    return {source: target for source, target in renames.items() if source != target}


def replace_schema(
    uow: UnitOfWork,
    project_id: int,
    annotator: str,
    base: LabelSchema,
    new: LabelSchema,
    renames: Mapping[str, str],
    relation_renames: Mapping[str, str],
    *,
    delete_used: bool,
) -> SchemaReplaced:
    """Replace a project's schema inside ``uow``, uncommitted.

    The edit turns ``base`` (the schema its author read) into ``new``. When a colleague
    has stored another schema since, what the edit changed from its base is applied to the
    stored schema, so that no one's labels are lost; an edit of a label or relation type
    that the colleague changed too is refused (``ConflictError``). Spans of a removed label
    (relations of a removed type) raise ``SpanError`` unless ``delete_used``; then they are
    deleted with their relations.
    """
    checked_schema(new)  # the edit itself first, so that its errors name its own fields
    stored, version = uow.projects.schema_of(project_id, lock=True)
    old = LabelSchema.from_dict(stored)
    schema = checked_schema(merged_schema(base, new, old, renames, relation_renames))
    label_renames = _check_renames(
        renames,
        {label.name for label in old.labels},
        {label.name for label in schema.labels},
        "label",
    )
    kind_renames = _check_renames(
        relation_renames,
        {kind.name for kind in old.relations},
        {kind.name for kind in schema.relations},
        "relation type",
    )
    gone_labels = removed_names(
        tuple(label.name for label in old.labels),
        {label.name for label in schema.labels},
        label_renames,
    )
    gone_kinds = removed_names(
        tuple(kind.name for kind in old.relations),
        {kind.name for kind in schema.relations},
        kind_renames,
    )
    removed: list[Span] = []
    relations: dict[int, Relation] = {}
    for label in gone_labels:
        ids = uow.spans.ids_with_label(project_id, label)
        if ids and not delete_used:
            raise SpanError(f"{used(len(ids), 'span')} {label}; delete them to remove {label}")
        for span_id in ids:
            removed.append(uow.spans.get(span_id))
            for relation in uow.spans.relations_touching(span_id):
                relations.setdefault(relation.id, relation)
    for kind in gone_kinds:
        relation_ids = uow.spans.relation_ids_with_label(project_id, kind)
        if relation_ids and not delete_used:
            raise SpanError(
                f"{used(len(relation_ids), 'relation')} {kind}; delete them to remove {kind}"
            )
        for relation_id in relation_ids:
            relations[relation_id] = uow.spans.relation(relation_id)
    for relation_id in relations:
        uow.spans.delete_relation(relation_id)
    for span in removed:
        uow.spans.delete(span.id)
    # through placeholders, so that swapping two names works
    for step in (_placeholders(label_renames), _targets(label_renames)):
        for source, target in step.items():
            uow.spans.rename_label(project_id, source, target)
            # an entity's type is its mentions' label: it follows the rename
            uow.entities.rename_type(project_id, source, target)
    for step in (_placeholders(kind_renames), _targets(kind_renames)):
        for source, target in step.items():
            uow.spans.rename_relation_label(project_id, source, target)
    version = uow.projects.set_schema(project_id, schema.to_dict(), version)
    uow.events.record(
        annotator,
        "update_schema",
        renames=label_renames,
        relation_renames=kind_renames,
        removed_labels=gone_labels,
        removed_relation_types=gone_kinds,
        deleted_spans=len(removed),
        deleted_relations=len(relations),
    )
    edit = SchemaEdit(old, schema, tuple(label_renames.items()), tuple(kind_renames.items()))
    return SchemaReplaced(edit, tuple(removed), tuple(relations.values()), version)


def _placeholder(index: int) -> str:
    # a control character no label has; PostgreSQL stores no NUL in text
    return f"\x1frename-{index}"


def _placeholders(renames: Mapping[str, str]) -> dict[str, str]:
    return {source: _placeholder(i) for i, source in enumerate(renames)}


def _targets(renames: Mapping[str, str]) -> dict[str, str]:
    return {_placeholder(i): target for i, target in enumerate(renames.values())}
