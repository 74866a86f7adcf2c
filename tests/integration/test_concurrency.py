"""Several annotators working on one database at the same time lose and duplicate nothing.

Two child processes open the same database as different annotators and, at once, add,
relabel and delete spans at random on the same three documents, spans of either annotator
alike. Each prints an acknowledgement line only after the service call returned (the commit
is done). The parent then checks that the database holds exactly what the acknowledgements
imply. It runs on one SQLite file (WAL, busy timeout) and, when configured, on PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.core.annotations import Span, Status
from app.core.schema import AttributeSpec, LabelSchema
from app.services import Workspace, metadata, schema_edits, span_edits, spans
from app.services import documents as documents_service
from app.services.checking import check
from app.services.importing import import_paths

REPO = Path(__file__).resolve().parents[2]
OPERATIONS = 150
ANNOTATORS = ("ana", "ben")
CHILD = """
import random
import sys

from app.core.errors import NotFoundError
from app.services import Workspace, span_edits, spans
from app.services import documents as documents_service

url, annotator, seed, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
documents = [int(d) for d in sys.argv[5].split(",")]
rng = random.Random(seed)
workspace = Workspace.open(url, annotator, samples=False)
labels = [label.name for label in workspace.schema.labels]
lengths = {d: len(documents_service.document(workspace, d).text) for d in documents}
print("ready", flush=True)
sys.stdin.readline()  # both start together

for _ in range(count):
    document = rng.choice(documents)
    action = rng.choices(["add", "relabel", "delete"], weights=[5, 3, 2])[0]
    found = spans.spans(workspace, document)
    if action == "add" or not found:
        start = rng.randrange(lengths[document] - 1)
        end = min(start + rng.randint(1, 30), lengths[document])
        label = rng.choice(labels)
        span = spans.add_span(workspace, document, start, end, label).added[0]
        print("add", span.id, document, start, end, label, flush=True)
        continue
    target = rng.choice(found)  # this annotator's or the other's
    try:
        if action == "relabel":
            label = rng.choice(labels)
            changed = span_edits.relabel_span(workspace, target.id, label).changed[0]
            print("relabel", changed.id, changed.label, flush=True)
        else:
            removed = spans.delete_span(workspace, target.id).removed[0]
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
        documents = [summary.id for summary in documents_service.documents(setup)]
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
            for span in spans.spans(reader, document):
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
                    assert documents_service.status(view, document) is expected, (
                        annotator,
                        document,
                    )
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
    assert {revision for revision, _, _ in opened} == {"0005"}
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


EDITORS = 4
EDITS = 50
LABELS_EACH = 8


def edit_at_once(url: str, number: int, document: int, start: Any, results: Any) -> None:
    """One editor (a process of its own): read-modify-write edits of metadata, the schema and
    spans, each acknowledged (put on ``results``) only after its service call returned."""
    from app.core.schema import Label
    from app.services import Workspace

    workspace = Workspace.open(url, f"editor{number}", samples=False)
    acknowledged: dict[str, list[Any]] = {"meta": [], "labels": [], "spans": []}
    try:
        length = len(documents_service.document(workspace, document).text)
        start.wait()
        for edit in range(EDITS):
            # a key of its own for each edit, and one key every editor changes
            metadata.update_meta(
                workspace,
                document,
                {f"editor{number}-{edit}": str(edit), "last editor": str(number)},
            )
            acknowledged["meta"].append(f"editor{number}-{edit}")
            first = (number * EDITS + edit) % (length - 1)
            added = spans.add_span(workspace, document, first, first + 1, "PERSON").added[0]
            span_edits.set_span_attributes(workspace, added.id, {"note": f"{number}-{edit}"})
            acknowledged["spans"].append((added.id, f"{number}-{edit}"))
            if edit % (EDITS // LABELS_EACH) == 0 and len(acknowledged["labels"]) < LABELS_EACH:
                # as the schema dialog does: the schema this window read, plus one label
                name = f"E{number}L{len(acknowledged['labels'])}"
                label = Label(name, "#336699", f"F{number}-{len(acknowledged['labels'])}")
                schema = workspace.schema
                schema_edits.update_schema(
                    workspace, replace(schema, labels=(*schema.labels, label))
                )
                acknowledged["labels"].append(name)
    finally:
        workspace.close()
        results.put((number, acknowledged))


@pytest.mark.slow
def test_editors_at_once_lose_no_acknowledged_edit(database_url: str, tmp_path: Path) -> None:
    """Four processes edit one document's metadata, the label schema and spans at once, each
    reading, changing and writing back: every edit they were told was saved is there."""
    setup = Workspace.open(database_url, "setup", samples=False)
    try:
        document = import_text(setup, "Ana Ruiz met Ben Okafor in Lagos on Monday. " * 20, tmp_path)
        schema_edits.update_schema(setup, _with_note_attribute(setup.schema))
    finally:
        setup.close()
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(EDITORS), context.Queue()
    editors = [
        context.Process(target=edit_at_once, args=(database_url, n, document, start, results))
        for n in range(EDITORS)
    ]
    for editor in editors:
        editor.start()
    acknowledged = dict(results.get(timeout=300) for _ in editors)
    for editor in editors:
        editor.join(timeout=60)
        assert editor.exitcode == 0

    reader = Workspace.open(database_url, "reader", samples=False)
    try:
        meta = documents_service.document(reader, document).meta
        stored_spans = {span.id: span for span in spans.spans(reader, document)}
        labels = {label.name for label in reader.schema.labels}
        assert check(reader) == []
    finally:
        reader.close()
    lost_meta = [key for done in acknowledged.values() for key in done["meta"] if key not in meta]
    lost_labels = [
        name for done in acknowledged.values() for name in done["labels"] if name not in labels
    ]
    lost_spans = [
        (span_id, note)
        for done in acknowledged.values()
        for span_id, note in done["spans"]
        if span_id not in stored_spans or stored_spans[span_id].attributes.get("note") != note
    ]
    assert (len(lost_meta), len(lost_labels), len(lost_spans)) == (0, 0, 0), (
        f"lost {len(lost_meta)} of {EDITORS * EDITS} metadata edits, "
        f"{len(lost_labels)} of {EDITORS * LABELS_EACH} labels, "
        f"{len(lost_spans)} of {EDITORS * EDITS} spans"
    )
    assert all(len(done["meta"]) == EDITS for done in acknowledged.values())
    assert meta["last editor"] in {str(n) for n in range(EDITORS)}
    assert "PERSON" in labels  # the labels of the schema as it was are all still there


def import_text(workspace: Workspace, text_: str, folder: Path) -> int:
    """Add one document holding ``text_`` and return its id."""
    source = folder / "news.txt"
    source.write_text(text_, encoding="utf-8")
    assert import_paths(workspace, [source]).ok
    return documents_service.documents(workspace)[-1].id


def _with_note_attribute(schema: LabelSchema) -> LabelSchema:
    labels = tuple(
        replace(label, attributes=(*label.attributes, AttributeSpec("note", "text")))
        if label.name == "PERSON"
        else label
        for label in schema.labels
    )
    return replace(schema, labels=labels)
