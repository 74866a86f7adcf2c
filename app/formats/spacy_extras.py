"""Relations and document categories on a spaCy ``Doc``, as spaCy's own projects hold them.

- ``doc.cats``: ``{category: score}``, what spaCy's ``textcat`` learns from. Read into the
  meta under ``cats``; written from it (a dict of scores, or a list of names, each 1.0, as
  doccano's intent exports hold them).
- ``Doc._.rel``: the relation extraction component of spaCy's projects
  (``tutorials/rel_component``) keeps ``{(head start token, tail start token): {label:
  score}}`` over the entities in ``doc.ents``. Read: a label scoring at least
  ``RELATION_THRESHOLD`` is a relation between the spans that start at those tokens (an
  entity first, else a span of a span group). Written: each relation whose head and tail are
  both in ``doc.ents``, with score 1.0; the others are counted in the report (they stay in
  ``user_data["glossa"]``).

spaCy stores an extension attribute in ``doc.user_data`` under ``("._.", name, None, None)``,
which is how a ``DocBin`` keeps it, so the extension need not be registered to read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats.report import ExportReport, ReadReport

RELATION_EXTENSION = "rel"
RELATION_KEY = ("._.", RELATION_EXTENSION, None, None)
RELATION_THRESHOLD = 0.5
"""A relation label scoring this or more in ``Doc._.rel`` is taken as a relation."""
CATS = "cats"


def categories(record: DocumentRecord) -> dict[str, float]:
    """The ``doc.cats`` of a document: its meta's ``cats`` as ``{name: score}``."""
    value = record.meta.get(CATS)
    if isinstance(value, Mapping):
        return {
            str(name): float(score)
            for name, score in value.items()
            if isinstance(score, int | float) and not isinstance(score, bool)
        }
    if isinstance(value, list):
        return {str(name): 1.0 for name in value if isinstance(name, str | int)}
    return {}


def write_relations(
    doc: Any, record: DocumentRecord, entities: Mapping[str, Any], report: ExportReport
) -> None:
    """Set ``doc._.rel`` from the relations of ``record`` between spans in ``doc.ents``
    (``entities``: the ``Span`` of each such span, by span id)."""
    from spacy.tokens import Doc

    if not Doc.has_extension(RELATION_EXTENSION):
        Doc.set_extension(RELATION_EXTENSION, default={})
    relations: dict[tuple[int, int], dict[str, float]] = {}
    outside = 0
    for relation in record.relations:
        head, tail = entities.get(relation.head), entities.get(relation.tail)
        if head is None or tail is None:
            outside += 1
            continue
        relations.setdefault((head.start, tail.start), {})[relation.label] = 1.0
    if relations:
        doc.user_data[RELATION_KEY] = relations
    if outside:
        report.warn(
            f"{outside} relation(s) join spans outside doc.ents: not in Doc._.rel "
            "(kept in user_data['glossa'])",
            record.id,
        )


def read_relations(
    doc: Any, spans: Sequence[tuple[SpanRecord, int]], where: str, report: ReadReport
) -> tuple[RelationRecord, ...]:
    """The relations of ``Doc._.rel`` between ``spans`` (each with its start token; entities
    first), as relation records; a pair naming no span's start token is a warning."""
    value = doc.user_data.get(RELATION_KEY)
    if not isinstance(value, Mapping):
        return ()
    by_start: dict[int, str] = {}
    for span, start in spans:
        by_start.setdefault(start, span.id)
    found: list[RelationRecord] = []
    lost = 0
    for pair, labels in value.items():
        if not isinstance(pair, Sequence) or len(pair) != 2 or not isinstance(labels, Mapping):
            lost += 1
            continue
        chosen = [
            str(label)
            for label, score in labels.items()
            if isinstance(score, int | float) and score >= RELATION_THRESHOLD
        ]
        if not chosen:
            continue
        head, tail = by_start.get(pair[0]), by_start.get(pair[1])
        if head is None or tail is None:
            lost += len(chosen)
            continue
        for label in chosen:
            found.append(RelationRecord(f"r{len(found) + 1}", head, tail, label))
    if lost:
        report.warn(f"{lost} relation(s) of Doc._.rel name no span's first token; skipped", where)
    return tuple(found)
