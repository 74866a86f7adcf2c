"""Pending suggestions accepted, rejected and undone through the services, on a real
database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.annotations import Origin
from app.core.review import Column, ReviewQuery
from app.core.suggestions import Rejection
from app.services import Workspace, applying, documents, entities
from app.services import spans as spans_service
from app.services.costs import cost_report
from app.services.importing import import_paths
from app.services.pending import pending_suggestions, store_suggestions
from app.services.review import ReviewActions
from app.services.suggestion_actions import accept, reject
from app.services.suggestion_layer import OpenSuggestions
from app.services.suggestion_settings import SuggestionSettings, save_suggestion_settings

ARTICLE = (
    "Harbour talks\n\n"
    "“We will not leave,” said Mara Voss, the union's spokeswoman. "
    "Later Voss met the mayor. Everyone in Tarn knows Voss.\n"
)
QUOTE = "“We will not leave,”"


@pytest.fixture
def ws(database_url: str, tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "ana", samples=False)
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    import_paths(workspace, [article])
    yield workspace
    workspace.close()


def the_document(ws: Workspace) -> int:
    (summary,) = documents.documents(ws)
    return summary.id


def texts(ws: Workspace, document_id: int) -> set[tuple[str, str]]:
    text = documents.document(ws, document_id).text
    return {(s.label, text[s.start : s.end]) for s in spans_service.spans(ws, document_id)}


def test_accepting_a_quote_brings_cue_speaker_and_relations_and_undo_restores_it(
    ws: Workspace,
) -> None:
    document_id = the_document(ws)
    store_suggestions(ws, [document_id], ["quotes"])
    (quote,) = pending_suggestions(ws, document_id)

    change = accept(ws, [quote])

    assert texts(ws, document_id) == {
        ("QUOTE", QUOTE),
        ("CUE", "said"),
        ("PERSON", "Mara Voss"),
    }
    spans = {s.label: s for s in spans_service.spans(ws, document_id)}
    assert {s.origin.value for s in spans.values()} == {"suggested"}
    links = {(r.head, r.tail, r.label) for r in spans_service.relations(ws, document_id)}
    assert links == {
        (spans["QUOTE"].id, spans["PERSON"].id, "speaker"),
        (spans["QUOTE"].id, spans["CUE"].id, "cue"),
    }
    assert pending_suggestions(ws, document_id) == []

    applying.apply(ws, change.inverse(), "undo")
    assert texts(ws, document_id) == set() and spans_service.relations(ws, document_id) == []
    assert pending_suggestions(ws, document_id) == [quote]

    applying.apply(ws, change, "redo")
    assert len(spans_service.relations(ws, document_id)) == 2
    assert pending_suggestions(ws, document_id) == []


def test_a_rejection_is_remembered_and_undone(ws: Workspace) -> None:
    document_id = the_document(ws)
    store_suggestions(ws, [document_id], ["quotes"])
    (quote,) = pending_suggestions(ws, document_id)
    shown = OpenSuggestions(ws, document_id, documents.document(ws, document_id).text)
    assert [s.group for s in shown.load()] == [quote.group]

    change = reject(ws, quote)

    assert change.rejections_added == (Rejection(document_id, "QUOTE", QUOTE.casefold()),)
    assert shown.refresh(change) == []
    assert OpenSuggestions(ws, document_id, documents.document(ws, document_id).text).load() == []
    assert texts(ws, document_id) == set()

    undone = applying.apply(ws, change.inverse(), "undo")
    assert [s.group for s in shown.refresh(undone)] == [quote.group]
    reloaded = OpenSuggestions(ws, document_id, documents.document(ws, document_id).text).load()
    assert [s.group for s in reloaded] == [quote.group]


def test_accepting_a_name_lights_up_its_other_occurrences_at_once(ws: Workspace) -> None:
    document_id = the_document(ws)
    text = documents.document(ws, document_id).text
    save_suggestion_settings(ws, SuggestionSettings(window=("known-names",)))  # names only
    shown = OpenSuggestions(ws, document_id, text)
    assert shown.load() == []

    change = spans_service.add_span(
        ws, document_id, text.index("Voss"), text.index("Voss") + 4, "PERSON"
    )
    found = shown.refresh(change)

    # the tagged one is not suggested again; the two later ones are
    starts = [s.start for s in found]
    assert [text[s.start : s.end] for s in found] == ["Voss", "Voss"]
    assert all(start > text.index("Voss") for start in starts)
    assert {s.label for s in found} == {"PERSON"}

    accepted = accept(ws, [found[0]])
    assert [s.start for s in shown.refresh(accepted)] == starts[1:]


def test_accepting_with_another_label_tags_only_the_suggestion_and_rejects_the_old_label(
    ws: Workspace,
) -> None:
    document_id = the_document(ws)
    store_suggestions(ws, [document_id], ["quotes"])
    (quote,) = pending_suggestions(ws, document_id)

    change = accept(ws, [quote], "CLAIM")

    assert texts(ws, document_id) == {("CLAIM", QUOTE)}
    assert spans_service.relations(ws, document_id) == []
    assert change.rejections_added == (Rejection(document_id, "QUOTE", QUOTE.casefold()),)
    applying.apply(ws, change.inverse(), "undo")
    assert pending_suggestions(ws, document_id) == [quote]


def test_storing_again_replaces_only_that_suggesters_pending_ones(ws: Workspace) -> None:
    document_id = the_document(ws)
    entities.create_entity(ws, "Mara Voss", "PERSON")
    first = store_suggestions(ws, [document_id], ["quotes"])
    store_suggestions(ws, [document_id], ["known-names"])
    again = store_suggestions(ws, [document_id], ["quotes"])

    assert first.suggestions == again.suggestions == 1
    suggesters = sorted(s.suggester for s in pending_suggestions(ws, document_id))
    assert suggesters == ["known-names", "quotes"]


def test_accepted_suggestions_are_listed_as_suggested_in_the_review_table(ws: Workspace) -> None:
    document_id = the_document(ws)
    store_suggestions(ws, [document_id], ["quotes"])
    (quote,) = pending_suggestions(ws, document_id)
    accept(ws, [quote])
    text = documents.document(ws, document_id).text
    start = text.index("Tarn")
    spans_service.add_span(ws, document_id, start, start + 4, "LOC")  # typed: not suggested

    query = ReviewQuery(origins=frozenset({Origin.SUGGESTED}), sort=Column.LABEL)
    rows = ReviewActions(ws).rows(query, 0, 10)

    assert [(r.label, r.text, r.value(Column.ORIGIN)) for r in rows] == [
        ("CUE", "said", "suggested"),
        ("PERSON", "Mara Voss", "suggested"),
        ("QUOTE", QUOTE, "suggested"),
    ]
    assert rows[-1].speaker == "Mara Voss"


def test_the_cost_ledger_counts_each_suggestion_answered(ws: Workspace) -> None:
    document_id = the_document(ws)
    text = documents.document(ws, document_id).text
    shown = OpenSuggestions(ws, document_id, text)
    shown.load()
    first = text.index("Voss")
    shown.refresh(spans_service.add_span(ws, document_id, first, first + 4, "PERSON"))
    names = shown.of_label("PERSON")
    assert len(names) == 2

    accept(ws, names)  # both at once: two answers, one step
    store_suggestions(ws, [document_id], ["quotes"])
    (quote,) = pending_suggestions(ws, document_id)
    reject(ws, quote)

    report = cost_report(ws)
    assert (report.costs.accepted, report.costs.rejected) == (2, 1)
    made = sorted((e.label, e.made) for e in report.entries if e.kind == "span")
    assert made == [("PERSON", "accepted"), ("PERSON", "accepted"), ("PERSON", "typed")]
