"""The store on real databases: migrations, constraints, cascades; SQLite pragmas and backups.

Tests taking ``database`` run on a SQLite file and, when ``GLOSSA_TEST_DATABASE_URL`` is set,
on PostgreSQL; those taking ``sqlite_database`` or ``db_path`` are about SQLite files alone.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import IntegrityError

from app.core.annotations import Span, Status
from app.core.errors import GlossaError, NotFoundError, StorageError
from app.store import Database
from app.store import database as database_module
from app.store.orm import Base

DOC_TEXT = "Mayor Ana Ruiz said the ferry terminal will open in May."


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    yield db
    db.dispose()


@pytest.fixture
def sqlite_database(db_path: Path) -> Iterator[Database]:
    db = Database(str(db_path))
    yield db
    db.dispose()


def seed(db: Database, texts: tuple[str, ...] = (DOC_TEXT,)) -> tuple[int, list[int]]:
    """Create a project, an annotator and documents; return the annotator and document ids."""
    with db.unit_of_work() as uow:
        project = uow.projects.create("News", {"name": "News", "labels": []})
        annotator = uow.annotators.id_of("tester")
        documents = [
            uow.documents.add(project, title=f"doc {i}", text=t, sha256=f"{i:064x}", meta={})
            for i, t in enumerate(texts)
        ]
        uow.commit()
    return annotator, documents


def add_span(db: Database, document: int, annotator: int, start: int, end: int) -> int:
    with db.unit_of_work() as uow:
        span = uow.spans.add(document, start, end, "PERSON", annotator, text=DOC_TEXT[start:end])
        uow.commit()
    return span


def raw_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.execute(sql))
    finally:
        connection.close()


# -- connections -------------------------------------------------------------------------


def pragmas(connection: Connection) -> tuple[object, ...]:
    return tuple(
        connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
    )


def test_every_connection_gets_the_pragmas(sqlite_database: Database) -> None:
    database = sqlite_database
    with database.engine.connect() as first, database.engine.connect() as second:
        assert first.connection.dbapi_connection is not second.connection.dbapi_connection
        for connection in (first, second):
            journal, foreign_keys, synchronous, busy = pragmas(connection)
            assert journal == "wal"
            assert foreign_keys == 1
            assert synchronous == 1  # NORMAL
            assert isinstance(busy, int) and busy > 0
    database.dispose()  # new connections after the pool is emptied get them too
    with database.engine.connect() as again:
        assert pragmas(again)[:3] == ("wal", 1, 1)


def test_wal_mode_is_stored_in_the_file(sqlite_database: Database, db_path: Path) -> None:
    assert db_path.exists()
    assert raw_rows(db_path, "PRAGMA journal_mode") == [("wal",)]


def test_foreign_keys_are_enforced(database: Database) -> None:
    annotator, _ = seed(database)
    with database.unit_of_work() as uow, pytest.raises(IntegrityError, match=r"(?i)foreign key"):
        uow.spans.add(999, 0, 5, "PERSON", annotator, text="Mayor")
        uow.session.flush()


# -- schema and migrations ---------------------------------------------------------------


def test_new_database_is_at_head(database: Database) -> None:
    assert database.head() == "0005"
    assert database.revision() == database.head()
    with database.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        tables = set(inspect(connection).get_table_names())
    assert versions == [("0005",)]
    expected = {"projects", "annotators", "documents", "document_texts", "spans", "relations"}
    assert expected | {"entities", "document_states", "events"} <= tables


def test_migrations_build_exactly_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_at_head_does_nothing(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    assert database.upgrade() is None
    Database(database_url).dispose()  # reopening neither upgrades nor backs up
    assert database.revision() == "0005"
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name) == []


def test_spans_are_indexed_by_document_and_start(database: Database) -> None:
    with database.engine.connect() as connection:
        indexes = {
            ix["name"]: ix["column_names"] for ix in inspect(connection).get_indexes("spans")
        }
    assert indexes["ix_spans_document_start"] == ["document_id", "start"]


def test_sqlite_reads_spans_in_order_from_the_index(
    sqlite_database: Database, db_path: Path
) -> None:
    plan = raw_rows(
        db_path, "EXPLAIN QUERY PLAN SELECT id FROM spans WHERE document_id = 1 ORDER BY start"
    )
    assert any("ix_spans_document_start" in str(row[-1]) for row in plan)


INSERT_SPAN = text(
    'INSERT INTO spans (document_id, start, "end", label, text, annotator_id, origin, review,'
    " attributes, created_at) VALUES (:document, :start, :end, 'PERSON', 'x', :annotator,"
    " 'manual', 'unreviewed', '{}', '2026-01-01 00:00:00')"
)


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (4, 4), (5, 2), (-3, -1)])
def test_check_constraints_refuse_bad_offsets(database: Database, start: int, end: int) -> None:
    annotator, (document,) = seed(database)
    values = {"document": document, "annotator": annotator}
    with database.engine.connect() as connection:
        with pytest.raises(IntegrityError, match=r"(?i)check constraint"):
            connection.execute(INSERT_SPAN, {**values, "start": start, "end": end})
        connection.rollback()  # PostgreSQL refuses anything more in a failed transaction
        # the same row with good offsets goes in: the CHECK alone refused it
        connection.execute(INSERT_SPAN, {**values, "start": 0, "end": 5})
        connection.commit()
        assert connection.execute(text('SELECT start, "end" FROM spans')).all() == [(0, 5)]


def test_deleting_a_document_cascades(database: Database) -> None:
    annotator, (doomed, kept) = seed(database, (DOC_TEXT, DOC_TEXT + " Later."))
    head, tail = (
        add_span(database, doomed, annotator, 0, 5),
        add_span(database, doomed, annotator, 6, 9),
    )
    other = add_span(database, kept, annotator, 0, 5)
    with database.unit_of_work() as uow:
        uow.spans.add_relation(doomed, head, tail, "speaker", annotator)
        uow.documents.set_status(doomed, annotator, Status.DONE)
        uow.commit()
    tables = {"spans": 2, "relations": 1, "document_texts": 1, "document_states": 1}

    def counts(connection: Connection) -> dict[str, int]:
        query = "SELECT count(*) FROM {} WHERE document_id = :d"
        return {
            table: connection.execute(text(query.format(table)), {"d": doomed}).scalar_one()
            for table in tables
        }

    with database.engine.begin() as connection:
        assert counts(connection) == tables
        connection.execute(text("DELETE FROM documents WHERE id = :d"), {"d": doomed})
    with database.engine.connect() as connection:
        assert counts(connection) == dict.fromkeys(tables, 0)
        assert connection.execute(text("SELECT id FROM spans")).all() == [(other,)]
        if database.is_sqlite:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_deleting_a_span_removes_its_relations(database: Database) -> None:
    annotator, (document,) = seed(database)
    head, tail = (
        add_span(database, document, annotator, 0, 5),
        add_span(database, document, annotator, 6, 9),
    )
    with database.unit_of_work() as uow:
        uow.spans.add_relation(document, head, tail, "speaker", annotator)
        uow.commit()
    with database.unit_of_work() as uow:
        uow.spans.delete(tail)
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.spans.relations_of_document(document) == []
        assert [s.id for s in uow.spans.of_document(document)] == [head]


def test_span_ids_are_never_reused(database: Database, database_url: str) -> None:
    annotator, (document,) = seed(database)
    ids = [add_span(database, document, annotator, i, i + 1) for i in range(3)]
    assert ids == sorted(ids)
    with database.unit_of_work() as uow:
        uow.spans.delete(ids[-1])
        uow.commit()
    newer = add_span(database, document, annotator, 10, 12)
    assert newer == ids[-1] + 1
    with database.unit_of_work() as uow:
        for span in (*ids[:-1], newer):
            uow.spans.delete(span)
        uow.commit()
    database.dispose()
    reopened = Database(database_url)
    try:
        assert add_span(reopened, document, annotator, 0, 5) == newer + 1
    finally:
        reopened.dispose()


def test_sqlite_span_and_relation_tables_use_autoincrement(db_path: Path) -> None:
    Database(str(db_path)).dispose()
    for table in ("spans", "relations"):
        sql = f"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
        assert "AUTOINCREMENT" in str(raw_rows(db_path, sql)[0][0]).upper(), table


def test_restoring_a_span_under_its_old_id(database: Database) -> None:
    annotator, (document,) = seed(database)
    first = add_span(database, document, annotator, 0, 5)
    second = add_span(database, document, annotator, 6, 9)
    with database.unit_of_work() as uow:
        uow.spans.delete(first)
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.spans.add(document, 0, 5, "ORG", annotator, text="Mayor", span_id=first) == first
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.spans.get(first).label == "ORG"
    # the id generator is not behind: the next span gets a new id, above every id given out
    assert add_span(database, document, annotator, 10, 14) > second


def test_relabel_or_delete_of_a_vanished_span_is_refused(database: Database) -> None:
    """Read a moment ago, deleted since by someone else: nothing is done, nothing claimed."""
    annotator, (document,) = seed(database)
    span = add_span(database, document, annotator, 0, 5)
    with database.unit_of_work() as uow:
        uow.spans.delete(span)
        uow.commit()
    with database.unit_of_work() as uow:
        with pytest.raises(NotFoundError):
            uow.spans.rewrite(Span(span, document, 0, 5, "ORG", "tester"), "Mayor")
        with pytest.raises(NotFoundError):
            uow.spans.delete(span)


def test_bulk_insert_returns_the_ids_in_the_order_given(database: Database) -> None:
    annotator, (document,) = seed(database)
    starts = [(n * 7919) % 50 for n in range(300)]  # shuffled, repeated
    rows = [
        {
            "document_id": document,
            "start": start,
            "end": start + 1,
            "label": f"L{n}",
            "text": DOC_TEXT[start],
            "annotator_id": annotator,
            "attributes": {"n": n} if n % 2 else {},
        }
        for n, start in enumerate(starts)
    ]
    with database.unit_of_work() as uow:
        ids = uow.spans.add_many(rows)
        uow.commit()
    assert len(set(ids)) == len(rows)
    with database.unit_of_work() as uow:
        for span_id, row in zip(ids, rows, strict=True):
            span = uow.spans.get(span_id)
            assert (span.start, span.label, span.attributes) == (
                row["start"],
                row["label"],
                row["attributes"],
            )


def test_creating_what_exists_returns_the_existing_row(database: Database) -> None:
    """Two first uses of a name at once make one row, not a failure."""
    with database.unit_of_work() as uow:
        project = uow.projects.create("News", {"name": "News", "labels": []})
        annotator = uow.annotators.id_of("tester")
        uow.commit()
    with database.unit_of_work() as uow:
        assert uow.projects.create("News", {"name": "News", "labels": []}) == project
        assert uow.annotators.id_of("tester") == annotator
        assert uow.annotators.id_of("other") != annotator
        uow.commit()
    with database.engine.connect() as connection:
        count = "SELECT count(*) FROM {}"
        assert connection.execute(text(count.format("projects"))).scalar_one() == 1
        assert connection.execute(text(count.format("annotators"))).scalar_one() == 2


# -- backups and upgrades ----------------------------------------------------------------


def test_backup_copy_opens_with_the_same_rows(sqlite_database: Database, tmp_path: Path) -> None:
    database = sqlite_database
    annotator, (document,) = seed(database)
    spans = [add_span(database, document, annotator, s, e) for s, e in ((0, 5), (6, 9), (10, 14))]
    # the rows are still in the WAL file, not yet in the main file: the backup must hold them
    copy = tmp_path / "copy.db"
    database.backup_to(copy)
    restored = Database(str(copy))
    try:
        assert restored.revision() == "0005"
        with database.unit_of_work() as old, restored.unit_of_work() as new:
            assert new.spans.of_document(document) == old.spans.of_document(document)
            assert [s.id for s in new.spans.of_document(document)] == spans
            assert new.documents.get(document) == old.documents.get(document)
    finally:
        restored.dispose()
    assert raw_rows(copy, "PRAGMA integrity_check") == [("ok",)]


def test_backup_needs_a_sqlite_file() -> None:
    memory = Database("sqlite://")
    try:
        with pytest.raises(ValueError, match="SQLite"):
            memory.backup_to(Path("never.db"))
    finally:
        memory.dispose()


NEXT_REVISION = '''"""index events by action

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.create_index("ix_events_action", ["action"])


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_index("ix_events_action")
'''


def test_older_database_is_backed_up_then_upgraded(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = Database(str(db_path))
    annotator, (document,) = seed(old)
    span = add_span(old, document, annotator, 0, 5)
    old.dispose()

    # a later Glossa: the same migrations plus one more
    migrations = tmp_path / "migrations"
    shutil.copytree(
        database_module.MIGRATIONS, migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    (migrations / "versions" / "0006_events_action.py").write_text(NEXT_REVISION)
    monkeypatch.setattr(database_module, "MIGRATIONS", migrations)

    upgraded = Database(str(db_path))
    try:
        assert upgraded.head() == "0006"
        assert upgraded.revision() == "0006"
        with upgraded.unit_of_work() as uow:
            assert [s.id for s in uow.spans.of_document(document)] == [span]
        assert upgraded.upgrade() is None
    finally:
        upgraded.dispose()
    index = "SELECT name FROM sqlite_master WHERE name = 'ix_events_action'"
    assert raw_rows(db_path, index) == [("ix_events_action",)]

    backup = db_path.with_name("glossa.db.before-0006.bak")
    assert backup.exists()
    # the copy was taken before the upgrade, and holds the data
    assert raw_rows(backup, "SELECT version_num FROM alembic_version") == [("0005",)]
    assert raw_rows(backup, index) == []
    assert raw_rows(backup, 'SELECT id, start, "end", text FROM spans') == [(span, 0, 5, "Mayor")]


def test_database_from_a_newer_glossa_is_refused_untouched(db_path: Path) -> None:
    Database(str(db_path)).dispose()
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.close()
    with pytest.raises(GlossaError, match="0099"):
        Database(str(db_path))
    assert raw_rows(db_path, "SELECT version_num FROM alembic_version") == [("0099",)]
    assert [p.name for p in db_path.parent.iterdir() if ".bak" in p.name] == []


def test_opening_without_upgrade_leaves_a_new_database_empty(database_url: str) -> None:
    db = Database(database_url, upgrade=False)
    try:
        assert db.revision() is None
        assert db.head() == "0005"
        assert db.upgrade() is None  # nothing to back up in a new file
        assert db.revision() == "0005"
    finally:
        db.dispose()


def test_a_file_that_is_no_database_is_refused_by_name_and_left_as_it_was(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("shopping list\n" * 100, encoding="utf-8")
    with pytest.raises(GlossaError, match="not a Glossa database") as raised:
        Database(str(notes))
    assert str(raised.value).startswith(f"{notes}: ")
    assert notes.read_text(encoding="utf-8") == "shopping list\n" * 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


# -- transactions --------------------------------------------------------------------------


def test_a_writing_unit_of_work_holds_the_write_lock_from_its_first_read(
    sqlite_database: Database, db_path: Path
) -> None:
    _, (document,) = seed(sqlite_database)
    other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    try:
        with sqlite_database.unit_of_work() as uow:
            uow.documents.get(document)  # a read, nothing written yet
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with sqlite_database.reading() as uow:
            uow.documents.get(document)
            other.execute("BEGIN IMMEDIATE")  # a reader takes no lock
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_a_locked_read_makes_the_next_writer_wait_on_postgresql(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; SQLite's writers hold the whole file")
    database = Database(database_url)
    _, (document,) = seed(database)
    try:
        with database.unit_of_work() as first, database.unit_of_work() as second:
            first.documents.get(document, lock=True)
            second.session.execute(text("SET LOCAL lock_timeout = '50ms'"))
            with pytest.raises(StorageError, match="locked by another program"):
                try:
                    second.documents.get(document, lock=True)
                except Exception as exc:
                    raise database.failure(exc) from exc
    finally:
        database.dispose()
