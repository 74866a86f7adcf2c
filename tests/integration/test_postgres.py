"""PostgreSQL specifics: schema by the same migrations, hidden password, ``check``, the CLI.

Runs only when ``GLOSSA_TEST_DATABASE_URL`` names a PostgreSQL database (``.ci/run`` sets it);
every test starts from an emptied database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.core.errors import GlossaError
from app.services import Workspace, applying, documents, spans
from app.services.checking import check
from app.services.importing import import_paths
from app.store import Database
from app.store import database as database_module
from app.store.orm import Base
from tests.conftest import TEST_DATABASE_URL, empty_postgres
from tests.integration.test_store import NEXT_REVISION

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="PostgreSQL: GLOSSA_TEST_DATABASE_URL is not set"
)


@pytest.fixture
def url() -> str:
    """The PostgreSQL test database, emptied."""
    empty_postgres(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


@contextmanager
def opened(url: str, annotator: str = "tester", *, samples: bool = True) -> Iterator[Workspace]:
    ws = Workspace.open(url, annotator, samples=samples)
    try:
        yield ws
    finally:
        ws.close()


def shows_password(shown: str) -> bool:
    """Does ``shown`` hold the test URL's password where a URL would (``user:secret@``)?"""
    secret = make_url(TEST_DATABASE_URL).password
    assert secret, "the test URL should carry a password, to show that it is hidden"
    return f":{secret}@" in shown


def sql(database: Database, query: str, **params: object) -> list[tuple[object, ...]]:
    with database.engine.begin() as connection:
        result = connection.execute(text(query), params)
        return [tuple(row) for row in result] if result.returns_rows else []


# -- schema ---------------------------------------------------------------------------------


def test_migration_creates_every_table_at_head(url: str) -> None:
    database = Database(url)
    try:
        assert database.revision() == database.head() == "0005"
        with database.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        assert tables == set(Base.metadata.tables) | {"alembic_version"}
        columns = dict(
            sql(
                database,
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name = 'spans'",
            )
        )
        assert columns["attributes"] == "json"
        assert columns["start"] == columns["end"] == "integer"
        assert columns["created_at"] == "timestamp with time zone"
    finally:
        database.dispose()


