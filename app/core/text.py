"""Canonical text of a document (DESIGN.md section 3).

The canonical text is fixed at import: UTF-8 decoded, a BOM stripped, ``\\r\\n`` and lone
``\\r`` turned into ``\\n``. Nothing else is rewritten. Spans count code points in it.
"""

from __future__ import annotations

import hashlib
import re

from app.core.errors import InputError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
"""Largest article file we import (20 MiB); a news article is a few kilobytes."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_NEWLINES = re.compile("\r\n?")
_LINE_ENDS = re.compile("\r\n?|\n")
_LINE_ENDS_BYTES = re.compile(b"\r\n?|\n")


def line_of(data: bytes | str, index: int) -> int:
    """Return the 1-based line number of ``index`` in ``data``.

    ``\\r\\n``, a lone ``\\r`` and ``\\n`` each end a line, as they do for the reader.
    """
    if isinstance(data, bytes):
        return len(_LINE_ENDS_BYTES.findall(data, 0, index)) + 1
    return len(_LINE_ENDS.findall(data, 0, index)) + 1


def decode_article(data: bytes, source: str = "") -> str:
    """Decode raw article bytes into canonical text, or raise ``InputError``.

    Rejects empty input, binary data (NUL bytes), invalid UTF-8 and files larger than
    ``MAX_DOCUMENT_BYTES``; each message names the line where the fault is.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"file is {len(data):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,} bytes",
            source=source,
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            "binary data (NUL byte), not a text file", source=source, line=line_of(data, nul)
        )
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            source=source,
            line=line_of(data, exc.start),
        ) from None
    return canonical_text(decoded, source)


def canonical_text(text: str, source: str = "", line: int | None = None) -> str:
    """Return ``text`` with newlines made canonical; reject empty text and lone surrogates."""
    if not text.strip():
        raise InputError("the article is empty", source=source, line=line)
    bad = _SURROGATE.search(text)
    if bad is not None:
        raise InputError(
            f"lone surrogate U+{ord(bad.group()):04X} at character {bad.start()}",
            source=source,
            line=line if line is not None else line_of(text, bad.start()),
        )
    return _NEWLINES.sub("\n", text)


def text_sha256(text: str) -> str:
    """Return the hex SHA-256 of the canonical text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def first_line_title(text: str, limit: int = 120) -> str:
    """Return a title for a document that has none: its first non-empty line, shortened."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return "Untitled"


class NewlineShift:
    """Maps offsets in a text with ``\\r\\n`` to offsets in its canonical form."""

    def __init__(self, text: str) -> None:
        # index of every "\r" that is dropped (the "\r" of each "\r\n")
        self._dropped = [m.start() for m in re.finditer("\r\n", text)]

    def map(self, offset: int) -> int | None:
        """The canonical offset, or None when ``offset`` falls between ``\\r`` and ``\\n``."""
        from bisect import bisect_left

        before = bisect_left(self._dropped, offset)
        if before and self._dropped[before - 1] == offset - 1:
            return None
        return offset - before
