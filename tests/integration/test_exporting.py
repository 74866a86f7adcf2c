"""Exporting from a real SQLite database and importing the export elsewhere loses nothing."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import GlossaError
from app.core.records import DocumentRecord
from app.formats import FORMATS, jsonl
from app.services import Workspace
from app.services import documents as documents_service
from app.services import entities as entities_service
from app.services import spans as spans_service
from app.services.checking import check
from app.services.exporting import export
from app.services.importing import import_paths
from tests.conftest import BUNDLED_SAMPLES
from tests.unit.formats.strategies import documents

Content = list[tuple[str, list[tuple[Any, ...]], list[tuple[Any, ...]]]]


def content(workspace: Workspace) -> Content:
    """Every document's text, spans and relations, free of database ids."""
    result: Content = []
    for summary in documents_service.documents(workspace):
        text = documents_service.document(workspace, summary.id).text
        spans = spans_service.spans(workspace, summary.id)
        key = {
            s.id: (s.start, s.end, s.label, text[s.start : s.end], s.annotator, s.origin.value)
            for s in spans
        }
        relations = [
            (key[r.head], key[r.tail], r.label, r.annotator)
            for r in spans_service.relations(workspace, summary.id)
        ]
        described = [(*key[s.id], json.dumps(s.attributes, sort_keys=True)) for s in spans]
        result.append((text, sorted(described), sorted(relations)))
    return result


def expected(records: list[DocumentRecord]) -> Content:
    result: Content = []
    for record in records:
        key = {s.id: (s.start, s.end, s.label, s.text, s.annotator, s.origin) for s in record.spans}
        described = [(*key[s.id], json.dumps(s.attributes, sort_keys=True)) for s in record.spans]
        relations = [(key[r.head], key[r.tail], r.label, r.annotator) for r in record.relations]
        result.append((record.text, sorted(described), sorted(relations)))
    return result


def metas(workspace: Workspace) -> list[dict[str, Any]]:
    """Each document's metadata, less the status the export adds for readers."""
    found = []
    for summary in documents_service.documents(workspace):
        meta = dict(documents_service.document(workspace, summary.id).meta)
        meta.pop("status", None)
        found.append(meta)
    return found


ENTITY_NAMES = ("Rana Khoury", "Kestrel Marine", "Vell estuary", "Zoë Lindqvist")


def link_some_mentions(workspace: Workspace, data: st.DataObject) -> None:
    """Link a drawn share of PERSON, ORG and LOC spans to entities shared across documents."""
    made: dict[tuple[str, str], int] = {}
    for summary in documents_service.documents(workspace):
        for span in spans_service.spans(workspace, summary.id):
            if span.label not in ("PERSON", "ORG", "LOC") or not data.draw(st.booleans()):
                continue
            key = (data.draw(st.sampled_from(ENTITY_NAMES)), span.label)
            if key not in made:
                made[key] = entities_service.create_entity(
                    workspace, key[0], key[1], external_id="Q42"
                ).id
            entities_service.link_span(workspace, span.id, made[key])


def entity_links(workspace: Workspace) -> list[tuple[Any, ...]]:
    """Every span's entity by what it is (name, type, aliases, external id), not by id."""
    entities = {e.id: e for e in entities_service.entities(workspace)}
    links = []
    for number, summary in enumerate(documents_service.documents(workspace)):
        for span in spans_service.spans(workspace, summary.id):
            entity = entities.get(span.entity) if span.entity is not None else None
            described = (
                None
                if entity is None
                else (entity.name, entity.type, sorted(entity.aliases), entity.external_id)
            )
            links.append((number, span.start, span.end, span.label, span.annotator, described))
    return sorted(links, key=repr)


def open_empty(folder: Path) -> Workspace:
    return Workspace.open(str(folder / "glossa.db"), "tester", samples=False)


unique_documents = st.lists(documents(), min_size=1, max_size=4, unique_by=lambda r: r.text)


@settings(max_examples=25, deadline=None)
@given(records=unique_documents, data=st.data())
def test_round_trip_through_two_databases(
    records: list[DocumentRecord], data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("round-trip")
    source = folder / "source.jsonl"
    buffer = io.StringIO()
    jsonl.write(records, buffer)
    source.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    first, second = open_empty(folder / "one"), open_empty(folder / "two")
    try:
        imported = import_paths(first, [source])
        assert imported.ok, [e.describe() for e in imported.errors]
        assert content(first) == expected(records)
        link_some_mentions(first, data)

        assert export(first, "jsonl", folder / "export.jsonl").documents == len(records)
        again = import_paths(second, [folder / "export.jsonl"])

        assert again.ok, [e.describe() for e in again.errors]
        assert content(second) == content(first)
        assert entity_links(second) == entity_links(first)
        assert [s.title for s in documents_service.documents(second)] == [
            s.title for s in documents_service.documents(first)
        ]
        assert metas(second) == metas(first) == [{**r.meta, "title": r.title} for r in records]
        assert check(second) == []
    finally:
        first.close()
        second.close()


def test_export_states_titles_and_statuses(workspace: Workspace, tmp_path: Path) -> None:
    import_paths(workspace, [BUNDLED_SAMPLES])
    out = tmp_path / "deep" / "folder" / "all.jsonl"

    assert export(workspace, "jsonl", out).documents == 3

    lines = out.read_bytes().split(b"\n")
    assert lines[-1] == b""
    rows = [json.loads(raw) for raw in lines[:-1]]
    assert [row["meta"]["title"] for row in rows] == [
        s.title for s in documents_service.documents(workspace)
    ]
    assert {row["meta"]["status"] for row in rows} == {"new"}
    assert all("\r" not in row["text"] for row in rows)
    assert not list(out.parent.glob(".all.jsonl.*")), "no temporary file left behind"


def test_export_to_an_unknown_format_names_the_known_ones(
    workspace: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(GlossaError, match=r"cannot export 'txt' \(it exports: .*jsonl"):
        export(workspace, "txt", tmp_path / "out.txt")
    assert not (tmp_path / "out.txt").exists()


def test_a_failed_export_leaves_the_old_file(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_paths(workspace, [BUNDLED_SAMPLES])
    out = tmp_path / "out.jsonl"
    out.write_text("previous export\n", encoding="utf-8")

    def broken(records: Any, path: Path) -> Any:
        path.write_text("half a line", encoding="utf-8")
        raise OSError("disk full")

    native = FORMATS["jsonl"]
    monkeypatch.setitem(FORMATS, "jsonl", dataclasses.replace(native, export=broken))

    with pytest.raises(OSError, match="disk full"):
        export(workspace, "jsonl", out)

    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert not list(tmp_path.glob(".out.jsonl.*"))
