"""``GLOSSA_FIRST_PAINT=1``: the window reports its first paint and quits (the cold-start
benchmark's probe)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.runner import environment, glossa


def test_the_window_prints_its_first_paint_and_quits(tmp_path: Path) -> None:
    database = tmp_path / "first-paint.db"
    result = glossa(
        "--db", database, "--annotator", "bench", env=environment(GLOSSA_FIRST_PAINT="1")
    )

    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert re.fullmatch(r"first paint after \d+\.\d{3} s \(clock \d+\.\d{6}\)", line), line
    assert database.is_file()  # the real window, on the real database: nothing skipped
