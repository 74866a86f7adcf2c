"""Reads and writes of many rows at once, for exports and imports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import DeclarativeBase, Session

from app.core.annotations import Document, Status
from app.core.collector import collector_paused
from app.core.records import RelationRecord, SpanRecord
from app.store.orm import (
    Annotator,
    DocumentRow,
    DocumentState,
    DocumentText,
    RelationRow,
    SpanRow,
)
from app.store.repositories import record_rows
from app.store.repositories._shared import (
    _BATCH,
    Repository,
    _annotator_names,
    _chunks,
    _driver_rows,
    _next_position,
)


class BulkReads(Repository):
    """Reads over many documents at once, for exports: a few queries per batch, not per row."""

    def annotator_id(self, name: str) -> int | None:
        """The id of annotator ``name``, or None when there is none (nothing is created)."""
        return self.session.scalar(select(Annotator.id).where(Annotator.name == name))

    def statuses(self, project_id: int, annotator_id: int | None) -> list[tuple[int, Status]]:
        """``(document id, status)`` of every document in list order, for one annotator.

        Documents the annotator never touched (or every document, when there is no such
        annotator) are new.
        """
        query = select(DocumentRow.id, DocumentState.status)
        query = query.outerjoin(
            DocumentState,
            (DocumentState.document_id == DocumentRow.id)
            & (DocumentState.annotator_id == (annotator_id or -1)),
        )
        result = self.session.connection().execute(
            query.where(DocumentRow.project_id == project_id).order_by(
                DocumentRow.position, DocumentRow.id
            )
        )
        known = {status.value: status for status in Status}
        with collector_paused():  # a tuple per document: no reason for collector passes
            return [(i, known.get(s or "new") or Status(s)) for i, s in _driver_rows(result)]

    def hashes_by_document(self, project_id: int) -> dict[int, str]:
        """SHA-256 of each document's text, by document id."""
        rows = self.session.execute(
            select(DocumentRow.id, DocumentRow.sha256).where(DocumentRow.project_id == project_id)
        )
        return {int(r[0]): str(r[1]) for r in rows}

    def documents(self, document_ids: Sequence[int]) -> list[Document]:
        """Documents with their texts, in the order of ``document_ids`` (missing ids skipped)."""
        return record_rows.documents(self.session.connection(), document_ids)

    def span_records(
        self, documents: Sequence[Document], *, reviews: bool = False
    ) -> tuple[dict[int, list[SpanRecord]], dict[str, str]]:
        """The spans of documents as records, by document id, ordered by start.

        Each record's text is sliced from the document's canonical text; its id is the span
        id as a string. With ``reviews`` the second dictionary gives each span's review state
        (``unreviewed`` until someone accepts or rejects it) by that id; else it is empty.
        """
        names = _annotator_names(self.session)
        texts = {document.id: document.text for document in documents}
        with collector_paused():
            return record_rows.span_records(
                self.session.connection(), texts, names, reviews=reviews
            )

    def relation_records(self, document_ids: Sequence[int]) -> dict[int, list[RelationRecord]]:
        """Relations of many documents as records by document, in id order.

        ``head`` and ``tail`` are span ids as strings, as ``span_records`` gives them.
        """
        by_document: dict[int, list[RelationRecord]] = {i: [] for i in document_ids}
        for document_id, relation in record_rows.relation_records(
            self.session.connection(), document_ids
        ):
            by_document[document_id].append(relation)
        return by_document

    def documents_annotated_by(self, project_id: int, annotator_id: int) -> set[int]:
        """Documents where the annotator has a span, or a status other than new."""
        with_spans = (
            select(SpanRow.document_id)
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .where(DocumentRow.project_id == project_id, SpanRow.annotator_id == annotator_id)
        )
        with_status = (
            select(DocumentState.document_id)
            .join(DocumentRow, DocumentRow.id == DocumentState.document_id)
            .where(
                DocumentRow.project_id == project_id,
                DocumentState.annotator_id == annotator_id,
                DocumentState.status != Status.NEW.value,
            )
        )
        return {int(r[0]) for r in self.session.execute(with_spans.union(with_status))}

    def reviewed_documents(self, project_id: int) -> set[int]:
        """Documents with at least one span whose review state is not ``unreviewed``."""
        rows = self.session.execute(
            select(SpanRow.document_id)
            .join(DocumentRow, DocumentRow.id == SpanRow.document_id)
            .where(DocumentRow.project_id == project_id, SpanRow.review != "unreviewed")
            .distinct()
        )
        return {int(r[0]) for r in rows}


SPAN_VALUES = (
    "document_id",
    "start",
    "end",
    "label",
    "text",
    "annotator_id",
    "origin",
    "attributes",
    "fragments",
)
"""The order of a span's values for ``BulkWrites.add_spans_to_new_documents``; fragments as
``fragments_json`` makes them."""


