"""Importing documents from files: one transaction per file, duplicates skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.collector import collector_paused
from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.core.text import MAX_DOCUMENT_BYTES, first_line_title, text_sha256
from app.formats import FORMATS, ReadReport, detect, format_for, readable_files
from app.formats.opening import not_a_file
from app.services.entities import link_imported, read_entity_table
from app.services.span_edits import attribute_problem
from app.services.workspace import Workspace
from app.store.repositories import BulkWrites
from app.store.unit_of_work import UnitOfWork

_ORIGINS = frozenset({"manual", "imported", "suggested"})


@dataclass
class ImportReport:
    """What an import did, file by file."""

    imported: list[str] = field(default_factory=list)
    """Titles of the documents added."""
    spans: int = 0
    skipped: list[str] = field(default_factory=list)
    """One line per document left out on purpose (already in the database)."""
    errors: list[InputError] = field(default_factory=list)
    """One error per file that was not imported at all."""
    warnings: list[str] = field(default_factory=list)
    """Lines of a file that were read but left out (e.g. brat events), with file and line."""

    @property
    def ok(self) -> bool:
        """True when no file was refused."""
        return not self.errors

    def summary(self) -> str:
        """One line for a status bar or a terminal."""
        parts = [f"imported {len(self.imported)} document(s) with {self.spans} span(s)"]
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)} already present")
        if self.errors:
            parts.append(f"{len(self.errors)} file(s) refused")
        return ", ".join(parts)


def import_paths(
    workspace: Workspace,
    paths: Iterable[Path],
    *,
    format_name: str | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> ImportReport:
    """Import files and folders; each file lands whole or not at all."""
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
                _import_file(workspace, file, format_name, report)
        except InputError as exc:
            report.errors.append(exc if exc.source else exc.at(str(file)))
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
) -> None:
    fmt = FORMATS.get(format_name) if format_name else format_for(path)
    if fmt is None or fmt.read is None:
        what = f"format {format_name!r}" if format_name else f"files ending {path.suffix!r}"
        raise InputError(f"Glossa cannot import {what}", source=str(path))
    notes = ReadReport(fmt.name)
    records = list(fmt.read(path, notes))  # read and check the whole file before writing
    table = read_entity_table(path) if fmt.name == "jsonl" else None
    mentions: list[tuple[int, str, str]] = []
    for record in records:
        _check_size(record)
        _check_against_schema(workspace, record)
    added: list[str] = []
    spans = 0
    skipped: list[str] = []
    with _file_transaction(workspace, shared) as uow:
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
        # a few statements for the whole file: documents, texts, spans, relations
        bulk = BulkWrites(uow.session)
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
    report.warnings.extend(note.describe() for note in notes.warnings)
    report.imported.extend(added)
    report.spans += spans
    report.skipped.extend(skipped)


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


def _check_against_schema(workspace: Workspace, record: DocumentRecord) -> None:
    """Refuse a span whose label, or a value of an attribute its label declares, or a relation
    the schema does not have. Attributes the schema does not declare are kept as they are."""
    by_name = {label.name: label for label in workspace.schema.labels}
    for span in record.spans:
        label = by_name.get(span.label)
        if label is None:
            raise InputError(
                f"span {span.id}: label {span.label!r} is not in the schema "
                f"(known: {', '.join(by_name)})",
                source=record.source,
                line=record.line,
            )
        declared = {attribute.name for attribute in label.attributes}
        for name, value in span.attributes.items():
            if name not in declared or value is None:
                continue
            problem = attribute_problem(workspace.schema, span.label, name, value)
            if problem is not None:
                raise InputError(
                    f"span {span.id} [{span.start}, {span.end}): {problem}",
                    source=record.source,
                    line=record.line,
                )
    types = {relation.name: relation for relation in workspace.schema.relations}
    labels = {span.id: span.label for span in record.spans}
    for relation in record.relations:
        kind = types.get(relation.label)
        if kind is None:
            raise InputError(
                f"relation {relation.id}: label {relation.label!r} is not in the schema "
                f"(known: {', '.join(types) or 'none'})",
                source=record.source,
                line=record.line,
            )
        head, tail = labels.get(relation.head), labels.get(relation.tail)
        if head not in kind.heads or tail not in kind.tails:
            raise InputError(
                f"relation {relation.id}: a {kind.name} joins {'/'.join(kind.heads)} to "
                f"{'/'.join(kind.tails)}, not {head} to {tail}",
                source=record.source,
                line=record.line,
            )


def _where(record: DocumentRecord) -> str:
    return f"{record.source}:{record.line}" if record.line else record.source
