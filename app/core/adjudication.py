"""Where annotators differ on one document, and which differences the gold layer settles.

Every span of every compared annotator lands in exactly one ``Difference``:

- spans are grouped by their exact range and label; a group every annotator made is
  ``AGREED`` (a range may hold several: a QUOTE that is also a CLAIM);
- at one range, two or more groups that some annotators left out are the alternatives of a
  ``LABEL`` difference (alice says PERSON, bob says ORG);
- any other group some annotators left out is joined with the other such groups of the same
  label whose ranges overlap it (transitively): one group alone is ``MISSING``, several are
  ``BOUNDARY`` (the same thing, marked with different extents).

A gold span answers a difference when it covers the exact range of one of its versions; a
gold span that answers none that way (a merged or moved one) answers the differences whose
versions it overlaps with the same label, and failing that (moved and relabelled) the one
difference it overlaps most. A difference is resolved when a gold span answers
it, or when every one of its versions was rejected.

Relations are compared by what they link: the ranges and labels of their head and tail
spans and their own label.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate
from typing import Any

from app.core.annotations import Relation, Span
from app.core.errors import SpanError


class Kind(StrEnum):
    """How the annotators' versions of one place in the text differ."""

    LABEL = "label"
    """The same range under different labels."""
    MISSING = "missing"
    """A range and label some annotators tagged and others did not."""
    BOUNDARY = "boundary"
    """Overlapping ranges with the same label but different extents."""
    AGREED = "agreed"
    """Every annotator tagged the same range with the same label."""


KIND_ORDER = (Kind.LABEL, Kind.MISSING, Kind.BOUNDARY, Kind.AGREED)
"""The order in which the kinds are listed: the ones that need a decision first."""

Key = tuple[int, int, str]
"""``(start, end, label)`` of a span."""


def key_of(span: Span) -> Key:
    """What two spans share when annotators agree on them."""
    return (span.start, span.end, span.label)


def overlaps(first: Span, second: Span) -> bool:
    """True when the two ranges share at least one character."""
    return first.start < second.end and second.start < first.end


@dataclass(frozen=True)
class Difference:
    """One place where the annotators' spans are compared, with every version of it."""

    kind: Kind
    versions: tuple[Span, ...]
    """Every compared annotator's span here, in annotator order, then by position."""
    missing: tuple[str, ...]
    """Compared annotators with no version here."""
    gold: tuple[Span, ...] = ()
    """The gold spans that answer this difference."""
    rejected: bool = False
    """Every version was rejected: the gold layer keeps nothing here."""

    @property
    def start(self) -> int:
        """Where the first version starts."""
        return min(span.start for span in self.versions)

    @property
    def end(self) -> int:
        """Where the last version ends."""
        return max(span.end for span in self.versions)

    @property
    def resolved(self) -> bool:
        """True when the gold layer answers it, or every version was rejected."""
        return bool(self.gold) or self.rejected

    @property
    def labels(self) -> tuple[str, ...]:
        """The versions' distinct labels, in order of first appearance."""
        return tuple(dict.fromkeys(span.label for span in self.versions))

    @property
    def identity(self) -> tuple[int, ...]:
        """The ids of its versions: the same difference after the gold layer changed."""
        return tuple(sorted(span.id for span in self.versions))

    @property
    def details_agree(self) -> bool:
        """True when no two versions give an attribute or the entity different values (a
        version that leaves one unset does not disagree)."""
        return not combined_details(self.versions)[2]

    def versions_of(self, annotator: str) -> tuple[Span, ...]:
        """The versions by ``annotator`` (none when they are missing here)."""
        return tuple(span for span in self.versions if span.annotator == annotator)


def _ordered(spans: Iterable[Span], rank: Mapping[str, int]) -> tuple[Span, ...]:
    return tuple(sorted(spans, key=lambda s: (rank[s.annotator], s.start, s.end, s.label, s.id)))


