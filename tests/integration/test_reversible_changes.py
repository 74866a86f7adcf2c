"""Every action's change undoes exactly: applying a change, then its inverse, leaves the
database's content as it was, and applying the change again gives what the action gave.

Sequences of actions are drawn by hypothesis and run on a real SQLite file and, when
``GLOSSA_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.core.annotations import Status
from app.core.errors import GlossaError
from app.core.review import Review
from app.services import ChangeSet, Workspace, applying, bulk, documents, span_edits
from app.services import entities as entities_service
from app.services import relations as relations_service
from app.services import spans as spans_service
from app.services.importing import import_paths
from app.services.review import ReviewActions

TEXT = "Minister Olu Ade said on Monday that “taxes stay”, and the council agreed. " * 3
LABELS = ("PERSON", "ORG", "LOC", "QUOTE", "CUE", "CLAIM")


@pytest.fixture
def ws(database_url: str, tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "tester", samples=False)
    article = tmp_path / "budget.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert import_paths(workspace, [article]).ok
    yield workspace
    workspace.close()


def content(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """What a user's data is: spans, relations, statuses and entities, without timestamps."""
    queries = {
        "spans": 'SELECT id, document_id, start, "end", label, text, annotator_id, origin, '
        "review, CAST(attributes AS TEXT), entity_id, fragments FROM spans ORDER BY id",
        "relations": "SELECT id, document_id, head_id, tail_id, label, annotator_id "
        "FROM relations ORDER BY id",
        "statuses": "SELECT document_id, annotator_id, status FROM document_states "
        "WHERE status != 'new' ORDER BY document_id, annotator_id",
        "entities": "SELECT id, name, type, CAST(aliases AS TEXT) FROM entities ORDER BY id",
    }
    with ws.database.engine.connect() as connection:
        return {
            name: [tuple(row) for row in connection.execute(text(query))]
            for name, query in queries.items()
        }


Step = tuple[str, int, int, int, str]
steps = st.tuples(
    st.sampled_from(
        [
            "add",
            "add_many",
            "delete",
            "delete_many",
            "relabel",
            "move",
            "fragment",
            "attributes",
            "link",
            "unlink",
            "review",
            "status",
            "entity_new",
            "entity_link",
            "entity_rename",
            "entity_merge",
            "entity_delete",
        ]
    ),
    st.integers(0, 200),
    st.integers(0, 200),
    st.integers(1, 30),
    st.sampled_from(LABELS),
)


def action_of(ws: Workspace, document: int, step: Step) -> Callable[[], ChangeSet] | None:
    """The service call a drawn step stands for, on the document's current spans."""
    kind, first, second, width, label = step
    spans = spans_service.spans(ws, document)
    relations = spans_service.relations(ws, document)
    start = first % (len(TEXT) - width)
    span = spans[first % len(spans)] if spans else None
    other = spans[second % len(spans)] if spans else None
    if kind == "add":
        return lambda: spans_service.add_span(ws, document, start, start + width, label)
    if kind == "add_many":
        ranges = [(start, start + width), (second % 100, second % 100 + 3)]
        return lambda: bulk.add_spans(ws, document, ranges, label)
    if kind == "status":
        return lambda: documents.set_status(ws, document, list(Status)[second % 3])
    if span is None or other is None:
        return None
    if kind == "delete":
        return lambda: spans_service.delete_span(ws, span.id)
    if kind == "delete_many":
        return lambda: bulk.delete_spans(ws, document, [span.id, other.id])
    if kind == "relabel":
        return lambda: span_edits.relabel_span(ws, span.id, label)
    if kind == "move":
        return lambda: span_edits.move_span(ws, span.id, start, start + width)
    if kind == "fragment":
        return lambda: span_edits.add_fragment(ws, span.id, start, start + width)
    if kind == "attributes":
        kinds = ("direct", "indirect", "mixed")
        return lambda: span_edits.set_span_attributes(ws, span.id, {"kind": kinds[second % 3]})
    if kind == "link":
        names = {"PERSON": "speaker", "ORG": "speaker", "CUE": "cue"}
        name = names.get(other.label, "claimant")
        return lambda: relations_service.add_relation(ws, span.id, other.id, name)
    if kind == "unlink":
        if not relations:
            return None
        relation = relations[second % len(relations)]
        return lambda: relations_service.delete_relation(ws, relation.id)
    if kind == "review":
        state = list(Review)[second % 3]
        return lambda: ReviewActions(ws).set_review([span.id, other.id], state)
    if kind == "entity_new":
        return lambda: entities_service.link_new_entity(ws, span.id, f"Entity {second}")
    entities = entities_service.entities(ws)
    if not entities:
        return None
    entity = entities[first % len(entities)]
    another = entities[second % len(entities)]
    if kind == "entity_link":
        return lambda: entities_service.link_span(ws, span.id, entity.id)
    if kind == "entity_rename":
        return lambda: entities_service.rename_entity(
            ws, entity.id, f"{entity.name} {second}", ("x", "y")
        )
    if kind == "entity_merge":
        return lambda: entities_service.merge_entities(ws, entity.id, another.id)
    return lambda: entities_service.delete_entity(ws, entity.id)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(steps, min_size=1, max_size=8))
def test_every_change_and_its_inverse_leave_the_database_as_it_was(
    ws: Workspace, drawn: list[Step]
) -> None:
    document = documents.documents(ws)[0].id
    start = content(ws)
    done: list[ChangeSet] = []
    for step in drawn:
        action = action_of(ws, document, step)
        if action is None:
            continue
        before = content(ws)
        try:
            change = action()
        except GlossaError:
            assert content(ws) == before  # a refused action changes nothing
            continue
        after = content(ws)
        applying.apply(ws, change.inverse(), "undo")
        assert content(ws) == before, step
        redone = applying.apply(ws, change, "redo")
        assert content(ws) == after, step
        done.append(redone)
    for change in reversed(done):
        applying.apply(ws, change.inverse(), "undo")
    assert content(ws) == start


def test_a_deleted_span_comes_back_with_its_review_state(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    (span,) = spans_service.add_span(ws, document, 9, 16, "PERSON").added
    ReviewActions(ws).accept([span.id])
    deleted = spans_service.delete_span(ws, span.id)
    applying.apply(ws, deleted.inverse(), "undo")
    assert ReviewActions(ws).reviews([span.id]) == {span.id: Review.ACCEPTED}


def test_undoing_the_first_span_makes_the_document_new_again(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    added = spans_service.add_span(ws, document, 9, 16, "PERSON")
    assert documents.status(ws, document) is Status.IN_PROGRESS
    applying.apply(ws, added.inverse(), "undo")
    assert documents.status(ws, document) is Status.NEW


def test_a_fragment_added_and_undone_leaves_the_span_whole(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    (span,) = spans_service.add_span(ws, document, 0, 8, "PERSON").added
    grown = span_edits.add_fragment(ws, span.id, 13, 16)
    (changed,) = grown.changed
    assert (changed.start, changed.end, changed.fragments) == (0, 16, ((0, 8), (13, 16)))
    assert spans_service.spans(ws, document) == [changed]
    applying.apply(ws, grown.inverse(), "undo")
    assert spans_service.spans(ws, document) == [span]
    applying.apply(ws, grown, "redo")
    assert spans_service.spans(ws, document) == [changed]
    deleted = spans_service.delete_span(ws, span.id)
    applying.apply(ws, deleted.inverse(), "undo")
    assert spans_service.spans(ws, document) == [changed]
