"""An export never writes over the database it reads, nor leaves scratch folders behind."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.formats import FORMATS
from tests.cli.runner import REPO, glossa
from tests.conftest import BUNDLED_SAMPLES

EXPORTERS = [name for name, fmt in FORMATS.items() if fmt.export is not None]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "x.db"
    assert glossa("--db", path, "import", BUNDLED_SAMPLES).returncode == 0
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def assert_refused(result: subprocess.CompletedProcess[str], db: Path, before: str) -> None:
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    assert "open database" in result.stderr and "nothing was written" in result.stderr
    assert "exported" not in result.stdout
    assert digest(db) == before


@pytest.mark.parametrize("format_name", EXPORTERS)
def test_export_onto_the_database_itself_is_refused_in_every_format(
    db: Path, format_name: str
) -> None:
    before, around = digest(db), files_in(db.parent)

    result = glossa("--db", db, "export", "--format", format_name, "--out", db)

    assert_refused(result, db, before)
    assert files_in(db.parent) == around  # no manifest, no scratch folder, no companion


@pytest.mark.parametrize(
    "target",
    ["x.db", "./x.db", "sub/../x.db", "x.db-wal", "x.db-shm", "x.db-journal", "link.db"],
)
def test_every_path_to_the_database_and_its_sqlite_files_is_refused(db: Path, target: str) -> None:
    (db.parent / "sub").mkdir()
    (db.parent / "link.db").symlink_to(db)
    before = digest(db)

    result = glossa("--db", "x.db", "export", "--format", "jsonl", "--out", target, cwd=db.parent)

    assert_refused(result, db, before)
    assert target.split("/")[-1] in result.stderr


def test_a_hard_link_to_the_database_is_refused(db: Path) -> None:
    other = db.parent / "elsewhere" / "copy.jsonl"
    other.parent.mkdir()
    os.link(db, other)
    before = digest(db)

    result = glossa("--db", db, "export", "--format", "conll", "--out", other)

    assert_refused(result, db, before)


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "brat"),
        ("--format", "csv"),
        ("--format", "hf"),
        ("--format", "jsonl", "--split", "0.8,0.1,0.1"),
        ("--format", "jsonl"),
    ],
)
def test_a_folder_holding_the_database_is_refused(db: Path, args: tuple[str, ...]) -> None:
    before, around = digest(db), files_in(db.parent)

    result = glossa("--db", db, "export", *args, "--out", db.parent)

    assert_refused(result, db, before)
    assert "folder holds the open database" in result.stderr
    assert files_in(db.parent) == around


def test_a_companion_file_that_would_land_on_the_database_is_refused(tmp_path: Path) -> None:
    # the manifest of OUT is OUT.manifest.json: a database of that name is protected too
    db = tmp_path / "out.jsonl.manifest.json"
    assert glossa("--db", db, "import", BUNDLED_SAMPLES).returncode == 0
    before = digest(db)

    result = glossa("--db", db, "export", "--format", "jsonl", "--out", tmp_path / "out.jsonl")

    assert_refused(result, db, before)
    assert not (tmp_path / "out.jsonl").exists()


def test_an_export_beside_the_database_still_works(db: Path) -> None:
    result = glossa("--db", db, "export", "--format", "jsonl", "--out", db.parent / "x.jsonl")

    assert result.returncode == 0, result.stderr
    assert (db.parent / "x.jsonl").read_text(encoding="utf-8").count("\n") == 3


KILLED_EXPORT = """
import os, signal, sys
from pathlib import Path
from app.services import Workspace
from app.services.exporting import export

def die(done, total, shown):
    os.kill(os.getpid(), signal.SIGKILL)

workspace = Workspace.open(sys.argv[1], "tester", samples=False)
export(workspace, "jsonl", Path(sys.argv[2]), progress=die)
"""


def scratch_folders(folder: Path, name: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(f".{name}.") and p.is_dir())


def test_the_scratch_folder_of_a_killed_export_is_removed_by_the_next_export(db: Path) -> None:
    out = db.parent / "out.jsonl"
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT, str(db), str(out)],
        cwd=REPO,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -9
    left = scratch_folders(db.parent, out.name)
    assert len(left) == 1 and not out.exists()

    result = glossa("--db", db, "export", "--format", "jsonl", "--out", out)

    assert result.returncode == 0, result.stderr
    assert scratch_folders(db.parent, out.name) == []
    assert out.read_text(encoding="utf-8").count("\n") == 3


def test_old_scratch_folders_go_and_those_of_a_live_export_stay(db: Path) -> None:
    out = db.parent / "out.conll"
    old = db.parent / ".out.conll.abcd1234"  # from a Glossa that wrote no owner file
    old.mkdir()
    (old / "out.conll").write_text("half", encoding="utf-8")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    live = db.parent / ".out.conll.live5678"  # this test's own process is alive
    live.mkdir()
    (live / ".glossa-export").write_text(
        json.dumps({"pid": os.getpid(), "host": os.uname().nodename}), encoding="utf-8"
    )
    mine = db.parent / ".out.conll.notmine"  # someone's folder of another shape: left alone
    mine.mkdir()
    os.utime(mine, (two_days_ago, two_days_ago))

    result = glossa("--db", db, "export", "--format", "conll", "--out", out)

    assert result.returncode == 0, result.stderr
    assert scratch_folders(db.parent, out.name) == [live, mine]
