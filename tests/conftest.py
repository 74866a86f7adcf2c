"""Shared fixtures: every test gets its own SQLite file and user data directory.

``database_url`` runs a test on SQLite and, when ``GLOSSA_TEST_DATABASE_URL`` names a
PostgreSQL database, on that server too (emptied before each test).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app.services import Workspace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_SAMPLES = REPO.parent / "shared" / "samples"
BUNDLED_SAMPLES = REPO / "resources" / "samples"
TEST_DATABASE_URL = os.environ.get("GLOSSA_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests away from the real user data dir, settings and GLOSSA_* variables."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("GLOSSA_DB", raising=False)
    monkeypatch.setenv("GLOSSA_ANNOTATOR", "tester")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh SQLite database file (not yet created)."""
    return tmp_path / "glossa.db"


@pytest.fixture
def workspace(db_path: Path) -> Iterator[Workspace]:
    """An empty workspace (default schema, no documents) on a real SQLite file."""
    ws = Workspace.open(str(db_path), "tester", samples=False)
    yield ws
    ws.close()


@pytest.fixture
def sample_workspace(db_path: Path) -> Iterator[Workspace]:
    """A workspace holding the bundled sample articles."""
    ws = Workspace.open(str(db_path), "tester")
    yield ws
    ws.close()


def empty_postgres(url: str) -> None:
    """Drop every table (and the Alembic version) of a PostgreSQL test database.

    Connections left open by an earlier test would hold locks that make the drop wait, so
    they are ended first; the database is for tests only.
    """
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    # only our own leftover sessions: the server's own workers (autovacuum)
                    # belong to a superuser and must be left alone
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND usename = current_user AND backend_type = 'client backend'"
                )
            )
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of an empty database: a new SQLite file, or the emptied PostgreSQL test database.

    The PostgreSQL case is skipped unless ``GLOSSA_TEST_DATABASE_URL`` is set.
    """
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'glossa.db'}"
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL: GLOSSA_TEST_DATABASE_URL is not set")
    empty_postgres(TEST_DATABASE_URL)
    return TEST_DATABASE_URL
