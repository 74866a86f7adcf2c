"""What a suggester is, what it proposes, and what it knows about the project.

A suggester reads one document's canonical text and proposes labelled spans. It never sees
the database: everything it may use about the project (label names, which label plays which
role, known entities, what annotators accepted or rejected) comes in a frozen
``ProjectContext``. A quote suggestion carries its cue and speaker spans and the relations
between them as linked parts, so that accepting the quote accepts the whole attribution.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from app.core.errors import InputError
from app.core.schema import LabelSchema


@dataclass(frozen=True)
class Provenance:
    """Which suggester, which of its rules or patterns, and which version proposed a span."""

    suggester: str
    rule: str
    version: str


@dataclass(frozen=True)
class LinkedPart:
    """A span proposed together with a suggestion (a quote's cue or speaker, its second half).

    ``role`` says what the part is to the suggestion ("cue", "speaker", "continuation"), in
    the suggester's words; ``label`` is the project's label for it. A part with the label and
    offsets of a span the document (or another accepted suggestion) already has is that span:
    a quote continuing an earlier one names the earlier speaker span, to be linked, not copied.
    """

    role: str
    label: str
    start: int
    end: int
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class LinkedRelation:
    """A relation to create on acceptance; ``head`` and ``tail`` index ``Suggestion.spans()``.

    Index 0 is the suggestion itself, index ``i`` > 0 is ``parts[i - 1]``.
    """

    name: str
    head: int
    tail: int


@dataclass(frozen=True)
class Suggestion:
    """A proposed ``[start, end)`` span in code points of the text, with what backs it."""

    label: str
    start: int
    end: int
    confidence: float
    provenance: Provenance
    attributes: Mapping[str, Any] = field(default_factory=dict, hash=False)
    entity: int | None = None
    parts: tuple[LinkedPart, ...] = ()
    relations: tuple[LinkedRelation, ...] = ()

    def spans(self) -> tuple[tuple[str, int, int], ...]:
        """(label, start, end) of the suggestion followed by each linked part's."""
        return (
            (self.label, self.start, self.end),
            *tuple((p.label, p.start, p.end) for p in self.parts),
        )

    def part(self, role: str) -> LinkedPart | None:
        """The first linked part playing ``role``, if any."""
        return next((p for p in self.parts if p.role == role), None)


@dataclass(frozen=True)
class KnownName:
    """A name the project already knows: an entity's name or alias, or an accepted span."""

    text: str
    label: str
    entity: int | None = None


@dataclass(frozen=True)
class ProjectContext:
    """Everything a suggester may know about the project, with the news schema as default.

    The role fields name which label or relation plays each part of an attribution, so a
    project whose schema says SOURCE instead of PERSON gets suggestions in its own labels.
    """

    labels: tuple[str, ...] = ("PERSON", "ORG", "LOC", "QUOTE", "CUE", "CLAIM")
    quote_label: str = "QUOTE"
    cue_label: str = "CUE"
    person_label: str = "PERSON"
    org_label: str = "ORG"
    speaker_relation: str = "speaker"
    cue_relation: str = "cue"
    quote_kind_attribute: str = "kind"
    known_names: tuple[KnownName, ...] = ()
    rejected: frozenset[tuple[str, str]] = frozenset()
    """(casefolded text, label) pairs annotators rejected."""
    model_folder: str = ""
    """Where the project's trained model is kept ("" when it has none)."""

    def has(self, label: str) -> bool:
        """True when the project's schema has ``label``."""
        return label in self.labels

    def is_rejected(self, text: str, label: str) -> bool:
        """True when annotators rejected ``text`` as ``label`` (compared case-insensitively)."""
        return (text.casefold(), label) in self.rejected

    @classmethod
    def build(
        cls,
        labels: Iterable[str] | None = None,
        entities: Iterable[tuple[int, str, str, Iterable[str]]] = (),
        accepted: Iterable[tuple[str, str]] = (),
        rejected: Iterable[tuple[str, str]] = (),
        **roles: str,
    ) -> ProjectContext:
        """A context from plain values: entities as (id, name, label, aliases), accepted
        span texts and rejected pairs as (text, label); ``roles`` override the news roles."""
        known = [
            KnownName(name, label, entity_id)
            for entity_id, main, label, aliases in entities
            for name in (main, *aliases)
            if name.strip()
        ]
        known += [KnownName(text, label) for text, label in accepted if text.strip()]
        base = cls() if labels is None else cls(labels=tuple(labels))
        fields = {**base.__dict__, **roles}
        fields["known_names"] = tuple(known)
        fields["rejected"] = frozenset((t.casefold(), lab) for t, lab in rejected)
        return cls(**fields)

    @classmethod
    def from_schema(
        cls,
        schema: LabelSchema,
        entities: Iterable[tuple[int, str, str, Iterable[str]]] = (),
        accepted: Iterable[tuple[str, str]] = (),
        rejected: Iterable[tuple[str, str]] = (),
        **roles: str,
    ) -> ProjectContext:
        """A context for a project's schema: its labels, and the roles read from its
        relation types where the news names are absent (the relation joining the quote label
        to a label of the person role is the speaker relation, and so on)."""
        context = cls.build([lab.name for lab in schema.labels], entities, accepted, rejected)
        found: dict[str, str] = {}
        quote = roles.get("quote_label", context.quote_label)
        for relation in schema.relations:
            if quote not in relation.heads:
                continue
            if context.cue_label in relation.tails:
                found.setdefault("cue_relation", relation.name)
            elif context.person_label in relation.tails or context.org_label in relation.tails:
                found.setdefault("speaker_relation", relation.name)
        quote_spec = schema.label(quote)
        kinds = [a.name for a in (quote_spec.attributes if quote_spec else ()) if a.kind == "enum"]
        if kinds and context.quote_kind_attribute not in kinds:
            found["quote_kind_attribute"] = kinds[0]
        return cls(**{**context.__dict__, **found, **roles})


@runtime_checkable
class Suggester(Protocol):
    """Anything with a name that turns a text into suggestions."""

    name: str

    def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
        """Suggestions for ``text``; never raises on any input text."""
        ...


_REGISTRY: dict[str, Callable[[], Suggester]] = {}


def register(name: str, make: Callable[[], Suggester]) -> None:
    """Make a suggester available by ``name`` (a user's own suggester too)."""
    if not name.strip():
        raise InputError("a suggester needs a name")
    _REGISTRY[name] = make


def suggester_names() -> list[str]:
    """The registered suggesters' names, sorted."""
    return sorted(_REGISTRY)


def make_suggester(name: str) -> Suggester:
    """A new suggester of the registered kind ``name``."""
    try:
        return _REGISTRY[name]()
    except KeyError:
        known = ", ".join(suggester_names()) or "none"
        raise InputError(f"no suggester called {name!r} (known: {known})") from None


def suggest_all(
    text: str, context: ProjectContext, names: Iterable[str] | None = None
) -> list[Suggestion]:
    """The suggestions of the named suggesters (all registered ones by default) for ``text``,
    in text order."""
    chosen = suggester_names() if names is None else list(names)
    found = [s for name in chosen for s in make_suggester(name).suggest(text, context)]
    return sorted(found, key=lambda s: (s.start, s.end, s.label, s.provenance.suggester))


TIME_LIMIT = 30.0
"""Seconds a suggester may take for one document before it is switched off for it."""


@dataclass(frozen=True)
class Outcome:
    """What one suggester gave for one document: its suggestions, or why it gave none."""

    suggester: str
    suggestions: tuple[Suggestion, ...] = ()
    failure: str = ""
    """Empty when it ran well; else what went wrong ("failed: …", "took longer than …")."""


def _checked(found: object, text: str) -> tuple[Suggestion, ...]:
    """``found`` when it is a list of suggestions inside ``text``; else a ValueError."""
    if not isinstance(found, list | tuple):
        raise ValueError(f"it returned {type(found).__name__}, not a list of suggestions")
    for suggestion in found:
        if not isinstance(suggestion, Suggestion):
            raise ValueError(f"it returned {type(suggestion).__name__}, not a suggestion")
        for _, start, end in suggestion.spans():
            if not 0 <= start < end <= len(text):
                raise ValueError(f"it proposed [{start}, {end}) outside the text")
    return tuple(found)


def run_guarded(
    suggester: Suggester, text: str, context: ProjectContext, limit: float = TIME_LIMIT
) -> Outcome:
    """Run ``suggester`` on ``text``, catching what it raises and giving up after ``limit``
    seconds (it runs on a thread of its own, left to finish unheard); never raises."""
    name = str(getattr(suggester, "name", type(suggester).__name__))
    heard: dict[str, object] = {}

    def work() -> None:
        try:
            heard["found"] = _checked(suggester.suggest(text, context), text)
        except Exception as error:  # a user's suggester may raise anything
            heard["error"] = error

    thread = threading.Thread(target=work, name=f"suggester {name}", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        return Outcome(name, failure=f"took longer than {limit:g} s")
    error = heard.get("error")
    if error is not None:
        return Outcome(name, failure=f"failed: {type(error).__name__}: {error}")
    found = heard.get("found")
    if not isinstance(found, tuple):  # it stopped its thread (SystemExit and the like)
        return Outcome(name, failure="stopped without an answer")
    return Outcome(name, found)
