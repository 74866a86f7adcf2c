"""Alembic environment: the engine comes from ``app.store.database``.

Several people may open a shared database at the same moment, right after installing a
newer Glossa: the first one upgrades it and the others wait for that, then find the schema
at head. So the whole upgrade is one transaction that starts by taking a lock.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from app.store.orm import Base

MIGRATION_LOCK = 0x676C6F73  # PostgreSQL advisory lock key: "glos"


def lock_for_upgrade(connection: Connection) -> None:
    """Wait until no other process is upgrading; held until the transaction ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    # on SQLite the store begins every writing transaction with BEGIN IMMEDIATE, which takes
    # the write lock at once (waiting up to the busy timeout): the schema is read only after


engine = context.config.attributes["engine"]

with engine.begin() as connection:
    lock_for_upgrade(connection)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
