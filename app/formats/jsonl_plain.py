"""The common span of a native JSONL file, read in one pass.

An import reads hundreds of thousands of spans; nearly all are plain (a string id, whole
offsets inside the text, the text they state, plain string fields). ``plain_span`` takes
those with a few type tests; any other item, or one with a key it does not list, is left to
the full checks of ``app.formats.jsonl``, which name what is wrong.
"""

from __future__ import annotations

from typing import Any

from app.core.records import SpanRecord

_PLAIN_SPAN_KEYS = frozenset(
    {"id", "start", "end", "label", "text", "annotator", "origin", "attributes", "entity"}
)


def plain_span(item: Any, text: str) -> SpanRecord | None:
    """The span of a common item in one pass (string id, whole offsets inside the text, its
    text as stated, no other keys, plain values), else None: the reader checks the rest and
    names what is wrong."""
    if type(item) is not dict or not item.keys() <= _PLAIN_SPAN_KEYS:
        return None
    span_id, start, end, label = (
        item.get("id"),
        item.get("start"),
        item.get("end"),
        item.get("label"),
    )
    if not (type(span_id) is str and span_id and type(label) is str and label):
        return None
    if not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)):
        return None
    covered = text[start:end]
    said = item.get("text")
    attributes = item.get("attributes") or {}
    annotator, origin = item.get("annotator") or "", item.get("origin") or "imported"
    entity = item.get("entity") or ""
    if said is not None and said != covered:
        return None
    if type(attributes) is not dict or type(entity) is not str:
        return None
    if type(annotator) is not str or type(origin) is not str:
        return None
    return SpanRecord(span_id, start, end, label, covered, annotator, origin, attributes, entity)
