"""Shared fixtures: every test gets its own SQLite file and user data directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services import Workspace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_SAMPLES = REPO.parent / "shared" / "samples"
BUNDLED_SAMPLES = REPO / "resources" / "samples"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep tests away from the real user data dir, settings and GLOSSA_* variables."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.delenv("GLOSSA_DB", raising=False)
    monkeypatch.setenv("GLOSSA_ANNOTATOR", "tester")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh SQLite database file (not yet created)."""
    return tmp_path / "glossa.db"


@pytest.fixture
def workspace(db_path: Path) -> Iterator[Workspace]:
    """An empty workspace (default schema, no documents) on a real SQLite file."""
    ws = Workspace.open(str(db_path), "tester", samples=False)
    yield ws
    ws.close()


@pytest.fixture
def sample_workspace(db_path: Path) -> Iterator[Workspace]:
    """A workspace holding the bundled sample articles."""
    ws = Workspace.open(str(db_path), "tester")
    yield ws
    ws.close()
