"""Reading a CSV table folder: all three tables checked before the first document."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.limits import refuse_constant, unreadable_json
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.text import MAX_DOCUMENT_BYTES, NewlineShift, canonical_text, line_of
from app.formats.csv_tables.tables import (
    DATAPACKAGE,
    DOCUMENT_COLUMNS,
    DOCUMENTS,
    FORMAT_NAME,
    ORIGINS,
    RELATION_COLUMNS,
    RELATIONS,
    SPAN_COLUMNS,
    SPANS,
    is_table_folder,
    restore,
)
from app.formats.opening import open_file, read_file
from app.formats.report import ReadReport

MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest table we import (2 GiB)."""

_WHOLE = re.compile("[0-9]{1,15}")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")

Fail = Callable[[str], InputError]


@dataclass
class _Document:
    line: int
    raw: str
    text: str
    meta: dict[str, Any]
    spans: dict[str, SpanRecord] = field(default_factory=dict)
    relations: dict[str, RelationRecord] = field(default_factory=dict)
    shift: NewlineShift | None = None


def _bad_utf8_line(path: Path) -> tuple[str, int | None]:
    """What is wrong with a file that failed to decode, and on which line."""
    try:
        data = read_file(path, MAX_FILE_BYTES)
    except InputError:  # pragma: no cover - it was readable a moment ago
        return "not valid UTF-8", None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", line_of(data, exc.start)
    return "not valid UTF-8", None


def verbatim_columns(folder: Path) -> frozenset[str]:
    """``table.column`` names whose cells were written without the formula escape.

    An export that lists none in its ``datapackage.json`` escaped every cell (Glossa's
    older exports); so are read tables without a data package, as they always were.
    """
    package = folder / DATAPACKAGE
    if not package.is_file():
        return frozenset()
    try:
        escape = json.loads(package.read_text(encoding="utf-8-sig")).get("formula_escape", {})
    except (OSError, ValueError, AttributeError):
        return frozenset()
    listed = escape.get("verbatim", []) if isinstance(escape, dict) else []
    return frozenset(str(name) for name in listed) if isinstance(listed, list) else frozenset()


