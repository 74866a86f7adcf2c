"""Which documents, spans and relations an export takes, and how it splits the documents.

A ``Selection`` filters in three steps:

1. documents, by the status one annotator gave them (``statuses``), and by the source of
   their spans: an annotator (or the ``gold`` layer) must have annotated the document (a span
   in it, or a status other than new); for the ``reviewed`` layer a span of it must have been
   reviewed (accepted or rejected);
2. spans, by annotator (``annotator`` or the ``gold`` layer), by review state (the
   ``reviewed`` layer keeps accepted spans only) and by label (``labels``);
3. relations: by annotator like spans, and only when both of their spans are kept.

Everything left out is counted with its reason in a ``SelectionReport``.

A ``Split`` cuts the selected documents into train/dev/test. Each document gets a key, the
SHA-256 of the seed and the document's text hash, so the order depends on nothing but the
seed and the texts: not on ids, import order or the database. Documents sorted by key are
cut into exact shares (largest remainder rounding). Adding a document inserts it at its key
and moves at most one document across each cut; a document never straddles two splits.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.core.annotations import Status
from app.core.errors import GlossaError
from app.core.records import RelationRecord, SpanRecord

GOLD_ANNOTATOR = "gold"
"""The annotator whose spans form the gold layer."""
ACCEPTED = "accepted"
"""The review state of a span a reviewer accepted."""
UNREVIEWED = "unreviewed"

SPLIT_NAMES = {2: ("train", "test"), 3: ("train", "dev", "test")}


class Layer(StrEnum):
    """A named layer of spans to export instead of everything."""

    REVIEWED = "reviewed"
    """Spans a reviewer accepted."""
    GOLD = "gold"
    """Spans by the annotator named ``gold``."""


class Reason(StrEnum):
    """Why the selection left something out."""

    STATUS = "status not selected"
    NOT_ANNOTATED = "not annotated by the selected annotator"
    NOT_REVIEWED = "no reviewed span"
    OTHER_ANNOTATOR = "by another annotator"
    NOT_ACCEPTED = "not accepted in review"
    LABEL = "label not selected"
    END_LEFT_OUT = "one of its spans was left out"


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@dataclass(frozen=True)
class Selection:
    """What to export; the default takes everything."""

    statuses: frozenset[Status] = frozenset()
    """Keep documents whose status is one of these (empty: any status)."""
    status_of: str | None = None
    """Whose statuses count (None: the workspace's annotator)."""
    annotator: str | None = None
    """Keep only this annotator's spans and relations, on documents they annotated."""
    labels: frozenset[str] = frozenset()
    """Keep only spans of these labels (empty: every label)."""
    layer: Layer | None = None

    @classmethod
    def parse(
        cls,
        *,
        status: str | None = None,
        status_of: str | None = None,
        annotator: str | None = None,
        labels: str | None = None,
        layer: str | None = None,
    ) -> Selection:
        """Build a selection from command line values (comma-separated lists)."""
        statuses: set[Status] = set()
        for name in _names(status or ""):
            try:
                statuses.add(Status(name))
            except ValueError:
                known = ", ".join(s.value for s in Status)
                raise GlossaError(f"unknown status {name!r} (known: {known})") from None
        chosen_layer = None
        if layer:
            try:
                chosen_layer = Layer(layer)
            except ValueError:
                known = ", ".join(v.value for v in Layer)
                raise GlossaError(f"unknown layer {layer!r} (known: {known})") from None
        if chosen_layer is Layer.GOLD and annotator not in (None, GOLD_ANNOTATOR):
            raise GlossaError(
                f"the gold layer is the annotator {GOLD_ANNOTATOR!r}; it cannot be combined "
                f"with --annotator {annotator}"
            )
        return cls(
            statuses=frozenset(statuses),
            status_of=status_of,
            annotator=annotator,
            labels=frozenset(_names(labels or "")),
            layer=chosen_layer,
        )

    @property
    def span_annotator(self) -> str | None:
        """The annotator whose spans alone are kept, if any."""
        return GOLD_ANNOTATOR if self.layer is Layer.GOLD else self.annotator

    def describe(self, status_of: str) -> dict[str, Any]:
        """The selection as the manifest states it."""
        return {
            "status": sorted(s.value for s in self.statuses) or None,
            "status_of": status_of if self.statuses else None,
            "annotator": self.annotator,
            "labels": sorted(self.labels) or None,
            "layer": self.layer.value if self.layer else None,
        }


@dataclass
class SelectionReport:
    """What a selection left out, and why."""

    documents_left_out: Counter[str] = field(default_factory=Counter)
    spans_left_out: dict[str, Counter[str]] = field(default_factory=dict)
    """Per label, per reason."""
    relations_kept: int = 0
    relations_left_out: Counter[str] = field(default_factory=Counter)

    def drop_span(self, label: str, reason: Reason) -> None:
        """Count a span the selection left out."""
        self.spans_left_out.setdefault(label, Counter())[reason.value] += 1


def select_spans(
    spans: Iterable[SpanRecord],
    reviews: Mapping[str, str],
    selection: Selection,
    report: SelectionReport,
) -> list[SpanRecord]:
    """The spans the selection keeps; the others are counted in ``report``.

    ``reviews`` gives the review state of each span by id (needed for the reviewed layer).
    """
    annotator = selection.span_annotator
    reviewed = selection.layer is Layer.REVIEWED
    labels = selection.labels
    kept: list[SpanRecord] = []
    for span in spans:
        if annotator is not None and span.annotator != annotator:
            report.drop_span(span.label, Reason.OTHER_ANNOTATOR)
        elif reviewed and reviews.get(span.id, UNREVIEWED) != ACCEPTED:
            report.drop_span(span.label, Reason.NOT_ACCEPTED)
        elif labels and span.label not in labels:
            report.drop_span(span.label, Reason.LABEL)
        else:
            kept.append(span)
    return kept


def select_relations(
    relations: Iterable[RelationRecord],
    kept_spans: set[str],
    selection: Selection,
    report: SelectionReport,
) -> list[RelationRecord]:
    """Relations by the selected annotator (if any) whose two spans are both kept."""
    annotator = selection.span_annotator
    kept: list[RelationRecord] = []
    for relation in relations:
        if annotator is not None and relation.annotator != annotator:
            report.relations_left_out[Reason.OTHER_ANNOTATOR.value] += 1
        elif relation.head not in kept_spans or relation.tail not in kept_spans:
            report.relations_left_out[Reason.END_LEFT_OUT.value] += 1
        else:
            kept.append(relation)
    report.relations_kept += len(kept)
    return kept


@dataclass(frozen=True)
class Split:
    """Shares of the documents per split, and the seed that orders them."""

    shares: tuple[tuple[str, float], ...]
    seed: int = 0

    @classmethod
    def parse(cls, text: str, seed: int = 0) -> Split:
        """``"0.8,0.1,0.1"`` (train, dev, test) or ``"0.9,0.1"`` (train, test)."""
        try:
            values = [float(part) for part in text.split(",")]
        except ValueError:
            raise GlossaError(
                f"--split {text!r}: give two or three numbers, e.g. 0.8,0.1,0.1"
            ) from None
        names = SPLIT_NAMES.get(len(values))
        if names is None:
            raise GlossaError(f"--split {text!r}: give two (train,test) or three (train,dev,test)")
        if any(not math.isfinite(v) or v < 0 for v in values):
            raise GlossaError(f"--split {text!r}: shares cannot be negative")
        if not math.isclose(sum(values), 1.0, abs_tol=1e-6):
            raise GlossaError(f"--split {text!r}: the shares add up to {sum(values):g}, not 1")
        return cls(tuple(zip(names, values, strict=True)), seed)

    @property
    def names(self) -> tuple[str, ...]:
        """The split names in order."""
        return tuple(name for name, _ in self.shares)

    def counts(self, total: int) -> list[int]:
        """Documents per split: exact shares of ``total``, rounded by largest remainder."""
        exact = [share * total for _, share in self.shares]
        counts = [math.floor(x) for x in exact]
        by_remainder = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
        for i in by_remainder[: total - sum(counts)]:
            counts[i] += 1
        return counts

    def key(self, sha256: str) -> bytes:
        """The sort key of a document: depends only on the seed and its text hash."""
        return hashlib.sha256(f"{self.seed}:{sha256}".encode()).digest()

    def assign(self, documents: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
        """Document ids per split, from ``(id, sha256)`` pairs; ids keep their given order."""
        ranked = sorted(documents, key=lambda d: (self.key(d[1]), d[1], d[0]))
        split_of: dict[str, str] = {}
        first = 0
        for (name, _), count in zip(self.shares, self.counts(len(ranked)), strict=True):
            for document_id, _ in ranked[first : first + count]:
                split_of[document_id] = name
            first += count
        result: dict[str, list[str]] = {name: [] for name in self.names}
        for document_id, _ in documents:
            result[split_of[document_id]].append(document_id)
        return result

    def describe(self) -> dict[str, Any]:
        """The split as the manifest states it."""
        return {
            "shares": dict(self.shares),
            "seed": self.seed,
            "method": (
                "documents sorted by sha256(f'{seed}:{text sha256}') and cut into exact "
                "shares (largest remainder rounding); a document is never in two splits"
            ),
        }
