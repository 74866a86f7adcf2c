"""A process killed mid-work loses no span it was told had been saved.

The child adds spans one by one through ``spans.add_span`` and prints each id only after
the call returned (the commit is done). The parent kills it with SIGKILL at a random moment,
reopens the database and checks that the file is sound and every reported span is there.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.core.annotations import Status
from app.services import Workspace, documents, spans

REPO = Path(__file__).resolve().parents[2]
TEXT = "Mayor Ana Ruiz said on Monday that the \U0001f6a2 ferry terminal will open in May.\n" * 40
SPAN_LENGTH = 7
CHILD = """
import sys
from app.services import Workspace, documents, spans

workspace = Workspace.open(sys.argv[1], "writer", samples=False)
document, size = int(sys.argv[2]), int(sys.argv[3])
length = len(documents.document(workspace, document).text)
n = 0
while True:
    start = (n * 13) % (length - size)
    change = spans.add_span(workspace, document, start, start + size, "PERSON")
    print(change.added[0].id, start, flush=True)
    n += 1
"""


def read_lines(stream: object, lines: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)
    lines.put(None)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("seed", range(10))
def test_sigkill_loses_no_reported_span(db_path: Path, tmp_path: Path, seed: int) -> None:
    setup = Workspace.open(str(db_path), "setup", samples=False)
    try:
        with setup.database.unit_of_work() as uow:
            document = uow.documents.add(
                setup.project_id, title="ferry", text=TEXT, sha256="0" * 64, meta={}
            )
            uow.commit()
    finally:
        setup.close()

    env = {**os.environ, "PYTHONPATH": str(REPO), "GLOSSA_ANNOTATOR": "writer"}
    errors = tmp_path / "child-stderr.txt"
    with errors.open("w") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(db_path), str(document), str(SPAN_LENGTH)],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
            cwd=REPO,
        )
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=read_lines, args=(child.stdout, lines), daemon=True)
    reader.start()
    try:
        first = lines.get(timeout=60)
        assert first is not None, errors.read_text()
        # a random moment after the first commit: usually in the middle of another one
        time.sleep(random.Random(seed).uniform(0.2, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    reader.join(timeout=30)
    assert child.returncode == -signal.SIGKILL

    reported: list[str] = [first]
    while (line := lines.get(timeout=5)) is not None:
        reported.append(line)
    # a line cut short by the kill was never fully reported
    saved = [tuple(map(int, line.split())) for line in reported if line.endswith("\n")]
    assert saved, "the child reported no span"

    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()

    reopened = Workspace.open(str(db_path), "writer", samples=False)
    try:
        stored = {span.id: span for span in spans.spans(reopened, document)}
        with reopened.database.session() as session:
            texts = dict(
                session.execute(
                    text("SELECT id, text FROM spans WHERE document_id = :d"),
                    {"d": document},
                ).all()
            )
        for span_id, start in saved:
            span = stored.get(span_id)
            assert span is not None, f"span {span_id} was reported but is missing"
            assert (span.start, span.end, span.label) == (start, start + SPAN_LENGTH, "PERSON")
            assert texts[span_id] == TEXT[start : start + SPAN_LENGTH]
        # at most the one span whose commit was under way when the child died is unreported
        assert len(stored) - len(saved) in (0, 1)
        assert documents.status(reopened, document) is Status.IN_PROGRESS
        assert reopened.database.revision() == reopened.database.head()
    finally:
        reopened.close()
