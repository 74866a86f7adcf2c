"""Pending suggestions: what the suggesters propose, stored for annotators to accept or reject.

``glossa suggest`` without ``--out`` stores here: each document's pending suggestions of the
suggesters that ran are replaced by what they propose now, except what annotators already
tagged or rejected there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.assist import Suggestion, suggester_names
from app.core.errors import InputError
from app.core.review import CONTEXT_CHARS
from app.core.suggestions import PendingSuggestion, Rejection, SuggestedPart
from app.services import documents as documents_service
from app.services import schema_edits
from app.services import spans as spans_service
from app.services.suggesting import Warn, context_of, guarded_suggestions, unheard
from app.services.suggestion_settings import SuggestionSettings, suggestion_settings
from app.services.workspace import Workspace


def pending_of(
    suggestion: Suggestion, document_id: int, *, group: str | None = None
) -> PendingSuggestion:
    """A suggester's suggestion as a pending one of a document: to be stored under a new
    group, or (given a ``group``) one computed for the window and never stored."""
    source = suggestion.provenance
    own = {k: v for k, v in suggestion.attributes.items() if isinstance(v, str | int | float)}
    parts = (
        SuggestedPart("", suggestion.label, suggestion.start, suggestion.end, own),
        *(
            SuggestedPart(p.role, p.label, p.start, p.end, dict(p.attributes))
            for p in suggestion.parts
        ),
    )
    return PendingSuggestion(
        group=group or uuid.uuid4().hex,
        document_id=document_id,
        suggester=source.suggester,
        rule=source.rule,
        version=source.version,
        confidence=round(float(suggestion.confidence), 3),
        parts=parts,
        relations=tuple((r.name, r.head, r.tail) for r in suggestion.relations),
        entity=suggestion.entity,
        stored=group is None,
    )


def is_rejected(suggestion: PendingSuggestion, text: str, rejections: set[Rejection]) -> bool:
    """True when an annotator rejected the suggestion's label for its text."""
    covered = text[suggestion.start : suggestion.end]
    return Rejection.of(suggestion.document_id, suggestion.label, covered) in rejections


@dataclass(frozen=True)
class Stored:
    """What ``store_suggestions`` did."""

    documents: int
    suggestions: int
    spans: int


def store_suggestions(
    workspace: Workspace,
    documents: Sequence[int],
    names: Iterable[str] | None = None,
    settings: SuggestionSettings | None = None,
    warn: Warn = unheard,
) -> Stored:
    """Store the named suggesters' (all by default) suggestions for ``documents`` as pending,
    replacing what those suggesters had pending there; one transaction for all.

    Only what ``settings`` keep is stored (threshold, labels per suggester). A suggester
    that fails on a document is switched off for it, ``warn`` told: what it had pending
    there stays as it was, and no annotation is touched."""
    settings = settings or SuggestionSettings()
    chosen = list(names) if names is not None else suggester_names()
    unknown = sorted(set(chosen) - set(suggester_names()))
    if unknown:
        known = ", ".join(suggester_names())
        raise InputError(f"no suggester called {', '.join(unknown)} (known: {known})")
    context = context_of(workspace, schema_edits.refresh_schema(workspace))
    proposed: dict[int, list[PendingSuggestion]] = {}
    ran: dict[int, list[str]] = {}
    for document_id in documents:
        document = documents_service.document(workspace, document_id)
        tagged = {(s.label, s.start, s.end) for s in spans_service.spans(workspace, document_id)}
        with workspace.database.reading() as uow:
            rejections = uow.suggestions.rejections_of(document_id)
        suggested, off = guarded_suggestions(
            document.text,
            context,
            chosen,
            settings,
            document=f"document {document_id} ({document.title})",
            warn=warn,
        )
        ran[document_id] = [name for name in chosen if name not in off]
        found = [pending_of(s, document_id) for s in suggested]
        proposed[document_id] = [
            s
            for s in found
            if (s.label, s.start, s.end) not in tagged
            and not is_rejected(s, document.text, rejections)
        ]
    with workspace.database.unit_of_work() as uow:
        for document_id, suggestions in proposed.items():
            uow.suggestions.remove_pending_of(document_id, ran[document_id])
            uow.suggestions.add_pending(suggestions)
        uow.events.record(
            workspace.annotator, "store_suggestions", documents=list(proposed), suggesters=chosen
        )
        uow.commit()
    every = [s for found in proposed.values() for s in found]
    return Stored(len(proposed), len(every), sum(len(s.parts) for s in every))


def pending_suggestions(workspace: Workspace, document_id: int) -> list[PendingSuggestion]:
    """A document's stored pending suggestions, in text order."""
    with workspace.database.reading() as uow:
        return uow.suggestions.pending_of(document_id)


@dataclass(frozen=True)
class PendingRow:
    """A pending suggestion as the review table lists it: its document and text in context."""

    title: str
    suggestion: PendingSuggestion
    text: str
    left: str
    right: str

    def in_context(self) -> str:
        """``…before [text] after…`` on one line."""
        left = " ".join(self.left.split())
        right = " ".join(self.right.split())
        return f"…{left} [{' '.join(self.text.split())}] {right}…"


def pending_rows(workspace: Workspace, context: int = CONTEXT_CHARS) -> list[PendingRow]:
    """Every stored pending suggestion of the project, by document and place, with the text
    around it; what was tagged or rejected there since, or what the project's suggestion
    settings leave out (threshold, labels), is left out."""
    titles = {summary.id: summary.title for summary in documents_service.documents(workspace)}
    with workspace.database.reading() as uow:
        found = uow.suggestions.pending_of_project(workspace.project_id)
        texts = {d: uow.documents.text(d) for d in sorted({s.document_id for s in found})}
        rejections = {d: uow.suggestions.rejections_of(d) for d in texts}
        tagged = {
            d: {
                (s.label, s.start, s.end)
                for s in uow.annotator_work.spans_of(d, [workspace.annotator])
            }
            for d in texts
        }
    settings = suggestion_settings(workspace)
    rows = []
    for suggestion in found:
        if not settings.keeps(suggestion):
            continue
        document = suggestion.document_id
        text = texts[document]
        if (suggestion.label, suggestion.start, suggestion.end) in tagged[document]:
            continue
        if is_rejected(suggestion, text, rejections[document]):
            continue
        start, end = suggestion.start, suggestion.end
        rows.append(
            PendingRow(
                titles.get(document, str(document)),
                suggestion,
                text[start:end],
                text[max(start - context, 0) : start],
                text[end : end + context],
            )
        )
    return rows
