"""Headless commands: import, list, export, check, agree, stats, merge, schema, formats.

No command opens the window.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Callable

from app.cli.parser import build_parser
from app.cli.terminal import show
from app.core.errors import GlossaError, StorageError

WindowOpener = Callable[[str | None, str | None], int]
"""Opens the GUI on a database for an annotator; handed in by ``app.__main__``."""

SelfTest = Callable[[], int]
"""Runs ``glossa --self-test`` in the window; handed in by ``app.__main__`` too."""


def run(
    argv: list[str], open_window: WindowOpener | None = None, self_test: SelfTest | None = None
) -> int:
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
        if args.install_desktop_entry:
            from app.cli import desktop_entry

            return desktop_entry.run()
        if args.self_test:
            if self_test is None:
                raise GlossaError("no window available here to test")
            return self_test()
        if args.command is None:
            if open_window is None:
                raise GlossaError("no window available here; the commands work: glossa --help")
            return open_window(args.db, args.annotator)
        # Loaded only now: the services pull in SQLAlchemy and Alembic, which --help and
        # usage errors do not need.
        from app.cli.commands import COMMANDS

        return COMMANDS[args.command](args)
    except GlossaError as exc:
        show(f"error: {exc}", sys.stderr)
        if isinstance(exc, StorageError) and _damaged(exc):
            # a file damaged where opening did not look (a page of article texts) fails a
            # read half-way through a command: say where to look
            from app.services.live import mask_password

            named = f" --db {shlex.quote(mask_password(args.db))}" if args.db else ""
            show(f"'glossa{named} check' says what is wrong and what can be done", sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (``glossa list | head``) went away: stop quietly, and point stdout at
        # /dev/null so the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _damaged(exc: StorageError) -> bool:
    """True when the driver says the database file is damaged."""
    return any(words in exc.detail for words in ("malformed", "not a database"))
