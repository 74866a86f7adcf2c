"""Writing documents as CSV tables, rows as documents arrive."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from app.core.records import DocumentRecord
from app.formats.csv_tables.tables import (
    DATAPACKAGE,
    DOCUMENT_COLUMNS,
    DOCUMENTS,
    FORMAT_NAME,
    RELATION_COLUMNS,
    RELATIONS,
    SPAN_COLUMNS,
    SPANS,
    datapackage,
    neutralise,
)
from app.formats.report import ExportReport


def _kept(cell: str) -> str:
    return cell


def _unique(candidate: str, fallback: str, used: set[str]) -> str:
    """``candidate`` if it is a new, non-empty id, else a new id made from it."""
    base = candidate or fallback
    name, number = base, 1
    while name in used:
        number += 1
        name = f"{base}~{number}"
    used.add(name)
    return name


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def export_escaped(records: Iterable[DocumentRecord], folder: Path) -> ExportReport:
    """``export`` with the formula escape on every cell, the texts included (for tables
    opened in a spreadsheet rather than read by a program)."""
    return export(records, folder, escape_all=True)


def export(
    records: Iterable[DocumentRecord], folder: Path, *, escape_all: bool = False
) -> ExportReport:
    """Write ``documents.csv``, ``spans.csv``, ``relations.csv`` and ``datapackage.json``.

    Document texts and span texts are written as they are, so that any reader slices the
    text at a span's offsets and finds the span's text; other cells that a spreadsheet would
    run as a formula get a quote in front. ``escape_all`` escapes the texts too.

    Rows are written as documents arrive. An empty or repeated document id, and a span id
    repeated in a document, are written as a new id with a warning, so that the folder reads
    back; a relation naming a missing span is left out with a warning.
    """
    folder.mkdir(parents=True, exist_ok=True)
    report = ExportReport(FORMAT_NAME)
    used_documents: set[str] = set()
    verbatim = neutralise if escape_all else _kept
    with ExitStack() as stack:
        writers = []
        for name, columns in ((DOCUMENTS, DOCUMENT_COLUMNS), (SPANS, SPAN_COLUMNS),
                              (RELATIONS, RELATION_COLUMNS)):  # fmt: skip
            out = stack.enter_context((folder / name).open("w", encoding="utf-8", newline=""))
            writer = csv.writer(out)
            writer.writerow(columns)
            writers.append(writer)
        documents, spans, relations = writers
        for number, record in enumerate(records, start=1):
            doc_id = _unique(record.id, f"document-{number}", used_documents)
            if doc_id != record.id:
                report.warn(f"document id {record.id!r} written as {doc_id!r}", DOCUMENTS)
            documents.writerow(
                (
                    neutralise(doc_id),
                    neutralise(record.title),
                    verbatim(record.text),
                    neutralise(_json(record.meta)),
                )
            )
            span_ids: dict[str, str] = {}
            used_spans: set[str] = set()
            for index, span in enumerate(record.spans, start=1):
                span_id = _unique(span.id, f"span-{index}", used_spans)
                if span_id != span.id:
                    report.warn(f"document {doc_id}: span id {span.id!r} written as {span_id!r}")
                span_ids.setdefault(span.id, span_id)
                row = (
                    doc_id, span_id, str(span.start), str(span.end), span.label,
                    record.text[span.start : span.end], span.annotator, span.origin,
                    _json(span.attributes),
                )  # fmt: skip
                spans.writerow(verbatim(c) if i == 5 else neutralise(c) for i, c in enumerate(row))
                report.keep(span.label)
            used_relations: set[str] = set()
            for index, relation in enumerate(record.relations, start=1):
                if relation.head not in span_ids or relation.tail not in span_ids:
                    report.warn(
                        f"document {doc_id}: relation {relation.id} names a missing span; left out"
                    )
                    continue
                relation_id = _unique(relation.id, f"relation-{index}", used_relations)
                cells = (
                    doc_id, relation_id, span_ids[relation.head], span_ids[relation.tail],
                    relation.label, relation.annotator,
                )  # fmt: skip
                relations.writerow(map(neutralise, cells))
            report.documents += 1
    (folder / DATAPACKAGE).write_text(
        json.dumps(datapackage(escape_all), indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return report
