"""The review table's queries: spans of a whole project, filtered and sorted in SQL, a page at
a time.

A page is read in two steps so that it stays quick at a million spans: first the ids of the
page (filters and order on the spans table and its indexes alone, then ``LIMIT``/``OFFSET``),
then the columns to show for those ids only: document title, annotator, the text around the
span, its speaker and entity.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.orm import aliased

from app.core.annotations import Origin
from app.core.errors import NotFoundError
from app.core.review import CONTEXT_CHARS, SPEAKER_RELATIONS, Column, Review, ReviewQuery, ReviewRow
from app.store.orm import (
    Annotator,
    DocumentRow,
    DocumentState,
    DocumentText,
    EntityRow,
    Project,
    RelationRow,
    SpanRow,
)
from app.store.repositories._shared import Repository, _chunks

_Speaker = aliased(SpanRow, name="speaker_span")


def _speaker_spans(relations: Collection[str]) -> Select[Any]:
    """Heads of speaker relations, joined to the speaker span (to be filtered)."""
    return (
        select(RelationRow.head_id)
        .join(_Speaker, _Speaker.id == RelationRow.tail_id)
        .where(RelationRow.label.in_(list(relations)))
    )


def _speaker_text(relations: Collection[str]) -> ColumnElement[Any]:
    """The first speaker's text of the outer span, '' when it has none (a sort key)."""
    found = (
        select(func.min(_Speaker.text))
        .select_from(RelationRow)
        .join(_Speaker, _Speaker.id == RelationRow.tail_id)
        .where(RelationRow.head_id == SpanRow.id, RelationRow.label.in_(list(relations)))
        .scalar_subquery()
    )
    return func.coalesce(found, "")


def _entity_name(relations: Collection[str]) -> ColumnElement[Any]:
    """The outer span's entity name, else its speaker's, else '' (a sort key)."""
    own = select(EntityRow.name).where(EntityRow.id == SpanRow.entity_id).scalar_subquery()
    speaker = (
        select(func.min(EntityRow.name))
        .select_from(RelationRow)
        .join(_Speaker, _Speaker.id == RelationRow.tail_id)
        .join(EntityRow, EntityRow.id == _Speaker.entity_id)
        .where(RelationRow.head_id == SpanRow.id, RelationRow.label.in_(list(relations)))
        .scalar_subquery()
    )
    return func.coalesce(own, speaker, "")


def _conditions(query: ReviewQuery, project_id: int | None) -> list[ColumnElement[bool]]:
    """The query's filters as conditions on ``spans`` (without joins: subqueries only)."""
    conditions: list[ColumnElement[bool]] = []
    if project_id is not None:
        documents = select(DocumentRow.id).where(DocumentRow.project_id == project_id)
        conditions.append(SpanRow.document_id.in_(documents))
    if query.ids:
        conditions.append(SpanRow.id.in_(sorted(query.ids)))
    if query.labels:
        conditions.append(SpanRow.label.in_(sorted(query.labels)))
    if query.annotators:
        named = select(Annotator.id).where(Annotator.name.in_(sorted(query.annotators)))
        conditions.append(SpanRow.annotator_id.in_(named))
    if query.origins:
        conditions.append(SpanRow.origin.in_(sorted(o.value for o in query.origins)))
    if query.reviews:
        conditions.append(SpanRow.review.in_(sorted(r.value for r in query.reviews)))
    if query.document_status is not None:
        status = (
            select(DocumentState.status)
            .where(
                DocumentState.document_id == SpanRow.document_id,
                DocumentState.annotator_id == SpanRow.annotator_id,
            )
            .scalar_subquery()
        )
        conditions.append(func.coalesce(status, "new") == query.document_status.value)
    if query.entity_id is not None:
        spoken = _speaker_spans(query.speaker_relations).where(
            _Speaker.entity_id == query.entity_id
        )
        conditions.append((SpanRow.entity_id == query.entity_id) | SpanRow.id.in_(spoken))
    entity = query.entity.strip()
    if entity:
        named = select(EntityRow.id).where(EntityRow.name.icontains(entity, autoescape=True))
        conditions.append(SpanRow.entity_id.in_(named))
    speaker = query.speaker.strip()
    if speaker:
        spoken = _speaker_spans(query.speaker_relations).outerjoin(
            EntityRow, EntityRow.id == _Speaker.entity_id
        )
        spoken = spoken.where(
            _Speaker.text.icontains(speaker, autoescape=True)
            | EntityRow.name.icontains(speaker, autoescape=True)
        )
        conditions.append(SpanRow.id.in_(spoken))
    text = query.text.strip()
    if text:
        titled = select(DocumentRow.id).where(DocumentRow.title.icontains(text, autoescape=True))
        conditions.append(
            SpanRow.text.icontains(text, autoescape=True) | SpanRow.document_id.in_(titled)
        )
    return conditions


