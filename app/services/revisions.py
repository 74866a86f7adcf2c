"""A new version of an article: a new document with every span of the old one re-anchored.

A document's text never changes (DESIGN.md §3), so a revision is a new document. Its title and
metadata are the old one's (``revision_of`` names the old document); every span of every
annotator is found again in the new text (``app.core.anchoring``) and copied with its label,
attributes, origin, annotator, entity link and review state; relations follow when both of
their spans were copied. A span that could not be found is not copied but kept in the new
document's metadata under ``needs_reanchoring`` (old offsets, text, label, annotator), and
reported. The old version stays as it was. All of it is one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.core.anchoring import Anchored, AnchorSpan, Outcome, reanchor
from app.core.errors import GlossaError, InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.review import Review
from app.core.text import text_sha256
from app.formats import ReadReport, format_for
from app.services import documents
from app.services.cleaning import cleaned
from app.services.workspace import Workspace
from app.store.repositories import fragments_json
from app.store.unit_of_work import UnitOfWork

REVISABLE = ("txt", "html")
"""Formats a new version of an article is read from: the ones plain articles come in."""


@dataclass(frozen=True)
class SpanOutcome:
    """Where one span of the old version went: ``new_id`` is None when it was queued."""

    id: int
    new_id: int | None
    outcome: Outcome
    start: int | None
    end: int | None
    label: str
    annotator: str
    text: str
    """The span's text in the old version."""


@dataclass(frozen=True)
class RelationOutcome:
    """A relation of the old version: copied (``new_id``) or not, because a span was queued."""

    id: int
    new_id: int | None
    label: str
    head: int
    tail: int


