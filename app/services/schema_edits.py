"""Editing the project's label schema: labels, colours, hotkeys, attributes, relation types."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.core.annotations import Relation, Span
from app.core.errors import ConflictError, InputError, SpanError
from app.core.schema import Label, LabelSchema
from app.core.schema_growth import SchemaDraft, SchemaGrowth, free_colour, free_hotkey, grown
from app.core.schema_merge import merged_schema
from app.services.changes import ChangeSet
from app.services.project_schema import schema_in
from app.services.restoring import put_back_relations, put_back_spans
from app.store import Database
from app.store.unit_of_work import UnitOfWork

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


class SchemaEdits:
    """The workspace's action on its label schema; ``Workspace`` mixes it in."""

    database: Database
    annotator: str
    annotator_id: int
    project_id: int
    schema: LabelSchema
    schema_version: int

    def refresh_schema(self) -> LabelSchema:
        """The project's schema as stored now (a colleague may have edited it)."""
        with self.database.reading() as uow:
            return schema_in(self, uow)

    def label_usage(self, label: str) -> int:
        """How many spans of the project carry ``label``."""
        with self.database.reading() as uow:
            return len(uow.spans.ids_with_label(self.project_id, label))

    def relation_usage(self, label: str) -> int:
        """How many relations of the project carry ``label``."""
        with self.database.reading() as uow:
            return len(uow.spans.relation_ids_with_label(self.project_id, label))

    def update_schema(
        self,
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
        ``delete_used``; then those spans and their relations are deleted, and the ChangeSet
        carries them (``removed``, ``relations_removed``) so that undo can restore them.
        An invalid schema raises ``InputError``; either way nothing changes.
        """
        try:
            with self.database.unit_of_work() as uow:
                schema, removed, relations, version = self._replace_schema(
                    uow, new, renames or {}, relation_renames or {}, delete_used=delete_used
                )
                uow.commit()
        except ConflictError:
            self.refresh_schema()  # so that the change can be made again on theirs
            raise
        self.schema, self.schema_version = schema, version
        return ChangeSet(removed=removed, relations_removed=relations, schema=True)

    def undo_schema_edit(
        self,
        old: LabelSchema,
        renames: Mapping[str, str],
        relation_renames: Mapping[str, str],
        spans: Sequence[Span] = (),
        relations: Sequence[Relation] = (),
    ) -> ChangeSet:
        """Undo ``update_schema`` in one transaction and commit: ``old`` back as the schema,
        the names it renamed back (``renames`` and ``relation_renames`` as given to the edit),
        and the spans and relations it deleted back under their ids.

        All or nothing: when any part fails, the edit stays as it was.
        """
        with self.database.unit_of_work() as uow:
            schema, _, _, version = self._replace_schema(
                uow,
                old,
                {new: former for former, new in renames.items()},
                {new: former for former, new in relation_renames.items()},
                delete_used=False,
            )
            # an entity deleted since the edit: its mentions come back unlinked
            put_back_spans(uow, spans)
            put_back_relations(uow, relations, check_ends=False)
            uow.events.record(
                self.annotator,
                "undo_schema_edit",
                restored_spans=len(spans),
                restored_relations=len(relations),
            )
            uow.commit()
        self.schema, self.schema_version = schema, version
        return ChangeSet(added=tuple(spans), relations_added=tuple(relations), schema=True)

    def add_to_schema(self, draft: SchemaDraft) -> SchemaGrowth:
        """Add to the project's schema, in one transaction, the labels, relation types and
        attributes that ``draft`` notes and the schema lacks; return what was added.

        New labels get a colour no other label has and a free hotkey while one is left.
        """
        with self.database.unit_of_work() as uow:
            schema, growth = self.grow_schema(uow, draft)
            uow.commit()
        self.schema = schema
        return growth

    def add_label(self, name: str, colour: str = "", hotkey: str = "") -> Label:
        """Add one label to the schema and commit; a colour and a hotkey are chosen when not
        given. Raises ``InputError`` when the name, colour or hotkey is taken or malformed."""
        name = name.strip()
        with self.database.unit_of_work() as uow:
            uow.documents.hold_project(self.project_id)
            stored, version = uow.projects.schema_of(self.project_id, lock=True)
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
            version = uow.projects.set_schema(self.project_id, schema.to_dict(), version)
            uow.events.record(self.annotator, "update_schema", added_labels=[name])
            uow.commit()
        self.schema, self.schema_version = schema, version
        return label

    def grow_schema(self, uow: UnitOfWork, draft: SchemaDraft) -> tuple[LabelSchema, SchemaGrowth]:
        """The work of ``add_to_schema`` inside ``uow``, uncommitted (an import adds the
        labels of a file in the transaction that brings the file in): the schema as it will
        be once ``uow`` commits, and what was added. The caller sets ``self.schema`` after
        the commit.

        The schema is read again from the database while the project is held, so that two
        imports at once each add to what the other added.
        """
        if not draft:
            return self.schema, SchemaGrowth()
        uow.documents.hold_project(self.project_id)
        stored, version = uow.projects.schema_of(self.project_id, lock=True)
        schema, growth = grown(LabelSchema.from_dict(stored, source="the project's schema"), draft)
        if growth:
            schema = checked_schema(schema)
            uow.projects.set_schema(self.project_id, schema.to_dict(), version)
            uow.events.record(
                self.annotator,
                "update_schema",
                added_labels=list(growth.labels),
                added_relation_types=list(growth.relations),
                widened_relation_types=list(growth.widened),
                added_attributes=list(growth.attributes),
            )
        return schema, growth

    def _replace_schema(
        self,
        uow: UnitOfWork,
        new: LabelSchema,
        renames: Mapping[str, str],
        relation_renames: Mapping[str, str],
        *,
        delete_used: bool,
    ) -> tuple[LabelSchema, tuple[Span, ...], tuple[Relation, ...], int]:
        """The work of ``update_schema`` inside ``uow``, uncommitted: the checked schema, the
        spans and the relations deleted, and the schema's new version.

        The edit is made on the schema this workspace read last (its base). When a colleague
        has stored another since, what the edit changed from its base is applied to the
        stored schema, so that no one's labels are lost; an edit of a label or relation type
        that the colleague changed too is refused (``ConflictError``).
        """
        checked_schema(new)  # the edit itself first, so that its errors name its own fields
        stored, version = uow.projects.schema_of(self.project_id, lock=True)
        old = LabelSchema.from_dict(stored)
        schema = checked_schema(merged_schema(self.schema, new, old, renames, relation_renames))
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
            ids = uow.spans.ids_with_label(self.project_id, label)
            if ids and not delete_used:
                raise SpanError(f"{used(len(ids), 'span')} {label}; delete them to remove {label}")
            for span_id in ids:
                removed.append(uow.spans.get(span_id))
                for relation in uow.spans.relations_touching(span_id):
                    relations.setdefault(relation.id, relation)
        for kind in gone_kinds:
            relation_ids = uow.spans.relation_ids_with_label(self.project_id, kind)
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
                uow.spans.rename_label(self.project_id, source, target)
                # an entity's type is its mentions' label: it follows the rename
                uow.entities.rename_type(self.project_id, source, target)
        for step in (_placeholders(kind_renames), _targets(kind_renames)):
            for source, target in step.items():
                uow.spans.rename_relation_label(self.project_id, source, target)
        version = uow.projects.set_schema(self.project_id, schema.to_dict(), version)
        uow.events.record(
            self.annotator,
            "update_schema",
            renames=label_renames,
            relation_renames=kind_renames,
            removed_labels=gone_labels,
            removed_relation_types=gone_kinds,
            deleted_spans=len(removed),
            deleted_relations=len(relations),
        )
        return schema, tuple(removed), tuple(relations.values()), version


def _placeholder(index: int) -> str:
    # a control character no label has; PostgreSQL stores no NUL in text
    return f"\x1frename-{index}"


def _placeholders(renames: Mapping[str, str]) -> dict[str, str]:
    return {source: _placeholder(i) for i, source in enumerate(renames)}


def _targets(renames: Mapping[str, str]) -> dict[str, str]:
    return {_placeholder(i): target for i, target in enumerate(renames.values())}
