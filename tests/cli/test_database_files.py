"""What the commands do with a database file that is damaged, or that is not Glossa's."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from app.store import Database
from app.store.database import _alembic_config
from tests.cli.runner import glossa
from tests.conftest import BUNDLED_SAMPLES


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "x.db"
    assert glossa("--db", path, "import", BUNDLED_SAMPLES).returncode == 0
    return path


def root_page(path: Path, name: str) -> tuple[int, int]:
    """The root page of a table or index, and the file's page size."""
    with sqlite3.connect(path) as connection:
        (page,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)
        ).fetchone()
        (size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    return page, size


def spoil_page(path: Path, page: int, size: int) -> None:
    with path.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(b"\xff" * 64)


def check_fails_cleanly(db: Path) -> list[str]:
    result = glossa("--db", db, "check")
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == f"{db}: the database file is damaged"
    assert lines[-1].endswith("problem(s)")
    return lines


def test_check_reports_pages_overwritten_in_the_middle_of_the_file(db: Path) -> None:
    size = db.stat().st_size
    with db.open("r+b") as handle:
        handle.seek(2 * 4096)  # page 3 onwards: leave the header and the table list be
        handle.write(bytes(range(256)) * ((size - 4 * 4096) // 256))

    lines = check_fails_cleanly(db)

    assert any("malformed" in line or "corrupt" in line for line in lines), lines
    assert any("sqlite3" in line and ".recover" in line for line in lines)


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("document_texts", "damaged: table document_texts"),
        ("spans", "damaged: table spans"),
        ("ix_spans_document_start", "damaged: index ix_spans_document_start (of table spans)"),
    ],
)
def test_check_names_the_damaged_table_or_index(db: Path, name: str, named: str) -> None:
    spoil_page(db, *root_page(db, name))

    lines = check_fails_cleanly(db)

    assert named in lines


def test_check_suggests_the_backup_made_before_an_upgrade(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    old = Database(str(db), upgrade=False)
    command.upgrade(_alembic_config(old.engine), "0001")  # as an older Glossa left it
    old.dispose()
    assert glossa("--db", db, "import", BUNDLED_SAMPLES).returncode == 0  # upgrades it
    (backup,) = tmp_path.glob("old.db.before-*.bak")
    spoil_page(db, *root_page(db, "document_texts"))

    lines = check_fails_cleanly(db)

    assert "backup copies made before schema upgrades (newest first):" in lines
    assert any(line.startswith(f"  {backup} (made ") for line in lines)


def foreign_database(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
        connection.execute("INSERT INTO recipes VALUES ('soup', 40)")
    connection.close()


@pytest.mark.parametrize("args", [("list",), ("import", BUNDLED_SAMPLES), ("check",)])
def test_another_programs_database_is_refused_unchanged(
    tmp_path: Path, args: tuple[object, ...]
) -> None:
    other = tmp_path / "recipes.sqlite"
    foreign_database(other)
    before = digest(other)

    result = glossa("--db", other, *args)

    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {other}: an SQLite database of another program")
    assert "recipes" in result.stderr and "Traceback" not in result.stderr
    assert digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recipes.sqlite"]
    with sqlite3.connect(other) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    connection.close()
    assert tables == [("recipes",)]


def test_an_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    empty = tmp_path / "new.db"
    empty.touch()

    result = glossa("--db", empty, "import", BUNDLED_SAMPLES)

    assert result.returncode == 0, result.stderr
    assert glossa("--db", empty, "check").stdout.startswith("ok: 3 documents")


def test_no_piece_of_a_password_with_a_raw_at_sign_shows(tmp_path: Path) -> None:
    url = "postgresql+psycopg://glossa:pa@ss-w0rd@127.0.0.1:1/nowhere"  # nothing listens

    result = glossa("--db", url, "list")

    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: cannot open the database postgresql+psycopg://glossa:***@127.0.0.1:1/nowhere: "
    )
    assert "ss-w0rd" not in result.stderr and "pa@" not in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [("check",), ("export", "--out", "out.jsonl")])
def test_a_text_file_given_as_the_database_is_refused_unchanged(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list: bread, milk\n", encoding="utf-8")

    result = glossa("--db", notes, *args, cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr == (
        f"error: {notes}: not a Glossa database (not an SQLite file at all); give a Glossa "
        ".db file or a new name\n"
    )
    assert notes.read_text(encoding="utf-8") == "shopping list: bread, milk\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("args", [("export", "--out", "out.jsonl"), ("list",)])
def test_a_command_that_meets_a_damaged_page_says_so_and_points_to_check(
    db: Path, args: tuple[str, ...]
) -> None:
    spoil_page(db, *root_page(db, "documents"))

    result = glossa("--db", db, *args, cwd=db.parent)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first, hint = result.stderr.splitlines()
    assert first.startswith("error: ") and "malformed" in first
    assert hint == f"'glossa --db {db} check' says what is wrong and what can be done"
