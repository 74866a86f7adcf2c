"""Every importer against files built to exhaust it: cut short, nested deep, huge, NaN, NUL,
compressed. Reading a file and passing its records through the check at the door raises
``InputError`` or nothing; and a file refused at import leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.limits import check_record
from app.core.records import DocumentRecord
from app.core.text import MAX_DOCUMENT_BYTES
from app.formats import FORMATS, prodigy, spacy_checks, spacy_docbin
from app.formats.report import ReadReport
from app.services import Workspace
from app.services.importing import import_paths
from tests.unit.formats.test_fuzz_importers import (
    SEEDS,
    TEXT,
    Files,
    _exported,
    byte_mutations,
)

pytest.importorskip("spacy")
import srsly

PAGE = (
    "<html><head><title>Harbour</title></head><body><article><p>"
    + TEXT.replace("\n", "</p><p>")
    + "</p></article></body></html>"
)

ALL_SEEDS: dict[str, tuple[Files, str]] = {
    **SEEDS,
    "spacy": (_exported(spacy_docbin.export, "docs.spacy"), "docs.spacy"),
    "prodigy": (_exported(prodigy.export, "docs.jsonl"), "docs.jsonl"),
    "txt": ({"article.txt": TEXT.encode()}, "article.txt"),
    "html": ({"page.html": PAGE.encode()}, "page.html"),
}
"""Valid files of every format Glossa reads, and what to read: a file name or ``.``."""

MAIN_FILE = {
    "brat": next(name for name in SEEDS["brat"][0] if name.endswith(".ann")),
    "csv": "spans.csv",
}
"""The file to break in a folder format (else the file that is read)."""

PER_DOCUMENT = {"brat"}
"""Folder formats that refuse a broken document alone, reading the others."""

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def readers() -> list[str]:
    return sorted(name for name, fmt in FORMATS.items() if fmt.read is not None)


def main_file(format_name: str) -> str:
    return MAIN_FILE.get(format_name, ALL_SEEDS[format_name][1])


@contextlib.contextmanager
def laid_out(format_name: str, files: Files) -> Iterator[Path]:
    """The files in a fresh folder; yields what the importer is given."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, data in files.items():
            (root / name).write_bytes(data)
        target = ALL_SEEDS[format_name][1]
        yield root if target == "." else root / target


def read_at_the_door(format_name: str, files: Files) -> list[DocumentRecord]:
    """Read as an import does, records checked; only ``InputError`` may escape."""
    reader = FORMATS[format_name].read
    assert reader is not None
    with laid_out(format_name, files) as target:
        try:
            records = list(reader(target, ReadReport(format_name)))
            for record in records:
                check_record(record)
        except InputError:
            return []
    if format_name in PER_DOCUMENT:  # a bad document is refused, not its neighbours
        return [r for r in records if Path(r.source).name == main_file(format_name)]
    return records


def with_main(format_name: str, data: bytes) -> Files:
    return {**ALL_SEEDS[format_name][0], main_file(format_name): data}


def test_every_format_that_reads_is_fuzzed() -> None:
    assert sorted(ALL_SEEDS) == readers()


@pytest.mark.parametrize("format_name", readers())
def test_the_seeds_read_whole(format_name: str) -> None:
    assert read_at_the_door(format_name, ALL_SEEDS[format_name][0])


def deep(depth: int) -> bytes:
    return b'{"x": ' * depth + b"1" + b"}" * depth


def docbin_bomb(inflated: int) -> bytes:
    """A DocBin-shaped zlib stream: a msgpack table whose one string inflates to ``inflated``."""
    head = srsly.msgpack_dumps({"attrs": [65], "strings": ["x" * 8]})[:-9]
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(head + b"\xdb" + inflated.to_bytes(4, "big"))]
    parts.extend(compressor.compress(b"x" * (1 << 20)) for _ in range(inflated >> 20))
    return b"".join(parts) + compressor.flush()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


def zipped(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inside", data)
    return out.getvalue()


TRAPS: dict[str, bytes] = {
    "deep array": b"[" * 100_000,
    "deep object": b'{"a":' * 3000,
    "deep meta": b'{"text": "Ann said yes.", "meta": ' + deep(985) + b"}\n",
    "deep meta, short": b'{"text": "Ann said yes.", "meta": ' + deep(40) + b"}\n",
    "NaN": b'{"text": "Ann said yes.", "meta": {"n": NaN}}\n',
    "Infinity": b'[{"data": {"text": "Ann said yes.", "n": Infinity}}]',
    "escaped NUL": b'{"text": "Ann\\u0000 said yes.", "label": [[0, 3, "PERSON"]]}\n',
    "NUL label": b'{"text": "Ann said yes.", "spans": [{"start": 0, "end": 3, '
    + b'"label": "P\\u0000"}]}',
    "raw NUL": b"Ann\x00 said yes.\n",
    "long title": b'{"text": "Ann said yes.", "meta": {"title": "' + b"t" * 600 + b'"}}\n',
    "empty": b"",
    "BOM only": b"\xef\xbb\xbf",
    "lone surrogate": b'{"text": "Ann \\ud800 said yes."}\n',
    "deep surrogate": b'{"text": "Ann said yes.", "meta": ' + deep(900)[:-901] + b'"\\ud800"'
    + b"}" * 900 + b"}\n",
}  # fmt: skip
"""Bytes that broke, or could break, some reader or the store behind it."""


@pytest.mark.parametrize("trap", sorted(TRAPS))
@pytest.mark.parametrize("format_name", readers())
def test_traps_in_the_main_file(format_name: str, trap: str) -> None:
    read_at_the_door(format_name, with_main(format_name, TRAPS[trap]))


@pytest.mark.parametrize("format_name", readers())
def test_a_file_past_the_size_limit(format_name: str) -> None:
    seed = ALL_SEEDS[format_name][0][main_file(format_name)]
    huge = seed + b" " * (MAX_DOCUMENT_BYTES + 1 - len(seed))
    read_at_the_door(format_name, with_main(format_name, huge))


@pytest.mark.parametrize("format_name", readers())
@pytest.mark.parametrize("packing", [gzipped, zipped, zlib.compress])
def test_a_compressed_file_in_place_of_the_real_one(format_name: str, packing: object) -> None:
    seed = ALL_SEEDS[format_name][0][main_file(format_name)]
    assert callable(packing)
    assert read_at_the_door(format_name, with_main(format_name, packing(seed))) == []


def test_a_small_docbin_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spacy_checks, "MAX_INFLATED_BYTES", 2 << 20)
    bomb = docbin_bomb(32 << 20)
    assert len(bomb) < 64_000
    with laid_out("spacy", {"docs.spacy": bomb}) as path, pytest.raises(InputError) as caught:
        list(spacy_docbin.read(path))

    assert "inflates to more than 2,097,152 bytes" in caught.value.describe()


