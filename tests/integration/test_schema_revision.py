"""The schema revision of a database and the newest one Glossa knows, read without Alembic
when nothing needs migrating (loading Alembic would slow every start of the window)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.core.errors import StorageError
from app.store.database import MIGRATIONS, Database, _alembic_config, _newest_revision

REPO = Path(__file__).resolve().parents[2]


def test_the_newest_revision_read_from_the_scripts_is_alembics() -> None:
    database = Database("sqlite://", upgrade=False)
    try:
        alembic_head = ScriptDirectory.from_config(_alembic_config(database.engine))
        assert _newest_revision(MIGRATIONS) == alembic_head.get_current_head()
        assert database.head() == alembic_head.get_current_head()
    finally:
        database.dispose()


def test_the_revision_is_read_as_alembic_reads_it(database_url: str) -> None:
    empty = Database(database_url, upgrade=False)
    try:
        assert empty.revision() is None
    finally:
        empty.dispose()
    database = Database(database_url)
    try:
        with database.engine.connect() as connection:
            by_alembic = MigrationContext.configure(connection).get_current_revision()
        assert database.revision() == by_alembic == database.head()
    finally:
        database.dispose()


def test_two_revisions_at_once_are_refused_naming_the_database(database_url: str) -> None:
    database = Database(database_url)
    try:
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO alembic_version (version_num) VALUES ('9999')"))
        with pytest.raises(StorageError, match="2 schema revisions") as caught:
            database.revision()
        assert database.display_name in str(caught.value)
    finally:
        database.dispose()


def test_scripts_that_branch_are_left_to_alembic(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    for name, parent in (("a", None), ("b", '"a"'), ("c", '"a"')):
        (versions / f"{name}.py").write_text(f'revision = "{name}"\ndown_revision = {parent}\n')
    assert _newest_revision(tmp_path) is None
    (versions / "d.py").write_text('revision: str = "d"\ndown_revision = ("b", "c")\n')
    assert _newest_revision(tmp_path) == "d"  # a merge revision joins them again


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path: Path) -> None:
    path = tmp_path / "current.db"
    Database(str(path)).dispose()  # made and migrated here, once
    opened = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from app.services.workspace import open_database; "
            f"open_database({str(path)!r}).dispose(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "[]"
