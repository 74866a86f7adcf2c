"""Pending suggestions and rejections: what a suggester proposed for a document and what an
annotator turned down, as plain values.

A pending suggestion is a group of proposed spans: the suggestion itself first (a quote,
a name) and its linked parts after it (a quote's cue and speaker), with the relations to
make between them when it is accepted. Relations name parts by their place in ``parts``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SuggestedPart:
    """One proposed span of a suggestion; ``role`` is empty for the suggestion itself."""

    role: str
    label: str
    start: int
    end: int
    attributes: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class PendingSuggestion:
    """A suggestion waiting for an annotator: its parts, relations and provenance.

    ``group`` names it (a stored suggestion's rows share it); ``stored`` is false for one the
    window computed itself and never wrote (the names the project knows).
    """

    group: str
    document_id: int
    suggester: str
    rule: str
    version: str
    confidence: float
    parts: tuple[SuggestedPart, ...]
    relations: tuple[tuple[str, int, int], ...] = ()
    """(relation name, head part, tail part), parts by their index in ``parts``."""
    entity: int | None = None
    stored: bool = True

    @property
    def label(self) -> str:
        """The label of the suggestion itself."""
        return self.parts[0].label

    @property
    def start(self) -> int:
        """Where the suggestion itself starts (code points)."""
        return self.parts[0].start

    @property
    def end(self) -> int:
        """Where the suggestion itself ends (code points)."""
        return self.parts[0].end

    def provenance(self) -> str:
        """Where it came from, in words: "quotes, rule direct-cue-after, version 1, 0.85"."""
        rule = f", rule {self.rule}" if self.rule else ""
        version = f", version {self.version}" if self.version else ""
        return f"{self.suggester}{rule}{version}, confidence {self.confidence:.2f}"


@dataclass(frozen=True)
class Rejection:
    """An annotator said no to ``label`` for ``text`` in a document: not proposed again.

    ``text`` is kept casefolded, so "Troufanov" and "TROUFANOV" are one rejection.
    """

    document_id: int
    label: str
    text: str

    @classmethod
    def of(cls, document_id: int, label: str, text: str) -> Rejection:
        """The rejection of ``label`` for ``text`` (any case) in a document."""
        return cls(document_id, label, text.casefold())
