"""Inter-annotator agreement: span and relation F1, Cohen's kappa, Krippendorff's alpha.

Pure functions over core values. Span and relation agreement treat one annotator as the
reference and the other as the candidate: precision is the share of the candidate's items
found in the reference, recall the share of the reference's items found in the candidate.
Swapping the two swaps precision and recall and leaves F1 unchanged.

Token agreement (kappa, alpha) labels each token with the label of the innermost span that
overlaps it, ``"O"`` when none does, so nested spans (a PERSON inside a QUOTE) count as the
inner label.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from operator import itemgetter
from typing import Any

from app.core.annotations import Fragments, Relation, Span

OUTSIDE = "O"
"""The label of a token that no span overlaps."""

Token = tuple[int, int]
"""``(start, end)`` code point offsets of one token."""


@dataclass(frozen=True)
class Score:
    """How many items two annotators share, and the precision, recall and F1 that follow.

    A ratio whose denominator is zero is 0.0, as in scikit-learn and seqeval with
    ``zero_division=0``.
    """

    matched: int
    reference: int
    """Items of the reference annotator."""
    candidate: int
    """Items of the annotator compared with the reference."""

    @property
    def precision(self) -> float:
        """Matched items over the candidate's items."""
        return self.matched / self.candidate if self.candidate else 0.0

    @property
    def recall(self) -> float:
        """Matched items over the reference's items."""
        return self.matched / self.reference if self.reference else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall: ``2 * matched / (reference + candidate)``."""
        total = self.reference + self.candidate
        return 2 * self.matched / total if total else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.matched + other.matched,
            self.reference + other.reference,
            self.candidate + other.candidate,
        )

    def as_dict(self) -> dict[str, Any]:
        """Counts and ratios as plain JSON values."""
        return {
            "matched": self.matched,
            "reference": self.reference,
            "candidate": self.candidate,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class LabelScores:
    """Scores per label (sorted by label) and micro-averaged over all of them."""

    labels: dict[str, Score] = field(default_factory=dict)

    @property
    def overall(self) -> Score:
        """The micro average: counts summed over every label."""
        return sum(self.labels.values(), Score(0, 0, 0))

    def as_dict(self) -> dict[str, Any]:
        """Per-label and overall scores as plain JSON values."""
        return {
            "labels": {label: score.as_dict() for label, score in self.labels.items()},
            "overall": self.overall.as_dict(),
        }


def _multiset_scores(
    reference: Counter[Any], candidate: Counter[Any], label_of: Callable[[Any], str]
) -> LabelScores:
    """Scores of two multisets of keys; each key matches at most once per copy."""
    counts: list[Counter[str]] = [Counter(), Counter(), Counter()]
    for counter, keys in zip(counts, (reference & candidate, reference, candidate), strict=True):
        for key, count in keys.items():
            counter[label_of(key)] += count
    return _by_label(*counts)


def _by_label(
    matched: Counter[str], reference: Counter[str], candidate: Counter[str]
) -> LabelScores:
    labels = sorted(set(reference) | set(candidate))
    return LabelScores(
        {label: Score(matched[label], reference[label], candidate[label]) for label in labels}
    )


def exact_agreement(reference: Iterable[Span], candidate: Iterable[Span]) -> LabelScores:
    """Span agreement where a match has the same document, start, end, label and fragments
    (a discontinuous span matches only one cut into the same pieces).

    Each span matches at most one span of the other side (a multiset intersection).
    """
    ref = Counter((s.document_id, s.start, s.end, s.label, s.fragments) for s in reference)
    cand = Counter((s.document_id, s.start, s.end, s.label, s.fragments) for s in candidate)
    return _multiset_scores(ref, cand, itemgetter(3))


def overlap_agreement(reference: Iterable[Span], candidate: Iterable[Span]) -> LabelScores:
    """Span agreement where a match has the same document and label and overlapping ranges.

    A discontinuous span overlaps another where any of its fragments does, by the code
    points they share (its gaps count for nothing). Matching is one-to-one and greedy:
    pairs are taken by largest overlap first (in code points), each span joining at most one
    pair. Ties go to the pair whose two extents sort first, a rule that does not depend on
    which side is the reference.
    """
    groups: dict[tuple[int, str], tuple[list[Token], list[Token]]] = defaultdict(lambda: ([], []))
    pieces: dict[tuple[int, str], tuple[dict[int, Fragments], dict[int, Fragments]]] = defaultdict(
        lambda: ({}, {})
    )
    for side, spans in enumerate((reference, candidate)):
        for s in spans:
            extents = groups[s.document_id, s.label][side]
            if s.fragments:  # few: kept apart, by position, so whole spans stay plain pairs
                pieces[s.document_id, s.label][side][len(extents)] = s.fragments
            extents.append((s.start, s.end))
    matched: Counter[str] = Counter()
    ref_counts: Counter[str] = Counter()
    cand_counts: Counter[str] = Counter()
    for key, (ref, cand) in groups.items():
        label = key[1]
        ref_counts[label] += len(ref)
        cand_counts[label] += len(cand)
        matched[label] += _greedy_matches(ref, cand, *pieces.get(key, ({}, {})))
    return _by_label(matched, ref_counts, cand_counts)


def _shared(first: Fragments, second: Fragments) -> int:
    """Code points two sets of pieces have in common."""
    return sum(max(0, min(e, f) - max(s, t)) for s, e in first for t, f in second)


def _greedy_matches(
    reference: list[Token],
    candidate: list[Token],
    ref_pieces: Mapping[int, Fragments] | None = None,
    cand_pieces: Mapping[int, Fragments] | None = None,
) -> int:
    """Number of one-to-one pairs taken greedily by largest overlap; ``*_pieces`` give the
    fragments of the discontinuous spans by their index."""
    ref_pieces, cand_pieces = ref_pieces or {}, cand_pieces or {}
    pairs: list[tuple[int, Token, Token, int, int]] = []
    cand_order = sorted(range(len(candidate)), key=candidate.__getitem__)
    cand_starts = [candidate[j][0] for j in cand_order]
    longest = max((end - start for start, end in candidate), default=0)
    for i, (start, end) in enumerate(reference):
        # candidates sorted by start: only those starting in (start - longest, end) can overlap
        low = bisect_right(cand_starts, start - longest)
        for j in cand_order[low : bisect_left(cand_starts, end)]:
            overlap = min(end, candidate[j][1]) - max(start, candidate[j][0])
            if overlap > 0 and (i in ref_pieces or j in cand_pieces):
                overlap = _shared(
                    ref_pieces.get(i, ((start, end),)), cand_pieces.get(j, (candidate[j],))
                )
            if overlap > 0:
                first, second = sorted((reference[i], candidate[j]))
                pairs.append((-overlap, first, second, i, j))
    pairs.sort()
    used_ref: set[int] = set()
    used_cand: set[int] = set()
    for _, _, _, i, j in pairs:
        if i not in used_ref and j not in used_cand:
            used_ref.add(i)
            used_cand.add(j)
    return len(used_ref)


RelationKey = tuple[int, int, int, str, int, int, str, str, Fragments, Fragments]
"""Document, head start, end and label, tail start, end and label, relation label, then the
fragments of head and tail (empty for spans in one piece)."""


def relation_key(relation: Relation, spans: Mapping[int, Span]) -> RelationKey | None:
    """What two annotators' relations must share to match; None when a span is not given."""
    head, tail = spans.get(relation.head), spans.get(relation.tail)
    if head is None or tail is None:
        return None
    return (
        relation.document_id,
        head.start,
        head.end,
        head.label,
        tail.start,
        tail.end,
        tail.label,
        relation.label,
        head.fragments,
        tail.fragments,
    )


