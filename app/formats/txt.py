"""Plain text articles: one document per file, the first line is the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from app.core.records import DocumentRecord
from app.core.text import MAX_DOCUMENT_BYTES, decode_article, first_line_title
from app.formats.opening import read_file
from app.formats.report import ReadReport


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the one document of a ``.txt`` file, or raise ``InputError``."""
    data = read_file(path, MAX_DOCUMENT_BYTES)
    text = decode_article(data, str(path))
    yield DocumentRecord(
        id=path.stem,
        text=text,
        meta={"title": first_line_title(text), "file": path.name},
        source=str(path),
    )
