"""Agreement and statistics over real databases, with annotators working on the same file.

Every test runs on a SQLite file and, when ``GLOSSA_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.annotations import Origin, Status
from app.core.errors import GlossaError
from app.services import Workspace, documents, spans
from app.services.agreement import NotEnoughAnnotators, agreement
from app.services.importing import import_paths
from app.services.statistics import statistics

# D1 tokens: Ann | Varga | met | Bob | Lee | in | Paris | .          (8)
D1 = "Ann Varga met Bob Lee in Paris."
# D2 tokens: Carl | Ode | said | " | no | " | to | the | ministry | .  (10)
D2 = 'Carl Ode said "no" to the ministry.'
D3 = "Nobody else read this one."


class Team:
    """Workspaces of several annotators on one database."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.open: dict[str, Workspace] = {}
        first = self["alice"]
        files = []
        for number, text in enumerate((D1, D2, D3), start=1):
            path = folder / f"d{number}.txt"
            path.write_text(text + "\n", encoding="utf-8")
            files.append(path)
        assert import_paths(first, files).ok
        self.d1, self.d2, self.d3 = (s.id for s in documents.documents(first))

    def __getitem__(self, name: str) -> Workspace:
        if name not in self.open:
            self.open[name] = Workspace.open(self.url, name, samples=False)
        return self.open[name]

    def tag(self, name: str, document: int, text: str, needle: str, label: str) -> int:
        start = text.index(needle)
        return spans.add_span(self[name], document, start, start + len(needle), label).added[0].id

    def relate(self, name: str, document: int, head: int, tail: int, label: str) -> None:
        workspace = self[name]
        with workspace.database.unit_of_work() as uow:
            uow.spans.add_relation(document, head, tail, label, workspace.annotator_id)
            uow.commit()

    def close(self) -> None:
        for workspace in self.open.values():
            workspace.close()


@pytest.fixture
def team(database_url: str, tmp_path: Path) -> Iterator[Team]:
    """alice and bob on D1 and D2 as in the comments below; alice alone on D3."""
    team = Team(database_url, tmp_path)
    d1, d2 = team.d1, team.d2
    # alice, D1: PERSON "Ann Varga", PERSON "Bob Lee", LOC "Paris"
    team.tag("alice", d1, D1, "Ann Varga", "PERSON")
    team.tag("alice", d1, D1, "Bob Lee", "PERSON")
    team.tag("alice", d1, D1, "Paris", "LOC")
    # bob, D1: PERSON "Ann Varga", PERSON "Bob" (shorter), ORG "Paris" (other label)
    team.tag("bob", d1, D1, "Ann Varga", "PERSON")
    team.tag("bob", d1, D1, "Bob", "PERSON")
    team.tag("bob", d1, D1, "Paris", "ORG")
    # both, D2: PERSON "Carl Ode", CUE "said", QUOTE '"no"', QUOTE -speaker-> PERSON;
    # only alice adds QUOTE -cue-> CUE
    for name in ("alice", "bob"):
        person = team.tag(name, d2, D2, "Carl Ode", "PERSON")
        cue = team.tag(name, d2, D2, "said", "CUE")
        quote = team.tag(name, d2, D2, '"no"', "QUOTE")
        team.relate(name, d2, quote, person, "speaker")
        if name == "alice":
            team.relate(name, d2, quote, cue, "cue")
    # alice alone, D3: not compared
    team.tag("alice", team.d3, D3, "Nobody", "PERSON")
    yield team
    team.close()


