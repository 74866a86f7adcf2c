"""The "Needs re-anchoring" queue through the services: placing and dropping queued spans.

Every test runs on a SQLite file and, when ``GLOSSA_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import ConflictError, GlossaError, InputError, NotFoundError
from app.services import Workspace, applying, documents, metadata, relations, spans
from app.services.importing import import_paths
from app.services.reanchoring_queue import (
    QUEUE,
    drop_queued,
    place_queued,
    queue_sizes,
    queued_spans,
)
from app.services.revisions import find_document, revise, revise_text, withdraw_revision

OLD = (
    "Ferry terminal opens late\n\n"
    "The harbour authority said on Monday that the new ferry terminal will open in June. "
    "Mayor Anna Lindqvist called the delay regrettable. "
    "Residents of Port Eldmoor have waited four years.\n"
)
NEW = (
    "Ferry terminal opens late\n\n"
    "The harbour authority said on Monday that the new ferry terminal will open in July. "
    "Residents of Port Eldmoor have waited four years. "
    "Later the town's mayor, Ana Lindkvist, apologised.\n"
)


@pytest.fixture
def ws(database_url: str) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "tester", samples=False)
    yield workspace
    workspace.close()


def _revised(ws: Workspace, tmp_path: Path) -> tuple[int, int, int]:
    """The new version's id, the queued PERSON's entry and the copied CLAIM's new id."""
    path = tmp_path / "terminal.txt"
    path.write_text(OLD, encoding="utf-8")
    assert import_paths(ws, [path]).ok
    old_id = find_document(ws, "Ferry terminal opens late")
    at = OLD.index("will open in June")
    claim = spans.add_span(ws, old_id, at, at + 17, "CLAIM").added[0].id
    at = OLD.index("Anna Lindqvist")
    person = spans.add_span(ws, old_id, at, at + 14, "PERSON", attributes={"note": "x"}).added[0].id
    relations.add_relation(ws, claim, person, "claimant")
    new_path = tmp_path / "terminal-v2.txt"
    new_path.write_text(NEW, encoding="utf-8")
    report = revise(ws, old_id, new_path)
    (copied,) = [s.new_id for s in report.spans if s.id == claim]
    assert copied is not None
    return report.document, person, copied


def test_the_queue_shows_old_and_new_text_and_a_suggested_place(
    ws: Workspace, tmp_path: Path
) -> None:
    document, person, _ = _revised(ws, tmp_path)

    (shown,) = queued_spans(ws)

    assert (shown.document_id, shown.entry, shown.label) == (document, person, "PERSON")
    assert shown.text == "Anna Lindqvist"
    assert shown.before.endswith("Mayor ") and shown.after.startswith(" called the delay")
    assert "will open in July. Residents" in shown.now
    assert shown.suggestion is not None and shown.suggested_text == "Ana Lindkvist"
    assert queue_sizes(ws) == {document: 1}


def test_placing_makes_the_span_with_its_relation_and_empties_the_queue_in_one_change(
    ws: Workspace, tmp_path: Path
) -> None:
    document, person, claim = _revised(ws, tmp_path)
    at = NEW.index("Ana Lindkvist")

    change = place_queued(ws, document, person, at, at + 13)

    (span,) = change.added
    assert (span.start, span.end, span.label, span.attributes) == (
        at,
        at + 13,
        "PERSON",
        {"note": "x"},
    )
    (relation,) = spans.relations(ws, document)
    assert (relation.head, relation.tail, relation.label) == (claim, span.id, "claimant")
    assert change.relations_added == (relation,)
    assert QUEUE not in documents.document(ws, document).meta
    assert queued_spans(ws) == []

    applying.apply(ws, change.inverse(), "undo")
    assert span.id not in {s.id for s in spans.spans(ws, document)}
    assert spans.relations(ws, document) == []
    assert [e["id"] for e in documents.document(ws, document).meta[QUEUE]] == [person]

    applying.apply(ws, change, "redo")
    assert span in spans.spans(ws, document) and spans.relations(ws, document) == [relation]
    assert QUEUE not in documents.document(ws, document).meta


def test_dropping_is_undone_and_a_gone_entry_is_refused(ws: Workspace, tmp_path: Path) -> None:
    document, person, _ = _revised(ws, tmp_path)

    change = drop_queued(ws, document, person)

    assert QUEUE not in documents.document(ws, document).meta
    with pytest.raises(NotFoundError, match=f"span {person} is not queued"):
        drop_queued(ws, document, person)
    applying.apply(ws, change.inverse(), "undo")
    assert [s.entry for s in queued_spans(ws)] == [person]
    metadata.update_meta(ws, document, {QUEUE: None})  # someone else emptied it meanwhile
    with pytest.raises(ConflictError, match="changed meanwhile"):
        applying.apply(ws, change, "redo")


def test_an_edited_text_is_a_new_version_that_can_be_withdrawn(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "terminal.txt"
    path.write_text(OLD, encoding="utf-8")
    assert import_paths(ws, [path]).ok
    old_id = find_document(ws, "Ferry terminal opens late")
    at = OLD.index("Port Eldmoor")
    spans.add_span(ws, old_id, at, at + 12, "LOC")

    report = revise_text(ws, old_id, OLD.replace("Mayor", "The mayor,\r\n"))

    (span,) = spans.spans(ws, report.document)
    assert documents.document(ws, report.document).text[span.start : span.end] == "Port Eldmoor"
    assert documents.document(ws, report.document).meta["revision_of"] == old_id
    with pytest.raises(GlossaError, match="not a new version"):
        withdraw_revision(ws, old_id, report.document)
    withdraw_revision(ws, report.document, old_id)
    assert [s.id for s in documents.documents(ws)] == [old_id]
    with pytest.raises(InputError, match="needs some text"):
        revise_text(ws, old_id, " \n")


def test_a_relation_between_two_queued_spans_comes_back_when_both_are_placed(
    ws: Workspace, tmp_path: Path
) -> None:
    document, person, _ = _revised(ws, tmp_path)
    old_id = documents.document(ws, document).meta["revision_of"]
    at = OLD.index("regrettable")
    claim = spans.add_span(ws, old_id, at, at + 11, "CLAIM").added[0].id
    relations.add_relation(ws, claim, person, "claimant")
    newer = tmp_path / "terminal-v3.txt"
    newer.write_text(NEW + "The council met on Friday.\n", encoding="utf-8")
    third = revise(ws, old_id, newer).document
    assert {s.entry for s in queued_spans(ws, [third])} == {person, claim}
    at = NEW.index("Ana Lindkvist")

    placed_person = place_queued(ws, third, person, at, at + 13)
    # the June claim was copied, so its claimant link comes back at once; the other waits
    assert [r.tail for r in placed_person.relations_added] == [placed_person.added[0].id]
    at = NEW.index("apologised")
    placed_claim = place_queued(ws, third, claim, at, at + 10)

    claimant = [r for r in spans.relations(ws, third) if r.head == placed_claim.added[0].id]
    assert [(r.tail, r.label) for r in claimant] == [(placed_person.added[0].id, "claimant")]
    applying.apply(ws, placed_claim.inverse(), "undo")
    applying.apply(ws, placed_person.inverse(), "undo")
    (entry,) = [e for e in documents.document(ws, third).meta[QUEUE] if e["id"] == claim]
    assert entry["relations"][0]["entry"] == person  # pointing at the queued span again
