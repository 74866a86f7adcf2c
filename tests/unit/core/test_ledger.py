"""The cost ledger read from hand-written and generated event logs."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.core.ledger import (
    ACCEPTED,
    ACCEPTED_AFTER_FIX,
    IDLE_AFTER,
    RELABELLED,
    TYPED,
    costs,
    ledger_csv,
    ledger_entries,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def event(
    seconds: float, action: str, who: str = "ana", **payload: Any
) -> tuple[datetime, str, str, dict[str, Any]]:
    return at(seconds), who, action, {"document": 1, **payload}


def test_each_span_costs_the_time_since_the_annotators_previous_action() -> None:
    events = [
        event(0, "set_status"),
        event(8, "add_span", added=[1], labels=["PERSON"]),
        event(11, "accept_suggestion", added=[2, 3, 4], labels=["QUOTE", "CUE", "PERSON"]),
        event(15, "accept_suggestion", added=[5], labels=["ORG"], fixed=True),
        event(25, "relabel_span", changed=[1], changed_labels=["ORG"]),
    ]
    entries = ledger_entries(events)
    assert [(e.label, e.made, round(e.seconds, 2)) for e in entries] == [
        ("PERSON", TYPED, 8.0),
        ("QUOTE", ACCEPTED, 1.0),
        ("CUE", ACCEPTED, 1.0),
        ("PERSON", ACCEPTED, 1.0),
        ("ORG", ACCEPTED_AFTER_FIX, 4.0),
        ("ORG", RELABELLED, 10.0),
    ]


def test_time_away_is_capped_and_annotators_are_timed_apart() -> None:
    events = [
        event(0, "add_span", "ana", added=[1], labels=["PERSON"]),
        event(5, "add_span", "ben", added=[2], labels=["PERSON"]),
        event(3600, "add_span", "ana", added=[3], labels=["PERSON"]),
        event(3606, "add_span", "ben", added=[4], labels=["PERSON"]),
    ]
    seconds = [(e.annotator, e.seconds) for e in ledger_entries(events)]
    assert seconds == [
        ("ana", IDLE_AFTER),
        ("ben", IDLE_AFTER),
        ("ana", IDLE_AFTER),
        ("ben", IDLE_AFTER),
    ]


def test_relations_share_the_time_of_the_action_that_made_them() -> None:
    events = [
        event(0, "add_span", added=[1], labels=["QUOTE"]),
        event(6, "add_relation", relations_added=[9], relation_labels=["speaker"]),
    ]
    relation = ledger_entries(events)[-1]
    assert (relation.kind, relation.label, relation.seconds) == ("relation", "speaker", 6.0)


def test_events_logged_before_labels_still_count_their_spans() -> None:
    events = [event(0, "set_status"), event(4, "add_spans", added=[1, 2], label="ORG")]
    assert [(e.label, e.seconds) for e in ledger_entries(events)] == [("ORG", 2.0), ("ORG", 2.0)]


def test_acceptance_rate_and_time_saved() -> None:
    events = [
        event(0, "set_status"),
        event(10, "add_span", added=[1], labels=["PERSON"]),
        event(20, "add_span", added=[2], labels=["PERSON"]),
        event(22, "accept_suggestion", added=[3], labels=["PERSON"]),
        event(24, "reject_suggestion"),
        event(26, "accept_suggestion", added=[4, 5], labels=["PERSON", "QUOTE"]),
    ]
    entries = ledger_entries(events)
    result = costs(entries, events)
    assert (result.accepted, result.rejected) == (2, 1)
    assert result.acceptance_rate == 2 / 3
    # typed PERSON spans took 10 s each; accepted ones 2 s and 1 s; QUOTE was never typed
    assert result.seconds_saved == (10 - 2) + (10 - 1)
    person_typed = next(r for r in result.rows if (r.label, r.made) == ("PERSON", TYPED))
    assert (person_typed.count, person_typed.per_span) == (2, 10.0)


def test_no_suggestions_answered_means_no_rate() -> None:
    assert costs([], []).acceptance_rate is None


def test_the_csv_reads_back_one_row_per_thing_made() -> None:
    events = [event(0, "add_span", added=[1], labels=["PERSON, Jr."])]
    rows = list(csv.DictReader(io.StringIO(ledger_csv(ledger_entries(events)))))
    assert [(r["label"], r["made"], r["seconds"]) for r in rows] == [
        ("PERSON, Jr.", TYPED, f"{IDLE_AFTER:.1f}")
    ]


actions = st.sampled_from(
    ["add_span", "add_spans", "accept_suggestion", "relabel_span", "delete_spans", "undo"]
)


@given(st.lists(st.tuples(st.floats(0, 200), actions, st.integers(1, 4), st.booleans())))
def test_the_ledger_never_charges_more_than_the_time_spent(
    steps: list[tuple[float, str, int, bool]],
) -> None:
    events, clock = [], 0.0
    for gap, action, made, second_annotator in steps:
        clock += gap
        labels = ["L"] * made
        events.append(
            event(
                clock,
                action,
                "ben" if second_annotator else "ana",
                added=list(range(made)),
                labels=labels,
                changed=list(range(made)),
                changed_labels=labels,
            )
        )
    entries = ledger_entries(events)
    for who in ("ana", "ben"):
        mine = [e for e in events if e[1] == who]
        spent = sum(
            min((b[0] - a[0]).total_seconds(), IDLE_AFTER) for a, b in itertools.pairwise(mine)
        ) + (IDLE_AFTER if mine else 0)
        charged = sum(e.seconds for e in entries if e.annotator == who)
        assert charged <= spent + 1e-6
    makers = {"add_span", "add_spans", "accept_suggestion", "relabel_span"}
    assert len(entries) == sum(len(e[3]["labels"]) for e in events if e[2] in makers)