class BulkWrites(Repository):
    """Inserts of many rows in a few statements, for imports.

    Rows go in by ``executemany`` without ``RETURNING`` (which SQLite honours in order only
    one row per statement); new ids are read back afterwards in one query per batch. On
    SQLite the rows go straight to the driver as tuples, their JSON and time values made by
    the column types' own bind processors: SQLAlchemy's per-row parameter processing would
    cost more than the inserts. Elsewhere Core ``insert()`` takes lists of dicts.
    """

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.connection = session.connection()
        self.dialect = self.connection.dialect

    def _driver_insert(
        self, model: type[DeclarativeBase], columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        quote = self.dialect.identifier_preparer.quote
        table = quote(str(model.__tablename__))
        names = ", ".join(quote(column) for column in columns)
        marks = ", ".join("?" for _ in columns)
        self.connection.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def _processor(self, model: type[DeclarativeBase], column: str) -> Any:
        kind = model.__table__.c[column].type
        return kind.dialect_impl(self.dialect).bind_processor(self.dialect) or (lambda v: v)

    def _created(self, model: type[DeclarativeBase]) -> Any:
        return self._processor(model, "created_at")(datetime.now(UTC))

    def add_documents(self, project_id: int, documents: Sequence[dict[str, Any]]) -> list[int]:
        """Insert documents (``title``, ``text``, ``sha256``, ``meta``, ``external_id``) and
        their texts after the project's last one; return the new ids in the order given.

        The ``sha256`` values must be new to the project (it holds each text once).
        """
        if not documents:
            return []
        first_position = _next_position(self.session, project_id)
        if self.dialect.name == "sqlite":
            meta, created = self._processor(DocumentRow, "meta"), self._created(DocumentRow)
            self._driver_insert(
                DocumentRow,
                (
                    "project_id",
                    "external_id",
                    "title",
                    "meta",
                    "sha256",
                    "length",
                    "position",
                    "created_at",
                ),
                [
                    (
                        project_id,
                        d.get("external_id", ""),
                        d["title"],
                        meta(d["meta"]),
                        d["sha256"],
                        len(d["text"]),
                        first_position + n,
                        created,
                    )
                    for n, d in enumerate(documents)
                ],
            )
        else:
            self.connection.execute(
                insert(DocumentRow),
                [
                    {
                        "project_id": project_id,
                        "external_id": d.get("external_id", ""),
                        "title": d["title"],
                        "meta": d["meta"],
                        "sha256": d["sha256"],
                        "length": len(d["text"]),
                        "position": first_position + n,
                    }
                    for n, d in enumerate(documents)
                ],
            )
        digests = [str(d["sha256"]) for d in documents]
        by_digest: dict[str, int] = {}
        for first in range(0, len(digests), _BATCH):
            rows = self.connection.execute(
                select(DocumentRow.sha256, DocumentRow.id).where(
                    DocumentRow.project_id == project_id,
                    DocumentRow.sha256.in_(digests[first : first + _BATCH]),
                )
            )
            by_digest.update((r[0], int(r[1])) for r in rows)
        ids = [by_digest[digest] for digest in digests]
        texts = [(i, d["text"]) for i, d in zip(ids, documents, strict=True)]
        if self.dialect.name == "sqlite":
            self._driver_insert(DocumentText, ("document_id", "text"), texts)
        else:
            self.connection.execute(
                insert(DocumentText), [{"document_id": i, "text": t} for i, t in texts]
            )
        return ids

    def add_spans_to_new_documents(
        self, rows: Sequence[tuple[Any, ...]], document_ids: Sequence[int]
    ) -> list[int]:
        """Insert spans of documents added in this transaction; return ids in the order given.

        Each row is a tuple in the order of ``SPAN_VALUES``. Nobody else can have added spans
        to documents not yet committed, and ids grow in the order rows are inserted (SQLite
        AUTOINCREMENT, a PostgreSQL sequence in one session), so those documents' spans in id
        order are the rows given, in order.
        """
        if not rows:
            return []
        if self.dialect.name == "sqlite":
            attributes, created = self._processor(SpanRow, "attributes"), self._created(SpanRow)
            review = SpanRow.__table__.c.review.default.arg
            self._driver_insert(
                SpanRow,
                (*SPAN_VALUES, "review", "created_at"),
                [
                    (*row[:7], attributes(row[7]) if row[7] else "{}", row[8], review, created)
                    for row in rows
                ],
            )
        else:
            self.connection.execute(
                insert(SpanRow), [dict(zip(SPAN_VALUES, row, strict=True)) for row in rows]
            )
        ids: list[int] = []
        for chunk in _chunks(document_ids):
            result = self.connection.execute(
                select(SpanRow.id).where(SpanRow.document_id.in_(chunk)).order_by(SpanRow.id)
            )
            found = _driver_rows(result)
            ids.extend(int(row[0]) for row in found)
        ids.sort()
        if len(ids) != len(rows):
            raise RuntimeError(f"inserted {len(rows)} spans but found {len(ids)}")
        return ids

    def add_relations(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert relations (``document_id``, ``head_id``, ``tail_id``, ``label``,
        ``annotator_id``) in one statement."""
        if rows:
            self.connection.execute(insert(RelationRow), list(rows))
