"""Importing documents from files: one transaction per file, duplicates skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from app.core.collector import collector_paused
from app.core.errors import GlossaError, InputError
from app.core.limits import check_record
from app.core.records import DocumentRecord
from app.core.schema_growth import SchemaDraft
from app.core.text import MAX_DOCUMENT_BYTES, first_line_title, text_sha256
from app.formats import (
    FORMATS,
    Format,
    ReadReport,
    conll,
    detect,
    doccano,
    format_for,
    readable_files,
)
from app.formats.declared import declared_schema
from app.formats.fragment_pieces import joined_chains_of
from app.formats.opening import not_a_file
from app.services.cleaning import CLEANABLE, cleaned
from app.services.entities import link_imported, read_entity_table
from app.services.import_checks import check_labels
from app.services.import_report import ImportReport, TagChoices
from app.services.merge_sources import SourceDocument
from app.services.merging import merge_documents
from app.services.schema_edits import grow_schema
from app.services.workspace import Workspace
from app.store.repositories import fragments_json
from app.store.unit_of_work import UnitOfWork

__all__ = ["ImportCancelled", "ImportReport", "TagChoices", "import_paths", "import_samples"]


class ImportCancelled(Exception):
    """Raised by an ``on_document`` hook to stop an import: the file being read is left out
    whole, and the files after it are not read."""


_ORIGINS = frozenset({"manual", "imported", "suggested"})
"""Formats whose labels are the file's own tag types: missing ones join the schema."""


