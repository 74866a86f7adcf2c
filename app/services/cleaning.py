"""The clean-up of scraped articles at import (``app.core.cleanup``), on file records.

The canonical text of a cleaned document is the cleaned text; the text as read is kept in
the document's metadata under ``original_text``, so nothing of the file is lost.
"""

from __future__ import annotations

from pathlib import Path

from app.core.cleanup import Cleanup, clean_article
from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.formats import ReadReport, format_for

CLEANABLE = frozenset({"txt", "html"})
"""Formats whose articles come scraped: plain text, and the text a saved page holds."""


def cleaned(record: DocumentRecord) -> DocumentRecord:
    """The record with its text cleaned, the metadata found added and the original kept.

    Metadata the file itself gave (a page's own tags) wins over what the clean-up read.
    """
    found = clean_article(record.text)
    if not found.text.strip():
        raise InputError(
            "the clean-up left no article text; import the file without --clean",
            source=record.source,
        )
    meta = {**found.meta, **{k: v for k, v in record.meta.items() if v not in ("", None)}}
    from_page = "extractor" in record.meta  # a page's title comes from its tags
    meta["title"] = (record.title if from_page else "") or found.title or record.title
    if found.changed:
        meta["original_text"] = record.text
        meta["cleanup"] = [f"lines {c.first}-{c.last}: {c.reason}" for c in found.changes]
    return DocumentRecord(
        record.id, found.text, meta, record.spans, record.relations, record.source, record.line
    )


def preview(path: Path) -> list[tuple[DocumentRecord, Cleanup]]:
    """Each article of a ``.txt`` or ``.html`` file with what the clean-up would do to it."""
    fmt = format_for(path)
    if fmt is None or fmt.read is None or fmt.name not in CLEANABLE:
        raise InputError("the clean-up reads .txt and .html files", source=str(path))
    records: list[DocumentRecord] = list(fmt.read(path, ReadReport(fmt.name)))
    return [(record, clean_article(record.text)) for record in records]
