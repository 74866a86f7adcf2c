"""Records the store cannot hold are refused at the door, the same on SQLite and PostgreSQL.

Each refused file leaves the database exactly as it was, the refusal names the file, the
line and the field, and ``glossa import`` prints it on one line and exits 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.pool import NullPool

from app.core.errors import InputError
from app.services import Workspace
from app.services.checking import check
from app.services.importing import import_paths
from app.services.merging import merge_jsonl
from app.store.orm import Base
from tests.cli.runner import glossa

TEXT = "Ann Varga said yes."
PERSON = {"id": "p", "start": 0, "end": 9, "label": "PERSON"}


def nested(depth: int) -> str:
    """A JSON object ``depth`` levels deep (written out: ``json.dumps`` would recurse)."""
    return '{"x": ' * (depth - 1) + '{"leaf": 1}' + "}" * (depth - 1)


BAD_LINES: dict[str, tuple[str, str]] = {
    "deep meta": (f'{{"text": "{TEXT}", "meta": {nested(40)}}}', "nested deeper than 32 levels"),
    # json.loads itself may give up first: how deep it reads depends on the stack below it
    "very deep meta": (f'{{"text": "{TEXT}", "meta": {nested(985)}}}', ": nested "),
    "NaN": ('{"text": "Ann Varga said yes.", "meta": {"score": NaN}}', "NaN"),
    "Infinity in a span": (
        '{"text": "Ann Varga said yes.", "spans": [{"id": "p", "start": 0, "end": 9, '
        '"label": "PERSON", "attributes": {"c": -Infinity}}]}',
        "-Infinity",
    ),
    "NUL in the text": (json.dumps({"text": "Ann\u0000 Varga said yes."}), "text: holds a NUL"),
    "NUL in the title": (
        json.dumps({"text": TEXT, "meta": {"title": "Bud\u0000get"}}),
        "title: holds a NUL",
    ),
    "NUL in a meta value": (
        json.dumps({"text": TEXT, "meta": {"tags": ["a\u0000"]}}),
        "meta.tags[0]: holds a NUL",
    ),
    "NUL in an attribute": (
        json.dumps({"text": TEXT, "spans": [{**PERSON, "attributes": {"n": "\u0000"}}]}),
        "attributes.n: holds a NUL",
    ),
    "NUL in an annotator": (
        json.dumps({"text": TEXT, "spans": [{**PERSON, "annotator": "a\u0000"}]}),
        "annotator: holds a NUL",
    ),
    "long title": (json.dumps({"text": TEXT, "meta": {"title": "t" * 600}}), "title: 600"),
    "long id": (json.dumps({"id": "i" * 300, "text": TEXT}), "id: 300 characters"),
    "long annotator": (
        json.dumps({"text": TEXT, "spans": [{**PERSON, "annotator": "a" * 300}]}),
        "annotator: 300 characters; the limit is 200",
    ),
    "huge meta": (
        json.dumps({"text": TEXT, "meta": {"notes": ["n" * 1000] * 1100}}),
        "meta: 1,1",
    ),
}


def rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read behind the services' back."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return {
                table.name: sorted(map(tuple, connection.execute(select(table))), key=repr)
                for table in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


@pytest.fixture
def workspace_at(database_url: str) -> Iterator[Workspace]:
    """An empty workspace on ``database_url``."""
    workspace = Workspace.open(database_url, "tester", samples=False)
    yield workspace
    workspace.close()


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_a_record_the_store_cannot_hold_is_refused_and_nothing_changes(
    case: str, database_url: str, workspace_at: Workspace, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.jsonl", json.dumps({"text": "Already here.", "spans": []}))
    assert import_paths(workspace_at, [good]).ok
    before = rows(database_url)
    line, field = BAD_LINES[case]
    bad = write(tmp_path / "bad.jsonl", json.dumps({"text": "A fine first line."}), line)

    report = import_paths(workspace_at, [bad])

    assert report.imported == [] and len(report.errors) == 1
    message = report.errors[0].describe()
    assert message.startswith(f"{bad}:2: ") and field in message
    assert rows(database_url) == before
    assert check(workspace_at) == []


@pytest.mark.parametrize("case", ["very deep meta", "NaN", "NUL in the text", "long title"])
def test_the_cli_prints_one_line_and_exits_1(case: str, database_url: str, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.jsonl", BAD_LINES[case][0])

    result = glossa("import", bad, "--db", database_url)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"error: {bad}:1: ")
    assert BAD_LINES[case][1] in errors[0]
    assert "1 file(s) refused" in result.stdout


def test_an_entity_table_the_store_cannot_hold_is_refused(
    database_url: str, workspace_at: Workspace, tmp_path: Path
) -> None:
    before = rows(database_url)
    docs = write(
        tmp_path / "docs.jsonl",
        json.dumps({"text": TEXT, "spans": [{**PERSON, "entity": "e1"}]}),
    )
    write(
        tmp_path / "docs.entities.jsonl",
        json.dumps({"id": "e1", "name": "Ann\u0000 Varga", "type": "PERSON"}),
    )

    report = import_paths(workspace_at, [docs])

    assert len(report.errors) == 1
    assert "docs.entities.jsonl:1: entity 'e1' name: holds a NUL" in report.errors[0].describe()
    assert rows(database_url) == before


@pytest.mark.parametrize("case", ["NUL in the text", "long annotator", "NaN"])
def test_merging_a_jsonl_export_checks_the_same(
    case: str, database_url: str, workspace_at: Workspace, tmp_path: Path
) -> None:
    before = rows(database_url)
    bad = write(tmp_path / "theirs.jsonl", BAD_LINES[case][0])

    with pytest.raises(InputError) as caught:
        merge_jsonl(workspace_at, [bad])

    assert caught.value.describe().startswith(f"{bad}:1: ")
    assert BAD_LINES[case][1] in caught.value.describe()
    assert rows(database_url) == before


def test_a_format_whose_library_is_missing_refuses_that_file_only(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spacy_file = tmp_path / "a.spacy"
    spacy_file.write_bytes(b"anything")
    text_file = write(tmp_path / "b.txt", "An article.")
    monkeypatch.setitem(sys.modules, "spacy", None)  # as if spaCy were not installed

    report = import_paths(workspace, [spacy_file, text_file])

    assert report.imported == ["An article."]
    assert [error.describe() for error in report.errors] == [
        f"{spacy_file}: reading or writing .spacy files needs spaCy; "
        "install it with: pip install spacy"
    ]


def _docbin(path: Path, *texts: str) -> Path:
    pytest.importorskip("spacy")
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

    vocab = Vocab()
    doc_bin = DocBin()
    for text in texts:
        words = text.split()
        doc_bin.add(Doc(vocab, words=words, spaces=[True] * len(words)))
    doc_bin.to_disk(path)
    return path


def test_empty_documents_of_a_docbin_are_skipped_and_counted(
    workspace_at: Workspace, tmp_path: Path
) -> None:
    path = _docbin(tmp_path / "corpus.spacy", "Ann said yes", "", "Bo left", "")

    report = import_paths(workspace_at, [path])

    assert report.ok and report.imported == ["Ann said yes", "Bo left"]
    assert report.warnings == [f"{path}: skipped 2 empty document(s) (number 2, 4)"]


def test_a_malformed_or_inflating_docbin_changes_nothing(
    database_url: str, workspace_at: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zlib

    import srsly

    from app.formats import spacy_checks

    good = _docbin(tmp_path / "good.spacy", "Ann said yes")
    table = srsly.msgpack_loads(zlib.decompress(good.read_bytes()))
    broken = tmp_path / "broken.spacy"
    broken.write_bytes(zlib.compress(srsly.msgpack_dumps({**table, "cats": []})))
    bomb = tmp_path / "bomb.spacy"
    bomb.write_bytes(zlib.compress(srsly.msgpack_dumps({**table, "strings": ["x" * (4 << 20)]}), 9))
    monkeypatch.setattr(spacy_checks, "MAX_INFLATED_BYTES", 1 << 20)
    before = rows(database_url)

    report = import_paths(workspace_at, [broken, bomb])

    assert report.imported == []
    assert [error.describe() for error in report.errors] == [
        f"{broken}: malformed DocBin: 'cats' must list one entry per document",
        f"{bomb}: inflates to more than 1,048,576 bytes (from {bomb.stat().st_size:,}); "
        "refused as a decompression bomb or a file too large to import",
    ]
    assert rows(database_url) == before
