"""The "Needs re-anchoring" queue: spans a revision could not place, placed or dropped by hand.

``glossa revise`` (and an edit in the window) keeps each span it could not find in the new
version in the new document's metadata under ``needs_reanchoring``. Here a person sees each one
with its old text and context beside the new text around where it was, and a suggested place
when a looser search finds one; placing it makes the span again (label, attributes, annotator,
entity link and the relations whose other end is still there) and takes the entry out of the
queue in one reversible change, and so does dropping it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from app.core.anchoring import position_in
from app.core.annotations import Origin, Relation, Span
from app.core.errors import NotFoundError
from app.core.fuzzy_place import suggested_place
from app.services.applying import started, write_change
from app.services.changes import ChangeSet
from app.services.project_schema import require_label, schema_in
from app.services.relations import relation_refusal
from app.services.workspace import Workspace
from app.store.unit_of_work import UnitOfWork

QUEUE = "needs_reanchoring"
"""The metadata key of a document's queue."""
CONTEXT = 40
"""Characters shown each side of a queued span's old text, and around where it was now."""


@dataclass(frozen=True)
class QueuedSpan:
    """One entry of a document's queue, with what a person needs to place it."""

    document_id: int
    title: str
    entry: int
    """The span's id in the version it came from: the entry's name in the queue."""
    label: str
    annotator: str
    text: str
    start: int
    end: int
    """The span's offsets in the version it came from."""
    before: str
    after: str
    """Its context in that version (empty when that version is gone)."""
    near: int
    """Where it was, in this document's text."""
    now: str
    """This document's text around ``near``."""
    suggestion: tuple[int, int] | None
    """The best place a looser search found in this document's text, if any."""
    similarity: float
    relations: int
    """How many relations it had."""
    suggested_text: str
    """The text at the suggested place (empty when there is none)."""
    suggested_context: tuple[str, str] = ("", "")
    """The text before and after the suggested place."""

    @property
    def now_at(self) -> int:
        """Where ``near`` falls within ``now``."""
        return min(self.near, CONTEXT)


