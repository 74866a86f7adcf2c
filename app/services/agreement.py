"""Agreement between annotators over the documents they both annotated."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from app.core.agreement import (
    LabelScores,
    Score,
    cohen_kappa,
    exact_agreement,
    krippendorff_alpha,
    overlap_agreement,
    relation_agreement,
    token_labels,
)
from app.core.annotations import Relation, Span
from app.core.errors import GlossaError
from app.formats.tokens import regex_tokens
from app.services.workspace import Workspace
from app.store.unit_of_work import UnitOfWork


class NotEnoughAnnotators(GlossaError):
    """Fewer than two annotators have annotations to compare."""


@dataclass(frozen=True)
class PairAgreement:
    """How far a candidate annotator agrees with a reference annotator."""

    reference: str
    candidate: str
    documents: int
    """Documents both annotated."""
    exact: LabelScores
    overlap: LabelScores
    relations: LabelScores
    tokens: int
    """Tokens of those documents, the units of ``kappa``."""
    kappa: float | None

    def as_dict(self) -> dict[str, Any]:
        """Every figure as plain JSON values."""
        return {
            "reference": self.reference,
            "candidate": self.candidate,
            "documents": self.documents,
            "exact": self.exact.as_dict(),
            "overlap": self.overlap.as_dict(),
            "relations": self.relations.as_dict(),
            "tokens": self.tokens,
            "kappa": self.kappa,
        }


@dataclass(frozen=True)
class AgreementReport:
    """Agreement of every pair of the chosen annotators, and of all of them at once."""

    annotators: tuple[str, ...]
    """The annotators compared, the first being the reference of its pairs."""
    labels: tuple[str, ...] | None
    """The span labels compared; None for all."""
    documents: int
    """Documents annotated by at least two of the annotators."""
    pairs: tuple[PairAgreement, ...] = ()
    alpha: float | None = None
    """Krippendorff's alpha (nominal) on token labels over all the annotators."""
    alpha_tokens: int = 0
    """Tokens labelled by at least two annotators: the units of ``alpha``."""
    excluded: tuple[str, ...] = field(default=())
    """Annotators asked for who annotated no document in common with another."""

    def as_dict(self) -> dict[str, Any]:
        """Every figure as plain JSON values."""
        return {
            "annotators": list(self.annotators),
            "labels": None if self.labels is None else list(self.labels),
            "documents": self.documents,
            "pairs": [pair.as_dict() for pair in self.pairs],
            "alpha": self.alpha,
            "alpha_tokens": self.alpha_tokens,
            "excluded": list(self.excluded),
        }


@dataclass
class _Document:
    """One document's annotations, split by annotator."""

    annotators: set[str]
    tokens: int
    spans: dict[str, list[Span]]
    relations: dict[str, list[Relation]]
    labels: dict[str, list[str]]
    """Each annotator's label of every token."""


Ratio = Callable[[float | None], str]
"""How a table writes a figure between -1 and 1, or an undefined one (None)."""


def _scores(score: Score, ratio: Ratio) -> list[object]:
    return [score.matched, ratio(score.precision), ratio(score.recall), ratio(score.f1)]


def span_score_rows(
    pair: PairAgreement, labels: Sequence[str], total: str, ratio: Ratio
) -> list[list[object]]:
    """One row per label of ``labels`` and a last one, named ``total``, for all of them:
    the label, its reference and candidate spans, then matched, P, R and F1 of exact match
    and of overlap match."""
    empty = Score(0, 0, 0)

    def row(name: str, exact: Score, overlap: Score) -> list[object]:
        return [
            name,
            exact.reference,
            exact.candidate,
            *_scores(exact, ratio),
            *_scores(overlap, ratio),
        ]

    rows = [
        row(label, pair.exact.labels.get(label, empty), pair.overlap.labels.get(label, empty))
        for label in labels
    ]
    return [*rows, row(total, pair.exact.overall, pair.overlap.overall)]


def relation_score_rows(scores: LabelScores, total: str, ratio: Ratio) -> list[list[object]]:
    """One row per relation label and a last one, named ``total``, for all of them: the
    label, its reference and candidate relations, matched, P, R and F1."""
    rows: list[list[object]] = [
        [label, score.reference, score.candidate, *_scores(score, ratio)]
        for label, score in scores.labels.items()
    ]
    overall = scores.overall
    rows.append([total, overall.reference, overall.candidate, *_scores(overall, ratio)])
    return rows


def pair_score_rows(report: AgreementReport, ratio: Ratio) -> list[list[object]]:
    """One row per pair of annotators: reference, candidate, documents in common, then
    exact, overlap and relation F1 (undefined without relations to compare) and kappa."""
    return [
        [
            p.reference,
            p.candidate,
            p.documents,
            ratio(p.exact.overall.f1),
            ratio(p.overlap.overall.f1),
            ratio(p.relations.overall.f1 if p.relations.labels else None),
            ratio(p.kappa),
        ]
        for p in report.pairs
    ]


