"""Reading a document to open it: one snapshot, whatever others commit meanwhile."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.errors import NotFoundError
from app.services import Workspace, documents, relations, spans
from app.services.opening import read_document


@pytest.fixture
def pair(database_url: str) -> Iterator[tuple[Workspace, Workspace]]:
    """Alice and Bob on one database holding the sample articles."""
    alice = Workspace.open(database_url, "alice")
    bob = Workspace.open(database_url, "bob")
    yield alice, bob
    bob.close()
    alice.close()


def test_a_snapshot_does_not_see_what_others_commit_while_it_reads(
    pair: tuple[Workspace, Workspace],
) -> None:
    alice, bob = pair
    document_id = documents.documents(alice)[0].id
    spans.add_span(alice, document_id, 0, 3, "PERSON")
    with alice.database.snapshot() as uow:
        before = uow.spans.of_document(document_id)
        spans.add_span(bob, document_id, 4, 8, "ORG")  # committed between two reads
        assert uow.spans.of_document(document_id) == before
        assert uow.annotator_work.annotators_of(document_id) == ["alice"]
    assert documents.annotators_of(alice, document_id) == ["alice", "bob"]


def test_the_read_holds_the_layers_asked_for_and_every_relation(
    pair: tuple[Workspace, Workspace],
) -> None:
    alice, bob = pair
    document_id = documents.documents(alice)[0].id
    quote = spans.add_span(alice, document_id, 0, 10, "QUOTE").added[0]
    person = spans.add_span(alice, document_id, 11, 14, "PERSON").added[0]
    relation = relations.add_relation(alice, quote.id, person.id, "speaker").relations_added[0]
    theirs = spans.add_span(bob, document_id, 20, 24, "ORG").added[0]

    mine = read_document(alice, document_id, {"alice"})
    assert mine.spans == (quote, person)
    assert mine.relations == (relation,)
    assert mine.annotators == ("alice", "bob")
    assert mine.document == documents.document(alice, document_id)
    assert read_document(alice, document_id).spans == (quote, person, theirs)


def test_a_missing_document_is_named(pair: tuple[Workspace, Workspace]) -> None:
    with pytest.raises(NotFoundError):
        read_document(pair[0], 10**6)
