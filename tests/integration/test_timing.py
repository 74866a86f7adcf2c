"""Time spent and layers on a real database: SQLite, and PostgreSQL when configured."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.core.annotations import Status
from app.core.errors import GlossaError, NotFoundError
from app.services import Workspace, documents, spans
from app.services.importing import import_paths
from app.services.statistics import statistics
from app.services.timing import annotator_progress, describe_seconds, record_time, time_spent
from app.services.workspace import annotator_names, open_database

TEXT = "Ana Khoury met Zoe Park in Lyon on Monday."


@pytest.fixture
def team(database_url: str, tmp_path: Path) -> Iterator[tuple[Workspace, Workspace, list[int]]]:
    """Two annotators, ana and bob, on one database of three documents."""
    ana = Workspace.open(database_url, "ana", samples=False)
    paths = []
    for n in range(3):
        path = tmp_path / f"article-{n}.txt"
        path.write_text(f"{TEXT} ({n})", encoding="utf-8")
        paths.append(path)
    import_paths(ana, paths)
    bob = Workspace(ana.database, "bob")
    ids = [summary.id for summary in documents.documents(ana)]
    yield ana, bob, ids
    ana.close()


def test_record_time_accumulates_per_annotator(
    team: tuple[Workspace, Workspace, list[int]],
) -> None:
    ana, bob, [first, second, _] = team
    assert record_time(ana, first, 40) == 40
    assert record_time(ana, first, 25) == 65
    assert record_time(bob, first, 7) == 7
    assert record_time(ana, second, 0) == 0
    assert time_spent(ana, first) == 65
    assert time_spent(bob, first) == 7
    seconds = {s.id: s.seconds_spent for s in documents.documents(ana)}
    assert seconds == {first: 65, second: 0, documents.documents(ana)[2].id: 0}
    assert {s.id: s.seconds_spent for s in documents.documents(bob)}[first] == 7


def test_recorded_time_survives_reopening(database_url: str) -> None:
    ana = Workspace.open(database_url, "ana")
    first = documents.documents(ana)[0].id
    record_time(ana, first, 90)
    ana.close()
    again = Workspace.open(database_url, "ana")
    try:
        assert documents.documents(again)[0].seconds_spent == 90
        assert record_time(again, first, 10) == 100
    finally:
        again.close()


def test_recording_time_leaves_the_status_as_it_was(
    team: tuple[Workspace, Workspace, list[int]],
) -> None:
    ana, _, [first, second, _] = team
    documents.set_status(ana, second, Status.DONE)
    record_time(ana, first, 30)
    record_time(ana, second, 30)
    assert documents.status(ana, first) is Status.NEW
    assert documents.status(ana, second) is Status.DONE


def test_bad_time_is_refused_with_a_message(
    team: tuple[Workspace, Workspace, list[int]],
) -> None:
    ana, _, [first, *_] = team
    with pytest.raises(GlossaError, match="negative"):
        record_time(ana, first, -5)
    with pytest.raises(NotFoundError, match="no document"):
        record_time(ana, 987654, 5)
    assert time_spent(ana, first) == 0


def test_progress_per_annotator_counts_statuses_and_time(
    team: tuple[Workspace, Workspace, list[int]],
) -> None:
    ana, bob, [first, second, third] = team
    documents.set_status(ana, first, Status.DONE)
    spans.add_span(ana, second, 0, 3, "PERSON")  # starts the document
    record_time(ana, first, 100)
    record_time(ana, second, 20)
    record_time(bob, third, 5)
    rows = {row.annotator: row for row in annotator_progress(ana)}
    assert set(rows) == {"ana", "bob"}
    assert (rows["ana"].new, rows["ana"].in_progress, rows["ana"].done) == (1, 1, 1)
    assert rows["ana"].seconds == 120
    assert (rows["bob"].new, rows["bob"].in_progress, rows["bob"].done) == (3, 0, 0)
    assert rows["bob"].seconds == 5
    assert rows["bob"].documents == 3
    figures = statistics(ana)
    assert figures.seconds_spent == {"ana": 120}
    assert figures.as_dict()["seconds_spent"] == {"ana": 120}


def test_spans_of_chosen_annotators_only(
    team: tuple[Workspace, Workspace, list[int]],
) -> None:
    ana, bob, [first, second, _] = team
    mine = spans.add_span(ana, first, 0, 3, "PERSON").added[0]
    theirs = spans.add_span(bob, first, 15, 18, "PERSON").added[0]
    assert [s.id for s in spans.spans(ana, first, ["ana"])] == [mine.id]
    assert [s.id for s in spans.spans(ana, first, ["bob"])] == [theirs.id]
    assert [s.id for s in spans.spans(ana, first, ["ana", "bob"])] == [mine.id, theirs.id]
    assert spans.spans(ana, first, ["nobody"]) == []
    assert spans.spans(ana, first) == spans.spans(ana, first, ["ana", "bob"])
    assert documents.annotators(ana) == ["ana", "bob"]
    assert documents.annotators_of(ana, first) == ["ana", "bob"]
    assert documents.annotators_of(ana, second) == []


def test_annotators_are_listed_before_a_workspace_exists(database_url: str) -> None:
    database = open_database(database_url)
    try:
        assert annotator_names(database) == []
        Workspace.on_database(database, "carol", samples=False)
        assert annotator_names(database) == ["carol"]
    finally:
        database.dispose()


def test_reviewed_mark_follows_review_state(
    team: tuple[Workspace, Workspace, list[int]],
) -> None:
    ana, _, [first, *_] = team
    span = spans.add_span(ana, first, 0, 3, "PERSON").added[0]
    assert not documents.documents(ana)[0].reviewed
    with ana.database.unit_of_work() as uow:
        accept = text("UPDATE spans SET review = 'accepted' WHERE id = :span")
        uow.session.execute(accept, {"span": span.id})
        uow.commit()
    assert documents.documents(ana)[0].reviewed


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0 s"),
        (59, "59 s"),
        (60, "1 min"),
        (3599, "59 min"),
        (3600, "1 h 00 min"),
        (7500, "2 h 05 min"),
    ],
)
def test_durations_read_naturally(seconds: int, shown: str) -> None:
    assert describe_seconds(seconds) == shown
