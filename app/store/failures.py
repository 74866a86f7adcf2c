"""Storage failures in plain words: every driver, migration and I/O error becomes a StorageError.

Layers above the store catch ``StorageError`` (a ``GlossaError``) and show its text; they never
name SQLAlchemy's, the drivers' or Alembic's errors.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from app.core.errors import GlossaError, StorageError

DRIVER_FAILURES: tuple[type[BaseException], ...] = (SQLAlchemyError, sqlite3.Error)
"""What the engine and the drivers raise when a database cannot be used."""

OPEN_FAILURES: tuple[type[BaseException], ...] = (*DRIVER_FAILURES, OSError, ImportError)
"""What opening a database may raise besides: an unusable path, a missing driver."""


def migration_failures() -> tuple[type[BaseException], ...]:
    """OPEN_FAILURES and Alembic's own error, for the blocks that run Alembic.

    Alembic is imported only there: loading it takes a tenth of a second of every start, and
    a database already at the newest schema needs none of it.
    """
    from alembic.util.exc import CommandError

    return (*OPEN_FAILURES, CommandError)


_PLAIN = (
    (
        ("database is locked", "database table is locked", "lock timeout"),
        "the database is locked by another program",
    ),
    (
        ("database or disk is full", "no space left", "disk full", "could not extend file"),
        "the disk is full",
    ),
    (("readonly database", "read-only", "read only"), "the database file is read-only"),
    (
        (
            "server closed the connection",
            "terminating connection",
            "connection is closed",
            "connection already closed",
            "consuming input failed",
            "server conn crashed",
        ),
        "the server closed the connection",
    ),
)


def _driver_message(exc: BaseException) -> str:
    """The driver's own message of ``exc`` on one line, without SQLAlchemy's SQL echo."""
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).strip()
    line = text.splitlines()[0].strip() if text else ""
    return line or type(inner).__name__


def plain_reason(exc: BaseException) -> str:
    """Why the database could not be used, in the user's words."""
    detail = _driver_message(exc)
    lowered = f"{detail} {exc}".lower()
    if isinstance(exc, OSError) and exc.errno == 28:
        return "the disk is full"
    for needles, words in _PLAIN:
        if any(needle in lowered for needle in needles):
            return words
    if isinstance(exc, ModuleNotFoundError):
        return f"a part Glossa needs for this database is not installed ({exc.name})"
    return detail


def _without(secret: str | None, text: str) -> str:
    return text.replace(secret, "***") if secret else text


def storage_error(exc: BaseException, url: str, shown: str) -> StorageError:
    """A ``StorageError`` naming the database as ``shown`` (its password masked) and the reason.

    The password itself is taken out of every part of the message, wherever a driver put it.
    """
    try:
        secret = make_url(url).password
    except ArgumentError:
        secret = None
    password = str(secret) if secret else None
    reason = _without(password, plain_reason(exc))
    detail = _without(password, _driver_message(exc))
    return StorageError(f"{shown}: {reason}", reason=reason, detail=detail)


@contextmanager
def reported(
    url: str, shown: str, failures: tuple[type[BaseException], ...] = DRIVER_FAILURES
) -> Iterator[None]:
    """Turn ``failures`` raised inside the block into a ``StorageError``; let ours pass."""
    try:
        yield
    except GlossaError:
        raise
    except failures as exc:
        raise storage_error(exc, url, shown) from exc
