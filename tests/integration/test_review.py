"""The review table's queries and actions on a real database (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import inspect

from app.core.annotations import Origin, Status
from app.core.errors import NotFoundError
from app.core.review import (
    CONTEXT_CHARS,
    Column,
    Review,
    ReviewQuery,
    ReviewRow,
    claims_not_reviewed,
    quotes_attributed_to,
)
from app.formats import jsonl
from app.services import Workspace, applying, documents, entities
from app.services import relations as relations_service
from app.services import spans as spans_service
from app.services.exporting import export
from app.services.review import ReviewActions
from app.services.selection import Layer, Selection

HARBOUR = (
    'Mayor Ana Ruiz said "the ferry will run in May". '
    "The council claimed that costs fell by 10% last year."
)
BUDGET = '🎉 Minister Olu Ade said "taxes stay". Ruiz added that "the port is ready" now.'


@dataclass
class Project:
    """Two annotators' spans on two articles, with speakers and one entity."""

    tester: Workspace
    ana: Workspace
    actions: ReviewActions
    ids: dict[str, int]
    """Span ids by covered text."""
    harbour: int
    budget: int


def add_document(workspace: Workspace, title: str, text: str) -> int:
    with workspace.database.unit_of_work() as uow:
        document_id = uow.documents.add(
            workspace.project_id,
            title=title,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            meta={},
        )
        uow.commit()
    return document_id


def tag(
    workspace: Workspace,
    document_id: int,
    text: str,
    covered: str,
    label: str,
    origin: Origin = Origin.MANUAL,
) -> int:
    start = text.index(covered)
    changes = spans_service.add_span(
        workspace, document_id, start, start + len(covered), label, origin=origin
    )
    return changes.added[0].id


@pytest.fixture
def project(database_url: str) -> Iterator[Project]:
    tester = Workspace.open(database_url, "tester", samples=False)
    ana = Workspace.open(database_url, "ana", samples=False)
    harbour = add_document(tester, "Harbour vote", HARBOUR)
    budget = add_document(tester, "Budget talks", BUDGET)
    ids = {
        "Ana Ruiz": tag(tester, harbour, HARBOUR, "Ana Ruiz", "PERSON"),
        '"the ferry will run in May"': tag(
            tester, harbour, HARBOUR, '"the ferry will run in May"', "QUOTE"
        ),
        "The council": tag(tester, harbour, HARBOUR, "The council", "ORG"),
        "costs fell by 10%": tag(tester, harbour, HARBOUR, "costs fell by 10%", "CLAIM"),
        "Olu Ade": tag(ana, budget, BUDGET, "Olu Ade", "PERSON", Origin.IMPORTED),
        '"taxes stay"': tag(ana, budget, BUDGET, '"taxes stay"', "QUOTE", Origin.IMPORTED),
        "Ruiz": tag(ana, budget, BUDGET, "Ruiz", "PERSON", Origin.SUGGESTED),
        '"the port is ready"': tag(ana, budget, BUDGET, '"the port is ready"', "QUOTE"),
    }
    relations_service.add_relation(
        tester, ids['"the ferry will run in May"'], ids["Ana Ruiz"], "speaker"
    )
    relations_service.add_relation(tester, ids["costs fell by 10%"], ids["The council"], "claimant")
    relations_service.add_relation(ana, ids['"taxes stay"'], ids["Olu Ade"], "speaker")
    relations_service.add_relation(ana, ids['"the port is ready"'], ids["Ruiz"], "speaker")
    ruiz = entities.create_entity(tester, "Ana Ruiz", "PERSON")
    entities.link_span(tester, ids["Ana Ruiz"], ruiz.id)
    entities.link_span(ana, ids["Ruiz"], ruiz.id)
    documents.set_status(tester, harbour, Status.DONE)
    yield Project(tester, ana, ReviewActions(tester), ids, harbour, budget)
    ana.close()
    tester.close()


def listed(project: Project, query: ReviewQuery) -> set[str]:
    """Texts of the spans the query lists (checking that the count agrees)."""
    rows = project.actions.rows(query, 0, 1000)
    assert project.actions.count(query) == len(rows)
    return {row.text for row in rows}


