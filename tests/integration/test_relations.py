"""Relations, attributes and boundaries through the Workspace, on a real database.

Every test runs on a SQLite file and, when ``GLOSSA_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import product
from typing import Any

import pytest
from sqlalchemy import text as sql

from app.core.annotations import Relation, Span
from app.core.errors import NotFoundError, SpanError
from app.services import Workspace, applying, documents, relations, span_edits
from app.services import spans as spans_service
from app.services.checking import check

FESTIVAL = "festival"


@pytest.fixture
def ws(database_url: str) -> Iterator[Workspace]:
    """The sample articles on each database backend."""
    workspace = Workspace.open(database_url, "tester")
    yield workspace
    workspace.close()


def rows(ws: Workspace, query: str, **params: Any) -> list[tuple[Any, ...]]:
    with ws.database.session() as session:
        return [tuple(r) for r in session.execute(sql(query), params)]


def festival(ws: Workspace) -> int:
    return next(s.id for s in documents.documents(ws) if FESTIVAL in s.title.lower())


def stored(ws: Workspace, span: Span) -> Span:
    """The span as the database holds it now."""
    return next(s for s in spans_service.spans(ws, span.document_id) if s.id == span.id)


def tag(ws: Workspace, document: int, needle: str, label: str, **kw: Any) -> Span:
    start = documents.document(ws, document).text.index(needle)
    return spans_service.add_span(ws, document, start, start + len(needle), label, **kw).added[0]


@pytest.fixture
def quote_scene(ws: Workspace) -> dict[str, Span]:
    """A quote, its speaker, its cue, a place and a claim in the festival article."""
    document = festival(ws)
    return {
        "quote": tag(ws, document, '"Music does not ask for a passport,"', "QUOTE"),
        "khoury": tag(ws, document, "Khoury told", "PERSON"),
        "told": tag(ws, document, "told the crowd", "CUE"),
        "square": tag(ws, document, "cathedral square", "LOC"),
        "office": tag(ws, document, "regional tourism office", "ORG"),
        "claim": tag(ws, document, "brought in €12 million", "CLAIM"),
    }


# -- relations -------------------------------------------------------------------------


def test_the_schema_decides_which_pairs_may_be_linked(ws: Workspace) -> None:
    document = festival(ws)
    text = documents.document(ws, document).text
    labels = [label.name for label in ws.schema.labels]
    # two spans of each label, so that a label may be linked to its own kind
    spans = {
        (label, n): spans_service.add_span(
            ws, document, 10 * i + 2 * n, 10 * i + 2 * n + 1, label
        ).added[0]
        for i, label in enumerate(labels)
        for n in range(2)
    }
    assert len(text) > 10 * len(labels)
    made = 0
    for kind, head_label, tail_label in product(ws.schema.relations, labels, labels):
        head, tail = spans[head_label, 0], spans[tail_label, 1]
        if head_label in kind.heads and tail_label in kind.tails:
            (relation,) = relations.add_relation(ws, head.id, tail.id, kind.name).relations_added
            assert (relation.head, relation.tail, relation.label) == (head.id, tail.id, kind.name)
            made += 1
        else:
            with pytest.raises(SpanError):
                relations.add_relation(ws, head.id, tail.id, kind.name)
    # speaker: QUOTE -> PERSON|ORG, cue: QUOTE -> CUE, claimant: CLAIM -> PERSON|ORG
    assert made == 5
    assert len(spans_service.relations(ws, document)) == made
    assert check(ws) == []


def test_refusals_say_why_and_store_nothing(ws: Workspace, quote_scene: dict[str, Span]) -> None:
    quote, square, claim = quote_scene["quote"], quote_scene["square"], quote_scene["claim"]
    khoury, office = quote_scene["khoury"], quote_scene["office"]
    cases = [
        ((quote.id, square.id, "speaker"), "a speaker must be a PERSON or ORG, not LOC"),
        ((claim.id, khoury.id, "speaker"), "only a QUOTE can have a speaker, not a CLAIM"),
        ((office.id, khoury.id, "speaker"), "only a QUOTE can have a speaker, not an ORG"),
        ((quote.id, khoury.id, "likes"), "relation 'likes' is not in the schema 'News'"),
        ((quote.id, quote.id, "speaker"), "a span cannot be its own speaker"),
        ((quote.id, quote_scene["told"].id, "speaker"), "a speaker must be a PERSON or ORG"),
    ]
    for (head, tail, label), message in cases:
        with pytest.raises(SpanError, match=message):
            relations.add_relation(ws, head, tail, label)
    with pytest.raises(NotFoundError):
        relations.add_relation(ws, quote.id, 987654, "speaker")
    assert rows(ws, "SELECT count(*) FROM relations") == [(0,)]


def test_an_exact_duplicate_is_refused(ws: Workspace, quote_scene: dict[str, Span]) -> None:
    quote, khoury = quote_scene["quote"], quote_scene["khoury"]
    relations.add_relation(ws, quote.id, khoury.id, "speaker")
    with pytest.raises(SpanError, match="already has that speaker"):
        relations.add_relation(ws, quote.id, khoury.id, "speaker")
    # another speaker, or the same span under another relation, is not a duplicate
    relations.add_relation(ws, quote.id, quote_scene["office"].id, "speaker")
    assert len(spans_service.relations(ws, quote.document_id)) == 2


def test_spans_of_different_documents_are_not_linked(
    ws: Workspace, quote_scene: dict[str, Span]
) -> None:
    other = next(s.id for s in documents.documents(ws) if s.id != quote_scene["quote"].document_id)
    elsewhere = spans_service.add_span(ws, other, 0, 5, "PERSON").added[0]
    with pytest.raises(SpanError, match="different documents"):
        relations.add_relation(ws, quote_scene["quote"].id, elsewhere.id, "speaker")
    assert rows(ws, "SELECT count(*) FROM relations") == [(0,)]


def test_delete_and_restore_a_relation_keep_its_id(
    ws: Workspace, quote_scene: dict[str, Span]
) -> None:
    quote, khoury, told = quote_scene["quote"], quote_scene["khoury"], quote_scene["told"]
    added = relations.add_relation(ws, quote.id, khoury.id, "speaker")
    (speaker,) = added.relations_added
    assert added.document_id == quote.document_id and not added.spans_changed
    assert added.relations_changed and added.annotations_changed
    (cue,) = relations.add_relation(ws, quote.id, told.id, "cue").relations_added
    assert speaker == Relation(
        speaker.id, quote.document_id, quote.id, khoury.id, "speaker", "tester"
    )
    assert spans_service.relations(ws, quote.document_id) == [speaker, cue]

    removed = relations.delete_relation(ws, speaker.id)
    assert removed.relations_removed == (speaker,)
    assert spans_service.relations(ws, quote.document_id) == [cue]
    assert {s.id for s in spans_service.spans(ws, quote.document_id)} >= {quote.id, khoury.id}
    with pytest.raises(NotFoundError):
        relations.delete_relation(ws, speaker.id)

    restored = applying.apply(ws, removed.inverse(), "undo")
    assert restored.relations_added == (speaker,)
    assert spans_service.relations(ws, quote.document_id) == [speaker, cue]
    actions = [r[0] for r in rows(ws, "SELECT action FROM events ORDER BY id")]
    assert actions[-4:] == ["add_relation", "add_relation", "delete_relation", "undo"]


def test_a_relation_cannot_come_back_without_its_spans(
    ws: Workspace, quote_scene: dict[str, Span]
) -> None:
    quote, khoury = quote_scene["quote"], quote_scene["khoury"]
    (speaker,) = relations.add_relation(ws, quote.id, khoury.id, "speaker").relations_added
    removed = relations.delete_relation(ws, speaker.id)
    spans_service.delete_span(ws, khoury.id)
    with pytest.raises(NotFoundError):
        applying.apply(ws, removed.inverse(), "undo")
    assert spans_service.relations(ws, quote.document_id) == []


def test_deleting_a_span_takes_its_relations_and_restoring_brings_them_back(
    ws: Workspace, quote_scene: dict[str, Span]
) -> None:
    quote, khoury, told = quote_scene["quote"], quote_scene["khoury"], quote_scene["told"]
    (speaker,) = relations.add_relation(ws, quote.id, khoury.id, "speaker").relations_added
    (cue,) = relations.add_relation(ws, quote.id, told.id, "cue").relations_added

    deleted = spans_service.delete_span(ws, quote.id)
    assert deleted.removed == (quote,)
    assert set(deleted.relations_removed) == {speaker, cue}
    assert spans_service.relations(ws, quote.document_id) == []

    restored = applying.apply(ws, deleted.inverse(), "undo")
    assert restored.added == (quote,)
    assert set(restored.relations_added) == {speaker, cue}
    assert spans_service.relations(ws, quote.document_id) == [speaker, cue]
    assert check(ws) == []


# -- attributes ------------------------------------------------------------------------


def test_attributes_are_validated_against_the_label(
    ws: Workspace, quote_scene: dict[str, Span]
) -> None:
    quote, claim = quote_scene["quote"], quote_scene["claim"]
    changes = span_edits.set_span_attributes(ws, quote.id, {"kind": "direct"})
    (changed,) = changes.changed
    assert changed.attributes == {"kind": "direct"} and changed.id == quote.id
    assert stored(ws, quote).attributes == {"kind": "direct"}

    with pytest.raises(SpanError, match="kind must be one of direct, indirect, mixed"):
        span_edits.set_span_attributes(ws, quote.id, {"kind": "sideways"})
    with pytest.raises(SpanError, match="a QUOTE has no attribute 'tone' \\(it has: kind\\)"):
        span_edits.set_span_attributes(ws, quote.id, {"kind": "direct", "tone": "angry"})
    with pytest.raises(SpanError, match="check_worthy must be yes or no"):
        span_edits.set_span_attributes(ws, claim.id, {"check_worthy": "yes"})
    with pytest.raises(SpanError, match="note must be text"):
        span_edits.set_span_attributes(ws, claim.id, {"note": 12})
    with pytest.raises(SpanError, match="a PERSON has no attribute 'kind' \\(it has: none\\)"):
        span_edits.set_span_attributes(ws, quote_scene["khoury"].id, {"kind": "direct"})

    span_edits.set_span_attributes(ws, claim.id, {"check_worthy": True, "note": "ask the chamber"})
    assert stored(ws, quote).attributes == {"kind": "direct"}
    assert stored(ws, claim).attributes == {"check_worthy": True, "note": "ask the chamber"}

    unset = span_edits.set_span_attributes(ws, quote.id, {"kind": None})
    assert unset.changed[0].attributes == {}
    assert stored(ws, quote).attributes == {}


def test_attributes_the_schema_does_not_know_are_kept_when_unchanged(ws: Workspace) -> None:
    document = festival(ws)
    quote = tag(ws, document, "Music does not", "QUOTE", attributes={"source_id": "q7"})
    span_edits.set_span_attributes(ws, quote.id, {"source_id": "q7", "kind": "mixed"})
    assert spans_service.spans(ws, document)[0].attributes == {"source_id": "q7", "kind": "mixed"}
    with pytest.raises(SpanError, match="no attribute 'source_id'"):
        span_edits.set_span_attributes(ws, quote.id, {"source_id": "q8"})


# -- boundaries ------------------------------------------------------------------------


def test_move_span_updates_offsets_and_stored_text(
    ws: Workspace, quote_scene: dict[str, Span]
) -> None:
    khoury = quote_scene["khoury"]
    text = documents.document(ws, khoury.document_id).text
    start = text.index("Khoury told")
    changes = span_edits.move_span(ws, khoury.id, start, start + len("Khoury"))
    (moved,) = changes.changed
    assert (moved.id, moved.start, moved.end, moved.label) == (
        khoury.id,
        start,
        start + 6,
        "PERSON",
    )
    assert rows(ws, "SELECT text FROM spans WHERE id = :i", i=khoury.id) == [("Khoury",)]
    assert check(ws) == []

    # offsets are code points: the emoji before the quote count once each
    emoji = text.index("👏🏽")
    span_edits.move_span(ws, khoury.id, emoji, emoji + 2)
    assert rows(ws, "SELECT text FROM spans WHERE id = :i", i=khoury.id) == [("👏🏽",)]
    assert check(ws) == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(5, 5, "empty"), (-1, 3, "before the text"), (3, 10**6, "outside the text")],
)
def test_move_span_refuses_bad_ranges(
    ws: Workspace, quote_scene: dict[str, Span], start: int, end: int, message: str
) -> None:
    khoury = quote_scene["khoury"]
    with pytest.raises(SpanError, match=message):
        span_edits.move_span(ws, khoury.id, start, end)
    with pytest.raises(NotFoundError):
        span_edits.move_span(ws, 987654, 0, 1)
    assert stored(ws, khoury) == khoury


# -- check -----------------------------------------------------------------------------


def test_check_reports_relations_the_schema_does_not_allow(
    ws: Workspace, quote_scene: dict[str, Span]
) -> None:
    quote, khoury, square = quote_scene["quote"], quote_scene["khoury"], quote_scene["square"]
    relations.add_relation(ws, quote.id, khoury.id, "speaker")
    assert check(ws) == []
    with ws.database.unit_of_work() as uow:  # behind the services' back, as an old import might
        bad = uow.spans.add_relation(quote.document_id, quote.id, square.id, "speaker", 1)
        worse = uow.spans.add_relation(quote.document_id, khoury.id, quote.id, "gossip", 1)
        uow.commit()
    assert check(ws) == [
        f"document {quote.document_id}, relation {bad}: a speaker must be a PERSON or ORG, not LOC",
        f"document {quote.document_id}, relation {worse}: "
        "relation 'gossip' is not in the schema 'News' (known: speaker, cue, claimant)",
    ]
