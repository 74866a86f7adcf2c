"""Every storage failure leaves the store as a StorageError that says in plain words why.

Also: a database opened for reading only is never written, switched or upgraded.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.core.errors import GlossaError, StorageError
from app.services import Workspace, documents, spans
from app.store import Database
from app.store.failures import plain_reason


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("database is locked", "the database is locked by another program"),
        ("database or disk is full", "the disk is full"),
        ("attempt to write a readonly database", "the database file is read-only"),
        (
            "server closed the connection unexpectedly\n\tThis probably means the server "
            "terminated abnormally",
            "the server closed the connection",
        ),
        ("no such table: spans\nmore", "no such table: spans"),
    ],
)
def test_driver_messages_become_plain_words(message: str, words: str) -> None:
    assert plain_reason(sqlite3.OperationalError(message)) == words


def test_a_storage_error_is_a_glossa_error() -> None:
    assert issubclass(StorageError, GlossaError)


def test_a_write_on_a_database_opened_for_reading_is_refused_and_nothing_changes(
    db_path: Path,
) -> None:
    Workspace.open(str(db_path), "ana").close()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA journal_mode=DELETE")  # as a file copied from elsewhere may be
    raw.close()
    before = digest(db_path)
    workspace = Workspace.open(str(db_path), "ben", read_only=True)  # ben is new: not added
    try:
        assert len(documents.documents(workspace)) == 3  # the samples the first open brought
        document = documents.documents(workspace)[0].id
        with pytest.raises(StorageError) as raised:
            spans.add_span(workspace, document, 0, 3, "PERSON")
        assert raised.value.reason == "the database file is read-only"
        assert str(raised.value).startswith(f"{db_path}: ")
    finally:
        workspace.close()
    assert digest(db_path) == before
    assert not db_path.with_name(f"{db_path.name}-wal").exists()
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert raw.execute("SELECT name FROM annotators ORDER BY name").fetchall() == [("ana",)]
    raw.close()


def test_a_database_that_needs_upgrading_is_refused_for_reading_only(db_path: Path) -> None:
    Database(str(db_path)).dispose()
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE alembic_version SET version_num = '0001'")
    raw.commit()
    raw.close()
    before = digest(db_path)
    with pytest.raises(StorageError, match="needs upgrading to 0005; open it once where"):
        Database(str(db_path), read_only=True)
    assert digest(db_path) == before


def test_a_server_that_closes_the_connection_is_a_storage_error(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a server connection")
    database = Database(database_url)
    killer = create_engine(database_url, poolclass=NullPool)
    try:
        with pytest.raises(StorageError) as raised, database.unit_of_work() as uow:
            pid = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            with killer.begin() as connection:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            uow.session.execute(text("SELECT 1"))
        assert raised.value.reason == "the server closed the connection", raised.value.detail
    finally:
        killer.dispose()
        database.dispose()
