"""Importing documents from files: one transaction per file, duplicates skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.core.text import first_line_title, text_sha256
from app.formats import FORMATS, ReadReport, format_for, readable_files
from app.services.workspace import Workspace


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
        files.extend(found)
    for number, file in enumerate(files, start=1):
        if progress:
            progress(number, len(files), file)
        try:
            _import_file(workspace, file, format_name, report)
        except InputError as exc:
            report.errors.append(exc if exc.source else exc.at(str(file)))
    return report


def _import_file(
    workspace: Workspace, path: Path, format_name: str | None, report: ImportReport
) -> None:
    fmt = FORMATS.get(format_name) if format_name else format_for(path)
    if fmt is None or fmt.read is None:
        what = f"format {format_name!r}" if format_name else f"files ending {path.suffix!r}"
        raise InputError(f"Glossa cannot import {what}", source=str(path))
    notes = ReadReport(fmt.name)
    records = list(fmt.read(path, notes))  # read and check the whole file before writing
    for record in records:
        _check_labels(workspace, record)
    added: list[str] = []
    spans = 0
    skipped: list[str] = []
    with workspace.database.unit_of_work() as uow:
        known = uow.documents.hashes(workspace.project_id)
        for record in records:
            digest = text_sha256(record.text)
            title = record.title or first_line_title(record.text)
            if digest in known:
                skipped.append(f"{_where(record)}: {title!r} is already in the database")
                continue
            known.add(digest)
            document_id = uow.documents.add(
                workspace.project_id,
                title=title,
                text=record.text,
                sha256=digest,
                meta={**record.meta, "title": title},
                external_id=record.id,
            )
            ids = uow.spans.add_many(
                {
                    "document_id": document_id,
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "text": s.text,
                    "annotator_id": uow.annotators.id_of(s.annotator or workspace.annotator),
                    "origin": s.origin
                    if s.origin in ("manual", "imported", "suggested")
                    else "imported",
                    "attributes": s.attributes,
                }
                for s in record.spans
            )
            by_record_id = {s.id: new for s, new in zip(record.spans, ids, strict=True)}
            for relation in record.relations:
                uow.spans.add_relation(
                    document_id,
                    by_record_id[relation.head],
                    by_record_id[relation.tail],
                    relation.label,
                    uow.annotators.id_of(relation.annotator or workspace.annotator),
                )
            added.append(title)
            spans += len(record.spans)
        uow.events.record(workspace.annotator, "import", file=str(path), documents=len(added))
        uow.commit()
    report.warnings.extend(note.describe() for note in notes.warnings)
    report.imported.extend(added)
    report.spans += spans
    report.skipped.extend(skipped)


def _check_labels(workspace: Workspace, record: DocumentRecord) -> None:
    for span in record.spans:
        if workspace.schema.label(span.label) is None:
            raise InputError(
                f"span {span.id}: label {span.label!r} is not in the schema "
                f"(known: {', '.join(label.name for label in workspace.schema.labels)})",
                source=record.source,
                line=record.line,
            )
    relation_labels = [relation.name for relation in workspace.schema.relations]
    for relation in record.relations:
        if relation.label not in relation_labels:
            raise InputError(
                f"relation {relation.id}: label {relation.label!r} is not in the schema "
                f"(known: {', '.join(relation_labels) or 'none'})",
                source=record.source,
                line=record.line,
            )


def _where(record: DocumentRecord) -> str:
    return f"{record.source}:{record.line}" if record.line else record.source
