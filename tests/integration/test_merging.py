"""Merging a colleague's database or JSONL export: matched by text, nothing local changes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import update

from app.core.annotations import Status
from app.core.errors import InputError
from app.services import Workspace, entities
from app.services import documents as documents_service
from app.services import relations as relations_service
from app.services import spans as spans_service
from app.services.importing import import_paths
from app.services.merging import merge_database, merge_jsonl, merge_path
from app.store.orm import SpanRow
from tests.conftest import TEST_DATABASE_URL, empty_postgres

BRIDGE = "Maria Lopez said the bridge would reopen in May.\nThe council agreed."
WEATHER = "Rain is expected in Lyon on Sunday."
MUSEUM = "A new museum opens in Porto next week."


def write_jsonl(path: Path, documents: list[dict[str, Any]]) -> Path:
    """A native JSONL file of ``{"text", "meta", "spans", "relations"}`` documents."""
    lines = [json.dumps({"id": str(n), **d}, ensure_ascii=False) for n, d in enumerate(documents)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def add_documents(workspace: Workspace, folder: Path, titled: dict[str, str]) -> dict[str, int]:
    """Import texts under titles; the document id of each title."""
    folder.mkdir(parents=True, exist_ok=True)
    source = write_jsonl(
        folder / "articles.jsonl", [{"text": t, "meta": {"title": k}} for k, t in titled.items()]
    )
    report = import_paths(workspace, [source])
    assert report.ok, report.errors
    return {s.title: s.id for s in documents_service.documents(workspace)}


def colleague_database(folder: Path, name: str = "bob") -> Path:
    """A colleague's own database: the bridge and weather articles under other titles, a
    museum article we lack, spans, a speaker relation, an entity link, a review, a status."""
    path = folder / f"{name}.db"
    other = Workspace.open(str(path), name, samples=False)
    try:
        ids = add_documents(
            other,
            folder / f"{name}-files",
            {"Bridge (colleague's copy)": BRIDGE, "Rain in Lyon": WEATHER, "Museum": MUSEUM},
        )
        bridge = ids["Bridge (colleague's copy)"]
        person = spans_service.add_span(other, bridge, 0, 11, "PERSON").added[0]
        quote = spans_service.add_span(
            other, bridge, 17, 48, "QUOTE", attributes={"kind": "indirect"}
        ).added[0]
        relations_service.add_relation(other, quote.id, person.id, "speaker")
        maria = entities.create_entity(other, "Maria Lopez", "PERSON")
        entities.link_span(other, person.id, maria.id)
        spans_service.add_span(other, ids["Rain in Lyon"], 20, 24, "LOC")
        spans_service.add_span(other, ids["Museum"], 22, 27, "LOC")
        documents_service.set_status(other, bridge, Status.DONE)
        with other.database.unit_of_work() as uow:
            uow.session.execute(
                update(SpanRow).where(SpanRow.id == quote.id).values(review="accepted")
            )
            uow.commit()
    finally:
        other.close()
    return path


def snapshot(workspace: Workspace, annotator: str) -> dict[str, Any]:
    """Everything of one annotator: spans, relations and statuses of every document."""
    found: dict[str, Any] = {}
    for summary in documents_service.documents(workspace):
        spans = [s for s in spans_service.spans(workspace, summary.id) if s.annotator == annotator]
        relations = [
            r for r in spans_service.relations(workspace, summary.id) if r.annotator == annotator
        ]
        found[summary.title] = (spans, relations, summary.status)
    return found


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def local(database_url: str, tmp_path: Path) -> Workspace:
    """Our own workspace: the bridge and weather articles, one span and one entity of ours."""
    workspace = Workspace.open(database_url, "tester", samples=False)
    ids = add_documents(workspace, tmp_path / "ours", {"Bridge": BRIDGE, "Weather": WEATHER})
    spans_service.add_span(workspace, ids["Bridge"], 0, 11, "PERSON")
    entities.create_entity(workspace, "Maria Lopez", "PERSON")
    yield workspace
    workspace.close()


def test_merge_database_matches_by_text_and_keeps_local_work(
    local: Workspace, tmp_path: Path
) -> None:
    source = colleague_database(tmp_path / "colleague")
    before = snapshot(local, "tester")

    report = merge_database(local, source)

    assert (report.documents_matched, report.documents_added, report.documents_skipped) == (
        2,
        1,
        0,
    )
    assert report.spans == {"bob": 4} and report.relations == {"bob": 1}
    assert report.problems == []
    assert snapshot(local, "tester") == {**before, "Museum": ([], [], Status.NEW)}
    ids = {s.title: s.id for s in documents_service.documents(local)}
    assert set(ids) == {"Bridge", "Weather", "Museum"}  # our titles stay, theirs only if new
    bob = [s for s in spans_service.spans(local, ids["Bridge"]) if s.annotator == "bob"]
    assert [(s.start, s.end, s.label) for s in bob] == [(0, 11, "PERSON"), (17, 48, "QUOTE")]
    assert bob[1].attributes == {"kind": "indirect"}
    [relation] = [r for r in spans_service.relations(local, ids["Bridge"]) if r.annotator == "bob"]
    assert (relation.head, relation.tail, relation.label) == (bob[1].id, bob[0].id, "speaker")
    [maria] = entities.entities(local, "PERSON")  # matched by name and type, not made twice
    assert bob[0].entity == maria.id
    with local.database.unit_of_work() as uow:
        reviews = dict(
            uow.session.execute(
                SpanRow.__table__.select()
                .with_only_columns(SpanRow.id, SpanRow.review)
                .where(SpanRow.id.in_([s.id for s in bob]))
            ).all()
        )
        bob_id = uow.annotators.id_of("bob")
        assert uow.documents.status(ids["Bridge"], bob_id) is Status.DONE
    assert reviews == {bob[0].id: "unreviewed", bob[1].id: "accepted"}


def test_merging_again_adds_nothing(local: Workspace, tmp_path: Path) -> None:
    source = colleague_database(tmp_path / "colleague")
    merge_database(local, source)
    after_first = snapshot(local, "bob")

    again = merge_database(local, source)

    assert sum(again.spans.values()) == 0 and sum(again.relations.values()) == 0
    assert again.documents_added == 0 and again.documents_matched == 3
    assert again.already_present == 5  # four spans, one relation
    assert snapshot(local, "bob") == after_first


def test_the_source_file_is_never_written(local: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "colleague"
    source = colleague_database(folder)
    files_before = sorted(p.name for p in folder.iterdir())
    digest = file_digest(source)

    merge_database(local, source)

    assert file_digest(source) == digest
    assert sorted(p.name for p in folder.iterdir()) == files_before


def test_documents_we_lack_can_be_skipped(local: Workspace, tmp_path: Path) -> None:
    report = merge_database(local, colleague_database(tmp_path / "c"), documents="skip")

    assert (report.documents_matched, report.documents_added, report.documents_skipped) == (
        2,
        0,
        1,
    )
    assert {s.title for s in documents_service.documents(local)} == {"Bridge", "Weather"}
    assert report.spans == {"bob": 3}


def test_work_under_our_own_name_is_refused_unless_renamed(
    local: Workspace, tmp_path: Path
) -> None:
    source = colleague_database(tmp_path / "laptop", name="tester")
    before = snapshot(local, "tester")

    with pytest.raises(InputError, match=r"'tester'.*your own.*--as NAME") as refused:
        merge_database(local, source)
    assert str(source) in str(refused.value)
    assert snapshot(local, "tester") == before

    report = merge_database(local, source, as_annotator="tester-laptop")
    assert report.spans == {"tester-laptop": 4}
    assert snapshot(local, "tester") == {**before, "Museum": ([], [], Status.NEW)}


def test_merging_as_our_own_name_is_refused(local: Workspace, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="own annotator name"):
        merge_database(local, colleague_database(tmp_path / "c"), as_annotator="tester")


def test_jsonl_without_annotators_needs_a_name(local: Workspace, tmp_path: Path) -> None:
    export = write_jsonl(
        tmp_path / "carol.jsonl",
        [
            {
                "text": WEATHER,
                "meta": {"title": "Lyon weather"},
                "spans": [{"id": "1", "start": 20, "end": 24, "label": "LOC"}],
            },
            {"text": MUSEUM, "spans": [{"id": "1", "start": 22, "end": 27, "label": "LOC"}]},
        ],
    )
    before = snapshot(local, "tester")
    count = len(documents_service.documents(local))

    with pytest.raises(InputError, match="--as NAME") as refused:
        merge_jsonl(local, export)
    assert str(export) in str(refused.value)
    assert len(documents_service.documents(local)) == count

    report = merge_path(local, export, as_annotator="carol")
    assert report.spans == {"carol": 2}
    assert (report.documents_matched, report.documents_added) == (1, 1)
    weather = next(s.id for s in documents_service.documents(local) if s.title == "Weather")
    assert [(s.start, s.label, s.annotator) for s in spans_service.spans(local, weather)] == [
        (20, "LOC", "carol")
    ]
    assert snapshot(local, "tester") == {
        **before,
        "A new museum opens in Porto next week.": ([], [], Status.NEW),
    }


def test_jsonl_spans_keep_their_annotators(local: Workspace, tmp_path: Path) -> None:
    export = write_jsonl(
        tmp_path / "team.jsonl",
        [
            {
                "text": WEATHER,
                "spans": [
                    {"id": "a", "start": 20, "end": 24, "label": "LOC", "annotator": "dan"},
                    {"id": "b", "start": 20, "end": 24, "label": "LOC", "annotator": "eve"},
                ],
            }
        ],
    )

    report = merge_jsonl(local, [export])

    assert report.spans == {"dan": 1, "eve": 1}


def test_a_broken_source_changes_nothing(local: Workspace, tmp_path: Path) -> None:
    before = snapshot(local, "tester")
    garbage = tmp_path / "notes.db"
    garbage.write_bytes(b"these are not the droids" * 100)
    with pytest.raises(InputError, match="not a Glossa database") as refused:
        merge_database(local, garbage)
    assert str(garbage) in str(refused.value)

    half_good = write_jsonl(
        tmp_path / "half.jsonl",
        [{"text": MUSEUM, "spans": [{"id": "1", "start": 22, "end": 27, "label": "LOC"}]}],
    )
    with half_good.open("a", encoding="utf-8") as out:
        out.write('{"text": "cut short\n')
    with pytest.raises(InputError, match=r"half\.jsonl:2"):
        merge_jsonl(local, half_good, as_annotator="carol")

    with pytest.raises(InputError, match="no such file"):
        merge_database(local, tmp_path / "missing.db")
    assert snapshot(local, "tester") == before
    assert {s.title for s in documents_service.documents(local)} == {"Bridge", "Weather"}


def test_labels_outside_our_schema_are_left_out_and_listed(
    local: Workspace, tmp_path: Path
) -> None:
    export = write_jsonl(
        tmp_path / "odd.jsonl",
        [
            {
                "text": WEATHER,
                "spans": [
                    {"id": "1", "start": 20, "end": 24, "label": "CITY", "annotator": "dan"},
                    {"id": "2", "start": 0, "end": 4, "label": "CLAIM", "annotator": "dan"},
                    {"id": "3", "start": 5, "end": 7, "label": "LOC", "annotator": "dan"},
                ],
                "relations": [
                    {"id": "r1", "head": "2", "tail": "1", "label": "claimant"},
                    {"id": "r2", "head": "2", "tail": "3", "label": "claimant"},
                ],
            }
        ],
    )

    report = merge_jsonl(local, export)

    assert report.spans == {"dan": 2} and sum(report.relations.values()) == 0
    assert [p.split(": ", 1)[1] for p in report.problems] == [
        "span 1: label 'CITY' is not in the schema",
        "relation r1: one of its spans was left out",
        "relation r2: a claimant joins CLAIM to PERSON/ORG, not CLAIM to LOC",
    ]


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL: GLOSSA_TEST_DATABASE_URL is not set")
def test_a_team_server_database_merges_into_a_file(workspace: Workspace, tmp_path: Path) -> None:
    empty_postgres(TEST_DATABASE_URL)
    team = Workspace.open(TEST_DATABASE_URL, "bob", samples=False)
    try:
        ids = add_documents(team, tmp_path / "team", {"Rain": WEATHER})
        spans_service.add_span(team, ids["Rain"], 20, 24, "LOC")
    finally:
        team.close()

    report = merge_database(workspace, TEST_DATABASE_URL)

    assert report.spans == {"bob": 1} and report.documents_added == 1
    password = urlsplit(TEST_DATABASE_URL).password
    assert f":{password}@" not in report.source
    [document] = documents_service.documents(workspace)
    assert [(s.start, s.end, s.annotator) for s in spans_service.spans(workspace, document.id)] == [
        (20, 24, "bob")
    ]