def _groups(layers: Mapping[str, Sequence[Span]]) -> list[tuple[Kind, list[Span]]]:
    """The spans of every layer cut into groups, each with its kind."""
    everyone = set(layers)
    by_key: dict[Key, list[Span]] = defaultdict(list)
    for spans in layers.values():
        for span in spans:
            by_key[key_of(span)].append(span)
    keys_at: dict[tuple[int, int], list[Key]] = defaultdict(list)
    for key in by_key:
        keys_at[key[:2]].append(key)

    groups: list[tuple[Kind, list[Span]]] = []
    incomplete: dict[str, list[Key]] = defaultdict(list)
    for keys in keys_at.values():
        rest = []
        for key in keys:
            if {span.annotator for span in by_key[key]} >= everyone:
                # the same range cut into other pieces is a difference of boundaries
                cuts = {span.fragments for span in by_key[key]}
                groups.append((Kind.AGREED if len(cuts) == 1 else Kind.BOUNDARY, by_key[key]))
            else:
                rest.append(key)
        if len(rest) > 1:
            groups.append((Kind.LABEL, [span for key in rest for span in by_key[key]]))
        elif rest:
            incomplete[rest[0][2]].append(rest[0])

    for keys in incomplete.values():
        keys.sort()
        components: list[list[Key]] = []
        reach = -1
        for key in keys:
            if components and key[0] < reach:
                components[-1].append(key)
                reach = max(reach, key[1])
            else:
                components.append([key])
                reach = key[1]
        for component in components:
            kind = Kind.MISSING if len(component) == 1 else Kind.BOUNDARY
            groups.append((kind, [span for k in component for span in by_key[k]]))
    return groups


def _answers(gold: Sequence[Span], groups: Sequence[Sequence[Span]]) -> list[list[Span]]:
    """The gold spans answering each group (groups come by position): exact ranges first,
    then same label overlaps, then the group overlapped most (the earlier one on a tie)."""
    found: list[list[Span]] = [[] for _ in groups]
    by_range: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, spans in enumerate(groups):
        for range_ in dict.fromkeys((span.start, span.end) for span in spans):
            by_range[range_].append(index)
    unmatched: list[Span] = []
    for span in gold:
        indexes = by_range.get((span.start, span.end))
        if indexes:
            for index in indexes:
                found[index].append(span)
        else:
            unmatched.append(span)
    starts = [min(v.start for v in spans) for spans in groups]
    reach = list(accumulate((max(v.end for v in spans) for spans in groups), max))
    for span in unmatched:
        # the groups that may overlap it: starting before its end, reaching past its start
        near = []
        index = bisect_left(starts, span.end) - 1
        while index >= 0 and reach[index] > span.start:
            near.append(index)
            index -= 1
        near.reverse()
        same_label = [
            index
            for index in near
            if any(v.label == span.label and overlaps(v, span) for v in groups[index])
        ]
        shared = [(_overlap(span, groups[index]), -index) for index in near]
        best = max(shared, default=(0, 0))
        for index in same_label or ([-best[1]] if best[0] > 0 else []):
            found[index].append(span)
    return found


def _overlap(span: Span, versions: Sequence[Span]) -> int:
    """How many characters of ``span`` the versions' ranges share at most."""
    return max((min(span.end, v.end) - max(span.start, v.start) for v in versions), default=0)


def compare(
    layers: Mapping[str, Sequence[Span]],
    gold: Sequence[Span] = (),
    rejected: Collection[int] = (),
) -> list[Difference]:
    """The differences between the annotators' spans of one document, by position.

    ``layers`` gives each compared annotator's spans (an annotator without spans counts as
    one who tagged nothing); its order is the annotator order of versions. ``gold`` is the
    gold layer, ``rejected`` the ids of spans a reviewer rejected.
    """
    rank = {annotator: index for index, annotator in enumerate(layers)}
    rejected = set(rejected)
    groups = [(kind, _ordered(spans, rank)) for kind, spans in _groups(layers)]
    groups.sort(key=lambda group: _position(*group))
    answers = _answers(sorted(gold, key=lambda s: (s.start, s.end, s.id)), [g for _, g in groups])
    differences = []
    for (kind, versions), answered in zip(groups, answers, strict=True):
        present = {span.annotator for span in versions}
        differences.append(
            Difference(
                kind,
                versions,
                tuple(a for a in layers if a not in present),
                tuple(answered),
                all(span.id in rejected for span in versions),
            )
        )
    return differences


def _position(kind: Kind, versions: Sequence[Span]) -> tuple[Any, ...]:
    """Where a group of versions comes in the list: by its extent, then its kind."""
    start, end = union_range(versions)
    return (start, end, KIND_ORDER.index(kind), [key_of(s) for s in versions])


def combined_details(spans: Sequence[Span]) -> tuple[dict[str, Any], int | None, bool]:
    """``(attributes, entity, conflict)`` of versions taken together: every attribute and
    the entity that the versions setting them agree on; ``conflict`` is True when some
    versions disagree (those values are left out)."""
    values: dict[str, list[Any]] = defaultdict(list)
    for span in spans:
        for name, value in span.attributes.items():
            if value not in values[name]:
                values[name].append(value)
    entities = {span.entity for span in spans if span.entity is not None}
    attributes = {name: found[0] for name, found in values.items() if len(found) == 1}
    entity = entities.pop() if len(entities) == 1 else None
    conflict = len(attributes) < len(values) or len(entities) > 1
    return attributes, entity, conflict


