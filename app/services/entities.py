"""Cross-document entities: linking mentions, ranking candidates, renaming and merging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.annotations import Span
from app.core.entities import (
    Entity,
    entity_type_problem,
    rank_entities,
    union_aliases,
    with_alias,
)
from app.core.errors import NotFoundError, SpanError
from app.core.records import EntityRecord
from app.formats import jsonl
from app.services.applying import write_change
from app.services.changes import ChangeSet
from app.services.project_schema import schema_in
from app.store.repositories import Entities
from app.store.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from app.services.workspace import Workspace


# -- reading -------------------------------------------------------------------


def entities(workspace: Workspace, type: str | None = None) -> list[Entity]:
    """Every entity of the project (of one type when given), by name."""
    with workspace.database.reading() as uow:
        return uow.entities.of_project(workspace.project_id, type)


def entity(workspace: Workspace, entity_id: int) -> Entity:
    """One entity, or ``NotFoundError``."""
    with workspace.database.reading() as uow:
        return uow.entities.get(entity_id)


def mention_counts(workspace: Workspace) -> dict[int, int]:
    """How many spans mention each entity (entities without mentions are absent)."""
    with workspace.database.reading() as uow:
        return uow.entities.mention_counts(workspace.project_id)


def entity_candidates(workspace: Workspace, span_id: int) -> list[tuple[Entity, float]]:
    """Entities of the span's type ranked for its text, best first, with their scores."""
    with workspace.database.reading() as uow:
        span = uow.spans.get(span_id)
        _, mention = uow.documents.excerpt(span.document_id, span.start, span.end)
        if span.label not in schema_in(workspace, uow).labels_with_role("entity"):
            return []
        candidates = uow.entities.of_project(workspace.project_id, span.label)
    return rank_entities(mention, candidates)


def mention_text(workspace: Workspace, span_id: int) -> str:
    """The text a span covers, on one line."""
    with workspace.database.reading() as uow:
        span = uow.spans.get(span_id)
        _, mention = uow.documents.excerpt(span.document_id, span.start, span.end)
    return " ".join(mention.split())


def mentions(workspace: Workspace, entity_id: int) -> list[tuple[str, Span]]:
    """``(document title, span)`` of every mention of an entity across the project."""
    with workspace.database.reading() as uow:
        return uow.entities.mentions(entity_id)


def quotes_by(workspace: Workspace, entity_id: int) -> list[tuple[str, Span]]:
    """``(document title, QUOTE span)`` of the quotes whose speaker mentions the entity."""
    with workspace.database.reading() as uow:
        schema = schema_in(workspace, uow)
        found = [
            quote
            for relation in schema.relations_with_role("speaker")
            for quote in uow.entities.quotes_by(entity_id, relation)
        ]
    quotes = set(schema.labels_with_role("quote"))
    return [(title, span) for title, span in found if span.label in quotes]


# -- actions -------------------------------------------------------------------


def create_entity(
    workspace: Workspace,
    name: str,
    type: str,
    aliases: Sequence[str] = (),
    external_id: str = "",
) -> Entity:
    """Add an entity to the project and commit."""
    name = " ".join(name.split())
    if not name:
        raise SpanError("an entity needs a name")
    linkable = workspace.schema.labels_with_role("entity")
    if type not in linkable:
        raise SpanError(f"an entity is a {', '.join(linkable) or 'label'}, not {type!r}")
    entity = Entity(0, name, type, tuple(aliases), external_id)
    with workspace.database.unit_of_work() as uow:
        new_id = uow.entities.add(workspace.project_id, entity)
        uow.events.record(workspace.annotator, "create_entity", entity=new_id, name=name)
        uow.commit()
    return Entity(new_id, name, type, tuple(aliases), external_id)


def delete_entity(workspace: Workspace, entity_id: int) -> ChangeSet:
    """Delete an entity; its mentions stay, unlinked."""
    with workspace.database.unit_of_work() as uow:
        entity = uow.entities.get(entity_id)
        mentions = _mentions(uow, entity_id)
        change = ChangeSet(
            changed=tuple(span._replace(entity=None) for span in mentions),
            before=mentions,
            entities_removed=(entity,),
        )
        written = write_change(uow, change, workspace.annotator, "delete_entity")
        uow.commit()
    return written


