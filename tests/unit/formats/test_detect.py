"""Telling a file's format by its content where its suffix does not say."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.core.errors import InputError
from app.formats import FORMATS, csv_tables, detect, format_for, jsonl, readable_files
from app.services import Workspace
from app.services.exporting import export
from app.services.importing import import_paths
from app.services.selection import Split
from tests.unit.formats.test_jsonl_golden import golden_records

DATA = Path(__file__).parents[2] / "data" / "formats"


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def _name(path: Path) -> str | None:
    found = detect.detect(path)
    return found.name if found is not None else None


@pytest.mark.parametrize("name", ["x.jsonl", "x.json", "x.JSONL"])
def test_doccano_golden_is_doccano_whatever_its_suffix(tmp_path: Path, name: str) -> None:
    path = _copy(DATA / "doccano" / "mixed.jsonl", tmp_path / name)

    assert _name(path) == "doccano"
    assert format_for(path) is FORMATS["doccano"]


@pytest.mark.parametrize(
    ("golden", "name"), [("export-array.json", "x.json"), ("relation-pretty.jsonl", "x.jsonl")]
)
def test_doccano_json_export_and_pretty_printed_lines_are_doccano(
    tmp_path: Path, golden: str, name: str
) -> None:
    path = _copy(DATA / "doccano" / golden, tmp_path / name)

    assert _name(path) == "doccano"
    assert FORMATS["doccano"].read is not None
    assert len(list(FORMATS["doccano"].read(path, None))) == 2


def test_label_studio_json_min_export_goes_to_the_doccano_reader(tmp_path: Path) -> None:
    path = _copy(DATA / "labelstudio" / "json-min.json", tmp_path / "project-1.json")

    assert _name(path) == "doccano"


@pytest.mark.parametrize("golden", ["export.json", "utf16.json"])
@pytest.mark.parametrize("name", ["x.json", "x.jsonl"])
def test_label_studio_golden_is_label_studio(tmp_path: Path, golden: str, name: str) -> None:
    path = _copy(DATA / "labelstudio" / golden, tmp_path / name)

    assert _name(path) == "labelstudio"
    assert FORMATS["labelstudio"].read is not None
    assert list(FORMATS["labelstudio"].read(path, None))


@pytest.mark.parametrize("name", ["x.jsonl", "x.json"])
def test_native_jsonl_is_native(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    jsonl.export(golden_records(), path)

    assert _name(path) == "jsonl"


@pytest.mark.parametrize(
    "line",
    [
        {"text": "no spans at all"},
        {"text": "empty", "spans": []},
        {"text": "ab", "spans": [{"start": 0, "end": 1, "label": "X"}], "label": "kept"},
    ],
)
def test_native_shapes(tmp_path: Path, line: dict[str, object]) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("\n\n" + json.dumps(line) + "\n", encoding="utf-8")

    assert _name(path) == "jsonl"


@pytest.mark.parametrize(
    "line",
    [
        {"text": "ab", "label": [[0, 1, "X"]]},
        {"text": "ab", "labels": []},
        {"text": "ab", "label": ["sports"]},
        {"text": "ab", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "X"}]},
        {"data": "ab", "label": [[0, 1, "X"]]},
    ],
)
def test_doccano_shapes(tmp_path: Path, line: dict[str, object]) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")

    assert _name(path) == "doccano"


def test_a_first_line_longer_than_the_sniffed_bytes_is_read_whole(tmp_path: Path) -> None:
    text = "x" * (2 * detect.SNIFF_BYTES)
    native, doccano = tmp_path / "native.jsonl", tmp_path / "doccano.jsonl"
    native.write_text(json.dumps({"text": text, "spans": []}) + "\n", encoding="utf-8")
    doccano.write_text(json.dumps({"text": text, "label": [[0, 1, "X"]]}) + "\n", "utf-8")

    assert _name(native) == "jsonl"
    assert _name(doccano) == "doccano"


@pytest.mark.parametrize(
    "content",
    ['{"title": "no text"}\n', "[1, 2]", '[{"text": "not a task"}]', '"just a string"', "42\n"],
)
def test_unknown_content_names_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "mystery.jsonl"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(InputError) as caught:
        format_for(path)

    assert caught.value.describe().startswith(
        f"{path}:1: cannot tell which format this is; pass --format"
    )


@pytest.mark.parametrize("content", [b"", b"{oops\n", b"\xff\xfe{}"])
def test_broken_files_go_to_the_reader_their_suffix_names(tmp_path: Path, content: bytes) -> None:
    jsonl_file, json_file = tmp_path / "a.jsonl", tmp_path / "a.json"
    jsonl_file.write_bytes(content)
    json_file.write_bytes(content)

    assert _name(jsonl_file) == "jsonl"
    assert _name(json_file) == "labelstudio"
    assert _name(tmp_path / "missing.jsonl") == "jsonl"


def test_other_formats_by_suffix(tmp_path: Path) -> None:
    assert _name(_copy(DATA / "conll" / "news.conll", tmp_path / "news.iob2")) == "conll"
    assert _name(_copy(DATA / "html" / "ferry-terminal.html", tmp_path / "page.htm")) == "html"
    assert _name(tmp_path / "x.spacy") == "spacy"
    assert _name(tmp_path / "notes.md") is None
    assert _name(tmp_path / "plain.txt") == "txt"


def test_brat_by_its_ann_file_or_folder(tmp_path: Path) -> None:
    folder = tmp_path / "brat"
    shutil.copytree(DATA / "brat" / "golden", folder)
    (tmp_path / "lonely.txt").write_text("No annotations.", encoding="utf-8")

    assert _name(folder) == "brat"
    assert _name(folder / "news_2024_harbour.txt") == "brat"
    assert _name(folder / "news_2024_harbour.ann") == "brat"
    assert _name(tmp_path / "lonely.txt") == "txt"
    assert readable_files(folder) == [folder]
    assert readable_files(tmp_path) == [tmp_path]  # .ann files at any depth: brat, whole


def test_csv_tables_folder_is_one_source(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    csv_tables.export(golden_records(), folder)

    assert (folder / csv_tables.DATAPACKAGE).is_file()
    assert _name(folder) == "csv"
    assert readable_files(tmp_path) == [folder]
    assert readable_files(folder) == [folder]
    assert _name(tmp_path) is None


def test_files_written_beside_exports_are_not_offered(tmp_path: Path) -> None:
    names = [
        "a.jsonl",
        "a.entities.jsonl",
        "entities.jsonl",
        "a.jsonl.manifest.json",
        "manifest.json",
        "datapackage.json",
        "README.md",
        "b.json",
    ]
    for name in names:
        (tmp_path / name).write_text("{}", encoding="utf-8")

    assert readable_files(tmp_path) == [tmp_path / "a.jsonl", tmp_path / "b.json"]
    assert readable_files(tmp_path / "a.jsonl") == [tmp_path / "a.jsonl"]
    assert all(detect.is_companion(tmp_path / name) for name in names[1:-1])


def test_companions_named_on_their_own_import_nothing(workspace: Workspace, tmp_path: Path) -> None:
    manifest, table = tmp_path / "a.jsonl.manifest.json", tmp_path / "a.entities.jsonl"
    manifest.write_text('{"format": "jsonl"}', encoding="utf-8")
    table.write_text("", encoding="utf-8")

    report = import_paths(workspace, [manifest, table])

    assert report.ok and report.imported == []


def _import_document(workspace: Workspace, folder: Path) -> None:
    source = folder / "source.jsonl"
    lines = [
        {
            "id": str(n),
            "text": f"Councillor Ann Varga spoke on day {n}.",
            "spans": [{"id": "p", "start": 11, "end": 20, "label": "PERSON"}],
        }
        for n in range(6)
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = import_paths(workspace, [source])
    assert report.ok and len(report.imported) == 6, report.summary()


def test_an_export_folder_imports_back_without_refused_files(
    workspace: Workspace, tmp_path: Path
) -> None:
    _import_document(workspace, tmp_path)
    exports = tmp_path / "exports"
    exports.mkdir()
    export(workspace, "jsonl", exports / "all.jsonl")
    export(workspace, "jsonl", exports / "parts", split=Split.parse("0.5,0.5"))
    export(workspace, "csv", exports / "tables")
    assert (exports / "all.jsonl.manifest.json").is_file()
    assert (exports / "all.entities.jsonl").is_file()
    assert (exports / "parts" / "manifest.json").is_file()
    assert (exports / "parts" / "entities.jsonl").is_file()

    offered = readable_files(exports)
    fresh = Workspace.open(str(tmp_path / "fresh.db"), "tester", samples=False)
    try:
        report = import_paths(fresh, [exports])
    finally:
        fresh.close()

    assert [p.relative_to(exports).as_posix() for p in offered] == [
        "all.jsonl",
        "parts/test.jsonl",
        "parts/train.jsonl",
        "tables",
    ]
    assert report.ok, [e.describe() for e in report.errors]
    assert len(report.imported) == 6
    assert report.spans == 6
    assert len(report.skipped) == 12


def test_unknown_content_is_refused_by_import(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "mystery.json"
    path.write_text('\n{"title": "no text"}', encoding="utf-8")

    report = import_paths(workspace, [path])

    assert [e.describe() for e in report.errors] == [
        f"{path}:2: cannot tell which format this is; pass --format"
        ' (as Glossa JSONL: missing "text")'
    ]


CONLL_SHAPES = sorted(p.name for p in (DATA / "conll" / "real").iterdir() if p.name != "prose.txt")


@pytest.mark.parametrize("shape", CONLL_SHAPES)
@pytest.mark.parametrize("name", ["corpus.txt", "corpus.tsv", "corpus", "eng.testa", "x.iob"])
def test_conll_content_is_conll_whatever_its_suffix(tmp_path: Path, shape: str, name: str) -> None:
    path = _copy(DATA / "conll" / "real" / shape, tmp_path / name)

    assert _name(path) == "conll"


def test_a_conll_txt_is_conll_and_a_prose_txt_stays_an_article(tmp_path: Path) -> None:
    conll = _copy(DATA / "conll" / "real" / "conll2003.txt", tmp_path / "train.txt")
    path = _copy(DATA / "conll" / "real" / "prose.txt", tmp_path / "prose.txt")
    assert _name(conll) == "conll"
    (tmp_path / "one-o.txt").write_text("O\n", encoding="utf-8")
    (tmp_path / "sentence.txt").write_text("I said O-kay to B-movies.\n", encoding="utf-8")

    assert _name(path) == "txt"
    assert _name(tmp_path / "one-o.txt") == "txt"
    assert _name(tmp_path / "sentence.txt") == "txt"
    assert _name(tmp_path / "prose") is None


def test_a_folder_offers_conll_files_without_a_known_suffix(tmp_path: Path) -> None:
    _copy(DATA / "conll" / "real" / "wnut17.conll", tmp_path / "emerging.test.annotated")
    _copy(DATA / "conll" / "real" / "germeval2014.tsv", tmp_path / "NER-de-dev.tsv")
    (tmp_path / "LICENSE").write_text("Permission is hereby granted, free of charge\n")

    assert [p.name for p in readable_files(tmp_path)] == [
        "NER-de-dev.tsv",
        "emerging.test.annotated",
    ]


def test_a_conll_txt_imports_as_conll_not_as_one_article(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = _copy(DATA / "conll" / "real" / "conll2003.txt", tmp_path / "train.txt")

    report = import_paths(workspace, [path])

    assert report.ok, [e.describe() for e in report.errors]
    assert len(report.imported) == 2 and report.spans == 13


def test_a_conllu_treebank_without_names_goes_to_the_conll_reader_which_names_the_line() -> None:
    path = DATA / "conll" / "broken" / "ud-no-names.conllu"

    assert _name(path) == "conll"
    with pytest.raises(InputError) as caught:
        list(FORMATS["conll"].read(path, None))  # type: ignore[misc]
    assert caught.value.describe().startswith(f"{path}:1: no column holds tags")


def test_doccano_lines_with_other_column_names_get_the_options_that_name_them(
    tmp_path: Path,
) -> None:
    """As doccano's own example for a project whose columns are renamed."""
    path = tmp_path / "columns.jsonl"
    path.write_text(
        '{"column_data": "Ola Nordmann moved.", "column_label": [[0, 12, "PERSON"]]}\n',
        encoding="utf-8",
    )

    with pytest.raises(InputError) as caught:
        format_for(path)

    assert caught.value.describe() == (
        f"{path}:1: cannot tell which format this is; pass --format (a doccano line? "
        "--text-field column_data --label-field column_label)"
    )
