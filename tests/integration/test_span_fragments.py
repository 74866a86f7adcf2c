"""Discontinuous spans in the database: imported, stored, read, edited and exported with
their fragments, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.core.errors import GlossaError, SpanError
from app.core.records import DocumentRecord
from app.formats import FORMATS, jsonl
from app.services import Workspace, documents, span_edits
from app.services import spans as spans_service
from app.services.checking import check
from app.services.exporting import export
from app.services.importing import import_paths
from tests.unit.formats.strategies import documents_with_fragments

TEXT = "😀 “We stay,” she said, “and we fight.” The council agreed.\n"
FIRST = (TEXT.index("“We"), TEXT.index(" she"))
SECOND = (TEXT.index("“and"), TEXT.index(" The"))
COUNCIL = (TEXT.index("council"), TEXT.index(" agreed"))


@pytest.fixture
def ws(database_url: str, tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "tester", samples=False)
    source = tmp_path / "quotes.jsonl"
    span = {
        "id": "q",
        "start": FIRST[0],
        "end": SECOND[1],
        "label": "QUOTE",
        "fragments": [list(FIRST), list(SECOND)],
    }
    whole = {"id": "p", "start": COUNCIL[0], "end": COUNCIL[1], "label": "ORG"}
    line = {"id": "d", "text": TEXT, "spans": [span, whole]}
    source.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    report = import_paths(workspace, [source])
    assert report.ok, [e.describe() for e in report.errors]
    yield workspace
    workspace.close()


def test_imported_fragments_are_stored_and_read_back(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    quote, org = spans_service.spans(ws, document)
    assert (quote.start, quote.end, quote.fragments) == (FIRST[0], SECOND[1], (FIRST, SECOND))
    assert org.fragments == ()
    assert check(ws) == []


def test_check_names_a_span_whose_stored_fragments_are_wrong(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    quote = spans_service.spans(ws, document)[0]
    with ws.database.engine.begin() as connection:
        connection.execute(
            text("UPDATE spans SET fragments = '[[2, 3]]' WHERE id = :id"), {"id": quote.id}
        )
    (problem,) = check(ws)
    assert problem.startswith(f"document {document} ")
    assert f", span {quote.id} QUOTE " in problem
    assert problem.endswith("fragments: a discontinuous span needs at least two fragments")


def test_export_writes_the_fragments_again(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    export(ws, "jsonl", out)
    (line,) = [json.loads(raw) for raw in out.read_text(encoding="utf-8").splitlines()]
    quote = next(span for span in line["spans"] if span["label"] == "QUOTE")
    assert quote["fragments"] == [list(FIRST), list(SECOND)]
    assert (quote["start"], quote["end"]) == (FIRST[0], SECOND[1])
    assert quote["text"] == TEXT[FIRST[0] : SECOND[1]]


def test_moving_a_fragmented_span_keeps_its_inner_pieces(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    quote = spans_service.spans(ws, document)[0]
    moved = span_edits.move_span(ws, quote.id, quote.start + 1, quote.end - 1).changed[0]
    assert moved.fragments == ((FIRST[0] + 1, FIRST[1]), (SECOND[0], SECOND[1] - 1))
    assert spans_service.spans(ws, document)[0] == moved


def test_adding_a_fragment_joins_pieces_and_refuses_what_adds_nothing(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    quote, org = spans_service.spans(ws, document)
    with pytest.raises(SpanError, match="already covers"):
        span_edits.add_fragment(ws, quote.id, FIRST[0] + 1, FIRST[1] - 1)
    with pytest.raises(SpanError, match="outside the text"):
        span_edits.add_fragment(ws, quote.id, 0, len(TEXT) + 5)
    # the gap filled: one piece again
    (whole,) = span_edits.add_fragment(ws, quote.id, FIRST[1], SECOND[0]).changed
    assert (whole.start, whole.end, whole.fragments) == (FIRST[0], SECOND[1], ())
    (grown,) = span_edits.add_fragment(ws, org.id, 0, 1).changed
    assert grown.fragments == ((0, 1), COUNCIL)
    assert spans_service.spans(ws, document)[0] == grown


@pytest.mark.parametrize(
    "name", ["jsonl", "brat", "doccano", "labelstudio", "prodigy", "csv", "spacy"]
)
def test_an_export_imported_again_gives_the_discontinuous_span_back(
    ws: Workspace, tmp_path: Path, name: str
) -> None:
    fmt = FORMATS[name]
    out = tmp_path / ("out" if fmt.folder else f"out{fmt.suffixes[0]}")
    export(ws, name, out)
    again = Workspace.open(str(tmp_path / "again.db"), "tester", samples=False)
    try:
        report = import_paths(again, [out], format_name=name)
        assert report.ok, [e.describe() for e in report.errors]
        document = documents.documents(again)[0].id
        quote = next(s for s in spans_service.spans(again, document) if s.label == "QUOTE")
        assert (quote.start, quote.end, quote.fragments) == (FIRST[0], SECOND[1], (FIRST, SECOND))
        assert not [r for r in spans_service.relations(again, document) if r.label == "fragment"]
    finally:
        again.close()


def test_a_layer_imported_as_another_annotator_keeps_spans_that_differ_only_in_fragments(
    ws: Workspace, tmp_path: Path
) -> None:
    spans = [
        {"id": "whole", "start": FIRST[0], "end": SECOND[1], "label": "QUOTE"},
        {
            "id": "cut",
            "start": FIRST[0],
            "end": SECOND[1],
            "label": "QUOTE",
            "fragments": [list(FIRST), list(SECOND)],
        },
    ]
    layer = tmp_path / "bea.jsonl"
    layer.write_text(json.dumps({"text": TEXT, "spans": spans}, ensure_ascii=False) + "\n")
    report = import_paths(ws, [layer], as_annotator="bea")
    assert report.ok, [e.describe() for e in report.errors]
    document = documents.documents(ws)[0].id
    theirs = [
        s
        for s in spans_service.spans(Workspace(ws.database, "bea"), document)
        if s.annotator == "bea"
    ]
    assert sorted(s.fragments for s in theirs) == [(), (FIRST, SECOND)]


@settings(max_examples=15, deadline=None)
@given(
    records=st.lists(documents_with_fragments(), min_size=1, max_size=3, unique_by=lambda r: r.text)
)
def test_documents_with_fragments_come_out_of_the_database_as_they_went_in(
    records: list[DocumentRecord], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("fragments")
    source = folder / "in.jsonl"
    buffer = io.StringIO()
    jsonl.write(records, buffer)
    source.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    workspace = Workspace.open(str(folder / "glossa.db"), "tester", samples=False)
    try:
        assert import_paths(workspace, [source]).ok
        out = folder / "out.jsonl"
        export(workspace, "jsonl", out)
        exported = list(jsonl.read(out))
    finally:
        workspace.close()
    cuts = sorted((r.text, s.start, s.end, s.label, s.fragments) for r in records for s in r.spans)
    back = sorted((r.text, s.start, s.end, s.label, s.fragments) for r in exported for s in r.spans)
    assert back == cuts


def _manifest(out: Path) -> dict:
    return json.loads(out.with_name(f"{out.name}.manifest.json").read_text(encoding="utf-8"))


def test_the_user_picks_pieces_or_the_covering_range_and_the_manifest_says_which(
    ws: Workspace, tmp_path: Path
) -> None:
    pieces, cover = tmp_path / "pieces.jsonl", tmp_path / "cover.jsonl"
    export(ws, "doccano", pieces)
    report = export(ws, "doccano", cover, fragments="cover")

    def quotes(out: Path) -> list[tuple[int, int]]:
        (line,) = [json.loads(raw) for raw in out.read_text(encoding="utf-8").splitlines()]
        return (
            sorted((s, e) for s, e, label in line["label"] if label == "QUOTE")
            if ("label" in line)
            else sorted(
                (entity["start_offset"], entity["end_offset"])
                for entity in line["entities"]
                if entity["label"] == "QUOTE"
            )
        )

    assert quotes(pieces) == [FIRST, SECOND]
    assert quotes(cover) == [(FIRST[0], SECOND[1])]
    assert _manifest(pieces)["discontinuous_spans"]["written_as"] == "pieces"
    assert _manifest(cover)["discontinuous_spans"] == {"written_as": "covering range", "covered": 1}
    assert any("covering range" in warning.message for warning in report.warnings)


def test_an_unknown_way_to_write_fragments_is_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(GlossaError, match="discontinuous"):
        export(ws, "conll", tmp_path / "out.conll", fragments="glue")
    assert not (tmp_path / "out.conll").exists()
