"""Working together on one database: connecting to a team server, noticing others' changes.

A team shares one PostgreSQL database. The window asks for the server's address and a
password, tests the connection before switching to it, and remembers the address (never the
password: libpq also reads one from ``~/.pgpass`` or ``PGPASSWORD`` by itself). While it is
open it reads the change feed (``app.services.feed``) every few seconds and reloads what
someone else changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from app.core.errors import GlossaError, StorageError
from app.store import Database
from app.store import mask_password as mask_password  # the one masking, for the window too

SERVER_DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
CONNECT_TIMEOUT_S = 5
"""How long to wait for a server that does not answer, before saying it is unreachable."""

_PASSWORD = re.compile(r"^([a-z0-9+]+://[^:/@]*):.*@", re.IGNORECASE | re.DOTALL)
"""A password runs to the last ``@``: one may hold a raw ``@`` (``u:p@ss@host``)."""


def server_url(host: str, port: int, database: str, user: str, password: str = "") -> str:
    """The URL of a team database on a PostgreSQL server.

    Without a password libpq looks for one in ``~/.pgpass`` and ``PGPASSWORD``.
    """
    host, database, user = host.strip(), database.strip(), user.strip()
    if not host:
        raise GlossaError("give the server's name or address")
    if not database:
        raise GlossaError("give the name of the database on the server")
    if not 0 < port < 65536:
        raise GlossaError(f"a port is a number from 1 to 65535, not {port}")
    who = quote(user, safe="")
    if password:
        who += ":" + quote(password, safe="")
    at = f"{who}@" if who else ""
    return (
        f"{SERVER_DRIVER}://{at}{host}:{port}/{quote(database, safe='')}"
        f"?connect_timeout={CONNECT_TIMEOUT_S}"
    )


def without_password(url: str) -> str:
    """The URL with any password taken out: what may be remembered or shown."""
    return _PASSWORD.sub(r"\1@", url)


def is_server(url: str) -> bool:
    """True for a database URL that is not a SQLite file."""
    return "://" in url and not url.startswith("sqlite")


@dataclass(frozen=True)
class ConnectionCheck:
    """The answer to "can Glossa use this database?", in words for the user."""

    ok: bool
    message: str


def check_connection(url: str) -> ConnectionCheck:
    """Connect to a database and say whether Glossa can use it, without changing it."""
    try:
        database = Database(url, upgrade=False)
    except GlossaError as exc:
        return ConnectionCheck(False, connection_problem(exc))
    try:
        revision, head = database.revision(), database.head()
    except GlossaError as exc:
        return ConnectionCheck(False, connection_problem(exc))
    finally:
        database.dispose()
    if revision is None:
        message = "Connected. The database is empty; Glossa sets it up when you open it."
    elif revision == head:
        message = "Connected. It is a Glossa database, ready to open."
    else:
        message = "Connected. Glossa will upgrade this database to its newest form on open."
    return ConnectionCheck(True, message)


_PROBLEMS = (
    ("password authentication failed", "The server refused the user name or password."),
    ("no password supplied", "The server wants a password: type it in (or put it in ~/.pgpass)."),
    ("does not exist", "There is no such database (or user) on the server."),
    ("could not translate host name", "No server of that name was found: check the address."),
    ("name or service not known", "No server of that name was found: check the address."),
    ("connection refused", "The server cannot be reached: is it running, and the port right?"),
    ("timeout expired", "The server did not answer: check the address and your network."),
    ("no route to host", "The server cannot be reached from here: check your network."),
    ("permission denied", "The server refused access to this database for that user."),
    ("not a database", "That file is not a Glossa database."),
    ("unable to open database file", "The file cannot be opened: check the folder exists."),
)


def connection_problem(exc: BaseException) -> str:
    """Why a database could not be opened, in words for the user (never with a password)."""
    if isinstance(exc, StorageError):
        lowered = exc.detail.lower()
        for needle, message in _PROBLEMS:
            if needle in lowered:
                return message
        return f"Glossa cannot use this database: {mask_password(exc.reason)}"
    if isinstance(exc, GlossaError):
        return mask_password(str(exc))
    text = str(exc)
    first = text.splitlines()[0] if text else type(exc).__name__
    return f"Glossa cannot use this database: {mask_password(first)}"
