"""Cross-document entities through the Workspace, on a real database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text as sql

from app.core.annotations import Span
from app.core.errors import NotFoundError, SpanError
from app.services import Workspace, applying, documents, entities, relations, spans
from app.services.checking import check
from app.services.exporting import export
from app.services.importing import import_paths
from app.services.selection import Split


@pytest.fixture
def ws(database_url: str) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "tester")
    yield workspace
    workspace.close()


def document(ws: Workspace, word: str) -> int:
    return next(s.id for s in documents.documents(ws) if word in s.title.lower())


def tag(ws: Workspace, document_id: int, needle: str, label: str, nth: int = 0) -> Span:
    text = documents.document(ws, document_id).text
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return spans.add_span(ws, document_id, start, start + len(needle), label).added[0]


def stored(ws: Workspace, span: Span) -> Span:
    return next(s for s in spans.spans(ws, span.document_id) if s.id == span.id)


@pytest.fixture
def scene(ws: Workspace) -> dict[str, Any]:
    """Rana Khoury, Yael Levi and a second mention "Khoury" in the festival article."""
    festival = document(ws, "festival")
    return {
        "festival": festival,
        "rana": tag(ws, festival, "Rana Khoury", "PERSON"),
        "khoury": tag(ws, festival, "Khoury told", "PERSON"),
        "levi": tag(ws, festival, "Yael Levi", "PERSON"),
        "quote": tag(ws, festival, '"Music does not ask for a passport,"', "QUOTE"),
        "square": tag(ws, festival, "cathedral square", "LOC"),
    }


def test_link_span_records_the_entity_and_the_alias(ws: Workspace, scene: dict[str, Any]) -> None:
    rana = entities.create_entity(ws, "Rana Khoury", "PERSON")
    changes = entities.link_span(ws, scene["khoury"].id, rana.id)
    assert changes.entities and changes.changed[0].entity == rana.id
    assert stored(ws, scene["khoury"]).entity == rana.id
    assert entities.entity(ws, rana.id).aliases == ("Khoury told",)
    entities.link_span(ws, scene["rana"].id, rana.id)  # the name itself: no new alias
    assert entities.entity(ws, rana.id).aliases == ("Khoury told",)
    assert [span.id for _, span in entities.mentions(ws, rana.id)] == [
        scene["rana"].id,
        scene["khoury"].id,
    ]
    entities.link_span(ws, scene["khoury"].id, None)
    assert stored(ws, scene["khoury"]).entity is None
    assert check(ws) == []


def test_link_refuses_wrong_types(ws: Workspace, scene: dict[str, Any]) -> None:
    person = entities.create_entity(ws, "Rana Khoury", "PERSON")
    place = entities.create_entity(ws, "Cathedral square", "LOC")
    with pytest.raises(SpanError, match="only PERSON, ORG, LOC"):
        entities.link_span(ws, scene["quote"].id, person.id)
    with pytest.raises(SpanError, match="cannot be linked to a PERSON"):
        entities.link_span(ws, scene["square"].id, person.id)
    with pytest.raises(NotFoundError):
        entities.link_span(ws, scene["square"].id, 9999)
    entities.link_span(ws, scene["square"].id, place.id)
    assert stored(ws, scene["square"]).entity == place.id


def test_candidates_rank_the_fuzzy_match_first(ws: Workspace, scene: dict[str, Any]) -> None:
    entities.create_entity(ws, "Maxim Herkin", "PERSON")
    entities.create_entity(ws, "Yael Levi", "PERSON")
    rana = entities.create_entity(ws, "Rana Khoury", "PERSON")
    entities.create_entity(ws, "Khoury Holdings", "ORG")
    khoury = tag(ws, scene["festival"], "Khoury", "PERSON", nth=1)
    ranked = entities.entity_candidates(ws, khoury.id)
    assert ranked[0][0] == rana
    assert [entity.type for entity, _ in ranked] == ["PERSON"] * 3
    assert ranked[0][1] > ranked[1][1]
    assert entities.entity_candidates(ws, scene["quote"].id) == []


def test_merge_and_unmerge_restore_ids(ws: Workspace, scene: dict[str, Any]) -> None:
    rana = entities.create_entity(ws, "Rana Khoury", "PERSON")
    other = entities.create_entity(ws, "R. Khouri", "PERSON", aliases=("Khouri",))
    entities.link_span(ws, scene["rana"].id, rana.id)
    entities.link_span(ws, scene["khoury"].id, other.id)
    before = entities.entity(ws, other.id)
    merge = entities.merge_entities(ws, rana.id, other.id)
    assert [span.id for span in merge.changed] == [scene["khoury"].id]
    assert stored(ws, scene["khoury"]).entity == rana.id
    assert {e.id for e in entities.entities(ws)} == {rana.id}
    assert set(entities.entity(ws, rana.id).aliases) >= {"R. Khouri", "Khouri"}
    applying.apply(ws, merge.inverse(), "undo")
    assert entities.entity(ws, other.id) == before
    assert stored(ws, scene["khoury"]).entity == other.id
    assert entities.entity(ws, rana.id).aliases == ()
    with pytest.raises(SpanError):
        entities.merge_entities(ws, rana.id, rana.id)
    assert check(ws) == []


def test_rename_and_mention_counts(ws: Workspace, scene: dict[str, Any]) -> None:
    levi = entities.create_entity(ws, "Yael Levy", "PERSON")
    entities.link_span(ws, scene["levi"].id, levi.id)
    entities.rename_entity(ws, levi.id, "Yael  Levi")
    assert entities.entity(ws, levi.id).name == "Yael Levi"
    assert entities.mention_counts(ws) == {levi.id: 1}
    with pytest.raises(SpanError):
        entities.rename_entity(ws, levi.id, "  ")


def test_quotes_by_follow_the_speaker_relation(ws: Workspace, scene: dict[str, Any]) -> None:
    rana = entities.create_entity(ws, "Rana Khoury", "PERSON")
    entities.link_span(ws, scene["khoury"].id, rana.id)
    relations.add_relation(ws, scene["quote"].id, scene["khoury"].id, "speaker")
    quotes = entities.quotes_by(ws, rana.id)
    assert [(span.id, span.label) for _, span in quotes] == [(scene["quote"].id, "QUOTE")]
    assert "festival" in quotes[0][0].lower()
    assert entities.quotes_by(ws, entities.create_entity(ws, "Nobody", "PERSON").id) == []


def test_deleted_span_comes_back_linked(ws: Workspace, scene: dict[str, Any]) -> None:
    rana = entities.create_entity(ws, "Rana Khoury", "PERSON")
    entities.link_span(ws, scene["rana"].id, rana.id)
    changes = spans.delete_span(ws, scene["rana"].id)
    applying.apply(ws, changes.inverse(), "undo")
    assert stored(ws, scene["rana"]).entity == rana.id


def test_check_reports_bad_links(ws: Workspace, scene: dict[str, Any]) -> None:
    place = entities.create_entity(ws, "Cathedral square", "LOC")
    entities.link_span(ws, scene["square"].id, place.id)
    with ws.database.session() as session:
        session.execute(
            sql("UPDATE spans SET label = 'ORG' WHERE id = :id"), {"id": scene["square"].id}
        )
        session.commit()
    assert any("cannot be linked to a LOC" in problem for problem in check(ws))


def links(ws: Workspace) -> list[tuple[str, int, int, str, str, tuple[str, ...]]]:
    """Every linked span by document text and offsets, with its entity's fields."""
    found = []
    for summary in documents.documents(ws):
        text = documents.document(ws, summary.id).text
        for span in spans.spans(ws, summary.id):
            if span.entity is not None:
                entity = entities.entity(ws, span.entity)
                found.append(
                    (text[:30], span.start, span.end, entity.name, entity.type, entity.aliases)
                )
    return sorted(found)


