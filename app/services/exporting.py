"""Exporting documents with their annotations."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import GlossaError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import FORMATS, ExportReport
from app.services.workspace import Workspace


def document_records(workspace: Workspace) -> Iterator[DocumentRecord]:
    """Every document of the project as a record, one at a time."""
    for summary in workspace.documents():
        document = workspace.document(summary.id)
        spans = workspace.spans(summary.id)
        relations = workspace.relations(summary.id)
        yield DocumentRecord(
            id=str(document.id),
            text=document.text,
            meta={**document.meta, "title": document.title, "status": summary.status.value},
            spans=tuple(
                SpanRecord(
                    id=str(s.id),
                    start=s.start,
                    end=s.end,
                    label=s.label,
                    text=document.text[s.start : s.end],
                    annotator=s.annotator,
                    origin=s.origin.value,
                    attributes=s.attributes,
                )
                for s in spans
            ),
            relations=tuple(
                RelationRecord(str(r.id), str(r.head), str(r.tail), r.label, r.annotator)
                for r in relations
            ),
        )


def export(workspace: Workspace, format_name: str, out: Path) -> ExportReport:
    """Write every document to ``out`` in a format; the report names what was left out.

    The export is written beside its target and moved into place at the end, so a failed
    export never leaves half a file, and an existing file is replaced only by a whole one.
    """
    fmt = FORMATS.get(format_name)
    if fmt is None or fmt.export is None:
        known = ", ".join(name for name, f in FORMATS.items() if f.export)
        raise GlossaError(f"Glossa cannot export {format_name!r} (it exports: {known})")
    out = Path(out)
    if fmt.folder and out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise GlossaError(f"{out}: {fmt.name} writes a folder; choose a new or empty one")
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        written = scratch / out.name
        report = fmt.export(document_records(workspace), written)
        if fmt.folder and out.exists():
            out.rmdir()  # empty, checked above
        os.replace(written, out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return report