@st.composite
def trapped(draw: st.DrawFn, format_name: str) -> Files:
    """The seed files with the main one cut short, trapped, compressed or byte-mutated."""
    name = main_file(format_name)
    data = ALL_SEEDS[format_name][0][name]
    if format_name == "spacy":
        data = zlib.decompress(data)  # break the msgpack table, not the compression
    how = draw(st.sampled_from(["cut", "trap", "bytes", "compress"]))
    if how == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "trap":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from(sorted(TRAPS.values()))) + data[at:]
    elif how == "bytes":
        data = draw(byte_mutations(data))
    else:
        data = draw(st.sampled_from([gzipped, zipped, zlib.compress]))(data)
    if format_name == "spacy":
        data = zlib.compress(data)
    return {**ALL_SEEDS[format_name][0], name: data}


@pytest.mark.parametrize("format_name", readers())
@FUZZ
@given(data=st.data())
def test_only_input_errors_escape(format_name: str, data: st.DataObject) -> None:
    read_at_the_door(format_name, data.draw(trapped(format_name)))


TABLE_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 2**40)
    | st.floats()
    | st.text(max_size=5)
    | st.binary(max_size=64),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=6,
)


@FUZZ
@given(data=st.data())
def test_a_docbin_table_changed_anywhere(data: st.DataObject) -> None:
    """The DocBin's msgpack table with parts removed, cut, or replaced by any value."""
    table = srsly.msgpack_loads(zlib.decompress(ALL_SEEDS["spacy"][0]["docs.spacy"]))
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(sorted({*table, "user_data", "span_groups", "flags"})))
        value = table.get(key)
        how = data.draw(st.sampled_from(["replace", "cut", "element", "remove"]))
        if how == "remove":
            table.pop(key, None)
        elif how == "cut" and isinstance(value, bytes | list):
            at = data.draw(st.integers(0, len(value)))
            table[key] = value[:at] + value[at + data.draw(st.integers(1, 9)) :]
        elif how == "element" and isinstance(value, list) and value:
            value = list(value)
            value[data.draw(st.integers(0, len(value) - 1))] = data.draw(TABLE_VALUES)
            table[key] = value
        else:
            table[key] = data.draw(TABLE_VALUES)
    read_at_the_door("spacy", {"docs.spacy": zlib.compress(srsly.msgpack_dumps(table))})


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a SQLite file, read behind the services' back."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"'), key=repr)
            for table in tables
            if not table.startswith("sqlite_")
            and connection.execute(
                "SELECT type FROM sqlite_master WHERE name = ?", (table,)
            ).fetchone()[0]
            == "table"
        }


@pytest.mark.parametrize("format_name", readers())
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_refused_file_leaves_the_database_as_it_was(
    format_name: str, data: st.DataObject
) -> None:
    files = data.draw(trapped(format_name))
    workspace = _workspace()
    database = workspace.database.path
    assert database is not None
    before = snapshot(database)
    with laid_out(format_name, files) as target:
        report = import_paths(workspace, [target], format_name=format_name)
    if not report.ok and format_name not in PER_DOCUMENT:
        assert report.imported == []
        assert snapshot(database) == before
    if not report.ok and format_name in PER_DOCUMENT:  # the bad document alone is refused
        assert len(report.imported) < len(ALL_SEEDS[format_name][0])


_WORKSPACES: dict[str, Workspace] = {}


def _workspace() -> Workspace:
    """One workspace on a real SQLite file for all the examples (opening one takes long)."""
    if "shared" not in _WORKSPACES:
        folder = Path(tempfile.mkdtemp())
        _WORKSPACES["shared"] = Workspace.open(str(folder / "fuzz.db"), "tester", samples=False)
    return _WORKSPACES["shared"]


@pytest.fixture(scope="module", autouse=True)
def _close_workspaces() -> Iterator[None]:
    yield
    for workspace in _WORKSPACES.values():
        workspace.close()
    _WORKSPACES.clear()


def test_a_seed_imports_into_the_shared_database() -> None:
    with laid_out("jsonl", ALL_SEEDS["jsonl"][0]) as target:
        report = import_paths(_workspace(), [target])
    assert report.ok, [e.describe() for e in report.errors]
    assert len(report.imported) + len(report.skipped) == 2  # a fuzzed copy may be in already
