"""Prodigy JSON lines: one annotated task per line, as ``prodigy db-out`` writes them.

A task reads ``{"text", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start",
"end", "label", "token_start", "token_end"}], "relations": [{"head", "child", "label",
"head_span", "child_span"}], "answer", "_input_hash", "_task_hash", "meta": {...}}``.

Reading. Span offsets count code points of ``text`` (Prodigy's Python characters). A span
without a label takes the task's ``label`` (binary ``ner.teach`` tasks). A relation's ``head``
and ``child`` are token indices, the last token of each end's span (as ``rel.manual`` writes
them); ``head_span``/``child_span``, when given, name the spans by their offsets, and a span
they name that ``spans`` lacks is added. Only tasks answered ``accept`` (or with no answer)
bring annotations: a ``reject``ed or ``ignore``d task is kept as a document whose metadata
holds the answer, its spans and relations (under ``prodigy_spans``/``prodigy_relations``), not
as annotations. ``answer``, ``_input_hash``, ``_task_hash``, ``_session_id``,
``_annotator_id``, ``_view_id``, ``_timestamp``, a choice task's ``options`` and ``accept``
and the task's ``label`` go to the metadata, as do the keys of ``meta`` and any other key.
Spans and relations are the work of ``_annotator_id`` (else ``_session_id``) when given.
Tasks repeating a text are one document (``app.formats.prodigy_repeats``).

Writing. Tokens come from Glossa's tokenizer, cut again at every span boundary so that each
span starts and ends on tokens (``token_end`` is inclusive, as in Prodigy). Hashes kept from
an import are written back; otherwise they are derived from the text (stable 31-bit numbers,
not Prodigy's own). Span attributes, annotators and origins have no place and are counted in
the report.
"""

from __future__ import annotations

import hashlib
import json
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.text import MAX_DOCUMENT_BYTES, canonical_text
from app.formats.opening import lines, open_file
from app.formats.prodigy_repeats import merge_repeats
from app.formats.report import ExportReport, ReadReport
from app.formats.tokens import tokenize

FORMAT_NAME = "prodigy"
OFFSET_UNIT = "unicode code points"
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024

TASK_KEYS = ("answer", "_input_hash", "_task_hash")
"""Prodigy's own keys kept in the metadata and written back."""
TOP_LEVEL = ("label", "options", "accept", "_session_id", "_annotator_id", "_view_id", "_timestamp")
"""Keys of a task kept in the metadata and written back at the top level of the task."""
MARKS = frozenset({"_input_hash", "_task_hash", "answer", "_view_id", "_session_id"})
"""Keys only Prodigy writes: a ``.jsonl`` line with one of them is a Prodigy task."""
_READ_KEYS = frozenset({"text", "tokens", "spans", "relations", "meta"})
_KEPT = ("prodigy_spans", "prodigy_relations")

Fail = Callable[[str], InputError]
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
"""A JSON escape of a surrogate code point (``\\ud83d``), which may stand alone."""
_START = operator.itemgetter("start")
_END = operator.itemgetter("end")
_WHOLE = frozenset({int})
"""The type of a whole-number offset (``bool`` is another type: ``true`` is no offset)."""


