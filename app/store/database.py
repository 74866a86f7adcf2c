"""Opening a database: engine, SQLite pragmas, migrations (with a backup first)."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import appdirs
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import GlossaError, StorageError
from app.store.failures import OPEN_FAILURES, migration_failures, reported, storage_error
from app.store.sqlite_files import refuse_foreign
from app.store.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
VERSION_TABLE = "alembic_version"

# ``revision = "0003"`` and ``down_revision = "0002"`` (or None) in a migration script
_ASSIGNED = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def default_database_url() -> str:
    """``GLOSSA_DB`` if set, else a SQLite file in the user data directory."""
    env = os.environ.get("GLOSSA_DB")
    if env:
        return as_url(env)
    folder = Path(appdirs.user_data_dir("Glossa"))
    return as_url(str(folder / "glossa.db"))


def as_url(target: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (taken as SQLite).

    A raw ``@`` in a password (``u:p@ss@host``) is read as part of it, as browsers do; the
    URL parser would take ``ss@host`` for the host and show that piece of the password to
    the name service and in its messages.
    """
    if "://" in target:
        try:
            url = make_url(target)
        except SQLAlchemyError:  # opening says what is wrong with it
            return target
        if url.password is not None and url.host and "@" in url.host:
            rest, _, host = url.host.rpartition("@")
            return url.set(password=f"{url.password}@{rest}", host=host).render_as_string(
                hide_password=False
            )
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


WRITING = "glossa_writing"
"""Execution option of the connections of units of work that write (and of migrations)."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # the driver's own BEGIN comes only at the first write, after the reads a change is based
    # on: switch it off, and begin every transaction ourselves (see _sqlite_begin)
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_read_only_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Begin a transaction that writes with the write lock taken (``BEGIN IMMEDIATE``).

    Everything a unit of work reads is then read under the lock, so two processes that read,
    change and write the same row one after the other never both start from the old value.
    Reading units of work (and bare connections) begin deferred and take no lock.
    """
    if connection.get_execution_options().get(WRITING):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def _read_only_connector(path: Path) -> Any:
    """Connect to a SQLite file without ever writing to it or its folder."""
    uri = f"file:{quote(str(path))}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not path.with_name(f"{path.name}-shm").exists():
        # a file in write-ahead-log mode needs its -shm file: where it cannot be made, the
        # file is taken as unchanging (nobody writes on a read-only folder or mount)
        uri += "&immutable=1"
    return lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL or path names; None for a server or an in-memory database."""
    parsed = make_url(as_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def is_read_only(url: str) -> bool:
    """True for an existing SQLite file that this user cannot write, or whose folder they
    cannot write (a read-only file, folder or mount): it can only be opened for reading."""
    try:
        target = as_url(url)
        parsed = make_url(target)
    except ArgumentError:
        return False
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return False
    path = Path(parsed.database)
    if not path.is_file():
        return False
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def _use_wal(cursor: Any) -> None:
    """Put the file in write-ahead-log mode (it stays so; a file already in it is left be).

    The switch needs the file to itself, and SQLite does not wait for that as it waits for
    other locks (no busy handler): when several people open a new file at the same moment,
    the others are reading it. So wait here, as long as the busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(0.005)


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine.execution_options(**{WRITING: True})
    return config


_PASSWORD = re.compile(r"(://[^:/@]*:).*@", re.DOTALL)
"""A password runs to the last ``@``: one may hold a raw ``@`` (``u:p@ss@host``). A database
name or query holding an ``@`` is masked too: better too much than a piece of a password."""


def mask_password(target: str) -> str:
    """A database path or URL as a message may show it: a URL's password becomes ``***``."""
    return _PASSWORD.sub(r"\1***@", target)


