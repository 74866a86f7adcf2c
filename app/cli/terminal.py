"""What the commands print: plain tables and a one-line progress indicator.

Titles, names and file names come from imported files and other people's databases; printed
raw, a control character in them drives the terminal (ESC or CSI clears the screen, moves the
cursor, retitles the window). Everything the commands print goes through ``printable``.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

# C0 (ESC among them), DEL and C1 (U+009B is CSI, a one-character ESC [).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _as_text(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\x{ord(char):02x}"


def _as_json(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str, *, lines: bool = True, json: bool = False) -> str:
    """``text`` with the control characters a terminal would act on written out visibly.

    ``lines`` keeps tab and newline (multi-line output); otherwise they are escaped too, so
    that one value stays on its line. ``json`` writes ``\\u009b`` (valid inside a JSON
    string, where every control character of JSON output sits) instead of ``\\x9b``.
    """
    pattern = _CONTROLS_BUT_LAYOUT if lines else _CONTROLS
    return pattern.sub(_as_json if json else _as_text, text)


def show(text: str, stream: TextIO | None = None, *, json: bool = False) -> None:
    """Print ``text`` (data from the database or from files) safely for a terminal."""
    print(printable(text, json=json), file=stream or sys.stdout)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: set[int]) -> str:
    """Align ``rows`` under ``headers``; columns in ``right`` are right-aligned (numbers).

    The last column is never padded, so a long title or description simply runs on.
    """
    cells = [[printable(str(c), lines=False) for c in row] for row in (headers, *rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers) - 1)]
    lines = []
    for row in cells:
        padded = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row[:-1])
        ]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    return "\n".join(lines)


class Progress:
    """``[12/300] file.txt`` rewritten in place on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown = False

    def __call__(self, number: int, total: int, path: Path) -> None:
        # A line longer than the terminal wraps, and "\r" then only rewinds its last row.
        width = shutil.get_terminal_size().columns - 1
        line = printable(f"[{number}/{total}] {path.name}", lines=False)[: max(width, 20)]
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Erase the indicator so the next line starts clean."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
