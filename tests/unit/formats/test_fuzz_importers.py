"""Fuzzing the importers: whatever a file holds, reading it raises ``InputError`` or nothing.

Each importer is fed random bytes, valid files with bytes flipped, cut or inserted, and valid
files changed where they have structure (a JSON value replaced, a CSV cell or ``.ann`` field
rewritten). Any exception other than ``InputError`` fails.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import brat, conll, csv_tables, doccano, jsonl, labelstudio
from app.formats.report import ReadReport

Files = dict[str, bytes]
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TEXT = (
    "Zoe\u0308 Lindqvist said:\n\u201cIt opens \U0001f6a2 soon.\u201d "
    "\u05d9\u05e2\u05dc \u6771\u4eac"
)


def _seed_record() -> DocumentRecord:
    def at(part: str, label: str, id_: str, **attributes: Any) -> SpanRecord:
        start = TEXT.index(part)
        return SpanRecord(id_, start, start + len(part), label, part, "ann", attributes=attributes)

    return DocumentRecord(
        "-1",
        TEXT,
        meta={"title": "=Harbour", "n": 2},
        spans=(
            at("Zoe\u0308 Lindqvist", "PERSON", "p"),
            at("said", "CUE", "c", note="a note"),
            at("\u201cIt opens \U0001f6a2 soon.\u201d", "QUOTE", "q", check_worthy=True, n=3),
            at("\u05d9\u05e2\u05dc", "PERSON", "h"),
        ),
        relations=(
            RelationRecord("r1", "q", "p", "speaker"),
            RelationRecord("r2", "q", "c", "cue"),
        ),
    )


def _exported(export: Callable[[list[DocumentRecord], Path], object], name: str) -> Files:
    """The files an exporter writes for two documents, by name."""
    records = [_seed_record(), DocumentRecord("2", "Second\n\ndocument.")]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        export(records, target)
        root = target if target.is_dir() else Path(folder)
        return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


SEEDS: dict[str, tuple[Files, str]] = {
    "jsonl": (_exported(jsonl.export, "docs.jsonl"), "docs.jsonl"),
    "doccano": (_exported(doccano.export, "docs.jsonl"), "docs.jsonl"),
    "labelstudio": (_exported(labelstudio.export, "tasks.json"), "tasks.json"),
    "conll": (_exported(conll.export, "docs.conll"), "docs.conll"),
    "brat": (_exported(brat.export, "out"), "."),
    "csv": (_exported(csv_tables.export, "out"), "."),
}
"""Valid files per format, and what to read: a file name, or ``.`` for the folder."""

READERS = {
    "jsonl": jsonl.read,
    "doccano": doccano.read,
    "labelstudio": labelstudio.read,
    "conll": conll.read,
    "brat": brat.read,
    "csv": csv_tables.read,
}

TOKENS = [
    b'"', b"{", b"}", b"[", b"]", b",", b":", b"\\", b"\\u", b"\\ud800", b"\\udfff", b"\r",
    b"\n", b"\r\n", b"\t", b" ", b"-1", b"0", b"1e999", b"9" * 20, b"1" * 5000, b"null",
    b"true", b"NaN", b"\xff", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x00", b"[" * 3000,
    b'{"a":' * 3000, b"'=", b'""', b"T1", b"R1", b"A1", b"#1", b"E1", b"Arg1:T1", b"Arg2:T9",
    b"B-PERSON", b"I-PERSON", b"-DOCSTART- -X- O O", b"PERSON 0 3", b"1 2;3 4",
    "\u0663".encode(), "\u2028".encode(), b"\xc2\x85",
]  # fmt: skip
"""Bytes that end strings, open structures, break encodings or name things."""

WORDS = [
    "id", "text", "start", "end", "label", "labels", "type", "value", "from_id", "to_id",
    "result", "annotations", "predictions", "completions", "data", "entities", "relations",
    "start_offset", "end_offset", "from_name", "spans", "head", "tail", "meta", "attributes",
    "completed_by", "was_cancelled", "choices", "textarea", "number", "relation", "direction",
    "left", "PERSON", "true", "p", "q", "1", "s0", "-1", "=1",
]  # fmt: skip
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 200)
    | st.integers()
    | st.floats()
    | st.text(max_size=6)
    | st.sampled_from(WORDS),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(WORDS), children, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def byte_mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes flipped, cut, inserted or repeated."""
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        if operation == "flip" and position < len(data):
            data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1 :]
        elif operation == "cut":
            data = data[:position] + data[position + draw(st.integers(1, 40)) :]
        elif operation == "insert":
            data = data[:position] + draw(st.sampled_from(TOKENS)) + data[position:]
        elif operation == "repeat":
            data = data[:position] + data[position : position + 60] + data[position:]
        else:
            data = data[:position]
    return data


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@st.composite
def json_mutations(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with one part replaced by another JSON value, or removed."""
    value = copy.deepcopy(value)
    path = draw(st.sampled_from(list(_paths(value))))
    if not path:
        return draw(json_values)
    parent = value
    for key in path[:-1]:
        parent = parent[key]
    if draw(st.booleans()):
        parent[path[-1]] = draw(json_values)
    else:
        del parent[path[-1]]
    return value


@st.composite
def structured_mutations(draw: st.DrawFn, name: str, data: bytes) -> bytes:
    """A change where the file has structure: JSON values, CSV cells, tab-separated fields."""
    text = data.decode("utf-8")
    if name.endswith(".json"):
        return json.dumps(draw(json_mutations(json.loads(text)))).encode()
    if name.endswith(".jsonl"):
        lines = text.splitlines()
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = json.dumps(draw(json_mutations(json.loads(lines[index]))))
        return "\n".join(lines).encode()
    cell = st.one_of(st.sampled_from(WORDS), st.text(max_size=8), st.integers(-5, 500).map(str))
    if name.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(text, newline="")))
        row = draw(st.integers(0, len(rows) - 1))
        if rows[row] and draw(st.booleans()):
            rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(cell)
        else:
            rows.insert(draw(st.integers(0, len(rows))), list(draw(st.lists(cell, max_size=10))))
        out = io.StringIO(newline="")
        csv.writer(out).writerows(rows)
        return out.getvalue().encode()
    lines = text.split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    fields = lines[index].replace("\t", " \t ").split(" ")
    if fields:
        fields[draw(st.integers(0, len(fields) - 1))] = draw(cell)
    lines[index] = " ".join(fields).replace(" \t ", "\t")
    return "\n".join(lines).encode()


@st.composite
def fuzzed(draw: st.DrawFn, format_name: str) -> Files:
    """The seed files of a format with one of them broken in some way."""
    files = dict(SEEDS[format_name][0])
    name = draw(st.sampled_from(sorted(files)))
    how = draw(st.sampled_from(["random", "bytes", "structure"]))
    if how == "random":
        files[name] = draw(st.binary(max_size=400))
    elif how == "bytes":
        files[name] = draw(byte_mutations(files[name]))
    else:
        files[name] = draw(structured_mutations(name, files[name]))
    return files


def read_all(format_name: str, files: Files) -> None:
    """Read the files as the importer would; only ``InputError`` may escape."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, data in files.items():
            (root / name).write_bytes(data)
        target = root / SEEDS[format_name][1]
        with contextlib.suppress(InputError):
            list(READERS[format_name](target, ReadReport(format_name)))


@pytest.mark.parametrize("format_name", sorted(READERS))
def test_the_seed_files_read(format_name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, data in SEEDS[format_name][0].items():
            (root / name).write_bytes(data)
        records = list(READERS[format_name](root / SEEDS[format_name][1], None))
    assert len(records) == 2


@pytest.mark.parametrize("format_name", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_only_input_errors_escape(format_name: str, data: st.DataObject) -> None:
    read_all(format_name, data.draw(fuzzed(format_name)))


@pytest.mark.parametrize(
    ("format_name", "name", "content"),
    [
        ("jsonl", "docs.jsonl", b'{"text": "a", "n": ' + b"1" * 5000 + b"}\n"),
        ("jsonl", "docs.jsonl", b"[" * 100_000 + b"\n"),
        ("brat", "a.ann", b"T1\tPERSON 0 " + b"3" * 5000 + b"\tZoe\n"),
        ("labelstudio", "tasks.json", b"[" + b"[" * 100_000),
        ("labelstudio", "tasks.json", b'[{"data": {"text": "a"}, "n": ' + b"1" * 5000 + b"}]"),
        ("csv", "documents.csv", b'id,title,text,meta\na,,Ana,"' + b"[" * 100_000 + b'"\n'),
    ],
)
def test_known_traps(format_name: str, name: str, content: bytes) -> None:
    files = dict(SEEDS[format_name][0])
    files[name] = content
    if format_name == "brat":
        files["a.txt"] = TEXT.encode()
    read_all(format_name, files)
