"""Writing doccano JSON lines, in the relation shape or the sequence-labelling shape.

The relation shape (what doccano imports into sequence labelling projects with relations):
``id``, ``text``, ``entities`` (``id``, ``start_offset``, ``end_offset``, ``label``),
``relations`` (``id``, ``from_id``, ``to_id``, ``type``), then each metadata key at the top
level. Entity and relation ids are numbered from 1 in each line. The label shape:
``id``, ``text``, ``label``: ``[[start, end, "LABEL"], ...]``, then the metadata; it holds no
relations, and the report counts those left out.

doccano holds no span attributes, annotators or origins, nor relation annotators: the report
counts what was left out. A metadata key that doccano reserves (``text``, ``entities``, ...)
is left out with a warning. Offsets count code points.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from app.core.records import DocumentRecord
from app.formats.report import ExportReport

FORMAT_NAME = "doccano"
RESERVED_KEYS = frozenset({"id", "text", "label", "labels", "entities", "relations"})
"""Keys with a meaning in doccano lines; every other key is document metadata."""


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


def label_json(record: DocumentRecord, report: ExportReport) -> dict[str, Any]:
    """The doccano sequence-labelling object of one document (no relations)."""
    line: dict[str, Any] = {
        "id": record.id,
        "text": record.text,
        "label": [[span.start, span.end, span.label] for span in record.spans],
    }
    for span in record.spans:
        report.keep(span.label)
    if record.relations:
        report.warn(
            f"the label shape holds no relations: {len(record.relations)} left out", record.id
        )
    for key, value in record.meta.items():
        if key in RESERVED_KEYS:
            report.warn(f"metadata {key!r} clashes with a doccano key; left out", record.id)
        else:
            line[key] = value
    return line


def write(
    records: Iterable[DocumentRecord],
    out: IO[str],
    report: ExportReport,
    shape: str = "relation",
) -> None:
    """Write documents one doccano line each to a text stream, counting them in ``report``;
    ``shape`` is ``relation`` (entities and relations) or ``label``."""
    with_attributes = 0
    line_of = label_json if shape == "label" else to_json
    for record in records:
        out.write(json.dumps(line_of(record, report), ensure_ascii=False))
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


def export_label_shape(records: Iterable[DocumentRecord], path: Path) -> ExportReport:
    """Write documents to a doccano ``.jsonl`` file in the sequence-labelling shape
    (``"label": [[start, end, "LABEL"]]``); relations are left out and counted."""
    report = ExportReport(FORMAT_NAME)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        write(records, out, report, shape="label")
    return report
