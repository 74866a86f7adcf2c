"""Undoing a schema edit that deleted spans: one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from app.core.schema import LabelSchema
from app.services import Workspace, applying, documents, entities, schema_edits
from app.services import relations as relations_service
from app.services import spans as spans_service
from app.services.checking import check
from app.store.repositories.spans import Spans


def without(schema: LabelSchema, name: str) -> LabelSchema:
    labels = tuple(lab for lab in schema.labels if lab.name != name)
    relations = tuple(kind for kind in schema.relations if name not in (*kind.heads, *kind.tails))
    return replace(schema, labels=labels, relations=relations)


@pytest.fixture
def ws(database_url: str) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "tester")
    yield workspace
    workspace.close()


def quotes_and_a_cue(ws: Workspace) -> tuple[int, list[int], int, int]:
    """Three QUOTE spans of the first sample, the first linked to a CUE."""
    document = documents.documents(ws)[0].id
    quotes = [
        spans_service.add_span(ws, document, start, start + 4, "QUOTE").added[0].id
        for start in (0, 5, 10)
    ]
    cue = spans_service.add_span(ws, document, 20, 24, "CUE").added[0].id
    relation = relations_service.add_relation(ws, quotes[0], cue, "cue").relations_added[0].id
    return document, quotes, cue, relation


def as_stored(ws: Workspace, document: int) -> tuple[Any, ...]:
    fresh = Workspace.open(ws.database.url, "tester")
    try:
        spans = sorted(
            (s.id, s.label, s.start, s.end) for s in spans_service.spans(fresh, document)
        )
        relations = sorted(
            (r.id, r.head, r.tail, r.label) for r in spans_service.relations(fresh, document)
        )
        return fresh.schema, spans, relations
    finally:
        fresh.close()


def test_undo_puts_back_the_schema_spans_and_relations_in_one_step(ws: Workspace) -> None:
    document, quotes, _, relation = quotes_and_a_cue(ws)
    old = ws.schema
    before = as_stored(ws, document)
    edit = schema_edits.update_schema(ws, without(old, "QUOTE"), delete_used=True)
    assert sorted(s.id for s in edit.removed) == quotes

    undone = applying.apply(ws, edit.inverse(), "undo")

    assert undone.schema and undone.schema_edit is not None
    assert sorted(s.id for s in undone.added) == quotes
    assert [r.id for r in undone.relations_added] == [relation]
    assert ws.schema == old
    assert as_stored(ws, document) == before
    assert check(ws) == []


def test_a_failure_midway_through_the_undo_leaves_the_edit_in_place(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, _, _, _ = quotes_and_a_cue(ws)
    old = ws.schema
    new = without(old, "QUOTE")
    edit = schema_edits.update_schema(ws, new, delete_used=True)
    after_edit = as_stored(ws, document)
    real_add = Spans.add
    calls = []

    def add_then_fail(self: Spans, *args: Any, **kwargs: Any) -> int:
        calls.append(args)
        if len(calls) > 1:
            raise RuntimeError("the disk is full")
        return real_add(self, *args, **kwargs)

    monkeypatch.setattr(Spans, "add", add_then_fail)

    with pytest.raises(RuntimeError):
        applying.apply(ws, edit.inverse(), "undo")

    assert len(calls) == 2  # the first span went back before the failure
    assert as_stored(ws, document) == after_edit
    assert ws.schema == new
    monkeypatch.undo()
    applying.apply(ws, edit.inverse(), "undo")
    assert ws.schema == old


def test_a_mention_of_an_entity_deleted_since_comes_back_unlinked(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    person = spans_service.add_span(ws, document, 0, 4, "PERSON").added[0]
    entity = entities.create_entity(ws, "Someone", "PERSON")
    entities.link_span(ws, person.id, entity.id, add_alias=False)
    old = ws.schema
    edit = schema_edits.update_schema(ws, without(old, "PERSON"), delete_used=True)
    entities.delete_entity(ws, entity.id)

    applying.apply(ws, edit.inverse(), "undo")

    assert spans_service.spans(ws, document) == [person]  # linked to nothing: the entity is gone
    assert check(ws) == []


def test_redo_after_undo_removes_the_label_and_its_spans_again(ws: Workspace) -> None:
    document, _, _, _ = quotes_and_a_cue(ws)
    old = ws.schema
    edit = schema_edits.update_schema(ws, without(old, "QUOTE"), delete_used=True)
    after_edit = as_stored(ws, document)
    applying.apply(ws, edit.inverse(), "undo")
    applying.apply(ws, edit, "redo")
    assert as_stored(ws, document) == after_edit
    assert ws.schema.label("QUOTE") is None
    assert check(ws) == []


def test_undoing_a_rename_renames_the_spans_back(ws: Workspace) -> None:
    document, quotes, _, _ = quotes_and_a_cue(ws)
    old = ws.schema
    renamed = replace(
        old,
        labels=tuple(
            replace(lab, name="SPEECH") if lab.name == "QUOTE" else lab for lab in old.labels
        ),
        relations=tuple(
            replace(
                kind,
                heads=tuple("SPEECH" if h == "QUOTE" else h for h in kind.heads),
                tails=tuple("SPEECH" if t == "QUOTE" else t for t in kind.tails),
            )
            for kind in old.relations
        ),
    )
    edit = schema_edits.update_schema(ws, renamed, {"QUOTE": "SPEECH"})
    assert {s.label for s in spans_service.spans(ws, document) if s.id in quotes} == {"SPEECH"}
    applying.apply(ws, edit.inverse(), "undo")
    assert {s.label for s in spans_service.spans(ws, document) if s.id in quotes} == {"QUOTE"}
    assert ws.schema == old
    applying.apply(ws, edit, "redo")
    assert {s.label for s in spans_service.spans(ws, document) if s.id in quotes} == {"SPEECH"}
