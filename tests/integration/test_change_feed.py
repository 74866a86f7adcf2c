"""The change feed delivers every committed action exactly once, whoever commits when."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import Workspace, documents, schema_edits, span_edits, spans
from app.services.feed import ChangeFeed, by_others, schema_changed
from app.services.importing import import_paths
from tests.integration.test_team_schema import with_label


@pytest.fixture
def ws(database_url: str, tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "ana", samples=False)
    article = tmp_path / "article.txt"
    article.write_text("The summit in Lagos ended on Friday, officials said. " * 4, "utf-8")
    assert import_paths(workspace, [article]).ok
    yield workspace
    workspace.close()


def test_the_feed_names_each_action_once_with_its_annotator_and_document(
    ws: Workspace,
) -> None:
    feed = ChangeFeed(ws)
    document = documents.documents(ws)[0].id
    bob = Workspace.open(ws.database.url, "bob", samples=False)
    try:
        span = spans.add_span(bob, document, 4, 10, "ORG").added[0]
        span_edits.relabel_span(ws, span.id, "LOC")
        schema_edits.update_schema(bob, with_label(bob.schema, "EVENT"))
        events = feed.read_all()
    finally:
        bob.close()

    assert [(e.annotator, e.action) for e in events] == [
        ("bob", "add_span"),
        ("ana", "relabel_span"),
        ("bob", "update_schema"),
    ]
    assert events[0].payload["document"] == document
    assert [e.action for e in by_others(events, "ana")] == ["add_span", "update_schema"]
    assert schema_changed(events) and not schema_changed(events[:2])
    assert feed.read_all() == ()


def test_an_event_committed_after_a_later_one_is_still_delivered(ws: Workspace) -> None:
    """Ids are given at insert: the later id may commit first, the earlier after a read."""
    feed = ChangeFeed(ws)
    slow = ws.database.unit_of_work().__enter__()
    try:
        slow.events.record("slow", "first")
        slow.session.flush()
        if ws.database.is_sqlite:  # one writer at a time: the order cannot be crossed
            slow.commit()
            first = feed.read_all()
            documents.set_status(
                ws,
                documents.documents(ws)[0].id,
                documents.status(ws, documents.documents(ws)[0].id),
            )
            assert [e.annotator for e in first + feed.read_all()] == ["slow", "ana"]
            return
        documents.set_status(
            ws, documents.documents(ws)[0].id, documents.status(ws, documents.documents(ws)[0].id)
        )
        assert [e.annotator for e in feed.read_all()] == ["ana"]
        slow.commit()
    finally:
        slow.__exit__(None, None, None)
    assert [e.annotator for e in feed.read_all()] == ["slow"]
    assert feed.read_all() == ()


def test_every_event_is_read_exactly_once_under_concurrent_commits(ws: Workspace) -> None:
    feed = ChangeFeed(ws)
    document = documents.documents(ws)[0].id
    writers = [Workspace.open(ws.database.url, f"w{n}", samples=False) for n in range(3)]
    seen: list[int] = []
    done = threading.Event()

    def write(workspace: Workspace) -> None:
        for n in range(15):
            spans.add_span(workspace, document, n, n + 3, "ORG")

    def read() -> None:
        while not done.wait(0.005):  # a look every few milliseconds, as a window polls
            seen.extend(event.id for event in feed.read())
        seen.extend(event.id for event in feed.read_all())

    reader = threading.Thread(target=read)
    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    reader.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join()
    for writer in writers:
        writer.close()

    with ws.database.unit_of_work() as uow:
        committed = [event[0] for event in uow.events.after(0, 10_000)]
    expected = [i for i in committed if i > min(seen, default=0) - 1]
    assert len(seen) == 45
    assert Counter(seen) == Counter(expected[-45:])
