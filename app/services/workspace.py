"""The workspace: one open database, one project and one annotator, the context that every
service function takes first."""

from __future__ import annotations

import json
from pathlib import Path

from app.core.errors import GlossaError, NotFoundError, StorageError
from app.core.schema import LabelSchema
from app.services import documents as _documents
from app.services.annotator_choice import default_annotator
from app.services.project_schema import ProjectSchema
from app.services.selection import GOLD_ANNOTATOR
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


class Workspace:
    """One annotator on one project of one open database: the context every service
    function takes first.

    Its identity (the database, the project, the annotator) is fixed when it opens; the
    only thing that changes is ``project_schema``, the newest label schema read, which every
    unit of work checks against the database (see ``app.services.project_schema``). The
    actions are functions of the service modules (``app.services.spans``, ``documents``,
    ``relations``, ``span_edits``, ``bulk``, ``metadata``, ``entities``, ``schema_edits``,
    ``applying``).
    """

    def __init__(self, database: Database, annotator: str, *, enlist: bool = True) -> None:
        """A workspace of ``annotator`` on ``database``; without ``enlist`` an annotator the
        database does not know yet is not added to it (reading commands add no one)."""
        if annotator == GOLD_ANNOTATOR:
            raise GlossaError(
                f"{GOLD_ANNOTATOR!r} is the adjudicated layer, written only by adjudication "
                "(Ctrl+Shift+J): annotate under your own name"
            )
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
        assert stored is not None
        data, version = stored
        self._database = database
        self._annotator = annotator
        self._annotator_id = found
        self._project_id = project[0]
        self._project_schema = ProjectSchema(project[0], LabelSchema.from_dict(data), version)

    @property
    def database(self) -> Database:
        """The open database."""
        return self._database

    @property
    def annotator(self) -> str:
        """The annotator's name."""
        return self._annotator

    @property
    def annotator_id(self) -> int:
        """The annotator's id in the database (0 for one a reading command did not add)."""
        return self._annotator_id

    @property
    def project_id(self) -> int:
        """The project's id in the database."""
        return self._project_id

    @property
    def project_schema(self) -> ProjectSchema:
        """The holder of the newest label schema read of the project."""
        return self._project_schema

    @property
    def schema(self) -> LabelSchema:
        """The newest label schema read, for views to show; a unit of work reads its own
        (``app.services.project_schema.schema_in``)."""
        return self._project_schema.schema

    @property
    def schema_version(self) -> int:
        """The version of ``schema``."""
        return self._project_schema.version

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
        if samples and not _documents.documents(workspace):
            from app.services.importing import import_samples

            import_samples(workspace, sorted(SAMPLES.glob("*.txt")))
        return workspace

    def close(self) -> None:
        """Release the database connections."""
        self.database.dispose()


__all__ = ["NotFoundError", "Workspace"]
