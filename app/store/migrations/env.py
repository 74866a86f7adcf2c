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
    elif connection.dialect.name == "sqlite":
        # the driver opens no transaction for DDL by itself; IMMEDIATE takes the write lock
        # at once (waiting up to the busy timeout), so the schema is read only after it
        connection.exec_driver_sql("BEGIN IMMEDIATE")


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
