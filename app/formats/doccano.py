"""doccano JSON lines: sequence labelling and relation extraction, one document per line.

Two line shapes are read, detected line by line:

- sequence labelling: ``{"text": ..., "label": [[start, end, "LABEL"], ...]}`` (older
  exports say ``"labels"``, and the oldest ones hold the text under ``"data"``);
- relation extraction: ``{"text": ..., "entities": [{"id", "start_offset", "end_offset",
  "label"}], "relations": [{"id", "from_id", "to_id", "type"}]}``.

Offsets count Unicode code points of ``text`` (Python string indices), as doccano does. A
``\\r\\n`` in the text is mapped into the canonical text; an offset between ``\\r`` and
``\\n`` is refused. ``id`` becomes the document id; every other key (``Comments``, a
``title``, a ``label`` list of document classes, ...) is kept in the document's metadata.

Writing uses the relation-extraction shape, which doccano imports into sequence labelling
projects with relations: ``id``, ``text``, ``entities``, ``relations``, then each metadata key
at the top level. Entity and relation ids are numbered from 1 in each line. doccano holds no
span attributes, annotators or origins, nor relation annotators: the report counts what was
left out. A metadata key that doccano reserves (``text``, ``entities``, ...) is left out with
a warning.

A file is read and checked whole before its first document is yielded: a broken file yields
nothing and raises one ``InputError`` naming the file and line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.text import MAX_DOCUMENT_BYTES, NewlineShift, canonical_text
from app.formats.opening import lines, open_file
from app.formats.report import ExportReport, ReadReport

FORMAT_NAME = "doccano"
OFFSET_UNIT = "unicode code points"
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest doccano file we import (2 GiB); each line is still held to the article limit."""

RESERVED_KEYS = frozenset({"id", "text", "label", "labels", "entities", "relations"})
"""Keys with a meaning in doccano lines; every other key is document metadata."""

_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")

