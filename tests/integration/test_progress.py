"""Progress over time from the event log, with two annotators on one database.

Every test runs on a SQLite file and, when ``GLOSSA_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.annotations import Status
from app.services import Workspace, spans
from app.services import documents as documents_service
from app.services.importing import import_paths
from app.services.progress import annotators_with_work, progress_over_time
from app.services.statistics import statistics


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[tuple[Workspace, Workspace, list[int]]]:
    """alice and bob on one database of three documents."""
    alice = Workspace.open(database_url, "alice", samples=False)
    bob = Workspace.open(database_url, "bob", samples=False)
    files = []
    for number in range(3):
        path = tmp_path / f"d{number}.txt"
        path.write_text(f"Article number {number}.\n", encoding="utf-8")
        files.append(path)
    assert import_paths(alice, files).ok
    yield alice, bob, [s.id for s in documents_service.documents(alice)]
    alice.close()
    bob.close()


def test_no_document_done_means_no_progress(
    pair: tuple[Workspace, Workspace, list[int]],
) -> None:
    alice, _, documents = pair
    documents_service.set_status(alice, documents[0], Status.IN_PROGRESS)
    assert progress_over_time(alice) == ()


def test_counts_grow_per_annotator_in_time_order(
    pair: tuple[Workspace, Workspace, list[int]],
) -> None:
    alice, bob, documents = pair
    documents_service.set_status(alice, documents[0], Status.DONE)
    documents_service.set_status(bob, documents[0], Status.DONE)
    documents_service.set_status(alice, documents[1], Status.DONE)

    progress = progress_over_time(alice)

    assert [p.annotator for p in progress] == ["alice", "bob"]
    by_name = {p.annotator: p for p in progress}
    assert [point.done for point in by_name["alice"].points] == [1, 2]
    assert [point.done for point in by_name["bob"].points] == [1]
    times = [point.at for point in by_name["alice"].points]
    assert times == sorted(times)
    assert all(point.at.utcoffset() is not None for point in by_name["alice"].points)


def test_marking_done_twice_counts_once_and_undoing_drops_it(
    pair: tuple[Workspace, Workspace, list[int]],
) -> None:
    alice, _, documents = pair
    documents_service.set_status(alice, documents[0], Status.DONE)
    documents_service.set_status(alice, documents[0], Status.DONE)
    documents_service.set_status(alice, documents[1], Status.DONE)
    documents_service.set_status(
        alice, documents[0], Status.IN_PROGRESS
    )  # what undo of "done" logs

    (progress,) = progress_over_time(alice)

    assert [point.done for point in progress.points] == [1, 2, 1]
    assert progress.done == 1


def test_last_count_equals_documents_done_in_the_statistics(
    pair: tuple[Workspace, Workspace, list[int]],
) -> None:
    alice, bob, documents = pair
    for document in documents:
        documents_service.set_status(alice, document, Status.DONE)
    documents_service.set_status(bob, documents[2], Status.DONE)
    documents_service.set_status(alice, documents[1], Status.NEW)

    figures = statistics(alice)
    progress = {p.annotator: p.done for p in progress_over_time(bob)}

    assert progress == {name: figures.statuses[name]["done"] for name in ("alice", "bob")}
    assert progress == {"alice": 2, "bob": 1}


def test_annotators_with_work_have_a_span_or_a_status_beyond_new(
    pair: tuple[Workspace, Workspace, list[int]], database_url: str
) -> None:
    alice, bob, documents = pair
    assert annotators_with_work(alice) == ()
    documents_service.set_status(bob, documents[1], Status.IN_PROGRESS)
    spans.add_span(alice, documents[0], 0, 7, "PERSON")
    carol = Workspace.open(database_url, "carol", samples=False)
    documents_service.set_status(
        carol, documents[2], Status.NEW
    )  # opened, nothing done: not annotated
    carol.close()

    assert annotators_with_work(alice) == ("alice", "bob")
