"""The native JSONL export of a database, byte for byte, against files written by the export
as it stood before it was made faster: nested and discontinuous spans, attributes, relations,
entities, several annotators, reviews, statuses and texts that need escaping.

The golden files are the export's own output, not a description of it: run this module as a
script (``python -m tests.integration.test_export_golden``) only to write them again after
a change of the format itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from app.core.annotations import Status
from app.services import Workspace, spans
from app.services import documents as documents_service
from app.services.exporting import COVER, PIECES, export
from app.services.importing import import_paths
from app.services.review import ReviewActions
from app.services.selection import Layer, Selection

GOLDEN = Path(__file__).parents[1] / "data" / "formats" / "jsonl" / "database"

QUOTE = "\u201cWe will not close the harbour,\u201d Ingrid Dahl said on Tuesday."
ARTICLES: list[dict[str, Any]] = [
    {
        "id": "harbour",
        "text": f"Harbour stays open\n{QUOTE}\nAcme Shipping\u00a0denied it.\tTor Ås agreed.",
        "meta": {"title": "Harbour stays open", "source": "Nordkai Post", "n": 2.5},
        "spans": [
            # a quote holding its speaker and its cue: nested spans
            {"id": "q", "start": 19, "end": 68, "label": "QUOTE", "annotator": "alice",
             "origin": "manual", "attributes": {"kind": "direct"}},
            {"id": "p", "start": 52, "end": 63, "label": "PERSON", "annotator": "alice",
             "origin": "manual", "entity": "1"},
            {"id": "c", "start": 64, "end": 68, "label": "CUE", "annotator": "bob",
             "origin": "suggested"},
            {"id": "o", "start": 81, "end": 94, "label": "ORG", "annotator": "Zoë",
             "entity": "2"},
            {"id": "claim", "start": 81, "end": 104, "label": "CLAIM", "annotator": "bob",
             "attributes": {"check_worthy": True, "note": 'says "no" \\ twice'}},
            {"id": "p2", "start": 106, "end": 112, "label": "PERSON", "annotator": "יעל"},
        ],
        "relations": [
            {"id": "r1", "head": "q", "tail": "p", "label": "speaker", "annotator": "alice"},
            {"id": "r2", "head": "q", "tail": "c", "label": "cue", "annotator": "bob"},
            {"id": "r3", "head": "claim", "tail": "o", "label": "claimant", "annotator": "bob"},
        ],
    },
    {
        "id": 2,
        "text": "\u201cThe port,\u201d he said, \u201cwill stay.\u201d \U0001f600 \u2028ok",
        "meta": {"title": "Broken quote", "tags": ["port", "ø"], "flags": {"a": [None, False]}},
        "spans": [
            # one quote in two pieces around "he said"
            {"id": "1", "start": 0, "end": 33, "label": "QUOTE", "annotator": "alice",
             "fragments": [[0, 11], [21, 33]], "attributes": {"kind": "mixed"}},
            {"id": "2", "start": 15, "end": 19, "label": "CUE", "annotator": "alice"},
            {"id": "3", "start": 34, "end": 35, "label": "CLAIM", "annotator": "gold"},
        ],
        "relations": [{"id": "1", "head": "1", "tail": "2", "label": "cue"}],
    },
    {
        "id": "controls",
        "text": 'Back\\slash "quoted"\x0bvertical\x0cfeed\x85next\x1funit\x7fdel\u2029end',
        "meta": {"title": "Controls \x01 and \\ \"marks\""},
        "spans": [
            {"id": "1", "start": 0, "end": 10, "label": "LOC", "annotator": "bob",
             "attributes": {"note": "tab\there"}},
        ],
    },
    {"id": "empty", "text": "An article nobody tagged.", "meta": {"title": "Untagged"}},
    {
        "id": "tabs",
        "text": "Line one\twith a tab\nLine two \\ ends \"here\"\nHalden",
        "meta": {"title": "Tabs"},
        "spans": [
            {"id": "1", "start": 43, "end": 49, "label": "LOC", "annotator": "gold",
             "entity": "3", "origin": "imported"},
            {"id": "2", "start": 0, "end": 8, "label": "ORG", "annotator": "Zoë"},
        ],
    },
]  # fmt: skip
ENTITIES = [
    {"id": "1", "name": "Ingrid Dahl", "type": "PERSON", "aliases": ["Dahl"], "external_id": ""},
    {"id": "2", "name": "Acme Shipping", "type": "ORG", "aliases": [], "external_id": "Q1"},
    {"id": "3", "name": "Halden", "type": "LOC", "aliases": ["Fredrikshald"], "external_id": ""},
]
EXPORTS = {
    "everything": ({}, PIECES),
    "reviewed": ({"layer": Layer.REVIEWED}, PIECES),
    "alice_covered": ({"annotator": "alice"}, COVER),
}
"""Golden file stem -> (selection, how discontinuous spans are written)."""


def filled(url: str, folder: Path) -> Workspace:
    """A workspace at ``url`` holding the articles, some spans reviewed and statuses set."""
    source = folder / "news.jsonl"
    with source.open("w", encoding="utf-8", newline="\n") as out:
        for article in ARTICLES:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    with (folder / "news.entities.jsonl").open("w", encoding="utf-8", newline="\n") as out:
        for entity in ENTITIES:
            out.write(json.dumps(entity, ensure_ascii=False) + "\n")
    workspace = Workspace.open(url, "alice", samples=False)
    report = import_paths(workspace, [source])
    assert report.ok, [e.describe() for e in report.errors]
    documents = documents_service.documents(workspace)
    documents_service.set_status(workspace, documents[0].id, Status.DONE)
    documents_service.set_status(workspace, documents[1].id, Status.IN_PROGRESS)
    reviewing = ReviewActions(workspace)
    first = spans.spans(workspace, documents[0].id)
    reviewing.accept([span.id for span in first if span.label in ("QUOTE", "PERSON", "CUE")])
    reviewing.reject([span.id for span in first if span.label == "ORG"])
    reviewing.accept([span.id for span in spans.spans(workspace, documents[4].id)])
    return workspace


def written(workspace: Workspace, folder: Path, name: str) -> dict[str, bytes]:
    """The export ``name`` of ``EXPORTS``: the JSONL file and its entity table."""
    options, fragments = EXPORTS[name]
    out = folder / f"{name}.jsonl"
    export(workspace, "jsonl", out, selection=Selection(**options), fragments=fragments)
    table = folder / f"{name}.entities.jsonl"
    return {out.name: out.read_bytes(), table.name: table.read_bytes()}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_the_export_of_a_database_is_the_golden_file(
    database_url: str, tmp_path: Path, name: str
) -> None:
    workspace = filled(database_url, tmp_path)
    try:
        files = written(workspace, tmp_path, name)
    finally:
        workspace.close()

    for file_name, content in files.items():
        assert content == (GOLDEN / file_name).read_bytes(), file_name


def write_golden_files(folder: Path) -> None:
    """Export every case from a new SQLite database into ``GOLDEN``."""
    workspace = filled(f"sqlite:///{folder / 'golden.db'}", folder)
    try:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name in EXPORTS:
            for file_name, content in written(workspace, folder, name).items():
                (GOLDEN / file_name).write_bytes(content)
    finally:
        workspace.close()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        write_golden_files(Path(scratch))
    sys.exit(0)
