"""The ``hf`` folder, read back offline by ``datasets.load_dataset``: labels, tokens, spans."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import FORMATS, conll, hf
from app.formats.report import DropReason

datasets = pytest.importorskip("datasets")


def record(
    id_: str, text: str, *spans: tuple[str, str, str], relations: Any = ()
) -> DocumentRecord:
    """Spans given as (id, covered words, label); each is found at its first occurrence."""
    made = []
    for span_id, words, label in spans:
        start = text.index(words)
        made.append(SpanRecord(span_id, start, start + len(words), label, words, "ann"))
    return DocumentRecord(
        id_,
        text,
        meta={"title": text.split("\n")[0]},
        spans=tuple(made),
        relations=tuple(RelationRecord(*r) for r in relations),
    )


RECORDS = [
    record(
        "7",
        "Harbour chief Ingrid Dahl said: \u201cWe open in May.\u201d\nThe board agreed.",
        ("p", "Ingrid Dahl", "PERSON"),
        ("c", "said", "CUE"),
        ("q", "\u201cWe open in May.\u201d", "QUOTE"),
        ("h", "Harbour chief Ingrid Dahl", "PERSON"),  # the longest: kept in ner_tags
        ("n", "Dahl", "PERSON"),  # nested, like p
        relations=[("r1", "q", "p", "speaker"), ("r2", "q", "c", "cue")],
    ),
    record("8", "Acme Shipping cut 40 jobs in Halden.", ("o", "Acme Shipping", "ORG")),
    record(
        "9",
        "Tor \u00c5s (Green list) voted against \U0001f6a2 plans.",
        ("t", "Tor \u00c5s", "PERSON"),
        ("g", "Green lis", "ORG"),  # ends inside a token
    ),
]


@pytest.fixture
def offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No hub, no network: the cache lives in the test's folder."""
    cache = tmp_path / "hf-cache"
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(cache))
    return cache


def load(folder: Path, cache: Path) -> Any:
    return datasets.load_dataset(str(folder), cache_dir=str(cache))


def conll_documents(records: list[DocumentRecord]) -> list[tuple[list[str], list[str]]]:
    """Tokens and tags per document of the CoNLL export, sentence breaks left out."""
    out = io.StringIO()
    conll.write(records, out)
    documents: list[tuple[list[str], list[str]]] = []
    for line in out.getvalue().splitlines():
        if line.startswith("-DOCSTART-"):
            documents.append(([], []))
        elif line:
            token, tag = line.split("\t")
            documents[-1][0].append(token)
            documents[-1][1].append(tag)
    return documents


def rows(dataset: Any) -> Iterator[dict[str, Any]]:
    names = dataset.features["ner_tags"].feature.names
    for row in dataset:
        yield {**row, "tags": [names[i] for i in row["ner_tags"]]}


def test_load_dataset_reads_the_folder_offline(tmp_path: Path, offline: Path) -> None:
    folder = tmp_path / "dataset"
    report = hf.export(RECORDS, folder)

    loaded = load(folder, offline)

    assert list(loaded) == ["train"]
    train = loaded["train"]
    assert train.num_rows == 3
    assert train["id"] == ["7", "8", "9"]
    assert train["text"] == [r.text for r in RECORDS]
    assert train["title"] == [r.title for r in RECORDS]
    assert report.documents == 3
    assert report.tokenizer


def test_features_declare_the_class_label_names(tmp_path: Path, offline: Path) -> None:
    hf.export(RECORDS, tmp_path / "dataset")

    features = load(tmp_path / "dataset", offline)["train"].features

    tags = features["ner_tags"].feature
    assert isinstance(tags, datasets.ClassLabel)
    assert tags.names == [
        "O",
        "B-CUE",
        "I-CUE",
        "B-ORG",
        "I-ORG",
        "B-PERSON",
        "I-PERSON",
        "B-QUOTE",
        "I-QUOTE",
    ]
    assert features["tokens"].feature == datasets.Value("string")


def test_tokens_and_tags_equal_the_conll_export(tmp_path: Path, offline: Path) -> None:
    hf.export(RECORDS, tmp_path / "dataset")

    loaded = list(rows(load(tmp_path / "dataset", offline)["train"]))

    assert [(row["tokens"], row["tags"]) for row in loaded] == conll_documents(RECORDS)


def test_spans_and_relations_are_kept_whole(tmp_path: Path, offline: Path) -> None:
    report = hf.export(RECORDS, tmp_path / "dataset")

    loaded = list(load(tmp_path / "dataset", offline)["train"])

    for row, source in zip(loaded, RECORDS, strict=True):
        assert row["spans"] == [
            {"id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": s.text}
            for s in source.spans
        ]
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["text"]
        assert row["relations"] == [
            {"id": r.id, "head": r.head, "tail": r.tail, "label": r.label} for r in source.relations
        ]
    reasons = {(d.document, d.span): d.reason for d in report.dropped}
    assert reasons[("7", "n")] is DropReason.NESTED
    assert reasons[("9", "g")] is DropReason.UNALIGNED
    assert any("left out of ner_tags only" in w.message for w in report.warnings)


def test_splits_are_one_dataset_and_an_empty_one_is_left_out(tmp_path: Path, offline: Path) -> None:
    folder = tmp_path / "dataset"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"not": "data"}', "utf-8")

    report = hf.export_splits({"train": RECORDS[:2], "dev": [], "test": RECORDS[2:]}, folder)

    loaded = load(folder, offline)
    assert list(loaded) == ["train", "test"]
    assert loaded["train"]["id"] == ["7", "8"] and loaded["test"]["id"] == ["9"]
    train_names = loaded["train"].features["ner_tags"].feature.names
    assert loaded["test"].features["ner_tags"].feature.names == train_names
    assert sorted(p.name for p in folder.iterdir()) == [
        "README.md",
        "manifest.json",
        "test.jsonl",
        "train.jsonl",
    ]
    assert report.warnings[0].message.startswith("split 'dev' holds no documents")


def test_registered_as_a_folder_format_that_writes_splits() -> None:
    fmt = FORMATS["hf"]
    # wrapped: a discontinuous span goes out as one span per fragment
    assert getattr(fmt.export, "__wrapped__", None) is hf.export
    assert getattr(fmt.export_splits, "__wrapped__", None) is hf.export_splits
    assert fmt.folder
    assert fmt.read is None
    assert "tokens" in fmt.offset_unit and "code points" in fmt.offset_unit
