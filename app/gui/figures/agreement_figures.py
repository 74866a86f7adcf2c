"""The figures of the agreement dialog as rows and bars: span and relation scores per label,
one row per pair of annotators, F1 per label for the chart.

Labels come in the schema's order, any others after them alphabetically; a figure that is
undefined (nothing to compare) shows as a dash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.core.agreement import LabelScores, Score
from app.gui.figures.charts import Bar, Series
from app.gui.figures.figure_table import ratio
from app.services.agreement import (
    AgreementReport,
    PairAgreement,
    pair_score_rows,
    relation_score_rows,
    span_score_rows,
)

EXACT = Series("exact match", "#0072b2")
OVERLAP = Series("overlap match", "#e69f00")
_EMPTY = Score(0, 0, 0)


def in_order(labels: Iterable[str], order: Sequence[str]) -> list[str]:
    """``labels`` in the schema's ``order``, any others after them alphabetically."""
    present = set(labels)
    return [name for name in order if name in present] + sorted(present - set(order))


def agreement_bars(
    exact: LabelScores, overlap: LabelScores, order: Sequence[str] = ()
) -> list[Bar]:
    """F1 per label, exact and overlap match, one bar row per label (in ``order``)."""
    labels = in_order([*exact.labels, *overlap.labels], order)
    return [
        Bar(label, (exact.labels.get(label, _EMPTY).f1, overlap.labels.get(label, _EMPTY).f1))
        for label in labels
    ]


SPAN_HEADERS = (
    "Label",
    "Reference\nspans",
    "Candidate\nspans",
    "Exact\nmatched",
    "Exact\nP",
    "Exact\nR",
    "Exact\nF1",
    "Overlap\nmatched",
    "Overlap\nP",
    "Overlap\nR",
    "Overlap\nF1",
)
RELATION_HEADERS = ("Relation", "Reference", "Candidate", "Matched", "P", "R", "F1")
PAIR_HEADERS = (
    "Reference",
    "Candidate",
    "Documents",
    "Exact F1",
    "Overlap F1",
    "Relation F1",
    "Kappa",
)


def span_rows(pair: PairAgreement, order: Sequence[str] = ()) -> list[list[object]]:
    """One row per label (in ``order``) and one for all labels (micro average)."""
    labels = in_order([*pair.exact.labels, *pair.overlap.labels], order)
    return span_score_rows(pair, labels, "all labels", ratio)


def relation_rows(scores: LabelScores) -> list[list[object]]:
    """One row per relation label and one for all of them."""
    return relation_score_rows(scores, "all relations", ratio)


def pair_rows(report: AgreementReport) -> list[list[object]]:
    """One row per pair of annotators: their documents in common and overall figures."""
    return pair_score_rows(report, ratio)
