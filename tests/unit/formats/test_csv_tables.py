"""CSV tables: exact round trips, the formula escape, the data package, broken folders."""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import csv_tables
from app.formats.csv_tables import neutralise, restore
from app.formats.report import ReadReport
from tests.unit.formats.strategies import documents, texts

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "csv"
FAST = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FORMULA_LEADS = ("", "=", "+", "-", "@", "\t", "\r", "'", "'=", "''-", "'a", "=\r\n")


def _unlocated(record: DocumentRecord) -> DocumentRecord:
    return dataclasses.replace(record, source="", line=None)


formula_texts = st.tuples(
    st.sampled_from([lead for lead in FORMULA_LEADS if "\r" not in lead]), texts
).map("".join)
"""Canonical texts that a spreadsheet would take for formulas (no ``\\r``: texts have none)."""
formula_ids = st.tuples(st.sampled_from(FORMULA_LEADS), st.text(max_size=4)).map("".join)


@st.composite
def exported_documents(draw: st.DrawFn) -> list[DocumentRecord]:
    records = []
    ids = draw(st.lists(formula_ids.filter(bool), min_size=1, max_size=4, unique=True))
    for doc_id in ids:
        record = draw(documents(text=draw(st.one_of(texts, formula_texts))))
        records.append(dataclasses.replace(record, id=doc_id))
    return records


@FAST
@given(exported_documents())
def test_round_trip_is_exact(tmp_path: Path, records: list[DocumentRecord]) -> None:
    folder = tmp_path / "out"
    shutil.rmtree(folder, ignore_errors=True)
    report = csv_tables.export(records, folder)
    assert report.documents == len(records) and report.warnings == []

    back = list(csv_tables.read(folder))

    assert [_unlocated(r) for r in back] == records
    assert all(r.source == str(folder / "documents.csv") for r in back)


