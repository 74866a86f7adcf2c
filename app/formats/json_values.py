"""The records of a JSON lines file that is laid out otherwise: one JSON object spread over
many lines (pretty-printed, as doccano's own documentation shows its relation export), several
such objects one after another, or a JSON array of records (doccano's ``.json`` export).

``records_or_lines`` yields each record as the bytes of its JSON text with the number of the line it
starts on, so a reader of one record a line reads them as it reads lines and names the line
a bad record starts on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from app.core.errors import InputError
from app.formats.opening import lines

_WHITE_SPACE = " \t\r\n"


def records_or_lines(
    handle: BinaryIO, line_limit: int, file_limit: int, source: str
) -> Iterator[tuple[int, bytes]]:
    """``(line number, record)``: a record a line (each at most ``line_limit`` bytes), or,
    when the first line opens one it leaves open, the records of a pretty-printed file or of
    a JSON array (the file at most ``file_limit`` bytes)."""
    first = True
    for number, raw in lines(handle, line_limit, source):
        if first and raw.strip():
            first = False
            if spread_out(raw):
                handle.seek(0)
                yield from records(handle, file_limit, source)
                return
        yield number, raw


def spread_out(first_line: bytes) -> bool:
    """True when a file whose first non-blank line is ``first_line`` holds no record a line:
    the line opens an array (a record is an object) or an object it leaves open."""
    stripped = first_line.strip().removeprefix(b"\xef\xbb\xbf").strip()
    return stripped == b"{" or stripped.startswith(b"[")


def records(handle: BinaryIO, limit: int, source: str) -> Iterator[tuple[int, bytes]]:
    """``(line number, record)`` of a whole file of JSON values or of one JSON array; the file
    is at most ``limit`` bytes. Text that is no JSON value is refused with its line."""
    raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise InputError(f"the file is more than {limit:,} bytes", source=source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", source=source, line=line
        ) from None
    decoder = json.JSONDecoder()
    position = _skip(text, 0)
    in_array = text.startswith("[", position)
    if in_array:
        position = _skip(text, position + 1)
    while position < len(text):
        if in_array and text.startswith("]", position):
            position = _skip(text, position + 1)
            in_array = False
            continue
        line = text.count("\n", 0, position) + 1
        try:
            _, end = decoder.raw_decode(text, position)
        except (ValueError, RecursionError) as exc:
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else "unreadable"
            raise InputError(f"not JSON: {message}", source=source, line=line) from None
        yield line, text[position:end].encode("utf-8")
        position = _skip(text, end)
        if in_array and text.startswith(",", position):
            position = _skip(text, position + 1)


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in _WHITE_SPACE:
        position += 1
    return position
