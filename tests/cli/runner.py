"""Run ``python main.py ARGS`` the way a user does, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def environment(**extra: str) -> dict[str, str]:
    """The test process's environment (isolated HOME, GLOSSA_ANNOTATOR) plus ``extra``."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8", **extra}


def glossa(
    *args: object, env: dict[str, str] | None = None, module: bool = False
) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` (or ``python -m app ARGS``) from the repository root."""
    entry = ["-m", "app"] if module else ["main.py"]
    return subprocess.run(
        [sys.executable, *entry, *map(str, args)],
        cwd=REPO,
        env=env or environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
