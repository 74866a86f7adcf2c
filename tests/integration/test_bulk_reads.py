"""The reads of an export give what the per-document reads give, on both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.core.annotations import Status
from app.core.records import RelationRecord, SpanRecord
from app.services import Workspace, entities, spans
from app.services import documents as documents_service
from app.services.importing import import_paths
from app.store.repositories import BulkReads

FERRY = "Zoë 👩‍🚀 Ås said\r\n“We sail at dawn.” 🚢"


def at(words: str) -> dict[str, int]:
    """Offsets of ``words`` in the ferry article as written (before \r\n becomes \n)."""
    start = FERRY.index(words)
    return {"start": start, "end": start + len(words)}


ARTICLES: list[dict[str, Any]] = [
    {
        "text": FERRY,
        "meta": {"title": "Ferry “news”", "source": {"desk": "Bergen", "tags": ["sea", "ø"]}},
        "spans": [
            {"id": "p", **at("Zoë"), "label": "PERSON", "annotator": "alice"},
            {"id": "n", **at("Zoë 👩‍🚀 Ås"), "label": "PERSON", "annotator": "bob"},
            {
                "id": "q",
                **at("“We sail at dawn.”"),
                "label": "QUOTE",
                "annotator": "alice",
                "attributes": {"kind": "direct", "note": "“checked”", "weight": 0.5},
            },
            {"id": "c", **at("said"), "label": "CUE", "annotator": "model", "origin": "suggested"},
        ],
        "relations": [
            {"id": "r1", "head": "q", "tail": "p", "label": "speaker", "annotator": "alice"},
            {"id": "r2", "head": "q", "tail": "c", "label": "cue", "annotator": "alice"},
        ],
    },
    {"text": "A quiet day.", "meta": {"title": "Nothing"}},
    {
        "text": "Acme Shipping hired Tor Ås in Halden.",
        "spans": [
            {"id": "o", "start": 0, "end": 13, "label": "ORG", "annotator": "bob"},
            {"id": "l", "start": 30, "end": 36, "label": "LOC", "annotator": "bob"},
        ],
    },
]


@pytest.fixture
def project(database_url: str, tmp_path: Path) -> Iterator[Workspace]:
    """The three articles, then 600 more (two batches of reads), with reviews and an entity."""
    workspace = Workspace.open(database_url, "tester", samples=False)
    more = [
        {
            "text": f"Article {n}: Tor Ås spoke.",
            "spans": [
                {"start": 12 + len(str(n)), "end": 18 + len(str(n)), "label": "PERSON"},
                {"start": 0, "end": 7, "label": "ORG", "attributes": {"n": n}},
            ],
        }
        for n in range(600)
    ]
    source = tmp_path / "articles.jsonl"
    lines = [json.dumps(a, ensure_ascii=False) + "\n" for a in [*ARTICLES, *more]]
    source.write_text("".join(lines), encoding="utf-8")
    assert import_paths(workspace, [source]).ok
    first = documents_service.documents(workspace)[0].id
    documents_service.set_status(workspace, first, Status.DONE)
    quote = next(s for s in spans.spans(workspace, first) if s.label == "QUOTE")
    person = next(
        s for s in spans.spans(workspace, first) if s.annotator == "alice" and s is not quote
    )
    entity = entities.create_entity(workspace, "Zoë Ås", "PERSON")
    entities.link_span(workspace, person.id, entity.id)
    with workspace.database.unit_of_work() as uow:
        uow.session.execute(text(f"UPDATE spans SET review = 'accepted' WHERE id = {quote.id}"))
        uow.session.execute(text("UPDATE spans SET review = 'rejected' WHERE label = 'ORG'"))
        uow.commit()
    yield workspace
    workspace.close()


def reviews(workspace: Workspace) -> dict[str, str]:
    with workspace.database.unit_of_work() as uow:
        rows = uow.session.execute(text("SELECT id, review FROM spans"))
        return {str(i): str(state) for i, state in rows}


def test_span_records_match_the_spans_of_each_document(project: Workspace) -> None:
    ids = [summary.id for summary in documents_service.documents(project)]
    with project.database.unit_of_work() as uow:
        bulk = BulkReads(uow.session)
        documents = bulk.documents(ids)
        records, states = bulk.span_records(documents, reviews=True)
        plain, none = bulk.span_records(documents)
    assert plain == records
    assert none == {}
    assert set(records) == set(ids)
    for document in documents:
        want = [
            SpanRecord(
                id=str(s.id),
                start=s.start,
                end=s.end,
                label=s.label,
                text=document.text[s.start : s.end],
                annotator=s.annotator,
                origin=s.origin.value,
                attributes=s.attributes,
                entity="" if s.entity is None else str(s.entity),
            )
            for s in sorted(spans.spans(project, document.id), key=lambda s: (s.start, s.id))
        ]
        assert records[document.id] == want
    assert states == reviews(project)
    assert sorted(states.values()).count("accepted") == 1
    assert list(states.values()).count("rejected") == 601


def test_the_unusual_spans_come_through_whole(project: Workspace) -> None:
    first = documents_service.documents(project)[0].id
    with project.database.unit_of_work() as uow:
        bulk = BulkReads(uow.session)
        [document] = bulk.documents([first])
        records = bulk.span_records([document])[0][first]
    assert document.text == "Zoë 👩‍🚀 Ås said\n“We sail at dawn.” 🚢"
    assert [(r.start, r.end, r.label, r.text, r.annotator) for r in records] == [
        (0, 3, "PERSON", "Zoë", "alice"),
        (0, 10, "PERSON", "Zoë 👩‍🚀 Ås", "bob"),
        (11, 15, "CUE", "said", "model"),
        (16, 34, "QUOTE", "“We sail at dawn.”", "alice"),
    ]
    quote = records[3]
    assert quote.attributes == {"kind": "direct", "note": "“checked”", "weight": 0.5}
    assert records[2].origin == "suggested"
    assert records[0].entity != "" and records[1].entity == ""
    assert all(r.attributes == {} for r in records if r is not quote)
    # each record owns its attributes: changing one leaves every other alone
    records[0].attributes["x"] = 1
    assert records[1].attributes == {}


def test_documents_come_in_the_order_asked_and_missing_ids_are_skipped(
    project: Workspace,
) -> None:
    ids = [summary.id for summary in documents_service.documents(project)]
    asked = [ids[2], 10**9, ids[0], ids[1]]
    with project.database.unit_of_work() as uow:
        documents = BulkReads(uow.session).documents(asked)
    assert [d.id for d in documents] == [ids[2], ids[0], ids[1]]
    for document in documents:
        stored = documents_service.document(project, document.id)
        assert (document.title, document.text, document.sha256) == (
            stored.title,
            stored.text,
            stored.sha256,
        )
        assert document.meta == stored.meta
    assert documents[1].meta["source"] == {"desk": "Bergen", "tags": ["sea", "ø"]}


def test_relation_records_match_the_relations_of_each_document(project: Workspace) -> None:
    ids = [summary.id for summary in documents_service.documents(project)]
    with project.database.unit_of_work() as uow:
        found = BulkReads(uow.session).relation_records(ids)
    assert set(found) == set(ids)
    for i in ids:
        want = [
            RelationRecord(str(r.id), str(r.head), str(r.tail), r.label, r.annotator)
            for r in sorted(spans.relations(project, i), key=lambda r: r.id)
        ]
        assert found[i] == want
    assert [r.label for r in found[ids[0]]] == ["speaker", "cue"]


def test_statuses_in_list_order_with_new_for_untouched_documents(project: Workspace) -> None:
    ids = [summary.id for summary in documents_service.documents(project)]
    with project.database.unit_of_work() as uow:
        bulk = BulkReads(uow.session)
        mine = bulk.statuses(project.project_id, project.annotator_id)
        nobody = bulk.statuses(project.project_id, None)
    assert [i for i, _ in mine] == ids
    assert mine[0] == (ids[0], Status.DONE)
    assert {s for _, s in mine[1:]} == {Status.NEW}
    assert {s for _, s in nobody} == {Status.NEW}
