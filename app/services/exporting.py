"""Exporting documents with their annotations: a selection, an optional split, a manifest.

Each batch of documents is read in one unit of work and written before the next is read, so
an export holds one batch at a time. What the manifest beside the files states: see
``app.services.export_manifest``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.annotations import Status
from app.core.collector import collector_paused
from app.core.errors import GlossaError
from app.core.records import DocumentRecord
from app.core.schema import LabelSchema
from app.formats import FORMATS, ExportReport, Format
from app.formats.fragment_pieces import covering
from app.services.entities import entity_table, write_entity_table
from app.services.export_manifest import (
    ALL,
    COVER,
    FRAGMENT_CHOICES,
    MANIFEST,
    PIECES,
    DatasetExport,
    files_of,
    manifest,
    manifest_name,
    write_manifest,
)
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

__all__ = [
    "COVER",
    "FRAGMENT_CHOICES",
    "PIECES",
    "DatasetExport",
    "ExportCancelled",
    "document_records",
    "export",
]

BATCH = 500
"""Documents read per round of queries."""

Progress = Callable[[int, int, Path], None]
"""Called with (documents written, documents to write, file being written)."""


class ExportCancelled(GlossaError):
    """Raised by a progress callback to stop an export; nothing is left behind."""


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
        refuse_database_target(database, out.parent / manifest_name(out), folder=False)
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
                manifest_file = written / MANIFEST if fmt.folder else scratch / manifest_name(out)
            elif fmt.export_splits is not None:
                written.mkdir()
                parts = {name: records(ids, out / name) for name, ids in plan.splits.items()}
                result.absorb(fmt.export_splits(parts, written))
                manifest_file = written / MANIFEST
            else:
                written.mkdir()
                for name, ids in plan.splits.items():
                    target = name if fmt.folder else f"{name}{fmt.suffixes[0]}"
                    part = records(ids, out / target)
                    result.absorb(_export(fmt, part, written / target, workspace.schema))
                manifest_file = written / MANIFEST
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
        files = files_of(written) + [p.name for p in companions]
        content = manifest(workspace, fmt, selection, split, plan.status_of, result, files)
        write_manifest(manifest_file, content)
        if into_folder and out.exists():
            out.rmdir()  # empty, checked above
        os.replace(written, out)
        for companion in companions:
            os.replace(companion, out.parent / companion.name)
        result.manifest = out / MANIFEST if into_folder else out.parent / manifest_name(out)
        if not into_folder:
            os.replace(manifest_file, result.manifest)
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
