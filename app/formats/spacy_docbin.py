"""spaCy ``DocBin`` files (``.spacy``): the training data format of ``spacy train``.

Each document becomes one ``Doc`` whose text equals the canonical text exactly. Its tokens are
those of the CoNLL file it was imported from, when it keeps them (``conll.source_tokens``),
else those of ``tokens.tokenize`` (spaCy's ``blank(lang)`` tokenizer), with the white space between
them kept as spaCy keeps it: one plain space as the token's trailing space, anything longer as
a white-space token of its own. On the ``Doc``:

- ``doc.ents``: one flat layer of spans, chosen outermost-longest first (``tokens.flat_layer``);
  this is what spaCy's ``ner`` component learns from.
- ``doc.spans["sc"]``: every span that starts and ends on token boundaries, nested and
  overlapping ones included; this is what spaCy's ``spancat`` component learns from.
- ``doc.cats`` from the meta's ``cats`` and ``Doc._.rel`` from the relations between spans
  of ``doc.ents``, as spaCy's text classifier and relation component read them
  (``app.formats.spacy_extras``); a file of other tools gives them back the same way.
- ``doc.user_data["glossa"]``: ``{"id", "meta", "spans", "relations", "attributes"}``, JSON
  values: every span (aligned or not) with its id, offsets, label, annotator and origin; every
  relation by span ids; span attributes by span id. Offsets count code points, as
  ``Doc.char_span`` and ``Token.idx`` do.

Spans missing from ``doc.ents`` or ``doc.spans["sc"]`` are counted in the returned
``ExportReport``: those not on token boundaries are in neither, the others are left out of
``doc.ents`` only. spaCy is imported only when a ``.spacy`` file is written or read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from app.core.errors import GlossaError, InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.text import canonical_text, first_line_title
from app.formats import spacy_checks, spacy_extras
from app.formats.conll import SOURCE_TOKENIZER, source_tokens
from app.formats.report import DropReason, ExportReport, ReadReport
from app.formats.spacy_foreign import ForeignParts
from app.formats.tokens import Token, TokenBounds, flat_layer, spacy_blank, tokenize

FORMAT_NAME = "spacy"
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest DocBin file we import (2 GiB)."""
SPAN_GROUP = "sc"
USER_DATA_KEY = "glossa"


def _require_spacy() -> None:
    try:
        import spacy  # noqa: F401 - optional dependency: only these files need it
    except ImportError:
        if getattr(sys, "frozen", False):  # the bundle leaves spaCy out: pip cannot add it
            raise GlossaError(
                "reading or writing .spacy files needs spaCy, which this self-contained "
                "Glossa leaves out; use Glossa installed with pip, with spaCy beside it "
                "(pip install spacy)"
            ) from None
        raise GlossaError(
            "reading or writing .spacy files needs spaCy; install it with: pip install spacy"
        ) from None


def words_and_spaces(text: str, tokens: Iterable[Token]) -> tuple[list[str], list[bool]]:
    """``Doc(words=..., spaces=...)`` arguments whose text is exactly ``text``.

    The white space before each token becomes the previous token's trailing space when it is
    a single ``" "``; otherwise a white-space token of its own (after a trailing space if it
    begins with one), as spaCy's own tokenizer does.
    """
    words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for start, end in [*tokens, (len(text), len(text))]:
        gap = text[position:start]
        if gap.startswith(" ") and words and not spaces[-1]:
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        if end > start:
            words.append(text[start:end])
            spaces.append(False)
        position = end
    return words, spaces


