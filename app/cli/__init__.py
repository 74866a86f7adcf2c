"""Headless commands: import, list, export, check, agree, stats, merge, formats.

No command opens the window.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable

from app.cli.parser import build_parser
from app.core.errors import GlossaError

WindowOpener = Callable[[str | None, str | None], int]
"""Opens the GUI on a database for an annotator; handed in by ``app.__main__``."""


def run(argv: list[str], open_window: WindowOpener | None = None) -> int:
    """Run ``glossa ARGV`` and return the exit status (2 for a usage error).

    Without a command the window opens through ``open_window``: the GUI is a sibling
    layer that the CLI must not import, so the entry point above both hands it in.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors; callers want a status
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    try:
        if args.command is None:
            if open_window is None:
                raise GlossaError("no window available here; the commands work: glossa --help")
            return open_window(args.db, args.annotator)
        # Loaded only now: the services pull in SQLAlchemy and Alembic, which --help and
        # usage errors do not need.
        from app.cli.commands import COMMANDS

        return COMMANDS[args.command](args)
    except GlossaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (``glossa list | head``) went away: stop quietly, and point stdout at
        # /dev/null so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as exc:
        from app.store import is_storage_failure, mask_password

        # a file damaged where opening did not look (a page of article texts) fails a read
        # half-way through a command: say so, and where to look, instead of a traceback
        if isinstance(exc, OSError) or not is_storage_failure(exc):
            raise
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: the database cannot be read: {reason}", file=sys.stderr)
        named = f" --db {shlex.quote(mask_password(args.db))}" if args.db else ""
        print(f"'glossa{named} check' says what is wrong and what can be done", file=sys.stderr)
        return 1
