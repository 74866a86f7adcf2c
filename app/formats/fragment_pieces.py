"""Discontinuous spans for formats that cannot hold them: one span per fragment.

Native JSONL and brat keep a span's fragments. Every other format is handed each
discontinuous span as one span per fragment, the first under the span's own id (relations
to the span attach to it) and the others under ``ID.2``, ``ID.3``...; the characters of the
gap belong to no span, as a tagger trained on the export should learn. Formats that hold
relations get the later pieces linked to the first by a ``fragment`` relation, the way
Glossa's brat export joins such a chain back into one discontinuous ``T`` line. The export's
report (and so its manifest) says how many spans were written this way.

Reading goes the other way (``joined_chains``): spans of one label and annotator linked by
``fragment`` relations, as these exports and older Glossa versions wrote discontinuous spans,
come in as one discontinuous span.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from functools import wraps
from pathlib import Path

from app.core.annotations import joined_pieces
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.schema import LabelSchema
from app.formats.report import ExportReport, ReadReport

FRAGMENT = "fragment"
"""The relation from a discontinuous span's first piece to each later one."""

Exporter = Callable[[Iterable[DocumentRecord], Path], ExportReport]
SplitExporter = Callable[[Mapping[str, Iterable[DocumentRecord]], Path], ExportReport]
SchemaExporter = Callable[[Iterable[DocumentRecord], Path, LabelSchema], ExportReport]


def pieces_of(record: DocumentRecord, *, linked: bool) -> tuple[DocumentRecord, int]:
    """``record`` with each discontinuous span as one span per fragment (linked by
    ``fragment`` relations when ``linked``), and how many spans were cut."""
    if not any(span.fragments for span in record.spans):
        return record, 0
    taken = {span.id for span in record.spans}
    spans: list[SpanRecord] = []
    relations = list(record.relations)
    cut = 0
    for span in record.spans:
        if not span.fragments:
            spans.append(span)
            continue
        cut += 1
        first = span.id
        for number, (start, end) in enumerate(span.fragments, start=1):
            piece_id = first if number == 1 else _free(f"{first}.{number}", taken)
            later = number > 1 and linked  # the first piece carries what the span says
            spans.append(
                span._replace(
                    id=piece_id,
                    start=start,
                    end=end,
                    text=record.text[start:end],
                    fragments=(),
                    attributes={} if later else span.attributes,
                    entity="" if later else span.entity,
                )
            )
            if number > 1 and linked:
                relation_id = _free(f"{piece_id}:{FRAGMENT}", taken)
                relations.append(
                    RelationRecord(relation_id, first, piece_id, FRAGMENT, span.annotator)
                )
    spans.sort(key=lambda s: (s.start, s.end))
    return (
        DocumentRecord(
            record.id,
            record.text,
            record.meta,
            tuple(spans),
            tuple(relations),
            record.source,
            record.line,
        ),
        cut,
    )


def covering(record: DocumentRecord) -> tuple[DocumentRecord, int]:
    """``record`` with each discontinuous span as one span over its covering range (the gap
    included), and how many spans that was."""
    if not any(span.fragments for span in record.spans):
        return record, 0
    spans = tuple(span._replace(fragments=()) if span.fragments else span for span in record.spans)
    count = sum(1 for span in record.spans if span.fragments)
    return replace(record, spans=spans), count