def test_jsonl_round_trip_restores_every_link(
    ws: Workspace, scene: dict[str, Any], tmp_path: Path
) -> None:
    rana = entities.create_entity(ws, "Rana Khoury", "PERSON", external_id="Q1")
    entities.create_entity(ws, "Unmentioned", "ORG")
    entities.link_span(ws, scene["rana"].id, rana.id)
    entities.link_span(ws, scene["khoury"].id, rana.id)
    dam = document(ws, "dam")
    other = tag(ws, dam, documents.document(ws, dam).text.split()[0], "PERSON")
    entities.link_span(ws, other.id, rana.id)
    out = tmp_path / "data.jsonl"
    export(ws, "jsonl", out)
    table = tmp_path / "data.entities.jsonl"
    assert table.is_file()
    rows = [json.loads(line) for line in table.read_text(encoding="utf-8").splitlines()]
    assert {row["name"] for row in rows} == {"Rana Khoury", "Unmentioned"}
    manifest = json.loads((tmp_path / "data.jsonl.manifest.json").read_text(encoding="utf-8"))
    assert "data.entities.jsonl" in manifest["files"]

    fresh = Workspace.open(str(tmp_path / "fresh.db"), "tester", samples=False)
    try:
        report = import_paths(fresh, [out])
        assert report.ok, report.errors
        assert links(fresh) == links(ws)
        assert len(links(fresh)) == 3
        assert {e.name for e in entities.entities(fresh)} == {"Rana Khoury", "Unmentioned"}
        assert check(fresh) == []
        # the table is not a document, and importing it again reuses the entities
        assert import_paths(fresh, [table]).imported == []
        import_paths(fresh, [out])
        assert len(entities.entities(fresh)) == 2
    finally:
        fresh.close()


def test_split_export_carries_one_entity_table(
    ws: Workspace, scene: dict[str, Any], tmp_path: Path
) -> None:
    rana = entities.create_entity(ws, "Rana Khoury", "PERSON")
    entities.link_span(ws, scene["rana"].id, rana.id)
    out = tmp_path / "split"
    export(ws, "jsonl", out, split=Split.parse("0.5,0.5"))
    assert (out / "entities.jsonl").is_file()
    fresh = Workspace.open(str(tmp_path / "fresh.db"), "tester", samples=False)
    try:
        report = import_paths(fresh, sorted(out.glob("*.jsonl")))
        assert report.ok, report.errors
        assert links(fresh) == links(ws)
    finally:
        fresh.close()