def agreement(
    workspace: Workspace,
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
) -> AgreementReport:
    """Compare annotators over the documents that at least two of them annotated.

    An annotator annotated a document when they have a span in it or a status other than
    new. ``annotators`` defaults to everyone who annotated something, by name; ``labels``
    restricts the spans compared (relations count when both their spans are kept). Raises
    ``NotEnoughAnnotators`` when fewer than two annotators share a document.
    """
    with workspace.database.reading() as uow:
        annotated = uow.documents.annotators_by_document(workspace.project_id)
        everyone = sorted({name for names in annotated.values() for name in names})
        chosen = _chosen(annotators, everyone)
        wanted = None if labels is None else _checked_labels(workspace, labels, uow)
        shared = sorted(d for d, names in annotated.items() if len(names & set(chosen)) >= 2)
        in_common = [a for a in chosen if any(a in annotated[d] for d in shared)]
        if len(in_common) < 2:
            raise NotEnoughAnnotators(_not_enough(chosen))
        documents = [_load(uow, d, annotated[d] & set(in_common), wanted) for d in shared]
    pairs = tuple(_pair(a, b, documents) for a, b in combinations(in_common, 2))
    units = [
        [d.labels[a][i] if a in d.labels else None for a in in_common]
        for d in documents
        for i in range(d.tokens)
    ]
    return AgreementReport(
        annotators=tuple(in_common),
        labels=None if wanted is None else tuple(sorted(wanted)),
        documents=len(documents),
        pairs=pairs,
        alpha=krippendorff_alpha(units),
        alpha_tokens=sum(sum(v is not None for v in unit) >= 2 for unit in units),
        excluded=tuple(a for a in chosen if a not in in_common),
    )


def _chosen(annotators: Sequence[str] | None, everyone: list[str]) -> list[str]:
    if annotators is None:
        return everyone
    chosen = list(dict.fromkeys(a.strip() for a in annotators if a.strip()))
    unknown = [a for a in chosen if a not in everyone]
    if unknown:
        known = ", ".join(everyone) or "nobody yet"
        raise NotEnoughAnnotators(
            f"no annotations by {', '.join(unknown)} (annotators with annotations: {known})"
        )
    return chosen


def _not_enough(chosen: list[str]) -> str:
    if len(chosen) < 2:
        return (
            "fewer than two annotators have annotations to compare "
            f"(only {', '.join(chosen) or 'nobody'})"
        )
    return (
        "fewer than two annotators have annotations to compare: "
        f"{', '.join(chosen)} annotated no document in common"
    )


def _checked_labels(workspace: Workspace, labels: Sequence[str], uow: UnitOfWork) -> set[str]:
    wanted = {label.strip() for label in labels if label.strip()}
    known = {label.name for label in workspace.schema.labels}
    known.update(label for _, label, _, _ in uow.spans.label_counts(workspace.project_id))
    unknown = sorted(wanted - known)
    if unknown:
        raise GlossaError(
            f"unknown label(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    return wanted


def _load(
    uow: UnitOfWork, document_id: int, annotators: set[str], labels: set[str] | None
) -> _Document:
    spans: dict[str, list[Span]] = {a: [] for a in annotators}
    for span in uow.spans.of_document(document_id):
        if span.annotator in spans and (labels is None or span.label in labels):
            spans[span.annotator].append(span)
    relations: dict[str, list[Relation]] = {a: [] for a in annotators}
    for relation in uow.spans.relations_of_document(document_id):
        if relation.annotator in relations:
            relations[relation.annotator].append(relation)
    tokens = regex_tokens(uow.documents.text(document_id))
    by_token = {a: token_labels(tokens, spans[a]) for a in annotators}
    return _Document(annotators, len(tokens), spans, relations, by_token)


def _pair(reference: str, candidate: str, documents: list[_Document]) -> PairAgreement:
    both = [d for d in documents if {reference, candidate} <= d.annotators]
    ref_spans = [s for d in both for s in d.spans[reference]]
    cand_spans = [s for d in both for s in d.spans[candidate]]
    by_id = {s.id: s for s in (*ref_spans, *cand_spans)}
    ref_labels: list[str] = []
    cand_labels: list[str] = []
    for d in both:
        ref_labels += d.labels[reference]
        cand_labels += d.labels[candidate]
    return PairAgreement(
        reference=reference,
        candidate=candidate,
        documents=len(both),
        exact=exact_agreement(ref_spans, cand_spans),
        overlap=overlap_agreement(ref_spans, cand_spans),
        relations=relation_agreement(
            [r for d in both for r in d.relations[reference]],
            [r for d in both for r in d.relations[candidate]],
            by_id,
        ),
        tokens=len(ref_labels),
        kappa=cohen_kappa(ref_labels, cand_labels),
    )