def relation_agreement(
    reference: Iterable[Relation], candidate: Iterable[Relation], spans: Mapping[int, Span]
) -> LabelScores:
    """Relation agreement per relation label: same head and tail extents (fragments
    included) and labels.

    ``spans`` maps span ids to spans for both annotators. A relation whose head or tail is
    not in ``spans`` is left out, so filtering the spans by label filters relations too.
    """
    ref, cand = (
        Counter(k for k in (relation_key(r, spans) for r in relations) if k is not None)
        for relations in (reference, candidate)
    )
    return _multiset_scores(ref, cand, itemgetter(7))


def token_labels(tokens: Sequence[Token], spans: Iterable[Span]) -> list[str]:
    """The label of each token: that of the innermost span overlapping it, else ``"O"``.

    ``tokens`` are in text order and do not overlap. Innermost means shortest; among spans
    of one length the earliest start wins, then the label that sorts first.
    """
    labels = [OUTSIDE] * len(tokens)
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    # paint outermost first so that inner spans overwrite
    order = sorted(spans, key=lambda s: (s.end - s.start, s.start, s.label), reverse=True)
    for span in order:
        for piece_start, piece_end in span.pieces:  # a discontinuous span: not its gaps
            first = bisect_right(ends, piece_start)
            last = bisect_left(starts, piece_end)
            labels[first:last] = [span.label] * max(last - first, 0)
    return labels


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float | None:
    """Cohen's kappa of two labelings of the same items: ``(po - pe) / (1 - pe)``.

    ``po`` is the share of items labelled alike, ``pe`` the agreement expected by chance,
    ``sum over labels of p_first(label) * p_second(label)``. None when there are no items;
    1.0 when both give every item one and the same label (``pe = 1``: nothing to disagree on).
    """
    if len(first) != len(second):
        raise ValueError(f"labelings differ in length: {len(first)} and {len(second)}")
    n = len(first)
    if n == 0:
        return None
    alike = sum(a == b for a, b in zip(first, second, strict=True))
    counts_first, counts_second = Counter(first), Counter(second)
    chance = sum(count * counts_second[label] for label, count in counts_first.items())
    # multiplied through by n * n, so that the arithmetic stays in whole numbers
    if chance == n * n:
        return 1.0
    return (n * alike - chance) / (n * n - chance)


def krippendorff_alpha(units: Iterable[Sequence[str | None]]) -> float | None:
    """Krippendorff's alpha for nominal labels: ``1 - (n - 1) * D / E``.

    Each unit holds one value per annotator, None where that annotator gave none. Only
    units with two or more values count ("pairable"); ``n`` is the number of their values.
    ``D = sum over units of (m_u**2 - sum_c n_uc**2) / (m_u - 1)``, the observed
    coincidences of unequal values (``m_u`` values in the unit, ``n_uc`` of them equal to
    ``c``); ``E = n**2 - sum_c n_c**2``, the unequal pairs expected by chance. None when no
    unit is pairable; 1.0 when all values are one label (``E = 0``: nothing to disagree on).
    """
    # observed disagreement, kept exact: whole numbers grouped by the divisor m_u - 1
    unequal_by_size: Counter[int] = Counter()
    totals: Counter[str] = Counter()
    for unit in units:
        values = Counter(v for v in unit if v is not None)
        m = sum(values.values())
        if m < 2:
            continue
        unequal_by_size[m] += m * m - sum(c * c for c in values.values())
        totals.update(values)
    n = sum(totals.values())
    if n == 0:
        return None
    expected = n * n - sum(c * c for c in totals.values())
    if expected == 0:
        return 1.0
    observed = sum((Fraction(d, m - 1) for m, d in unequal_by_size.items()), Fraction(0))
    return float(1 - (n - 1) * observed / expected)