def union_range(spans: Iterable[Span]) -> tuple[int, int]:
    """From the first start to the last end of the spans."""
    spans = list(spans)
    return min(s.start for s in spans), max(s.end for s in spans)


def intersection_range(spans: Iterable[Span]) -> tuple[int, int] | None:
    """The range every span covers, or None when they share no character."""
    spans = list(spans)
    start, end = max(s.start for s in spans), min(s.end for s in spans)
    return (start, end) if start < end else None


# -- relations --------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationDifference:
    """One link as the annotators made it: its ends are differences, so alice's and bob's
    speaker links match when their quotes and speakers are versions of the same places."""

    head: Difference
    tail: Difference
    label: str
    versions: tuple[Relation, ...]
    """Every compared annotator's relation here, in annotator order."""
    missing: tuple[str, ...]
    """Compared annotators without it."""
    in_gold: bool = False
    """A gold relation with this label links a gold answer of ``head`` to one of ``tail``."""

    @property
    def agreed(self) -> bool:
        """True when every compared annotator made it."""
        return not self.missing

    def version_of(self, annotator: str) -> Relation | None:
        """``annotator``'s relation, if they made it."""
        return next((r for r in self.versions if r.annotator == annotator), None)


def compare_relations(
    differences: Sequence[Difference],
    relations: Iterable[Relation],
    annotators: Sequence[str],
    gold_relations: Iterable[Relation] = (),
) -> list[RelationDifference]:
    """Every distinct link the compared annotators made between the places of
    ``differences`` (from ``compare``), by the position of its head, then of its tail.

    Relations of annotators not in ``annotators`` are left out.
    """
    rank = {annotator: index for index, annotator in enumerate(annotators)}
    place = {span.id: index for index, d in enumerate(differences) for span in d.versions}
    by_key: dict[tuple[int, int, str], list[Relation]] = defaultdict(list)
    for relation in relations:
        head, tail = place.get(relation.head), place.get(relation.tail)
        if head is not None and tail is not None and relation.annotator in rank:
            by_key[(head, tail, relation.label)].append(relation)
    answering: dict[int, list[int]] = defaultdict(list)
    for index, difference in enumerate(differences):
        for span in difference.gold:
            answering[span.id].append(index)
    in_gold = {
        (head, tail, r.label)
        for r in gold_relations
        for head in answering.get(r.head, ())
        for tail in answering.get(r.tail, ())
    }
    found = []
    for key, made in sorted(by_key.items()):
        present = {r.annotator for r in made}
        found.append(
            RelationDifference(
                differences[key[0]],
                differences[key[1]],
                key[2],
                tuple(sorted(made, key=lambda r: (rank[r.annotator], r.id))),
                tuple(a for a in annotators if a not in present),
                key in in_gold,
            )
        )
    return found


def gold_counterpart(span: Span, gold: Sequence[Span]) -> Span | None:
    """The gold span standing for an annotator's ``span`` among the gold spans answering its
    difference: the one with the same range and label, else one of the same label
    overlapping it, else the first."""
    ordered = sorted(gold, key=lambda g: (g.start, g.end, g.id))
    exact = [g for g in ordered if key_of(g) == key_of(span)]
    near = [g for g in ordered if g.label == span.label and overlaps(g, span)]
    return next(iter(exact or near or ordered), None)


@dataclass(frozen=True)
class Comparison:
    """The differences of one document between the compared annotators, and its gold: what
    the adjudication of a document shows."""

    document_id: int
    annotators: tuple[str, ...]
    differences: tuple[Difference, ...]
    relations: tuple[RelationDifference, ...]
    gold: tuple[Span, ...]
    gold_relations: tuple[Relation, ...]

    @property
    def unresolved(self) -> int:
        """How many differences neither gold nor a rejection answers yet."""
        return sum(not d.resolved for d in self.differences)

    def of_kind(self, kind: Kind) -> list[Difference]:
        """The differences of one kind, by position."""
        return [d for d in self.differences if d.kind is kind]

    def containing(self, span_id: int) -> Difference:
        """The difference one of whose versions is span ``span_id``."""
        for difference in self.differences:
            if any(span.id == span_id for span in difference.versions):
                return difference
        raise SpanError(
            f"span {span_id} is not a span of {', '.join(self.annotators) or 'anyone'} "
            "in this document"
        )
