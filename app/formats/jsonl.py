"""Glossa native JSON lines: one document per line with its spans and relations.

``{"id", "text", "meta": {"title", ...}, "spans": [{"id", "start", "end", "label", "text",
"annotator", "attributes", "entity", "fragments"}], "relations": [{"id", "head", "tail",
"label"}]}``

A discontinuous span (a quote broken by "he said") has ``"fragments": [[start, end], ...]``,
two or more pieces in order with gaps between them; its ``start``/``end`` and ``text`` stay
the covering range, so that a reader that knows no fragments still reads the span.

A span's optional ``"entity"`` names a cross-document entity by its id in the entity table,
``NAME.entities.jsonl`` beside ``NAME.jsonl`` (``entities.jsonl`` in a folder): one entity
per line, ``{"id", "name", "type", "aliases": [...], "external_id"}``. Importing ``NAME.jsonl``
reads that table when it is there and links the spans again (see
``app.formats.jsonl_entities``).

Offsets count Unicode code points of ``text`` (Python string indices). Writing a line: see
``app.formats.jsonl_writing``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from operator import attrgetter
from pathlib import Path
from typing import IO, Any

from app.core.annotations import check_fragments, check_span
from app.core.errors import InputError, SpanError
from app.core.limits import refuse_constant, unreadable_json
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.text import MAX_DOCUMENT_BYTES, NewlineShift, canonical_text
from app.formats.jsonl_entities import (
    ENTITY_TABLE_SUFFIX,
    entity_table_path,
    is_entity_table,
    read_entities,
    write_entities,
)
from app.formats.jsonl_plain import plain_span
from app.formats.jsonl_writing import document_line, line_pieces, to_json
from app.formats.opening import lines, open_file
from app.formats.report import ExportReport, ReadReport

FORMAT_NAME = "jsonl"
OFFSET_UNIT = "unicode code points"
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest JSONL file we import (2 GiB); each line is still held to the article limit."""

__all__ = [
    "ENTITY_TABLE_SUFFIX",
    "entity_table_path",
    "export",
    "is_entity_table",
    "parse_line",
    "read",
    "read_entities",
    "to_json",
    "write",
    "write_entities",
]

