"""What the commands print: plain tables and a one-line progress indicator."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: set[int]) -> str:
    """Align ``rows`` under ``headers``; columns in ``right`` are right-aligned (numbers).

    The last column is never padded, so a long title or description simply runs on.
    """
    cells = [[str(h) for h in headers], *([str(c) for c in row] for row in rows)]
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
        line = f"[{number}/{total}] {path.name}"[: max(width, 20)]
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Erase the indicator so the next line starts clean."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
