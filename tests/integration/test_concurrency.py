"""Several annotators working on one database at the same time lose and duplicate nothing.

Two child processes open the same database as different annotators and, at once, add,
relabel and delete spans at random on the same three documents, spans of either annotator
alike. Each prints an acknowledgement line only after the service call returned (the commit
is done). The parent then checks that the database holds exactly what the acknowledgements
imply. It runs on one SQLite file (WAL, busy timeout) and, when configured, on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from app.core.annotations import Span, Status
from app.services import Workspace
from app.services.checking import check

REPO = Path(__file__).resolve().parents[2]
OPERATIONS = 150
ANNOTATORS = ("ana", "ben")
CHILD = """
import random
import sys

from app.core.errors import NotFoundError
from app.services import Workspace

url, annotator, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
documents = [int(d) for d in sys.argv[5].split(",")]
rng = random.Random(seed)
workspace = Workspace.open(url, annotator, samples=False)
labels = [label.name for label in workspace.schema.labels]
lengths = {d: len(workspace.document(d).text) for d in documents}
print("ready", flush=True)
sys.stdin.readline()  # both start together

for _ in range(count):
    document = rng.choice(documents)
    action = rng.choices(["add", "relabel", "delete"], weights=[5, 3, 2])[0]
    spans = workspace.spans(document)
    if action == "add" or not spans:
        start = rng.randrange(lengths[document] - 1)
        end = min(start + rng.randint(1, 30), lengths[document])
        label = rng.choice(labels)
        span = workspace.add_span(document, start, end, label).added[0]
        print("add", span.id, document, start, end, label, flush=True)
        continue
    target = rng.choice(spans)  # this annotator's or the other's
    try:
        if action == "relabel":
            label = rng.choice(labels)
            changed = workspace.relabel_span(target.id, label).changed[0]
            print("relabel", changed.id, changed.label, flush=True)
        else:
            removed = workspace.delete_span(target.id).removed[0]
            print("delete", removed.id, flush=True)
    except NotFoundError:
        # the other annotator deleted it in between: nothing was done, nothing acknowledged
        print("gone", target.id, flush=True)

workspace.close()
print("done", flush=True)
"""


@dataclass
class Acknowledged:
    """What the children were told had been saved."""

    added: dict[int, tuple[str, int, int, int, str]] = field(default_factory=dict)
    """span id -> (annotator, document, start, end, label)"""
    add_ids: list[int] = field(default_factory=list)
    deletes: Counter[int] = field(default_factory=Counter)
    last_label: dict[int, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    """span id -> annotator -> the label of that annotator's last acknowledged relabel"""
    actions: Counter[tuple[str, str]] = field(default_factory=Counter)

    def read(self, annotator: str, lines: list[str]) -> None:
        for line in lines:
            kind, span_id, *rest = line.split()
            span = int(span_id)
            if kind == "add":
                document, start, end, label = rest
                self.add_ids.append(span)
                self.added[span] = (annotator, int(document), int(start), int(end), label)
                self.actions[annotator, "add_span"] += 1
            elif kind == "relabel":
                self.last_label[span][annotator] = rest[0]
                self.actions[annotator, "relabel_span"] += 1
            elif kind == "delete":
                self.deletes[span] += 1
                self.actions[annotator, "delete_span"] += 1
            else:
                assert kind == "gone", line


