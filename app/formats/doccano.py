"""doccano JSON lines: every export shape doccano has written, one document per line.

Line shapes read, detected line by line:

- sequence labelling: ``{"text": ..., "label": [[start, end, "LABEL"], ...]}`` (older
  exports say ``"labels"``, and the oldest ones hold the text under ``"data"``);
- relation extraction: ``{"text": ..., "entities": [{"id", "start_offset", "end_offset",
  "label"}], "relations": [{"id", "from_id", "to_id", "type"}]}``;
- intent detection and spaCy-style lines: ``{"text": ..., "entities": [[start, end,
  "LABEL"], ...], "cats": [...]}``;
- doccano 1.0: ``{"text": ..., "annotations": [{"label": 12, "start_offset", "end_offset",
  "user": 1}]}``, where a label is doccano's label id: its name comes from doccano's label
  export beside the file (``labels.json``, ``label_config.json``, ``NAME.labels.json``: a
  list of ``{"id", "text"}``), else the id stands as the label with a warning. ``user``
  becomes the annotator ``user N``. An annotation without offsets is a document class
  (kept in the metadata under ``annotations``).

A file may also hold its records pretty-printed, one object over many lines (as doccano's
documentation shows its relation export), or as one JSON array (doccano's ``.json`` export,
and Label Studio's JSON-MIN export, whose regions name their ``labels``: one span a label);
see ``app.formats.json_values``.

``text_field`` and ``label_field`` name other keys for the text and the span list.

Offsets count Unicode code points of ``text``, as doccano's exports do; a ``\\r\\n`` is
mapped into the canonical text. Some doccano versions counted grapheme clusters (a ``\\r\\n``,
an emoji ZWJ sequence, a flag is one): when the offsets only fit that count (an offset
between ``\\r`` and ``\\n``, a stated span text found only that way, or every span cutting a
cluster by code points and none by clusters, all on word boundaries), the file's offsets are
mapped from clusters and the report says so (spans that cut emoji or words on purpose
could pass for cluster counts: ``read(..., offsets="code points")`` takes them as they are).
``id`` becomes the document id; every other key (``Comments``, ``cats``, a ``label`` list of
document classes, ...) is kept in the metadata.

Writing: see ``app.formats.doccano_writing``. A file is read and checked whole before its
first document is yielded: a broken file yields nothing and raises one ``InputError`` naming
the file and line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.graphemes import cluster_starts
from app.core.limits import refuse_constant, unreadable_json
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.text import MAX_DOCUMENT_BYTES, NewlineShift, canonical_text
from app.formats import json_values
from app.formats.doccano_labels import LABEL_FILES, entity_labels, label_names
from app.formats.doccano_writing import (
    FORMAT_NAME,
    RESERVED_KEYS,
    export,
    export_label_shape,
    to_json,
    write,
)
from app.formats.grapheme_offsets import counts_graphemes
from app.formats.opening import open_file
from app.formats.report import ReadReport

OFFSET_UNIT = "unicode code points"
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest doccano file we import (2 GiB); each line is still held to the article limit."""
_SPAN_KEYS = ("label", "labels", "entities", "annotations")
_ENTITY_KEYS = frozenset(
    {"id", "start_offset", "end_offset", "start", "end", "label", "labels", "text", "user"}
)
_RELATION_KEYS = frozenset({"id", "from_id", "to_id", "type", "label"})
"""The keys of an entity and of a relation object that doccano writes and Glossa reads; others
(a model's ``prob``, a ``created_at``) are counted as unknown and reported, not refused."""
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
Fail = Callable[[str], InputError]

__all__ = ["export", "export_label_shape", "parse_line", "read", "reader", "to_json", "write"]


@dataclass
class _Raw:
    """A span as the line states it: offsets in the raw text, in whichever unit."""

    id: str
    start: int
    end: int
    label: str
    said: str | None = None
    annotator: str = ""


@dataclass
class _Line:
    """One line parsed, its spans not yet placed in the canonical text."""

    number: int
    record_id: str
    raw_text: str
    meta: dict[str, Any]
    spans: list[_Raw] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    label_ids: bool = False
    """True when a label is a doccano label id that no label export named."""
    unknown: list[tuple[str, str, str]] = field(default_factory=list)
    """Keys of span and relation objects that mean nothing here: ``(where, key, record)``."""


