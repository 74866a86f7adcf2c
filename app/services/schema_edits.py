"""Editing the project's label schema: labels, colours, hotkeys, attributes, relation types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from app.core.errors import ConflictError, InputError
from app.core.schema import Label, LabelSchema
from app.core.schema_growth import SchemaDraft, SchemaGrowth, free_colour, free_hotkey, grown
from app.services.changes import ChangeSet
from app.services.project_schema import schema_in
from app.services.schema_checks import checked_schema
from app.services.schema_replacing import replace_schema
from app.store.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from app.services.workspace import Workspace


def refresh_schema(workspace: Workspace) -> LabelSchema:
    """The project's schema as stored now (a colleague may have edited it)."""
    with workspace.database.reading() as uow:
        return schema_in(workspace, uow)


def label_usage(workspace: Workspace, label: str) -> int:
    """How many spans of the project carry ``label``."""
    with workspace.database.reading() as uow:
        return len(uow.spans.ids_with_label(workspace.project_id, label))


def relation_usage(workspace: Workspace, label: str) -> int:
    """How many relations of the project carry ``label``."""
    with workspace.database.reading() as uow:
        return len(uow.spans.relation_ids_with_label(workspace.project_id, label))


def update_schema(
    workspace: Workspace,
    new: LabelSchema,
    renames: Mapping[str, str] | None = None,
    *,
    relation_renames: Mapping[str, str] | None = None,
    delete_used: bool = False,
) -> ChangeSet:
    """Replace the project's label schema in one transaction and commit.

    ``renames`` maps old label names to new ones (their spans are relabelled),
    ``relation_renames`` the same for relation types. Removing a label still used by
    spans (or a relation type used by relations) raises ``SpanError`` unless
    ``delete_used``; then those spans and their relations are deleted. The ChangeSet
    carries the schema before and after (``schema_edit``) and what was deleted, so that
    its inverse, applied by ``applying.apply``, undoes it all in one transaction.
    An invalid schema raises ``InputError``; either way nothing changes.
    """
    try:
        with workspace.database.unit_of_work() as uow:
            done = replace_schema(
                uow,
                workspace.project_id,
                workspace.annotator,
                workspace.schema,
                new,
                renames or {},
                relation_renames or {},
                delete_used=delete_used,
            )
            uow.commit()
    except ConflictError:
        refresh_schema(workspace)  # so that the change can be made again on theirs
        raise
    workspace.project_schema.keep(done.edit.after, done.version)
    return ChangeSet(
        removed=done.removed,
        relations_removed=done.relations,
        schema=True,
        schema_edit=done.edit,
    )


def add_to_schema(workspace: Workspace, draft: SchemaDraft) -> SchemaGrowth:
    """Add to the project's schema, in one transaction, the labels, relation types and
    attributes that ``draft`` notes and the schema lacks; return what was added.

    New labels get a colour no other label has and a free hotkey while one is left.
    """
    with workspace.database.unit_of_work() as uow:
        schema, growth = grow_schema(workspace, uow, draft)
        uow.commit()
    workspace.project_schema.keep(schema)
    return growth


def add_label(workspace: Workspace, name: str, colour: str = "", hotkey: str = "") -> Label:
    """Add one label to the schema and commit; a colour and a hotkey are chosen when not
    given. Raises ``InputError`` when the name, colour or hotkey is taken or malformed."""
    name = name.strip()
    with workspace.database.unit_of_work() as uow:
        uow.documents.hold_project(workspace.project_id)
        stored, version = uow.projects.schema_of(workspace.project_id, lock=True)
        current = LabelSchema.from_dict(stored, source="the project's schema")
        if current.label(name) is not None:
            raise InputError(f"the schema already has a label {name!r}")
        holder = current.by_hotkey(hotkey) if hotkey else None
        if holder is not None:
            raise InputError(f"hotkey {hotkey!r} is taken by {holder.name}")
        used = {label.colour.lower() for label in current.labels}
        keys = {label.hotkey.lower() for label in current.labels if label.hotkey}
        label = Label(name, colour or free_colour(used), hotkey or free_hotkey(keys))
        schema = checked_schema(
            LabelSchema(current.name, (*current.labels, label), current.relations)
        )
        version = uow.projects.set_schema(workspace.project_id, schema.to_dict(), version)
        uow.events.record(workspace.annotator, "update_schema", added_labels=[name])
        uow.commit()
    workspace.project_schema.keep(schema, version)
    return label


def grow_schema(
    workspace: Workspace, uow: UnitOfWork, draft: SchemaDraft
) -> tuple[LabelSchema, SchemaGrowth]:
    """The work of ``add_to_schema`` inside ``uow``, uncommitted (an import adds the
    labels of a file in the transaction that brings the file in): the schema as it will
    be once ``uow`` commits, and what was added. The caller keeps the schema
    (``workspace.project_schema.keep``) after the commit.

    The schema is read again from the database while the project is held, so that two
    imports at once each add to what the other added.
    """
    if not draft:
        return workspace.schema, SchemaGrowth()
    uow.documents.hold_project(workspace.project_id)
    stored, version = uow.projects.schema_of(workspace.project_id, lock=True)
    schema, growth = grown(LabelSchema.from_dict(stored, source="the project's schema"), draft)
    if growth:
        schema = checked_schema(schema)
        uow.projects.set_schema(workspace.project_id, schema.to_dict(), version)
        uow.events.record(
            workspace.annotator,
            "update_schema",
            added_labels=list(growth.labels),
            added_relation_types=list(growth.relations),
            widened_relation_types=list(growth.widened),
            added_attributes=list(growth.attributes),
        )
    return schema, growth
