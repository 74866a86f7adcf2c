"""Documents, spans and relations of many documents as file records: the reads of an export.

One plain SQL select per table and batch of documents goes straight to the driver, whose
tuples are turned into records without SQLAlchemy's per-statement and per-row work (building
an ``IN`` list of 500 bound values, compiling it, making ``Row`` objects): at 100,000 spans
those cost as much as the rows themselves. JSON columns come back as text; a span's
attributes, entity and fragments come from a select of their own, of the few spans that
have any.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection

from app.core.annotations import Document
from app.core.records import RelationRecord, SpanRecord
from app.store.repositories._shared import _attributes, _chunks, _driver_rows, _fragments

_DOCUMENTS = (
    "SELECT d.id, d.title, t.text, d.sha256, CAST(d.meta AS TEXT)"
    " FROM documents d JOIN document_texts t ON t.document_id = d.id"
    " WHERE d.id IN ({ids})"
)
# the tie-breaker on id is free on SQLite (the (document_id, start) index holds the rowid)
# and keeps PostgreSQL's order of spans that start together the same from one export to the
# next; span ids come as the strings a record holds
_SPANS = (
    'SELECT CAST(id AS TEXT), document_id, start, "end", label, annotator_id, origin{review}'
    " FROM spans WHERE document_id IN ({ids}) ORDER BY document_id, start, id"
)
_BEFORE_REVIEW = itemgetter(slice(7))
"""A row of ``_SPANS`` without the review state that ends it when asked for."""
_EXTRAS = (
    "SELECT CAST(id AS TEXT), NULLIF(CAST(attributes AS TEXT), '{}'),"
    " COALESCE(CAST(entity_id AS TEXT), ''), fragments"
    " FROM spans WHERE document_id IN ({ids})"
    " AND (CAST(attributes AS TEXT) <> '{}' OR entity_id IS NOT NULL OR fragments IS NOT NULL)"
)
"""The attributes, entity and fragments of the few spans that have any. Fetched with every
span, three columns that are nearly always empty cost a fifth of the spans' fetch; one more
pass over the batch's spans inside the database costs half as much (measured on 100,000
spans)."""
_PLAIN = (SpanRecord._field_defaults["attributes"], "", ())
"""A span's attributes, entity and fragments when it has none. The attributes are the
record's default: an empty dictionary that no one changes in place."""
_RELATIONS = (
    "SELECT r.id, r.document_id, r.head_id, r.tail_id, r.label, a.name"
    " FROM relations r JOIN annotators a ON a.id = r.annotator_id"
    " WHERE r.document_id IN ({ids}) ORDER BY r.id"
)


def _select(connection: Connection, sql: str, ids: Sequence[int]) -> Sequence[Any]:
    """The driver's rows of ``sql`` whose ``{ids}`` is filled with one bound value per id."""
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    query = sql.replace("{ids}", ", ".join([mark] * len(ids)))
    return _driver_rows(connection.exec_driver_sql(query, tuple(int(i) for i in ids)))


def _metas(raw: Sequence[Any]) -> list[dict[str, Any]]:
    """Each document's metadata from its JSON text, decoded in one call for the batch."""
    try:
        # the column holds JSON objects written by SQLAlchemy: an array of them is JSON too
        values = json.loads(f"[{','.join(raw)}]")
    except (TypeError, ValueError):  # a driver that decodes JSON itself, an empty cell
        return [_attributes(value) for value in raw]
    return [value if type(value) is dict else dict(value or {}) for value in values]


def documents(connection: Connection, document_ids: Sequence[int]) -> list[Document]:
    """Documents with their texts, in the order of ``document_ids`` (missing ids skipped)."""
    found: dict[int, Document] = {}
    new, set_fields = object.__new__, object.__setattr__
    for chunk in _chunks(document_ids):
        rows = _select(connection, _DOCUMENTS, chunk)
        metas = _metas([row[4] for row in rows])
        for (i, title, text, digest, _), meta in zip(rows, metas, strict=True):
            # a frozen dataclass's __init__ sets each field through object.__setattr__;
            # handing over one dictionary is several times faster
            document: Document = new(Document)
            set_fields(
                document,
                "__dict__",
                {"id": i, "title": title, "text": text, "sha256": digest, "meta": meta},
            )
            found[i] = document
    return [found[i] for i in document_ids if i in found]


def span_records(
    connection: Connection, texts: dict[int, str], annotators: dict[int, str], *, reviews: bool
) -> tuple[dict[int, list[SpanRecord]], dict[str, str]]:
    """The spans of the documents of ``texts`` (their texts by id) as records by document id,
    ordered by start, and with ``reviews`` each span's review state by record id.

    Each record's text is sliced from the document's text; its id is the span id as a
    string; ``annotators`` names annotators by id.
    """
    by_document: dict[int, list[SpanRecord]] = {i: [] for i in texts}
    states: dict[str, str] = {}
    # a record is a named tuple: tuple.__new__ builds it from one tuple of its fields in one
    # call, where the class's own __new__ is Python code taking them one by one
    new = tuple.__new__
    # the review column only when asked: one more string a row adds a tenth to the fetch
    sql = _SPANS.replace("{review}", ", review" if reviews else "")
    plain = _PLAIN
    for chunk in _chunks(list(texts)):
        current, text, records = -1, "", []
        extras = {
            i: ({} if at is None else _attributes(at), en, () if f is None else _fragments(f))
            for i, at, en, f in _select(connection, _EXTRAS, chunk)
        }
        rows = _select(connection, sql, chunk)
        if reviews:  # each row ends with the span's review state
            states.update((row[0], row[7] or "unreviewed") for row in rows)
            rows = list(map(_BEFORE_REVIEW, rows))
        for i, d, start, end, label, a, origin in rows:
            if d != current:  # rows come document by document
                current, text, records = d, texts[d], by_document[d]
            attributes, entity, fragments = extras.get(i, plain)
            fields = (
                i,
                start,
                end,
                label,
                text[start:end],
                annotators[a],
                origin,
                attributes,
                entity,
                fragments,
            )
            records.append(new(SpanRecord, fields))
    return by_document, states


def relation_records(
    connection: Connection, document_ids: Sequence[int]
) -> Iterator[tuple[int, RelationRecord]]:
    """``(document id, relation record)`` of every relation of the documents, in id order.

    ``head`` and ``tail`` are span ids as strings, as ``span_records`` gives them.
    """
    for chunk in _chunks(document_ids):
        for i, d, head, tail, label, name in _select(connection, _RELATIONS, chunk):
            yield d, RelationRecord(str(i), str(head), str(tail), label, name)
