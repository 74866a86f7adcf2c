"""Names the project already knows, suggested wherever they recur.

Every entity name and alias and every accepted span text is looked for in the text as a
whole word or words, ignoring case, and possessives are tolerated ("Troufanov's" finds
Troufanov). A match is suggested with the label (and entity) it has in the project, unless
annotators rejected that text with that label.

All names go into one regular expression built from a trie of their characters, so the
engine walks the text once whatever the number of names (a plain alternation of thousands
of names tries each one at every position).
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass

from app.assist.suggester import KnownName, ProjectContext, Provenance, Suggestion
from app.assist.trie import first_characters, phrase_key, trie_pattern

VERSION = "1"


@functools.lru_cache(maxsize=8)
def _pattern(keys: tuple[str, ...]) -> re.Pattern[str] | None:
    """The one pattern for these names; kept, since building it costs more than a scan."""
    body = trie_pattern(keys)
    if not body:
        return None
    return re.compile(rf"(?={first_characters(keys)})(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class _Entry:
    label: str
    entity: int | None


class KnownNamesSuggester:
    """Suggests every recurrence of a name the project knows, with its label and entity."""

    name = "known-names"

    def __init__(self) -> None:
        self._compiled_for: tuple[KnownName, ...] | None = None
        self._pattern: re.Pattern[str] | None = None
        self._entries: dict[str, list[_Entry]] = {}
        self._capitalised: set[str] = set()

    def _compile(self, known: tuple[KnownName, ...]) -> None:
        if self._compiled_for is known:
            return
        entries: dict[str, list[_Entry]] = defaultdict(list)
        for name in known:
            key = phrase_key(name.text)
            entry = _Entry(name.label, name.entity)
            if key and entry not in entries[key]:
                entries[key].append(entry)
        for key, found in entries.items():
            # a name known as an entity needs no second, entity-less suggestion
            labels_with_entity = {e.label for e in found if e.entity is not None}
            entries[key] = [
                e for e in found if e.entity is not None or e.label not in labels_with_entity
            ]
        self._entries = dict(entries)
        self._capitalised = {phrase_key(n.text) for n in known if not n.text.islower()}
        self._pattern = _pattern(tuple(sorted(entries)))
        self._compiled_for = known

    def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
        """A suggestion for each whole-word recurrence of a known name."""
        self._compile(context.known_names)
        if self._pattern is None:
            return []
        found: list[Suggestion] = []
        for m in self._pattern.finditer(text):
            said = m.group()
            if not said.strip():
                continue
            entries = self._entries.get(phrase_key(said), [])
            usable = [
                e
                for e in entries
                if context.has(e.label) and not context.is_rejected(said, e.label)
            ]
            for e in usable:
                lowered = said.islower() and phrase_key(said) in self._capitalised
                confidence = (0.9 if e.entity is not None else 0.8) / len(usable)
                rule = "entity" if e.entity is not None else "accepted"
                if lowered:
                    # "will" is rarely the Will the project knows
                    confidence, rule = confidence * 0.3, rule + "-lowercase"
                found.append(
                    Suggestion(
                        label=e.label,
                        start=m.start(),
                        end=m.end(),
                        confidence=round(confidence, 2),
                        provenance=Provenance(self.name, rule, VERSION),
                        entity=e.entity,
                    )
                )
        return found
