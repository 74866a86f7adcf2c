"""A new version of an article through the services: a new document, spans re-anchored.

Every test runs on a SQLite file and, when ``GLOSSA_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.core.anchoring import Outcome
from app.core.errors import GlossaError, InputError
from app.core.review import Review
from app.services import Workspace, documents, entities, span_edits
from app.services import relations as relations_service
from app.services import spans as spans_service
from app.services.checking import check
from app.services.importing import import_paths
from app.services.review import ReviewActions
from app.services.revisions import find_document, revise, revise_text

OLD = (
    "Ferry terminal opens late\n\n"
    "The harbour authority said on Monday that the new ferry terminal will open in June. "
    "Mayor Anna Lindqvist called the delay regrettable. "
    "Residents of Port Eldmoor have waited four years.\n"
)
NEW = (
    "Ferry terminal opens late\n\n"
    "Updated with the council's reply. "
    "The harbour authority said on Monday that the new ferry terminal will open in July. "
    "Residents of Port Eldmoor have waited four years.\n"
)


@pytest.fixture
def ws(database_url: str) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "tester", samples=False)
    yield workspace
    workspace.close()


def _imported(ws: Workspace, tmp_path: Path) -> int:
    path = tmp_path / "terminal.txt"
    path.write_text(OLD, encoding="utf-8")
    assert import_paths(ws, [path]).ok
    return find_document(ws, "Ferry terminal opens late")


def _span(ws: Workspace, document_id: int, text: str, label: str) -> int:
    start = OLD.index(text)
    change = spans_service.add_span(ws, document_id, start, start + len(text), label)
    return change.added[0].id


def test_revise_copies_found_spans_and_queues_the_rest(ws: Workspace, tmp_path: Path) -> None:
    old_id = _imported(ws, tmp_path)
    org = _span(ws, old_id, "harbour authority", "ORG")
    person = _span(ws, old_id, "Anna Lindqvist", "PERSON")
    june = _span(ws, old_id, "will open in June", "CLAIM")
    place = _span(ws, old_id, "Port Eldmoor", "LOC")
    quote_claim = relations_service.add_relation(ws, june, org, "claimant").relations_added[0].id
    ReviewActions(ws).accept([org])
    entity = entities.create_entity(ws, "Port Eldmoor", "LOC")
    entities.link_span(ws, place, entity.id)
    new_path = tmp_path / "terminal-v2.txt"
    new_path.write_text(NEW, encoding="utf-8")

    report = revise(ws, old_id, new_path)

    by_id = {s.id: s for s in report.spans}
    assert by_id[org].outcome is Outcome.EXACT
    assert by_id[place].outcome is Outcome.EXACT
    assert by_id[june].outcome is Outcome.MOVED
    assert by_id[person].outcome is Outcome.QUEUED and by_id[person].new_id is None
    new_spans = {s.id: s for s in spans_service.spans(ws, report.document)}
    text = documents.document(ws, report.document).text
    assert text == NEW
    for outcome in report.spans:
        if outcome.new_id is not None:
            copied = new_spans[outcome.new_id]
            assert (copied.start, copied.end) == (outcome.start, outcome.end)
    assert text[new_spans[by_id[june].new_id].start : new_spans[by_id[june].new_id].end] == (
        "will open in July"
    )
    assert new_spans[by_id[place].new_id].entity == entity.id
    reviews = ReviewActions(ws).reviews([by_id[org].new_id, by_id[place].new_id])
    assert reviews[by_id[org].new_id] is Review.ACCEPTED
    assert reviews[by_id[place].new_id] is Review.UNREVIEWED
    (relation,) = spans_service.relations(ws, report.document)
    assert (relation.head, relation.tail) == (by_id[june].new_id, by_id[org].new_id)
    assert [r.id for r in report.relations] == [quote_claim]
    meta = documents.document(ws, report.document).meta
    assert meta["revision_of"] == old_id
    assert meta["title"] == "Ferry terminal opens late"
    (waiting,) = meta["needs_reanchoring"]
    assert (waiting["id"], waiting["text"], waiting["label"]) == (
        person,
        "Anna Lindqvist",
        "PERSON",
    )
    assert waiting["annotator"] == "tester"
    # the old version is untouched, and check finds nothing but the span waiting to be placed
    assert len(spans_service.spans(ws, old_id)) == 4 and documents.document(ws, old_id).text == OLD
    (waiting_line,) = check(ws)
    assert f"span {person} PERSON [" in waiting_line and "needs re-anchoring" in waiting_line


def test_a_relation_whose_span_is_queued_is_reported(ws: Workspace, tmp_path: Path) -> None:
    old_id = _imported(ws, tmp_path)
    person = _span(ws, old_id, "Anna Lindqvist", "PERSON")
    claim = _span(ws, old_id, "called the delay regrettable", "CLAIM")
    relation = relations_service.add_relation(ws, claim, person, "claimant").relations_added[0].id
    new_path = tmp_path / "terminal-v2.txt"
    new_path.write_text(NEW, encoding="utf-8")

    report = revise(ws, old_id, new_path)

    assert [(r.id, r.new_id) for r in report.relations] == [(relation, None)]
    assert spans_service.relations(ws, report.document) == []


def test_a_text_already_present_is_refused_and_nothing_is_written(
    ws: Workspace, tmp_path: Path
) -> None:
    old_id = _imported(ws, tmp_path)
    _span(ws, old_id, "Anna Lindqvist", "PERSON")
    same = tmp_path / "same.txt"
    same.write_text(OLD, encoding="utf-8")
    with pytest.raises(InputError, match="already in the database"):
        revise(ws, old_id, same)
    assert [s.id for s in documents.documents(ws)] == [old_id]


def test_documents_are_named_by_id_or_title(ws: Workspace, tmp_path: Path) -> None:
    old_id = _imported(ws, tmp_path)
    assert find_document(ws, str(old_id)) == old_id
    with pytest.raises(GlossaError, match="no document"):
        find_document(ws, "Nothing like it")
    with pytest.raises(InputError, match="txt or html"):
        bad = tmp_path / "x.conll"
        bad.write_text("a O\n", encoding="utf-8")
        revise(ws, old_id, bad)


def test_a_scraped_new_version_can_be_cleaned(ws: Workspace, tmp_path: Path) -> None:
    old_id = _imported(ws, tmp_path)
    place = _span(ws, old_id, "Port Eldmoor", "LOC")
    scraped = tmp_path / "terminal-scraped.txt"
    scraped.write_text("ARTICLE AD BOX\n" + NEW + "Share\n", encoding="utf-8")

    report = revise(ws, old_id, scraped, clean=True)

    document = documents.document(ws, report.document)
    assert document.text == NEW
    assert document.meta["original_text"].startswith("ARTICLE AD BOX\n")
    (outcome,) = report.spans
    assert (outcome.id, outcome.outcome) == (place, Outcome.EXACT)
    assert document.text[outcome.start : outcome.end] == "Port Eldmoor"


def test_every_annotators_spans_follow_with_their_attributes(
    ws: Workspace, database_url: str, tmp_path: Path
) -> None:
    old_id = _imported(ws, tmp_path)
    colleague = Workspace.open(database_url, "ana", samples=False)
    try:
        spans_service.add_span(
            colleague, old_id, OLD.index("harbour"), OLD.index("harbour") + 7, "LOC"
        )
    finally:
        colleague.close()
    quote = spans_service.add_span(
        ws,
        old_id,
        OLD.index("the new ferry"),
        OLD.index("the new ferry") + 30,
        "CLAIM",
        attributes={"check-worthy": "yes"},
    ).added[0]
    new_path = tmp_path / "terminal-v2.txt"
    new_path.write_text(NEW, encoding="utf-8")

    report = revise(ws, old_id, new_path)

    copied = {(s.annotator, s.label): s for s in spans_service.spans(ws, report.document)}
    assert NEW[copied["ana", "LOC"].start : copied["ana", "LOC"].end] == "harbour"
    claim = copied["tester", "CLAIM"]
    assert claim.attributes == {"check-worthy": "yes"}
    assert claim.origin == quote.origin


def test_a_discontinuous_span_moves_whole_or_waits(ws: Workspace, tmp_path: Path) -> None:
    old_id = _imported(ws, tmp_path)
    # "The harbour authority … waited four years": the same text in the new version
    found = _span(ws, old_id, "Residents of Port Eldmoor", "CLAIM")
    span_edits.add_fragment(ws, found, OLD.index("waited"), OLD.index(" years") + len(" years"))
    # "new ferry terminal … June": its text changes, so its pieces cannot be placed
    changed = _span(ws, old_id, "new ferry terminal", "CLAIM")
    span_edits.add_fragment(ws, changed, OLD.index("June"), OLD.index("June") + 4)
    new_path = tmp_path / "terminal-v2.txt"
    new_path.write_text(NEW, encoding="utf-8")

    report = revise(ws, old_id, new_path)

    by_id = {s.id: s for s in report.spans}
    assert by_id[found].outcome is Outcome.EXACT
    assert by_id[changed].outcome is Outcome.QUEUED
    (copied,) = spans_service.spans(ws, report.document)
    pieces = [NEW[s:e] for s, e in copied.fragments]
    assert pieces == ["Residents of Port Eldmoor", "waited four years"]
    (waiting,) = documents.document(ws, report.document).meta["needs_reanchoring"]
    assert waiting["id"] == changed and len(waiting["fragments"]) == 2
    (problem,) = check(ws)  # only the span that waits
    assert "needs re-anchoring: 'new ferry terminal will open in June'" in problem


WORDS = "harbour council ferry bridge mayor strike pier budget tide crane".split()


@st.composite
def annotated_article(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]], list[int]]:
    """A text of generated sentences; spans over word runs (nested and overlapping ones
    too), and which of them get a second piece further on."""
    sentences = [
        " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=8))).capitalize() + "."
        for _ in range(draw(st.integers(2, 6)))
    ]
    text = "Title of the story\n\n" + " ".join(sentences) + "\n"
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)][4:]
    spans = []
    for _ in range(draw(st.integers(1, 8))):
        first = draw(st.integers(0, len(words) - 1))
        last = min(len(words) - 1, first + draw(st.integers(0, 3)))
        spans.append((words[first][0], words[last][1], draw(st.sampled_from(["QUOTE", "ORG"]))))
    pieces = draw(st.lists(st.integers(0, len(spans) - 1), unique=True, max_size=3))
    return text, spans, pieces


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotated_article(), st.sampled_from(["Updated: a new first line.\n\n", "\n\n", "Ed. "]))
@example(  # a span made of two pieces covers the same range as a span without pieces
    case=(
        "Title of the story\n\nHarbour harbour harbour. Harbour harbour harbour.\n",
        [(20, 27, "QUOTE"), (20, 35, "QUOTE")],
        [0],
    ),
    prefix="Updated: a new first line.\n\n",
)
def test_unchanged_spans_land_exactly_with_their_pieces_and_relations(
    case: tuple[str, list[tuple[int, int, str]], list[int]], prefix: str
) -> None:
    text, wanted, pieces = case
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace.open(str(Path(folder) / "g.db"), "tester", samples=False)
        try:
            path = Path(folder) / "a.txt"
            path.write_text(text, encoding="utf-8")
            assert import_paths(ws, [path]).ok
            old = documents.documents(ws)[0].id
            made = []
            for start, end, label in wanted:
                try:
                    made.append(spans_service.add_span(ws, old, start, end, label).added[0].id)
                except GlossaError:  # the same range twice
                    continue
            for number in pieces:
                if number < len(made):
                    span = next(s for s in spans_service.spans(ws, old) if s.id == made[number])
                    after = text.index(" ", span.end) + 1 if " " in text[span.end :] else None
                    if after is not None and after < len(text) - 2:
                        end = text.index(" ", after) if " " in text[after:] else len(text) - 2
                        span_edits.add_fragment(ws, span.id, after, end)
            spans = spans_service.spans(ws, old)
            quotes = [s for s in spans if s.label == "QUOTE"]
            orgs = [s for s in spans if s.label == "ORG"]
            if quotes and orgs:
                relations_service.add_relation(ws, quotes[0].id, orgs[0].id, "speaker")
            relations = spans_service.relations(ws, old)

            report = revise_text(ws, old, prefix + text.rstrip("\n") + " A closing line.\n")

            shift = len(prefix)
            assert all(s.outcome is Outcome.EXACT for s in report.spans)
            # a span with pieces may cover the same range as another span without: compare
            # every span whole, pieces included
            moved = sorted(
                (
                    s.start - shift,
                    s.end - shift,
                    s.label,
                    [(a - shift, b - shift) for a, b in s.fragments],
                )
                for s in spans_service.spans(ws, report.document)
            )
            assert moved == sorted(
                (s.start, s.end, s.label, [(a, b) for a, b in s.fragments]) for s in spans
            )
            assert len(spans_service.relations(ws, report.document)) == len(relations)
        finally:
            ws.close()
