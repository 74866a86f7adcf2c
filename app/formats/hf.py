"""A Hugging Face ``datasets`` folder: JSON lines per split and a dataset card declaring features.

Layout of a written folder::

    README.md        dataset card: YAML ``configs`` (the file of each split) and
                     ``dataset_info.features`` (names and types of the columns)
    data.jsonl       every document, as the ``train`` split, when the export has no split;
    train.jsonl      or one file per split that holds documents
    dev.jsonl
    test.jsonl

``datasets.load_dataset(folder)`` reads it offline; the card makes ``ner_tags`` a
``Sequence(ClassLabel(names=["O", "B-LABEL", "I-LABEL", ...]))``, so the tag names travel with
the data. Only the files named in the card are read, so other files in the folder (the
export's ``manifest.json``) do no harm. A split without documents is left out of the card
(``datasets`` refuses an empty split) and the report says so.

One line per document::

    {"id", "title", "text", "tokens": [...], "ner_tags": [0, 1, 2, ...],
     "spans": [{"id", "start", "end", "label", "text"}], "relations": [{"id", "head", "tail",
     "label"}]}

``tokens`` and ``ner_tags`` are cut exactly as the CoNLL export cuts them (``tokens`` module;
one flat layer chosen outermost-longest first, strict IOB2), without its sentence breaks: one
document is one example. Spans left out of that layer (nested, overlapping, not on token
boundaries) are counted in the ``ExportReport`` and are still in ``spans``, with every other
span and the relations (``head`` and ``tail`` name span ids). ``start``/``end`` count Unicode
code points of ``text``. Tag ids: ``O`` is 0, then ``B-``/``I-`` of each label in sorted order,
over the labels of the whole export; the lines are written with tag names first and given
their ids once every label is known.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any

from app.core.records import DocumentRecord
from app.formats.conll import token_layer
from app.formats.report import ExportReport
from app.formats.tokens import Tokenizer, tokenize

FORMAT_NAME = "hf"
CARD = "README.md"
SINGLE = "data.jsonl"
SINGLE_SPLIT = "train"


def tokens_and_tags(
    record: DocumentRecord, report: ExportReport, tokenizer: Tokenizer
) -> tuple[list[str], list[str]]:
    """The document's tokens and IOB2 tags; spans left out of the layer go to ``report``."""
    token_ranges, layer = token_layer(record, report, tokenizer)
    tags = ["O"] * len(token_ranges)
    for span, first, stop in layer:
        tags[first] = f"B-{span.label}"
        for i in range(first + 1, stop):
            tags[i] = f"I-{span.label}"
        report.keep(span.label)
    tokens = [record.text[start:end] for start, end in token_ranges]
    return tokens, tags


def example(record: DocumentRecord, tokens: list[str], tags: list[str]) -> dict[str, Any]:
    """One line of the dataset, with tag names (ids are given when the export ends)."""
    return {
        "id": record.id,
        "title": record.title,
        "text": record.text,
        "tokens": tokens,
        "ner_tags": tags,
        "spans": [
            {"id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": s.text}
            for s in record.spans
        ],
        "relations": [
            {"id": r.id, "head": r.head, "tail": r.tail, "label": r.label} for r in record.relations
        ],
    }


def tag_names(labels: Iterable[str]) -> list[str]:
    """``O``, then ``B-``/``I-`` of each label in sorted order."""
    names = ["O"]
    for label in sorted(set(labels)):
        names.extend((f"B-{label}", f"I-{label}"))
    return names


def export_splits(
    splits: Mapping[str, Iterable[DocumentRecord]],
    folder: Path,
    *,
    tokenizer: Tokenizer = tokenize,
) -> ExportReport:
    """Write one ``NAME.jsonl`` per split that holds documents, and the card, into ``folder``."""
    return _write(folder, {name: f"{name}.jsonl" for name in splits}, splits, tokenizer)


def export(
    records: Iterable[DocumentRecord], folder: Path, *, tokenizer: Tokenizer = tokenize
) -> ExportReport:
    """Write every document to ``data.jsonl`` (the ``train`` split) and the card."""
    return _write(folder, {SINGLE_SPLIT: SINGLE}, {SINGLE_SPLIT: records}, tokenizer)