def _copy(source_path: Path, target: Path) -> None:
    source = sqlite3.connect(source_path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def _newest_revision(migrations: Path) -> str | None:
    """The head of the migration scripts in ``migrations``, read from their ``revision`` and
    ``down_revision`` lines; None when they are not one plain line (Alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (migrations / "versions").glob("*.py"):
        assigned = dict(_ASSIGNED.findall(script.read_text(encoding="utf-8")))
        if "revision" not in assigned:
            continue
        named = _QUOTED.findall(assigned["revision"])
        if len(named) != 1 or "down_revision" not in assigned:
            return None
        revisions.add(named[0])
        parents.update(_QUOTED.findall(assigned["down_revision"]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


class Database:
    """An open Glossa database. Hand out units of work; never hand out ORM objects.

    Every failure of the driver, the migrations or the file system, at open or later, is
    raised as ``StorageError`` naming the database with its password masked.
    """

    def __init__(self, url: str, *, upgrade: bool = True, read_only: bool = False) -> None:
        self.url = as_url(url)
        self.read_only = read_only
        self.is_sqlite = self.url.startswith("sqlite")
        self.path: Path | None = None
        try:
            parsed = make_url(self.url)
            if parsed.get_backend_name() == "sqlite" and parsed.database:
                self.path = Path(parsed.database)
        except ArgumentError:
            pass  # _open says what is wrong with it
        if not read_only and is_read_only(self.url):
            # SQLite would fail somewhere in the write-ahead-log switch with "unable to open
            # database file"; say what is wrong instead
            raise StorageError(
                f"{self.display_name}: the database file is read-only (the file, its folder "
                "or the disk cannot be written)",
                reason="the database file is read-only",
            )
        with reported(self.url, self.display_name, OPEN_FAILURES):
            self._open(upgrade)

    def _open(self, upgrade: bool) -> None:
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.path = Path(parsed.database) if self.is_sqlite and parsed.database else None
        if self.path is not None and self.read_only:
            refuse_foreign(self.path)
            self.engine = create_engine(self.url, creator=_read_only_connector(self.path))
            event.listen(self.engine, "connect", _sqlite_read_only_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        elif self.is_sqlite:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                refuse_foreign(self.path)  # before the first connection switches it to WAL
            self.engine = create_engine(self.url)
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            # a server may drop idle connections (restart, timeout) while the window stays
            # open for hours: test each one as it leaves the pool, and reconnect if dead
            self.engine = create_engine(self.url, pool_pre_ping=True)
        self._sessions = sessionmaker(
            self.engine.execution_options(**{WRITING: True}), expire_on_commit=False
        )
        self._readers = sessionmaker(self.engine, expire_on_commit=False)
        if parsed.get_backend_name() == "postgresql":
            self._require_utf8()
        if self.read_only:
            self._require_current()
        elif upgrade:
            self.upgrade()

    def _require_current(self) -> None:
        """Refuse a read-only database whose schema this version would have to upgrade."""
        current, head = self.revision(), self.head()
        if current != head:
            self.engine.dispose()
            raise StorageError(
                f"{self.display_name}: the database can only be read here (the file or its "
                f"folder is read-only) and its schema ({current or 'empty'}) needs upgrading "
                f"to {head}; open it once where it can be written",
                reason="the database is read-only and needs upgrading",
            )

    def failure(self, exc: BaseException) -> StorageError:
        """The ``StorageError`` that tells the user about a driver's ``exc`` on this database."""
        return storage_error(exc, self.url, self.display_name)

    def _require_utf8(self) -> None:
        """Refuse a PostgreSQL database that does not store text as UTF-8.

        Span offsets count characters; in any other encoding ``length`` and ``substr``
        count something else, and most texts cannot be stored at all.
        """
        with self.engine.connect() as connection:
            encoding = connection.execute(text("SHOW server_encoding")).scalar()
        if encoding != "UTF8":
            self.engine.dispose()
            raise GlossaError(
                f"{self.display_name}: the database's encoding is {encoding}, Glossa needs "
                "UTF8 (create it with: createdb --encoding=UTF8 --template=template0 NAME)"
            )

    @property
    def display_name(self) -> str:
        """How the status bar names this database (never shows a password)."""
        if self.path is not None:
            return str(self.path)
        return mask_password(self.url)

    def revision(self) -> str | None:
        """The schema revision the database is at (None when empty)."""
        # read as Alembic reads it, without loading Alembic (see migration_failures)
        with reported(self.url, self.display_name), self.engine.connect() as connection:
            if not inspect(connection).has_table(VERSION_TABLE):
                return None
            found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
            versions = [str(version) for version in found.scalars()]
        if len(versions) > 1:
            raise StorageError(
                f"{self.display_name}: the database names {len(versions)} schema revisions "
                f"at once ({', '.join(versions)}); Glossa's schema has one line of revisions",
                reason="the database's schema revision is ambiguous",
            )
        return versions[0] if versions else None

    def head(self) -> str | None:
        """The newest schema revision this version of Glossa knows."""
        return _newest_revision(MIGRATIONS) or self._alembic_head()

    def _alembic_head(self) -> str | None:
        from alembic.script import ScriptDirectory

        with reported(self.url, self.display_name, migration_failures()):
            return ScriptDirectory.from_config(_alembic_config(self.engine)).get_current_head()

    def upgrade(self) -> Path | None:
        """Bring the schema to the newest revision; back up an older SQLite file first.

        Returns the path of the backup copy, if one was made.
        """
        current, head = self.revision(), self.head()
        if current == head:
            return None
        from alembic import command
        from alembic.script import ScriptDirectory

        with reported(self.url, self.display_name, migration_failures()):
            script = ScriptDirectory.from_config(_alembic_config(self.engine))
            known = {r.revision for r in script.walk_revisions()}
        if current is not None and current not in known:
            raise GlossaError(
                f"{self.display_name}: the database is at schema revision {current}, which this "
                f"version of Glossa does not know (its newest is {head}); use a newer Glossa"
            )
        backup = None
        if current is not None and self.path is not None and self.path.exists():
            backup = self.path.with_name(f"{self.path.name}.before-{head}.bak")
            self.backup_to(backup)
        with reported(self.url, self.display_name, migration_failures()):
            command.upgrade(_alembic_config(self.engine), "head")
        return backup

    def backup_to(self, target: Path) -> None:
        """Copy the SQLite database consistently (online backup API)."""
        if self.path is None:
            raise ValueError("only SQLite databases are backed up by file")
        with reported(self.url, self.display_name, OPEN_FAILURES):
            _copy(self.path, target)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A bare session for reads; rolled back at the end."""
        with reported(self.url, self.display_name), self._readers() as session:
            yield session

    def unit_of_work(self, *, write: bool = True) -> UnitOfWork:
        """A transaction for one user action: commits only when told, else rolls back.

        It holds the write lock from its first read (SQLite) so that what it reads stays true
        until it commits; ``write=False`` (see ``reading``) is for units that only read.
        """
        if self.read_only or not write:
            return UnitOfWork(self._readers, self.failure, write=False)
        return UnitOfWork(self._sessions, self.failure)

    def reading(self) -> UnitOfWork:
        """A transaction that only reads: it takes no lock and waits for no writer."""
        return self.unit_of_work(write=False)

    def snapshot(self) -> UnitOfWork:
        """A transaction that only reads, every query seeing the database as of the first.

        SQLite's read transactions already do; PostgreSQL's default (read committed) gives
        each statement its own moment, so a commit between two reads would mix two states.
        """
        isolation = None if self.is_sqlite else "REPEATABLE READ"
        return UnitOfWork(self._readers, self.failure, write=False, isolation=isolation)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