def _json_value(value: Any) -> Any:
    """``value`` as plain JSON data (anything else becomes its string)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def glossa_data(record: DocumentRecord) -> dict[str, Any]:
    """What ``doc.user_data["glossa"]`` holds for one document."""
    data: dict[str, Any] = _json_value(
        {
            "id": record.id,
            "meta": record.meta,
            "spans": [
                {
                    "id": s.id,
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "annotator": s.annotator,
                    "origin": s.origin,
                }
                for s in record.spans
            ],
            "relations": [
                {
                    "id": r.id,
                    "head": r.head,
                    "tail": r.tail,
                    "label": r.label,
                    "annotator": r.annotator,
                }
                for r in record.relations
            ],
            "attributes": {s.id: s.attributes for s in record.spans if s.attributes},
        }
    )
    return data


def to_doc(record: DocumentRecord, vocab: Any, report: ExportReport, lang: str = "en") -> Any:
    """Build the ``Doc`` of one document, recording spans left out in ``report``."""
    from spacy.tokens import Doc

    source = source_tokens(record)
    if source is not None:  # a corpus's own tokens, so that it stays token for token
        tokens, report.tokenizer = source[0], SOURCE_TOKENIZER
    else:
        tokenization = tokenize(record.text, lang)
        tokens, report.tokenizer = list(tokenization.tokens), tokenization.tokenizer
    words, spaces = words_and_spaces(record.text, tokens)
    doc = Doc(vocab, words=words, spaces=spaces)
    if doc.text != record.text:  # words_and_spaces guarantees it; a mismatch is a bug
        raise GlossaError(f"document {record.id}: the spaCy text differs from the document text")
    bounds = TokenBounds(tokens)
    aligned: dict[str, Any] = {}
    for span in record.spans:
        doc_span = None
        if bounds.token_range(span.start, span.end) is not None:
            doc_span = doc.char_span(span.start, span.end, span.label, alignment_mode="strict")
        if doc_span is None:
            report.drop(record.id, span.id, span.start, span.end, span.label, DropReason.UNALIGNED)
        else:
            aligned[span.id] = doc_span
    kept, dropped = flat_layer(s for s in record.spans if s.id in aligned)
    for span, reason in dropped:
        report.drop(record.id, span.id, span.start, span.end, span.label, reason)
    doc.ents = [aligned[s.id] for s in kept]
    doc.spans[SPAN_GROUP] = sorted(aligned.values(), key=lambda s: (s.start_char, s.end_char))
    doc.cats = spacy_extras.categories(record)
    spacy_extras.write_relations(doc, record, {s.id: aligned[s.id] for s in kept}, report)
    doc.user_data[USER_DATA_KEY] = glossa_data(record)
    for span in kept:
        report.keep(span.label)
    return doc


def export(records: Iterable[DocumentRecord], path: Path, *, lang: str = "en") -> ExportReport:
    """Write documents to a ``.spacy`` file at ``path``; return what was written and left out.

    A ``DocBin`` is built in memory and written at the end (spaCy has no streaming writer).
    """
    _require_spacy()
    from spacy.tokens import DocBin

    vocab = spacy_blank(lang).vocab
    report = ExportReport(FORMAT_NAME)
    doc_bin = DocBin(store_user_data=True)
    for record in records:
        doc_bin.add(to_doc(record, vocab, report, lang))
        report.documents += 1
    doc_bin.to_disk(path)
    return report


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the documents of a ``.spacy`` file.

    Files written by Glossa come back whole from ``user_data["glossa"]``. Other files give
    their text, their span groups and ``doc.ents`` as spans (one span per distinct offsets and
    label), and ``user_data`` is ignored; ``\\r\\n`` and token annotations are as
    ``spacy_foreign`` says. An empty document is skipped and counted in one warning; a
    malformed file is an ``InputError`` naming it, and the document when known
    (``spacy_checks``).
    """
    _require_spacy()
    from spacy.vocab import Vocab

    report = report if report is not None else ReadReport(FORMAT_NAME)
    source = str(path)
    doc_bin = spacy_checks.load(path)
    empty: list[int] = []
    documents = 0
    foreign = ForeignParts()
    for number, doc in spacy_checks.documents(doc_bin, Vocab(), source):
        where = f"{source} document {number}"
        if not doc.text.strip():
            empty.append(number)  # nothing to annotate; the rest of the file still counts
            continue
        text = canonical_text(doc.text, where)
        glossa = isinstance(doc.user_data.get(USER_DATA_KEY), dict)
        if glossa and text != doc.text:
            raise InputError("the text holds carriage returns; offsets would shift", source=where)
        plain_meta = {"title": first_line_title(text), "file": path.name}
        if glossa:
            record = _glossa_record(_user_data(doc, where), text, where)
        else:
            foreign.note_tokens(doc)
            record = _plain_record(doc, doc.text, f"{path.stem}-{number}", where, report)
            if text != doc.text:
                record = foreign.mapped(record, text, where)
        report.documents += 1
        documents += 1
        yield DocumentRecord(
            id=record.id,
            text=text,
            meta=record.meta if glossa and record.meta else {**plain_meta, **record.meta},
            spans=record.spans,
            relations=record.relations,
            source=where,
        )
    foreign.report_to(report, source)
    if empty:
        shown = ", ".join(map(str, empty[:10])) + (", …" if len(empty) > 10 else "")
        report.warn(f"skipped {len(empty)} empty document(s) (number {shown})", source)
    if not documents:
        raise InputError("the file holds no documents with text", source=source)


