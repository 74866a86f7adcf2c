"""Importing reads regular files only, and holds each to its size limit before reading it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.core.text import MAX_DOCUMENT_BYTES
from tests.cli.runner import glossa

LIMITS = {"timeout": 60, "memory": 2 * 1024**3}
"""A regression must fail fast: a named pipe blocks for ever, /dev/zero fills memory."""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of articles with pipes and devices among them, under importable names."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbour.txt").write_text("Harbour to open\n\nThe harbour opens.", "utf-8")
    elsewhere = tmp_path / "kept-elsewhere.txt"
    elsewhere.write_text("Linked article\n\nA link to a file is a file.", "utf-8")
    (folder / "linked.txt").symlink_to(elsewhere)
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe.jsonl")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "zero.jsonl").symlink_to("/dev/zero")
    (folder / "zero.csv").symlink_to("/dev/zero")
    return folder


def test_pipes_and_devices_in_a_folder_are_skipped_with_a_warning(
    tmp_path: Path, folder: Path
) -> None:
    result = glossa("--db", tmp_path / "x.db", "import", folder, **LIMITS)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "imported 2 document(s) with 0 span(s)\n"
    warnings = sorted(result.stderr.splitlines())
    assert warnings == [
        f"warning: {folder / 'pipe.jsonl'}: skipped: a named pipe, not a file",
        f"warning: {folder / 'pipe.txt'}: skipped: a named pipe, not a file",
        f"warning: {folder / 'zero.csv'}: skipped: a character device, not a file",
        f"warning: {folder / 'zero.jsonl'}: skipped: a character device, not a file",
        f"warning: {folder / 'zero.txt'}: skipped: a character device, not a file",
    ]


@pytest.mark.parametrize("name", ["pipe.txt", "pipe.jsonl", "zero.txt", "zero.jsonl"])
def test_a_pipe_or_device_named_on_its_own_is_refused(
    tmp_path: Path, folder: Path, name: str
) -> None:
    result = glossa("--db", tmp_path / "x.db", "import", folder / name, **LIMITS)

    assert result.returncode == 1
    kind = "a named pipe" if name.startswith("pipe") else "a character device"
    assert result.stderr == (
        f"error: {folder / name}: {kind}, not a file; only files are imported\n"
    )
    assert "Traceback" not in result.stderr


def test_a_pipe_in_a_brat_folder_is_left_out_with_a_warning(tmp_path: Path) -> None:
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "a.txt").write_text("Ann Varga spoke.", "utf-8")
    (brat / "a.ann").write_text("T1\tPERSON 0 9\tAnn Varga\n", "utf-8")
    os.mkfifo(brat / "b.txt")

    result = glossa("--db", tmp_path / "x.db", "import", brat, **LIMITS)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "imported 1 document(s) with 1 span(s)\n"
    assert f"{brat / 'b.txt'}: skipped: a named pipe, not a file" in result.stderr


def test_a_csv_document_over_the_article_limit_is_refused(tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    big = "word " * (MAX_DOCUMENT_BYTES // 5 + 1)
    (tables / "documents.csv").write_text(
        f'id,title,text,meta\nsmall,Small,A short article.,{{}}\nbig,Big,"{big}",{{}}\n', "utf-8"
    )

    result = glossa("--db", tmp_path / "x.db", "import", tables, **LIMITS)

    assert result.returncode == 1
    assert result.stderr == (
        f"error: {tables / 'documents.csv'}:3: the text is {len(big):,} bytes; "
        f"the limit is {MAX_DOCUMENT_BYTES:,} bytes\n"
    )
    listed = glossa("--db", tmp_path / "x.db", "list", "--json")
    assert json.loads(listed.stdout) == []


@pytest.mark.parametrize("name", ["big.conll", "big.spacy"])
def test_a_file_over_its_limit_is_refused_by_its_size_before_it_is_read(
    tmp_path: Path, name: str
) -> None:
    big = tmp_path / name
    with big.open("wb") as handle:  # sparse: the size is there, the bytes are not written
        handle.truncate(4 * 1024**3)

    result = glossa("--db", tmp_path / "x.db", "import", big, **{**LIMITS, "memory": 1024**3})

    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {big}: file is 4,294,967,296 bytes; the limit is ")


def test_a_folder_linked_into_itself_is_read_once(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "a.txt").write_text("Harbour to open\n\nThe harbour opens.", "utf-8")
    (folder / "inner" / "up").symlink_to(folder)
    (folder / "again").symlink_to(folder / "inner")

    result = glossa("--db", tmp_path / "x.db", "import", folder, **LIMITS)

    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("imported 1 document(s) with 0 span(s)\n", "")
