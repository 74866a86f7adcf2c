"""The suggestions of the open document, kept up to date as the annotator works.

They are the document's stored pending suggestions plus what the suggesters the project's
settings run in the window find now: the names suggester (every entity name and alias and
every name annotators have tagged in the project) and the others (the quote suggester by
default), run once when the document is loaded since the text does not change. A stored
suggestion and a live one of the same label and range are shown once, the stored one.
What the settings' threshold or labels leave out is not shown. A suggester that fails or
takes too long is switched off for the document (``switched_off`` says why).
It learns on the accept itself: a change that adds a span adds its text to the known
names, and its other occurrences are suggested at once. What the annotator already tagged
(a span of the same label over the suggestion) or rejected is left out.

After the first load a refresh reads nothing from the database: the change says what was
added, removed and rejected.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from dataclasses import replace

from app.assist import ProjectContext, Suggestion, make_suggester, run_guarded
from app.assist.known_names import KnownNamesSuggester
from app.assist.suggester import TIME_LIMIT
from app.core.annotations import Span
from app.core.schema import LabelSchema
from app.core.suggestions import PendingSuggestion, Rejection
from app.services import entities, schema_edits, spans
from app.services.boundaries import Edge, nudged
from app.services.changes import ChangeSet
from app.services.pending import is_rejected, pending_of
from app.services.suggesting import context_of
from app.services.suggestion_settings import SuggestionSettings, suggestion_settings
from app.services.workspace import Workspace

Made = tuple[str, int, int, int | None, float]
"""What tells a found suggestion apart: label, offsets, entity, confidence."""

LONGEST_NAME = 80
"""Longer spans (quotes, claims) are not names to look for elsewhere."""
NOT_NAMES = ("quote", "claim", "cue")
"""Label roles whose spans' texts are not suggested elsewhere."""


WIDEN = 2_000
"""How far a glance's stretch may be widened to reach a line or sentence break."""