def _user_data(doc: Any, where: str) -> dict[str, Any]:
    """``user_data["glossa"]`` as JSON data: msgpack gives lists back as tuples."""
    try:
        data: dict[str, Any] = _json_value(doc.user_data[USER_DATA_KEY])
    except (TypeError, ValueError, RecursionError) as exc:
        raise InputError(
            f"user_data['glossa'] is not JSON data ({str(exc)[:80]})", source=where
        ) from None
    return data


def _plain_record(
    doc: Any, text: str, document_id: str, where: str, report: ReadReport
) -> DocumentRecord:
    seen: set[tuple[int, int, str]] = set()
    spans: list[tuple[SpanRecord, int]] = []  # with its first token, for Doc._.rel
    groups = [doc.ents, *(doc.spans[name] for name in sorted(doc.spans))]
    for group in groups:
        for span in group:
            key = (span.start_char, span.end_char, span.label_)
            if key in seen or not span.label_:
                continue
            seen.add(key)
            found = SpanRecord(str(len(spans) + 1), key[0], key[1], key[2], text[key[0] : key[1]])
            spans.append((found, span.start))
    relations = spacy_extras.read_relations(doc, spans, where, report)
    cats = {str(name): float(score) for name, score in doc.cats.items()}
    return DocumentRecord(
        id=document_id,
        text=text,
        meta={spacy_extras.CATS: cats} if cats else {},
        spans=tuple(sorted((s for s, _ in spans), key=lambda s: (s.start, s.end, s.label))),
        relations=relations,
    )


def _glossa_record(data: dict[str, Any], text: str, where: str) -> DocumentRecord:
    try:
        attributes = data.get("attributes") or {}
        spans = tuple(
            SpanRecord(
                id=str(s["id"]),
                start=int(s["start"]),
                end=int(s["end"]),
                label=str(s["label"]),
                text=text[int(s["start"]) : int(s["end"])],
                annotator=str(s.get("annotator") or ""),
                origin=str(s.get("origin") or "imported"),
                attributes=dict(attributes.get(str(s["id"])) or {}),
            )
            for s in data.get("spans") or []
        )
        relations = tuple(
            RelationRecord(
                str(r["id"]), str(r["head"]), str(r["tail"]), str(r["label"]), str(r["annotator"])
            )
            for r in data.get("relations") or []
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"user_data['glossa'] is malformed ({exc!r})", source=where) from None
    ids = {s.id for s in spans}
    for span in spans:
        if not 0 <= span.start < span.end <= len(text):
            raise InputError(f"span {span.id} has offsets outside the text", source=where)
    for relation in relations:
        if relation.head not in ids or relation.tail not in ids:
            raise InputError(f"relation {relation.id} names a missing span", source=where)
    meta = data.get("meta")
    return DocumentRecord(
        id=str(data.get("id", "")),
        text=text,
        meta=dict(meta) if isinstance(meta, dict) else {},
        spans=spans,
        relations=relations,
    )