QUOTES = {'"the ferry will run in May"', '"taxes stay"', '"the port is ready"'}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ReviewQuery(labels=frozenset({"QUOTE"})), QUOTES),
        (
            ReviewQuery(labels=frozenset({"PERSON", "ORG"})),
            {"Ana Ruiz", "The council", "Olu Ade", "Ruiz"},
        ),
        (
            ReviewQuery(annotators=frozenset({"ana"})),
            {"Olu Ade", '"taxes stay"', "Ruiz", '"the port is ready"'},
        ),
        (ReviewQuery(origins=frozenset({Origin.IMPORTED})), {"Olu Ade", '"taxes stay"'}),
        (ReviewQuery(origins=frozenset({Origin.SUGGESTED})), {"Ruiz"}),
        (
            ReviewQuery(document_status=Status.DONE),
            {"Ana Ruiz", '"the ferry will run in May"', "The council", "costs fell by 10%"},
        ),
        # ana's first span started the budget article for her
        (
            ReviewQuery(document_status=Status.IN_PROGRESS),
            {"Olu Ade", '"taxes stay"', "Ruiz", '"the port is ready"'},
        ),
        (ReviewQuery(document_status=Status.NEW), set()),
        (ReviewQuery(entity="ruiz"), {"Ana Ruiz", "Ruiz"}),
        (ReviewQuery(text="RUIZ"), {"Ana Ruiz", "Ruiz"}),
        (ReviewQuery(text="10%"), {"costs fell by 10%"}),
        (ReviewQuery(text="%"), {"costs fell by 10%"}),
        (ReviewQuery(text="_"), set()),
        (ReviewQuery(text="budget"), {"Olu Ade", '"taxes stay"', "Ruiz", '"the port is ready"'}),
        (quotes_attributed_to("ruiz"), {'"the ferry will run in May"', '"the port is ready"'}),
        (quotes_attributed_to("Olu"), {'"taxes stay"'}),
        (ReviewQuery(speaker="council"), {"costs fell by 10%"}),
        (claims_not_reviewed(), {"costs fell by 10%"}),
        (ReviewQuery(reviews=frozenset({Review.ACCEPTED})), set()),
        (
            ReviewQuery(labels=frozenset({"QUOTE"}), annotators=frozenset({"ana"}), text="port"),
            {'"the port is ready"'},
        ),
    ],
)
def test_each_filter_lists_exactly_its_spans(
    project: Project, query: ReviewQuery, expected: set[str]
) -> None:
    assert listed(project, query) == expected


def test_no_filter_lists_every_span(project: Project) -> None:
    assert listed(project, ReviewQuery()) == set(project.ids)


def test_entity_id_finds_mentions_and_the_quotes_of_their_speakers(project: Project) -> None:
    (ruiz,) = entities.entities(project.tester)
    assert listed(project, ReviewQuery(entity_id=ruiz.id)) == {
        "Ana Ruiz",
        "Ruiz",
        '"the ferry will run in May"',
        '"the port is ready"',
    }


def test_a_claim_leaves_the_unreviewed_filter_once_accepted(project: Project) -> None:
    project.actions.accept([project.ids["costs fell by 10%"]])
    assert listed(project, claims_not_reviewed()) == set()
    assert listed(project, ReviewQuery(reviews=frozenset({Review.ACCEPTED}))) == {
        "costs fell by 10%"
    }


def sort_key(column: Column, row: ReviewRow) -> object:
    match column:
        case Column.DOCUMENT:
            return (row.document_id, row.start)
        case Column.LABEL:
            return (row.label, row.review.value, row.document_id, row.start)
        case Column.TEXT:
            return row.text
        case Column.REVIEW:
            return row.review.value
        case _:
            return row.value(column)


@pytest.mark.parametrize("column", list(Column))
@pytest.mark.parametrize("descending", [False, True])
def test_sorting_by_each_column_pages_through_the_same_rows(
    project: Project, column: Column, descending: bool
) -> None:
    project.actions.reject([project.ids["Ruiz"]])
    project.actions.accept([project.ids["Olu Ade"], project.ids["costs fell by 10%"]])
    query = ReviewQuery().sorted_by(column, descending=descending)
    whole = project.actions.rows(query, 0, 100)
    pages = [row for offset in range(0, 9, 3) for row in project.actions.rows(query, offset, 3)]

    assert [row.span_id for row in pages] == [row.span_id for row in whole]
    assert len(whole) == len(project.ids)
    keys = [sort_key(column, row) for row in whole]
    assert keys == sorted(keys, reverse=descending)  # type: ignore[type-var]
    # ties come in span id order (reversed when descending), so the order is total
    for before, after in itertools.pairwise(whole):
        if sort_key(column, before) == sort_key(column, after):
            assert (before.span_id < after.span_id) != descending


def test_a_page_past_the_end_is_empty(project: Project) -> None:
    assert project.actions.rows(ReviewQuery(), 8, 10) == []
    assert len(project.actions.rows(ReviewQuery(), 6, 10)) == 2