def import_paths(
    workspace: Workspace,
    paths: Iterable[Path],
    *,
    format_name: str | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
    tags: TagChoices | None = None,
    clean: bool = False,
    strict_schema: bool = False,
    text_field: str | None = None,
    label_field: str | None = None,
    as_annotator: str | None = None,
    on_document: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import files and folders; each file lands whole or not at all.

    ``progress`` hears of each file before it is read (its number, how many, the file);
    ``on_document`` of each document read from it (how many so far), before any is written.
    When ``on_document`` raises ``ImportCancelled`` the import stops there: the file being
    read is left out whole, the files after it are not read, and ``cancelled`` counts them.

    ``tags`` overrides the detected tag column and scheme of CoNLL files; with it, a file
    that is not detected as another format is read as CoNLL. With ``clean`` scraped articles
    (.txt, .html) are cleaned first (``app.services.cleaning``).

    ``text_field`` and ``label_field`` name the keys of a doccano-like JSONL file that hold
    the text and the spans (such files are read as doccano).

    ``as_annotator`` takes every span and relation of the files as that annotator's work,
    added as a layer to documents already present (same text) instead of skipping them.

    The labels, relation types and attributes that a file uses or declares (brat's
    ``annotation.conf``, a Label Studio config beside it) and the schema lacks are added to
    the schema in the file's transaction; with ``strict_schema`` such a file is refused.
    """
    report = ImportReport()
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            report.errors.append(InputError("no such file or folder", source=str(path)))
            continue
        found = readable_files(path)
        if not found:
            report.errors.append(InputError("no files Glossa can import here", source=str(path)))
        # a manifest or entity table named on its own holds no documents: nothing to import
        files.extend(
            f
            for f in found
            if not detect.is_companion(f) and (f.is_dir() or _is_regular(f, path, report))
        )
    for number, file in enumerate(files, start=1):
        if progress:
            progress(number, len(files), file)
        try:
            with collector_paused():
                _import_file(
                    workspace,
                    file,
                    format_name,
                    report,
                    tags=tags,
                    clean=clean,
                    strict_schema=strict_schema,
                    fields=(text_field, label_field),
                    as_annotator=as_annotator,
                    on_document=on_document,
                )
        except ImportCancelled:
            report.cancelled = len(files) - number + 1
            break
        except InputError as exc:
            report.errors.append(exc if exc.source else exc.at(str(file)))
        except GlossaError as exc:  # e.g. the library a format needs is not installed
            report.errors.append(InputError(str(exc), source=str(file)))
    return report


def _is_regular(file: Path, named: Path, report: ImportReport) -> bool:
    """True when ``file`` is a regular file (or a link to one); else say so in ``report``.

    A named pipe would stop the import for ever and a device like ``/dev/zero`` never ends:
    found in a folder they are skipped with a warning; named on their own, refused.
    """
    kind = not_a_file(file)
    if kind is None:
        return True
    if file == named:
        report.errors.append(
            InputError(f"{kind}, not a file; only files are imported", source=str(file))
        )
    else:
        report.warnings.append(f"{file}: skipped: {kind}, not a file")
    return False


def import_samples(workspace: Workspace, paths: Sequence[Path]) -> ImportReport:
    """Import the sample articles into a project without documents, all in one transaction.

    Several people may open a brand-new database at the same instant: the first to hold the
    project's row imports the samples, the others wait for it and then find them there.
    """
    report = ImportReport()
    with workspace.database.unit_of_work() as uow:
        uow.documents.hold_project(workspace.project_id)
        if uow.documents.ids(workspace.project_id):
            return report  # someone else brought them in a moment ago
        for path in paths:
            _import_file(workspace, path, None, report, uow)
        uow.commit()
    return report


@contextmanager
def _file_transaction(workspace: Workspace, shared: UnitOfWork | None) -> Iterator[UnitOfWork]:
    """``shared`` when given (its owner commits), else a unit of work committed at the end."""
    if shared is not None:
        yield shared
        return
    with workspace.database.unit_of_work() as uow:
        yield uow
        uow.commit()


def _import_file(
    workspace: Workspace,
    path: Path,
    format_name: str | None,
    report: ImportReport,
    shared: UnitOfWork | None = None,
    *,
    tags: TagChoices | None = None,
    clean: bool = False,
    strict_schema: bool = False,
    fields: tuple[str | None, str | None] = (None, None),
    as_annotator: str | None = None,
    on_document: Callable[[int], None] | None = None,
) -> None:
    named = any(fields)
    if named and format_name is None and path.suffix.lower() in detect.JSON_SUFFIXES:
        format_name = "doccano"  # named columns: whatever else the lines hold
    fmt = FORMATS.get(format_name) if format_name else format_for(path)
    if tags and not format_name and (fmt is None or fmt.name == "txt"):
        fmt = FORMATS["conll"]  # the user named a tag column or scheme: a CoNLL file is meant
    if fmt is None or fmt.read is None:
        what = f"format {format_name!r}" if format_name else f"files ending {path.suffix!r}"
        raise InputError(f"Glossa cannot import {what}", source=str(path))
    if named and fmt.name != "doccano":
        raise InputError("--text-field and --label-field name doccano keys", source=str(path))
    read = doccano.reader(*fields) if named else _reader(fmt, tags)
    notes = ReadReport(fmt.name)
    # read and check the whole file before writing
    records = _read_all(read(path, notes), on_document)
    records = joined_chains_of(records, notes, str(path))
    if clean and fmt.name in CLEANABLE:
        records = [cleaned(record) if not record.spans else record for record in records]
    for record in records:
        check_record(record)
    table = read_entity_table(path) if fmt.name == "jsonl" else None
    mentions: list[tuple[int, str, str]] = []
    for record in records:
        _check_size(record)
    draft = SchemaDraft() if strict_schema else declared_schema(path, fmt.name)
    if strict_schema:
        for record in records:
            check_labels(workspace.schema, record)
    if as_annotator is not None:
        draft.take_records(records if not strict_schema else ())
        _import_as(workspace, path, records, as_annotator, draft, report)
        report.warnings.extend(note.describe() for note in notes.warnings)
        report.warnings.extend(note.describe() for note in notes.unknown_notices(str(path)))
        return
    added: list[str] = []
    spans = 0
    skipped: list[str] = []
    with _file_transaction(workspace, shared) as uow:
        if not strict_schema:
            # on SQLite, holding the project must be the transaction's first statement
            uow.documents.hold_project(workspace.project_id)
        known = uow.documents.hashes(workspace.project_id)
        fresh: list[tuple[DocumentRecord, dict[str, Any]]] = []
        for record in records:
            digest = text_sha256(record.text)
            title = record.title or first_line_title(record.text)
            if digest in known:
                skipped.append(f"{_where(record)}: {title!r} is already in the database")
                continue
            known.add(digest)
            row: dict[str, Any] = {
                "title": title,
                "text": record.text,
                "sha256": digest,
                "meta": {**record.meta, "title": title},
                "external_id": record.id,
            }
            fresh.append((record, row))
        # the labels of the documents that come in, not of those already here
        draft.take_records(record for record, _ in fresh)
        before = workspace.schema
        schema, growth = grow_schema(workspace, uow, draft)
        for record, _ in fresh:
            check_labels(schema, record, declared_before=before)
        # a few statements for the whole file: documents, texts, spans, relations
        bulk = uow.bulk_writes
        annotators: dict[str, int] = {}

        def annotator_id(name: str) -> int:
            name = name or workspace.annotator
            if name not in annotators:
                annotators[name] = uow.annotators.id_of(name)
            return annotators[name]

        document_ids = bulk.add_documents(workspace.project_id, [row for _, row in fresh])
        span_rows = [
            (
                document_id,
                s.start,
                s.end,
                s.label,
                s.text,
                annotators.get(s.annotator) or annotator_id(s.annotator),
                s.origin if s.origin in _ORIGINS else "imported",
                s.attributes,
                fragments_json(s.fragments),
            )
            for (record, _), document_id in zip(fresh, document_ids, strict=True)
            for s in record.spans
        ]
        span_ids = iter(bulk.add_spans_to_new_documents(span_rows, document_ids))
        relation_rows: list[dict[str, Any]] = []
        for (record, row), document_id in zip(fresh, document_ids, strict=True):
            by_record_id = {s.id: next(span_ids) for s in record.spans}
            mentions.extend(
                (by_record_id[s.id], s.label, s.entity) for s in record.spans if s.entity
            )
            relation_rows.extend(
                {
                    "document_id": document_id,
                    "head_id": by_record_id[relation.head],
                    "tail_id": by_record_id[relation.tail],
                    "label": relation.label,
                    "annotator_id": annotator_id(relation.annotator),
                }
                for relation in record.relations
            )
            added.append(row["title"])
            spans += len(record.spans)
        bulk.add_relations(relation_rows)
        if table is not None or mentions:
            notes_on_links = link_imported(uow, workspace.project_id, table or [], mentions)
            report.warnings.extend(f"{path}: {note}" for note in notes_on_links)
        uow.events.record(workspace.annotator, "import", file=str(path), documents=len(added))
    workspace.project_schema.keep(schema)
    report.note_growth(growth)
    report.warnings.extend(note.describe() for note in notes.warnings)
    report.warnings.extend(note.describe() for note in notes.unknown_notices(str(path)))
    if notes.extractor:
        report.extractors[notes.extractor] += 1
    report.errors.extend(notes.refused)  # documents of a folder refused on their own
    report.imported.extend(added)
    report.spans += spans
    report.skipped.extend(skipped)


def _read_all(
    records: Iterable[DocumentRecord], on_document: Callable[[int], None] | None
) -> list[DocumentRecord]:
    if on_document is None:
        return list(records)
    read: list[DocumentRecord] = []
    for record in records:
        read.append(record)
        on_document(len(read))
    return read


def _reader(fmt: Format, tags: TagChoices | None) -> Callable[..., Iterator[DocumentRecord]]:
    if fmt.name == "conll" and tags:
        return partial(conll.read, tag_column=tags.tag_column, scheme=tags.scheme)
    assert fmt.read is not None
    return fmt.read


def _import_as(
    workspace: Workspace,
    path: Path,
    records: list[DocumentRecord],
    name: str,
    draft: SchemaDraft,
    report: ImportReport,
) -> None:
    """Bring ``records`` in as ``name``'s layer: new texts as documents, known ones annotated."""
    with workspace.database.unit_of_work() as uow:
        known = uow.documents.hashes(workspace.project_id)
    merged = merge_documents(
        workspace,
        [SourceDocument(record) for record in records],
        str(path),
        as_annotator=name,
        schema=draft,
    )
    report.warnings.extend(f"{path}: left out: {problem}" for problem in merged.problems)
    titles: dict[str, str] = {}
    for record in records:
        digest = text_sha256(record.text)
        if digest not in known:
            titles.setdefault(digest, record.title or first_line_title(record.text))
    report.imported.extend(titles.values())
    report.annotated += merged.documents_matched
    report.spans += sum(merged.spans.values())
    report.note_growth(merged.schema_growth)


def _check_size(record: DocumentRecord) -> None:
    """Hold every document to the article limit, whichever format held it: a file of many
    documents (CSV, CoNLL, spaCy, Label Studio) is held to a larger limit of its own."""
    if len(record.text) * 4 <= MAX_DOCUMENT_BYTES:  # a code point takes at most 4 bytes
        return
    size = len(record.text.encode("utf-8", "surrogatepass"))
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"the text is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,} bytes",
            source=record.source,
            line=record.line,
        )


def _where(record: DocumentRecord) -> str:
    return f"{record.source}:{record.line}" if record.line else record.source
