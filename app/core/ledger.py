"""The cost ledger: how each span and relation was made and the active seconds it took.

It is read from the event log, oldest first. An action's cost is the time since the same
annotator's previous action, capped at ``IDLE_AFTER`` seconds (longer means the annotator
was away, as the window's active time counts it), shared evenly by what the action made:
tagging every match of a word costs each new span a share of one action. Undo and redo are
actions too, so the time a mistake took is not charged to the next span.

How a span was made, by action:
- ``typed``: selected and labelled by hand, one span or every match at once;
- ``accepted``: a suggestion accepted as it was, or with another label;
- ``accepted after fix``: a suggestion whose boundary was fixed before accepting;
- ``relabelled``: an existing span given another label (its time is the relabelling's).
A rejected suggestion costs its time too but makes nothing; it counts in the acceptance rate.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

IDLE_AFTER = 60.0
"""Seconds without any action after which the annotator counts as away."""

TYPED = "typed"
ACCEPTED = "accepted"
ACCEPTED_AFTER_FIX = "accepted after fix"
RELABELLED = "relabelled"

SPAN_ACTIONS = {
    "add_span": TYPED,
    "add_spans": TYPED,
    "accept_suggestion": ACCEPTED,
    "accept_suggestions": ACCEPTED,
    "relabel_span": RELABELLED,
}
"""The actions that make spans, and how they made them."""
RELATION_ACTIONS = {"add_relation": TYPED, "accept_suggestion": ACCEPTED}
REJECT_ACTIONS = frozenset({"reject_suggestion", "reject_suggestions"})

Event = tuple[datetime, str, str, dict[str, Any]]
"""``(time, annotator, action, payload)`` as the event log keeps it."""


@dataclass(frozen=True)
class LedgerEntry:
    """One span or relation made: by whom, with which label, how, and its seconds."""

    at: datetime
    annotator: str
    document: int | None
    kind: str  # "span" | "relation"
    label: str
    made: str
    seconds: float


def _made(action: str, payload: dict[str, Any], table: dict[str, str]) -> str | None:
    made = table.get(action)
    if made == ACCEPTED and payload.get("fixed"):
        return ACCEPTED_AFTER_FIX
    return made


def _labels(payload: dict[str, Any], key: str, ids_key: str) -> list[str]:
    """The labels of what an event made; events written before labels were logged carry
    only ids (and a single ``label`` for a span action)."""
    labels = payload.get(key)
    if isinstance(labels, list):
        return [str(label) for label in labels]
    count = len(payload.get(ids_key) or [])
    return [str(payload.get("label", "?"))] * count


def ledger_entries(events: Iterable[Event], idle_after: float = IDLE_AFTER) -> list[LedgerEntry]:
    """Every span and relation the ``events`` made, with the seconds each took."""
    last: dict[str, datetime] = {}
    entries: list[LedgerEntry] = []
    for at, annotator, action, payload in events:
        before = last.get(annotator)
        last[annotator] = at
        seconds = idle_after if before is None else (at - before).total_seconds()
        seconds = min(max(seconds, 0.0), idle_after)
        made_span = _made(action, payload, SPAN_ACTIONS)
        made_relation = _made(action, payload, RELATION_ACTIONS)
        if action == "relabel_span":
            spans = _labels(payload, "changed_labels", "changed")
        else:
            spans = _labels(payload, "labels", "added") if made_span else []
        relations = _labels(payload, "relation_labels", "relations_added") if made_relation else []
        share = seconds / (len(spans) + len(relations)) if spans or relations else 0.0
        document = payload.get("document")
        for kind, labels, made in (
            ("span", spans, made_span),
            ("relation", relations, made_relation),
        ):
            for label in labels:
                entries.append(
                    LedgerEntry(at, annotator, document, kind, label, made or TYPED, share)
                )
    return entries


@dataclass(frozen=True)
class CostRow:
    """Spans of one label made one way by one annotator, and their seconds each."""

    label: str
    annotator: str
    made: str
    count: int
    seconds: float

    @property
    def per_span(self) -> float:
        """Mean active seconds per span."""
        return self.seconds / self.count if self.count else 0.0


@dataclass(frozen=True)
class Costs:
    """What the ledger adds up to."""

    rows: tuple[CostRow, ...]
    accepted: int
    rejected: int
    seconds_saved: float
    """Accepted spans times how much faster accepting was than typing, label by label
    (labels nobody typed save nothing, since there is nothing to compare with)."""

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted suggestions over those accepted or rejected; None before any."""
        answered = self.accepted + self.rejected
        return self.accepted / answered if answered else None


def costs(entries: Sequence[LedgerEntry], events: Iterable[Event] = ()) -> Costs:
    """Seconds per span by label, annotator and way made; acceptance and time saved.

    ``events`` are those the entries were read from; an accept or reject event counts as
    one suggestion answered, or as many as its payload's ``suggestions`` list."""
    groups: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for entry in entries:
        if entry.kind == "span":
            groups[entry.label, entry.annotator, entry.made].append(entry.seconds)
    rows = tuple(
        CostRow(label, annotator, made, len(seconds), sum(seconds))
        for (label, annotator, made), seconds in sorted(groups.items())
    )
    by_way: dict[tuple[str, str], list[float]] = defaultdict(list)
    for entry in entries:
        if entry.kind == "span":
            way = TYPED if entry.made == TYPED else ACCEPTED if entry.made != RELABELLED else ""
            if way:
                by_way[entry.label, way].append(entry.seconds)
    saved = 0.0
    for (label, way), seconds in by_way.items():
        typed = by_way.get((label, TYPED))
        if way == ACCEPTED and typed:
            saved += len(seconds) * (sum(typed) / len(typed)) - sum(seconds)
    answers = {ACCEPTED: 0, "rejected": 0}
    for _, _, action, payload in events:
        answer = "rejected" if action in REJECT_ACTIONS else SPAN_ACTIONS.get(action)
        if answer in answers:
            # a quote accepted with its cue and speaker is one suggestion, not three
            answers[answer] += max(1, len(payload.get("suggestions") or []))
    return Costs(rows, answers[ACCEPTED], answers["rejected"], saved)


LEDGER_COLUMNS = ("time", "annotator", "document", "kind", "label", "made", "seconds")


def ledger_csv(entries: Iterable[LedgerEntry]) -> str:
    """The ledger as CSV, one row per span or relation made."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LEDGER_COLUMNS)
    for e in entries:
        writer.writerow(
            [e.at.isoformat(), e.annotator, e.document, e.kind, e.label, e.made, f"{e.seconds:.1f}"]
        )
    return out.getvalue()
