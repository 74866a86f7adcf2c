"""Two people open a brand-new database with the samples at the same instant: both get in,
and the samples are there once.

Each round uses a new database and two processes (spawned, so that neither shares the
other's engine) that import everything first, wait at a barrier, then open the database.
"""

from __future__ import annotations

import multiprocessing
import traceback
from pathlib import Path
from typing import Any

import pytest

from app.services import Workspace, documents
from tests.conftest import empty_postgres

ROUNDS = 5
BUNDLED = sorted(
    p.name for p in (Path(__file__).resolve().parents[2] / "resources" / "samples").glob("*.txt")
)


def open_at_once(url: str, annotator: str, barrier: Any, results: Any) -> None:
    """Open ``url`` with the samples when every process is at the barrier; report the titles
    seen, or the error."""
    try:
        barrier.wait(timeout=60)
        workspace = Workspace.open(url, annotator)
        try:
            results.put((annotator, sorted(s.title for s in documents.documents(workspace)), ""))
        finally:
            workspace.close()
    except Exception:  # the parent shows what went wrong
        results.put((annotator, [], traceback.format_exc()))


def open_together(url: str) -> list[tuple[str, list[str], str]]:
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    results = spawn.Queue()
    children = [
        spawn.Process(target=open_at_once, args=(url, name, barrier, results))
        for name in ("ana", "ben")
    ]
    for child in children:
        child.start()
    found = [results.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
        assert child.exitcode == 0
    return sorted(found)


@pytest.mark.slow
def test_both_get_in_and_the_samples_are_there_once(database_url: str, tmp_path: Path) -> None:
    for round_ in range(ROUNDS):
        if database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / f'round-{round_}.db'}"
        else:
            empty_postgres(database_url)
            url = database_url

        results = open_together(url)

        errors = [error for _, _, error in results if error]
        assert errors == [], f"round {round_}:\n" + "\n".join(errors)
        ana, ben = (titles for _, titles, _ in results)
        assert len(ana) == len(BUNDLED)
        assert ben == ana  # the second sees the samples the first brought in
        reader = Workspace.open(url, "reader", samples=False)
        try:
            assert sorted(s.title for s in documents.documents(reader)) == ana
        finally:
            reader.close()