def link_span(
    workspace: Workspace, span_id: int, entity_id: int | None, *, add_alias: bool = True
) -> ChangeSet:
    """Make a PERSON, ORG or LOC span a mention of an entity (None: of no entity).

    The entity's type must be the span's label. With ``add_alias`` the mention's text
    becomes an alias of the entity unless one of its names already reads so; the change
    then carries the entity as it was, so that undo takes the alias away again.
    """
    with workspace.database.unit_of_work() as uow:
        span = uow.spans.get(span_id)
        entities = uow.entities
        renamed: tuple[Entity, ...] = ()
        before: tuple[Entity, ...] = ()
        if entity_id is not None:
            entity = entities.get(entity_id)
            if entities.project_of(entity_id) != workspace.project_id:
                raise NotFoundError(f"no entity with id {entity_id} in this project")
            linkable = schema_in(workspace, uow).labels_with_role("entity")
            problem = entity_type_problem(entity.type, span.label, linkable)
            if problem is not None:
                raise SpanError(problem)
            if add_alias:
                _, mention = uow.documents.excerpt(span.document_id, span.start, span.end)
                aliases = with_alias(entity, mention)
                if aliases != entity.aliases:
                    renamed, before = (replace(entity, aliases=aliases),), (entity,)
        change = ChangeSet(
            span.document_id,
            changed=(span._replace(entity=entity_id),),
            before=(span,),
            entities_changed=renamed,
            entities_before=before,
            entities=True,
        )
        written = write_change(uow, change, workspace.annotator, "link_span", entity=entity_id)
        uow.commit()
    return written


def link_new_entity(workspace: Workspace, span_id: int, name: str) -> ChangeSet:
    """Make a new entity called ``name``, of the span's label, and link the span to it,
    in one transaction (its inverse unlinks the span and deletes the entity)."""
    name = " ".join(name.split())
    if not name:
        raise SpanError("an entity needs a name")
    with workspace.database.unit_of_work() as uow:
        span = uow.spans.get(span_id)
        problem = entity_type_problem(
            span.label, span.label, schema_in(workspace, uow).labels_with_role("entity")
        )
        if problem is not None:
            raise SpanError(problem)
        _, mention = uow.documents.excerpt(span.document_id, span.start, span.end)
        entity = Entity(-1, name, span.label)
        entity = replace(entity, aliases=with_alias(entity, mention))
        change = ChangeSet(
            span.document_id,
            changed=(span._replace(entity=entity.id),),
            before=(span,),
            entities_added=(entity,),
            entities=True,
        )
        written = write_change(
            uow, change, workspace.annotator, "link_span", project_id=workspace.project_id
        )
        uow.commit()
    return written


def rename_entity(
    workspace: Workspace, entity_id: int, name: str, aliases: Sequence[str] | None = None
) -> ChangeSet:
    """Give an entity another name (and, when given, these aliases) and commit."""
    name = " ".join(name.split())
    if not name:
        raise SpanError("an entity needs a name")
    with workspace.database.unit_of_work() as uow:
        entity = uow.entities.get(entity_id, lock=True)
        kept = entity.aliases if aliases is None else tuple(aliases)
        change = ChangeSet(
            entities_changed=(replace(entity, name=name, aliases=kept),),
            entities_before=(entity,),
        )
        written = write_change(
            uow, change, workspace.annotator, "rename_entity", old=entity.name, new=name
        )
        uow.commit()
    return written


