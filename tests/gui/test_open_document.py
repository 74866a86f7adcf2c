"""The open document model: changes applied to it equal reading the document afresh."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication

from app.core.annotations import Relation, Span
from app.core.errors import GlossaError
from app.gui.models.open_document import LayerView, OpenDocument
from app.services import ChangeSet, Workspace, applying, documents, metadata, span_edits
from app.services import relations as relations_service
from app.services import spans as spans_service

LABELS = ("PERSON", "ORG", "LOC", "QUOTE")
KINDS = ("add", "move", "relabel", "delete", "fragment", "link", "unlink", "undo", "title")
VIEWS = ("mine", "overlaid", "other", "side")

edits = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.sampled_from(("alice", "bob")),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=10,
)


def _view(name: str) -> LayerView:
    if name == "overlaid":
        return LayerView("alice", None)
    if name == "other":
        return LayerView("alice", frozenset({"bob"}))
    if name == "side":
        return LayerView("alice", frozenset({"alice"}), "bob")
    return LayerView.mine("alice")


def _edit(
    ws: Workspace, document_id: int, text: str, kind: str, a: int, b: int, done: list[ChangeSet]
) -> list[ChangeSet]:
    """One edit by ``ws``'s annotator; the changes it committed (none when refused)."""
    spans = spans_service.spans(ws, document_id, [ws.annotator])
    start = a % (len(text) - 20)
    end = start + 1 + b % 15
    if kind == "add" or (not spans and kind in ("move", "relabel", "delete", "fragment")):
        return [spans_service.add_span(ws, document_id, start, end, LABELS[b % len(LABELS)])]
    if kind in ("move", "relabel", "delete", "fragment"):
        span = spans[a % len(spans)]
        if kind == "move":
            return [span_edits.move_span(ws, span.id, start, end)]
        if kind == "relabel":
            return [span_edits.relabel_span(ws, span.id, LABELS[b % len(LABELS)])]
        if kind == "fragment":
            return [span_edits.add_fragment(ws, span.id, start, end)]
        return [spans_service.delete_span(ws, span.id)]
    if kind == "link":
        made = [
            spans_service.add_span(ws, document_id, start, end, "QUOTE"),
            spans_service.add_span(ws, document_id, end + 1, end + 4, "PERSON"),
        ]
        head, tail = made[0].added[0], made[1].added[0]
        return [*made, relations_service.add_relation(ws, head.id, tail.id, "speaker")]
    if kind == "unlink":
        relations = spans_service.relations(ws, document_id)
        return (
            [relations_service.delete_relation(ws, relations[a % len(relations)].id)]
            if relations
            else []
        )
    if kind == "undo":
        return [applying.apply(ws, done[a % len(done)].inverse())] if done else []
    return [metadata.update_meta(ws, document_id, {"title": f"Title {a % 7}"})]


def _state(document: OpenDocument) -> tuple[Any, ...]:
    assert document.document is not None
    layers = document.layers

    def ids(items: list[Span] | list[Relation]) -> list[Any]:
        return sorted(items, key=lambda item: item.id)

    return (
        document.document,
        document.document.meta,
        ids(document.spans),
        ids(document.relations),
        ids(layers.spans),
        ids(layers.relations),
        ids(layers.own_spans),
        ids(layers.own_relations),
    )


@pytest.fixture
def people(database_url: str) -> Iterator[dict[str, Workspace]]:
    """Alice and Bob on one database holding the sample articles."""
    opened = {name: Workspace.open(database_url, name) for name in ("alice", "bob")}
    yield opened
    for ws in opened.values():
        ws.close()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=edits, view=st.sampled_from(VIEWS))
def test_changes_applied_to_the_open_document_equal_reading_it_afresh(
    qapp: QApplication, people: dict[str, Workspace], steps: list[Any], view: str
) -> None:
    alice = people["alice"]
    document_id = documents.documents(alice)[0].id
    text = documents.document(alice, document_id).text
    held = OpenDocument(alice, _view(view))
    held.open(document_id, wait=True)
    announced: list[ChangeSet] = []
    held.changed.connect(announced.append)
    done: list[ChangeSet] = []
    for kind, who, a, b in steps:
        try:
            changes = _edit(people[who], document_id, text, kind, a, b, done)
        except GlossaError:
            continue  # refused (a fragment adding nothing, an undo already undone): no change
        for change in changes:
            done.append(change)
            held.apply(change)
        fresh = OpenDocument(alice, _view(view))
        fresh.open(document_id, wait=True)
        assert _state(held) == _state(fresh), (kind, who)
    assert all(change.document_id == document_id for change in announced)


def test_a_change_to_another_document_leaves_the_open_one_alone(
    qapp: QApplication, people: dict[str, Workspace]
) -> None:
    alice = people["alice"]
    first, second = (summary.id for summary in documents.documents(alice)[:2])
    held = OpenDocument(alice, LayerView.mine("alice"))
    held.open(first, wait=True)
    announced: list[ChangeSet] = []
    held.changed.connect(announced.append)
    held.apply(spans_service.add_span(alice, second, 0, 3, "PERSON"))
    assert held.spans == [] and announced == []


def test_the_lists_hear_only_the_annotators_own_changes(
    qapp: QApplication, people: dict[str, Workspace]
) -> None:
    alice, bob = people["alice"], people["bob"]
    document_id = documents.documents(alice)[0].id
    held = OpenDocument(alice, LayerView("alice", None))
    held.open(document_id, wait=True)
    own: list[ChangeSet] = []
    held.own_changed.connect(own.append)
    theirs = spans_service.add_span(bob, document_id, 0, 3, "PERSON")
    held.apply(theirs)
    assert theirs.added[0] in held.spans and own == []
    mine = spans_service.add_span(alice, document_id, 4, 8, "ORG")
    held.apply(mine)
    assert [change.added for change in own] == [mine.added]
