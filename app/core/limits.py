"""What an imported document may hold: one check at the door, the same for every backend.

SQLite stores almost anything; PostgreSQL refuses a NUL character in text and a string
longer than its column, and nothing downstream (export, ``check``, the window) copes with
JSON nested hundreds of levels deep or with ``NaN``. Every record an importer reads passes
through ``check_record`` before it reaches the store, so a file is refused whole, with its
line and the field at fault, before anything is written, on either backend.

The column sizes mirror ``String(N)`` in ``app.store.orm`` (a test keeps them in step).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from itertools import repeat
from typing import Any, NoReturn

from app.core.errors import InputError
from app.core.records import DocumentRecord, EntityRecord

MAX_TITLE = 500
"""``documents.title``."""
MAX_EXTERNAL_ID = 200
"""``documents.external_id`` and ``entities.external_id``: the id a file gives."""
MAX_LABEL = 100
"""``spans.label``, ``relations.label`` and ``entities.type``."""
MAX_ANNOTATOR = 200
"""``annotators.name``."""
MAX_ENTITY_NAME = 500
"""``entities.name``."""

MAX_NESTING = 32
"""Deepest JSON nesting in ``meta`` or span attributes; a news article's meta is flat."""
MAX_META_BYTES = 1024 * 1024
"""Largest ``meta`` (or span ``attributes``) of one document, as UTF-8 JSON: 1 MiB."""


_SURROGATE = re.compile("[\ud800-\udfff]")
_FLAT_ITEMS = 16
_FLAT_CHARACTERS = 4096
"""A flat object of so many items of so many characters is far below ``MAX_META_BYTES``."""
_WHOLE = frozenset({int})
_FEW_DIGITS = 10**12
_MOST_NUMBERS = MAX_META_BYTES // 128
"""Whole numbers of a few digits, in lists of lists, that a flat object may hold besides its
strings and stay below ``MAX_META_BYTES``: each takes at most 15 bytes with its comma and
brackets, and the strings at most 6 bytes a character (``\\u0001``)."""
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
"""One encoder for every quick look: ``json.dumps`` with options builds one per call."""


def refuse_constant(name: str) -> NoReturn:
    """``json.loads(parse_constant=...)``: refuse ``NaN``, ``Infinity`` and ``-Infinity``.

    They are not JSON; Python reads them by default and writes them back as invalid JSON.
    Raises ``ValueError``, which the readers report with the line.
    """
    raise ValueError(f"{name} is not a JSON number")


def unreadable_json(exc: ValueError | RecursionError) -> str:
    """Why ``json.loads`` gave up, for a message: a constant refused, a number too long, or
    nesting deeper than Python recurses. How deep that is depends on the caller's stack, so
    the message gives the limit the door sets, which such a file is past anyway."""
    if isinstance(exc, RecursionError):
        return f"nested too deeply (the limit is {MAX_NESTING} levels)"
    return str(exc)[:80]


def check_record(record: DocumentRecord) -> None:
    """Raise ``InputError`` (file, line and field) unless the store can hold ``record``.

    A quick look at the whole record first: only a record it finds suspect is checked
    field by field, to name the field at fault (an import checks thousands of spans).
    """
    if _looks_fine(record):
        return
    where = _Where(record.source, record.line)
    where.text("text", record.text)
    where.sized("id", record.id, MAX_EXTERNAL_ID)
    where.sized("title", record.title, MAX_TITLE)
    where.json("meta", record.meta)
    for span in record.spans:
        name = f"span {span.id[:40]!r}"
        where.text(f"{name} id", span.id)
        where.sized(f"{name} label", span.label, MAX_LABEL)
        where.sized(f"{name} annotator", span.annotator, MAX_ANNOTATOR)
        where.text(f"{name} origin", span.origin)
        where.text(f"{name} entity", span.entity)
        where.json(f"{name} attributes", span.attributes)
    for relation in record.relations:
        name = f"relation {relation.id[:40]!r}"
        where.text(f"{name} id", relation.id)
        where.sized(f"{name} label", relation.label, MAX_LABEL)
        where.sized(f"{name} annotator", relation.annotator, MAX_ANNOTATOR)


