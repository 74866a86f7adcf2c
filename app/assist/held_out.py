"""How well a tagger does on documents it never saw: the split, the figures, the baseline.

The held-out part is chosen by document id alone (the documents sorted by a hash of their
id, the first fifth held out), so two runs on the same project agree, and after more
annotation an old held-out document moves into training only when a new one takes its place.

The baseline is the most-frequent-label tagger: every span text seen in training is tagged,
wherever it recurs as whole words, with the label it had most often. It knows no context,
so a model beating it has learnt more than a list of names.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.assist.trie import first_characters, phrase_key, trie_pattern

HELD_OUT_SHARE = 0.2


@dataclass(frozen=True)
class TrainingDocument:
    """One annotated document: its id, canonical text and (start, end, label) spans."""

    key: str
    text: str
    spans: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True)
class LabelFigures:
    """Exact-match figures of one label (or of all of them, as ``label`` "all")."""

    label: str
    gold: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int | str]:
        return {
            "label": self.label,
            "gold": self.gold,
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def _order(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def split(
    documents: Sequence[TrainingDocument], share: float = HELD_OUT_SHARE
) -> tuple[list[TrainingDocument], list[TrainingDocument]]:
    """(training, held out): the held-out share of documents, at least one, chosen by id."""
    ordered = sorted(documents, key=lambda d: _order(d.key))
    held = max(1, math.ceil(len(ordered) * share)) if len(ordered) > 1 else 0
    held_out = {d.key for d in ordered[:held]}
    return (
        [d for d in documents if d.key not in held_out],
        [d for d in documents if d.key in held_out],
    )


Spans = Iterable[tuple[int, int, str]]


def figures(
    gold: Sequence[Spans], predicted: Sequence[Spans], labels: Iterable[str]
) -> list[LabelFigures]:
    """Per-label exact-match counts over documents (gold and predicted in the same order),
    the labels in the given order followed by the total as label "all"."""
    counts: dict[str, list[int]] = {label: [0, 0, 0] for label in labels}
    for truth, guess in zip(gold, predicted, strict=True):
        truth_set, guess_set = set(truth), set(guess)
        for _, _, label in truth_set:
            counts.setdefault(label, [0, 0, 0])[0] += 1
        for span in guess_set:
            row = counts.setdefault(span[2], [0, 0, 0])
            row[1] += 1
            row[2] += span in truth_set
    rows = [LabelFigures(label, *row) for label, row in counts.items()]
    total = LabelFigures("all", *(sum(r[i] for r in counts.values()) for i in range(3)))
    return [*rows, total]


class MostFrequentLabel:
    """The baseline: span texts seen in training, tagged with their most frequent label."""

    def __init__(self, documents: Iterable[TrainingDocument]) -> None:
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        for document in documents:
            for start, end, label in document.spans:
                name = document.text[start:end]
                if name.strip():
                    seen[name][label] += 1
        self.labels = {name: votes.most_common(1)[0][0] for name, votes in seen.items()}
        keys = {phrase_key(name) for name in self.labels}
        body = trie_pattern(keys)
        self._pattern = (
            re.compile(rf"(?={first_characters(keys)})(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
            if body
            else None
        )

    def tag(self, text: str) -> list[tuple[int, int, str]]:
        """The known span texts in ``text`` (same case, longest first, no overlaps)."""
        if self._pattern is None:
            return []
        found = []
        for m in self._pattern.finditer(text):
            label = self.labels.get(m.group())
            if label is not None:
                found.append((m.start(), m.end(), label))
        return found


BANDS = (0.0, 0.5, 0.8, 0.95, 1.0)
"""Bands of the model's own confidence (the beam's marginal probability of a span)."""
SHRINK = 2.0
"""How many spans' worth of weight the raw confidence keeps against a band's precision."""


def calibration(
    gold: Sequence[Spans], predicted: Sequence[Iterable[tuple[int, int, str, float]]]
) -> list[dict[str, float | int]]:
    """For each confidence band: how many held-out spans the model proposed in it and how
    many of them were right."""
    bands: list[dict[str, float | int]] = [
        {"low": low, "high": high, "spans": 0, "correct": 0}
        for low, high in itertools.pairwise(BANDS)
    ]
    for truth, guess in zip(gold, predicted, strict=True):
        truth_set = set(truth)
        for start, end, label, confidence in guess:
            band = bands[band_of(confidence)]
            band["spans"] += 1
            band["correct"] += (start, end, label) in truth_set
    return bands


def band_of(confidence: float) -> int:
    """The index of the band ``confidence`` falls in (the last band includes 1.0)."""
    for index, high in enumerate(BANDS[1:-1]):
        if confidence < high:
            return index
    return len(BANDS) - 2


def calibrated(confidence: float, bands: Sequence[dict[str, float | int]]) -> float:
    """``confidence`` turned into the held-out precision of its band, shrunk towards the raw
    value when the band held few spans (and left as it is when it held none)."""
    if not bands:
        return confidence
    band = bands[band_of(confidence)]
    spans, correct = float(band["spans"]), float(band["correct"])
    return (correct + SHRINK * confidence) / (spans + SHRINK)
