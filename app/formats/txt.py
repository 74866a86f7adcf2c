"""Plain text articles: one document per file, the first line is the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.core.text import MAX_DOCUMENT_BYTES, decode_article, first_line_title
from app.formats.report import ReadReport


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the one document of a ``.txt`` file, or raise ``InputError``."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise InputError(
                f"file is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,} bytes",
                source=str(path),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from None
    text = decode_article(data, str(path))
    yield DocumentRecord(
        id=path.stem,
        text=text,
        meta={"title": first_line_title(text), "file": path.name},
        source=str(path),
    )
