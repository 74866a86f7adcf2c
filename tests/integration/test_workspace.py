"""The Workspace facade on a real database: one method, one committed user action.

Every test runs on a SQLite file and, when ``GLOSSA_TEST_DATABASE_URL`` is set, on PostgreSQL:
the fixtures below stand in for the SQLite-only ones of ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text as sql

from app.core.annotations import Origin, Relation, Span, Status
from app.core.errors import NotFoundError, SpanError
from app.core.text import decode_article, text_sha256
from app.services import Workspace, applying, documents, span_edits, spans
from app.services.workspace import SAMPLES, load_default_schema

SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))


@pytest.fixture
def workspace(database_url: str) -> Iterator[Workspace]:
    """An empty workspace (default schema, no documents) on each database backend."""
    ws = Workspace.open(database_url, "tester", samples=False)
    yield ws
    ws.close()


@pytest.fixture
def sample_workspace(database_url: str) -> Iterator[Workspace]:
    """A workspace holding the bundled sample articles, on each database backend."""
    ws = Workspace.open(database_url, "tester")
    yield ws
    ws.close()


@pytest.fixture
def second(database_url: str, sample_workspace: Workspace) -> Iterator[Workspace]:
    """Another annotator's workspace on the same database, opened after the samples were in."""
    ws = Workspace.open(database_url, "other", samples=False)
    yield ws
    ws.close()


def rows(ws: Workspace, query: str, **params: Any) -> list[tuple[Any, ...]]:
    with ws.database.session() as session:
        return [tuple(r) for r in session.execute(sql(query), params)]


def events(ws: Workspace) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in rows(ws, "SELECT annotator, action FROM events ORDER BY id")]


def doc_ids(ws: Workspace) -> list[int]:
    return [summary.id for summary in documents.documents(ws)]


def find(ws: Workspace, document_id: int, needle: str) -> tuple[int, int]:
    start = documents.document(ws, document_id).text.index(needle)
    return start, start + len(needle)


# -- opening -------------------------------------------------------------------------------