def _looks_fine(record: DocumentRecord) -> bool:
    """True when ``record`` surely passes; False when some field needs a closer look."""
    try:
        strings = [record.id, record.title]
        for span in record.spans:
            if len(span.label) > MAX_LABEL or len(span.annotator) > MAX_ANNOTATOR:
                return False
            strings += (span.id, span.label, span.annotator, span.origin, span.entity)
            if span.attributes and not _json_looks_fine(span.attributes):
                return False
        for relation in record.relations:
            if len(relation.label) > MAX_LABEL or len(relation.annotator) > MAX_ANNOTATOR:
                return False
            strings += (relation.id, relation.label, relation.annotator)
        return (
            len(record.id) <= MAX_EXTERNAL_ID
            and len(record.title) <= MAX_TITLE
            and _storable(record.text)  # not joined to the rest: it may be 20 MiB
            and _storable("".join(strings))
            and _json_looks_fine(record.meta)
        )
    except TypeError:  # a field that is not a string
        return False


def _json_looks_fine(value: Any) -> bool:
    """True when ``value`` is surely JSON the store holds: one encoding tells NaN, infinity,
    NUL (``\\u0000`` once encoded), size, and whether it has brackets enough to nest deep.

    A small flat object (most span attributes) is looked at directly: quicker than encoding.
    """
    if type(value) is dict and len(value) <= _FLAT_ITEMS:
        numbers = 0
        for key, item in value.items():
            kind = type(item)
            if kind is str:
                if len(item) > _FLAT_CHARACTERS or not _storable(item):
                    break
            elif kind is float:
                if not math.isfinite(item):
                    return False
            elif kind is list:
                numbers += _number_rows(item)
                if numbers > _MOST_NUMBERS:
                    break
            elif kind is not int and kind is not bool and item is not None:
                break  # nested, or not JSON: encode it
            if type(key) is not str or len(key) > _FLAT_CHARACTERS or not _storable(key):
                break
        else:
            return True
    try:
        encoded = _ENCODER.encode(value)
    except (ValueError, TypeError, RecursionError):
        return False
    return (
        "\\u0000" not in encoded
        and _storable(encoded)
        and len(encoded) * 4 <= MAX_META_BYTES  # UTF-8 takes at most 4 bytes a character
        # brackets enough to nest too deep: how deep they do nest (a CoNLL document keeps a
        # list per sentence, hundreds of brackets two levels deep)
        and (
            encoded.count("{") + encoded.count("[") <= MAX_NESTING
            or _nested_within(value, MAX_NESTING)
        )
    )


_CONTAINERS = (dict, list, tuple)


def _nested_within(value: Any, levels: int) -> bool:
    """True when no container in ``value`` lies ``levels`` or more levels deep (the value
    itself at level 0), as ``_walk`` counts; a list of scalars is passed over whole."""
    stack: list[tuple[Any, int]] = [(value, 0)] if isinstance(value, _CONTAINERS) else []
    while stack:
        item, depth = stack.pop()
        if depth >= levels:
            return False
        children = item.values() if isinstance(item, dict) else item
        if not any(map(isinstance, children, repeat(_CONTAINERS))):
            continue
        stack.extend((child, depth + 1) for child in children if isinstance(child, _CONTAINERS))
    return True


def _number_rows(value: list[Any]) -> int:
    """How many numbers ``value`` holds when it is a list of lists of whole numbers of a few
    digits (a CoNLL file's token lengths, say), else more than ``_MOST_NUMBERS``."""
    count = 0
    for row in value:
        if type(row) is not list or not _WHOLE.issuperset(map(type, row)):
            return _MOST_NUMBERS + 1
        if row and not (min(row) > -_FEW_DIGITS and max(row) < _FEW_DIGITS):
            return _MOST_NUMBERS + 1
        count += len(row) + 1
    return count


