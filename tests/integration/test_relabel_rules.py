"""Relabelling a span keeps its relations and entity link within the schema's rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.annotations import Span
from app.core.errors import NotFoundError
from app.services import Workspace, applying, documents, entities, relations, span_edits, spans
from app.services.checking import check

QUOTE = '"Music does not ask for a passport,"'


def festival(ws: Workspace) -> int:
    return next(s.id for s in documents.documents(ws) if "festival" in s.title.lower())


def tag(ws: Workspace, document: int, needle: str, label: str) -> Span:
    text = documents.document(ws, document).text
    start = text.index(needle)
    return spans.add_span(ws, document, start, start + len(needle), label).added[0]


def make_scene(ws: Workspace) -> dict[str, Any]:
    """The festival quote with its speaker (Khoury, linked to an entity) and its cue."""
    document = festival(ws)
    quote = tag(ws, document, QUOTE, "QUOTE")
    khoury = tag(ws, document, "Khoury told", "PERSON")
    khoury = span_edits.move_span(
        ws, khoury.id, khoury.start, khoury.start + len("Khoury")
    ).changed[0]
    told = tag(ws, document, "told the crowd", "CUE")
    entity = entities.create_entity(ws, "Rana Khoury", "PERSON")
    entities.link_span(ws, khoury.id, entity.id, add_alias=False)
    speaker = relations.add_relation(ws, quote.id, khoury.id, "speaker").relations_added[0]
    cue = relations.add_relation(ws, quote.id, told.id, "cue").relations_added[0]
    return {
        "ws": ws,
        "document": document,
        "quote": quote,
        "khoury": khoury._replace(entity=entity.id),
        "told": told,
        "entity": entity,
        "speaker": speaker,
        "cue": cue,
    }


@pytest.fixture
def scene(database_url: str) -> Iterator[dict[str, Any]]:
    ws = Workspace.open(database_url, "tester")
    yield make_scene(ws)
    ws.close()


@pytest.fixture
def sqlite_scene(db_path: Path) -> Iterator[dict[str, Any]]:
    ws = Workspace.open(str(db_path), "tester")
    yield make_scene(ws)
    ws.close()


def test_relations_the_new_label_does_not_allow_go_in_the_same_step(scene: dict[str, Any]) -> None:
    ws, quote = scene["ws"], scene["quote"]

    changes = span_edits.relabel_span(ws, quote.id, "CLAIM")

    assert changes.changed == (quote._replace(label="CLAIM"),)
    assert set(changes.relations_removed) == {scene["speaker"], scene["cue"]}
    assert spans.relations(ws, scene["document"]) == []
    assert check(ws) == []


def test_relations_the_new_label_allows_stay(scene: dict[str, Any]) -> None:
    ws, khoury = scene["ws"], scene["khoury"]

    changes = span_edits.relabel_span(ws, khoury.id, "ORG")  # a speaker may be an ORG

    assert changes.relations_removed == ()
    assert spans.relations(ws, scene["document"]) == [scene["speaker"], scene["cue"]]


def test_an_entity_link_of_another_type_is_undone(scene: dict[str, Any]) -> None:
    ws, khoury = scene["ws"], scene["khoury"]

    changes = span_edits.relabel_span(ws, khoury.id, "ORG")

    assert changes.changed == (khoury._replace(label="ORG", entity=None),)
    assert changes.entities
    assert entities.entity(ws, scene["entity"].id).name == "Rana Khoury"  # the entity itself stays
    assert [s.entity for s in spans.spans(ws, scene["document"]) if s.id == khoury.id] == [None]
    assert check(ws) == []


def test_a_person_relabelled_as_a_cue_loses_its_speaker_link_and_its_entity(
    scene: dict[str, Any],
) -> None:
    ws, khoury = scene["ws"], scene["khoury"]

    changes = span_edits.relabel_span(ws, khoury.id, "CUE")

    assert changes.relations_removed == (scene["speaker"],)
    assert changes.changed[0].entity is None
    assert spans.relations(ws, scene["document"]) == [scene["cue"]]
    assert check(ws) == []
    note = span_edits.relabel_note(ws, khoury, changes)
    assert "speaker" in note and "QUOTE" in note and "Rana Khoury" in note


def test_restore_label_brings_back_label_link_and_relations_under_their_ids(
    scene: dict[str, Any],
) -> None:
    ws, khoury = scene["ws"], scene["khoury"]
    changes = span_edits.relabel_span(ws, khoury.id, "CUE")

    undone = applying.apply(ws, changes.inverse(), "undo")

    assert undone.changed == (khoury,)
    assert undone.relations_added == (scene["speaker"],)
    assert [s for s in spans.spans(ws, scene["document"]) if s.id == khoury.id] == [khoury]
    assert sorted(spans.relations(ws, scene["document"]), key=lambda r: r.id) == sorted(
        [scene["speaker"], scene["cue"]], key=lambda r: r.id
    )
    assert check(ws) == []


def test_an_undo_that_cannot_finish_changes_nothing(scene: dict[str, Any]) -> None:
    ws, quote = scene["ws"], scene["quote"]
    relabelled = span_edits.relabel_span(ws, quote.id, "CLAIM")
    spans.delete_span(ws, scene["told"].id)  # the cue's end is gone meanwhile

    with pytest.raises(NotFoundError):
        applying.apply(ws, relabelled.inverse(), "undo")

    assert spans.relations(ws, scene["document"]) == []  # not even the speaker came back
    assert [s.label for s in spans.spans(ws, scene["document"]) if s.id == quote.id] == ["CLAIM"]


def test_note_says_nothing_when_nothing_was_removed(scene: dict[str, Any]) -> None:
    ws, told = scene["ws"], scene["told"]
    relations.delete_relation(ws, scene["cue"].id)
    changes = span_edits.relabel_span(ws, told.id, "LOC")
    assert span_edits.relabel_note(ws, told, changes) == ""


LABELS = ("PERSON", "ORG", "LOC", "QUOTE", "CUE", "CLAIM")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(("quote", "khoury", "told")), st.sampled_from(LABELS)),
        min_size=1,
        max_size=4,
    )
)
def test_any_relabels_leave_nothing_for_check_and_undo_in_reverse_restores_all(
    sqlite_scene: dict[str, Any], steps: list[tuple[str, str]]
) -> None:
    ws, document = sqlite_scene["ws"], sqlite_scene["document"]
    before = (spans.spans(ws, document), spans.relations(ws, document))
    done = []
    for name, label in steps:
        span = next(s for s in spans.spans(ws, document) if s.id == sqlite_scene[name].id)
        changes = span_edits.relabel_span(ws, span.id, label)
        done.append(changes)
        assert check(ws) == []
    for changes in reversed(done):
        applying.apply(ws, changes.inverse(), "undo")
    assert (
        spans.spans(ws, document),
        sorted(spans.relations(ws, document), key=lambda r: r.id),
    ) == (
        before[0],
        sorted(before[1], key=lambda r: r.id),
    )
