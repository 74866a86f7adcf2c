"""Pre-annotating headless: the project's suggesters run over documents, and what they
propose is written as native JSONL, the database untouched.

Each suggestion becomes a span of origin ``suggested`` whose attributes name the suggester,
its rule, version and confidence; a quote's cue and speaker parts become spans of their own,
joined by the speaker and cue relations the suggestion carries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from app.assist import (
    ModelSuggester,
    ProjectContext,
    Suggestion,
    make_suggester,
    run_guarded,
    suggester_names,
)
from app.assist.model import CARD
from app.assist.suggester import TIME_LIMIT
from app.core.annotations import Status
from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.schema import LabelSchema
from app.formats import jsonl
from app.services import documents as documents_service
from app.services import entities as entities_service
from app.services import schema_edits
from app.services.export_targets import refuse_database_target
from app.services.suggestion_settings import SuggestionSettings
from app.services.training import model_folder
from app.services.workspace import Workspace

SUGGESTED = "suggested"

Warn = Callable[[str], None]
"""Told one line for each suggester switched off for a document."""


def unheard(_: str) -> None:
    """Warnings nobody asked to hear."""


def guarded_suggestions(
    text: str,
    context: ProjectContext,
    names: Sequence[str],
    settings: SuggestionSettings,
    *,
    document: str = "",
    warn: Warn = unheard,
    limit: float = TIME_LIMIT,
) -> tuple[list[Suggestion], list[str]]:
    """The named suggesters' suggestions for ``text`` that ``settings`` keep, in text order,
    and the names of the suggesters switched off.

    A suggester that raises or takes longer than ``limit`` seconds is switched off for this
    document: ``warn`` is told which one, for which ``document``, and why, and the others'
    suggestions are kept."""
    found: list[Suggestion] = []
    off: list[str] = []
    for name in names:
        outcome = run_guarded(make_suggester(name), text, context, limit)
        if outcome.failure:
            off.append(name)
            where = document or "the document"
            warn(f"suggester {name} switched off for {where}: {outcome.failure}")
            continue
        found += [
            s
            for s in outcome.suggestions
            if settings.allows(s.provenance.suggester, s.label, s.confidence)
        ]
    found.sort(key=lambda s: (s.start, s.end, s.label, s.provenance.suggester))
    return found, off


def context_of(workspace: Workspace, schema: LabelSchema) -> ProjectContext:
    """What the suggesters may know of the project: its schema's labels and roles, its
    entities with their names and aliases, and where its trained model is."""
    roles: dict[str, str] = {}
    for field, role in (("quote_label", "quote"), ("cue_label", "cue")):
        named = schema.labels_with_role(role)
        if named:
            roles[field] = named[0]
    entities = [(e.id, e.name, e.type, e.aliases) for e in entities_service.entities(workspace)]
    folder = model_folder(workspace)
    if (folder / CARD).is_file():
        roles["model_folder"] = str(folder)
    return ProjectContext.from_schema(schema, entities, (), (), **roles)


def chosen_documents(workspace: Workspace, which: str) -> list[int]:
    """The ids ``which`` names: ``all``, ``unfinished`` (not done), or ids separated by commas."""
    summaries = documents_service.documents(workspace)
    if which == "all":
        return [s.id for s in summaries]
    if which == "unfinished":
        return [s.id for s in summaries if s.status is not Status.DONE]
    try:
        wanted = [int(part) for part in which.split(",") if part.strip()]
    except ValueError:
        raise InputError(
            f"--documents takes all, unfinished or ids like 1,4: not {which!r}"
        ) from None
    known = {s.id for s in summaries}
    missing = [str(i) for i in wanted if i not in known]
    if missing:
        raise InputError(f"no document with id {', '.join(missing)}")
    return wanted


def suggestion_records(
    workspace: Workspace,
    documents: Sequence[int],
    names: Iterable[str] | None = None,
    settings: SuggestionSettings | None = None,
    warn: Warn = unheard,
) -> Iterator[DocumentRecord]:
    """Each document with the suggestions of the named suggesters (all by default) that the
    ``settings`` keep; a suggester failing on a document is switched off for it (``warn``)."""
    chosen = list(names) if names is not None else suggester_names()
    unknown = sorted(set(chosen) - set(suggester_names()))
    if unknown:
        known = ", ".join(suggester_names())
        raise InputError(f"no suggester called {', '.join(unknown)} (known: {known})")
    context = context_of(workspace, schema_edits.refresh_schema(workspace))
    if names is not None and ModelSuggester.name in chosen and not context.model_folder:
        raise InputError(
            "the project has no trained model yet: train one with glossa train "
            "[--annotator NAME | --layer gold]"
        )
    for document_id in documents:
        document = documents_service.document(workspace, document_id)
        found, _ = guarded_suggestions(
            document.text,
            context,
            chosen,
            settings or SuggestionSettings(),
            document=f"document {document_id} ({document.title})",
            warn=warn,
        )
        yield _record(str(document_id), document.title, document.text, found)


def _record(
    document_id: str, title: str, text: str, suggestions: Sequence[Suggestion]
) -> DocumentRecord:
    spans: dict[tuple[str, int, int], SpanRecord] = {}
    relations: list[RelationRecord] = []

    def span_of(label: str, start: int, end: int, suggestion: Suggestion) -> str:
        key = (label, start, end)
        if key not in spans:
            source = suggestion.provenance
            spans[key] = SpanRecord(
                id=f"s{len(spans) + 1}",
                start=start,
                end=end,
                label=label,
                text=text[start:end],
                annotator=f"suggester:{source.suggester}",
                origin=SUGGESTED,
                attributes={
                    "suggester": source.suggester,
                    "rule": source.rule,
                    "version": source.version,
                    "confidence": round(suggestion.confidence, 3),
                },
            )
        return spans[key].id

    for suggestion in suggestions:
        ids = [span_of(label, start, end, suggestion) for label, start, end in suggestion.spans()]
        first = spans[(suggestion.label, suggestion.start, suggestion.end)]
        if suggestion.attributes:
            extra = {k: v for k, v in suggestion.attributes.items() if isinstance(v, str)}
            spans[(first.label, first.start, first.end)] = first._replace(
                attributes={**first.attributes, **extra}
            )
        for relation in suggestion.relations:
            relations.append(
                RelationRecord(
                    f"r{len(relations) + 1}",
                    ids[relation.head],
                    ids[relation.tail],
                    relation.name,
                    f"suggester:{suggestion.provenance.suggester}",
                )
            )
    ordered = sorted(spans.values(), key=lambda s: (s.start, -s.end, s.label))
    return DocumentRecord(
        id=document_id,
        text=text,
        meta={"title": title},
        spans=tuple(ordered),
        relations=tuple(relations),
    )


def write_suggestions(
    workspace: Workspace,
    out: Path,
    documents: Sequence[int],
    names: Iterable[str] | None = None,
    settings: SuggestionSettings | None = None,
    warn: Warn = unheard,
) -> tuple[int, int]:
    """Write the suggestions for ``documents`` to ``out`` as native JSONL (the database is
    only read); ``(documents, spans)`` written."""
    refuse_database_target(workspace.database.path, out, folder=False)
    records = list(suggestion_records(workspace, documents, names, settings, warn))
    jsonl.export(records, out)
    return len(records), sum(len(record.spans) for record in records)