@dataclass
class RevisionReport:
    """What ``revise`` did."""

    document: int
    revision_of: int
    title: str
    spans: list[SpanOutcome] = field(default_factory=list)
    relations: list[RelationOutcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Spans per outcome (every outcome named, zero or not)."""
        found = {outcome.value: 0 for outcome in Outcome}
        for span in self.spans:
            found[span.outcome.value] += 1
        return found

    def as_json(self) -> dict[str, Any]:
        """The report as ``glossa revise --json`` prints it."""
        return {
            "document": self.document,
            "revision_of": self.revision_of,
            "title": self.title,
            "spans": [
                {
                    "id": s.id,
                    "new_id": s.new_id,
                    "outcome": s.outcome.value,
                    "start": s.start,
                    "end": s.end,
                    "label": s.label,
                    "annotator": s.annotator,
                }
                for s in self.spans
            ],
            "relations": [
                {"id": r.id, "new_id": r.new_id, "label": r.label, "head": r.head, "tail": r.tail}
                for r in self.relations
            ],
        }


def read_revision(path: Path) -> DocumentRecord:
    """The new version's text and metadata from a ``.txt`` or ``.html`` file."""
    fmt = format_for(path)
    if fmt is None or fmt.name not in REVISABLE or fmt.read is None:
        raise InputError(
            f"a new version is read from {' or '.join(REVISABLE)} files", source=str(path)
        )
    records: list[DocumentRecord] = list(fmt.read(path, ReadReport(fmt.name)))
    if len(records) != 1:
        raise InputError("expected one article in the file", source=str(path))
    return records[0]


def find_document(workspace: Workspace, reference: str) -> int:
    """The id of the document named by ``reference``: its id, else its exact title."""
    summaries = documents.documents(workspace)
    if reference.strip().isdigit():
        wanted = int(reference)
        if any(s.id == wanted for s in summaries):
            return wanted
    matches = [s.id for s in summaries if s.title == reference]
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(str(i) for i in matches)
        raise GlossaError(f"{len(matches)} documents are titled {reference!r} (ids {shown})")
    raise GlossaError(f"no document with id or title {reference!r}")


def revise(
    workspace: Workspace, document_id: int, path: Path, *, clean: bool = False
) -> RevisionReport:
    """Add the article in ``path`` as a new version of a document, its spans re-anchored.

    With ``clean`` the new version is cleaned as ``glossa import --clean`` cleans an article.
    """
    record = read_revision(path)
    if clean:
        record = cleaned(record)
    return revise_record(workspace, document_id, record, path)


def revise_text(workspace: Workspace, document_id: int, text: str) -> RevisionReport:
    """Add ``text`` (the article edited in the window) as a new version of a document, every
    span re-anchored as ``revise`` does it. ``InputError`` when the text is empty, unchanged
    or already another document's."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("an article needs some text")
    return revise_record(workspace, document_id, DocumentRecord(id="", text=text), None)


def revise_record(
    workspace: Workspace, document_id: int, record: DocumentRecord, path: Path | None
) -> RevisionReport:
    """Add ``record``'s text as a new version of a document (read from ``path``, or edited
    when None), its spans re-anchored; all in one transaction."""
    source = str(path) if path is not None else "the edited text"
    with workspace.database.unit_of_work() as uow:
        reads = uow.bulk_reads
        found = reads.documents([document_id])
        if not found:
            raise GlossaError(f"no document with id {document_id}")
        old = found[0]
        digest = text_sha256(record.text)
        if digest in uow.documents.hashes(workspace.project_id):
            raise InputError("this text is already in the database", source=source)
        by_document, reviews = reads.span_records([old], reviews=True)
        spans = by_document[old.id]
        relations = reads.relation_records([old.id])[old.id]
        anchored = _whole_fragments(
            spans,
            reanchor(
                old.text, record.text, [AnchorSpan(s.start, s.end, s.label, s.id) for s in spans]
            ),
        )
        report = RevisionReport(0, old.id, old.title)
        meta = {**old.meta, "title": old.title, "revision_of": old.id}
        meta.pop("needs_reanchoring", None)  # set below, once the copied spans are known
        if path is not None:
            meta["file"] = path.name
        for key in ("original_text", "cleanup"):  # the old version's, or this one's
            meta.pop(key, None)
            if key in record.meta:
                meta[key] = record.meta[key]
        row = {
            "title": old.title,
            "text": record.text,
            "sha256": digest,
            "meta": meta,
            "external_id": record.id,
        }
        (new_id,) = uow.bulk_writes.add_documents(workspace.project_id, [row])
        report.document = new_id
        copied = _copy_spans(uow, new_id, record.text, spans, anchored, reviews)
        for span, where in zip(spans, anchored, strict=True):
            new_span = copied.get(span.id)
            report.spans.append(
                SpanOutcome(
                    int(span.id),
                    new_span,
                    where.outcome,
                    where.start,
                    where.end,
                    span.label,
                    span.annotator,
                    span.text,
                )
            )
        report.relations = _copy_relations(uow, new_id, relations, copied)
        queued = [
            _queued_entry(old.id, span, relations, copied)
            for span, where in zip(spans, anchored, strict=True)
            if where.outcome is Outcome.QUEUED
        ]
        # what the old version still had queued waits in the new one, against its own text
        carried = [
            {**entry, "document": entry.get("document", old.meta.get("revision_of"))}
            for entry in old.meta.get("needs_reanchoring") or ()
            if isinstance(entry, dict)
        ]
        if queued or carried:
            meta["needs_reanchoring"] = carried + queued
            uow.documents.set_meta(new_id, meta)
        uow.events.record(
            workspace.annotator,
            "revise",
            document=new_id,
            revision_of=old.id,
            file=source,
            **report.counts(),
        )
        uow.commit()
    return report


def _whole_fragments(spans: list[SpanRecord], anchored: list[Anchored]) -> list[Anchored]:
    """``anchored``, with each discontinuous span whose covered text changed queued: its
    pieces can only move along with the whole text around them."""
    kept = []
    for span, where in zip(spans, anchored, strict=True):
        if span.fragments and where.outcome is Outcome.MOVED:
            where = replace(where, outcome=Outcome.QUEUED, start=None, end=None)
        kept.append(where)
    return kept


def withdraw_revision(workspace: Workspace, document_id: int, revision_of: int) -> None:
    """Delete the version ``revise_text`` made of document ``revision_of`` (undoing the edit);
    the old version is untouched. ``GlossaError`` when that document is not such a version."""
    with workspace.database.unit_of_work() as uow:
        document = uow.documents.get(document_id, lock=True)
        if document.meta.get("revision_of") != revision_of:
            raise GlossaError(
                f"document {document_id} is not a new version of document {revision_of}"
            )
        uow.documents.delete(document_id)
        uow.events.record(
            workspace.annotator, "withdraw_revision", document=document_id, revision_of=revision_of
        )
        uow.commit()


def _queued_entry(
    document_id: int, span: SpanRecord, relations: list[RelationRecord], copied: dict[str, int]
) -> dict[str, Any]:
    """What placing a queued span by hand needs: where it was (``document`` the version whose
    text its offsets count in), what it was, and its relations, each naming the other end by
    its id in the new version (``span``) or, when that one is queued too, by its entry."""
    links = []
    for relation in relations:
        if span.id not in (relation.head, relation.tail):
            continue
        role = "head" if relation.head == span.id else "tail"
        other = relation.tail if role == "head" else relation.head
        link: dict[str, Any] = {"label": relation.label, "annotator": relation.annotator}
        link["role"] = role
        if other in copied:
            link["span"] = copied[other]
        else:
            link["entry"] = int(other)
        links.append(link)
    entry: dict[str, Any] = {
        "id": int(span.id),
        "document": document_id,
        "start": span.start,
        "end": span.end,
        "text": span.text,
        "label": span.label,
        "annotator": span.annotator,
        "attributes": span.attributes,
        "origin": span.origin,
    }
    if span.entity:
        entry["entity"] = int(span.entity)
    if links:
        entry["relations"] = links
    if span.fragments:
        entry["fragments"] = [list(piece) for piece in span.fragments]
    return entry


def _copy_spans(
    uow: UnitOfWork,
    document_id: int,
    text: str,
    spans: list[SpanRecord],
    anchored: list[Anchored],
    reviews: dict[str, str],
) -> dict[str, int]:
    """Insert the spans that were found; their new ids by old record id."""
    annotators: dict[str, int] = {}
    rows: list[tuple[Any, ...]] = []
    kept: list[SpanRecord] = []
    for span, where in zip(spans, anchored, strict=True):
        if where.start is None or where.end is None:
            continue
        if span.annotator not in annotators:
            annotators[span.annotator] = uow.annotators.id_of(span.annotator)
        rows.append(
            (
                document_id,
                where.start,
                where.end,
                span.label,
                text[where.start : where.end],
                annotators[span.annotator],
                span.origin,
                span.attributes,
                fragments_json(
                    tuple(
                        (s + where.start - span.start, e + where.start - span.start)
                        for s, e in span.fragments
                    )
                ),
            )
        )
        kept.append(span)
    ids = uow.bulk_writes.add_spans_to_new_documents(rows, [document_id])
    copied = {span.id: new_id for span, new_id in zip(kept, ids, strict=True)}
    states = {
        copied[old_id]: Review(state)
        for old_id, state in reviews.items()
        if old_id in copied and state != Review.UNREVIEWED.value
    }
    if states:
        uow.review_rows.set_reviews(states)
    by_entity: dict[int, list[int]] = defaultdict(list)
    for span in kept:
        if span.entity:
            by_entity[int(span.entity)].append(copied[span.id])
    for entity_id, span_ids in by_entity.items():
        uow.entities.link(span_ids, entity_id)
    return copied


def _copy_relations(
    uow: UnitOfWork, document_id: int, relations: list[RelationRecord], copied: dict[str, int]
) -> list[RelationOutcome]:
    """Insert the relations whose spans were both copied; every relation's outcome."""
    annotators: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    for relation in relations:
        if relation.head in copied and relation.tail in copied:
            if relation.annotator not in annotators:
                annotators[relation.annotator] = uow.annotators.id_of(relation.annotator)
            rows.append(
                {
                    "document_id": document_id,
                    "head_id": copied[relation.head],
                    "tail_id": copied[relation.tail],
                    "label": relation.label,
                    "annotator_id": annotators[relation.annotator],
                }
            )
    uow.bulk_writes.add_relations(rows)
    # relations of a document added in this transaction come back in the order inserted
    inserted = uow.bulk_reads.relation_records([document_id])[document_id] if rows else []
    new_ids = iter(int(relation.id) for relation in inserted)
    return [
        RelationOutcome(
            int(relation.id),
            next(new_ids) if relation.head in copied and relation.tail in copied else None,
            relation.label,
            int(relation.head),
            int(relation.tail),
        )
        for relation in relations
    ]