def test_new_file_gets_the_news_project_and_the_samples(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    assert ws.schema == load_default_schema()
    assert [lab.name for lab in ws.schema.labels] == [
        "PERSON", "ORG", "LOC", "QUOTE", "CUE", "CLAIM"
    ]  # fmt: skip
    assert rows(ws, "SELECT name FROM projects") == [("News",)]
    summaries = documents.documents(ws)
    assert len(summaries) == len(SAMPLE_FILES) == 3
    for summary, path in zip(summaries, SAMPLE_FILES, strict=True):
        document = documents.document(ws, summary.id)
        expected = decode_article(path.read_bytes())
        assert document.text == expected
        assert "\r" not in document.text
        assert document.sha256 == text_sha256(expected)
        assert summary.length == len(expected)
        assert summary.title == expected.split("\n", 1)[0].strip()
        assert summary.status is Status.NEW
        assert summary.span_count == 0


def test_sample_with_crlf_is_canonical(sample_workspace: Workspace) -> None:
    raw = (SAMPLES / "02-festival-record-crowds.txt").read_bytes()
    assert b"\r\n" in raw
    festival = next(s for s in documents.documents(sample_workspace) if "festival" in s.title)
    text = documents.document(sample_workspace, festival.id).text
    assert "\r" not in text
    assert text == raw.decode("utf-8").replace("\r\n", "\n")
    # nothing else is rewritten: the decomposed names stay decomposed
    assert "Zoe\u0308" in text and "Zo\u00eb" in text and "Aure\u0300le" in text
    assert len(text) == len(raw.decode("utf-8")) - raw.count(b"\r\n")


def test_open_without_samples_is_empty(workspace: Workspace) -> None:
    assert documents.documents(workspace) == []
    assert documents.progress(workspace) == (0, 0)
    assert documents.next_unfinished(workspace) is None
    assert rows(workspace, "SELECT name FROM annotators") == [("tester",)]


def test_reopening_does_not_import_the_samples_twice(
    database_url: str, sample_workspace: Workspace
) -> None:
    again = Workspace.open(database_url, "tester")
    try:
        assert doc_ids(again) == doc_ids(sample_workspace)
        assert again.project_id == sample_workspace.project_id
        assert again.annotator_id == sample_workspace.annotator_id
    finally:
        again.close()
    assert rows(sample_workspace, "SELECT count(*) FROM projects") == [(1,)]


# -- spans ---------------------------------------------------------------------------------


def test_add_span_commits_at_once(sample_workspace: Workspace, second: Workspace) -> None:
    ws = sample_workspace
    document = doc_ids(ws)[1]
    start, end = find(ws, document, "Zoe\u0308,")
    end -= 1
    change = spans.add_span(ws, document, start, end, "PERSON", attributes={"note": "director"})
    (span,) = change.added
    assert change.document_id == document and change.spans_changed
    assert span == Span(
        span.id, document, start, end, "PERSON", "tester", Origin.MANUAL, {"note": "director"}
    )
    # another connection, another annotator: the span is already there
    assert spans.spans(second, document) == [span]
    stored = rows(second, "SELECT text FROM spans WHERE id = :i", i=span.id)
    assert stored == [("Zoe\u0308",)]
    assert documents.documents(second)[1].span_count == 1
    assert documents.status(ws, document) is Status.IN_PROGRESS
    assert documents.status(second, document) is Status.NEW


def test_spans_come_back_ordered_by_start(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document = doc_ids(ws)[0]
    made = [spans.add_span(ws, document, s, s + 3, "LOC").added[0] for s in (20, 0, 10, 0)]
    listed = spans.spans(ws, document)
    assert sorted(listed, key=lambda s: s.id) == sorted(made, key=lambda s: s.id)
    assert [s.start for s in listed] == [0, 0, 10, 20]


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (0, 5, "VERB"),
        (0, 5, "person"),
        (-1, 5, "PERSON"),
        (5, 5, "PERSON"),
        (6, 5, "PERSON"),
        (0, 10**6, "PERSON"),
    ],
)
def test_bad_spans_change_nothing(
    sample_workspace: Workspace, start: int, end: int, label: str
) -> None:
    ws = sample_workspace
    document = doc_ids(ws)[0]
    before = events(ws)
    with pytest.raises(SpanError):
        spans.add_span(ws, document, start, end, label)
    assert spans.spans(ws, document) == []
    assert events(ws) == before
    assert documents.status(ws, document) is Status.NEW


