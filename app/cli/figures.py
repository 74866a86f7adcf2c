"""How ``glossa agree`` and ``glossa stats`` print their figures as plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence

from app.cli.terminal import printable
from app.core.agreement import LabelScores
from app.core.annotations import Status
from app.services.agreement import (
    AgreementReport,
    PairAgreement,
    pair_score_rows,
    relation_score_rows,
    span_score_rows,
)
from app.services.statistics import Statistics

Group = tuple[str, int, int]
"""A title over columns ``first..last`` (inclusive) of a table."""


def grid(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    right: set[int],
    groups: Sequence[Group] = (),
) -> str:
    """Align every column (``right`` ones to the right), with optional titles over groups."""
    cells = [[printable(str(c), lines=False) for c in row] for row in (headers, *rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        for row in cells
    ]
    if groups:
        starts = [sum(widths[:i]) + 2 * i for i in range(len(widths))]
        line = ""
        for title, first, last in groups:
            width = starts[last] + widths[last] - starts[first]
            line = line.ljust(starts[first]) + f"{title} ".ljust(width, "-")
        lines.insert(0, line)
    return "\n".join(lines)


def ratio(value: float | None) -> str:
    """A figure between -1 and 1 with three decimals; ``-`` when undefined."""
    return "-" if value is None else f"{value:.3f}"


def _span_table(pair: PairAgreement) -> str:
    labels = sorted(set(pair.exact.labels) | set(pair.overlap.labels))
    rows = span_score_rows(pair, labels, "overall", ratio)
    headers = ("LABEL", "REF", "CAND", *(("MATCH", "P", "R", "F1") * 2))
    groups = [("exact match", 3, 6), ("overlap match", 7, 10)]
    return grid(headers, rows, right=set(range(1, 11)), groups=groups)


def _relation_table(scores: LabelScores) -> str:
    rows = relation_score_rows(scores, "overall", ratio)
    headers = ("RELATION", "REF", "CAND", "MATCH", "P", "R", "F1")
    return grid(headers, rows, right=set(range(1, 7)))


def _pair_text(pair: PairAgreement) -> list[str]:
    heading = (
        f"{pair.reference} (reference, REF) vs {pair.candidate} (CAND): "
        f"{pair.documents} document(s) both annotated"
    )
    if not pair.documents:
        return [heading]
    lines = [heading, "", _span_table(pair), ""]
    if pair.relations.labels:
        lines += [_relation_table(pair.relations), ""]
    else:
        lines += ["relations: none to compare", ""]
    lines.append(f"Cohen's kappa on token labels: {ratio(pair.kappa)} over {pair.tokens} tokens")
    return lines


def agreement_text(report: AgreementReport) -> str:
    """The agreement report as a terminal reads it: per pair, then over everyone."""
    what = "all labels" if report.labels is None else "labels " + ", ".join(report.labels)
    lines = [
        f"{len(report.annotators)} annotators ({', '.join(report.annotators)}), "
        f"{report.documents} document(s) annotated by two or more, {what}",
    ]
    if report.excluded:
        lines.append(f"left out (no document in common): {', '.join(report.excluded)}")
    if len(report.pairs) > 1:
        rows = pair_score_rows(report, ratio)
        headers = ("REFERENCE", "CANDIDATE", "DOCS", "EXACT F1", "OVERLAP F1", "REL F1", "KAPPA")
        lines += ["", grid(headers, rows, right=set(range(2, 7)))]
    for pair in report.pairs:
        lines += ["", *_pair_text(pair)]
    lines += [
        "",
        f"Krippendorff's alpha (nominal) on token labels: {ratio(report.alpha)} "
        f"over {report.alpha_tokens} tokens, {len(report.annotators)} annotators",
    ]
    return "\n".join(lines)


def _counts(by_label: dict[str, dict[str, int]], annotators: Sequence[str], first: str) -> str:
    rows: list[list[object]] = [
        [label, *(counts.get(a, 0) for a in annotators), sum(counts.values())]
        for label, counts in by_label.items()
    ]
    totals = [sum(counts.get(a, 0) for counts in by_label.values()) for a in annotators]
    rows.append(["total", *totals, sum(totals)])
    return grid((first, *annotators, "TOTAL"), rows, right=set(range(1, len(annotators) + 2)))


def statistics_text(stats: Statistics) -> str:
    """The project's figures as a terminal reads them."""
    lines = [
        f"{stats.documents} document(s), {stats.spans} span(s) "
        f"({stats.spans_per_document:.1f} per document), {stats.relations} relation(s), "
        f"{len(stats.annotators)} annotator(s)"
    ]
    if not stats.annotators:
        return "\n".join([*lines, "", "no annotations yet"])
    names = stats.annotators
    if stats.labels:
        lines += ["", _counts(stats.labels, names, "LABEL")]
    if stats.relation_labels:
        lines += ["", _counts(stats.relation_labels, names, "RELATION")]
    statuses = [status.value for status in Status]
    rows = [
        [
            a,
            stats.annotated.get(a, 0),
            *(stats.statuses[a][s] for s in statuses),
            f"{stats.spans_per_annotated_document(a):.1f}",
        ]
        for a in names
    ]
    headers = ("ANNOTATOR", "ANNOTATED", *(s.upper() for s in statuses), "SPANS/DOC")
    lines += ["", grid(headers, rows, right=set(range(1, len(headers))))]
    if stats.origins:
        rows = [[origin, count] for origin, count in stats.origins.items()]
        lines += ["", grid(("ORIGIN", "SPANS"), rows, right={1})]
    if stats.progress:
        rows = [[p.day, p.annotator, p.spans_added, p.documents_done] for p in stats.progress]
        headers = ("DAY (UTC)", "ANNOTATOR", "SPANS ADDED", "DOCS DONE")
        lines += ["", grid(headers, rows, right={2, 3})]
    return "\n".join(lines)
