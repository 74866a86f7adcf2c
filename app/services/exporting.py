"""Exporting documents with their annotations."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from app.core.errors import GlossaError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import FORMATS
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


def export(workspace: Workspace, format_name: str, out: Path) -> int:
    """Write every document to ``out`` in a format; return how many were written.

    The file is written beside its target and moved into place at the end, so a failed
    export never leaves half a file.
    """
    fmt = FORMATS.get(format_name)
    if fmt is None or fmt.write is None:
        known = ", ".join(name for name, f in FORMATS.items() if f.write)
        raise GlossaError(f"Glossa cannot export {format_name!r} (it exports: {known})")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            count = fmt.write(document_records(workspace), stream)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
