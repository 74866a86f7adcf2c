"""Cross-document entities and the fuzzy ranking of entity candidates for a mention.

A mention ("Trufanov", "Khoury") is compared with each entity's name and aliases: the words
they share (allowing for spelling variants), how alike the whole strings are, and whether the
mention names the entity's surname. Transliterations differ mostly in vowels and doubled
letters ("Trufanov" / "Troufanov", "Khoury" / "Khouri"), so words are also compared by their
consonant skeleton.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

ENTITY_LABELS = ("PERSON", "ORG", "LOC")
"""The span labels whose mentions may be linked to an entity."""

_WORD_MATCH = 0.8
"""Two words this alike (0..1) count as the same word spelt differently."""


@dataclass(frozen=True)
class Entity:
    """A person, organisation or place that mentions in many documents refer to."""

    id: int
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    external_id: str = ""

    def names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.name, *self.aliases)


def normalise(text: str) -> str:
    """Casefolded, accents stripped, punctuation and runs of spaces turned into one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = plain.casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def _skeleton(word: str) -> str:
    """The word without vowels after its first letter, doubled letters once: ``trfnv``."""
    if not word:
        return word
    kept = [word[0]]
    for c in word[1:]:
        if c in "aeiouy" or (c == "h" and kept[-1] in "kgcstpdz"):
            continue
        if c != kept[-1]:
            kept.append(c)
    return "".join(kept)


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def word_similarity(a: str, b: str) -> float:
    """How alike two normalised words are (0..1), tolerant of transliteration."""
    if a == b:
        return 1.0
    plain = _ratio(a, b)
    sa, sb = _skeleton(a), _skeleton(b)
    skeleton = 0.95 * _ratio(sa, sb) if len(sa) > 1 and len(sb) > 1 else 0.0
    return max(plain, skeleton)


def name_similarity(mention: str, name: str) -> float:
    """How well a mention matches one name or alias (0..1; 1 only when they normalise equal)."""
    m, n = normalise(mention), normalise(name)
    if not m or not n:
        return 0.0
    if m == n:
        return 1.0
    m_words, n_words = m.split(), n.split()
    best = [max(word_similarity(w, v) for v in n_words) for w in m_words]
    overlap = sum(b for b in best if b >= _WORD_MATCH) / len(m_words)
    characters = max(_ratio(m, n), _ratio(m.replace(" ", ""), n.replace(" ", "")))
    surname = max(word_similarity(w, n_words[-1]) for w in m_words)
    boost = surname if surname >= _WORD_MATCH and len(n_words) > 1 else 0.0
    score = 0.45 * overlap + 0.35 * characters + 0.2 * boost
    return min(max(score, 0.0), 0.99)


def entity_score(mention: str, entity: Entity) -> float:
    """The best match of a mention with an entity's name or any alias (0..1)."""
    return max((name_similarity(mention, name) for name in entity.names()), default=0.0)


def rank_entities(
    mention: str, entities: Iterable[Entity], *, minimum: float = 0.0
) -> list[tuple[Entity, float]]:
    """Entities with their scores for a mention, best first.

    Ties keep a stable order: by name (casefolded), then id. Entities scoring below
    ``minimum`` are left out.
    """
    scored = [(entity, entity_score(mention, entity)) for entity in entities]
    kept = [(entity, score) for entity, score in scored if score >= minimum]
    return sorted(kept, key=lambda pair: (-pair[1], pair[0].name.casefold(), pair[0].id))


def with_alias(entity: Entity, mention: str) -> tuple[str, ...]:
    """The entity's aliases with ``mention`` added when no name of it already reads so."""
    mention = " ".join(mention.split())
    if not mention or any(normalise(name) == normalise(mention) for name in entity.names()):
        return entity.aliases
    return (*entity.aliases, mention)


def union_aliases(keep: Entity, merged: Entity) -> tuple[str, ...]:
    """``keep``'s aliases followed by ``merged``'s name and aliases it does not yet have."""
    aliases: list[str] = list(keep.aliases)
    seen = {normalise(name) for name in keep.names()}
    for name in merged.names():
        if normalise(name) not in seen:
            seen.add(normalise(name))
            aliases.append(name)
    return tuple(aliases)


def entity_type_problem(
    entity_type: str, span_label: str, entity_labels: Collection[str] = ENTITY_LABELS
) -> str | None:
    """Why a ``span_label`` span cannot be a mention of an ``entity_type`` entity, if so;
    ``entity_labels`` are the schema's labels whose spans may be linked to entities."""
    if span_label not in entity_labels:
        can = ", ".join(entity_labels) or "no"
        return f"only {can} spans can be linked to an entity, not {span_label}"
    if entity_type != span_label:
        return f"a {span_label} span cannot be linked to a {entity_type} entity"
    return None