def reader(
    text_field: str | None = None, label_field: str | None = None
) -> Callable[[Path, ReadReport | None], Iterator[DocumentRecord]]:
    """``read`` with other keys for the text and the spans."""

    def read_fields(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
        return read(path, report, text_field=text_field, label_field=label_field)

    return read_fields


def read(
    path: Path,
    report: ReadReport | None = None,
    *,
    text_field: str | None = None,
    label_field: str | None = None,
    offsets: str | None = None,
) -> Iterator[DocumentRecord]:
    """Yield the documents of a doccano JSONL file, each line in any doccano shape.

    ``offsets`` is ``"code points"`` or ``"graphemes"`` to say what the offsets count;
    by default the file's spans tell (see the module docstring).

    The whole file is checked before the first document is yielded; the first bad line
    raises ``InputError`` with the file and line.
    """
    report = report if report is not None else ReadReport(FORMAT_NAME)
    source = str(path)
    names = label_names(path)
    lines: list[_Line] = []
    with open_file(path, MAX_FILE_BYTES) as handle:
        for number, raw in json_values.records_or_lines(
            handle, MAX_DOCUMENT_BYTES, MAX_FILE_BYTES, source
        ):
            if raw.strip():
                parsed = _parse(raw, source, number, names, text_field, label_field)
                for where, key, within in parsed.unknown:
                    report.unknown_key(key, where, number, within)
                lines.append(parsed)
    if not lines:
        raise InputError("the file holds no documents", source=source)
    ids = sorted({s.label for line in lines for s in line.spans if s.label.isdigit()})
    if ids and any(line.label_ids for line in lines):
        report.warn(
            f"labels are doccano label ids ({', '.join(ids[:5])}{', ...' if len(ids) > 5 else ''})"
            f"; put doccano's label export beside the file as {LABEL_FILES[0]} to name them",
            source,
        )
    graphemes = offsets == "graphemes" or (
        offsets is None
        and counts_graphemes(
            (line.number, line.raw_text, [(s.start, s.end, s.said) for s in line.spans])
            for line in lines
        )
    )
    if graphemes and offsets is None:
        count = sum(len(line.spans) for line in lines)
        report.warn(
            "offsets count grapheme clusters (a \\r\\n or an emoji sequence as one "
            f"character), not code points: {count} span(s) mapped",
            source,
        )
    records = [_record(line, source, graphemes) for line in lines]
    for record in records:
        report.documents += 1
        yield record


def parse_line(raw: bytes, source: str, line: int) -> DocumentRecord:
    """Parse and check one line in any doccano shape (offsets in code points)."""
    return _record(_parse(raw, source, line, None, None, None), source, graphemes=False)


def _parse(
    raw: bytes,
    source: str,
    line: int,
    names: dict[str, str] | None,
    text_field: str | None,
    label_field: str | None,
) -> _Line:
    def fail(message: str) -> InputError:
        return InputError(message, source=source, line=line)

    if len(raw) > MAX_DOCUMENT_BYTES:
        raise fail(f"line is {len(raw):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,} bytes")
    data = _json_object(raw, line, fail)
    text_key = text_field or ("text" if "text" in data or "data" not in data else "data")
    text = data.get(text_key)
    if not isinstance(text, str):
        raise fail(f'missing "{text_key}" (a string)')
    canonical_text(text, source, line)  # refuses what no document may hold
    span_keys = (label_field,) if label_field else _SPAN_KEYS
    meta = {
        k: v
        for k, v in data.items()
        if k != text_key and k not in span_keys and k not in RESERVED_KEYS
    }
    record_id = data.get("id")
    if isinstance(record_id, (dict, list)):
        raise fail('"id" must be a string or a number')
    parsed = _Line(line, "" if record_id is None else str(record_id), text, meta)
    for key in span_keys:
        if key in data:
            _spans_of(data, key, parsed, names, fail)
    if "entities" in data or "relations" in data:
        parsed.relations = _relations(data, parsed, fail)
    return parsed


def _json_object(raw: bytes, line: int, fail: Fail) -> dict[str, Any]:
    """The JSON object of a line, refusing bad UTF-8, bad JSON and lone surrogates."""
    try:
        data = json.loads(
            raw.decode("utf-8-sig" if line == 1 else "utf-8"), parse_constant=refuse_constant
        )
    except UnicodeDecodeError as exc:
        raise fail(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    except json.JSONDecodeError as exc:
        raise fail(f"not JSON: {exc.msg} (column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
        raise fail(f"not JSON Glossa can read: {unreadable_json(exc)}") from None
    if not isinstance(data, dict):
        raise fail("a line must be a JSON object")
    if _ESCAPED_SURROGATE.search(raw):
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise fail("a string holds a lone surrogate (an unpaired \\ud800-\\udfff)") from None
        except RecursionError:
            raise fail("the line is nested too deeply") from None
    return data


def _offset(value: Any, what: str, fail: Fail) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(f"{what} must be a whole number, found {value!r:.40}")
    return value


def _id(value: Any, what: str, fail: Fail) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise fail(f"{what} must be a string or a whole number, found {value!r:.40}")
    return str(value)


def _label(value: Any, where: str, names: dict[str, str] | None, line: _Line, fail: Fail) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        if names is not None and str(value) in names:
            return names[str(value)]
        line.label_ids = True
        return str(value)
    if not isinstance(value, str) or not value:
        raise fail(f"{where}: missing label")
    return value


def _spans_of(
    data: dict[str, Any], key: str, line: _Line, names: dict[str, str] | None, fail: Fail
) -> None:
    """Add the spans under ``key``: ``[start, end, label]`` triples or offset objects."""
    items = data[key]
    if items is None:
        return
    if not isinstance(items, list):
        raise fail(f'"{key}" must be a list')
    if items and all(isinstance(item, (str, int)) for item in items):
        line.meta[key] = items  # text classification: document classes, not spans
        return
    seen = {span.id for span in line.spans}
    for index, item in enumerate(items):
        if isinstance(item, list):
            if len(item) not in (3, 4):
                raise fail(f"{key}[{index}] must be [start, end, label]")
            span_id = str(len(line.spans) + 1)
            start = _offset(item[0], f"span {span_id}: start", fail)
            end = _offset(item[1], f"span {span_id}: end", fail)
            label = _label(item[2], f"span {span_id}", names, line, fail)
            said = item[3] if len(item) == 4 and isinstance(item[3], str) else None
            line.spans.append(_Raw(span_id, start, end, label, said))
            continue
        if not isinstance(item, dict):
            raise fail(f"{key}[{index}] is not an object")
        if "start_offset" not in item and "start" not in item:
            line.meta.setdefault(key, []).append(item)  # a document class, by someone
            continue
        span_id = _id(item.get("id", len(line.spans) + 1), f"{key}[{index}].id", fail)
        if span_id in seen:
            raise fail(f"two entities share the id {span_id!r}")
        seen.add(span_id)
        start_key, end_key = (
            ("start_offset", "end_offset")
            if "start_offset" in item
            else (
                "start",
                "end",
            )
        )
        start = _offset(item.get(start_key), f"entity {span_id}: {start_key}", fail)
        end = _offset(item.get(end_key), f"entity {span_id}: {end_key}", fail)
        for unknown in sorted(item.keys() - _ENTITY_KEYS):
            line.unknown.append(("entity", unknown, f"{key}[{index}]"))
        said = item.get("text") if isinstance(item.get("text"), str) else None
        user = item.get("user")
        annotator = f"user {user}" if isinstance(user, int) else str(user or "")
        for number, value in enumerate(entity_labels(item)):
            label = _label(value, f"entity {span_id}", names, line, fail)
            one_id = f"{span_id}.{number + 1}" if number else span_id
            line.spans.append(_Raw(one_id, start, end, label, said, annotator))


def _relations(data: dict[str, Any], line: _Line, fail: Fail) -> list[RelationRecord]:
    value = data.get("relations")
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail('"relations" must be a list')
    known = {span.id for span in line.spans}
    relations: dict[str, RelationRecord] = {}
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise fail(f"relations[{index}] is not an object")
        relation_id = _id(item.get("id", index + 1), f"relations[{index}].id", fail)
        if relation_id in relations:
            raise fail(f"two relations share the id {relation_id!r}")
        where = f"relation {relation_id}"
        for unknown in sorted(item.keys() - _RELATION_KEYS):
            line.unknown.append(("relation", unknown, f"relations[{index}]"))
        label = item.get("type", item.get("label"))
        if not isinstance(label, str) or not label:
            raise fail(f'{where}: missing "type"')
        ends = []
        for key in ("from_id", "to_id"):
            target = _id(item.get(key), f"{where}: {key}", fail)
            if target not in known:
                raise fail(f"{where}: {key} {target} is not an entity of this line")
            ends.append(target)
        relations[relation_id] = RelationRecord(relation_id, ends[0], ends[1], label)
    return list(relations.values())


def _record(line: _Line, source: str, graphemes: bool) -> DocumentRecord:
    def fail(message: str) -> InputError:
        return InputError(message, source=source, line=line.number)

    raw_text = line.raw_text
    text = canonical_text(raw_text, source, line.number)
    shift = NewlineShift(raw_text) if text != raw_text else None
    starts = cluster_starts(raw_text) if graphemes else []
    spans = []
    for raw in line.spans:
        where = f"span {raw.id}"
        start, end = raw.start, raw.end
        limit = len(starts) - 1 if graphemes else len(raw_text)
        if not 0 <= start < end <= limit:
            raise fail(f"{where}: [{start}, {end}) is outside the text (length {limit})")
        if graphemes:
            start, end = starts[start], starts[end]
        if shift is not None:
            mapped_start, mapped_end = shift.map(start), shift.map(end)
            if mapped_start is None or mapped_end is None:
                raise fail(f"{where}: an offset falls between \\r and \\n and cannot be placed")
            start, end = mapped_start, mapped_end
        spans.append(
            SpanRecord(raw.id, start, end, raw.label, text[start:end], annotator=raw.annotator)
        )
    return DocumentRecord(
        id=line.record_id,
        text=text,
        meta=line.meta,
        spans=tuple(spans),
        relations=tuple(line.relations),
        source=source,
        line=line.number,
    )