def test_span_reaching_the_last_character(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document = doc_ids(ws)[2]
    length = len(documents.document(ws, document).text)
    (span,) = spans.add_span(ws, document, length - 1, length, "LOC").added
    assert spans.spans(ws, document) == [span]
    with pytest.raises(SpanError):
        spans.add_span(ws, document, length - 1, length + 1, "LOC")


def test_span_on_a_missing_document(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError):
        spans.add_span(workspace, 12345, 0, 1, "PERSON")
    assert rows(workspace, "SELECT count(*) FROM spans") == [(0,)]


def add_relation(ws: Workspace, document: int, head: int, tail: int, label: str) -> int:
    with ws.database.unit_of_work() as uow:
        relation = uow.spans.add_relation(document, head, tail, label, ws.annotator_id)
        uow.commit()
    return relation


def test_delete_then_restore_gives_back_the_same_ids(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document = doc_ids(ws)[0]
    text = documents.document(ws, document).text
    (quote,) = spans.add_span(ws, document, 0, 12, "QUOTE", attributes={"kind": "direct"}).added
    (speaker,) = spans.add_span(ws, document, 20, 25, "PERSON").added
    (cue,) = spans.add_span(ws, document, 14, 18, "CUE").added
    to_speaker = add_relation(ws, document, quote.id, speaker.id, "speaker")
    to_cue = add_relation(ws, document, quote.id, cue.id, "cue")
    before_spans, before_relations = spans.spans(ws, document), spans.relations(ws, document)
    assert [r.id for r in before_relations] == [to_speaker, to_cue]

    change = spans.delete_span(ws, quote.id)
    assert change.removed == (quote,)
    assert sorted(r.id for r in change.relations_removed) == [to_speaker, to_cue]
    assert spans.relations(ws, document) == []
    assert quote.id not in {s.id for s in spans.spans(ws, document)}

    # a new span in between takes a new id, never the deleted one
    (other,) = spans.add_span(ws, document, 30, 33, "LOC").added
    assert other.id > cue.id

    restored = applying.apply(ws, change.inverse(), "undo")
    assert restored.added == (quote,)
    assert spans.spans(ws, document) == sorted(
        [*before_spans, other], key=lambda s: (s.start, -s.end, s.id)
    )
    assert spans.relations(ws, document) == before_relations
    assert rows(ws, "SELECT text FROM spans WHERE id = :i", i=quote.id) == [(text[0:12],)]


def test_deleting_a_tail_keeps_the_other_relation(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document = doc_ids(ws)[0]
    quote = spans.add_span(ws, document, 0, 12, "QUOTE").added[0]
    speaker = spans.add_span(ws, document, 20, 25, "PERSON").added[0]
    cue = spans.add_span(ws, document, 14, 18, "CUE").added[0]
    add_relation(ws, document, quote.id, speaker.id, "speaker")
    kept = add_relation(ws, document, quote.id, cue.id, "cue")
    change = spans.delete_span(ws, speaker.id)
    assert [r.tail for r in change.relations_removed] == [speaker.id]
    assert [r.id for r in spans.relations(ws, document)] == [kept]
    applying.apply(ws, change.inverse(), "undo")
    assert [(r.head, r.tail, r.label) for r in spans.relations(ws, document)] == [
        (quote.id, speaker.id, "speaker"),
        (quote.id, cue.id, "cue"),
    ]


def test_restore_keeps_another_annotators_relation(
    sample_workspace: Workspace, second: Workspace
) -> None:
    document = doc_ids(second)[0]
    quote = spans.add_span(second, document, 0, 12, "QUOTE").added[0]
    person = spans.add_span(second, document, 20, 25, "PERSON").added[0]
    add_relation(second, document, quote.id, person.id, "speaker")
    change = spans.delete_span(sample_workspace, person.id)
    applying.apply(sample_workspace, change.inverse(), "undo")
    assert spans.spans(second, document) == [quote, person]
    assert [r.annotator for r in spans.relations(second, document)] == ["other"]
    assert [s.annotator for s in spans.spans(sample_workspace, document)] == ["other", "other"]


def test_delete_missing_span(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError):
        spans.delete_span(workspace, 999)


def test_relabel(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document = doc_ids(ws)[0]
    (span,) = spans.add_span(ws, document, 0, 5, "PERSON").added
    change = span_edits.relabel_span(ws, span.id, "ORG")
    assert change.changed == (span._replace(label="ORG"),)
    assert spans.spans(ws, document) == [span._replace(label="ORG")]
    with pytest.raises(SpanError):
        span_edits.relabel_span(ws, span.id, "NOPE")
    assert spans.spans(ws, document)[0].label == "ORG"
    with pytest.raises(NotFoundError):
        span_edits.relabel_span(ws, span.id + 100, "LOC")


# -- progress ------------------------------------------------------------------------------


def test_status_and_progress(sample_workspace: Workspace, second: Workspace) -> None:
    ws = sample_workspace
    first, middle, last = doc_ids(ws)
    assert documents.progress(ws) == (0, 3)
    change = documents.set_status(ws, middle, Status.DONE)
    assert change.status is Status.DONE and change.document_id == middle
    assert documents.status(ws, middle) is Status.DONE
    assert documents.progress(ws) == (1, 3)
    documents.set_status(ws, first, Status.DONE)
    documents.set_status(ws, middle, Status.IN_PROGRESS)
    assert documents.progress(ws) == (1, 3)
    assert [s.status for s in documents.documents(ws)] == [
        Status.DONE,
        Status.IN_PROGRESS,
        Status.NEW,
    ]
    # progress is per annotator
    assert documents.progress(second) == (0, 3)
    with pytest.raises(NotFoundError):
        documents.set_status(ws, last + 100, Status.DONE)


def test_next_unfinished_wraps_and_skips_done(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    first, middle, last = doc_ids(ws)
    assert documents.next_unfinished(ws) == first
    assert documents.next_unfinished(ws, first) == middle
    assert documents.next_unfinished(ws, last) == first  # wraps round
    documents.set_status(ws, middle, Status.DONE)
    assert documents.next_unfinished(ws, first) == last
    documents.set_status(ws, first, Status.DONE)
    assert documents.next_unfinished(ws, last) is None  # the current one is the only one left
    assert documents.next_unfinished(ws, middle) == last
    assert documents.next_unfinished(ws) == last
    documents.set_status(ws, last, Status.DONE)
    assert documents.next_unfinished(ws) is None
    assert documents.next_unfinished(ws, first) is None
    documents.set_status(ws, first, Status.IN_PROGRESS)
    assert documents.next_unfinished(ws, last) == first
    assert documents.next_unfinished(ws, 999) == first  # an unknown document starts from the top


def test_previous(sample_workspace: Workspace) -> None:
    first, middle, last = doc_ids(sample_workspace)
    assert documents.previous(sample_workspace, last) == middle
    assert documents.previous(sample_workspace, middle) == first
    assert documents.previous(sample_workspace, first) is None


def test_resume_point_round_trip(
    database_url: str, sample_workspace: Workspace, second: Workspace
) -> None:
    ws = sample_workspace
    middle = doc_ids(ws)[1]
    assert documents.resume_point(ws) == {}
    documents.remember(ws, middle, 1234)
    assert documents.resume_point(ws) == {"document": middle, "position": 1234}
    assert documents.resume_point(second) == {}
    documents.remember(ws, middle, 99)
    reopened = Workspace.open(database_url, "tester")
    try:
        assert documents.resume_point(reopened) == {"document": middle, "position": 99}
    finally:
        reopened.close()


# -- audit log -----------------------------------------------------------------------------


def test_every_action_is_logged(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document = doc_ids(ws)[0]
    imports = events(ws)
    assert imports == [("tester", "import")] * len(SAMPLE_FILES)
    (span,) = spans.add_span(ws, document, 0, 5, "PERSON").added
    change = spans.delete_span(ws, span.id)
    applying.apply(ws, change.inverse(), "undo")
    span_edits.relabel_span(ws, span.id, "ORG")
    documents.set_status(ws, document, Status.DONE)
    assert events(ws)[len(imports) :] == [
        ("tester", "add_span"),
        ("tester", "delete_span"),
        ("tester", "undo"),
        ("tester", "relabel_span"),
        ("tester", "set_status"),
    ]
    payloads = rows(
        ws, "SELECT CAST(payload AS TEXT) FROM events WHERE action != 'import' ORDER BY id"
    )
    assert f'"added": [{span.id}]' in payloads[0][0]
    assert '"old": "PERSON"' in payloads[3][0] and '"new": "ORG"' in payloads[3][0]


def test_relation_values(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document = doc_ids(ws)[0]
    head = spans.add_span(ws, document, 0, 12, "CLAIM").added[0]
    tail = spans.add_span(ws, document, 20, 25, "ORG").added[0]
    relation = add_relation(ws, document, head.id, tail.id, "claimant")
    assert spans.relations(ws, document) == [
        Relation(relation, document, head.id, tail.id, "claimant", "tester")
    ]