def _rows(
    path: Path, columns: tuple[str, ...], report: ReadReport, verbatim: frozenset[str] = frozenset()
) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` for each row of a table, cells restored (see ``restore``) except
    those of the ``verbatim`` columns (``table.column``).

    ``line`` is where the row starts. The header must name every column of ``columns``;
    other columns are ignored with a warning.
    """
    source = str(path)
    handle = io.TextIOWrapper(open_file(path, MAX_FILE_BYTES), encoding="utf-8-sig", newline="")
    with handle:
        reader = csv.reader(handle, strict=True)
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(
                    f"the file is empty; expected the header {','.join(columns)}",
                    source=source,
                    line=1,
                )
            missing = [column for column in columns if column not in header]
            if missing or len(set(header)) != len(header):
                raise InputError(
                    f"the header must name the columns {','.join(columns)} once each; "
                    f"found {','.join(header)[:200]}",
                    source=source,
                    line=1,
                )
            extra = [column for column in header if column not in columns]
            if extra:
                report.warn(f"column(s) {', '.join(extra)} ignored", source, 1)
            where = {column: header.index(column) for column in columns}
            table = path.name.removesuffix(".csv")
            kept = {column for column in columns if f"{table}.{column}" in verbatim}
            line = reader.line_num + 1
            for row in reader:
                start, line = line, reader.line_num + 1
                if not row:
                    continue
                if len(row) != len(header):
                    raise InputError(
                        f"expected {len(header)} cells ({','.join(header)[:200]}), "
                        f"found {len(row)}",
                        source=source,
                        line=start,
                    )
                yield (
                    start,
                    {
                        column: row[i] if column in kept else restore(row[i])
                        for column, i in where.items()
                    },
                )
        except UnicodeDecodeError:
            message, bad_line = _bad_utf8_line(path)
            raise InputError(message, source=source, line=bad_line) from None
        except csv.Error as exc:
            raise InputError(f"not CSV: {exc}", source=source, line=line) from None


def _json_object(cell: str, what: str, fail: Fail) -> dict[str, Any]:
    if not cell:
        return {}
    try:
        value = json.loads(cell, parse_constant=refuse_constant)
        if _ESCAPED_SURROGATE.search(cell):
            json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise fail(f"{what} holds a lone surrogate (an unpaired \\ud800-\\udfff)") from None
    except json.JSONDecodeError as exc:
        raise fail(f"{what} is not JSON: {exc.msg} (column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise fail(f"{what} is not JSON Glossa can read: {unreadable_json(exc)}") from None
    if not isinstance(value, dict):
        raise fail(f"{what} must be a JSON object")
    return value


def _failing(source: str, line: int) -> Fail:
    def fail(message: str) -> InputError:
        return InputError(message, source=source, line=line)

    return fail


def _read_documents(
    path: Path, report: ReadReport, verbatim: frozenset[str]
) -> dict[str, _Document]:
    documents: dict[str, _Document] = {}
    source = str(path)
    for line, row in _rows(path, DOCUMENT_COLUMNS, report, verbatim):
        fail = _failing(source, line)
        doc_id = row["id"]
        if not doc_id:
            raise fail("the document id is empty")
        if doc_id in documents:
            raise fail(f"document id {doc_id!r} is also on line {documents[doc_id].line}")
        raw = row["text"]
        size = len(raw.encode("utf-8", "surrogatepass")) if len(raw) * 4 > MAX_DOCUMENT_BYTES else 0
        if size > MAX_DOCUMENT_BYTES:
            raise fail(f"the text is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,} bytes")
        text = canonical_text(raw, source, line)
        meta = _json_object(row["meta"], "meta", fail)
        if row["title"] != str(meta.get("title", "") or ""):
            meta["title"] = row["title"]  # the title cell was edited
        shift = NewlineShift(raw) if raw != text else None
        documents[doc_id] = _Document(line, raw, text, meta, shift=shift)
    if not documents:
        raise InputError("the file holds no documents", source=source)
    return documents


def _document(documents: dict[str, _Document], row: dict[str, str], fail: Fail) -> _Document:
    document = documents.get(row["document_id"])
    if document is None:
        raise fail(f"document id {row['document_id']!r} is not in {DOCUMENTS}")
    return document


def _whole(cell: str, what: str, fail: Fail) -> int:
    if not _WHOLE.fullmatch(cell):
        raise fail(f"{what} must be a whole number, found {cell[:40]!r}")
    return int(cell)


def _read_spans(
    path: Path, documents: dict[str, _Document], report: ReadReport, verbatim: frozenset[str]
) -> None:
    source = str(path)
    for line, row in _rows(path, SPAN_COLUMNS, report, verbatim):
        fail = _failing(source, line)
        document = _document(documents, row, fail)
        span_id = row["span_id"]
        if not span_id:
            raise fail("the span id is empty")
        if span_id in document.spans:
            raise fail(f"document {row['document_id']!r} has two spans with the id {span_id!r}")
        where = f"span {span_id}"
        start = _whole(row["start"], f"{where}: start", fail)
        end = _whole(row["end"], f"{where}: end", fail)
        if not 0 <= start < end <= len(document.raw):
            raise fail(
                f"{where}: [{start}, {end}) is outside the text (length {len(document.raw)})"
            )
        if document.shift is not None:
            mapped_start, mapped_end = document.shift.map(start), document.shift.map(end)
            if mapped_start is None or mapped_end is None:
                raise fail(f"{where}: an offset falls between \\r and \\n and cannot be placed")
            start, end = mapped_start, mapped_end
        covered = document.text[start:end]
        shown = row["text"].replace("\r\n", "\n").replace("\r", "\n")
        if shown and shown != covered:
            raise fail(
                f"{where}: the text {shown[:60]!r} differs from {covered[:60]!r} at its offsets"
            )
        if not row["label"]:
            raise fail(f"{where}: the label is empty")
        origin = row["origin"] or "imported"
        if origin not in ORIGINS:
            raise fail(f"{where}: origin {origin[:40]!r} is not one of {', '.join(ORIGINS)}")
        document.spans[span_id] = SpanRecord(
            id=span_id,
            start=start,
            end=end,
            label=row["label"],
            text=covered,
            annotator=row["annotator"],
            origin=origin,
            attributes=_json_object(row["attributes"], f"{where}: attributes", fail),
        )


def _read_relations(path: Path, documents: dict[str, _Document], report: ReadReport) -> None:
    source = str(path)
    for line, row in _rows(path, RELATION_COLUMNS, report):
        fail = _failing(source, line)
        document = _document(documents, row, fail)
        relation_id = row["relation_id"]
        if not relation_id:
            raise fail("the relation id is empty")
        if relation_id in document.relations:
            raise fail(
                f"document {row['document_id']!r} has two relations with the id {relation_id!r}"
            )
        where = f"relation {relation_id}"
        for end in ("head", "tail"):
            if row[end] not in document.spans:
                raise fail(
                    f"{where}: {end} {row[end][:40]!r} is not a span of document "
                    f"{row['document_id']!r}"
                )
        if not row["label"]:
            raise fail(f"{where}: the label is empty")
        document.relations[relation_id] = RelationRecord(
            relation_id, row["head"], row["tail"], row["label"], row["annotator"]
        )


def _folder(path: Path) -> Path | None:
    """The table folder to read for ``path``; None for a table read with its folder."""
    if path.is_dir():
        if not (path / DOCUMENTS).is_file():
            raise InputError(f"no {DOCUMENTS} in this folder", source=str(path))
        return path
    if path.name == DOCUMENTS:
        return path.parent
    if path.name in (SPANS, RELATIONS, DATAPACKAGE) and is_table_folder(path.parent):
        return None
    raise InputError(
        f"CSV tables are read as a folder holding {DOCUMENTS}, {SPANS} and {RELATIONS}; "
        f"choose the folder or its {DOCUMENTS}",
        source=str(path),
    )


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the documents of a CSV table folder (``path`` is the folder or its
    ``documents.csv``), checking all three tables before the first document is yielded.
    """
    report = report if report is not None else ReadReport(FORMAT_NAME)
    folder = _folder(path)
    if folder is None:
        return
    # a cell may hold a whole article: lift the csv module's 128 KiB default
    csv.field_size_limit(max(csv.field_size_limit(), 4 * MAX_DOCUMENT_BYTES))
    documents_path = folder / DOCUMENTS
    verbatim = verbatim_columns(folder)
    documents = _read_documents(documents_path, report, verbatim)
    if (folder / SPANS).is_file():
        _read_spans(folder / SPANS, documents, report, verbatim)
    if (folder / RELATIONS).is_file():
        _read_relations(folder / RELATIONS, documents, report)
    for doc_id, document in documents.items():
        report.documents += 1
        yield DocumentRecord(
            id=doc_id,
            text=document.text,
            meta=document.meta,
            spans=tuple(document.spans.values()),
            relations=tuple(document.relations.values()),
            source=str(documents_path),
            line=document.line,
        )