def test_two_annotators_by_hand(team: Team) -> None:
    report = agreement(team["alice"])

    assert report.annotators == ("alice", "bob")
    assert report.documents == 2  # D1 and D2; D3 has alice only
    (pair,) = report.pairs
    assert (pair.reference, pair.candidate, pair.documents) == ("alice", "bob", 2)

    exact = pair.exact
    # PERSON: alice {Ann Varga, Bob Lee, Carl Ode}, bob {Ann Varga, Bob, Carl Ode} -> 2 of 3, 3
    assert (exact.labels["PERSON"].matched, exact.labels["PERSON"].reference) == (2, 3)
    assert exact.labels["LOC"].reference == 1 and exact.labels["LOC"].candidate == 0
    assert exact.labels["ORG"].reference == 0 and exact.labels["ORG"].candidate == 1
    # overall: 4 matched (2 PERSON, CUE, QUOTE) of 6 and 6 -> P = R = F1 = 2/3
    assert exact.overall.matched == 4
    assert exact.overall.f1 == pytest.approx(2 / 3)
    # overlap adds "Bob Lee"~"Bob": 5 of 6 -> 5/6
    assert pair.overlap.labels["PERSON"].matched == 3
    assert pair.overlap.overall.f1 == pytest.approx(5 / 6)

    # relations: speaker 1 of 1 and 1; cue only alice's -> matched 1, ref 2, cand 1
    assert pair.relations.labels["speaker"].f1 == 1.0
    overall = pair.relations.overall
    assert (overall.matched, overall.reference, overall.candidate) == (1, 2, 1)
    assert (overall.precision, overall.recall) == (1.0, 0.5)

    # tokens: D1 alice P P O P P O LOC O, bob P P O P O O ORG O (6 of 8 alike);
    # D2 P P CUE Q Q Q O O O O on both (10 of 10): 16 of 18 alike
    # alice P6 O7 LOC1 CUE1 Q3; bob P5 O8 ORG1 CUE1 Q3
    # chance * n^2 = 6*5 + 7*8 + 1*1 + 3*3 = 96
    # kappa = (18*16 - 96) / (18^2 - 96) = 192/228
    assert pair.tokens == 18
    assert pair.kappa == pytest.approx(192 / 228)
    # alpha: 18 units of two values, 2 unalike -> D = 2 + 2 = 4; n = 36 with
    # P 11, O 15, LOC 1, ORG 1, CUE 2, Q 6 -> E = 36^2 - (121+225+1+1+4+36) = 908
    # alpha = 1 - 35*4/908 = 768/908
    assert report.alpha_tokens == 18
    assert report.alpha == pytest.approx(768 / 908)


def test_the_first_annotator_named_is_the_reference(team: Team) -> None:
    forward = agreement(team["alice"]).pairs[0]
    backward = agreement(team["alice"], ["bob", "alice"]).pairs[0]

    assert (backward.reference, backward.candidate) == ("bob", "alice")
    relations = backward.relations.overall
    assert (relations.precision, relations.recall) == (0.5, 1.0)
    assert backward.exact.overall.f1 == forward.exact.overall.f1
    assert backward.kappa == pytest.approx(forward.kappa)


def test_three_annotators_with_a_missing_document(team: Team) -> None:
    # carol tags D1 exactly as alice did and never opens D2
    for needle, label in (("Ann Varga", "PERSON"), ("Bob Lee", "PERSON"), ("Paris", "LOC")):
        team.tag("carol", team.d1, D1, needle, label)

    report = agreement(team["carol"])

    assert report.annotators == ("alice", "bob", "carol")
    assert [(p.reference, p.candidate, p.documents) for p in report.pairs] == [
        ("alice", "bob", 2),
        ("alice", "carol", 1),
        ("bob", "carol", 1),
    ]
    alice_carol = report.pairs[1]
    assert alice_carol.exact.overall.f1 == 1.0
    assert alice_carol.kappa == 1.0
    # D1 units of three values: "Lee" P,O,P -> (9 - 5)/2 = 2, "Paris" LOC,ORG,LOC -> 2;
    # D2 units of two alike values (carol missing) -> 0. D = 4
    # values: D1 P 11, O 10, LOC 2, ORG 1; D2 P 4, O 8, CUE 2, Q 6 -> n = 44
    # E = 44^2 - (15^2 + 18^2 + 2^2 + 1^2 + 2^2 + 6^2) = 1936 - 594 = 1342
    # alpha = 1 - 43*4/1342 = 1170/1342
    assert report.alpha_tokens == 18
    assert report.alpha == pytest.approx(1170 / 1342)


