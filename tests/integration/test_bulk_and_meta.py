"""Tagging many ranges in one transaction, and editing a document's metadata."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.annotations import Status
from app.core.errors import ConflictError, InputError, NotFoundError, SpanError
from app.services import Workspace, applying, bulk, documents, entities, metadata, spans
from app.services.bulk import occurrences
from app.services.exporting import document_records
from app.services.selection import Selection

FESTIVAL = "Cross-border festival draws record crowds 🎉"


@pytest.fixture
def sample_workspace(database_url: str) -> Iterator[Workspace]:
    """The bundled sample articles, on each database backend."""
    ws = Workspace.open(database_url, "tester")
    yield ws
    ws.close()


def festival(workspace: Workspace) -> int:
    return next(s.id for s in documents.documents(workspace) if s.title == FESTIVAL)


def test_occurrences_count_code_points_and_honour_the_options() -> None:
    text = "🎉 Khoury, khoury; Khourys 👏🏽 KHOURY"
    assert occurrences(text, "khoury") == [(2, 8), (10, 16), (18, 24), (29, 35)]
    assert occurrences(text, "Khoury", case_sensitive=True) == [(2, 8), (18, 24)]
    assert occurrences(text, "khoury", whole_words=True) == [(2, 8), (10, 16), (29, 35)]
    assert occurrences(text, "") == []
    assert occurrences("a.b axb", ".") == [(1, 2)]  # the query is text, not a pattern


def test_add_spans_tags_every_range_in_one_step(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    text = documents.document(ws, document_id).text
    ranges = occurrences(text, "Khoury")
    assert len(ranges) == 2

    changes = bulk.add_spans(ws, document_id, ranges, "PERSON")

    assert [(s.start, s.end, s.label) for s in changes.added] == [
        (start, end, "PERSON") for start, end in ranges
    ]
    stored = spans.spans(ws, document_id)
    assert [s.id for s in stored] == [s.id for s in changes.added]
    assert all(text[s.start : s.end] == "Khoury" for s in stored)
    assert documents.status(ws, document_id) is Status.IN_PROGRESS


def test_add_spans_skips_ranges_already_tagged_with_that_label(
    sample_workspace: Workspace,
) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    first, second = occurrences(documents.document(ws, document_id).text, "Khoury")
    spans.add_span(ws, document_id, *first, "PERSON")
    spans.add_span(ws, document_id, *second, "ORG")

    changes = bulk.add_spans(ws, document_id, [first, second, second], "PERSON")

    assert [(s.start, s.end) for s in changes.added] == [second]
    assert len(spans.spans(ws, document_id)) == 3


def test_add_spans_is_all_or_nothing(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    length = len(documents.document(ws, document_id).text)
    with pytest.raises(SpanError):
        bulk.add_spans(ws, document_id, [(0, 5), (length - 2, length + 1)], "PERSON")
    with pytest.raises(SpanError):
        bulk.add_spans(ws, document_id, [(0, 5)], "NOT_A_LABEL")
    assert spans.spans(ws, document_id) == []
    assert documents.status(ws, document_id) is Status.NEW


def test_delete_spans_then_add_spans_restores_the_same_ids(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    ranges = occurrences(documents.document(ws, document_id).text, "festival")
    added = bulk.add_spans(ws, document_id, ranges, "ORG").added
    ids = [s.id for s in added]

    removed = bulk.delete_spans(ws, document_id, ids)
    assert {s.id for s in removed.removed} == set(ids)
    assert spans.spans(ws, document_id) == []

    again = applying.apply(ws, removed.inverse(), "undo")
    assert [s.id for s in again.added] == ids
    assert [s.id for s in spans.spans(ws, document_id)] == ids


def test_delete_spans_refuses_a_span_of_another_document(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    first, second = (s.id for s in documents.documents(ws)[:2])
    mine = spans.add_span(ws, first, 0, 3, "ORG").added[0]
    other = spans.add_span(ws, second, 0, 3, "ORG").added[0]
    with pytest.raises(SpanError):
        bulk.delete_spans(ws, first, [mine.id, other.id])
    with pytest.raises(NotFoundError):
        bulk.delete_spans(ws, first, [mine.id, 999_999])
    assert spans.spans(ws, first) == [mine]


def test_update_meta_changes_title_and_keeps_other_keys(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    changes = metadata.update_meta(
        ws, document_id, {"title": "  Lumière festival  ", "author": "A. Writer", "url": ""}
    )
    assert changes.meta and changes.document_id == document_id

    document = documents.document(ws, document_id)
    assert document.title == "Lumière festival"
    assert document.meta["author"] == "A. Writer"
    assert document.meta["title"] == "Lumière festival"
    assert "url" not in document.meta
    summary = next(s for s in documents.documents(ws) if s.id == document_id)
    assert summary.title == "Lumière festival"

    metadata.update_meta(ws, document_id, {"author": None, "source": "Gazette"})
    document = documents.document(ws, document_id)
    assert "author" not in document.meta
    assert document.meta["source"] == "Gazette"
    assert document.title == "Lumière festival"


def test_update_meta_travels_in_exports(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    metadata.update_meta(ws, document_id, {"title": "Renamed", "source": "Gazette"})
    [record] = [r for r in document_records(ws, Selection()) if r.id == str(document_id)]
    assert record.meta["title"] == "Renamed"
    assert record.meta["source"] == "Gazette"


def test_update_meta_refuses_an_empty_title_or_a_missing_document(
    sample_workspace: Workspace,
) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    with pytest.raises(InputError):
        metadata.update_meta(ws, document_id, {"title": "  "})
    with pytest.raises(NotFoundError):
        metadata.update_meta(ws, 999_999, {"source": "x"})
    assert documents.document(ws, document_id).title == FESTIVAL


def test_undoing_details_puts_back_the_keys_it_set_and_only_those(
    sample_workspace: Workspace,
) -> None:
    ws = sample_workspace
    summary = documents.documents(ws)[0]
    before = documents.document(ws, summary.id)
    edit = metadata.update_meta(ws, summary.id, {"title": "Renamed", "author": "A. Writer"})
    metadata.update_meta(ws, summary.id, {"source": "wire"})  # another key, set after

    applying.apply(ws, edit.inverse(), "undo")

    after = documents.document(ws, summary.id)
    assert after.title == before.title
    assert documents.documents(ws)[0].title == before.title  # the listed title too
    assert after.meta.get("author") == before.meta.get("author")
    assert after.meta["source"] == "wire"
    applying.apply(ws, edit, "redo")
    assert documents.document(ws, summary.id).title == "Renamed"


def test_undoing_details_someone_changed_since_is_refused(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document = documents.documents(ws)[0].id
    edit = metadata.update_meta(ws, document, {"author": "A. Writer"})
    metadata.update_meta(ws, document, {"author": "B. Writer"})
    with pytest.raises(ConflictError, match="author"):
        applying.apply(ws, edit.inverse(), "undo")
    assert documents.document(ws, document).meta["author"] == "B. Writer"


def test_add_spans_skips_matches_inside_a_span_of_that_label(
    sample_workspace: Workspace,
) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    text = documents.document(ws, document_id).text
    full = text.index("Rana Khoury")
    spans.add_span(ws, document_id, full, full + len("Rana Khoury"), "PERSON")
    first, second = occurrences(text, "Khoury")
    assert first[0] == full + len("Rana ")

    changes = bulk.add_spans(ws, document_id, [first, second], "PERSON")
    assert [(s.start, s.end) for s in changes.added] == [second]

    # inside a span of another label: tagged
    spans.add_span(ws, document_id, 0, len(text), "QUOTE")
    assert bulk.add_spans(ws, document_id, [(full, full + 4)], "ORG").added


def test_add_spans_ignores_other_annotators_spans(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    ranges = occurrences(documents.document(ws, document_id).text, "Khoury")
    colleague = Workspace.on_database(ws.database, "colleague")
    bulk.add_spans(colleague, document_id, ranges, "PERSON")

    assert len(bulk.add_spans(ws, document_id, ranges, "PERSON").added) == len(ranges)


def test_add_spans_links_the_new_spans_to_an_entity_in_the_same_step(
    sample_workspace: Workspace,
) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    ranges = occurrences(documents.document(ws, document_id).text, "Khoury")
    rana = entities.create_entity(ws, "Rana Khoury", "PERSON")

    changes = bulk.add_spans(ws, document_id, ranges, "PERSON", rana.id)

    assert changes.entities
    assert [s.entity for s in spans.spans(ws, document_id)] == [rana.id, rana.id]
    assert entities.mention_counts(ws)[rana.id] == 2
    applying.apply(ws, changes.inverse(), "undo")
    assert spans.spans(ws, document_id) == []
    assert entities.entity(ws, rana.id) == rana  # the entity stays, only the mentions went


def test_add_spans_refuses_an_entity_the_label_cannot_mention(
    sample_workspace: Workspace,
) -> None:
    ws = sample_workspace
    document_id = festival(ws)
    ranges = occurrences(documents.document(ws, document_id).text, "Khoury")
    rana = entities.create_entity(ws, "Rana Khoury", "PERSON")
    with pytest.raises(SpanError, match="ORG"):
        bulk.add_spans(ws, document_id, ranges, "ORG", rana.id)
    with pytest.raises(NotFoundError):
        bulk.add_spans(ws, document_id, ranges, "PERSON", 999_999)
    assert spans.spans(ws, document_id) == []
