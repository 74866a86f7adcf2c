"""Reading what is merged: another Glossa database (through a copy), or files of any format
Glossa imports (native JSONL with its entity tables, a brat folder, CoNLL, doccano, Label
Studio, Prodigy, spaCy, CSV tables).

The source is only read. A database file is copied (with its write-ahead log) into a
temporary folder and the copy opened, so that opening it, which may upgrade its schema,
never writes to the colleague's file. A database on a server is opened without upgrading.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.core.annotations import Status
from app.core.errors import GlossaError, InputError, StorageError
from app.core.limits import check_record
from app.core.records import DocumentRecord, EntityRecord
from app.core.schema_growth import SchemaDraft
from app.formats import ReadReport, detect, format_for, jsonl, readable_files
from app.formats.declared import declared_schema
from app.services.entities import read_entity_table
from app.store import Database, mask_password
from app.store.sqlite_files import NotGlossaDatabase, is_sqlite

DATABASE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


@dataclass(frozen=True)
class SourceDocument:
    """One document of the source with everything merged from it."""

    record: DocumentRecord
    """Its text, title and meta, spans (with annotators) and relations."""
    entities: Mapping[str, EntityRecord] = field(default_factory=dict)
    """The entities its spans name, by the id the spans give."""
    reviews: Mapping[str, str] = field(default_factory=dict)
    """Review states by span record id (absent: unreviewed)."""
    statuses: tuple[tuple[str, Status], ...] = ()
    """``(annotator, status)`` of the source's annotators on this document."""


@dataclass
class SourceFiles:
    """The documents of the files merged, with what they bring to the schema."""

    documents: list[SourceDocument] = field(default_factory=list)
    schema: SchemaDraft = field(default_factory=SchemaDraft)
    """Labels, relation types and attributes the files declare or use (not native JSONL's:
    its labels are a Glossa schema's, and those the schema lacks are left out, listed)."""
    warnings: list[str] = field(default_factory=list)
    """What the readers read but did not take, each naming its file (and line)."""


def is_database(target: str) -> bool:
    """True when ``target`` names a Glossa database: a URL, a file named like one
    (``.db``, ``.sqlite``), or a file that is an SQLite file whatever its name."""
    if "://" in target or target.startswith("sqlite:"):
        return True
    path = Path(target).expanduser()
    if path.suffix.lower() in DATABASE_SUFFIXES:
        return True
    try:
        return path.is_file() and is_sqlite(path)
    except OSError:
        return False


def read_files(paths: Sequence[Path]) -> SourceFiles:
    """The documents of files and folders of any format Glossa imports, read and checked
    whole before anything is merged; ``InputError`` names the file and line.

    A folder is read as ``glossa import`` reads it: a brat or CSV tables folder whole, else
    each file in it that a format reads.
    """
    found = SourceFiles()
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder", source=str(path))
        files = [f for f in readable_files(path) if not detect.is_companion(f)]
        if not files:
            raise InputError("no files Glossa can import here", source=str(path))
        for file in files:
            _read_file(file, found)
    return found


def _read_file(path: Path, found: SourceFiles) -> None:
    fmt = format_for(path)
    if fmt is None or fmt.read is None:
        raise InputError(f"Glossa cannot read files ending {path.suffix!r}", source=str(path))
    if fmt.name == "jsonl":
        notes = ReadReport(fmt.name)
        entities = {e.id: e for e in read_entity_table(path) or []}
        for record in jsonl.read(path, notes):
            check_record(record)
            found.documents.append(SourceDocument(record, entities))
    else:
        notes = ReadReport(fmt.name)
        records = list(fmt.read(path, notes))
        if notes.refused:  # a merge is all or nothing: a document refused refuses it
            raise notes.refused[0]
        for record in records:
            check_record(record)
        found.schema.merge(declared_schema(path, fmt.name))
        found.schema.take_records(records)
        found.documents.extend(SourceDocument(record) for record in records)
    found.warnings.extend(note.describe() for note in notes.warnings)
    found.warnings.extend(note.describe() for note in notes.unknown_notices(str(path)))


