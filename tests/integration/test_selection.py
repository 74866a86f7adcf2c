"""Exports of a selection and of a train/dev/test split, and the manifest beside them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

import app
from app.core.annotations import Status
from app.core.errors import GlossaError
from app.core.records import DocumentRecord, SpanRecord
from app.formats import FORMATS, jsonl
from app.services import Workspace
from app.services import documents as documents_service
from app.services.exporting import DatasetExport, document_records, export
from app.services.importing import import_paths
from app.services.selection import Layer, Reason, Selection, Split

ARTICLES: list[dict[str, Any]] = [
    {
        "text": "Ann Varga told Bo Lind: \u201cThe ferry is late.\u201d",
        "spans": [
            {"id": "a1", "start": 0, "end": 9, "label": "PERSON", "annotator": "alice"},
            {"id": "a2", "start": 24, "end": 44, "label": "QUOTE", "annotator": "alice"},
            {"id": "a3", "start": 10, "end": 14, "label": "CUE", "annotator": "alice"},
            {"id": "b1", "start": 15, "end": 22, "label": "PERSON", "annotator": "bob"},
            {"id": "b2", "start": 24, "end": 44, "label": "QUOTE", "annotator": "bob"},
            {"id": "g1", "start": 0, "end": 9, "label": "PERSON", "annotator": "gold"},
            {"id": "g2", "start": 24, "end": 44, "label": "QUOTE", "annotator": "gold"},
        ],
        "relations": [
            {"head": "a2", "tail": "a1", "label": "speaker", "annotator": "alice"},
            {"head": "a2", "tail": "a3", "label": "cue", "annotator": "alice"},
            {"head": "b2", "tail": "b1", "label": "speaker", "annotator": "bob"},
            {"head": "g2", "tail": "g1", "label": "speaker", "annotator": "gold"},
        ],
    },
    {
        "text": "Acme Shipping hired Tor \u00c5s in Halden.",
        "spans": [
            {"id": "o", "start": 0, "end": 13, "label": "ORG", "annotator": "bob"},
            {"id": "p", "start": 20, "end": 26, "label": "PERSON", "annotator": "bob"},
            {"id": "l", "start": 30, "end": 36, "label": "LOC", "annotator": "bob"},
        ],
    },
    {
        "text": "Nothing happened in Oslo.",
        "spans": [{"id": "l", "start": 20, "end": 24, "label": "LOC", "annotator": "alice"}],
    },
    {"text": "A quiet day."},
]


@pytest.fixture
def project(database_url: str, tmp_path: Path) -> Iterator[Workspace]:
    """Four articles by alice, bob and gold, with statuses and review states (both backends).

    tester: first done, second in progress; alice: third done, fourth in progress.
    Reviews: alice's and gold's "Ann Varga" accepted, bob's ORG rejected.
    """
    workspace = Workspace.open(database_url, "tester", samples=False)
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    assert import_paths(workspace, [source]).ok
    first, second, third, fourth = (s.id for s in documents_service.documents(workspace))
    documents_service.set_status(workspace, first, Status.DONE)
    documents_service.set_status(workspace, second, Status.IN_PROGRESS)
    alice = Workspace(workspace.database, "alice")
    documents_service.set_status(alice, third, Status.DONE)
    documents_service.set_status(alice, fourth, Status.IN_PROGRESS)
    with workspace.database.unit_of_work() as uow:
        uow.session.execute(
            text(
                "UPDATE spans SET review = 'accepted' WHERE text = 'Ann Varga' AND annotator_id"
                " IN (SELECT id FROM annotators WHERE name IN ('alice', 'gold'))"
            )
        )
        uow.session.execute(text("UPDATE spans SET review = 'rejected' WHERE label = 'ORG'"))
        uow.commit()
    yield workspace
    workspace.close()


def exported(
    workspace: Workspace, out: Path, selection: Selection | None = None
) -> tuple[list[DocumentRecord], DatasetExport]:
    report = export(workspace, "jsonl", out, selection=selection)
    return list(jsonl.read(out)), report


def texts(records: list[DocumentRecord]) -> list[str]:
    return [r.text for r in records]


def spans(records: list[DocumentRecord]) -> list[tuple[str, str, str]]:
    return sorted((s.annotator, s.label, s.text) for r in records for s in r.spans)


def relations(records: list[DocumentRecord]) -> list[tuple[str, str, str, str]]:
    found = []
    for r in records:
        by_id = {s.id: s for s in r.spans}
        for rel in r.relations:
            found.append((rel.annotator, rel.label, by_id[rel.head].text, by_id[rel.tail].text))
    return sorted(found)


# -- selection -------------------------------------------------------------------------


def test_everything_by_default(project: Workspace, tmp_path: Path) -> None:
    records, report = exported(project, tmp_path / "all.jsonl")

    assert texts(records) == [a["text"] for a in ARTICLES]
    assert len(spans(records)) == 11 and len(relations(records)) == 4
    assert report.selection.documents_left_out == {}
    assert report.selection.spans_left_out == {}
    assert report.selection.relations_kept == 4


def test_records_have_every_field(project: Workspace) -> None:
    """Records are built from all their fields at once, for speed: none may be missing."""
    names = {f.name for f in dataclasses.fields(DocumentRecord)}
    records = list(document_records(project))
    spans = [s for r in records for s in r.spans]

    assert all(set(vars(r)) == names for r in records)
    assert [(r.source, r.line) for r in records] == [("", None)] * len(records)
    assert spans and all(type(s) is SpanRecord for s in spans)
    assert all(len(s) == len(SpanRecord._fields) for s in spans)
    assert all(type(s.id) is str and type(s.entity) is str for s in spans)
    assert all(type(s.attributes) is dict for s in spans)
    assert [s.text for s in records[0].spans][:2] == ["Ann Varga", "Ann Varga"]


def test_status_of_the_current_annotator(project: Workspace, tmp_path: Path) -> None:
    done, _ = exported(project, tmp_path / "a.jsonl", Selection.parse(status="done"))
    started, report = exported(
        project, tmp_path / "b.jsonl", Selection.parse(status="in_progress,done")
    )

    assert texts(done) == [ARTICLES[0]["text"]]
    assert texts(started) == [ARTICLES[0]["text"], ARTICLES[1]["text"]]
    assert report.selection.documents_left_out == {Reason.STATUS.value: 2}
    assert [r.meta["status"] for r in started] == ["done", "in_progress"]


def test_status_of_another_annotator(project: Workspace, tmp_path: Path) -> None:
    selection = Selection(statuses=frozenset({Status.DONE}), status_of="alice")

    records, _ = exported(project, tmp_path / "a.jsonl", selection)

    assert texts(records) == [ARTICLES[2]["text"]]
    assert records[0].meta["status"] == "done"


def test_one_annotator_keeps_their_documents_spans_and_relations(
    project: Workspace, tmp_path: Path
) -> None:
    records, report = exported(project, tmp_path / "a.jsonl", Selection(annotator="alice"))

    assert texts(records) == [ARTICLES[0]["text"], ARTICLES[2]["text"], ARTICLES[3]["text"]]
    assert spans(records) == [
        ("alice", "CUE", "told"),
        ("alice", "LOC", "Oslo"),
        ("alice", "PERSON", "Ann Varga"),
        ("alice", "QUOTE", "\u201cThe ferry is late.\u201d"),
    ]
    assert relations(records) == [
        ("alice", "cue", "\u201cThe ferry is late.\u201d", "told"),
        ("alice", "speaker", "\u201cThe ferry is late.\u201d", "Ann Varga"),
    ]
    assert report.selection.documents_left_out == {Reason.NOT_ANNOTATED.value: 1}
    assert report.selection.spans_left_out == {
        "PERSON": {Reason.OTHER_ANNOTATOR.value: 2},
        "QUOTE": {Reason.OTHER_ANNOTATOR.value: 2},
    }
    assert report.selection.relations_left_out == {Reason.OTHER_ANNOTATOR.value: 2}


def test_labels_drop_relations_whose_end_is_left_out(project: Workspace, tmp_path: Path) -> None:
    people, report = exported(project, tmp_path / "a.jsonl", Selection.parse(labels="PERSON"))
    quotes, quoted = exported(
        project, tmp_path / "b.jsonl", Selection.parse(labels="PERSON, QUOTE")
    )

    assert len(people) == 4, "a label filter keeps every document"
    assert {label for _, label, _ in spans(people)} == {"PERSON"}
    assert relations(people) == []
    assert report.selection.relations_left_out == {Reason.END_LEFT_OUT.value: 4}
    assert report.selection.spans_left_out["QUOTE"] == {Reason.LABEL.value: 3}
    assert report.label_counts()["PERSON"] == {"written": 4, "left_out": {}}
    assert report.label_counts()["CUE"] == {"written": 0, "left_out": {Reason.LABEL.value: 1}}
    assert [rel[1] for rel in relations(quotes)] == ["speaker", "speaker", "speaker"]
    assert quoted.selection.relations_left_out == {Reason.END_LEFT_OUT.value: 1}


def test_reviewed_layer_keeps_accepted_spans(project: Workspace, tmp_path: Path) -> None:
    records, report = exported(project, tmp_path / "a.jsonl", Selection(layer=Layer.REVIEWED))

    assert texts(records) == [ARTICLES[0]["text"], ARTICLES[1]["text"]]
    assert spans(records) == [("alice", "PERSON", "Ann Varga"), ("gold", "PERSON", "Ann Varga")]
    assert relations(records) == []
    assert report.selection.documents_left_out == {Reason.NOT_REVIEWED.value: 2}
    assert report.selection.spans_left_out["ORG"] == {Reason.NOT_ACCEPTED.value: 1}


def test_gold_layer_is_the_gold_annotator(project: Workspace, tmp_path: Path) -> None:
    records, _ = exported(project, tmp_path / "a.jsonl", Selection.parse(layer="gold"))

    assert texts(records) == [ARTICLES[0]["text"]]
    assert spans(records) == [
        ("gold", "PERSON", "Ann Varga"),
        ("gold", "QUOTE", "\u201cThe ferry is late.\u201d"),
    ]
    assert relations(records) == [
        ("gold", "speaker", "\u201cThe ferry is late.\u201d", "Ann Varga")
    ]


def test_filters_combine(project: Workspace, tmp_path: Path) -> None:
    selection = Selection.parse(
        status="done", status_of="alice", annotator="alice", labels="LOC,PERSON"
    )

    records, _ = exported(project, tmp_path / "a.jsonl", selection)

    assert texts(records) == [ARTICLES[2]["text"]]
    assert spans(records) == [("alice", "LOC", "Oslo")]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"status": "finished"}, "unknown status 'finished'"),
        ({"layer": "silver"}, "unknown layer 'silver'"),
        ({"layer": "gold", "annotator": "alice"}, "cannot be combined"),
    ],
)
def test_bad_selections_are_refused(arguments: dict[str, str], message: str) -> None:
    with pytest.raises(GlossaError, match=message):
        Selection.parse(**arguments)


def test_unknown_labels_are_refused(project: Workspace, tmp_path: Path) -> None:
    with pytest.raises(GlossaError, match=r"unknown label\(s\) NOPE \(known: PERSON, ORG"):
        export(project, "jsonl", tmp_path / "a.jsonl", selection=Selection.parse(labels="NOPE"))
    assert not list(tmp_path.glob("a.*"))


# -- splits ------------------------------------------------------------------------------


def digests(count: int, start: int = 0) -> list[tuple[str, str]]:
    return [
        (str(i), hashlib.sha256(f"article {i}".encode()).hexdigest())
        for i in range(start, start + count)
    ]


def test_split_of_100_documents_is_exact_disjoint_and_complete() -> None:
    documents = digests(100)

    parts = Split.parse("0.8,0.1,0.1", seed=3).assign(documents)

    assert list(parts) == ["train", "dev", "test"]
    assert [len(ids) for ids in parts.values()] == [80, 10, 10]
    every = [i for ids in parts.values() for i in ids]
    assert sorted(every, key=int) == [i for i, _ in documents], "disjoint and complete"


@pytest.mark.parametrize("shares", ["0.7,0.2,0.1", "0.6,0.25,0.15", "0.9,0.1", "1,0,0"])
@pytest.mark.parametrize("count", [0, 1, 7, 100, 333])
def test_split_sizes_are_within_rounding(shares: str, count: int) -> None:
    split = Split.parse(shares, seed=1)

    parts = split.assign(digests(count))

    assert sum(len(ids) for ids in parts.values()) == count
    for (_, share), ids in zip(split.shares, parts.values(), strict=True):
        assert abs(len(ids) - share * count) < 1


def test_split_depends_only_on_seed_and_texts() -> None:
    documents = digests(100)
    split = Split.parse("0.8,0.1,0.1", seed=42)
    shuffled = documents[:]
    random.Random(1).shuffle(shuffled)
    renumbered = [(f"x{i}", digest) for i, digest in documents]

    def by_digest(pairs: list[tuple[str, str]]) -> dict[str, str]:
        digest_of = dict(pairs)
        return {digest_of[i]: name for name, ids in split.assign(pairs).items() for i in ids}

    assert split.assign(documents) == split.assign(documents)
    assert by_digest(shuffled) == by_digest(documents) == by_digest(renumbered)


def test_adding_a_document_moves_at_most_one_across_each_cut() -> None:
    split = Split.parse("0.8,0.1,0.1", seed=9)
    before = split.assign(digests(100))
    for extra in range(100, 120):
        after = split.assign(digests(100) + digests(1, start=extra))
        moved = [i for name in before for i in before[name] if i not in after[name]]
        assert len(moved) <= 2, (extra, moved)


def test_another_seed_gives_another_split() -> None:
    documents = digests(100)
    assert Split.parse("0.8,0.1,0.1", 1).assign(documents) != Split.parse("0.8,0.1,0.1", 2).assign(
        documents
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0.8,0.1", "add up to 0.9"),
        ("0.5,0.5,0.5", "add up to 1.5"),
        ("1", "two .*or three"),
        ("0.5,0.3,0.1,0.1", "two .*or three"),
        ("a,b,c", "give two or three numbers"),
        ("1.2,-0.1,-0.1", "cannot be negative"),
    ],
)
def test_bad_splits_are_refused(text: str, message: str) -> None:
    with pytest.raises(GlossaError, match=message):
        Split.parse(text)


@pytest.fixture
def hundred(workspace: Workspace, tmp_path: Path) -> Workspace:
    """100 short articles, each with one PERSON span."""
    source = tmp_path / "hundred.jsonl"
    lines = []
    for i in range(100):
        text = f"Article {i}: Ann Varga visited harbour number {i}."
        start, end = text.index("Ann"), text.index(" visited")
        spans = [{"id": "p", "start": start, "end": end, "label": "PERSON"}]
        lines.append(json.dumps({"text": text, "spans": spans}) + "\n")
    source.write_text("".join(lines), encoding="utf-8")
    assert import_paths(workspace, [source]).ok
    return workspace


def documents_in_conll(path: Path) -> int:
    return sum(line.startswith("-DOCSTART-") for line in path.read_text("utf-8").splitlines())


def test_split_export_writes_one_file_per_split(hundred: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "dataset"

    report = export(hundred, "conll", out, split=Split.parse("0.8,0.1,0.1", seed=7))

    assert sorted(p.name for p in out.iterdir()) == [
        "dev.conll",
        "manifest.json",
        "test.conll",
        "train.conll",
    ]
    assert [documents_in_conll(out / f"{n}.conll") for n in ("train", "dev", "test")] == [
        80,
        10,
        10,
    ]
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["split"]["seed"] == 7
    assert manifest["split"]["shares"] == {"train": 0.8, "dev": 0.1, "test": 0.1}
    assert {k: len(v) for k, v in manifest["documents"].items()} == {
        "train": 80,
        "dev": 10,
        "test": 10,
    }
    assert manifest["documents"] == report.splits
    assert manifest["counts"]["documents"] == {"train": 80, "dev": 10, "test": 10}
    assert manifest["files"] == ["dev.conll", "test.conll", "train.conll"]
    assert report.manifest == out / "manifest.json"
    assert report.documents == 100 and report.kept["PERSON"] == 100


def test_the_same_texts_split_the_same_in_another_database(
    hundred: Workspace, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    export(hundred, "jsonl", first, split=Split.parse("0.8,0.1,0.1", seed=5))
    records = [r for name in ("train", "dev", "test") for r in jsonl.read(first / f"{name}.jsonl")]
    reordered = tmp_path / "reordered.jsonl"
    reordered.write_text(
        "".join(json.dumps({"text": r.text}) + "\n" for r in reversed(records)), "utf-8"
    )
    other = Workspace.open(str(tmp_path / "other.db"), "tester", samples=False)
    try:
        assert import_paths(other, [reordered]).ok
        second = tmp_path / "second"
        export(other, "jsonl", second, split=Split.parse("0.8,0.1,0.1", seed=5))
    finally:
        other.close()

    for name in ("train", "dev", "test"):
        assert {r.text for r in jsonl.read(first / f"{name}.jsonl")} == {
            r.text for r in jsonl.read(second / f"{name}.jsonl")
        }


def test_a_folder_format_splits_into_sub_folders(hundred: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "brat"

    export(hundred, "brat", out, split=Split.parse("0.5,0.5", seed=1))

    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "test", "train"]
    assert len(list((out / "train").glob("*.ann"))) == 50
    assert len(list((out / "test").glob("*.ann"))) == 50


def test_hf_splits_load_as_one_dataset(
    hundred: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    out = tmp_path / "hf"

    export(hundred, "hf", out, split=Split.parse("0.8,0.1,0.1", seed=2))

    loaded = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    assert {name: part.num_rows for name, part in loaded.items()} == {
        "train": 80,
        "dev": 10,
        "test": 10,
    }
    assert (out / "manifest.json").is_file()


def test_a_split_export_needs_a_new_or_empty_folder(hundred: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "old.txt").write_text("keep me", "utf-8")

    with pytest.raises(GlossaError, match="a split export writes a folder"):
        export(hundred, "conll", out, split=Split.parse("0.5,0.5"))

    empty = tmp_path / "empty"
    empty.mkdir()
    export(hundred, "conll", empty, split=Split.parse("0.5,0.5"))
    assert (empty / "train.conll").is_file()


def test_a_failed_split_export_leaves_nothing(
    hundred: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    native = FORMATS["conll"]

    def failing(records: Any, path: Path) -> Any:
        calls.append(path.name)
        if len(calls) == 2:
            raise OSError("disk full")
        assert native.export is not None
        return native.export(records, path)

    monkeypatch.setitem(FORMATS, "conll", dataclasses.replace(native, export=failing))

    with pytest.raises(OSError, match="disk full"):
        export(hundred, "conll", tmp_path / "out", split=Split.parse("0.8,0.1,0.1"))

    assert calls == ["train.conll", "dev.conll"]
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob(".out.*"))


# -- manifest --------------------------------------------------------------------------


def test_manifest_beside_a_single_file(project: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "news.conll"

    report = export(project, "conll", out, selection=Selection.parse(labels="PERSON,QUOTE"))

    path = tmp_path / "news.conll.manifest.json"
    assert report.manifest == path
    manifest = json.loads(path.read_text("utf-8"))
    assert manifest["glossa_version"] == app.__version__
    assert manifest["format"] == "conll"
    assert manifest["offset_unit"] == FORMATS["conll"].offset_unit
    assert manifest["tokenizer"] == report.tokenizer != ""
    assert manifest["files"] == ["news.conll"]
    assert manifest["split"] is None
    assert manifest["selection"] == {
        "status": None,
        "status_of": None,
        "annotator": None,
        "labels": ["PERSON", "QUOTE"],
        "layer": None,
    }
    assert manifest["documents"] == report.splits
    assert len(manifest["documents"]["all"]) == 4
    labels = manifest["counts"]["labels"]
    # "Ann Varga" twice (alice, gold): one kept, the other left out
    assert labels["PERSON"]["written"] == 3
    assert labels["PERSON"]["left_out"] == {"same extent as a kept span": 1}
    assert labels["QUOTE"]["written"] == 1
    assert labels["QUOTE"]["left_out"] == {"same extent as a kept span": 2}
    assert labels["CUE"] == {"written": 0, "left_out": {Reason.LABEL.value: 1}}
    assert manifest["counts"]["relations"] == {
        "selected": 3,
        "left_out": {Reason.END_LEFT_OUT.value: 1},
    }
    dropped = manifest["left_out_by_format"]
    assert len(dropped) == manifest["left_out_by_format_total"] == 3
    assert {d["reason"] for d in dropped} == {"same extent as a kept span"}
    assert set(dropped[0]) == {"document", "span", "start", "end", "label", "reason"}
    assert manifest["schema"] == project.schema.to_dict()


def test_manifest_inside_a_folder_format(project: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "brat"

    report = export(project, "brat", out, selection=Selection.parse(status="done"))

    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert report.manifest == out / "manifest.json"
    assert manifest["selection"]["status"] == ["done"]
    assert manifest["selection"]["status_of"] == "tester"
    assert manifest["counts"]["documents_left_out"] == {Reason.STATUS.value: 3}
    assert "manifest.json" not in manifest["files"]
    assert manifest["offset_unit"] == "unicode code points"
    assert not (tmp_path / "brat.manifest.json").exists()


def test_summary_lines(project: Workspace, tmp_path: Path) -> None:
    report = export(
        project,
        "conll",
        tmp_path / "out",
        selection=Selection.parse(labels="PERSON,QUOTE"),
        split=Split.parse("0.5,0.5", seed=4),
    )

    lines = report.lines()

    assert lines[0] == "documents per split: train 2, test 2"
    assert lines[1] == "spans written: PERSON 3, QUOTE 1"
    assert "left out 1 CUE span(s): label not selected" in lines
    assert "left out 1 PERSON span(s): same extent as a kept span" in lines
    assert "left out 1 relation(s): one of its spans was left out" in lines
    assert lines[-1] == f"manifest: {tmp_path / 'out' / 'manifest.json'}"


def test_files_a_format_writes_beside_its_file_come_along(
    project: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "tasks.json"

    report = export(project, "labelstudio", out)

    beside = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("tasks."))
    assert beside == ["tasks.json", "tasks.json.manifest.json", "tasks.xml"]
    manifest = json.loads((tmp_path / "tasks.json.manifest.json").read_text("utf-8"))
    assert manifest["files"] == ["tasks.json", "tasks.xml"]
    assert report.documents == 4
    assert not list(tmp_path.glob(".tasks.json.*")), "no scratch folder left behind"
