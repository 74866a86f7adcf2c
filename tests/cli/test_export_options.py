"""``glossa export`` with a selection and a split: files, manifest, summary, errors."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.annotations import Status
from app.services import Workspace, documents
from tests.cli.runner import REPO, environment, glossa

ARTICLES = [
    {
        "text": "Ann Varga said \u201cyes\u201d in Oslo.",
        "spans": [
            {"id": "p", "start": 0, "end": 9, "label": "PERSON", "annotator": "alice"},
            {"id": "c", "start": 10, "end": 14, "label": "CUE", "annotator": "alice"},
            {"id": "q", "start": 15, "end": 20, "label": "QUOTE", "annotator": "alice"},
            {"id": "l", "start": 24, "end": 28, "label": "LOC", "annotator": "bob"},
            {"id": "g", "start": 0, "end": 9, "label": "PERSON", "annotator": "gold"},
        ],
        "relations": [
            {"head": "q", "tail": "p", "label": "speaker", "annotator": "alice"},
            {"head": "q", "tail": "c", "label": "cue", "annotator": "alice"},
        ],
    },
    *(
        {
            "text": f"Bo Lind opened bridge {i}.",
            "spans": [{"id": "p", "start": 0, "end": 7, "label": "PERSON", "annotator": "bob"}],
        }
        for i in range(9)
    ),
]


@pytest.fixture
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten articles; tester has finished the first two."""
    folder = tmp_path_factory.mktemp("export-options")
    source = folder / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    db = folder / "glossa.db"
    result = glossa("--db", db, "import", source)
    assert result.returncode == 0, result.stderr
    workspace = Workspace.open(str(db), "tester", samples=False)
    try:
        for summary in documents.documents(workspace)[:2]:
            documents.set_status(workspace, summary.id, Status.DONE)
    finally:
        workspace.close()
    return db


