"""Pending suggestions of documents, and the suggestions annotators rejected."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select

from app.core.suggestions import PendingSuggestion, Rejection, SuggestedPart
from app.store.orm import DocumentRow, RejectedSuggestion, SpanRow, SuggestionRow
from app.store.repositories._shared import Repository, _attributes, _chunks, _insert_unless_present

_PROVENANCE = ("rule", "version", "relations")
"""Keys of part 0's attributes that describe the suggestion, not the span."""


def _rows(suggestion: PendingSuggestion) -> list[dict[str, Any]]:
    rows = []
    for number, part in enumerate(suggestion.parts):
        attributes = dict(part.attributes)
        if number == 0:
            attributes["rule"] = suggestion.rule
            attributes["version"] = suggestion.version
            attributes["relations"] = [list(r) for r in suggestion.relations]
        rows.append(
            {
                "document_id": suggestion.document_id,
                "group_key": suggestion.group,
                "part": number,
                "role": part.role,
                "label": part.label,
                "start": part.start,
                "end": part.end,
                "suggester": suggestion.suggester,
                "confidence": suggestion.confidence,
                "entity_id": suggestion.entity if number == 0 else None,
                "attributes": attributes,
            }
        )
    return rows


def _suggestions(rows: Sequence[Any]) -> list[PendingSuggestion]:
    """Rows ordered by group and part, grouped back into suggestions."""
    groups: dict[str, list[Any]] = {}
    for row in rows:
        groups.setdefault(row.group_key, []).append(row)
    found = []
    for group, parts in groups.items():
        first = parts[0]
        head = _attributes(first.attributes)
        relations = tuple((str(n), int(h), int(t)) for n, h, t in head.get("relations", ()))
        own = {k: v for k, v in head.items() if k not in _PROVENANCE}
        found.append(
            PendingSuggestion(
                group=group,
                document_id=first.document_id,
                suggester=first.suggester,
                rule=str(head.get("rule", "")),
                version=str(head.get("version", "")),
                confidence=float(first.confidence),
                parts=(
                    SuggestedPart(first.role, first.label, first.start, first.end, own),
                    *(
                        SuggestedPart(p.role, p.label, p.start, p.end, _attributes(p.attributes))
                        for p in parts[1:]
                    ),
                ),
                relations=relations,
                entity=first.entity_id,
            )
        )
    return sorted(found, key=lambda s: (s.start, s.end, s.label, s.group))


class Suggestions(Repository):
    """Pending suggestions (groups of proposed spans) and rejections."""

    def pending_of(self, document_id: int) -> list[PendingSuggestion]:
        """Every pending suggestion of a document, in text order."""
        rows = self.session.execute(
            select(SuggestionRow)
            .where(SuggestionRow.document_id == document_id)
            .order_by(SuggestionRow.group_key, SuggestionRow.part)
        ).scalars()
        return _suggestions(list(rows))

    def pending_of_project(self, project_id: int) -> list[PendingSuggestion]:
        """Every pending suggestion of a project's documents, by document and text order."""
        documents = select(DocumentRow.id).where(DocumentRow.project_id == project_id)
        rows = self.session.execute(
            select(SuggestionRow)
            .where(SuggestionRow.document_id.in_(documents))
            .order_by(SuggestionRow.group_key, SuggestionRow.part)
        ).scalars()
        found = _suggestions(list(rows))
        return sorted(found, key=lambda s: (s.document_id, s.start, s.end, s.label, s.group))

    def count_pending(self, document_ids: Iterable[int]) -> int:
        """How many pending suggestions (not parts) the documents have."""
        ids = sorted(set(document_ids))
        groups: set[str] = set()
        for chunk in _chunks(ids):
            groups.update(
                self.session.scalars(
                    select(SuggestionRow.group_key).where(SuggestionRow.document_id.in_(chunk))
                )
            )
        return len(groups)

    def add_pending(self, suggestions: Iterable[PendingSuggestion]) -> None:
        """Store suggestions as pending (under their groups)."""
        rows = [row for suggestion in suggestions for row in _rows(suggestion)]
        if rows:
            self.session.execute(insert(SuggestionRow), rows)

    def remove_pending(self, groups: Iterable[str]) -> None:
        """Forget the pending suggestions of these groups (accepted, or replaced)."""
        keys = sorted(set(groups))
        for first in range(0, len(keys), 500):
            chunk = keys[first : first + 500]
            self.session.execute(delete(SuggestionRow).where(SuggestionRow.group_key.in_(chunk)))

    def remove_pending_of(self, document_id: int, suggesters: Iterable[str]) -> None:
        """Forget a document's pending suggestions made by ``suggesters``."""
        self.session.execute(
            delete(SuggestionRow).where(
                SuggestionRow.document_id == document_id,
                SuggestionRow.suggester.in_(sorted(set(suggesters))),
            )
        )

    def rejections_of(self, document_id: int) -> set[Rejection]:
        """What annotators rejected in a document."""
        rows = self.session.execute(
            select(RejectedSuggestion.label, RejectedSuggestion.text).where(
                RejectedSuggestion.document_id == document_id
            )
        )
        return {Rejection(document_id, label, text) for label, text in rows}

    def reject(self, rejection: Rejection, annotator_id: int) -> None:
        """Remember a rejection (once: a second one of the same text changes nothing)."""
        _insert_unless_present(
            self.session,
            RejectedSuggestion,
            {
                "document_id": rejection.document_id,
                "label": rejection.label,
                "text": rejection.text,
                "annotator_id": annotator_id,
            },
        )

    def unreject(self, rejection: Rejection) -> None:
        """Forget a rejection (undo), so the suggestion is proposed again."""
        self.session.execute(
            delete(RejectedSuggestion).where(
                RejectedSuggestion.document_id == rejection.document_id,
                RejectedSuggestion.label == rejection.label,
                RejectedSuggestion.text == rejection.text,
            )
        )

    def span_texts(
        self, project_id: int, labels: Iterable[str], longest: int
    ) -> set[tuple[str, str]]:
        """(text, label) of every span of the project with one of ``labels`` and a text of at
        most ``longest`` characters: the names annotators have tagged."""
        documents = select(DocumentRow.id).where(DocumentRow.project_id == project_id)
        rows = self.session.execute(
            select(SpanRow.text, SpanRow.label)
            .where(
                SpanRow.document_id.in_(documents),
                SpanRow.label.in_(sorted(set(labels))),
                func.length(SpanRow.text) <= longest,
            )
            .distinct()
        )
        return {(text, label) for text, label in rows}