def test_older_schema_is_upgraded_in_place(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with opened(url) as ws:
        document = documents.documents(ws)[0].id
        span = spans.add_span(ws, document, 0, 7, "PERSON").added[0]

    # a later Glossa: the same migrations plus one more
    migrations = tmp_path / "migrations"
    shutil.copytree(
        database_module.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    (migrations / "versions" / "0006_events_action.py").write_text(NEXT_REVISION)
    monkeypatch.setattr(database_module, "MIGRATIONS", migrations)

    upgraded = Database(url, upgrade=False)
    try:
        assert upgraded.revision() == "0005"
        assert upgraded.upgrade() is None  # no file to copy: backing up a server is its own job
        assert upgraded.revision() == upgraded.head() == "0006"
        with upgraded.engine.connect() as connection:
            indexes = {ix["name"] for ix in inspect(connection).get_indexes("events")}
        assert "ix_events_action" in indexes
        with upgraded.unit_of_work() as uow:
            assert uow.spans.of_document(document) == [span]
    finally:
        upgraded.dispose()


def test_database_from_a_newer_glossa_is_refused_untouched(url: str) -> None:
    database = Database(url)
    sql(database, "UPDATE alembic_version SET version_num = '0099'")
    database.dispose()
    with pytest.raises(GlossaError, match="0099") as refused:
        Database(url)
    assert not shows_password(str(refused.value))
    database = Database(url, upgrade=False)
    try:
        assert database.revision() == "0099"
    finally:
        database.dispose()


def test_a_database_not_in_utf8_is_refused(url: str) -> None:
    """Offsets count characters: in another encoding PostgreSQL would count bytes."""
    other = make_url(url).set(database=f"{make_url(url).database}_latin1")
    admin = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{other.database}"'))
            try:
                connection.execute(
                    text(
                        f"CREATE DATABASE \"{other.database}\" ENCODING 'LATIN1'"
                        " LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
                    )
                )
            except DBAPIError as exc:
                pytest.skip(f"cannot create a second test database: {exc.orig}")
        try:
            with pytest.raises(GlossaError, match="UTF8"):
                Database(other.render_as_string(hide_password=False))
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{other.database}"'))
    finally:
        admin.dispose()


# -- what people see ------------------------------------------------------------------------


def test_display_name_hides_the_password(url: str) -> None:
    database = Database(url)
    try:
        shown = database.display_name
    finally:
        database.dispose()
    assert not shows_password(shown)
    assert "***" in shown
    assert make_url(url).host in shown and str(make_url(url).database) in shown
    assert database.path is None and not database.is_sqlite


def test_backups_by_file_are_for_sqlite(url: str, tmp_path: Path) -> None:
    database = Database(url)
    try:
        with pytest.raises(ValueError, match="SQLite"):
            database.backup_to(tmp_path / "copy.db")
    finally:
        database.dispose()


# -- data -----------------------------------------------------------------------------------


def test_text_offsets_count_characters(url: str) -> None:
    """``length`` and ``substr`` on the server count code points, as Python does."""
    with opened(url) as ws:
        festival = next(s for s in documents.documents(ws) if "festival" in s.title)
        body = documents.document(ws, festival.id).text
        assert any(ord(c) > 0xFFFF for c in body)  # an emoji: 1 character, 4 bytes
        assert festival.length == len(body)
        emoji = next(i for i, c in enumerate(body) if ord(c) > 0xFFFF)
        with ws.database.unit_of_work() as uow:
            assert uow.documents.excerpt(festival.id, emoji - 3, emoji + 2) == (
                len(body),
                body[emoji - 3 : emoji + 2],
            )
        span = spans.add_span(ws, festival.id, emoji - 3, emoji + 2, "CLAIM").added[0]
        change = spans.delete_span(ws, span.id)
        applying.apply(ws, change.inverse(), "undo")
        stored = sql(ws.database, "SELECT text FROM spans WHERE id = :i", i=span.id)
        assert stored == [(body[emoji - 3 : emoji + 2],)]


def test_attributes_come_back_as_dicts(url: str) -> None:
    with opened(url) as ws:
        document = documents.documents(ws)[0].id
        kept = {"kind": "direct", "check_worthy": True, "note": "Zoë 🎉", "n": [1, 2]}
        quote = spans.add_span(ws, document, 0, 12, "QUOTE", attributes=kept).added[0]
        plain = spans.add_span(ws, document, 20, 25, "PERSON").added[0]
        by_id = {span.id: span for span in spans.spans(ws, document)}
        assert by_id[quote.id].attributes == kept
        assert by_id[plain.id].attributes == {}


def test_an_import_stores_the_same_annotations_as_on_sqlite(url: str, tmp_path: Path) -> None:
    conll = REPO / "tests" / "data" / "formats" / "conll" / "news.conll"

    def imported(target: str) -> list[tuple[object, ...]]:
        with opened(target, samples=False) as ws:
            report = import_paths(ws, [conll])
            assert report.ok and report.spans > 0, report.summary()
            assert check(ws) == []
            return [
                (summary.title, s.start, s.end, s.label, s.annotator, s.origin, s.attributes)
                for summary in documents.documents(ws)
                for s in spans.spans(ws, summary.id)
            ]

    assert imported(url) == imported(str(tmp_path / "same.db"))


def test_restored_ids_leave_the_sequence_ahead(url: str) -> None:
    """A span restored under its old id never makes a later span collide with it."""
    with opened(url) as ws:
        document = documents.documents(ws)[0].id
        made = [spans.add_span(ws, document, s, s + 4, "LOC").added[0] for s in (0, 10, 20)]
        removed = [spans.delete_span(ws, span.id) for span in reversed(made)]
        for change in removed:
            applying.apply(ws, change.inverse(), "undo")
        assert sorted(s.id for s in spans.spans(ws, document)) == [s.id for s in made]
        after = spans.add_span(ws, document, 30, 34, "LOC").added[0]
        assert after.id > max(s.id for s in made)
        (last_value,) = sql(ws.database, "SELECT last_value FROM spans_id_seq")[0]
        assert isinstance(last_value, int) and last_value >= after.id


def test_check_runs_without_sqlite_pragmas(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pragmas(*_: object) -> list[str]:
        raise AssertionError("PRAGMA checks are for SQLite")

    monkeypatch.setattr("app.services.checking.sqlite_problems", no_pragmas)
    with opened(url) as ws:
        document = documents.documents(ws)[0].id
        span = spans.add_span(ws, document, 0, 5, "PERSON").added[0]
        assert check(ws) == []
        # a span whose stored text no longer matches the document is found
        sql(ws.database, "UPDATE spans SET text = 'wrong' WHERE id = :i", i=span.id)
        (problem,) = check(ws)
        assert f"span {span.id}" in problem and "'wrong'" in problem


def test_a_dropped_connection_is_replaced(url: str) -> None:
    """The server ends idle connections (restart, timeout): the next action still works."""
    with opened(url) as ws:
        document = documents.documents(ws)[0].id
        spans.spans(ws, document)  # a pooled connection now exists
        empty_engine = create_engine(url, poolclass=NullPool)
        try:
            with empty_engine.begin() as connection:
                ended = connection.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).scalar_one()
        finally:
            empty_engine.dispose()
        assert ended >= 1
        span = spans.add_span(ws, document, 0, 5, "PERSON").added[0]
        assert spans.spans(ws, document) == [span]


# -- the command line -----------------------------------------------------------------------


def glossa(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "GLOSSA_ANNOTATOR": "cli"}
    return subprocess.run(
        [sys.executable, "main.py", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
        check=False,
    )


def test_cli_imports_lists_and_checks_on_postgresql(url: str) -> None:
    imported = glossa("--db", url, "import", "resources/samples")
    assert imported.returncode == 0, imported.stderr
    assert "3 document" in imported.stdout

    listed = glossa("--db", url, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 3
    assert {row["status"] for row in rows} == {"new"}
    assert any("festival" in row["title"] for row in rows)

    checked = glossa("--db", url, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.startswith("ok: 3 documents")

    again = glossa("--db", url, "import", "resources/samples")  # known texts are skipped
    assert glossa("--db", url, "list", "--json").stdout == listed.stdout, again.stderr
    for run in (imported, listed, checked, again):
        assert not shows_password(run.stdout + run.stderr)


def test_cli_hides_the_password_when_it_cannot_connect(url: str) -> None:
    wrong = make_url(url).set(password="not-the-password")
    failed = glossa("--db", wrong.render_as_string(hide_password=False), "list")
    assert failed.returncode == 1
    assert "not-the-password" not in failed.stdout + failed.stderr
    assert "cannot open the database" in failed.stderr