def looks_like(value: dict[str, Any]) -> bool:
    """True for the first object of a ``.jsonl`` file that Prodigy wrote."""
    if any(key in value for key in MARKS):
        return True
    tokens = value.get("tokens")
    return (
        isinstance(tokens, list)
        and bool(tokens)
        and isinstance(tokens[0], dict)
        and {"start", "end", "id"} <= tokens[0].keys()
    )


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the tasks of a Prodigy JSONL file, checked whole before the first is yielded."""
    report = report if report is not None else ReadReport(FORMAT_NAME)
    source = str(path)
    records: list[DocumentRecord] = []
    with open_file(path, MAX_FILE_BYTES) as handle:
        for number, raw in lines(handle, MAX_DOCUMENT_BYTES + 1, source):
            if raw.strip():
                records.append(parse_line(raw, source, number, report))
    if not records:
        raise InputError("the file holds no documents", source=source)
    for record in merge_repeats(records, report, source):
        report.documents += 1
        yield record


def parse_line(raw: bytes, source: str, line: int, report: ReadReport) -> DocumentRecord:
    """One task as a document (see the module docstring)."""

    def fail(message: str) -> InputError:
        return InputError(message, source=source, line=line)

    if len(raw) > MAX_DOCUMENT_BYTES:
        raise fail(f"line is {len(raw):,} bytes; the limit is {MAX_DOCUMENT_BYTES:,} bytes")
    try:
        data = json.loads(raw.decode("utf-8-sig" if line == 1 else "utf-8"))
        # valid UTF-8 holds no surrogate: only an escape (\ud83d) can make a lone one
        if b"\\u" in raw and _SURROGATE_ESCAPE.search(raw):
            json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeError:
        raise fail("not valid UTF-8, or a string holds a lone surrogate") from None
    except (ValueError, RecursionError) as exc:
        raise fail(f"not JSON: {str(exc)[:80]}") from None
    if not isinstance(data, dict):
        raise fail("a line must be a JSON object")
    text = data.get("text")
    if not isinstance(text, str):
        raise fail('missing "text" (a string)')
    canonical = canonical_text(text, source, line)
    if canonical != text:
        raise fail("the text holds \\r line breaks; Prodigy offsets cannot be mapped here")
    nested = data.get("meta")
    meta: dict[str, Any] = dict(nested) if isinstance(nested, dict) else {}
    meta.update((k, v) for k, v in data.items() if k not in _READ_KEYS)
    if "meta" in data and not isinstance(data["meta"], dict):
        meta["meta"] = data["meta"]
    tokens = _token_ends(data.get("tokens"), text, fail)
    annotator = str(data.get("_annotator_id") or data.get("_session_id") or "")
    task_label = data.get("label")
    default_label = task_label if isinstance(task_label, str) else ""
    spans = _spans(data.get("spans"), text, tokens, default_label, annotator, fail)
    relations, loose = _relations(data.get("relations"), text, tokens, spans, annotator, fail)
    if loose:
        report.warn(
            f"{loose} relation(s) between tokens that no span covers left out "
            "(Glossa relations join spans)",
            source,
            line,
        )
    answer = data.get("answer", "accept")
    if answer != "accept":
        # a rejected or ignored suggestion is no annotation; keep it to write it back
        meta["prodigy_spans"] = data.get("spans") or []
        meta["prodigy_relations"] = data.get("relations") or []
        spans, relations = {}, []
    record_id = data.get("id", meta.get("id", data.get("_task_hash", "")))
    return DocumentRecord(
        id=str(record_id),
        text=canonical,
        meta=meta,
        spans=tuple(spans.values()),
        relations=tuple(relations),
        source=source,
        line=line,
    )


def _token_ends(value: Any, text: str, fail: Fail) -> list[int]:
    """Where each token ends (all a relation needs), each token checked to lie within the
    text; a task carries hundreds, so the usual case (every
    token an object with whole-number offsets in order within the text) is checked a column
    at a time, and anything else token by token for the message naming it."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail('"tokens" must be a list')
    try:
        starts = list(map(_START, value))
        ends = list(map(_END, value))
    except (TypeError, KeyError):
        starts = ends = []  # a token that is no object or lacks an offset: named below
    if (
        len(starts) == len(value)
        and _WHOLE.issuperset(map(type, starts))
        and _WHOLE.issuperset(map(type, ends))
        and (not starts or (min(starts) >= 0 and max(ends) <= len(text)))
        and all(map(operator.le, starts, ends))
    ):
        return ends
    return _each_token(value, text, fail)


def _each_token(value: list[Any], text: str, fail: Fail) -> list[int]:
    tokens: list[int] = []
    for index, token in enumerate(value):
        if not isinstance(token, dict):
            raise fail(f"tokens[{index}] is not an object")
        start, end = _whole(token.get("start")), _whole(token.get("end"))
        if start is None or end is None or not 0 <= start <= end <= len(text):
            where = f"[{token.get('start')!r:.20}, {token.get('end')!r:.20})"
            raise fail(f"tokens[{index}]: {where} is outside the text")
        tokens.append(end)
    return tokens


