"""Figures about a project: what was tagged, by whom, how far everyone got, and when."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.annotations import Status
from app.services.workspace import Workspace


@dataclass(frozen=True)
class DayProgress:
    """What one annotator did on one day (UTC)."""

    day: str
    """ISO date, ``YYYY-MM-DD``."""
    annotator: str
    spans_added: int
    documents_done: int


@dataclass(frozen=True)
class Statistics:
    """Counts over the whole project."""

    documents: int
    spans: int
    relations: int
    annotators: tuple[str, ...]
    """Everyone with a span, a relation or a document status, by name."""
    labels: dict[str, dict[str, int]] = field(default_factory=dict)
    """Spans per label (sorted) per annotator."""
    relation_labels: dict[str, dict[str, int]] = field(default_factory=dict)
    """Relations per relation label (sorted) per annotator."""
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)
    """Documents per status (new, in progress, done) per annotator."""
    origins: dict[str, int] = field(default_factory=dict)
    """Spans per origin (manual, imported, suggested)."""
    annotated: dict[str, int] = field(default_factory=dict)
    """Documents each annotator annotated (a span, or a status other than new)."""
    progress: tuple[DayProgress, ...] = ()
    """Spans added and documents finished per day and annotator, oldest first."""
    seconds_spent: dict[str, int] = field(default_factory=dict)
    """Active time (idle excluded) over the project's documents, per annotator."""

    @property
    def spans_per_document(self) -> float:
        """Average spans per document of the project (0.0 without documents)."""
        return self.spans / self.documents if self.documents else 0.0

    def spans_per_annotated_document(self, annotator: str) -> float:
        """Average spans of ``annotator`` per document they annotated."""
        spans = sum(counts.get(annotator, 0) for counts in self.labels.values())
        documents = self.annotated.get(annotator, 0)
        return spans / documents if documents else 0.0

    def as_dict(self) -> dict[str, Any]:
        """Every figure as plain JSON values."""
        return {
            "documents": self.documents,
            "spans": self.spans,
            "relations": self.relations,
            "annotators": list(self.annotators),
            "spans_per_document": self.spans_per_document,
            "labels": self.labels,
            "relation_labels": self.relation_labels,
            "statuses": self.statuses,
            "origins": self.origins,
            "annotated": self.annotated,
            "spans_per_annotated_document": {
                a: self.spans_per_annotated_document(a) for a in self.annotators
            },
            "progress": [
                {
                    "day": p.day,
                    "annotator": p.annotator,
                    "spans_added": p.spans_added,
                    "documents_done": p.documents_done,
                }
                for p in self.progress
            ],
            "seconds_spent": self.seconds_spent,
        }


def statistics(workspace: Workspace) -> Statistics:
    """Count spans, relations, statuses and daily progress over the whole project.

    Progress comes from the event log, so it counts spans as they were added, including
    ones deleted later, and each time a document was marked done.
    """
    project = workspace.project_id
    with workspace.database.reading() as uow:
        documents = len(uow.documents.ids(project))
        span_counts = uow.spans.label_counts(project)
        relation_counts = uow.spans.relation_counts(project)
        status_counts = uow.documents.status_counts(project)
        annotated = uow.documents.annotators_by_document(project)
        events = uow.events.of_actions(["add_span", "set_status"])
        time_rows = uow.annotator_work.progress(project)

    labels: dict[str, Counter[str]] = defaultdict(Counter)
    origins: Counter[str] = Counter()
    for annotator, label, origin, count in span_counts:
        labels[label][annotator] += count
        origins[origin] += count
    relation_labels: dict[str, Counter[str]] = defaultdict(Counter)
    for annotator, label, count in relation_counts:
        relation_labels[label][annotator] += count
    documents_of: Counter[str] = Counter(a for names in annotated.values() for a in names)

    names = {a for a, *_ in span_counts} | {a for a, *_ in relation_counts}
    names |= {a for a, status, _ in status_counts if status != Status.NEW.value}
    annotators = tuple(sorted(names))

    statuses: dict[str, dict[str, int]] = {}
    for annotator in annotators:
        counts = Counter(
            {s: n for a, s, n in status_counts if a == annotator and s != Status.NEW.value}
        )
        row = {status.value: counts[status.value] for status in Status}
        row[Status.NEW.value] = documents - sum(counts.values())
        statuses[annotator] = row

    seconds: Counter[str] = Counter()
    for annotator, _, _, spent in time_rows:
        seconds[annotator] += spent

    return Statistics(
        documents=documents,
        spans=sum(origins.values()),
        relations=sum(sum(c.values()) for c in relation_labels.values()),
        annotators=annotators,
        labels={label: dict(sorted(labels[label].items())) for label in sorted(labels)},
        relation_labels={
            label: dict(sorted(relation_labels[label].items())) for label in sorted(relation_labels)
        },
        statuses=statuses,
        origins=dict(sorted(origins.items())),
        annotated={a: documents_of[a] for a in annotators},
        progress=_progress(events),
        seconds_spent={a: seconds[a] for a in annotators},
    )


def _progress(
    events: list[tuple[datetime, str, str, dict[str, Any]]],
) -> tuple[DayProgress, ...]:
    added: Counter[tuple[str, str]] = Counter()
    done: Counter[tuple[str, str]] = Counter()
    for at, annotator, action, payload in events:
        key = (at.date().isoformat(), annotator)
        if action == "add_span":
            added[key] += 1
        elif payload.get("status") == Status.DONE.value:
            done[key] += 1
    return tuple(
        DayProgress(day, annotator, added[day, annotator], done[day, annotator])
        for day, annotator in sorted(added.keys() | done.keys())
    )
