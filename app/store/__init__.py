"""Storage: SQLAlchemy models, engine setup, repositories and migrations.

The only package that imports SQLAlchemy; ORM objects never leave it.
"""

from app.store.database import (
    Database,
    default_database_url,
    is_read_only,
    mask_password,
    sqlite_file,
)

__all__ = ["Database", "default_database_url", "is_read_only", "mask_password", "sqlite_file"]
