"""Entry point: a subcommand runs the headless CLI; no subcommand opens the window."""

from __future__ import annotations

import sys


def missing_libraries() -> str | None:
    """Why Qt's X11 window cannot load (missing system libraries), checked before loading it.

    Qt itself would abort with "Could not load the Qt platform plugin xcb" and no name.
    """
    from app.cli import qt_libraries

    return qt_libraries.check() if qt_libraries.window_needs_check() else None


def open_window(database: str | None, annotator: str | None) -> int:
    """Start the GUI, loaded only now so that the commands never load Qt."""
    if problem := missing_libraries():
        print(problem, file=sys.stderr)
        return 1
    try:
        from app.gui import main as gui_main
    except ImportError as exc:
        print(
            f"error: the window cannot open ({exc}); the commands still work: glossa --help",
            file=sys.stderr,
        )
        return 1
    return gui_main(database, annotator)


def self_test() -> int:
    """``glossa --self-test``: the window on a temporary database, driven without input."""
    if problem := missing_libraries():
        print(f"self-test failed: {problem}", file=sys.stderr)
        return 1
    try:
        from app.gui.window.self_test import self_test as run_self_test
    except ImportError as exc:
        print(f"self-test failed: Qt cannot load ({exc})", file=sys.stderr)
        return 1
    return run_self_test()


def main(argv: list[str] | None = None) -> int:
    """Run ``glossa ARGS`` and return the exit code."""
    from app.cli import run

    return run(sys.argv[1:] if argv is None else argv, open_window, self_test)


if __name__ == "__main__":
    raise SystemExit(main())
