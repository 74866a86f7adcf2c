"""Where an export may write: never over the open database, and never leaving scratch behind.

An export is written into a hidden scratch folder beside its target and moved into place at
the end (see ``app.services.exporting``). A process killed meanwhile leaves that folder
behind; the next export to the same place removes the ones whose owner is gone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import tempfile
import time
from pathlib import Path

from app.core.errors import GlossaError

DATABASE_FILES = {"": "", "-wal": "write-ahead log", "-shm": "shared memory", "-journal": "journal"}
"""The files SQLite keeps for a database ``NAME``: ``NAME`` plus each suffix, and what it is."""
OWNER = ".glossa-export"
"""The file in a scratch folder naming the process that writes it."""
STALE_AFTER = 24 * 60 * 60
"""Seconds after which a scratch folder is left over whoever made it (an export takes
minutes; another machine sharing the folder cannot be asked whether its process lives)."""
_SCRATCH_TAIL = re.compile(r"[a-z0-9_]{8}")
"""What ``tempfile.mkdtemp`` adds after the prefix."""


def refuse_database_target(database: Path | None, target: Path, *, folder: bool) -> None:
    """Raise ``GlossaError`` when writing ``target`` would overwrite the open database.

    ``database`` is the SQLite file in use (None for a server). ``target`` is refused when
    it is that file or one of SQLite's files beside it (``-wal``, ``-shm``, ``-journal``), by
    any path (relative, ``./``, a symbolic or hard link), or a folder holding the database.
    ``folder`` says whether the export writes a folder at ``target``.
    """
    if database is None:
        return
    real_database = Path(os.path.realpath(database))
    real_target = Path(os.path.realpath(target))
    for suffix, kind in DATABASE_FILES.items():
        sqlite_file = real_database.with_name(real_database.name + suffix)
        if real_target == sqlite_file or _same_file(target, sqlite_file):
            what = f"the {kind} of the open database" if kind else "the open database"
            raise GlossaError(
                f"{target}: that is {what} {database}; exporting there would destroy it. "
                "Choose another file; nothing was written"
            )
    if real_target in real_database.parents and (folder or real_target.is_dir()):
        raise GlossaError(
            f"{target}: that folder holds the open database {database}; choose a new or "
            "empty folder; nothing was written"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: nothing there to overwrite
        return False


def scratch_folder(target: Path) -> Path:
    """A new hidden folder beside ``target`` to write an export into, owned by this process.

    Scratch folders left there by earlier exports to ``target`` whose process is gone, or
    that are older than ``STALE_AFTER``, are removed first.
    """
    remove_stale_scratch(target)
    scratch = Path(tempfile.mkdtemp(prefix=_prefix(target), dir=target.parent))
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "target": target.name}
    (scratch / OWNER).write_text(json.dumps(owner), encoding="utf-8")
    return scratch


def remove_stale_scratch(target: Path, *, now: float | None = None) -> list[Path]:
    """Remove the scratch folders of dead exports to ``target``; return what was removed."""
    now = time.time() if now is None else now
    prefix = _prefix(target)
    removed: list[Path] = []
    try:
        candidates = list(target.parent.iterdir())
    except OSError:
        return removed
    for path in candidates:
        name = path.name
        if not name.startswith(prefix) or not _SCRATCH_TAIL.fullmatch(name[len(prefix) :]):
            continue
        if path.is_symlink() or not path.is_dir() or not _is_stale(path, now):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _prefix(target: Path) -> str:
    return f".{target.name}."


def _is_stale(scratch: Path, now: float) -> bool:
    try:
        if now - scratch.stat().st_mtime > STALE_AFTER:
            return True
        owner = json.loads((scratch / OWNER).read_text(encoding="utf-8"))
        pid, host = int(owner["pid"]), str(owner["host"])
    except (OSError, ValueError, KeyError, TypeError):
        return False  # not ours to judge yet (no owner written, or written by someone else)
    return host == socket.gethostname() and not _alive(pid)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process (PermissionError): it lives
        return True
    return True
