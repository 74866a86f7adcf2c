"""Exporting documents with their annotations: a selection, an optional split, a manifest.

Every export writes a manifest: ``NAME.manifest.json`` beside a single file, or
``manifest.json`` inside the folder of a folder format or of a split export. It states the
Glossa version, the format and its offset unit, the tokenizer, the selection and split (with
its seed), the document ids of each split, span counts per label (written, and left out with
the reason), the relations kept and left out, the first 1,000 spans the format left out one by
one, and the label schema.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import app
from app.core.annotations import Status
from app.core.collector import collector_paused
from app.core.errors import GlossaError
from app.core.records import DocumentRecord
from app.core.schema import LabelSchema
from app.formats import FORMATS, ExportReport, Format
from app.formats.fragment_pieces import covering
from app.services.entities import entity_table, write_entity_table
from app.services.export_targets import OWNER, refuse_database_target, scratch_folder
from app.services.selection import (
    Layer,
    Reason,
    Selection,
    SelectionReport,
    Split,
    select_relations,
    select_spans,
)
from app.services.workspace import Workspace

MANIFEST = "manifest.json"
PIECES = "pieces"
COVER = "cover"
FRAGMENT_CHOICES = (PIECES, COVER)
"""How a discontinuous span is written by a format that cannot hold one."""
ALL = "all"
"""The name of the one part of an export without a split."""
BATCH = 500
"""Documents read per round of queries."""
LISTED_DROPS = 1000
"""Spans the format left out that the manifest lists one by one (all are counted)."""

Progress = Callable[[int, int, Path], None]
"""Called with (documents written, documents to write, file being written)."""


class ExportCancelled(GlossaError):
    """Raised by a progress callback to stop an export; nothing is left behind."""


@dataclass
class DatasetExport(ExportReport):
    """What an export wrote: the format's reports over every file, and the selection's."""

    selection: SelectionReport = field(default_factory=SelectionReport)
    fragments: str = PIECES
    """How discontinuous spans were asked to be written: ``pieces`` or ``cover``."""
    covered: int = 0
    """Discontinuous spans written as their covering range."""
    splits: dict[str, list[str]] = field(default_factory=dict)
    """Document ids per split (one part, ``all``, without a split)."""
    manifest: Path | None = None
    """Where the manifest was written."""

    def absorb(self, part: ExportReport) -> None:
        """Add the report of one written file."""
        self.documents += part.documents
        self.kept.update(part.kept)
        self.dropped.extend(part.dropped)
        self.warnings.extend(part.warnings)
        self.tokenizer = part.tokenizer or self.tokenizer

    def label_counts(self) -> dict[str, dict[str, Any]]:
        """Per label: spans written, and spans left out per reason (selection and format)."""
        left_out: dict[str, dict[str, int]] = {}
        for label, reasons in self.selection.spans_left_out.items():
            left_out.setdefault(label, {}).update(reasons)
        for label, by_reason in self.dropped_counts().items():
            for reason, count in by_reason.items():
                found = left_out.setdefault(label, {})
                found[reason.value] = found.get(reason.value, 0) + count
        labels = sorted(set(self.kept) | set(left_out))
        return {
            label: {"written": self.kept.get(label, 0), "left_out": left_out.get(label, {})}
            for label in labels
        }

    def lines(self) -> list[str]:
        """What a terminal shows after the export."""
        lines = []
        if len(self.splits) > 1 or ALL not in self.splits:
            parts = ", ".join(f"{name} {len(ids)}" for name, ids in self.splits.items())
            lines.append(f"documents per split: {parts}")
        written = ", ".join(f"{label} {n}" for label, n in sorted(self.kept.items()) if n)
        lines.append(f"spans written: {written or 'none'}")
        for label, counts in self.label_counts().items():
            for reason, count in sorted(counts["left_out"].items()):
                lines.append(f"left out {count} {label} span(s): {reason}")
        if self.selection.relations_kept or self.selection.relations_left_out:
            lines.append(f"relations selected: {self.selection.relations_kept}")
        for reason, count in sorted(self.selection.relations_left_out.items()):
            lines.append(f"left out {count} relation(s): {reason}")
        for reason, count in sorted(self.selection.documents_left_out.items()):
            lines.append(f"left out {count} document(s): {reason}")
        if self.tokenizer:
            lines.append(f"tokens from: {self.tokenizer}")
        lines.extend(warning.describe() for warning in self.warnings)
        if self.manifest is not None:
            lines.append(f"manifest: {self.manifest}")
        return lines


@dataclass
class _Plan:
    """The documents to export, per split, with the status each shows."""

    splits: dict[str, list[int]]
    statuses: dict[int, Status]
    status_of: str


def document_records(
    workspace: Workspace, selection: Selection | None = None
) -> Iterator[DocumentRecord]:
    """Every selected document of the project as a record, in list order, batch by batch."""
    selection = selection or Selection()
    plan = _plan(workspace, selection, None, SelectionReport())
    yield from _records(workspace, plan.splits[ALL], plan, selection, SelectionReport())


def export(
    workspace: Workspace,
    format_name: str,
    out: Path,
    *,
    selection: Selection | None = None,
    split: Split | None = None,
    progress: Progress | None = None,
    fragments: str = PIECES,
) -> DatasetExport:
    """Write the selected documents to ``out`` in a format, with a manifest.

    ``fragments`` says how a format that cannot hold a discontinuous span gets one: as its
    ``pieces`` (one span per fragment, the gap left out; linked by ``fragment`` relations
    where the format holds relations) or as its ``cover`` (one span over the covering
    range, the gap included). The manifest states the choice and how many spans it touched.

    Without a split ``out`` is one file (or the folder of a folder format). With a split it
    is a folder holding ``train``, ``dev`` and ``test`` files (or sub-folders for folder
    formats; a format that writes its splits together, like ``hf``, decides the layout).
    Everything is written beside its target and moved into place at the end, so a failed
    export never leaves half a file, and an existing file is replaced only by a whole one.
    """
    fmt = _exporter(format_name)
    if fragments not in FRAGMENT_CHOICES:
        known = ", ".join(FRAGMENT_CHOICES)
        raise GlossaError(f"unknown way to write discontinuous spans {fragments!r} ({known})")
    selection = selection or Selection()
    _check_labels(workspace, selection)
    out = Path(out)
    into_folder = fmt.folder or split is not None
    database = workspace.database.path
    refuse_database_target(database, out, folder=into_folder)
    if not into_folder:
        refuse_database_target(database, out.parent / _manifest_name(out), folder=False)
    if into_folder and out.exists() and (not out.is_dir() or any(out.iterdir())):
        what = f"{fmt.name} writes a folder" if fmt.folder else "a split export writes a folder"
        raise GlossaError(f"{out}: {what}; choose a new or empty one")
    result = DatasetExport(fmt.name, fragments=fragments)
    plan = _plan(workspace, selection, split, result.selection)
    result.splits = {name: [str(i) for i in ids] for name, ids in plan.splits.items()}
    total = sum(len(ids) for ids in plan.splits.values())
    for name, ids in plan.splits.items():
        if split is not None and not ids:
            # a share too small for the documents: the file is written, empty, and said so
            result.warn(f"the {name} split has no documents ({total} in all)", str(out))
    done = 0

    def records(ids: list[int], shown: Path) -> Iterator[DocumentRecord]:
        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(done, total, shown)

        found = _records(workspace, ids, plan, selection, result.selection, advance)
        if fragments == COVER:
            for record in found:
                covered, count = covering(record)
                result.covered += count
                yield covered
        else:
            yield from found

    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = scratch_folder(out)
    try:
        written = scratch / out.name
        # each batch read builds a record per document and per span, and the format an
        # object per record: acyclic, freed once written, yet enough to start many collector
        # passes over all that is alive (measured: a quarter of the time reading records)
        with collector_paused():
            if split is None:
                result.absorb(
                    _export(fmt, records(plan.splits[ALL], out), written, workspace.schema)
                )
                manifest = written / MANIFEST if fmt.folder else scratch / _manifest_name(out)
            elif fmt.export_splits is not None:
                written.mkdir()
                parts = {name: records(ids, out / name) for name, ids in plan.splits.items()}
                result.absorb(fmt.export_splits(parts, written))
                manifest = written / MANIFEST
            else:
                written.mkdir()
                for name, ids in plan.splits.items():
                    target = name if fmt.folder else f"{name}{fmt.suffixes[0]}"
                    part = records(ids, out / target)
                    result.absorb(_export(fmt, part, written / target, workspace.schema))
                manifest = written / MANIFEST
        table = None
        if fmt.name == "jsonl":  # the entity table that the spans' "entity" ids name
            table = written / "entities.jsonl" if into_folder else scratch / entity_table(out)
            write_entity_table(workspace, table)
        # files a single-file format wrote beside its file (a labeling config, the entity
        # table) go beside the target with it
        companions = (
            []
            if into_folder
            else sorted(p for p in scratch.iterdir() if p != written and p.name != OWNER)
        )
        for companion in companions:  # checked before anything is moved into place
            refuse_database_target(database, out.parent / companion.name, folder=False)
        if result.covered:
            result.warn(
                f"{result.covered} discontinuous span(s) written as their covering range, "
                "the words between their pieces included"
            )
        files = _files(written) + [p.name for p in companions]
        _write_manifest(manifest, _manifest(workspace, fmt, selection, split, plan, result, files))
        if into_folder and out.exists():
            out.rmdir()  # empty, checked above
        os.replace(written, out)
        for companion in companions:
            os.replace(companion, out.parent / companion.name)
        result.manifest = out / MANIFEST if into_folder else out.parent / _manifest_name(out)
        if not into_folder:
            os.replace(manifest, result.manifest)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def _exporter(format_name: str) -> Format:
    fmt = FORMATS.get(format_name)
    if fmt is None or fmt.export is None:
        known = ", ".join(name for name, f in FORMATS.items() if f.export)
        raise GlossaError(f"Glossa cannot export {format_name!r} (it exports: {known})")
    return fmt


def _export(
    fmt: Format, records: Iterable[DocumentRecord], path: Path, schema: LabelSchema
) -> ExportReport:
    if fmt.schema_export is not None:
        return fmt.schema_export(records, path, schema)
    assert fmt.export is not None  # checked by _exporter
    return fmt.export(records, path)


def _manifest_name(out: Path) -> str:
    return f"{out.name}.manifest.json"


def _check_labels(workspace: Workspace, selection: Selection) -> None:
    unknown = sorted(label for label in selection.labels if workspace.schema.label(label) is None)
    if unknown:
        known = ", ".join(label.name for label in workspace.schema.labels)
        raise GlossaError(f"unknown label(s) {', '.join(unknown)} (known: {known})")


def _plan(
    workspace: Workspace, selection: Selection, split: Split | None, report: SelectionReport
) -> _Plan:
    """Which documents go out, in list order, and into which split."""
    status_of = selection.status_of or workspace.annotator
    with workspace.database.reading() as uow:
        bulk = uow.bulk_reads
        status_id = (
            workspace.annotator_id
            if status_of == workspace.annotator
            else bulk.annotator_id(status_of)
        )
        listing = bulk.statuses(workspace.project_id, status_id)
        hashes = bulk.hashes_by_document(workspace.project_id) if split else {}
        annotated: set[int] | None = None
        source = selection.span_annotator
        if source is not None:
            source_id = bulk.annotator_id(source)
            annotated = (
                bulk.documents_annotated_by(workspace.project_id, source_id)
                if source_id is not None
                else set()
            )
        reviewed = (
            bulk.reviewed_documents(workspace.project_id)
            if selection.layer is Layer.REVIEWED
            else None
        )
    chosen: list[int] = []
    for document_id, status in listing:
        if selection.statuses and status not in selection.statuses:
            report.documents_left_out[Reason.STATUS.value] += 1
        elif annotated is not None and document_id not in annotated:
            report.documents_left_out[Reason.NOT_ANNOTATED.value] += 1
        elif reviewed is not None and document_id not in reviewed:
            report.documents_left_out[Reason.NOT_REVIEWED.value] += 1
        else:
            chosen.append(document_id)
    statuses = dict(listing)
    if split is None:
        splits = {ALL: chosen}
    else:
        assigned = split.assign([(str(i), hashes[i]) for i in chosen])
        splits = {name: [int(i) for i in ids] for name, ids in assigned.items()}
    return _Plan(splits, statuses, status_of)


def _records(
    workspace: Workspace,
    ids: list[int],
    plan: _Plan,
    selection: Selection,
    report: SelectionReport,
    advance: Callable[[int], None] | None = None,
) -> Iterator[DocumentRecord]:
    """Records of ``ids`` in order: each batch read in one unit of work, a few queries."""
    everything = selection == Selection()
    status_values = {status: status.value for status in Status}  # .value is Python code
    new, set_fields = object.__new__, object.__setattr__
    for first in range(0, len(ids), BATCH):
        chunk = ids[first : first + BATCH]
        with workspace.database.reading() as uow:
            bulk = uow.bulk_reads
            documents = bulk.documents(chunk)
            spans, reviews = bulk.span_records(documents, reviews=selection.layer is Layer.REVIEWED)
            relations = bulk.relation_records(chunk)
        for document in documents:
            kept, links = spans[document.id], relations[document.id]
            if everything:
                report.relations_kept += len(links)
            else:
                kept = select_spans(kept, reviews, selection, report)
                kept_ids = {s.id for s in kept}
                links = select_relations(links, kept_ids, selection, report)
            status = status_values[plan.statuses.get(document.id, Status.NEW)]
            # a frozen dataclass's __init__ sets each field through object.__setattr__;
            # handing over one dictionary of them all is several times faster
            record: DocumentRecord = new(DocumentRecord)
            set_fields(
                record,
                "__dict__",
                {
                    "id": str(document.id),
                    "text": document.text,
                    "meta": {**document.meta, "title": document.title, "status": status},
                    "spans": tuple(kept),
                    "relations": tuple(links),
                    "source": "",
                    "line": None,
                },
            )
            yield record
        if advance is not None:
            advance(len(chunk))


def _files(written: Path) -> list[str]:
    """What the export holds, relative to its root (one name for a single file)."""
    if written.is_file():
        return [written.name]
    return sorted(p.relative_to(written).as_posix() for p in written.rglob("*") if p.is_file())


def _manifest(
    workspace: Workspace,
    fmt: Format,
    selection: Selection,
    split: Split | None,
    plan: _Plan,
    result: DatasetExport,
    files: list[str],
) -> dict[str, Any]:
    return {
        "glossa_version": app.__version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "format": fmt.name,
        "offset_unit": fmt.offset_unit,
        "tokenizer": result.tokenizer or None,
        "files": files,
        "selection": selection.describe(plan.status_of),
        "split": split.describe() if split else None,
        "documents": result.splits,
        "counts": {
            "documents": {name: len(ids) for name, ids in result.splits.items()},
            "documents_left_out": dict(sorted(result.selection.documents_left_out.items())),
            "labels": result.label_counts(),
            "relations": {
                "selected": result.selection.relations_kept,
                "left_out": dict(sorted(result.selection.relations_left_out.items())),
            },
        },
        "left_out_by_format": [
            {
                "document": d.document,
                "span": d.span,
                "start": d.start,
                "end": d.end,
                "label": d.label,
                "reason": d.reason.value,
            }
            for d in result.dropped[:LISTED_DROPS]
        ],
        "left_out_by_format_total": len(result.dropped),
        "discontinuous_spans": {
            "written_as": "covering range" if result.fragments == COVER else "pieces",
            "covered": result.covered,
        },
        "warnings": [w.describe() for w in result.warnings],
        "schema": workspace.schema.to_dict(),
    }


def _write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        json.dump(manifest, out, ensure_ascii=False, indent=2)
        out.write("\n")
