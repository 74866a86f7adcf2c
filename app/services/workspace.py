"""The workspace: one open database, one project, one annotator, and their actions."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

from app.core.annotations import Document, DocumentSummary, Origin, Relation, Span, Status
from app.core.errors import GlossaError, NotFoundError, SpanError, StorageError
from app.core.schema import LabelSchema
from app.services.annotator_choice import default_annotator
from app.services.applying import started, write_change
from app.services.bulk import BulkSpans
from app.services.changes import ChangeSet
from app.services.entities import EntityActions
from app.services.metadata import MetadataActions
from app.services.project_schema import require_label, schema_in
from app.services.relations import RelationActions
from app.services.schema_edits import SchemaEdits
from app.services.selection import GOLD_ANNOTATOR
from app.services.span_edits import SpanEdits
from app.store import Database, default_database_url, is_read_only, sqlite_file

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
DEFAULT_SCHEMA = RESOURCES / "schemas" / "news.json"
SAMPLES = RESOURCES / "samples"


def open_database(url: str | None = None, *, read_only: bool = False) -> Database:
    """Open (creating and upgrading as needed) the database at ``url`` (default: the user's).

    ``read_only`` opens it for reading only: nothing is created, switched or upgraded.
    """
    return Database(url or default_database_url(), read_only=read_only)


def can_only_read(url: str | None = None) -> bool:
    """True when the database at ``url`` is a file this user cannot write (a read-only
    file, folder or mount): it can still be listed, checked and exported."""
    return is_read_only(url or default_database_url())


def is_new_database(url: str | None = None) -> bool:
    """True when ``url`` (default: the user's) names a database file that does not exist yet,
    or is empty: opening it would make it."""
    path = sqlite_file(url or default_database_url())
    return path is not None and (not path.exists() or path.stat().st_size == 0)


def annotator_names(database: Database) -> list[str]:
    """Every annotator of a database, sorted (``gold``, the adjudicated layer, included)."""
    with database.reading() as uow:
        return uow.annotator_work.names()


def load_default_schema() -> LabelSchema:
    """The news label schema shipped in ``resources/schemas``."""
    data = json.loads(DEFAULT_SCHEMA.read_text(encoding="utf-8"))
    return LabelSchema.from_dict(data, source=str(DEFAULT_SCHEMA))


class Workspace(RelationActions, SpanEdits, BulkSpans, MetadataActions, EntityActions, SchemaEdits):
    """Everything one annotator does on one database.

    Relation actions live in ``app.services.relations`` and in-place span edits (attributes,
    boundaries, the label) in ``app.services.span_edits``, tagging many ranges at once in
    ``app.services.bulk``, metadata edits in ``app.services.metadata`` and entities in
    ``app.services.entities``; they are methods of the workspace all the same.
    """

    def __init__(self, database: Database, annotator: str, *, enlist: bool = True) -> None:
        """A workspace of ``annotator`` on ``database``; without ``enlist`` an annotator the
        database does not know yet is not added to it (reading commands add no one)."""
        if annotator == GOLD_ANNOTATOR:
            raise GlossaError(
                f"{GOLD_ANNOTATOR!r} is the adjudicated layer, written only by adjudication "
                "(Ctrl+Shift+J): annotate under your own name"
            )
        self.database = database
        self.annotator = annotator
        # a project and annotator that exist are only read: opening takes no write lock, so
        # it works while someone else is writing, and on a file that cannot be written
        with database.reading() as uow:
            project = uow.projects.first()
            found = uow.annotators.find(annotator)
            stored = uow.projects.schema_of(project[0]) if project is not None else None
        if database.read_only and project is None:
            raise StorageError(
                f"{database.display_name}: the database is read-only and holds no project yet",
                reason="the database is read-only and holds no project yet",
            )
        if database.read_only or not enlist:
            found = 0 if found is None else found  # nothing of theirs in it yet
        if project is None or found is None:
            with database.unit_of_work() as uow:
                project = uow.projects.first()
                if project is None:
                    schema = load_default_schema()
                    project_id = uow.projects.create(schema.name, schema.to_dict())
                    project = (project_id, schema.name, schema.to_dict())
                found = uow.annotators.id_of(annotator)
                stored = uow.projects.schema_of(project[0])
                uow.commit()
        self.annotator_id = found
        assert stored is not None
        data, self.schema_version = stored
        self.project_id = project[0]
        self.schema = LabelSchema.from_dict(data)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        annotator: str | None = None,
        *,
        samples: bool = True,
        read_only: bool = False,
        enlist: bool = True,
    ) -> Workspace:
        """Open (creating and upgrading as needed) a database.

        A new database gets the default news schema and, when ``samples`` is true, the
        bundled sample articles. ``read_only`` opens it for reading only (see
        ``can_only_read``): nothing is created or upgraded, and every action that writes
        raises ``StorageError``. Without ``enlist`` the annotator is not added to a database
        that does not know them (a command that only reads), and no samples are imported.
        """
        database = open_database(url, read_only=read_only)
        if not enlist:
            return cls(database, annotator or default_annotator(), enlist=False)
        return cls.on_database(database, annotator, samples=samples and not read_only)

    @classmethod
    def on_database(
        cls, database: Database, annotator: str | None = None, *, samples: bool = True
    ) -> Workspace:
        """A workspace on a database already open (see ``open``)."""
        workspace = cls(database, annotator or default_annotator())
        if samples and not workspace.documents():
            from app.services.importing import import_samples

            import_samples(workspace, sorted(SAMPLES.glob("*.txt")))
        return workspace

    def close(self) -> None:
        """Release the database connections."""
        self.database.dispose()

    # -- reading -------------------------------------------------------------------

    def documents(self) -> list[DocumentSummary]:
        """Every document of the project with this annotator's status."""
        with self.database.reading() as uow:
            return uow.documents.summaries(self.project_id, self.annotator_id)

    def document(self, document_id: int) -> Document:
        """One document with its text."""
        with self.database.reading() as uow:
            return uow.documents.get(document_id)

    def spans(self, document_id: int, annotators: Collection[str] | None = None) -> list[Span]:
        """Every span of a document (only those of ``annotators`` when given), by start."""
        with self.database.reading() as uow:
            if annotators is None:
                return uow.spans.of_document(document_id)
            return uow.annotator_work.spans_of(document_id, annotators)

    def annotators(self) -> list[str]:
        """The name of everyone who has opened the database as an annotator, sorted."""
        return annotator_names(self.database)

    def annotators_of(self, document_id: int) -> list[str]:
        """The name of everyone with a span in a document, sorted."""
        with self.database.reading() as uow:
            return uow.annotator_work.annotators_of(document_id)

    def relations(self, document_id: int) -> list[Relation]:
        """Every relation of a document."""
        with self.database.reading() as uow:
            return uow.spans.relations_of_document(document_id)

    def progress(self) -> tuple[int, int]:
        """``(done, total)`` documents for this annotator."""
        summaries = self.documents()
        return sum(s.status is Status.DONE for s in summaries), len(summaries)

    def next_unfinished(self, after: int | None = None) -> int | None:
        """The first document not done after ``after`` (wrapping round), if any."""
        summaries = self.documents()
        ids = [s.id for s in summaries]
        start = ids.index(after) + 1 if after in ids else 0
        for summary in summaries[start:] + summaries[:start]:
            if summary.status is not Status.DONE and summary.id != after:
                return summary.id
        return None

    def previous(self, before: int) -> int | None:
        """The document listed before ``before``, if any."""
        ids = [s.id for s in self.documents()]
        if before in ids and ids.index(before) > 0:
            return ids[ids.index(before) - 1]
        return None

    def resume_point(self) -> dict[str, Any]:
        """Where this annotator stopped: ``{"document": id, "position": n}`` or empty."""
        with self.database.reading() as uow:
            return uow.annotators.resume(self.annotator)

    def remember(self, document_id: int, position: int) -> None:
        """Save where this annotator is, so the next start resumes there."""
        with self.database.unit_of_work() as uow:
            uow.annotators.set_resume(
                self.annotator, {"document": document_id, "position": position}
            )
            uow.commit()

    # -- actions -------------------------------------------------------------------

    def add_span(
        self,
        document_id: int,
        start: int,
        end: int,
        label: str,
        *,
        span_id: int | None = None,
        attributes: dict[str, Any] | None = None,
        origin: Origin = Origin.MANUAL,
    ) -> ChangeSet:
        """Tag ``[start, end)`` of a document with ``label`` and commit.

        ``span_id`` restores a deleted span under its old id (undo).
        """
        span = Span(
            span_id or 0, document_id, start, end, label, self.annotator, origin, attributes or {}
        )
        with self.database.unit_of_work() as uow:
            require_label(schema_in(self, uow), label)
            change = started(uow, self.annotator_id, ChangeSet(document_id, added=(span,)))
            written = write_change(uow, change, self.annotator, "add_span", label=label)
            uow.commit()
        return written

    def delete_span(self, span_id: int) -> ChangeSet:
        """Delete a span and the relations that use it; the ChangeSet carries both, and the
        span's review state, so that its inverse brings all of them back."""
        with self.database.unit_of_work() as uow:
            span = uow.spans.get(span_id)
            change = write_change(
                uow, ChangeSet(span.document_id, removed=(span,)), self.annotator, "delete_span"
            )
            uow.commit()
        return change

    def apply(self, change: ChangeSet, action: str = "apply") -> ChangeSet:
        """Write a change again (redo) or its inverse (undo) in one transaction, under the ids
        it names; the change as written. Nothing changes when any part of it cannot be
        applied (``NotFoundError``, ``SpanError``)."""
        if not change.reversible:
            raise SpanError("this change cannot be undone or done again")
        if change.status is not None and not (change.annotations_changed or change.review_states):
            action = "set_status"  # what the progress figures count
        with self.database.unit_of_work() as uow:
            written = write_change(uow, change, self.annotator, action, project_id=self.project_id)
            uow.commit()
        if change.schema_edit is not None:
            self.refresh_schema()
        return written

    def status(self, document_id: int) -> Status:
        """This annotator's status of a document."""
        with self.database.reading() as uow:
            return uow.documents.status(document_id, self.annotator_id)

    def set_status(self, document_id: int, status: Status) -> ChangeSet:
        """Mark a document new, in progress or done for this annotator."""
        with self.database.unit_of_work() as uow:
            uow.documents.get(document_id)  # raises NotFoundError
            before = uow.documents.status(document_id, self.annotator_id)
            change = write_change(
                uow,
                ChangeSet(document_id, status=status, status_before=before),
                self.annotator,
                "set_status",
            )
            uow.commit()
        return change


__all__ = ["NotFoundError", "Workspace"]
