"""Entry point: a subcommand runs the headless CLI; no subcommand opens the window."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run ``glossa ARGS`` and return the exit code."""
    from app.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    raise SystemExit(main())