def _order(query: ReviewQuery) -> list[ColumnElement[Any]]:
    """Sort keys of the query's column, the span id last so that the order is total."""
    keys: list[Any]
    match query.sort:
        case Column.DOCUMENT:
            keys = [SpanRow.document_id, SpanRow.start]
        case Column.LABEL:
            # in the order of the (label, review, document, start) index: no sorting step
            keys = [SpanRow.label, SpanRow.review, SpanRow.document_id, SpanRow.start]
        case Column.TEXT:
            keys = [SpanRow.text]
        case Column.ANNOTATOR:
            keys = [Annotator.name]
        case Column.ORIGIN:
            keys = [SpanRow.origin]
        case Column.REVIEW:
            keys = [SpanRow.review]
        case Column.SPEAKER:
            keys = [_speaker_text(query.speaker_relations)]
        case Column.ENTITY:
            keys = [_entity_name(query.speaker_relations)]
    keys.append(SpanRow.id)
    return [key.desc() if query.descending else key.asc() for key in keys]


class ReviewRows(Repository):
    """Spans of a project as review table rows."""

    def _project_filter(self, project_id: int) -> int | None:
        """``project_id``, or None when it is the only project (every span is its own)."""
        projects = self.session.scalar(select(func.count()).select_from(Project)) or 0
        return project_id if projects > 1 else None

    def count(self, project_id: int, query: ReviewQuery) -> int:
        """How many spans of the project pass the query's filters."""
        conditions = _conditions(query, self._project_filter(project_id))
        found = self.session.scalar(select(func.count()).select_from(SpanRow).where(*conditions))
        return int(found or 0)

    def page_ids(self, project_id: int, query: ReviewQuery, offset: int, limit: int) -> list[int]:
        """Ids of rows ``offset`` to ``offset + limit`` of the query, in its order."""
        ids = select(SpanRow.id).where(*_conditions(query, self._project_filter(project_id)))
        if query.sort is Column.ANNOTATOR:
            ids = ids.join(Annotator, Annotator.id == SpanRow.annotator_id)
        ids = ids.order_by(*_order(query)).offset(max(offset, 0)).limit(max(limit, 0))
        return [int(span_id) for span_id in self.session.scalars(ids)]

    def page(self, project_id: int, query: ReviewQuery, offset: int, limit: int) -> list[ReviewRow]:
        """Rows ``offset`` to ``offset + limit`` of the query, in its order."""
        ids = self.page_ids(project_id, query, offset, limit)
        found = self.rows_of(ids, query.speaker_relations)
        return [found[span_id] for span_id in ids if span_id in found]

    def rows_of(
        self, span_ids: Collection[int], speaker_relations: Collection[str] = SPEAKER_RELATIONS
    ) -> dict[int, ReviewRow]:
        """The rows of these spans by id (spans that are gone are left out)."""
        ids = sorted(set(span_ids))
        if not ids:
            return {}
        basics: list[Sequence[Any]] = []
        for chunk in _chunks(ids):
            basics.extend(
                self.session.execute(
                    select(
                        SpanRow.id,
                        SpanRow.document_id,
                        DocumentRow.title,
                        SpanRow.start,
                        SpanRow.end,
                        SpanRow.label,
                        SpanRow.text,
                        Annotator.name,
                        SpanRow.origin,
                        SpanRow.review,
                    )
                    .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
                    .join(Annotator, Annotator.id == SpanRow.annotator_id)
                    .where(SpanRow.id.in_(chunk))
                )
            )
        contexts = self._contexts(ids)
        speakers, entities = self._speakers(ids, speaker_relations), self._entities(ids)
        rows: dict[int, ReviewRow] = {}
        for span_id, document_id, title, start, end, label, text, who, origin, review in basics:
            left, right = contexts.get(span_id, ("", ""))
            spoken = speakers.get(span_id, [])
            names = [entities[span_id]] if span_id in entities else [n for _, n in spoken if n]
            rows[span_id] = ReviewRow(
                span_id=span_id,
                document_id=document_id,
                document_title=title,
                start=start,
                end=end,
                label=label,
                text=text,
                left=left,
                right=right,
                annotator=who,
                origin=Origin(origin),
                review=Review(review or Review.UNREVIEWED),
                speaker=" / ".join(t for t, _ in spoken),
                entity=" / ".join(dict.fromkeys(names)),
            )
        return rows

    def _contexts(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """The text before and after each span, cut from its document in SQL."""
        # substr counts code points from 1 on both SQLite and PostgreSQL
        before = case((SpanRow.start > CONTEXT_CHARS, SpanRow.start - CONTEXT_CHARS), else_=0)
        contexts: dict[int, tuple[str, str]] = {}
        for chunk in _chunks(ids):
            rows = self.session.execute(
                select(
                    SpanRow.id,
                    func.substr(DocumentText.text, before + 1, SpanRow.start - before),
                    func.substr(DocumentText.text, SpanRow.end + 1, literal(CONTEXT_CHARS)),
                )
                .join(DocumentText, DocumentText.document_id == SpanRow.document_id)
                .where(SpanRow.id.in_(chunk))
            )
            contexts.update((span_id, (left or "", right or "")) for span_id, left, right in rows)
        return contexts

    def _speakers(
        self, ids: Sequence[int], relations: Collection[str]
    ) -> dict[int, list[tuple[str, str | None]]]:
        """``(speaker text, speaker entity name)`` of each quote or claim among ``ids``."""
        speakers: dict[int, list[tuple[str, str | None]]] = {}
        for chunk in _chunks(ids):
            rows = self.session.execute(
                select(RelationRow.head_id, _Speaker.text, EntityRow.name)
                .join(_Speaker, _Speaker.id == RelationRow.tail_id)
                .outerjoin(EntityRow, EntityRow.id == _Speaker.entity_id)
                .where(RelationRow.head_id.in_(chunk), RelationRow.label.in_(list(relations)))
                .order_by(RelationRow.id)
            )
            for head, text, name in rows:
                speakers.setdefault(head, []).append((text, name))
        return speakers

    def _entities(self, ids: Sequence[int]) -> dict[int, str]:
        """The name of the entity each span among ``ids`` mentions, for those that do."""
        names: dict[int, str] = {}
        for chunk in _chunks(ids):
            rows = self.session.execute(
                select(SpanRow.id, EntityRow.name)
                .join(EntityRow, EntityRow.id == SpanRow.entity_id)
                .where(SpanRow.id.in_(chunk))
            )
            names.update((span_id, name) for span_id, name in rows)
        return names

    def annotator_names(self) -> list[str]:
        """Every annotator's name, sorted."""
        return list(self.session.scalars(select(Annotator.name).order_by(Annotator.name)))

    def reviews_of(self, span_ids: Iterable[int]) -> dict[int, Review]:
        """The review state of each of these spans that exists."""
        states: dict[int, Review] = {}
        for chunk in _chunks(sorted(set(span_ids))):
            rows = self.session.execute(
                select(SpanRow.id, SpanRow.review).where(SpanRow.id.in_(chunk))
            )
            states.update((span_id, Review(state)) for span_id, state in rows)
        return states

    def documents_of(self, span_ids: Iterable[int]) -> dict[int, int]:
        """The document of each of these spans that exists."""
        documents: dict[int, int] = {}
        for chunk in _chunks(sorted(set(span_ids))):
            rows = self.session.execute(
                select(SpanRow.id, SpanRow.document_id).where(SpanRow.id.in_(chunk))
            )
            documents.update((span_id, document_id) for span_id, document_id in rows)
        return documents

    def set_reviews(self, states: Mapping[int, str]) -> None:
        """Give each span its review state (one statement per state and chunk);
        ``NotFoundError`` when a span is gone."""
        by_state: dict[str, list[int]] = {}
        for span_id, state in states.items():
            by_state.setdefault(str(state), []).append(span_id)
        for state, ids in by_state.items():
            for chunk in _chunks(sorted(ids)):
                done = self.session.scalars(
                    update(SpanRow)
                    .where(SpanRow.id.in_(chunk))
                    .values(review=state)
                    .returning(SpanRow.id)
                ).all()
                if len(done) != len(chunk):
                    gone = sorted(set(chunk) - set(done))
                    raise NotFoundError(f"no span with id {', '.join(map(str, gone[:10]))}")