def _widened(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to the line breaks (else sentence ends) within ``WIDEN``."""
    floor, ceiling = max(0, start - WIDEN), min(len(text), end + WIDEN)
    line = text.rfind("\n", floor, start)
    sentence = text.rfind(". ", floor, start)
    start = line + 1 if line >= 0 else sentence + 2 if sentence >= 0 else floor
    line = text.find("\n", end, ceiling)
    sentence = text.find(". ", end, ceiling)
    end = line if line >= 0 else sentence + 1 if sentence >= 0 else ceiling
    return start, max(start, end)


def shifted(found: Suggestion, by: int) -> Suggestion:
    """``found`` (made on a stretch of the text) with its offsets and its parts' moved by
    ``by``, to count in the whole text."""
    parts = tuple(replace(part, start=part.start + by, end=part.end + by) for part in found.parts)
    return replace(found, start=found.start + by, end=found.end + by, parts=parts)


def name_labels(schema: LabelSchema) -> list[str]:
    """The labels whose tagged texts are names to suggest wherever they recur."""
    return [label.name for label in schema.labels if label.role not in NOT_NAMES]


class OpenSuggestions:
    """The suggestions shown in one open document, in text order."""

    def __init__(self, workspace: Workspace, document_id: int, text: str) -> None:
        self.workspace = workspace
        self.document_id = document_id
        self.text = text
        self.suggestions: list[PendingSuggestion] = []
        self._names: KnownNamesSuggester = make_suggester("known-names")  # type: ignore[assignment]
        self._stored: dict[str, PendingSuggestion] = {}
        self._rejections: set[Rejection] = set()
        self._tagged: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self._reach: dict[str, list[int]] = {}
        self._span_keys: dict[int, tuple[str, int, int]] = {}
        self._learned: set[tuple[str, str]] = set()
        self._entities: list[tuple[int, str, str, list[str]]] = []
        self._schema = workspace.schema
        self._context = ProjectContext()
        self._made: dict[Made, PendingSuggestion] = {}
        self._live_made: dict[Made, PendingSuggestion] = {}
        self._found: list[PendingSuggestion] = []
        self._found_for: ProjectContext | None = None
        self._live: list[PendingSuggestion] = []
        self._fixed: dict[str, PendingSuggestion] = {}
        self.settings = SuggestionSettings()
        self.switched_off: dict[str, str] = {}
        """Suggester name: why it was switched off for this document."""
        self.limit = TIME_LIMIT

    def load(self) -> list[PendingSuggestion]:
        """Read what the suggestions depend on, and compute them."""
        self._live = self._run_live(self._read())
        return self.compute()

    def glance(self, start: int, end: int) -> list[PendingSuggestion]:
        """The suggestions of the stretch ``[start, end)`` alone (the part of a long article
        on screen), shown while ``load`` computes the whole on a worker thread; the stretch
        is widened to whole lines (or sentences) nearby, so a quote is seldom cut at its
        edge."""
        start, stop = _widened(self.text, max(0, start), min(len(self.text), end))
        context = self._read()
        piece = self.text[start:stop]
        found: list[Suggestion] = []
        for name in self.settings.window:
            if name in self.switched_off:
                continue
            names = name == self._names.name
            try:
                suggester = self._names if names else make_suggester(name)
            except Exception:  # not registered here: the whole load says so
                continue
            outcome = run_guarded(suggester, piece, self._context if names else context, self.limit)
            found += [shifted(one, start) for one in outcome.suggestions]
        self._live = list(self._as_pending(found, {}).values())
        # the names are among what was found in the stretch: not looked for in the whole text
        self._found, self._found_for = [], self._context
        shown = self.compute()
        self._found_for = None  # the whole load computes everything again
        return shown

    def _read(self) -> ProjectContext:
        """Read the state the suggestions depend on; the project context of the suggesters."""
        workspace = self.workspace
        self._schema = schema = schema_edits.refresh_schema(workspace)
        own = spans.spans(workspace, self.document_id, [workspace.annotator])
        with workspace.database.reading() as uow:
            stored = uow.suggestions.pending_of(self.document_id)
            self._rejections = uow.suggestions.rejections_of(self.document_id)
            self._learned = uow.suggestions.span_texts(
                workspace.project_id, name_labels(schema), LONGEST_NAME
            )
        self._entities = [
            (e.id, e.name, e.type, list(e.aliases)) for e in entities.entities(workspace)
        ]
        self.settings = suggestion_settings(workspace)
        self._stored = {s.group: s for s in stored}
        self._fixed = {}
        self.switched_off = {}
        self._span_keys = {}
        self._tagged = defaultdict(list)
        self._reach = {}
        for span in own:
            self._tag(span)
        self._rebuild_context()
        self._found_for = None
        return context_of(workspace, schema)

    def _run_live(self, context: ProjectContext) -> list[PendingSuggestion]:
        """What the window's suggesters other than the names one find in the text."""
        live: list[Suggestion] = []
        for name in self.settings.window:
            if name == self._names.name or name in self.switched_off:
                continue
            try:
                suggester = make_suggester(name)
            except Exception as error:  # no longer registered: a setting of another install
                self.switched_off[name] = f"failed: {error}"
                continue
            outcome = run_guarded(suggester, self.text, context, self.limit)
            if outcome.failure:
                self.switched_off[name] = outcome.failure
            live += outcome.suggestions
        self._live_made = self._as_pending(live, self._live_made)
        return list(self._live_made.values())

    def refresh(self, change: ChangeSet) -> list[PendingSuggestion]:
        """Follow a committed change of this document (accept, reject, tag, undo)."""
        for span in change.removed:
            self._untag(span.id)
        for span in change.changed:
            self._untag(span.id)
        mine = [
            s for s in (*change.added, *change.changed) if s.annotator == self.workspace.annotator
        ]
        for span in mine:
            self._tag(span)
        for suggestion in change.suggestions_removed:
            self._stored.pop(suggestion.group, None)
        for suggestion in change.suggestions_added:
            self._stored[suggestion.group] = suggestion
        self._rejections -= set(change.rejections_removed)
        self._rejections |= set(change.rejections_added)
        names = set(name_labels(self._schema))
        learned = {
            (self.text[s.start : s.end], s.label)
            for s in mine
            if s.label in names and s.end - s.start <= LONGEST_NAME
        }
        forgotten = any(s.annotator == self.workspace.annotator for s in change.removed)
        if forgotten:
            # an undone accept: a name only it taught is no longer known
            learned |= self._tagged_names()
            self._learned = set()
        if forgotten or learned - self._learned or change.entities:
            self._learned |= learned
            if change.entities:
                self._entities = [
                    (e.id, e.name, e.type, list(e.aliases))
                    for e in entities.entities(self.workspace)
                ]
            self._rebuild_context()
        return self.compute()

    def compute(self) -> list[PendingSuggestion]:
        """The suggestions to show now: stored ones and the names found, minus what is
        tagged or rejected (a name the store already proposes there is not doubled)."""
        name = self._names.name
        if self._found_for is not self._context:
            # the text never changes: only new names (or entities) change what is found
            names: tuple[Suggestion, ...] = ()
            if name in self.settings.window and name not in self.switched_off:
                outcome = run_guarded(self._names, self.text, self._context, self.limit)
                if outcome.failure:
                    self.switched_off[name] = outcome.failure
                names = outcome.suggestions
            self._made = self._as_pending(list(names), self._made)
            self._found = list(self._made.values())
            self._found_for = self._context
        found = [*self._stored.values(), *self._live, *self._found]
        seen: set[tuple[str, int, int]] = set()
        shown = []
        for proposed in sorted(found, key=lambda s: (s.start, s.end, s.label, not s.stored)):
            # duplicates are told apart as proposed; a fixed one is shown as fixed
            key = (proposed.label, proposed.start, proposed.end)
            suggestion = self._fixed.get(proposed.group, proposed)
            fixed = (suggestion.label, suggestion.start, suggestion.end)
            if key in seen or self._is_tagged(*key) or self._is_tagged(*fixed):
                continue
            if not self.settings.keeps(suggestion):
                continue
            if is_rejected(proposed, self.text, self._rejections):
                continue
            seen.add(key)
            shown.append(suggestion)
        shown.sort(key=lambda s: (s.start, s.end, s.label))
        self.suggestions = shown
        return shown

    def _as_pending(
        self, found: list[Suggestion], before: dict[Made, PendingSuggestion]
    ) -> dict[Made, PendingSuggestion]:
        """What a suggester found as pending suggestions; a match found ``before`` is the
        suggestion made then (the window keeps its place on it)."""
        made: dict[Made, PendingSuggestion] = {}
        for one in found:
            key = (one.label, one.start, one.end, one.entity, one.confidence)
            pending = before.get(key)
            if pending is None:
                source = one.provenance.suggester
                group = f"{source}:{one.label}:{one.start}:{one.end}"
                pending = pending_of(one, self.document_id, group=group)
            made[key] = pending
        return made

    # -- fixing a boundary before accepting -------------------------------------------

    def fix(
        self, suggestion: PendingSuggestion, edge: Edge, step: int, *, by_word: bool = True
    ) -> PendingSuggestion:
        """Move one edge of a shown suggestion one word (or character) left or right, in
        this layer only: the suggestion as it is now (unchanged when the move would empty
        it or leave the text)."""
        start, end = nudged(
            self.text, suggestion.start, suggestion.end, edge, step, by_word=by_word
        )
        if (start, end) == (suggestion.start, suggestion.end):
            return suggestion
        head = replace(suggestion.parts[0], start=start, end=end)
        moved = replace(suggestion, parts=(head, *suggestion.parts[1:]))
        self._fixed[suggestion.group] = moved
        self.compute()
        return moved

    def is_fixed(self, suggestion: PendingSuggestion) -> bool:
        """True when the suggestion's boundaries were fixed in this layer."""
        return suggestion.group in self._fixed

    def proposed(self, suggestion: PendingSuggestion) -> PendingSuggestion | None:
        """The suggestion as its suggester proposed it, when its boundaries were fixed."""
        if suggestion.group not in self._fixed:
            return None
        every = (*self._stored.values(), *self._live, *self._found)
        return next((s for s in every if s.group == suggestion.group), None)

    def forget_fix(self, suggestion: PendingSuggestion) -> None:
        """Show the suggestion as proposed again (after it was accepted, or on request)."""
        self._fixed.pop(suggestion.group, None)

    def of_label(self, label: str) -> list[PendingSuggestion]:
        """The suggestions shown with ``label``."""
        return [s for s in self.suggestions if s.label == label]

    # -- what is tagged ---------------------------------------------------------------

    def _tag(self, span: Span) -> None:
        key = (span.label, span.start, span.end)
        self._span_keys[span.id] = key
        bisect.insort(self._tagged[span.label], (span.start, span.end))
        self._reach.pop(span.label, None)

    def _untag(self, span_id: int) -> None:
        key = self._span_keys.pop(span_id, None)
        if key is None:
            return
        ranges = self._tagged[key[0]]
        at = bisect.bisect_left(ranges, (key[1], key[2]))
        if at < len(ranges) and ranges[at] == (key[1], key[2]):
            del ranges[at]
        self._reach.pop(key[0], None)

    def _is_tagged(self, label: str, start: int, end: int) -> bool:
        """True when a span of ``label`` overlaps ``[start, end)``."""
        ranges = self._tagged.get(label)
        if not ranges:
            return False
        reach = self._reach.get(label)
        if reach is None:
            # the furthest end among the spans up to each one, made again after a change
            reach = self._reach[label] = list(itertools.accumulate((e for _, e in ranges), max))
        before = bisect.bisect_left(ranges, (end, -1))  # the spans starting before ``end``
        return before > 0 and reach[before - 1] > start

    def _tagged_names(self) -> set[tuple[str, str]]:
        workspace = self.workspace
        with workspace.database.reading() as uow:
            return uow.suggestions.span_texts(
                workspace.project_id, name_labels(self._schema), LONGEST_NAME
            )

    def _rebuild_context(self) -> None:
        self._context = ProjectContext.from_schema(
            self._schema, self._entities, sorted(self._learned)
        )
