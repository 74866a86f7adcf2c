"""Checks on a ``.spacy`` file before and while spaCy reads it.

A ``DocBin`` file is zlib-compressed msgpack: a few arrays of token attributes, their
lengths, the strings they name, and per document its categories, span groups and user data.
spaCy trusts all of it: a missing key, arrays of unequal lengths or an unknown string end in
``KeyError``, ``IndexError``, ``ValueError`` or ``TypeError`` deep inside it, and a small
file may inflate to gigabytes. Here the inflated size is bounded before anything is kept,
the layout is checked before spaCy sees it, and whatever spaCy still raises while building a
document is reported as an ``InputError`` naming the file and the document.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.text import MAX_DOCUMENT_BYTES
from app.formats.opening import read_file

MAX_INFLATED_BYTES = 16 * MAX_DOCUMENT_BYTES
"""Largest inflated ``DocBin`` read (320 MiB). spaCy keeps 8 bytes per token attribute
(13 of them by default), about 17 times the text for news prose: this admits a file of
roughly ``MAX_DOCUMENT_BYTES`` of text, the limit of every other format."""

_CHUNK = 1024 * 1024
_ORTH = 65
"""``spacy.attrs.ORTH``: the column of each token's text, which every DocBin holds."""
_ARRAYS = ("tokens", "spaces", "lengths")


def load(path: Path) -> Any:
    """The ``DocBin`` of ``path``, or ``InputError`` naming the file.

    The file is inflated twice without keeping the result (once to measure, once to check
    its layout) before spaCy inflates it for itself: a bomb costs time, never memory.
    """
    from spacy.tokens import DocBin

    source = str(path)
    data = read_file(path, MAX_INFLATED_BYTES)
    inflated_size(data, source)
    check_layout(data, source)
    try:
        return DocBin().from_bytes(data)
    except Exception as exc:  # anything spaCy raises here is about the file's bytes
        raise _fail(f"not a spaCy DocBin file ({_reason(exc)})", source) from None


def inflated_size(data: bytes, source: str, limit: int | None = None) -> int:
    """The size of ``data`` once inflated, measured a chunk at a time; refused past ``limit``
    (``MAX_INFLATED_BYTES`` when not given)."""
    limit = MAX_INFLATED_BYTES if limit is None else limit
    inflater = zlib.decompressobj()
    size = 0
    try:
        chunk = inflater.decompress(data, _CHUNK)
        while True:
            size += len(chunk)
            if size > limit:
                raise _fail(
                    f"inflates to more than {limit:,} bytes (from {len(data):,}); "
                    "refused as a decompression bomb or a file too large to import",
                    source,
                )
            if inflater.eof or not (chunk or inflater.unconsumed_tail):
                break
            chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
    except zlib.error as exc:
        raise _fail(f"not a spaCy DocBin file (not zlib data: {exc})", source) from None
    if not inflater.eof:
        raise _fail("not a spaCy DocBin file (the compressed data is cut short)", source)
    return size


def check_layout(data: bytes, source: str) -> None:
    """Refuse a ``DocBin`` whose parts are missing, of the wrong kind, or disagree in size.

    ``data`` must already be known to inflate within bounds (``inflated_size``).
    """
    import srsly

    try:
        message = srsly.msgpack_loads(zlib.decompress(data))
    except Exception as exc:  # msgpack raises several types for bytes that are not msgpack
        raise _fail(f"not a spaCy DocBin file ({_reason(exc)})", source) from None
    if not isinstance(message, dict):
        raise _fail("not a spaCy DocBin file (no table of contents)", source)
    missing = [key for key in ("attrs", *_ARRAYS, "strings", "cats") if key not in message]
    if missing:
        raise _fail(f"not a spaCy DocBin file (missing {', '.join(missing)})", source)
    attrs, strings = message["attrs"], message["strings"]
    if not isinstance(attrs, list) or not all(type(a) is int for a in attrs) or _ORTH not in attrs:
        raise _fail("malformed DocBin: 'attrs' must list token attributes, ORTH among them", source)
    if not isinstance(strings, list) or not all(isinstance(s, str) for s in strings):
        raise _fail("malformed DocBin: 'strings' must be a list of strings", source)
    for key in _ARRAYS:
        if not isinstance(message[key], bytes):
            raise _fail(f"malformed DocBin: {key!r} must be bytes", source)
    if len(message["lengths"]) % 4:
        raise _fail("malformed DocBin: 'lengths' is not an array of 32-bit counts", source)
    lengths = memoryview(message["lengths"]).cast("i")
    if any(length < 0 for length in lengths):
        raise _fail("malformed DocBin: a document has a negative token count", source)
    tokens, documents = sum(lengths), len(lengths)
    if len(message["tokens"]) != tokens * len(attrs) * 8:
        raise _fail(
            f"malformed DocBin: 'tokens' holds {len(message['tokens']):,} bytes where "
            f"{tokens:,} token(s) of {len(attrs)} attribute(s) take {tokens * len(attrs) * 8:,}",
            source,
        )
    if len(message["spaces"]) != tokens:
        raise _fail(
            f"malformed DocBin: 'spaces' has {len(message['spaces']):,} entries "
            f"for {tokens:,} token(s)",
            source,
        )
    for key, kind in (("cats", dict), ("span_groups", bytes), ("flags", dict)):
        values = message.get(key, [kind()] * documents)
        if not isinstance(values, list) or len(values) != documents:
            raise _fail(f"malformed DocBin: {key!r} must list one entry per document", source)
        if not all(isinstance(value, kind) for value in values):
            raise _fail(f"malformed DocBin: an entry of {key!r} is not {kind.__name__}", source)
    user_data = message.get("user_data", [])
    if not isinstance(user_data, list) or not all(
        value is None or isinstance(value, bytes) for value in user_data
    ):
        raise _fail("malformed DocBin: 'user_data' must list bytes per document", source)


def documents(doc_bin: Any, vocab: Any, source: str) -> Iterator[tuple[int, Any]]:
    """``(number, Doc)`` for each document, from 1; ``InputError`` names the one spaCy fails on."""
    docs = doc_bin.get_docs(vocab)
    number = 0
    while True:
        number += 1
        try:
            doc = next(docs)
        except StopIteration:
            return
        except Exception as exc:  # spaCy's own errors on data it trusted: the file is at fault
            raise _fail(f"document {number} is malformed ({_reason(exc)})", source) from None
        yield number, doc


def _reason(exc: BaseException) -> str:
    """The first line of an error, shortened: spaCy's messages run to paragraphs."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 120 else text[:119] + "…"


def _fail(message: str, source: str) -> InputError:
    return InputError(message, source=source)