def _whole(value: Any) -> int | None:
    """``value`` when it is a whole number (not true or false), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _span_of(
    item: Any, where: str, text: str, label: str, annotator: str, fail: Fail
) -> SpanRecord:
    if not isinstance(item, dict):
        raise fail(f"{where} is not an object")
    start, end = _whole(item.get("start")), _whole(item.get("end"))
    if start is None or end is None:
        raise fail(f"{where}: start and end must be whole numbers")
    if not 0 <= start < end <= len(text):
        raise fail(f"{where}: [{start}, {end}) is outside the text (length {len(text)})")
    label = item.get("label") or label
    if not isinstance(label, str) or not label:
        raise fail(f"{where}: missing label")
    said = item.get("text")
    if isinstance(said, str) and said != text[start:end]:
        raise fail(f"{where}: [{start}, {end}) covers {text[start:end]!r} but says {said!r}")
    return SpanRecord("", start, end, label, text[start:end], annotator)


def _spans(
    value: Any, text: str, tokens: list[int], label: str, annotator: str, fail: Fail
) -> dict[tuple[int, int, str], SpanRecord]:
    if value is None:
        return {}
    if not isinstance(value, list):
        raise fail('"spans" must be a list')
    spans: dict[tuple[int, int, str], SpanRecord] = {}
    for index, item in enumerate(value):
        span = _span_of(item, f"spans[{index}]", text, label, annotator, fail)
        spans.setdefault((span.start, span.end, span.label), span._replace(id=str(len(spans) + 1)))
    return spans


def _relations(
    value: Any,
    text: str,
    tokens: list[int],
    spans: dict[tuple[int, int, str], SpanRecord],
    annotator: str,
    fail: Fail,
) -> tuple[list[RelationRecord], int]:
    """The relations of a task, and how many join tokens that no span ends on."""
    if value is None:
        return [], 0
    if not isinstance(value, list):
        raise fail('"relations" must be a list')
    relations: list[RelationRecord] = []
    loose = 0
    for index, item in enumerate(value):
        where = f"relations[{index}]"
        if not isinstance(item, dict):
            raise fail(f"{where} is not an object")
        label = item.get("label")
        if not isinstance(label, str) or not label:
            raise fail(f"{where}: missing label")
        ends = [
            _end(item, key, f"{where}.{key}", text, tokens, spans, annotator, fail)
            for key in ("head", "child")
        ]
        if ends[0] is None or ends[1] is None:
            loose += 1
            continue
        relations.append(RelationRecord(str(index + 1), ends[0], ends[1], label, annotator))
    return relations, loose


def _end(
    item: dict[str, Any],
    key: str,
    where: str,
    text: str,
    tokens: list[int],
    spans: dict[tuple[int, int, str], SpanRecord],
    annotator: str,
    fail: Fail,
) -> str | None:
    """The id of the span at one end of a relation (added to ``spans`` when new), or None
    when the end is a token that no span ends on."""
    named = item.get(f"{key}_span")
    if isinstance(named, dict) and not named.get("label"):
        # an end named by its offsets alone: the span of ``spans`` there, if any
        found_at = [
            span.id
            for span in spans.values()
            if (span.start, span.end) == (named.get("start"), named.get("end"))
        ]
        if found_at:
            return found_at[0]
    if isinstance(named, dict) and named.get("label"):
        span = _span_of(named, f"{where}_span", text, "", annotator, fail)
        found = spans.get((span.start, span.end, span.label))
        if found is None:
            found = span._replace(id=str(len(spans) + 1))
            spans[(span.start, span.end, span.label)] = found
        return found.id
    token = _whole(item.get(key))
    if token is None or not 0 <= token < len(tokens):
        raise fail(f"{where}: token {item.get(key)!r:.20} is not a token of this task")
    end = tokens[token]
    for span in spans.values():  # rel.manual names a span by its last token
        if span.end == end:
            return span.id
    return None


# -- writing ------------------------------------------------------------------------------


def _hash(*parts: str) -> int:
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def task_json(record: DocumentRecord, report: ExportReport) -> dict[str, Any]:
    """The Prodigy task of one document; notes what it cannot hold in ``report``."""
    text = record.text
    cuts = {edge for span in record.spans for edge in (span.start, span.end)}
    pieces: list[tuple[int, int]] = []
    for start, end in tokenize(text).tokens:
        inner = sorted(c for c in cuts if start < c < end)
        for left, right in zip([start, *inner], [*inner, end], strict=True):
            pieces.append((left, right))
    for span in record.spans:  # a span over white space only: a token of its own
        if not any(span.start <= s and e <= span.end for s, e in pieces):
            pieces.append((span.start, span.end))
    pieces.sort()
    starts = [s for s, _ in pieces]
    ends = [e for _, e in pieces]
    tokens = [
        {
            "text": text[s:e],
            "start": s,
            "end": e,
            "id": i,
            "ws": i + 1 < len(pieces) and pieces[i + 1][0] > e,
        }
        for i, (s, e) in enumerate(pieces)
    ]
    spans: dict[str, dict[str, Any]] = {}
    for span in record.spans:
        spans[span.id] = {
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "label": span.label,
            "token_start": bisect_left(starts, span.start),
            "token_end": bisect_right(ends, span.end) - 1,
        }
        report.keep(span.label)
    relations = []
    for relation in record.relations:
        head, child = spans.get(relation.head), spans.get(relation.tail)
        if head is None or child is None:
            report.warn(f"relation {relation.id} names a span the document lacks", record.id)
            continue
        relations.append(
            {
                "head": head["token_end"],
                "child": child["token_end"],
                "head_span": head,
                "child_span": child,
                "label": relation.label,
            }
        )
    meta = {
        k: v
        for k, v in record.meta.items()
        if k not in TASK_KEYS and k not in _KEPT and k not in TOP_LEVEL
    }
    task: dict[str, Any] = {"text": text, "meta": meta}
    task["_input_hash"] = record.meta.get("_input_hash", _hash(text))
    task["_task_hash"] = record.meta.get(
        "_task_hash", _hash(text, json.dumps([list(spans.values()), relations], sort_keys=True))
    )
    task["tokens"] = tokens
    task["spans"] = list(spans.values()) or record.meta.get("prodigy_spans", [])
    task["relations"] = relations or record.meta.get("prodigy_relations", [])
    task["answer"] = record.meta.get("answer", "accept")
    for key in TOP_LEVEL:
        if key in record.meta:
            task[key] = record.meta[key]
    return task


def export(records: Iterable[DocumentRecord], path: Path) -> ExportReport:
    """Write documents as Prodigy tasks, one JSON line each (UTF-8)."""
    report = ExportReport(FORMAT_NAME, tokenizer="")
    dropped = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(task_json(record, report), ensure_ascii=False) + "\n")
            report.documents += 1
            dropped += sum(1 for span in record.spans if span.attributes)
    if dropped:
        report.warn(f"Prodigy spans hold no attributes: those of {dropped} span(s) left out")
    return report