_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
"""A ``\\uD800``-style escape: the only way a lone surrogate gets into parsed JSON."""


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield each document of a JSONL file, raising ``InputError`` at the first bad line."""
    source = str(path)
    with open_file(path, MAX_FILE_BYTES) as handle:
        seen_any = False
        for number, raw in lines(handle, MAX_DOCUMENT_BYTES, source):
            if not raw.strip():
                continue
            seen_any = True
            yield parse_line(raw, source, number, report)
        if not seen_any:
            raise InputError("the file holds no documents", source=source)


_KNOWN = {
    "": frozenset({"id", "text", "meta", "spans", "relations"}),
    "span": frozenset(
        {
            "id",
            "start",
            "end",
            "label",
            "text",
            "annotator",
            "origin",
            "attributes",
            "entity",
            "fragments",
        }
    ),
    "relation": frozenset({"id", "head", "tail", "label", "annotator"}),
}
"""The keys a native line, span and relation may hold; others are counted as unknown."""


def _count_unknown(data: dict[str, Any], report: ReadReport, line: int) -> None:
    """Note every key of the line, its spans and relations that the format does not know."""
    for key in sorted(data.keys() - _KNOWN[""]):
        report.unknown_key(key, line=line)
    for where, items in (("span", data.get("spans")), ("relation", data.get("relations"))):
        if isinstance(items, list):
            known = _KNOWN[where]
            for index, item in enumerate(items):
                if type(item) is not dict or item.keys() <= known:
                    continue  # nearly every item: no set built
                for key in sorted(item.keys() - known):
                    report.unknown_key(key, where, line, f"{where}s[{index}]")


def parse_line(
    raw: bytes, source: str, line: int, report: ReadReport | None = None
) -> DocumentRecord:
    """Parse and check one JSONL line; keys it does not know are counted in ``report``."""

    def fail(message: str) -> InputError:
        return InputError(message, source=source, line=line)

    if len(raw) > MAX_DOCUMENT_BYTES:
        raise fail(f"line is {len(raw):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,} bytes")
    try:
        data = json.loads(
            raw.decode("utf-8-sig" if line == 1 else "utf-8"), parse_constant=refuse_constant
        )
    except UnicodeDecodeError as exc:
        raise fail(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    except json.JSONDecodeError as exc:
        raise fail(f"not JSON: {exc.msg} at column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
        raise fail(f"not JSON Glossa can read: {unreadable_json(exc)}") from None
    if not isinstance(data, dict):
        raise fail("a line must be a JSON object")
    text = data.get("text")
    if not isinstance(text, str):
        raise fail('missing "text" (a string)')
    if report is not None:
        _count_unknown(data, report, line)
    canonical = canonical_text(text, source, line)
    if _ESCAPED_SURROGATE.search(raw):
        where = _lone_surrogate(data, "")
        if where is not None:
            # SQLite and the UTF-8 export cannot hold one: the import or a later export
            # would fail half-way, so refuse the line here.
            raise fail(f"lone surrogate in {where}")
    document_id = _identifier(data.get("id"), "the document id", fail)
    shift = NewlineShift(text) if canonical != text else None
    meta = data.get("meta") or {}
    if not isinstance(meta, dict):
        raise fail('"meta" must be an object')
    spans = tuple(
        _span(_shifted(item, shift, fail, i) if shift else item, canonical, fail, i)
        for i, item in enumerate(_list(data, "spans", fail))
    )
    span_ids: set[str] = set()
    for span in spans:
        if span.id in span_ids:
            raise fail(f"two spans share the id {span.id!r}")
        span_ids.add(span.id)
    relations = tuple(
        _relation(item, span_ids, fail, i) for i, item in enumerate(_list(data, "relations", fail))
    )
    return DocumentRecord(
        id=document_id or "",
        text=canonical,
        meta=meta,
        spans=spans,
        relations=relations,
        source=source,
        line=line,
    )


def _lone_surrogate(value: Any, path: str) -> str | None:
    """Where in a parsed JSON value a string holds a lone surrogate, if anywhere."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "the line"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _lone_surrogate(key, f"a key of {path or 'the line'}") or _lone_surrogate(
                item, f"{path}.{key}" if path else str(key)
            )
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _lone_surrogate(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _shifted(item: Any, shift: NewlineShift, fail: Any, index: int) -> Any:
    """The span with offsets counted in the text after ``\r\n`` became ``\n``."""
    if not isinstance(item, dict) or not isinstance(item.get("start"), int):
        return item
    if not isinstance(item.get("end"), int):
        return item
    start, end = shift.map(item["start"]), shift.map(item["end"])
    if start is None or end is None:
        where = f"span {item.get('id', '#' + str(index + 1))}"
        raise fail(f"{where}: an offset falls between \\r and \\n and cannot be placed")
    moved = dict(item, start=start, end=end)
    pieces = item.get("fragments")
    if isinstance(pieces, list):
        moved["fragments"] = [_shifted_piece(piece, shift) for piece in pieces]
    if isinstance(item.get("text"), str):
        moved["text"] = item["text"].replace("\r\n", "\n").replace("\r", "\n")
    return moved


def _shifted_piece(piece: Any, shift: NewlineShift) -> Any:
    """A fragment ``[start, end]`` counted in the text after ``\r\n`` became ``\n``; left as
    it was when it is not two whole numbers or falls between ``\r`` and ``\n`` (the
    fragment check then names it)."""
    if not isinstance(piece, list) or len(piece) != 2:
        return piece
    if not all(type(value) is int for value in piece):
        return piece
    start, end = shift.map(piece[0]), shift.map(piece[1])
    return piece if start is None or end is None else [start, end]


_JSON_KINDS = ((bool, "true or false"), (float, "a number with a fraction"))


def _identifier(value: Any, what: str, fail: Any) -> str | None:
    """An id as the text Glossa keeps (None when absent); only a string or a whole number
    is one, lest an object or a list be kept as Python's picture of it."""
    if value is None:
        return None
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    kind = next((name for kind, name in _JSON_KINDS if isinstance(value, kind)), None)
    if kind is None:
        kind = "an object" if isinstance(value, dict) else "a list"
    raise fail(f"{what} must be a string or a whole number, not {kind}")


def _list(data: Mapping[str, Any], key: str, fail: Any) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise fail(f'"{key}" must be a list')
    return value


def _span(item: Any, text: str, fail: Any, index: int) -> SpanRecord:
    plain = plain_span(item, text)  # nearly every span of a file: checked in one pass
    if plain is not None:
        return plain
    if not isinstance(item, dict):
        raise fail(f"span #{index + 1} is not an object")
    span_id = _identifier(item.get("id"), f"span #{index + 1}: its id", fail)
    where = f"span {span_id or '#' + str(index + 1)}"
    start, end, label = item.get("start"), item.get("end"), item.get("label")
    if not isinstance(label, str) or not label:
        raise fail(f"{where}: missing label")
    span_text = item.get("text")
    if isinstance(start, bool) or isinstance(end, bool):  # bool is an int to Python, not JSON
        raise fail(f"{where}: offsets must be whole numbers, not true or false")
    try:
        check_span(text, start, end, span_text if isinstance(span_text, str) else None)  # type: ignore[arg-type]
    except SpanError as exc:
        raise fail(f"{where}: {exc}") from None
    attributes = item.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise fail(f"{where}: attributes must be an object")
    entity = _identifier(item.get("entity") or None, f"{where}: the entity id", fail)
    pieces = item.get("fragments") or []
    if not isinstance(pieces, list):
        raise fail(f"{where}: fragments must be a list of [start, end] pairs")
    try:
        fragments = check_fragments(start, end, pieces, name=where)  # type: ignore[arg-type]
    except SpanError as exc:
        raise fail(str(exc)) from None
    return SpanRecord(
        id=span_id or str(index + 1),
        start=start,  # type: ignore[arg-type]
        end=end,  # type: ignore[arg-type]
        label=label,
        text=text[start:end],
        annotator=str(item.get("annotator") or ""),
        origin=str(item.get("origin") or "imported"),
        attributes=attributes,
        entity=entity or "",
        fragments=fragments,
    )


def _relation(item: Any, span_ids: set[str], fail: Any, index: int) -> RelationRecord:
    if not isinstance(item, dict):
        raise fail(f"relation #{index + 1} is not an object")
    relation_id = _identifier(item.get("id"), f"relation #{index + 1}: its id", fail)
    where = f"relation {relation_id or '#' + str(index + 1)}"
    head = str(_identifier(item.get("head"), f"{where}: its head", fail))
    tail = str(_identifier(item.get("tail"), f"{where}: its tail", fail))
    label = item.get("label")
    if not isinstance(label, str) or not label:
        raise fail(f"{where}: missing label")
    for end_name, value in (("head", head), ("tail", tail)):
        if value not in span_ids:
            raise fail(f"{where}: {end_name} {value} is not a span of this document")
    return RelationRecord(
        id=relation_id or str(index + 1),
        head=head,
        tail=tail,
        label=label,
        annotator=str(item.get("annotator") or ""),
    )


_label = attrgetter("label")
_LABELS_COUNTED_AT = 10_000
_WRITTEN_AT = 256 * 1024
"""Bytes of lines gathered before they are written in one call: a file copies each small
write into its 8 KiB buffer and writes that out, where one join copies the lines once
(measured: a sixth off the time to write 10,000 news articles)."""


def export(records: Iterable[DocumentRecord], path: Path) -> ExportReport:
    """Write documents to a ``.jsonl`` file; nothing is left out."""
    report = ExportReport(FORMAT_NAME)
    # labels are counted ten thousand at a time: each Counter.update call costs about as
    # much as counting a document's spans
    labels: list[str] = []
    pieces: list[bytes] = []
    waiting = 0
    with path.open("wb") as out:
        for record in records:
            head, text, tail = line_pieces(record)
            pieces += (head, text, tail)
            waiting += len(text) + len(tail)
            if waiting > _WRITTEN_AT:
                out.write(b"".join(pieces))
                pieces.clear()
                waiting = 0
            report.documents += 1
            labels.extend(map(_label, record.spans))
            if len(labels) > _LABELS_COUNTED_AT:
                report.kept.update(labels)
                labels.clear()
        out.write(b"".join(pieces))
    report.kept.update(labels)
    return report


def write(records: Iterable[DocumentRecord], out: IO[str]) -> int:
    """Write documents one per line; return how many were written."""
    count = 0
    put = out.write
    for record in records:
        put(document_line(record).decode())
        count += 1
    return count
