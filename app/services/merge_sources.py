"""Reading what is merged: another Glossa database (through a copy), or JSONL exports.

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
from app.formats import jsonl
from app.services.entities import read_entity_table
from app.store import Database, mask_password
from app.store.sqlite_files import NotGlossaDatabase


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


def read_jsonl(paths: Sequence[Path]) -> list[SourceDocument]:
    """The documents of native JSONL files, with the entity tables beside them.

    Every file is read and checked whole; ``InputError`` names the file and line.
    """
    source: list[SourceDocument] = []
    for path in paths:
        entities = {e.id: e for e in read_entity_table(path) or []}
        for record in jsonl.read(path):
            check_record(record)
            source.append(SourceDocument(record, entities))
    return source


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
