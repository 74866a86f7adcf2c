"""Run ``python main.py ARGS`` the way a user does, in a child process."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def environment(**extra: str) -> dict[str, str]:
    """The test process's environment (isolated HOME, GLOSSA_ANNOTATOR) plus ``extra``."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8", **extra}


def glossa(
    *args: object,
    env: dict[str, str] | None = None,
    module: bool = False,
    cwd: Path | None = None,
    timeout: float = 120,
    memory: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` (or ``python -m app ARGS``) from the repository root (or from
    ``cwd``, for relative paths), stopped after ``timeout`` seconds and, with ``memory``,
    refused more than that many bytes of address space (so a runaway read fails fast)."""
    entry = ["-m", "app"] if module else [str(REPO / "main.py")]
    environ = env or environment()
    if module and cwd is not None:
        environ = {**environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, *entry, *map(str, args)],
        cwd=cwd or REPO,
        env=environ,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
        preexec_fn=None if memory is None else lambda: _limit_memory(memory),
    )


def _limit_memory(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (size, size))