def merge_entities(workspace: Workspace, keep_id: int, merge_id: int) -> ChangeSet:
    """Move every mention of ``merge_id`` to ``keep_id``, add its names to the aliases
    of ``keep_id`` and delete it; both must be entities of one type. The inverse brings
    the merged entity back under its id, with its mentions."""
    if keep_id == merge_id:
        raise SpanError("an entity cannot be merged into itself")
    with workspace.database.unit_of_work() as uow:
        entities = uow.entities
        # both rows locked, always in the order of their ids (no two merges deadlock)
        for entity_id in sorted((keep_id, merge_id)):
            entities.get(entity_id, lock=True)
        kept, merged = entities.get(keep_id), entities.get(merge_id)
        if kept.type != merged.type:
            raise SpanError(f"a {merged.type} cannot be merged into a {kept.type}")
        moved = _mentions(uow, merge_id)
        change = ChangeSet(
            changed=tuple(span._replace(entity=keep_id) for span in moved),
            before=moved,
            entities_changed=(replace(kept, aliases=union_aliases(kept, merged)),),
            entities_before=(kept,),
            entities_removed=(merged,),
        )
        written = write_change(uow, change, workspace.annotator, "merge_entities")
        uow.commit()
    return written


def _mentions(uow: UnitOfWork, entity_id: int) -> tuple[Span, ...]:
    """The spans that mention an entity, in id order."""
    return tuple(uow.spans.get(span_id) for span_id in uow.entities.mention_ids(entity_id))


def entity_table(out: Path) -> str:
    """The file name of the entity table written beside the JSONL export ``out``."""
    return jsonl.entity_table_path(out).name


def write_entity_table(workspace: Workspace, path: Path) -> int:
    """Write every entity of the project to a JSONL entity table; return how many."""
    records = (
        EntityRecord(str(e.id), e.name, e.type, e.aliases, e.external_id)
        for e in entities(workspace)
    )
    return jsonl.write_entities(records, path)


def read_entity_table(path: Path) -> list[EntityRecord] | None:
    """The entity table beside the JSONL file ``path`` (``NAME.entities.jsonl``, else
    ``entities.jsonl`` in its folder), or None when there is none."""
    for table in (jsonl.entity_table_path(path), path.with_name("entities.jsonl")):
        if table.is_file():
            return jsonl.read_entities(table)
    return None


def link_imported(
    uow: UnitOfWork,
    project_id: int,
    table: Sequence[EntityRecord],
    mentions: Sequence[tuple[int, str, str]],
) -> list[str]:
    """Add a file's entities to the project and link the imported spans that mention them.

    ``mentions`` are ``(new span id, its label, entity id in the file)``. An entity equal in
    type, name and external id to one already in the project is that one. Returns a note
    per link left out (an unknown entity id, or a type that is not the span's label).
    """
    entities = uow.entities
    known = {(e.type, e.name, e.external_id): e.id for e in entities.of_project(project_id)}
    ids: dict[str, tuple[int, str]] = {}
    for record in table:
        key = (record.type, record.name, record.external_id)
        if key not in known:
            entity = Entity(0, record.name, record.type, record.aliases, record.external_id)
            known[key] = entities.add(project_id, entity)
        ids[record.id] = (known[key], record.type)
    notes: list[str] = []
    by_entity: dict[int, list[int]] = {}
    for span_id, label, file_id in mentions:
        found = ids.get(file_id)
        if found is None:
            notes.append(f"span {span_id}: entity {file_id!r} is not in the entity table")
        elif entity_type_problem(found[1], label) is not None:
            notes.append(f"span {span_id}: {entity_type_problem(found[1], label)}")
        else:
            by_entity.setdefault(found[0], []).append(span_id)
    for entity_id, span_ids in by_entity.items():
        entities.link(span_ids, entity_id)
    return notes


def entity_link_problems(entities: Entities) -> list[str]:
    """One line per span linked to a missing entity, to one of another project, or to an
    entity whose type is not the span's label."""
    problems: list[str] = []
    for span, document, label, project, entity, kind, entity_project in entities.links():
        where = f"document {document}, span {span}"
        if kind is None or entity_project is None:
            problems.append(f"{where}: entity {entity} is missing")
        elif entity_project != project:
            problems.append(f"{where}: entity {entity} belongs to another project")
        else:
            problem = entity_type_problem(kind, label)
            if problem is not None:
                problems.append(f"{where}: {problem} (entity {entity})")
    return problems