def test_rows_show_context_speaker_and_entity(project: Project) -> None:
    rows = {row.text: row for row in project.actions.rows(ReviewQuery(), 0, 100)}
    port = rows['"the port is ready"']
    start = BUDGET.index(port.text)
    assert (port.start, port.end) == (start, start + len(port.text))
    assert port.left == BUDGET[start - CONTEXT_CHARS : start]
    assert port.right == BUDGET[port.end :]
    assert (port.speaker, port.entity) == ("Ruiz", "Ana Ruiz")
    assert (port.annotator, port.origin, port.review) == ("ana", Origin.MANUAL, Review.UNREVIEWED)
    assert port.document_title == "Budget talks"
    # code points, not bytes or UTF-16 units: the emoji before the span is one character
    olu = rows["Olu Ade"]
    assert olu.left == BUDGET[: BUDGET.index("Olu Ade")] == "🎉 Minister "
    assert olu.right == BUDGET[olu.end : olu.end + CONTEXT_CHARS]
    assert (olu.speaker, olu.entity) == ("", "")
    assert rows["Ruiz"].entity == "Ana Ruiz"
    assert rows["costs fell by 10%"].speaker == "The council"


def test_accept_reject_and_undo_change_only_the_review_state(project: Project) -> None:
    actions = project.actions
    quote, claim = project.ids['"taxes stay"'], project.ids["costs fell by 10%"]
    before = actions.reviews([quote, claim])
    assert before == {quote: Review.UNREVIEWED, claim: Review.UNREVIEWED}

    changes = actions.accept([quote])
    assert changes.reviews == (quote,)
    assert changes.document_id == project.budget
    assert not changes.spans_changed  # the article need not redraw
    changes = actions.reject([quote, claim])
    assert changes.reviews == tuple(sorted((quote, claim)))
    assert changes.document_id is None  # two documents
    assert actions.reviews([quote, claim]) == {quote: Review.REJECTED, claim: Review.REJECTED}

    accepted = actions.set_review([quote], Review.ACCEPTED)
    ws = project.tester
    applying.apply(ws, changes.inverse(), "undo")
    assert actions.reviews([quote, claim]) == {quote: Review.ACCEPTED, claim: Review.UNREVIEWED}
    applying.apply(ws, accepted.inverse(), "undo")
    assert actions.reviews([quote, claim]) == {quote: Review.REJECTED, claim: Review.UNREVIEWED}
    applying.apply(ws, accepted, "redo")
    assert actions.reviews([quote, claim]) == {quote: Review.ACCEPTED, claim: Review.UNREVIEWED}
    spans = {span.id: span for span in spans_service.spans(project.tester, project.budget)}
    assert spans[quote].label == "QUOTE"


def test_review_changes_are_logged_with_the_reviewer(project: Project) -> None:
    ruiz, olu = project.ids["Ruiz"], project.ids["Olu Ade"]
    project.actions.accept([ruiz, olu])
    with project.tester.database.unit_of_work() as uow:
        events = uow.events.of_actions(["review"])
    assert [(who, payload["reviews"]) for _, who, _, payload in events] == [
        ("tester", [[ruiz, "accepted"], [olu, "accepted"]])
    ]


def test_a_missing_span_changes_nothing(project: Project) -> None:
    quote = project.ids['"taxes stay"']
    with pytest.raises(NotFoundError, match="99999"):
        project.actions.accept([quote, 99999])
    assert project.actions.reviews([quote]) == {quote: Review.UNREVIEWED}


def test_the_reviewed_layer_exports_accepted_spans_only(project: Project, tmp_path: Path) -> None:
    project.actions.accept([project.ids["Ana Ruiz"], project.ids['"taxes stay"']])
    project.actions.reject([project.ids["Olu Ade"]])
    out = tmp_path / "reviewed.jsonl"
    export(project.tester, "jsonl", out, selection=Selection(layer=Layer.REVIEWED))
    exported = sorted(span.text for record in jsonl.read(out) for span in record.spans)
    assert exported == ['"taxes stay"', "Ana Ruiz"]


def test_the_review_indexes_exist(project: Project) -> None:
    with project.tester.database.engine.connect() as connection:
        spans = {ix["name"] for ix in inspect(connection).get_indexes("spans")}
        relations = {ix["name"] for ix in inspect(connection).get_indexes("relations")}
    assert {
        "ix_spans_label_review",
        "ix_spans_review",
        "ix_spans_annotator",
        "ix_spans_entity",
    } <= spans
    assert {"ix_relations_head", "ix_relations_tail"} <= relations