def entries(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """The queue kept in a document's metadata (malformed entries left out)."""
    found = meta.get(QUEUE) or []
    return [e for e in found if isinstance(e, dict) and isinstance(e.get("id"), int)]


def queue_sizes(workspace: Workspace) -> dict[int, int]:
    """How many spans wait in each document's queue (documents with none left out)."""
    with workspace.database.reading() as uow:
        found = uow.documents.with_meta(workspace.project_id, QUEUE)
    return {i: len(entries({QUEUE: value})) for i, (_, value) in found.items() if value}


def queued_spans(
    workspace: Workspace, documents: Collection[int] | None = None, *, suggest: bool = True
) -> list[QueuedSpan]:
    """Every queued span of the project's documents (of ``documents`` only, when given), in
    document order and then by old position; without ``suggest``, no context, position or
    suggested place is looked for (cheaper, for a count or a report)."""
    shown: list[QueuedSpan] = []
    with workspace.database.reading() as uow:
        found = uow.documents.with_meta(workspace.project_id, QUEUE)
        texts: dict[int, str | None] = {}
        for document_id, (title, value) in found.items():
            if documents is not None and document_id not in documents:
                continue
            queue = entries({QUEUE: value})
            if not queue:
                continue
            text = uow.documents.text(document_id) if suggest else ""
            for entry in sorted(queue, key=lambda e: (int(e.get("start", 0)), e["id"])):
                source = _text_of(uow, texts, entry.get("document")) if suggest else None
                shown.append(_shown(document_id, title, text, source, entry))
    return shown


def place_queued(
    workspace: Workspace, document_id: int, entry_id: int, start: int, end: int
) -> ChangeSet:
    """Make queued span ``entry_id`` of a document again at ``[start, end)`` and take it out of
    the queue, in one transaction; the change (its inverse puts the entry back).

    Its relations come back when the span at their other end is still there and the schema
    allows them; a relation to a span still queued waits in that span's entry.
    ``NotFoundError`` when the entry is gone, ``SpanError`` for a bad range or label.
    """
    with workspace.database.unit_of_work() as uow:
        document = uow.documents.get(document_id, lock=True)
        queue = entries(document.meta)
        entry = _entry(queue, document_id, entry_id)
        schema = schema_in(workspace, uow)
        require_label(schema, str(entry["label"]))
        span = Span(
            0,
            document_id,
            start,
            end,
            str(entry["label"]),
            str(entry.get("annotator") or workspace.annotator),
            _origin(entry.get("origin")),
            dict(entry.get("attributes") or {}),
            entry.get("entity") if isinstance(entry.get("entity"), int) else None,
        )
        made = write_change(
            uow,
            started(uow, workspace.annotator_id, ChangeSet(document_id, added=(span,))),
            workspace.annotator,
            "place_queued",
            entry=entry_id,
        )
        placed = made.added[0]
        relations = _relations(uow, schema, placed, entry)
        rest = [_linked(other, entry_id, placed.id) for other in queue if other is not entry]
        after = {QUEUE: rest} if rest else {}
        linked = write_change(
            uow,
            ChangeSet(
                document_id,
                relations_added=relations,
                meta=True,
                meta_before={QUEUE: document.meta[QUEUE]},
                meta_after=after,
            ),
            workspace.annotator,
            "place_queued",
            entry=entry_id,
        )
        uow.commit()
    return ChangeSet(
        document_id,
        added=made.added,
        relations_added=linked.relations_added,
        status=made.status,
        status_before=made.status_before,
        meta=True,
        meta_before=linked.meta_before,
        meta_after=linked.meta_after,
    )


def drop_queued(workspace: Workspace, document_id: int, entry_id: int) -> ChangeSet:
    """Take queued span ``entry_id`` out of a document's queue without placing it; the change
    (its inverse puts it back). ``NotFoundError`` when it is not queued."""
    with workspace.database.unit_of_work() as uow:
        document = uow.documents.get(document_id, lock=True)
        queue = entries(document.meta)
        entry = _entry(queue, document_id, entry_id)
        rest = [other for other in queue if other is not entry]
        written = write_change(
            uow,
            ChangeSet(
                document_id,
                meta=True,
                meta_before={QUEUE: document.meta[QUEUE]},
                meta_after={QUEUE: rest} if rest else {},
            ),
            workspace.annotator,
            "drop_queued",
            entry=entry_id,
        )
        uow.commit()
    return written


def _entry(queue: list[dict[str, Any]], document_id: int, entry_id: int) -> dict[str, Any]:
    for entry in queue:
        if entry["id"] == entry_id:
            return entry
    raise NotFoundError(f"document {document_id}: span {entry_id} is not queued (any more)")


def _origin(value: object) -> Origin:
    try:
        return Origin(str(value))
    except ValueError:
        return Origin.MANUAL


def _relations(
    uow: UnitOfWork, schema: Any, placed: Span, entry: dict[str, Any]
) -> tuple[Relation, ...]:
    """The entry's relations whose other end is a span of the document, as the schema allows."""
    made = []
    for link in entry.get("relations") or ():
        other_id = link.get("span") if isinstance(link, dict) else None
        if not isinstance(other_id, int):
            continue
        try:
            other = uow.spans.get(other_id)
        except NotFoundError:
            continue  # deleted since the revision: the relation has nothing to point at
        if other.document_id != placed.document_id:
            continue
        head, tail = (placed, other) if link.get("role") == "head" else (other, placed)
        label = str(link.get("label", ""))
        if relation_refusal(schema, label, head.label, tail.label) is not None:
            continue
        annotator = str(link.get("annotator") or placed.annotator)
        made.append(Relation(0, placed.document_id, head.id, tail.id, label, annotator))
    return tuple(made)


def _linked(entry: dict[str, Any], placed_entry: int, span_id: int) -> dict[str, Any]:
    """``entry`` with its relations to the entry just placed pointing at the new span."""
    links = entry.get("relations")
    if not links or not any(
        isinstance(link, dict) and link.get("entry") == placed_entry for link in links
    ):
        return entry
    moved = []
    for link in links:
        if isinstance(link, dict) and link.get("entry") == placed_entry:
            link = {key: value for key, value in link.items() if key != "entry"}
            link["span"] = span_id
        moved.append(link)
    return {**entry, "relations": moved}


def _text_of(uow: UnitOfWork, texts: dict[int, str | None], document_id: object) -> str | None:
    if not isinstance(document_id, int):
        return None
    if document_id not in texts:
        try:
            texts[document_id] = uow.documents.text(document_id)
        except NotFoundError:
            texts[document_id] = None
    return texts[document_id]


def _shown(
    document_id: int, title: str, text: str, source: str | None, entry: dict[str, Any]
) -> QueuedSpan:
    """An entry as the queue shows it: old text in context, new text around where it was."""
    start, end = int(entry.get("start", 0)), int(entry.get("end", 0))
    old_text = str(entry.get("text", ""))
    before = after = ""
    suggestion: tuple[int, int] | None = None
    similarity = 0.0
    if source is not None and source[start:end] == old_text and start < end:
        before = source[max(0, start - CONTEXT) : start]
        after = source[end : end + CONTEXT]
        near = position_in(source, text, start)
        while 0 < near < len(text) and text[near - 1].isalnum() and text[near].isalnum():
            near -= 1  # a diff of characters may cut a word: show the place before it
        found = suggested_place(source, text, start, end)
        if found is not None and found.start is not None and found.end is not None:
            suggestion, similarity = (found.start, found.end), found.similarity
    else:  # the version it came from is gone: all there is, is its text
        near = min(start, len(text))
        at = text.find(old_text) if old_text and text else -1
        if at != -1:
            suggestion, similarity = (at, at + len(old_text)), 1.0
    now = text[max(0, near - CONTEXT) : near + CONTEXT]
    return QueuedSpan(
        document_id,
        title,
        int(entry["id"]),
        str(entry.get("label", "")),
        str(entry.get("annotator", "")),
        old_text,
        start,
        end,
        before,
        after,
        near,
        now,
        suggestion,
        similarity,
        len(entry.get("relations") or ()),
        text[suggestion[0] : suggestion[1]] if suggestion else "",
        (
            text[max(0, suggestion[0] - CONTEXT) : suggestion[0]],
            text[suggestion[1] : suggestion[1] + CONTEXT],
        )
        if suggestion
        else ("", ""),
    )