def _write(
    folder: Path,
    files: Mapping[str, str],
    splits: Mapping[str, Iterable[DocumentRecord]],
    tokenizer: Tokenizer,
) -> ExportReport:
    report = ExportReport(FORMAT_NAME)
    folder.mkdir(parents=True, exist_ok=True)
    labels: set[str] = set()
    counts: dict[str, int] = {}
    for name, records in splits.items():
        part = folder / f".{files[name]}.part"
        count = 0
        with part.open("w", encoding="utf-8", newline="\n") as out:
            for record in records:
                tokens, tags = tokens_and_tags(record, report, tokenizer)
                labels.update(tag[2:] for tag in tags if tag != "O")
                _line(out, example(record, tokens, tags))
                count += 1
        counts[name] = count
        report.documents += count
    names = tag_names(labels)
    ids = {tag: i for i, tag in enumerate(names)}
    for name, file in files.items():
        part = folder / f".{file}.part"
        if counts[name]:
            _number_tags(part, folder / file, ids)
        else:
            report.warn(f"split {name!r} holds no documents; it is left out of the dataset")
        part.unlink()
    if report.dropped:
        report.warn(
            f"{len(report.dropped)} span(s) are left out of ner_tags only: "
            "every span is in the spans column"
        )
    kept = {name: file for name, file in files.items() if counts[name]}
    (folder / CARD).write_text(card(kept, names, counts), encoding="utf-8", newline="\n")
    return report


def _line(out: IO[str], row: dict[str, Any]) -> None:
    out.write(json.dumps(row, ensure_ascii=False))
    out.write("\n")


def _number_tags(source: Path, target: Path, ids: Mapping[str, int]) -> None:
    with (
        source.open("r", encoding="utf-8") as lines,
        target.open("w", encoding="utf-8", newline="\n") as out,
    ):
        for line in lines:
            row = json.loads(line)
            row["ner_tags"] = [ids[tag] for tag in row["ner_tags"]]
            _line(out, row)


def _q(value: str) -> str:
    """A YAML scalar: JSON strings are valid YAML double-quoted strings."""
    return json.dumps(value, ensure_ascii=False)


def card(files: Mapping[str, str], names: list[str], counts: Mapping[str, int]) -> str:
    """The dataset card: YAML front matter for ``datasets``, then a short description."""
    lines = ["---", "configs:", "- config_name: default", "  data_files:"]
    for split, file in files.items():
        lines += [f"  - split: {_q(split)}", f"    path: {_q(file)}"]
    lines += ["dataset_info:", "  features:"]
    for column in ("id", "title", "text"):
        lines += [f"  - name: {column}", "    dtype: string"]
    lines += ["  - name: tokens", "    sequence: string"]
    lines += ["  - name: ner_tags", "    sequence:", "      class_label:", "        names:"]
    lines += [f"          {_q(str(i))}: {_q(name)}" for i, name in enumerate(names)]
    lines += ["  - name: spans", "    list:"]
    lines += _fields((("id", "string"), ("start", "int64"), ("end", "int64")))
    lines += _fields((("label", "string"), ("text", "string")))
    lines += ["  - name: relations", "    list:"]
    lines += _fields((("id", "string"), ("head", "string"), ("tail", "string")))
    lines += _fields((("label", "string"),))
    lines += ["---", "", "# Annotated news articles", ""]
    lines += [
        "Exported by Glossa. One example per document: `tokens` and `ner_tags` (IOB2, one",
        "flat layer of spans), every span in `spans` (offsets in Unicode code points of",
        "`text`, end exclusive) and the relations between spans in `relations` (`head` and",
        "`tail` are span ids).",
        "",
        "| split | file | documents |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {split} | {file} | {counts[split]} |" for split, file in files.items()]
    lines += [
        "",
        "```python",
        "from datasets import load_dataset",
        'dataset = load_dataset("path/to/this/folder")',
        'names = dataset["train"].features["ner_tags"].feature.names',
        "```",
        "",
    ]
    return "\n".join(lines)


def _fields(fields: Iterable[tuple[str, str]]) -> list[str]:
    lines: list[str] = []
    for name, dtype in fields:
        lines += [f"    - name: {name}", f"      dtype: {dtype}"]
    return lines
