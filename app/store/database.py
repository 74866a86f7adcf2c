"""Opening a database: engine, SQLite pragmas, migrations (with a backup first)."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import appdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import GlossaError
from app.store.sqlite_files import refuse_foreign
from app.store.unit_of_work import UnitOfWork

MIGRATIONS = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000


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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


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
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


_PASSWORD = re.compile(r"(://[^:/@]*:).*@", re.DOTALL)
"""A password runs to the last ``@``: one may hold a raw ``@`` (``u:p@ss@host``). A database
name or query holding an ``@`` is masked too: better too much than a piece of a password."""


def mask_password(target: str) -> str:
    """A database path or URL as a message may show it: a URL's password becomes ``***``."""
    return _PASSWORD.sub(r"\1***@", target)


STORAGE_FAILURES = (OSError, ImportError, sqlite3.Error, SQLAlchemyError, CommandError)
"""What opening or reading a database raises when it cannot be used: an unreadable path, a
missing driver, a file that is no database, a server that refuses, a broken migration."""


def is_storage_failure(exc: BaseException) -> bool:
    """True when ``exc`` means "this database cannot be opened or read" rather than a bug.

    Layers above the store may not name SQLAlchemy's or Alembic's errors; they ask here.
    """
    return isinstance(exc, STORAGE_FAILURES)


class Database:
    """An open Glossa database. Hand out units of work; never hand out ORM objects."""

    def __init__(self, url: str, *, upgrade: bool = True) -> None:
        self.url = as_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.path = Path(parsed.database) if self.is_sqlite and parsed.database else None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            refuse_foreign(self.path)  # before the first connection switches it to WAL
        if self.is_sqlite:
            self.engine = create_engine(self.url)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            # a server may drop idle connections (restart, timeout) while the window stays
            # open for hours: test each one as it leaves the pool, and reconnect if dead
            self.engine = create_engine(self.url, pool_pre_ping=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if parsed.get_backend_name() == "postgresql":
            self._require_utf8()
        if upgrade:
            self.upgrade()

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
        return make_url(self.url).render_as_string(hide_password=True)

    def revision(self) -> str | None:
        """The schema revision the database is at (None when empty)."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def head(self) -> str | None:
        """The newest schema revision this version of Glossa knows."""
        return ScriptDirectory.from_config(_alembic_config(self.engine)).get_current_head()

    def upgrade(self) -> Path | None:
        """Bring the schema to the newest revision; back up an older SQLite file first.

        Returns the path of the backup copy, if one was made.
        """
        current, head = self.revision(), self.head()
        if current == head:
            return None
        script = ScriptDirectory.from_config(_alembic_config(self.engine))
        if current is not None and current not in {r.revision for r in script.walk_revisions()}:
            raise GlossaError(
                f"{self.display_name}: the database is at schema revision {current}, which this "
                f"version of Glossa does not know (its newest is {head}); use a newer Glossa"
            )
        backup = None
        if current is not None and self.path is not None and self.path.exists():
            backup = self.path.with_name(f"{self.path.name}.before-{head}.bak")
            self.backup_to(backup)
        command.upgrade(_alembic_config(self.engine), "head")
        return backup

    def backup_to(self, target: Path) -> None:
        """Copy the SQLite database consistently (online backup API)."""
        if self.path is None:
            raise ValueError("only SQLite databases are backed up by file")
        source = sqlite3.connect(self.path)
        try:
            destination = sqlite3.connect(target)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A bare session for reads; rolled back at the end."""
        with self._sessions() as session:
            yield session

    def unit_of_work(self) -> UnitOfWork:
        """A transaction for one user action: commits only when told, else rolls back."""
        return UnitOfWork(self._sessions)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