Fail = Callable[[str], InputError]


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the documents of a doccano JSONL file, each line in either doccano shape.

    The whole file is checked before the first document is yielded; the first bad line
    raises ``InputError`` with the file and line.
    """
    report = report if report is not None else ReadReport(FORMAT_NAME)
    source = str(path)
    records: list[DocumentRecord] = []
    with open_file(path, MAX_FILE_BYTES) as handle:
        for number, raw in lines(handle, MAX_DOCUMENT_BYTES, source):
            if raw.strip():
                records.append(parse_line(raw, source, number))
    if not records:
        raise InputError("the file holds no documents", source=source)
    for record in records:
        report.documents += 1
        yield record


def parse_line(raw: bytes, source: str, line: int) -> DocumentRecord:
    """Parse and check one line in either doccano shape."""

    def fail(message: str) -> InputError:
        return InputError(message, source=source, line=line)

    if len(raw) > MAX_DOCUMENT_BYTES:
        raise fail(f"line is {len(raw):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,} bytes")
    data = _json_object(raw, line, fail)
    text_key = "text" if "text" in data or "data" not in data else "data"
    text = data.get(text_key)
    if not isinstance(text, str):
        raise fail('missing "text" (a string)')
    canonical = canonical_text(text, source, line)
    shift = NewlineShift(text) if canonical != text else None
    meta = {k: v for k, v in data.items() if k not in RESERVED_KEYS and k != text_key}
    if "entities" in data:
        spans, relations = _relation_shape(data, text, canonical, shift, fail)
        if "label" in data:
            meta["label"] = data["label"]
        if "labels" in data:
            meta["labels"] = data["labels"]
    else:
        spans, relations = _sequence_shape(data, text, canonical, shift, meta, fail)
    record_id = data.get("id")
    if record_id is None:
        record_id = ""
    if isinstance(record_id, (dict, list)):
        raise fail('"id" must be a string or a number')
    return DocumentRecord(
        id=str(record_id),
        text=canonical,
        meta=meta,
        spans=spans,
        relations=relations,
        source=source,
        line=line,
    )


def _json_object(raw: bytes, line: int, fail: Fail) -> dict[str, Any]:
    """The JSON object of a line, refusing bad UTF-8, bad JSON and lone surrogates."""
    try:
        data = json.loads(raw.decode("utf-8-sig" if line == 1 else "utf-8"))
    except UnicodeDecodeError as exc:
        raise fail(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})") from None
    except json.JSONDecodeError as exc:
        raise fail(f"not JSON: {exc.msg} (column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
        raise fail(f"not JSON Glossa can read: {str(exc)[:80]}") from None
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


def _span(
    span_id: str,
    start: int,
    end: int,
    label: Any,
    raw_text: str,
    text: str,
    shift: NewlineShift | None,
    fail: Fail,
) -> SpanRecord:
    """A span at raw offsets ``[start, end)``, mapped into the canonical text."""
    where = f"span {span_id}"
    if not isinstance(label, str) or not label:
        raise fail(f"{where}: missing label")
    if not 0 <= start < end <= len(raw_text):
        raise fail(f"{where}: [{start}, {end}) is outside the text (length {len(raw_text)})")
    if shift is not None:
        mapped_start, mapped_end = shift.map(start), shift.map(end)
        if mapped_start is None or mapped_end is None:
            raise fail(f"{where}: an offset falls between \\r and \\n and cannot be placed")
        start, end = mapped_start, mapped_end
    return SpanRecord(id=span_id, start=start, end=end, label=label, text=text[start:end])


def _sequence_shape(
    data: Mapping[str, Any],
    raw_text: str,
    text: str,
    shift: NewlineShift | None,
    meta: dict[str, Any],
    fail: Fail,
) -> tuple[tuple[SpanRecord, ...], tuple[RelationRecord, ...]]:
    """Spans of a ``label: [[start, end, LABEL], ...]`` line (document classes go to meta)."""
    spans: list[SpanRecord] = []
    for key in ("label", "labels"):
        if key not in data:
            continue
        items = data[key]
        if not isinstance(items, list):
            raise fail(f'"{key}" must be a list')
        if items and all(isinstance(item, str) for item in items):
            meta[key] = items  # text classification: document classes, not spans
            continue
        for index, item in enumerate(items):
            if not isinstance(item, list) or len(item) != 3:
                raise fail(f"{key}[{index}] must be [start, end, label]")
            span_id = str(len(spans) + 1)
            start = _offset(item[0], f"span {span_id}: start", fail)
            end = _offset(item[1], f"span {span_id}: end", fail)
            spans.append(_span(span_id, start, end, item[2], raw_text, text, shift, fail))
    return tuple(spans), ()


def _list(data: Mapping[str, Any], key: str, fail: Fail) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(f'"{key}" must be a list')
    return value


def _id(value: Any, what: str, fail: Fail) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise fail(f"{what} must be a string or a whole number, found {value!r:.40}")
    return str(value)


def _relation_shape(
    data: Mapping[str, Any], raw_text: str, text: str, shift: NewlineShift | None, fail: Fail
) -> tuple[tuple[SpanRecord, ...], tuple[RelationRecord, ...]]:
    """Spans and relations of an ``entities``/``relations`` line."""
    spans: dict[str, SpanRecord] = {}
    for index, item in enumerate(_list(data, "entities", fail)):
        if not isinstance(item, dict):
            raise fail(f"entities[{index}] is not an object")
        span_id = _id(item.get("id", index + 1), f"entities[{index}].id", fail)
        if span_id in spans:
            raise fail(f"two entities share the id {span_id!r}")
        start = _offset(item.get("start_offset"), f"entity {span_id}: start_offset", fail)
        end = _offset(item.get("end_offset"), f"entity {span_id}: end_offset", fail)
        spans[span_id] = _span(span_id, start, end, item.get("label"), raw_text, text, shift, fail)
    relations: dict[str, RelationRecord] = {}
    for index, item in enumerate(_list(data, "relations", fail)):
        if not isinstance(item, dict):
            raise fail(f"relations[{index}] is not an object")
        relation_id = _id(item.get("id", index + 1), f"relations[{index}].id", fail)
        if relation_id in relations:
            raise fail(f"two relations share the id {relation_id!r}")
        where = f"relation {relation_id}"
        label = item.get("type")
        if not isinstance(label, str) or not label:
            raise fail(f'{where}: missing "type"')
        ends = []
        for key in ("from_id", "to_id"):
            target = _id(item.get(key), f"{where}: {key}", fail)
            if target not in spans:
                raise fail(f"{where}: {key} {target} is not an entity of this line")
            ends.append(target)
        relations[relation_id] = RelationRecord(relation_id, ends[0], ends[1], label)
    return tuple(spans.values()), tuple(relations.values())


# -- writing ------------------------------------------------------------------------------


def to_json(record: DocumentRecord, report: ExportReport) -> dict[str, Any]:
    """The doccano relation-extraction object of one document; notes losses in ``report``."""
    numbers: dict[str, int] = {}
    entities: list[dict[str, Any]] = []
    for span in record.spans:
        numbers[span.id] = len(numbers) + 1
        entities.append(
            {
                "id": numbers[span.id],
                "start_offset": span.start,
                "end_offset": span.end,
                "label": span.label,
            }
        )
        report.keep(span.label)
    relations: list[dict[str, Any]] = []
    for relation in record.relations:
        if relation.head not in numbers or relation.tail not in numbers:
            report.warn(
                f"relation {relation.id} names a span the document lacks; left out", record.id
            )
            continue
        relations.append(
            {
                "id": len(relations) + 1,
                "from_id": numbers[relation.head],
                "to_id": numbers[relation.tail],
                "type": relation.label,
            }
        )
    line: dict[str, Any] = {
        "id": record.id,
        "text": record.text,
        "entities": entities,
        "relations": relations,
    }
    for key, value in record.meta.items():
        if key in RESERVED_KEYS:
            report.warn(f"metadata {key!r} clashes with a doccano key; left out", record.id)
        else:
            line[key] = value
    return line


def write(records: Iterable[DocumentRecord], out: IO[str], report: ExportReport) -> None:
    """Write documents one doccano line each to a text stream, counting them in ``report``."""
    with_attributes = 0
    for record in records:
        out.write(json.dumps(to_json(record, report), ensure_ascii=False))
        out.write("\n")
        report.documents += 1
        with_attributes += sum(1 for span in record.spans if span.attributes)
    if with_attributes:
        report.warn(
            f"doccano holds no span attributes: those of {with_attributes} span(s) left out"
        )


def export(records: Iterable[DocumentRecord], path: Path) -> ExportReport:
    """Write documents to a doccano ``.jsonl`` file (relation-extraction shape, UTF-8).

    Offsets count code points. Span annotators and origins are not written (doccano has no
    place for them); attributes are counted in the report's warnings.
    """
    report = ExportReport(FORMAT_NAME)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        write(records, out, report)
    return report