def test_labels_and_status_print_what_was_left_out(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "done.conll"

    result = glossa(
        "--db", database, "export", "--format", "conll", "--out", out,
        "--status", "done", "--labels", "PERSON,QUOTE",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"exported 2 document(s) to {out}"
    assert "spans written: PERSON 2, QUOTE 1" in lines
    assert "left out 1 PERSON span(s): same extent as a kept span" in lines
    assert "left out 1 CUE span(s): label not selected" in lines
    assert "left out 1 LOC span(s): label not selected" in lines
    assert "left out 1 relation(s): one of its spans was left out" in lines
    assert "left out 8 document(s): status not selected" in lines
    assert lines[-1] == f"manifest: {out}.manifest.json"
    manifest = json.loads(Path(f"{out}.manifest.json").read_text("utf-8"))
    assert manifest["selection"]["status"] == ["done"]
    assert manifest["selection"]["labels"] == ["PERSON", "QUOTE"]
    assert result.stderr == ""


def test_split_with_a_seed(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset"

    first = glossa("--db", database, "export", "--format", "jsonl", "--out", out,
                   "--split", "0.8,0.1,0.1", "--seed", "11")  # fmt: skip
    again = glossa("--db", database, "export", "--format", "jsonl", "--out", tmp_path / "again",
                   "--split", "0.8,0.1,0.1", "--seed", "11")  # fmt: skip

    assert first.returncode == again.returncode == 0, first.stderr
    assert first.stdout.splitlines()[:2] == [
        f"exported 10 document(s) to {out}",
        "documents per split: train 8, dev 1, test 1",
    ]
    assert {"dev.jsonl", "manifest.json", "test.jsonl", "train.jsonl"} <= {
        p.name for p in out.iterdir()
    }
    for name in ("train", "dev", "test"):
        assert (out / f"{name}.jsonl").read_text("utf-8") == (
            tmp_path / "again" / f"{name}.jsonl"
        ).read_text("utf-8")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["split"]["seed"] == 11
    assert sum(len(ids) for ids in manifest["documents"].values()) == 10


def test_annotator_and_gold_layer(database: Path, tmp_path: Path) -> None:
    alice = glossa(
        "--db", database, "export", "--annotator", "alice", "--out", tmp_path / "a.jsonl"
    )
    gold = glossa("--db", database, "export", "--layer", "gold", "--out", tmp_path / "g.jsonl")

    assert alice.returncode == gold.returncode == 0, alice.stderr + gold.stderr
    (row,) = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    assert sorted(s["label"] for s in row["spans"]) == ["CUE", "PERSON", "QUOTE"]
    assert {s["annotator"] for s in row["spans"]} == {"alice"}
    assert len(row["relations"]) == 2
    assert "left out 9 document(s): not annotated by the selected annotator" in alice.stdout
    (row,) = [json.loads(line) for line in (tmp_path / "g.jsonl").read_text("utf-8").splitlines()]
    assert [(s["label"], s["annotator"]) for s in row["spans"]] == [("PERSON", "gold")]


@pytest.mark.parametrize(
    ("options", "complaint"),
    [
        (["--seed", "3"], "error: --seed orders a split: give --split as well"),
        (["--split", "0.5,0.6"], "error: --split '0.5,0.6': the shares add up to 1.1, not 1"),
        (["--status", "finished"], "error: unknown status 'finished' (known: new, in_progress"),
        (["--labels", "PERSON,NOPE"], "error: unknown label(s) NOPE (known: PERSON"),
        (["--layer", "gold", "--annotator", "bob"], "cannot be combined with --annotator bob"),
    ],
)
def test_bad_options_exit_1(
    database: Path, tmp_path: Path, options: list[str], complaint: str
) -> None:
    result = glossa("--db", database, "export", "--out", tmp_path / "x.jsonl", *options)

    assert result.returncode == 1
    assert complaint in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_layer_choices_are_a_usage_error(tmp_path: Path) -> None:
    result = glossa("--db", tmp_path / "g.db", "export", "--out", tmp_path / "x", "--layer", "x")

    assert result.returncode == 2
    assert "argument --layer: invalid choice: 'x'" in result.stderr
    assert "reviewed" in result.stderr and "gold" in result.stderr


def test_progress_shows_on_a_terminal_only(database: Path, tmp_path: Path) -> None:
    piped = glossa("--db", database, "export", "--out", tmp_path / "piped.jsonl")
    assert piped.returncode == 0 and piped.stderr == ""

    out = tmp_path / "tty.jsonl"
    command = [sys.executable, "main.py", "--db", str(database), "export", "--out", str(out)]
    controller, terminal = pty.openpty()
    try:
        process = subprocess.run(
            command,
            cwd=REPO,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=terminal,
            timeout=120,
            check=False,
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)

    assert process.returncode == 0
    assert b"\r[10/10] tty.jsonl" in shown
    assert shown.endswith(b"\r\x1b[K"), "the indicator is erased before the summary"


def test_a_split_left_empty_is_said(tmp_path: Path) -> None:
    database = tmp_path / "three.db"
    assert glossa("--db", database, "import", REPO / "resources" / "samples").returncode == 0

    done = glossa("--db", database, "export", "--out", tmp_path / "out", "--split", "0.8,0.1,0.1")

    assert done.returncode == 0, done.stderr
    assert "split has no documents (3 in all)" in done.stdout


def test_discontinuous_spans_as_their_covering_range(tmp_path: Path) -> None:
    text = "“We stay,” she said, “and we fight.”"
    first, second = (0, text.index(" she")), (text.index("“and"), len(text))
    source = tmp_path / "in.jsonl"
    span = {
        "id": "q",
        "start": 0,
        "end": len(text),
        "label": "QUOTE",
        "annotator": "alice",
        "fragments": [list(first), list(second)],
    }
    source.write_text(json.dumps({"text": text, "spans": [span]}) + "\n", encoding="utf-8")
    db = tmp_path / "f.db"
    assert glossa("--db", db, "import", source).returncode == 0
    out = tmp_path / "out.conll"
    result = glossa("--db", db, "export", "--format", "conll", "--out", out, "--fragments", "cover")
    assert result.returncode == 0, result.stderr
    assert "covering range" in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    tags = [line.split()[-1] for line in lines if line and not line.startswith("-DOCSTART-")]
    assert tags[0] == "B-QUOTE" and set(tags[1:]) == {"I-QUOTE"}  # the gap's words too
    manifest = json.loads((tmp_path / "out.conll.manifest.json").read_text(encoding="utf-8"))
    assert manifest["discontinuous_spans"]["written_as"] == "covering range"