def _storable(value: str) -> bool:
    """No NUL and no lone surrogate (which has no UTF-8): a quick look, no message."""
    if "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")  # far quicker than a regular expression over the text
    except UnicodeEncodeError:
        return False
    return True


def check_entity(entity: EntityRecord, source: str, line: int | None = None) -> None:
    """Raise ``InputError`` unless the store can hold ``entity`` (of the table ``source``)."""
    where = _Where(source, line)
    name = f"entity {entity.id[:40]!r}"
    where.sized(f"{name} id", entity.id, MAX_EXTERNAL_ID)
    where.sized(f"{name} name", entity.name, MAX_ENTITY_NAME)
    where.sized(f"{name} type", entity.type, MAX_LABEL)
    where.sized(f"{name} external id", entity.external_id, MAX_EXTERNAL_ID)
    where.json(f"{name} aliases", list(entity.aliases))


class _Where:
    """Checks of the fields of one record, each refusal located at its file and line."""

    def __init__(self, source: str, line: int | None) -> None:
        self.source = source
        self.line = line

    def fail(self, field: str, message: str) -> NoReturn:
        if len(field) > 80:  # a path down a deep structure: its two ends say enough
            field = f"{field[:40]}…{field[-30:]}"
        raise InputError(f"{field}: {message}", source=self.source, line=self.line)

    def text(self, field: str, value: str) -> None:
        if not isinstance(value, str):
            self.fail(field, f"must be a string, not {type(value).__name__}")
        nul = value.find("\x00")
        if nul >= 0:
            self.fail(field, f"holds a NUL character (U+0000) at character {nul}")
        lone = _SURROGATE.search(value)
        if lone is not None:  # no UTF-8 for it: PostgreSQL refuses it, SQLite mangles it
            self.fail(
                field,
                f"holds a lone surrogate U+{ord(lone.group()):04X} at character {lone.start()}",
            )

    def sized(self, field: str, value: str, limit: int) -> None:
        self.text(field, value)
        if len(value) > limit:
            self.fail(field, f"{len(value):,} characters; the limit is {limit:,}")

    def json(self, field: str, value: Any) -> None:
        for path, item in _walk(value, field, self):
            if isinstance(item, str):
                self.text(path, item)
            elif isinstance(item, float) and not math.isfinite(item):
                self.fail(path, f"{item} is not a JSON number (only finite numbers are)")
            elif item is not None and not isinstance(item, bool | int | float):
                self.fail(path, f"{type(item).__name__} is not a JSON value")
        size = len(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        if size > MAX_META_BYTES:
            self.fail(field, f"{size:,} bytes of JSON; the limit is {MAX_META_BYTES:,} bytes")


def _walk(value: Any, field: str, where: _Where) -> Iterator[tuple[str, Any]]:
    """Every scalar and key under ``value`` with its path; refuses nesting too deep.

    A loop over a stack, not recursion: the value may be nested deeper than Python recurses.
    """
    stack: list[tuple[str, Any, int]] = [(field, value, 0)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, dict | list | tuple):
            if depth >= MAX_NESTING:
                where.fail(path, f"nested deeper than {MAX_NESTING} levels")
            if isinstance(item, dict):
                for key, child in item.items():
                    if not isinstance(key, str | int | float | bool) and key is not None:
                        where.fail(path, f"key {key!r} is not a string")
                    name = str(key)[:40]  # JSON writes a number, true or null key as a string
                    yield f"{path} key {name!r}", str(key)
                    stack.append((f"{path}.{name}", child, depth + 1))
            else:
                stack.extend((f"{path}[{i}]", child, depth + 1) for i, child in enumerate(item))
        else:
            yield path, item