def run_together(script: str, argvs: list[list[str]], tmp_path: Path) -> list[list[str]]:
    """Run one child per argument list, let them all go at once, return their output lines.

    Each child prints ``ready`` and waits for a line on its standard input before it starts.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    errors = [tmp_path / f"child-{n}-stderr.txt" for n in range(len(argvs))]
    children = []
    try:
        for argv, error_file in zip(argvs, errors, strict=True):
            with error_file.open("w") as stderr:
                children.append(
                    subprocess.Popen(
                        [sys.executable, "-c", script, *argv],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=stderr,
                        text=True,
                        env=env,
                        cwd=REPO,
                    )
                )
        for child, error_file in zip(children, errors, strict=True):
            assert child.stdout is not None
            assert child.stdout.readline() == "ready\n", error_file.read_text()
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()  # communicate() below closes it
        outputs = []
        for child, error_file in zip(children, errors, strict=True):
            out, _ = child.communicate(timeout=600)
            assert child.returncode == 0, error_file.read_text()
            outputs.append(out.splitlines())
        return outputs
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


@pytest.mark.slow
def test_two_annotators_at_once_lose_and_duplicate_nothing(
    database_url: str, tmp_path: Path
) -> None:
    setup = Workspace.open(database_url, "setup")  # the three bundled sample articles
    try:
        documents = [summary.id for summary in setup.documents()]
    finally:
        setup.close()
    assert len(documents) == 3

    argvs = [
        [database_url, annotator, str(seed), str(OPERATIONS), ",".join(map(str, documents))]
        for seed, annotator in enumerate(ANNOTATORS)
    ]
    outputs = run_together(CHILD, argvs, tmp_path)
    acknowledged = Acknowledged()
    for annotator, lines in zip(ANNOTATORS, outputs, strict=True):
        assert lines[-1] == "done"
        assert len(lines) == OPERATIONS + 1
        acknowledged.read(annotator, lines[:-1])

    # ids: no two acknowledged adds got the same id, no span was deleted twice
    assert len(acknowledged.add_ids) == len(set(acknowledged.add_ids))
    assert all(n == 1 for n in acknowledged.deletes.values()), acknowledged.deletes
    assert set(acknowledged.deletes) <= set(acknowledged.added)
    assert set(acknowledged.last_label) <= set(acknowledged.added)
    # the run did what it is about: both annotators added, relabelled and deleted
    for annotator in ANNOTATORS:
        for action in ("add_span", "relabel_span", "delete_span"):
            assert acknowledged.actions[annotator, action] > 0, (annotator, action)

    reader = Workspace.open(database_url, "reader", samples=False)
    try:
        stored: dict[int, Span] = {}
        for document in documents:
            for span in reader.spans(document):
                assert span.id not in stored
                stored[span.id] = span
        # every acknowledged add is there unless its deletion was acknowledged, and nothing else
        assert set(stored) == set(acknowledged.added) - set(acknowledged.deletes)
        for span_id, span in stored.items():
            annotator, document, start, end, label = acknowledged.added[span_id]
            assert (span.annotator, span.document_id, span.start, span.end) == (
                annotator,
                document,
                start,
                end,
            )
            # the label is the last acknowledged relabel of whichever annotator came last
            relabels = acknowledged.last_label.get(span_id)
            if relabels:
                assert span.label in relabels.values(), (span, relabels)
            else:
                assert span.label == label, span
        # the audit log holds exactly the acknowledged actions
        with reader.database.session() as session:
            logged = Counter(
                {
                    (row[0], row[1]): row[2]
                    for row in session.execute(
                        text(
                            "SELECT annotator, action, count(*) FROM events"
                            " WHERE annotator IN ('ana', 'ben') GROUP BY annotator, action"
                        )
                    )
                }
            )
        assert logged == acknowledged.actions
        # a document an annotator added to is in progress for that annotator
        started = {(annotator, document) for annotator, document, *_ in acknowledged.added.values()}
        for annotator in ANNOTATORS:
            view = Workspace.open(database_url, annotator, samples=False)
            try:
                for document in documents:
                    expected = (
                        Status.IN_PROGRESS if (annotator, document) in started else Status.NEW
                    )
                    assert view.status(document) is expected, (annotator, document)
            finally:
                view.close()
        assert check(reader) == []
    finally:
        reader.close()


OPENER = """
import sys

from app.services import Workspace

print("ready", flush=True)
sys.stdin.readline()
workspace = Workspace.open(sys.argv[1], sys.argv[2], samples=False)
print(workspace.database.revision(), workspace.project_id, workspace.annotator_id, flush=True)
workspace.close()
"""


@pytest.mark.slow
def test_first_opens_at_once_make_one_schema_one_project(database_url: str, tmp_path: Path) -> None:
    """Several people open a new shared database at the same moment: none of them fails."""
    names = ["ana", "ben", "cleo", "ana"]
    outputs = run_together(OPENER, [[database_url, name] for name in names], tmp_path)
    opened = [tuple(lines[-1].split()) for lines in outputs]
    assert {revision for revision, _, _ in opened} == {"0003"}
    assert len({project for _, project, _ in opened}) == 1
    annotator_ids = [annotator for _, _, annotator in opened]
    assert annotator_ids[0] == annotator_ids[3]  # the same name, the same row
    assert len(set(annotator_ids)) == 3
    reader = Workspace.open(database_url, "ana", samples=False)
    try:
        with reader.database.session() as session:
            projects = session.execute(text("SELECT count(*) FROM projects")).scalar_one()
            annotators = session.execute(text("SELECT name FROM annotators ORDER BY name")).all()
        assert projects == 1
        assert annotators == [("ana",), ("ben",), ("cleo",)]
    finally:
        reader.close()
