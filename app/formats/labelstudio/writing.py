"""Writing documents as a Label Studio JSON array of tasks, with its labeling config."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.core.records import DocumentRecord, SpanRecord
from app.core.schema import LabelSchema
from app.formats.labelstudio.config import (
    FORMAT_NAME,
    LABELS_CONTROL,
    TEXT_OBJECT,
    VALUE_KEYS,
    LabelingConfig,
    config_path,
)
from app.formats.report import ExportReport


def _region_value(record: DocumentRecord, span: SpanRecord) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": record.text[span.start : span.end]}


def task_json(
    record: DocumentRecord, config: LabelingConfig, report: ExportReport
) -> dict[str, Any]:
    """The Label Studio task of one document; what it uses is added to ``config``."""
    results: dict[tuple[bool, str], list[dict[str, Any]]] = {}
    group_of: dict[str, tuple[bool, str]] = {}
    for span in record.spans:
        group = group_of[span.id] = (span.origin == "suggested", span.annotator)
        result = results.setdefault(group, [])
        value = _region_value(record, span)
        result.append(
            {
                "id": span.id,
                "from_name": LABELS_CONTROL,
                "to_name": TEXT_OBJECT,
                "type": "labels",
                "value": {**value, "labels": [span.label]},
            }
        )
        config.labels.add(span.label)
        report.keep(span.label)
        for name, answer in span.attributes.items():
            kind = config.kind(name, answer) if name not in (LABELS_CONTROL, TEXT_OBJECT) else None
            if kind is None:
                report.warn(
                    f"span {span.id}: attribute {name} = {answer!r:.40} has no Label Studio "
                    "control here; left out",
                    record.id,
                )
                continue
            if kind == "choices":
                answer = [("true" if answer else "false") if isinstance(answer, bool) else answer]
            elif kind == "textarea" and isinstance(answer, str):
                answer = [answer]
            result.append(
                {
                    "id": span.id,
                    "from_name": name,
                    "to_name": TEXT_OBJECT,
                    "type": kind,
                    "value": {**value, VALUE_KEYS[kind]: answer},
                }
            )
    for relation in record.relations:
        head, tail = group_of.get(relation.head), group_of.get(relation.tail)
        if head is None or tail is None or head != tail:
            why = (
                "names a span the document lacks"
                if head is None or tail is None
                else ("joins spans of two annotations (annotators or suggestions)")
            )
            report.warn(f"relation {relation.id} {why}; left out", record.id)
            continue
        config.relations.add(relation.label)
        results[head].append(
            {
                "from_id": relation.head,
                "to_id": relation.tail,
                "type": "relation",
                "direction": "right",
                "labels": [relation.label],
            }
        )
    data: dict[str, Any] = {"text": record.text}
    numeric = record.id.isascii() and record.id.isdigit() and len(record.id) < 16
    numeric = numeric and str(int(record.id)) == record.id
    for key, value in record.meta.items():
        if key == "text" or (key == "id" and not numeric):
            report.warn(f"metadata {key!r} clashes with a Label Studio key; left out", record.id)
        else:
            data[key] = value
    task: dict[str, Any] = {}
    if numeric:
        task["id"] = int(record.id)
    elif record.id:
        data["id"] = record.id
    task["data"] = data
    task["annotations"] = [
        {"result": result, **({"created_username": who} if who else {})}
        for (suggested, who), result in results.items()
        if not suggested
    ]
    task["predictions"] = [
        {"model_version": who, "result": result}
        for (suggested, who), result in results.items()
        if suggested
    ]
    return task


def export(
    records: Iterable[DocumentRecord], path: Path, schema: LabelSchema | None = None
) -> ExportReport:
    """Write documents as a Label Studio JSON array of tasks at ``path`` (one task a line).

    The labeling config is written beside it as ``path.with_suffix(".xml")`` (``NAME.json``
    gets ``NAME.xml``; see ``config_path``), to paste into the project's Labeling Interface
    settings. With the project's ``schema`` it declares every label in its colour, every
    relation type, and each attribute as its control (a choice as ``<Choices>`` with its
    values, yes/no as ``<Choices>`` true/false, a text note as ``<TextArea>``), whether or
    not the documents use them, so that every part of a split gets the same config; it also
    declares whatever else the spans use.
    """
    report = ExportReport(FORMAT_NAME)
    config = LabelingConfig() if schema is None else LabelingConfig.of_schema(schema)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("[")
        for record in records:
            out.write(",\n" if report.documents else "\n")
            out.write(json.dumps(task_json(record, config, report), ensure_ascii=False))
            report.documents += 1
        out.write("\n]\n")
    config_path(path).write_text(config.xml(report), encoding="utf-8", newline="\n")
    return report
