"""Cross-document entities and the spans that mention them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from app.core.annotations import Span
from app.core.entities import Entity
from app.core.errors import NotFoundError
from app.store.orm import DocumentRow, EntityRow, RelationRow, SpanRow
from app.store.repositories._shared import Repository, _annotator_names, _chunks
from app.store.repositories.spans import _SPAN_COLUMNS, _spans


def _entity(row: Sequence[Any]) -> Entity:
    return Entity(int(row[0]), str(row[1]), str(row[2]), tuple(row[3] or ()), str(row[4] or ""))


_ENTITY_COLUMNS = (
    EntityRow.id,
    EntityRow.name,
    EntityRow.type,
    EntityRow.aliases,
    EntityRow.external_id,
)


class Entities(Repository):
    """Cross-document entities of a project and the spans that mention them."""

    def of_project(self, project_id: int, entity_type: str | None = None) -> list[Entity]:
        """Every entity of the project (of one type when given), by name then id."""
        query = select(*_ENTITY_COLUMNS).where(EntityRow.project_id == project_id)
        if entity_type is not None:
            query = query.where(EntityRow.type == entity_type)
        rows = self.session.execute(query.order_by(EntityRow.name, EntityRow.id))
        return [_entity(row) for row in rows]

    def get(self, entity_id: int, *, lock: bool = False) -> Entity:
        """One entity, or ``NotFoundError``.

        With ``lock`` the row stays taken until the transaction ends, so that a change based
        on what was read here cannot overwrite another made meanwhile (PostgreSQL; SQLite's
        writing transactions hold the whole file already).
        """
        query = select(*_ENTITY_COLUMNS).where(EntityRow.id == entity_id)
        row = self.session.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise NotFoundError(f"no entity with id {entity_id}")
        return _entity(row)

    def project_of(self, entity_id: int) -> int | None:
        """The project an entity belongs to, or None when there is no such entity."""
        return self.session.scalar(select(EntityRow.project_id).where(EntityRow.id == entity_id))

    def add(self, project_id: int, entity: Entity, *, keep_id: bool = False) -> int:
        """Insert an entity (under ``entity.id`` when ``keep_id``, for undo); return its id."""
        values: dict[str, Any] = {
            "project_id": project_id,
            "name": entity.name,
            "type": entity.type,
            "aliases": list(entity.aliases),
            "external_id": entity.external_id,
        }
        if keep_id:
            values["id"] = entity.id
        return int(
            self.session.execute(
                insert(EntityRow).values(**values).returning(EntityRow.id)
            ).scalar_one()
        )

    def update(self, entity_id: int, *, name: str, aliases: Sequence[str]) -> None:
        """Give an entity a name and aliases; ``NotFoundError`` when it is gone."""
        changed = self.session.scalar(
            update(EntityRow)
            .where(EntityRow.id == entity_id)
            .values(name=name, aliases=list(aliases))
            .returning(EntityRow.id)
        )
        if changed is None:
            raise NotFoundError(f"no entity with id {entity_id}")

    def rename_type(self, project_id: int, old: str, new: str) -> None:
        """Give the project's entities of type ``old`` the type ``new`` (a label renamed)."""
        self.session.execute(
            update(EntityRow)
            .where(EntityRow.project_id == project_id, EntityRow.type == old)
            .values(type=new)
        )

    def delete(self, entity_id: int) -> None:
        """Delete an entity; its mentions become unlinked."""
        self.session.execute(
            update(SpanRow).where(SpanRow.entity_id == entity_id).values(entity_id=None)
        )
        self.session.execute(delete(EntityRow).where(EntityRow.id == entity_id))

    def link(self, span_ids: Sequence[int], entity_id: int | None) -> None:
        """Make spans mentions of an entity (None: of none)."""
        for chunk in _chunks(list(span_ids)):
            self.session.execute(
                update(SpanRow).where(SpanRow.id.in_(chunk)).values(entity_id=entity_id)
            )

    def mention_ids(self, entity_id: int) -> list[int]:
        """Ids of the spans that mention an entity, in id order."""
        return list(
            self.session.scalars(
                select(SpanRow.id).where(SpanRow.entity_id == entity_id).order_by(SpanRow.id)
            )
        )

    def mention_counts(self, project_id: int) -> dict[int, int]:
        """Mentions per entity id (entities without mentions are absent)."""
        rows = self.session.execute(
            select(SpanRow.entity_id, func.count())
            .join(EntityRow, EntityRow.id == SpanRow.entity_id)
            .where(EntityRow.project_id == project_id)
            .group_by(SpanRow.entity_id)
        )
        return {int(r[0] or 0): int(r[1]) for r in rows}

    def _titled_spans(self, span_ids: Sequence[int]) -> list[tuple[str, Span]]:
        if not span_ids:
            return []
        names = _annotator_names(self.session)
        found: list[tuple[int, str, Span]] = []
        for chunk in _chunks(list(span_ids)):
            rows = self.session.execute(
                select(DocumentRow.position, DocumentRow.title, *_SPAN_COLUMNS)
                .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
                .where(SpanRow.id.in_(chunk))
            ).all()
            spans = _spans([tuple(row[2:]) for row in rows], names)
            found.extend(
                (int(row[0]), str(row[1]), span) for row, span in zip(rows, spans, strict=True)
            )
        found.sort(key=lambda item: (item[0], item[2].document_id, item[2].start))
        return [(title, span) for _, title, span in found]

    def mentions(self, entity_id: int) -> list[tuple[str, Span]]:
        """``(document title, span)`` of every mention, in document list order, by start."""
        return self._titled_spans(self.mention_ids(entity_id))

    def quotes_by(self, entity_id: int, relation: str = "speaker") -> list[tuple[str, Span]]:
        """``(document title, span)`` of the spans whose ``relation`` points at a mention."""
        heads = self.session.scalars(
            select(RelationRow.head_id)
            .join(SpanRow, SpanRow.id == RelationRow.tail_id)
            .where(SpanRow.entity_id == entity_id, RelationRow.label == relation)
            .distinct()
        )
        return self._titled_spans(list(heads))

    def links(self) -> list[tuple[int, int, str, int, int, str | None, int | None]]:
        """``(span, document, span label, document's project, entity, entity type, entity's
        project)`` of every linked span; the entity's fields are None when it is missing."""
        rows = self.session.execute(
            select(
                SpanRow.id,
                SpanRow.document_id,
                SpanRow.label,
                DocumentRow.project_id,
                SpanRow.entity_id,
                EntityRow.type,
                EntityRow.project_id,
            )
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .outerjoin(EntityRow, EntityRow.id == SpanRow.entity_id)
            .where(SpanRow.entity_id.is_not(None))
            .order_by(SpanRow.id)
        )
        return [(r[0], r[1], r[2], r[3], int(r[4] or 0), r[5], r[6]) for r in rows]
