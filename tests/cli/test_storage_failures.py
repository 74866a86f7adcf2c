"""A database that is locked, full or read-only ends a command with one line, never a
traceback, and loses nothing already saved.

The locked and full cases run the command in this process, where the store's busy timeout
can be made short and a page limit stands in for a full disk. Where this machine lets a
test mount file systems (``unshare -m``: a private mount namespace, gone when the command
ends), a real full disk (a tiny tmpfs) and a real read-only mount are tried as well, with
the commands run as a user runs them.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.cli import run
from app.store import database as database_module
from tests.cli.runner import REPO, environment, glossa

SHORT = "Ana Ruiz said the ferry will run in May.\n"


def one_error_line(stderr: str) -> str:
    """The single ``error: ...`` line a failed command printed (no traceback)."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def in_process(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = run([str(arg) for arg in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A database holding one imported article."""
    article = tmp_path / "ferry.txt"
    article.write_text(SHORT, encoding="utf-8")
    db = tmp_path / "glossa.db"
    assert glossa("--db", db, "import", article).returncode == 0
    return db


def test_a_locked_database_is_one_line_and_a_retry_works(
    saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 50)
    article = tmp_path / "second.txt"
    article.write_text("Ben Okafor disagreed.\n", encoding="utf-8")
    other = sqlite3.connect(saved, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")  # another program writing, longer than we wait
        status, _, err = in_process(capsys, "--db", saved, "import", article)
        assert status == 1
        assert "the database is locked by another program" in one_error_line(err)
        # reading still works while another program writes
        status, out, _ = in_process(capsys, "--db", saved, "list")
        assert status == 0 and "Ana Ruiz" in out
    finally:
        other.rollback()
        other.close()
    status, out, _ = in_process(capsys, "--db", saved, "import", article)
    assert status == 0, out
    assert in_process(capsys, "--db", saved, "list")[1].count("\n") == 3  # header + 2


def with_page_limit(extra_pages: int) -> Callable[[Any, Any], None]:
    """The store's connection set-up, then a limit of the file's pages now plus a few: the
    file cannot grow past it, as on a full disk (SQLite says "database or disk is full")."""
    original = database_module._sqlite_pragmas

    def limited(dbapi_connection: Any, record: Any) -> None:
        original(dbapi_connection, record)
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={pages + extra_pages}")
        cursor.close()

    return limited


def test_a_full_database_is_one_line_and_keeps_what_was_saved(
    saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "long.txt"
    big.write_text("The council met again on Monday. " * 40_000, encoding="utf-8")
    monkeypatch.setattr(database_module, "_sqlite_pragmas", with_page_limit(8))
    status, _, err = in_process(capsys, "--db", saved, "import", big)
    assert status == 1
    assert "the disk is full" in one_error_line(err)
    monkeypatch.undo()
    status, out, _ = in_process(capsys, "--db", saved, "list")
    assert status == 0 and "Ana Ruiz" in out and "council" not in out
    assert in_process(capsys, "--db", saved, "check")[0] == 0


def test_a_file_this_user_cannot_write_is_read_but_not_changed(
    saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """chmod 444 on the file and its folder, as the operating system reports it to a user who
    is not root (root may write anyway, so the answer of ``os.access`` is simulated)."""
    os.chmod(saved, 0o444)
    real_access = os.access

    def access(path: Any, mode: int, **kwargs: Any) -> bool:
        if mode & os.W_OK and Path(path).resolve() in {saved, saved.parent}:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)
    before = hashlib.sha256(saved.read_bytes()).hexdigest()
    status, out, err = in_process(capsys, "--db", saved, "list")
    assert (status, err) == (0, "") and "Ana Ruiz" in out
    assert in_process(capsys, "--db", saved, "check")[0] == 0
    out_file = tmp_path / "out" / "all.jsonl"
    status, _, err = in_process(
        capsys, "--db", saved, "export", "--format", "jsonl", "--out", out_file
    )
    assert status == 0, err
    assert "Ana Ruiz" in out_file.read_text(encoding="utf-8")
    status, _, err = in_process(capsys, "--db", saved, "import", tmp_path / "ferry.txt")
    assert status == 1
    assert "the database file is read-only" in one_error_line(err)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == before


def can_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


needs_mount = pytest.mark.skipif(not can_mount(), reason="cannot mount file systems here")


def in_mount_namespace(
    setup: str, commands: list[list[object]], results: Path
) -> list[tuple[int, str, str]]:
    """Run ``setup`` (mounts) then each ``glossa`` command in a private mount namespace;
    return each command's status, output and error output (kept in ``results``)."""
    script = ["set -e", setup, "set +e"]
    for number, command in enumerate(commands):
        line = shlex.join([sys.executable, "main.py", *map(str, command)])
        where = shlex.quote(str(results / str(number)))
        script.append(f"{line} >{where}.out 2>{where}.err; echo $? >{where}.status")
    ran = subprocess.run(
        ["unshare", "-m", "sh", "-c", "\n".join(script)],
        cwd=REPO,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    return [
        (
            int((results / f"{number}.status").read_text()),
            (results / f"{number}.out").read_text(encoding="utf-8"),
            (results / f"{number}.err").read_text(encoding="utf-8"),
        )
        for number in range(len(commands))
    ]


@needs_mount
def test_a_real_full_disk_is_one_line_and_keeps_what_was_saved(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    small, big = tmp_path / "ferry.txt", tmp_path / "long.txt"
    small.write_text(SHORT, encoding="utf-8")
    big.write_text("The council met again on Monday. " * 60_000, encoding="utf-8")
    db = disk / "glossa.db"
    results = in_mount_namespace(
        f"mount -t tmpfs -o size=1m tmpfs {shlex.quote(str(disk))}",
        [["--db", db, "import", small], ["--db", db, "import", big], ["--db", db, "list"]],
        tmp_path,
    )
    (first, _, first_err), (full, _, full_err), (listed, out, _) = results
    assert first == 0, first_err
    assert full == 1
    assert "the disk is full" in one_error_line(full_err)
    assert listed == 0 and "Ana Ruiz" in out and "council" not in out


@needs_mount
def test_a_database_on_a_read_only_mount_is_listed_checked_and_exported(
    saved: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = shlex.quote(str(saved.parent))
    before = hashlib.sha256(saved.read_bytes()).hexdigest()
    results_folder = tmp_path_factory.mktemp("results")  # beside the read-only folder
    out_file = results_folder / "export.jsonl"
    results = in_mount_namespace(
        f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}",
        [
            ["--db", saved, "list"],
            ["--db", saved, "check"],
            ["--db", saved, "export", "--format", "jsonl", "--out", out_file],
            ["--db", saved, "import", saved.parent / "ferry.txt"],
        ],
        results_folder,
    )
    (listed, out, list_err), (checked, _, check_err), (exported, _, export_err), imported = results
    assert (listed, list_err) == (0, "") and "Ana Ruiz" in out
    assert checked == 0, check_err
    assert exported == 0, export_err
    assert "Ana Ruiz" in out_file.read_text(encoding="utf-8")
    assert imported[0] == 1
    assert "the database file is read-only" in one_error_line(imported[2])
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == before
