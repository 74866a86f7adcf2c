"""Prodigy tasks that repeat a text: one document, the annotations of every task.

Prodigy asks about a text once per suggestion (``ner.teach`` shows one candidate span at a
time, each answered on its own line) and once per annotator, so a dataset holds the same text
many times. Read as one document a task, every repeat after the first would be skipped as
already present and the spans accepted on it lost. Here the tasks of a text become the
document of its first task: the spans and relations of each accepted repeat are added (a span
already there is not added twice), and each repeat's answer, hash and rejected or ignored
suggestions are kept in the metadata under ``prodigy_repeats``.
"""

from __future__ import annotations

from typing import Any

from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats.report import ReadReport

REPEATS_KEY = "prodigy_repeats"
_REPEAT_KEYS = ("answer", "_task_hash", "_session_id", "_annotator_id", "prodigy_spans")


def merge_repeats(
    records: list[DocumentRecord], report: ReadReport, source: str
) -> list[DocumentRecord]:
    """The documents of ``records`` with every task that repeats an earlier task's text
    merged into that task's document; the count of repeats is a warning."""
    merged: dict[str, _Merged] = {}
    repeats = 0
    first_repeat: int | None = None
    for record in records:
        found = merged.get(record.text)
        if found is None:
            merged[record.text] = _Merged(record)
            continue
        repeats += 1
        first_repeat = first_repeat if first_repeat is not None else record.line
        found.add(record)
    if not repeats:
        return records
    report.warn(
        f"{repeats} task(s) repeat the text of an earlier task (a suggestion or an annotator "
        "each): their annotations were added to its document",
        source,
        first_repeat,
    )
    return [entry.record() for entry in merged.values()]


class _Merged:
    """The first task of a text with the annotations of its repeats."""

    def __init__(self, first: DocumentRecord) -> None:
        self.first = first
        self.spans = list(first.spans)
        self.relations = list(first.relations)
        self.meta: dict[str, Any] = dict(first.meta)
        self.by_key = {_span_key(s): s.id for s in self.spans}
        self.related = {(r.head, r.tail, r.label, r.annotator) for r in self.relations}

    def add(self, repeat: DocumentRecord) -> None:
        ids: dict[str, str] = {}
        for span in repeat.spans:
            key = _span_key(span)
            if key not in self.by_key:
                self.by_key[key] = str(len(self.spans) + 1)
                self.spans.append(span._replace(id=self.by_key[key]))
            ids[span.id] = self.by_key[key]
        for relation in repeat.relations:
            head, tail = ids[relation.head], ids[relation.tail]
            if (head, tail, relation.label, relation.annotator) in self.related:
                continue
            self.related.add((head, tail, relation.label, relation.annotator))
            number = str(len(self.relations) + 1)
            self.relations.append(
                RelationRecord(number, head, tail, relation.label, relation.annotator)
            )
        kept = {key: repeat.meta[key] for key in _REPEAT_KEYS if key in repeat.meta}
        self.meta.setdefault(REPEATS_KEY, []).append({"line": repeat.line, **kept})
        if repeat.meta.get("answer", "accept") == "accept":
            self.meta["answer"] = "accept"  # the document holds accepted annotations now

    def record(self) -> DocumentRecord:
        first = self.first
        return DocumentRecord(
            id=first.id,
            text=first.text,
            meta=self.meta,
            spans=tuple(self.spans),
            relations=tuple(self.relations),
            source=first.source,
            line=first.line,
        )


def _span_key(span: SpanRecord) -> tuple[int, int, str, str]:
    return (span.start, span.end, span.label, span.annotator)
