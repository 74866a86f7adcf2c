"""Writing Glossa native JSON lines: each document's line as UTF-8 bytes.

A line is byte for byte ``json.dumps(to_json(record), ensure_ascii=False)``, built in less
than half its time. ``json.dumps`` looks at every character of every string one by one (an
article's text is most of its line) and writes every key of every span's object again. Here
a span is one f-string whose keys are written once, its strings quoted by the json module's
own C function; and a document's text, encoded once as it must be for the file, is
escaped with ``bytes.replace``, which finds the characters JSON escapes at memory-scan
speed. That holds for a text whose only characters below U+0020 are newlines and tabs
(nearly every article; UTF-8 has no other bytes below 0x20); any other such character sends
the text through the json module's escaping (measured on 10,000 news articles: 0.13 s for
the lines written, against 0.31 s for ``json.dumps`` of the same objects).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import Any

from app.core.records import DocumentRecord, RelationRecord, SpanRecord

_quoted = encode_basestring
"""A string as JSON with ``ensure_ascii=False``: the C function ``json.dumps`` uses."""
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)
"""``json.dumps(value, ensure_ascii=False)``'s encoder, built once.

A record holds values decoded from JSON (the database's columns, a file) in fresh
dictionaries and lists, which can never contain themselves: the encoder need not keep
track of every container it enters to find a cycle."""
_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_ONE_CALL = (
    None
    if _make_encoder is None
    else _make_encoder(None, _ENCODER.default, _quoted, None, ": ", ", ", False, False, True)
)
"""The json module's C encoder with ``_ENCODER``'s settings (None without the C part).
``JSONEncoder.encode`` builds one anew for every value, which costs more than a span's
attributes themselves (measured: a quarter of the writing time when every span has some)."""


def _encode(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)``."""
    if _ONE_CALL is None:
        return _ENCODER.encode(value)
    return "".join(_ONE_CALL(value, 0))


_ESCAPED_ELSEWHERE = bytes(c for c in range(0x20) if c not in b"\t\n")
"""UTF-8 bytes of the characters JSON escapes other than tab and newline (which
``_escaped_text`` replaces itself) and the quote and backslash."""


def to_json(record: DocumentRecord) -> dict[str, Any]:
    """The JSON object of one document (its line is ``json.dumps`` of it)."""
    spans: list[dict[str, Any]] = []
    for span in record.spans:
        item = {
            "id": span.id,
            "start": span.start,
            "end": span.end,
            "label": span.label,
            "text": span.text,
            "annotator": span.annotator,
            "origin": span.origin,
            "attributes": span.attributes,
        }
        if span.entity:
            item["entity"] = span.entity
        if span.fragments:
            item["fragments"] = [[start, end] for start, end in span.fragments]
        spans.append(item)
    return {
        "id": record.id,
        "text": record.text,
        "meta": record.meta,
        "spans": spans,
        "relations": [
            {"id": r.id, "head": r.head, "tail": r.tail, "label": r.label, "annotator": r.annotator}
            for r in record.relations
        ],
    }


def line_pieces(record: DocumentRecord) -> tuple[bytes, bytes, bytes]:
    """A document's line, newline included, in three pieces to write one after the other:
    what comes before its text, its escaped text, and the rest. The text is not copied
    into one line: an export gathers many lines' pieces and joins them once."""
    head = f'{{"id": {_quoted(record.id)}, "text": "'
    tail = (
        f'", "meta": {_encode(record.meta)}, "spans": [{_spans_json(record.spans)}],'
        f' "relations": [{_relations_json(record.relations)}]}}\n'
    )
    return head.encode(), _escaped_text(record.text), tail.encode()


def document_line(record: DocumentRecord) -> bytes:
    """A document's line as UTF-8, newline included."""
    return b"".join(line_pieces(record))


def _escaped_text(text: str) -> bytes:
    """``text`` as a JSON string in UTF-8, without its quotes."""
    raw = text.encode()
    if len(raw.translate(None, _ESCAPED_ELSEWHERE)) != len(raw):
        return _quoted(text)[1:-1].encode()  # a rare control character: the json module's way
    # the backslash first, lest the backslashes the others bring be doubled
    return (
        raw.replace(b"\\", b"\\\\")
        .replace(b'"', b'\\"')
        .replace(b"\n", b"\\n")
        .replace(b"\t", b"\\t")
    )


def _spans_json(spans: Sequence[SpanRecord]) -> str:
    # each span's object is one f-string, its keys in the order of the record's fields as
    # json.dumps writes them, in one comprehension: a function call per span would cost as
    # much as the span, and a %-template is read again for every span (measured: a fifth
    # slower). Offsets are whole numbers, which an f-string writes as json.dumps does; the
    # last piece closes the object, after the entity and fragments if any. Unpacking fails
    # loudly should a field be added.
    return ", ".join(
        [
            f'{{"id": {_quoted(i)}, "start": {start}, "end": {end}, "label": {_quoted(label)},'
            f' "text": {_quoted(text)}, "annotator": {_quoted(annotator)},'
            f' "origin": {_quoted(origin)},'
            f' "attributes": {_encode(attributes) if attributes else "{}"}'
            f"{_closing(entity, pieces) if entity or pieces else '}'}"
            for i, start, end, label, text, annotator, origin, attributes, entity, pieces in spans
        ]
    )


def _closing(entity: str, fragments: tuple[tuple[int, int], ...]) -> str:
    """The end of a span's object that names an entity or has fragments."""
    found = f', "entity": {_quoted(entity)}' if entity else ""
    if fragments:
        found += f', "fragments": {_encode([[start, end] for start, end in fragments])}'
    return found + "}"


def _relations_json(relations: Sequence[RelationRecord]) -> str:
    return ", ".join(
        [
            f'{{"id": {_quoted(r.id)}, "head": {_quoted(r.head)}, "tail": {_quoted(r.tail)},'
            f' "label": {_quoted(r.label)}, "annotator": {_quoted(r.annotator)}}}'
            for r in relations
        ]
    )