def joined_chains(record: DocumentRecord) -> tuple[DocumentRecord, int]:
    """``record`` with each chain of spans linked by ``fragment`` relations (same label and
    annotator at both ends) as one span with fragments, under the first span's id, and how
    many chains were joined. Relations naming a later piece name the joined span instead."""
    if not any(relation.label == FRAGMENT for relation in record.relations):
        return record, 0
    spans = {span.id: span for span in record.spans}
    root: dict[str, str] = {}

    def top(span_id: str) -> str:
        while span_id in root:
            span_id = root[span_id]
        return span_id

    used: set[int] = set()
    for number, relation in enumerate(record.relations):
        head, tail = spans.get(relation.head), spans.get(relation.tail)
        if relation.label != FRAGMENT or head is None or tail is None:
            continue
        if (head.label, head.annotator) != (tail.label, tail.annotator):
            continue
        first, later = top(head.id), top(tail.id)
        if first != later:
            root[later] = first
        used.add(number)
    if not root:
        return record, 0
    members: dict[str, list[SpanRecord]] = {}
    for span in record.spans:
        members.setdefault(top(span.id), []).append(span)
    joined: list[SpanRecord] = []
    for span in record.spans:
        if span.id in root:
            continue
        group = members[span.id]
        if len(group) > 1:
            start, end, fragments = joined_pieces([p for s in group for p in s.pieces])
            span = span._replace(
                start=start, end=end, text=record.text[start:end], fragments=fragments
            )
        joined.append(span)
    relations = []
    for number, relation in enumerate(record.relations):
        if number in used:
            continue
        first, later = top(relation.head), top(relation.tail)
        if first != later:
            relations.append(
                RelationRecord(relation.id, first, later, relation.label, relation.annotator)
            )
    chains = sum(1 for group in members.values() if len(group) > 1)
    return (
        DocumentRecord(
            record.id,
            record.text,
            record.meta,
            tuple(joined),
            tuple(relations),
            record.source,
            record.line,
        ),
        chains,
    )


def joined_chains_of(
    records: Iterable[DocumentRecord], report: ReadReport, source: str
) -> list[DocumentRecord]:
    """``joined_chains`` of each record, the chains joined counted in a warning."""
    joined, chains = [], 0
    for record in records:
        record, count = joined_chains(record)
        joined.append(record)
        chains += count
    if chains:
        report.warn(
            f"{chains} chain(s) of spans linked by 'fragment' relations read as one "
            "discontinuous span each",
            source,
        )
    return joined


def _free(wanted: str, taken: set[str]) -> str:
    """``wanted``, or it with a number after it, not yet in ``taken`` (which gains it)."""
    found, number = wanted, 1
    while found in taken:
        number += 1
        found = f"{wanted}-{number}"
    taken.add(found)
    return found


class _Cutting:
    """Cuts the records going by, counting the discontinuous spans it cut."""

    def __init__(self, linked: bool) -> None:
        self.linked = linked
        self.count = 0

    def records(self, records: Iterable[DocumentRecord]) -> Iterator[DocumentRecord]:
        for record in records:
            cut, count = pieces_of(record, linked=self.linked)
            self.count += count
            yield cut

    def tell(self, report: ExportReport) -> ExportReport:
        if self.count:
            how = "linked by 'fragment' relations" if self.linked else "the gaps left out"
            report.warn(
                f"{self.count} discontinuous span(s) written as one span per fragment, {how}"
            )
        return report


def in_pieces(export: Exporter, *, linked: bool) -> Exporter:
    """``export`` for a format without discontinuous spans: see the module's docstring."""

    @wraps(export)
    def cutting_export(records: Iterable[DocumentRecord], path: Path) -> ExportReport:
        cutting = _Cutting(linked)
        return cutting.tell(export(cutting.records(records), path))

    return cutting_export


def schema_in_pieces(export: SchemaExporter, *, linked: bool) -> SchemaExporter:
    """``in_pieces`` for an exporter told the project's label schema."""

    @wraps(export)
    def cutting_export(
        records: Iterable[DocumentRecord], path: Path, schema: LabelSchema
    ) -> ExportReport:
        cutting = _Cutting(linked)
        return cutting.tell(export(cutting.records(records), path, schema))

    return cutting_export


def splits_in_pieces(export: SplitExporter, *, linked: bool) -> SplitExporter:
    """``in_pieces`` for an exporter that writes every split at once."""

    @wraps(export)
    def cutting_export(parts: Mapping[str, Iterable[DocumentRecord]], path: Path) -> ExportReport:
        cutting = _Cutting(linked)
        return cutting.tell(
            export({name: cutting.records(part) for name, part in parts.items()}, path)
        )

    return cutting_export
