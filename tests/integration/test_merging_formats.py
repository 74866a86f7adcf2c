"""Merging a colleague's export in any format Glossa imports, not only native JSONL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import InputError
from app.services import Workspace, documents
from app.services import spans as spans_service
from app.services.merging import NeedsAnnotator, merge_files, merge_path
from tests.integration.test_merging import BRIDGE, WEATHER, add_documents

CITY = (20, 24)  # "Lyon" in WEATHER


def _brat(folder: Path) -> Path:
    folder.mkdir()
    (folder / "weather.txt").write_text(WEATHER, encoding="utf-8")
    (folder / "weather.ann").write_text("T1\tCity 20 24\tLyon\n", encoding="utf-8")
    return folder


def _conll(folder: Path) -> Path:
    path = folder / "weather.conll"
    tags = {"Lyon": "B-City"}
    path.write_text(
        "".join(f"{token} NNP {tags.get(token, 'O')}\n" for token in WEATHER.split(" ")),
        encoding="utf-8",
    )
    return path


def _doccano(folder: Path) -> Path:
    path = folder / "weather.jsonl"
    path.write_text(json.dumps({"text": WEATHER, "label": [[*CITY, "City"]]}) + "\n")
    return path


def _labelstudio(folder: Path) -> Path:
    region = {
        "id": "r1",
        "type": "labels",
        "from_name": "label",
        "to_name": "text",
        "value": {"start": CITY[0], "end": CITY[1], "text": "Lyon", "labels": ["City"]},
    }
    path = folder / "weather.json"
    task = {"data": {"text": WEATHER}, "annotations": [{"result": [region]}]}
    path.write_text(json.dumps([task]))
    return path


def _prodigy(folder: Path) -> Path:
    line = {
        "text": WEATHER,
        "spans": [{"start": CITY[0], "end": CITY[1], "label": "City"}],
        "answer": "accept",
        "_input_hash": 1,
        "_task_hash": 2,
    }
    path = folder / "weather.jsonl"
    path.write_text(json.dumps(line) + "\n")
    return path


def _spacy(folder: Path) -> Path:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    doc = spacy.blank("en")(WEATHER)
    doc.ents = [doc.char_span(*CITY, "City")]
    path = folder / "weather.spacy"
    DocBin(docs=[doc]).to_disk(path)
    return path


WRITERS: dict[str, Callable[[Path], Path]] = {
    "brat": lambda tmp: _brat(tmp / "brat"),
    "conll": _conll,
    "doccano": _doccano,
    "labelstudio": _labelstudio,
    "prodigy": _prodigy,
    "spacy": _spacy,
}


@pytest.fixture
def local(database_url: str, tmp_path: Path) -> Workspace:
    workspace = Workspace.open(database_url, "tester", samples=False)
    add_documents(workspace, tmp_path / "ours", {"Bridge": BRIDGE, "Weather": WEATHER})
    yield workspace
    workspace.close()


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_an_export_of_any_format_merges_as_the_colleagues_layer(
    local: Workspace, tmp_path: Path, kind: str
) -> None:
    source = WRITERS[kind](tmp_path)

    report = merge_path(local, source, as_annotator="bob")

    assert report.documents_matched == 1 and report.documents_added == 0
    assert report.spans == {"bob": 1}
    weather = next(s.id for s in documents.documents(local) if s.title == "Weather")
    spans = [(s.start, s.end, s.label, s.annotator) for s in spans_service.spans(local, weather)]
    assert spans == [(*CITY, "City", "bob")]
    assert local.schema.label("City") is not None
    assert any("City" in line for line in report.lines())
    again = merge_path(local, source, as_annotator="bob")
    assert sum(again.spans.values()) == 0 and again.already_present == 1


def test_work_without_annotator_names_needs_one(local: Workspace, tmp_path: Path) -> None:
    with pytest.raises(NeedsAnnotator):
        merge_path(local, _brat(tmp_path / "brat"))
    assert local.schema.label("City") is None


def test_several_files_of_different_formats_merge_in_one_transaction(
    local: Workspace, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps({"text": WEATHER, "label": [[20, 99, "City"]]}) + "\n")

    with pytest.raises(InputError) as refused:
        merge_files(local, [_brat(tmp_path / "brat"), broken], as_annotator="bob")

    assert refused.value.source == str(broken) and refused.value.line == 1
    assert all(s.span_count == 0 for s in documents.documents(local))
    assert local.schema.label("City") is None

    (tmp_path / "more").mkdir()
    report = merge_files(local, [tmp_path / "brat", _conll(tmp_path / "more")], as_annotator="bob")
    # the same span in both files: taken once
    assert report.spans == {"bob": 1} and report.already_present == 1
    assert report.documents_matched == 2


def test_what_a_reader_leaves_out_is_a_warning_of_the_merge(
    local: Workspace, tmp_path: Path
) -> None:
    folder = _brat(tmp_path / "brat")
    (folder / "weather.ann").write_text(
        "T1\tCity 20 24\tLyon\nE1\tCity:T1\n#1\tAnnotatorNotes T1\tcheck\n", encoding="utf-8"
    )
    (folder / "lone.ann").write_text("T1\tCity 0 4\tRain\n", encoding="utf-8")

    report = merge_path(local, folder, as_annotator="bob")

    assert any("lone.ann" in w and "no lone.txt" in w for w in report.warnings)
    assert any(line.startswith("  warning: ") for line in report.lines())
