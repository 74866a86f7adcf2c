"""Looking at an SQLite file before Glossa opens it: is it ours, and is it whole?

Both read the file through a read-only connection of the standard library, so nothing in
it changes (opening it as a Glossa database would switch it to write-ahead logging and add
tables).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app.core.errors import GlossaError

HEADER = b"SQLite format 3\x00"
"""The first 16 bytes of every SQLite database file."""
GLOSSA_TABLES = frozenset({"alembic_version", "projects", "documents", "spans"})
"""Tables every Glossa database has had since its first schema revision."""
_PAGE = re.compile(r"\b(?:Tree|Page|page) (\d+)\b")
_NAMED = re.compile(r"\bindex (\w+)")


class NotGlossaDatabase(GlossaError):
    """A file refused before it was touched: it is no Glossa database (``what`` says why)."""

    def __init__(
        self, path: Path, what: str, advice: str = "give a Glossa .db file or a new name"
    ) -> None:
        self.path = path
        self.what = what
        super().__init__(f"{path}: {what}; {advice}")


def database_file(url: str) -> Path | None:
    """The file of an SQLite database URL (None for a server or a database in memory)."""
    try:
        parsed = make_url(url)
    except SQLAlchemyError:  # opening says what is wrong with it
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that cannot write to ``path`` and adds no file beside it.

    Without a log or journal beside the file, SQLite is told the file is immutable, so it
    does not create the ``-wal``/``-shm`` files a read-only connection would otherwise add.
    """
    path = path.resolve()
    pending = any(path.with_name(path.name + s).exists() for s in ("-wal", "-journal"))
    uri = f"{path.as_uri()}?mode=ro" + ("" if pending else "&immutable=1")
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        yield connection


def is_new(path: Path) -> bool:
    """True when ``path`` holds nothing yet (missing or 0 bytes): a new database."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


def is_sqlite(path: Path) -> bool:
    """True when ``path`` starts as every SQLite database file does."""
    with path.open("rb") as handle:  # an unreadable path is a storage failure as it was
        return handle.read(len(HEADER)) == HEADER


def refuse_foreign(path: Path) -> None:
    """Raise ``NotGlossaDatabase`` naming ``path`` when it is no Glossa database.

    A missing or empty file, and an SQLite file without tables, become a new database. Any
    other file must be an SQLite file holding Glossa's tables: a file of another kind, or
    another program's database, is refused and left exactly as it was.
    """
    if is_new(path):
        return
    if not is_sqlite(path):
        raise NotGlossaDatabase(path, "not a Glossa database (not an SQLite file at all)")
    try:
        with read_only(path) as connection:
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                )
                if not name.startswith("sqlite_")
            }
    except sqlite3.DatabaseError as exc:
        raise NotGlossaDatabase(
            path, f"cannot read the database ({exc})", f"'glossa --db {path} check' says more"
        ) from None
    if tables and not GLOSSA_TABLES.issubset(tables):
        shown = ", ".join(sorted(tables)[:8]) + (", …" if len(tables) > 8 else "")
        raise NotGlossaDatabase(
            path,
            f"an SQLite database of another program (tables: {shown}), not a Glossa "
            "database; it was left unchanged",
        )


def damage(path: Path) -> list[str]:
    """What SQLite's integrity check finds wrong in the database file (empty: whole).

    The tables and indexes that SQLite names, or whose pages it names, are said by name;
    when the check itself stops on a malformed page, each table is checked on its own to
    tell which are hurt.
    """
    try:
        if not is_sqlite(path):
            return []  # no database at all, rather than a damaged one: opening it says so
    except OSError:
        return []  # unreadable: opening it says why
    try:
        with read_only(path) as connection:
            found, stopped = _integrity_check(connection, "")
            if not found and stopped is None:
                return []
            return _described(connection, found, stopped)
    except sqlite3.DatabaseError as exc:  # not even the first page can be read
        return [f"the file cannot be read as a database: {exc}"]


def _integrity_check(connection: sqlite3.Connection, table: str) -> tuple[list[str], str | None]:
    """The check's lines (less "ok"), and what stopped it, if anything did."""
    pragma = f'PRAGMA integrity_check("{table}")' if table else "PRAGMA integrity_check"
    lines: list[str] = []
    try:
        for (row,) in connection.execute(pragma):
            lines.extend(line for line in str(row).splitlines() if line and line != "ok")
    except sqlite3.DatabaseError as exc:
        return lines, str(exc)
    return [line for line in lines if not line.startswith("*** in database")], None


def _described(connection: sqlite3.Connection, found: list[str], stopped: str | None) -> list[str]:
    try:
        objects = connection.execute(
            "SELECT type, name, tbl_name, rootpage FROM sqlite_master WHERE rootpage > 0"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        halted = [f"SQLite stopped checking: {stopped}"] if stopped else []
        return [*found, *halted, f"the list of tables cannot be read ({exc})"]
    by_root = {root: (kind, name, table) for kind, name, table, root in objects}
    problems = []
    hurt: dict[str, None] = {}  # ordered set of "table X" / "index Y on X"
    for line in found:
        problems.append(line)
        for page in _PAGE.findall(line):
            if int(page) in by_root:
                hurt[_named(*by_root[int(page)])] = None
        for index in _NAMED.findall(line):
            table = next((t for k, n, t, _ in objects if k == "index" and n == index), None)
            if table is not None:
                hurt[_named("index", index, table)] = None
    if stopped is not None:
        problems.append(f"SQLite stopped checking: {stopped}")
        for kind, name, table, _root in objects:
            if not _reads_whole(connection, kind, name, table):
                hurt[_named(kind, name, table)] = None
        if not hurt:  # the scans got through: ask the check table by table
            for kind, name, _table, _root in objects:
                if kind == "table" and _integrity_check(connection, name) != ([], None):
                    hurt[_named(kind, name, name)] = None
    problems.extend(f"damaged: {what}" for what in hurt)
    return problems


def _reads_whole(connection: sqlite3.Connection, kind: str, name: str, table: str) -> bool:
    """True when every page of a table (rows and their overflow) or of an index reads."""
    quoted = f'"{table}"'
    try:
        if kind == "table":
            sql = f"SELECT * FROM {quoted} NOT INDEXED"
        else:  # a scan of the index's own columns reads the index alone
            columns = [row[2] for row in connection.execute(f'PRAGMA index_info("{name}")')]
            if not columns or None in columns:
                return True  # an index on expressions: the table check covers it
            listed = ", ".join(f'"{column}"' for column in columns)
            sql = f'SELECT {listed} FROM {quoted} INDEXED BY "{name}"'
        for _row in connection.execute(sql):
            pass
    except sqlite3.DatabaseError as exc:
        return "malformed" not in str(exc) and "corrupt" not in str(exc)
    return True


def _named(kind: str, name: str, table: str) -> str:
    if kind == "index":
        return f"index {name} (of table {table})"
    return f"table {name}"


def backups(path: Path) -> list[Path]:
    """The copies made before schema upgrades (``NAME.before-REV.bak``), newest first."""
    found = path.parent.glob(f"{_glob_escape(path.name)}.before-*.bak")
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?[])", r"[\1]", name)