@given(st.one_of(st.text(), formula_ids))
def test_restore_undoes_neutralise(cell: str) -> None:
    written = neutralise(cell)
    assert restore(written) == cell
    assert not written.startswith(csv_tables.FORMULA_STARTS)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("'hello", "'hello"),
        ("'", "'"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_get_one_quote(cell: str, written: str) -> None:
    assert neutralise(cell) == written
    assert restore(written) == cell


def test_a_hand_made_quote_is_kept_unless_a_formula_character_follows() -> None:
    assert restore("'hello") == "'hello"
    assert restore("'=x") == "=x"


def sample() -> DocumentRecord:
    text = '=HYPERLINK("x") said Ana.\nLine two, "quoted".'
    return DocumentRecord(
        "-7",
        text,
        meta={"title": "@title", "n": 1},
        spans=(
            SpanRecord("p", 21, 24, "PERSON", "Ana", "ann", "manual", {"kind": "=x"}),
            SpanRecord("q", 0, 26, "QUOTE", text[:26], "", "suggested"),
        ),
        relations=(RelationRecord("r", "q", "p", "speaker", "ann"),),
    )


def test_written_tables_and_data_package(tmp_path: Path) -> None:
    csv_tables.export([sample()], tmp_path)

    def rows(name: str) -> list[list[str]]:
        with (tmp_path / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    documents, spans, relations = rows("documents.csv"), rows("spans.csv"), rows("relations.csv")
    # the texts that offsets index go out as they are; other cells carry the escape
    assert documents[1][:3] == ["'-7", "'@title", sample().text]
    assert spans[2][5] == sample().text[:26]
    assert spans[1][8] == '{"kind": "=x"}' and spans[1][1] == "p"
    assert relations[1] == ["'-7", "r", "q", "p", "speaker", "ann"]
    assert (tmp_path / "documents.csv").read_bytes()[:3] != b"\xef\xbb\xbf"  # no BOM

    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert "offset unit: unicode code points" in package["description"].lower()
    assert "formula" in package["description"].lower()
    assert package["offset_unit"] == "unicode code points"
    by_name = {r["name"]: r for r in package["resources"]}
    assert set(by_name) == {"documents", "spans", "relations"}
    for name, table in (("documents", documents), ("spans", spans), ("relations", relations)):
        resource = by_name[name]
        assert (tmp_path / resource["path"]).is_file()
        assert [f["name"] for f in resource["schema"]["fields"]] == table[0]
    assert by_name["spans"]["schema"]["primaryKey"] == ["document_id", "span_id"]
    assert {
        "fields": ["document_id", "head"],
        "reference": {"resource": "spans", "fields": ["document_id", "span_id"]},
    } in by_name["relations"]["schema"]["foreignKeys"]
    types = {f["name"]: f["type"] for f in by_name["spans"]["schema"]["fields"]}
    assert (types["start"], types["end"], types["attributes"]) == ("integer", "integer", "object")


def test_reading_through_documents_csv_and_companions(tmp_path: Path) -> None:
    csv_tables.export([sample()], tmp_path)
    (tmp_path / "stats.csv").write_text("a,b\n", encoding="utf-8")

    (doc,) = csv_tables.read(tmp_path / "documents.csv")
    assert _unlocated(doc) == sample()
    for companion in ("spans.csv", "relations.csv", "datapackage.json"):
        assert list(csv_tables.read(tmp_path / companion)) == []
    with pytest.raises(InputError, match=r"read as a folder holding documents\.csv"):
        list(csv_tables.read(tmp_path / "stats.csv"))
    with pytest.raises(InputError, match=r"no documents\.csv in this folder"):
        list(csv_tables.read(tmp_path.parent))


def test_export_renames_ids_that_would_not_read_back(tmp_path: Path) -> None:
    spans = (SpanRecord("s", 0, 1, "ORG", "A"), SpanRecord("s", 1, 2, "ORG", "b"))
    records = [
        DocumentRecord("", "Ab", spans=spans),
        DocumentRecord("x", "Cd", relations=(RelationRecord("r", "s", "gone", "speaker"),)),
        DocumentRecord("x", "Ef"),
    ]
    report = csv_tables.export(records, tmp_path)

    back = list(csv_tables.read(tmp_path))
    assert [d.id for d in back] == ["document-1", "x", "x~2"]
    assert [s.id for s in back[0].spans] == ["s", "s~2"]
    assert back[1].relations == ()
    assert len(report.warnings) == 4


def test_tables_edited_elsewhere(tmp_path: Path) -> None:
    long_text = "Ana said so. " * 20_000  # a cell beyond the csv module's default limit
    csv_tables.export([DocumentRecord("a", long_text, meta={"title": "Old"})], tmp_path)
    documents = tmp_path / "documents.csv"
    with documents.open("w", encoding="utf-8-sig", newline="") as handle:  # a BOM, as Excel
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "text", "meta", "notes"])
        writer.writerow(["a", "New title", "One\r\nAna two", '{"title": "Old"}', "x"])
    with (tmp_path / "spans.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(csv_tables.SPAN_COLUMNS)
        writer.writerow(["a", "1", "5", "8", "PERSON", "Ana", "", "", ""])
    report = ReadReport("csv")

    (doc,) = csv_tables.read(tmp_path, report)

    assert doc.text == "One\nAna two" and doc.meta == {"title": "New title"}
    assert (doc.spans[0].start, doc.spans[0].text, doc.spans[0].origin) == (4, "Ana", "imported")
    assert [w.message for w in report.warnings] == ["column(s) notes ignored"]

    csv_tables.export([DocumentRecord("a", long_text)], tmp_path / "long")
    assert next(csv_tables.read(tmp_path / "long")).text == long_text


BROKEN = [
    ("wrong-column-count", "spans.csv", 5, "expected 9 cells"),
    ("dangling-relation", "relations.csv", 2, "relation r1: tail 's9' is not a span"),
    ("span-out-of-range", "spans.csv", 2, "span s1: [0, 999) is outside the text (length 25)"),
    ("text-mismatch", "spans.csv", 5, "span s3: the text 'Bob' differs from 'Ben'"),
    ("unknown-document", "spans.csv", 5, "document id 'zz' is not in documents.csv"),
    ("duplicate-ids", "documents.csv", 5, "document id 'a' is also on line 2"),
    ("duplicate-span-id", "spans.csv", 5, "two spans with the id 's1'"),
    ("not-a-number", "spans.csv", 5, "start must be a whole number, found '8.0'"),
    ("bad-meta", "documents.csv", 4, "meta is not JSON"),
    ("bad-encoding", "documents.csv", 4, "not valid UTF-8 (byte 0xf6)"),
    ("bad-quoting", "spans.csv", 5, "not CSV"),
    ("missing-column", "relations.csv", 1, "the header must name the columns"),
    ("bad-origin", "spans.csv", 5, "origin 'robot' is not one of"),
]


@pytest.mark.parametrize(("name", "file", "line", "message"), BROKEN)
def test_broken_folders_give_one_clear_error_and_no_document(
    name: str, file: str, line: int, message: str
) -> None:
    folder = DATA / "broken" / name
    reader = csv_tables.read(folder)
    with pytest.raises(InputError) as info:
        next(reader)
    assert info.value.source == str(folder / file)
    assert info.value.line == line
    assert message in info.value.message


def test_other_readers_slice_every_span_to_its_text(tmp_path: Path) -> None:
    csv_tables.export([sample()], tmp_path)

    with (tmp_path / "documents.csv").open(encoding="utf-8", newline="") as handle:
        texts = {row["id"]: row["text"] for row in csv.DictReader(handle)}
    with (tmp_path / "spans.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = texts[row["document_id"]]
            assert text[int(row["start"]) : int(row["end"])] == row["text"]


def test_escape_formulas_escapes_the_texts_too_and_still_reads_back(tmp_path: Path) -> None:
    csv_tables.export_escaped([sample()], tmp_path)

    with (tmp_path / "documents.csv").open(encoding="utf-8", newline="") as handle:
        assert next(csv.DictReader(handle))["text"] == "'" + sample().text
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert package["formula_escape"]["verbatim"] == []
    [back] = csv_tables.read(tmp_path)
    assert back.text == sample().text
    assert [s.text for s in back.spans] == [s.text for s in sample().spans]


def test_an_older_export_with_escaped_texts_still_reads(tmp_path: Path) -> None:
    csv_tables.export_escaped([sample()], tmp_path)
    package_path = tmp_path / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    del package["formula_escape"]["verbatim"]  # as written before texts were left verbatim
    package_path.write_text(json.dumps(package), encoding="utf-8")

    [back] = csv_tables.read(tmp_path)

    assert back.text == sample().text


def test_a_text_that_starts_with_a_quote_comes_back_whole(tmp_path: Path) -> None:
    record = DocumentRecord("d", "'=not a formula", spans=(SpanRecord("s", 0, 3, "CLAIM", "'=n"),))
    csv_tables.export([record], tmp_path)

    [back] = csv_tables.read(tmp_path)

    assert back.text == "'=not a formula"
    assert back.spans[0].text == "'=n"