def test_labels_restrict_spans_and_the_relations_between_them(team: Team) -> None:
    report = agreement(team["alice"], labels=["PERSON"])

    (pair,) = report.pairs
    assert report.labels == ("PERSON",)
    assert list(pair.exact.labels) == ["PERSON"]
    assert pair.relations.labels == {}  # every relation starts at a QUOTE
    # tokens: only PERSON or O; D1 differs at "Lee" alone -> 17 of 18 alike
    # alice P6 O12, bob P5 O13: chance = 30 + 156 = 186
    # kappa = (18*17 - 186) / (324 - 186) = 120/138
    assert pair.kappa == pytest.approx(120 / 138)


def test_a_status_counts_as_annotating(team: Team) -> None:
    # dave finishes D3 without tagging anything: he and alice share D3
    documents.set_status(team["dave"], team.d3, Status.DONE)

    report = agreement(team["alice"], ["alice", "dave"])

    (pair,) = report.pairs
    assert pair.documents == 1
    assert (pair.exact.overall.reference, pair.exact.overall.candidate) == (1, 0)
    # D3 tokens: Nobody | else | read | this | one | . -> alice P O O O O O, dave all O
    # alike 5 of 6; chance = 5*6 = 30 -> kappa = (6*5 - 30) / (36 - 30) = 0
    assert pair.kappa == 0.0


def test_unknown_annotators_and_labels_are_errors(team: Team) -> None:
    with pytest.raises(NotEnoughAnnotators, match="zed"):
        agreement(team["alice"], ["alice", "zed"])
    with pytest.raises(GlossaError, match="unknown label"):
        agreement(team["alice"], labels=["PERSN"])


def test_fewer_than_two_annotators_is_an_error(database_url: str, tmp_path: Path) -> None:
    team = Team(database_url, tmp_path)
    try:
        team.tag("alice", team.d1, D1, "Paris", "LOC")
        with pytest.raises(NotEnoughAnnotators, match="fewer than two annotators"):
            agreement(team["alice"])
        # bob works on another document: nothing in common
        team.tag("bob", team.d2, D2, "Carl Ode", "PERSON")
        with pytest.raises(NotEnoughAnnotators, match="no document in common"):
            agreement(team["bob"])
    finally:
        team.close()


def test_statistics(team: Team) -> None:
    spans.add_span(team["bob"], team.d3, 0, 6, "PERSON", origin=Origin.SUGGESTED)
    documents.set_status(team["bob"], team.d1, Status.DONE)

    stats = statistics(team["alice"])

    assert (stats.documents, stats.spans, stats.relations) == (3, 14, 3)
    assert stats.annotators == ("alice", "bob")
    assert stats.labels == {
        "CUE": {"alice": 1, "bob": 1},
        "LOC": {"alice": 1},
        "ORG": {"bob": 1},
        "PERSON": {"alice": 4, "bob": 4},
        "QUOTE": {"alice": 1, "bob": 1},
    }
    assert stats.relation_labels == {"cue": {"alice": 1}, "speaker": {"alice": 1, "bob": 1}}
    # adding a span puts the document in progress
    assert stats.statuses == {
        "alice": {"new": 0, "in_progress": 3, "done": 0},
        "bob": {"new": 0, "in_progress": 2, "done": 1},
    }
    assert stats.origins == {"manual": 13, "suggested": 1}
    assert stats.annotated == {"alice": 3, "bob": 3}
    assert stats.spans_per_document == pytest.approx(14 / 3)
    assert stats.spans_per_annotated_document("alice") == pytest.approx(7 / 3)

    # the test may straddle midnight UTC, and the events then fall on two days
    today = datetime.now(UTC).date()
    assert {p.day for p in stats.progress} <= {str(today), str(today - timedelta(days=1))}
    assert {p.annotator for p in stats.progress} == {"alice", "bob"}
    assert sum(p.spans_added for p in stats.progress if p.annotator == "alice") == 7
    assert sum(p.documents_done for p in stats.progress if p.annotator == "bob") == 1


def test_statistics_of_an_empty_database(database_url: str) -> None:
    workspace = Workspace.open(database_url, "alice", samples=False)
    try:
        stats = statistics(workspace)
    finally:
        workspace.close()
    assert (stats.documents, stats.spans, stats.annotators, stats.progress) == (0, 0, (), ())
    assert stats.spans_per_document == 0.0