@contextmanager
def source_database(target: str, local: Database) -> Iterator[tuple[Database, str]]:
    """The source database opened for reading, and how messages name it.

    A file is opened through a copy; a server database at another schema revision than
    this Glossa's is refused. ``local`` (the database open here) cannot be merged into
    itself.
    """
    is_file = "://" not in target or target.startswith("sqlite:")
    if not is_file:
        name = mask_password(target)
        if target == local.url:
            raise InputError("this is the database open here; merge another one", source=name)
        try:
            database = Database(target, upgrade=False)
        except StorageError as exc:
            raise InputError(f"cannot open the database: {exc.reason}", source=name) from exc
        try:
            _require_current(database, name)
            yield database, name
        finally:
            database.dispose()
        return
    path = Path(target.split("///", 1)[1] if target.startswith("sqlite:") else target)
    path = path.expanduser().resolve()
    name = str(path)
    if local.path is not None and local.path.resolve() == path:
        raise InputError("this is the database open here; merge another one", source=name)
    if not path.is_file():
        raise InputError("no such file", source=name)
    with tempfile.TemporaryDirectory(prefix="glossa-merge-") as folder:
        copy = Path(folder) / "source.db"
        try:
            shutil.copyfile(path, copy)
            wal = path.with_name(path.name + "-wal")
            if wal.is_file():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", source=name) from None
        try:
            database = Database(str(copy), upgrade=False)
            revision = database.revision()
        except NotGlossaDatabase as exc:  # it names the copy: name the file given instead
            raise InputError(exc.what, source=name) from None
        except StorageError as exc:
            raise InputError(f"not a Glossa database ({exc.reason})", source=name) from None
        try:
            if revision is None:
                raise InputError("not a Glossa database (it holds no Glossa tables)", source=name)
            if revision != database.head():
                _upgrade_copy(database, name)
            yield database, name
        finally:
            database.dispose()


def _require_current(database: Database, name: str) -> None:
    try:
        revision = database.revision()
    except StorageError as exc:
        raise InputError(f"cannot read the database: {exc.reason}", source=name) from exc
    if revision is None:
        raise InputError("not a Glossa database (it holds no Glossa tables)", source=name)
    if revision != database.head():
        raise InputError(
            f"the database is at schema revision {revision}, this Glossa at "
            f"{database.head()}; open it once with this Glossa to upgrade it, then merge",
            source=name,
        )


def _upgrade_copy(database: Database, name: str) -> None:
    try:
        database.upgrade()
    except GlossaError as exc:
        raise InputError(str(exc), source=name) from None


def read_database(database: Database, name: str) -> list[SourceDocument]:
    try:
        with database.reading() as uow:
            project = uow.projects.first()
            if project is None:
                raise InputError("the database holds no project", source=name)
            ids = uow.documents.ids(project[0])
            bulk, layers = uow.bulk_reads, uow.layers
            documents = bulk.documents(ids)
            spans, reviews = bulk.span_records(documents, reviews=True)
            relations = bulk.relation_records(ids)
            external = layers.external_ids(ids)
            entities = {
                str(e.id): EntityRecord(str(e.id), e.name, e.type, e.aliases, e.external_id)
                for e in uow.entities.of_project(project[0])
            }
            statuses: dict[int, list[tuple[str, Status]]] = {}
            for document_id, annotator, status in layers.states(project[0]):
                statuses.setdefault(document_id, []).append((annotator, status))
    except StorageError as exc:
        raise InputError(f"cannot read the database: {exc.reason}", source=name) from exc
    found: list[SourceDocument] = []
    for document in documents:
        record = DocumentRecord(
            id=external.get(document.id, ""),
            text=document.text,
            meta={**document.meta, "title": document.title},
            spans=tuple(spans[document.id]),
            relations=tuple(relations[document.id]),
            source=f"{name}: document {document.id}",
        )
        own = {s.id: reviews[s.id] for s in record.spans if s.id in reviews}
        found.append(SourceDocument(record, entities, own, tuple(statuses.get(document.id, ()))))
    return found
