"""Documents, their texts, metadata and per-annotator states."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, delete, func, insert, select, update

from app.core.annotations import Document, DocumentSummary, Status
from app.core.errors import NotFoundError
from app.store.orm import DocumentRow, DocumentState, DocumentText, Project, SpanRow, now
from app.store.repositories._shared import _insert_unless_present, _next_position
from app.store.repositories.statistics import DocumentFigures


class Documents(DocumentFigures):
    """Documents, their texts and per-annotator states."""

    def hold_project(self, project_id: int) -> None:
        """Take the project's row until the transaction ends, waiting while another holds it.

        Whoever looks at the project's documents and then adds some while holding it does so
        alone: a second one waits and then sees what the first added. On SQLite this must be
        the transaction's first statement (the write lock is taken before any read).
        """
        self.session.execute(
            update(Project).where(Project.id == project_id).values(name=Project.name)
        )

    def hashes(self, project_id: int) -> set[str]:
        """SHA-256 of every document text already in the project."""
        return set(
            self.session.scalars(
                select(DocumentRow.sha256).where(DocumentRow.project_id == project_id)
            )
        )

    def add(
        self,
        project_id: int,
        *,
        title: str,
        text: str,
        sha256: str,
        meta: dict[str, Any],
        external_id: str = "",
    ) -> int:
        """Insert a document and its text; return the new id."""
        position = _next_position(self.session, project_id)
        document_id = self.session.execute(
            insert(DocumentRow)
            .values(
                project_id=project_id,
                external_id=external_id,
                title=title,
                meta=meta,
                sha256=sha256,
                length=len(text),
                position=position,
            )
            .returning(DocumentRow.id)
        ).scalar_one()
        self.session.execute(insert(DocumentText).values(document_id=document_id, text=text))
        return int(document_id)

    def get(self, document_id: int, *, lock: bool = False) -> Document:
        """Return a document with its text, or raise ``NotFoundError``.

        With ``lock`` the row stays taken until the transaction ends, so that a change based
        on what was read here cannot overwrite another made meanwhile (PostgreSQL; SQLite's
        writing transactions hold the whole file already).
        """
        query = (
            select(
                DocumentRow.id,
                DocumentRow.title,
                DocumentText.text,
                DocumentRow.sha256,
                DocumentRow.meta,
            )
            .join(DocumentText, DocumentText.document_id == DocumentRow.id)
            .where(DocumentRow.id == document_id)
        )
        if lock:
            query = query.with_for_update(of=DocumentRow)
        row = self.session.execute(query).first()
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        return Document(row[0], row[1], row[2], row[3], row[4] or {})

    def set_meta(self, document_id: int, meta: dict[str, Any], title: str | None = None) -> None:
        """Replace a document's metadata, and its title when given; ``NotFoundError`` if gone."""
        values: dict[str, Any] = {"meta": meta}
        if title is not None:
            values["title"] = title
        changed = self.session.scalar(
            update(DocumentRow)
            .where(DocumentRow.id == document_id)
            .values(**values)
            .returning(DocumentRow.id)
        )
        if changed is None:
            raise NotFoundError(f"no document with id {document_id}")

    def with_meta(self, project_id: int, key: str) -> dict[int, tuple[str, Any]]:
        """Title and value of metadata ``key`` of each document of the project that has it,
        without reading whole metadata (which may hold an original text) or texts."""
        rows = self.session.execute(
            select(DocumentRow.id, DocumentRow.title, DocumentRow.meta[key])
            .where(DocumentRow.project_id == project_id)
            .order_by(DocumentRow.position, DocumentRow.id)
        )
        return {int(i): (str(title), value) for i, title, value in rows if value is not None}

    def delete(self, document_id: int) -> None:
        """Delete a document with its text, spans, relations and states; ``NotFoundError``
        when it is gone."""
        gone = self.session.scalar(
            delete(DocumentRow).where(DocumentRow.id == document_id).returning(DocumentRow.id)
        )
        if gone is None:
            raise NotFoundError(f"no document with id {document_id}")

    def text(self, document_id: int) -> str:
        """Return only the canonical text of a document."""
        text = self.session.scalar(
            select(DocumentText.text).where(DocumentText.document_id == document_id)
        )
        if text is None:
            raise NotFoundError(f"no document with id {document_id}")
        return text

    def excerpt(self, document_id: int, start: int, end: int) -> tuple[int, str]:
        """``(length of the text, text[start:end])`` without loading the whole text.

        Both SQLite and PostgreSQL count characters (code points) in ``length`` and ``substr``.
        """
        row = self.session.execute(
            select(
                func.length(DocumentText.text),
                func.substr(DocumentText.text, start + 1, max(end - start, 0)),
            ).where(DocumentText.document_id == document_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        return int(row[0]), str(row[1] or "")

    def ids(self, project_id: int) -> list[int]:
        """Every document id of the project in list order."""
        return list(
            self.session.scalars(
                select(DocumentRow.id)
                .where(DocumentRow.project_id == project_id)
                .order_by(DocumentRow.position, DocumentRow.id)
            )
        )

    def summaries(self, project_id: int, annotator_id: int) -> list[DocumentSummary]:
        """Title, length, span counts (everyone's and this annotator's), this annotator's
        status and time, and whether a reviewer accepted or rejected any span, of every
        document."""
        reviewed = func.sum(case((SpanRow.review != "unreviewed", 1), else_=0))
        own = func.sum(case((SpanRow.annotator_id == annotator_id, 1), else_=0))
        counts = (
            select(
                SpanRow.document_id,
                func.count().label("n"),
                reviewed.label("reviewed"),
                own.label("own"),
            )
            .group_by(SpanRow.document_id)
            .subquery()
        )
        rows = self.session.execute(
            select(
                DocumentRow.id,
                DocumentRow.title,
                DocumentRow.length,
                func.coalesce(counts.c.n, 0),
                DocumentState.status,
                func.coalesce(DocumentState.seconds_spent, 0),
                func.coalesce(counts.c.reviewed, 0),
                func.coalesce(counts.c.own, 0),
            )
            .outerjoin(counts, counts.c.document_id == DocumentRow.id)
            .outerjoin(
                DocumentState,
                (DocumentState.document_id == DocumentRow.id)
                & (DocumentState.annotator_id == annotator_id),
            )
            .where(DocumentRow.project_id == project_id)
            .order_by(DocumentRow.position, DocumentRow.id)
        )
        return [
            DocumentSummary(
                r[0],
                r[1],
                r[2],
                r[3],
                Status(r[4] or Status.NEW),
                int(r[5]),
                int(r[6]) > 0,
                int(r[7]),
            )
            for r in rows
        ]

    def status(self, document_id: int, annotator_id: int) -> Status:
        """This annotator's status of one document."""
        found = self.session.scalar(
            select(DocumentState.status).where(
                DocumentState.document_id == document_id,
                DocumentState.annotator_id == annotator_id,
            )
        )
        return Status(found or Status.NEW)

    def set_status(self, document_id: int, annotator_id: int, status: Status) -> None:
        """Record this annotator's status of one document, and when it changed."""
        # one statement each, so that neither the first status nor a time record made in
        # another window at the same moment is lost; the UPDATE names updated_at because
        # bulk statements bypass the ORM's defaults
        _insert_unless_present(
            self.session,
            DocumentState,
            {
                "document_id": document_id,
                "annotator_id": annotator_id,
                "status": status.value,
                "seconds_spent": 0,
                "updated_at": now(),
            },
        )
        self.session.execute(
            update(DocumentState)
            .where(
                DocumentState.document_id == document_id,
                DocumentState.annotator_id == annotator_id,
            )
            .values(status=status.value, updated_at=now())
        )
