"""Each command's output and exit status, run as a user would run it."""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.formats import FORMATS
from tests.cli.runner import REPO, environment, glossa
from tests.conftest import BUNDLED_SAMPLES

ANNOTATED = {
    "text": "Ann Varga said \u201cyes\u201d.",
    "spans": [
        {"id": "p", "start": 0, "end": 9, "label": "PERSON"},
        {"id": "q", "start": 15, "end": 20, "label": "QUOTE"},
    ],
    "relations": [{"head": "q", "tail": "p", "label": "speaker"}],
}


@pytest.fixture
def annotated_db(tmp_path: Path) -> Path:
    source = tmp_path / "annotated.jsonl"
    source.write_text(json.dumps(ANNOTATED) + "\n", encoding="utf-8")
    db = tmp_path / "annotated.db"
    result = glossa("--db", db, "import", source)
    assert result.returncode == 0, result.stderr
    return db


def test_help_is_the_same_from_main_py_and_the_module() -> None:
    for args in (["--help"], ["import", "--help"], ["export", "--help"]):
        script, module = glossa(*args), glossa(*args, module=True)
        assert script.returncode == module.returncode == 0
        assert script.stdout == module.stdout
    assert glossa("--help").stdout.startswith("usage: glossa ")


def test_formats_lists_what_each_format_can_do() -> None:
    result = glossa("formats")

    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["FORMAT", "CAN", "FILES", "DESCRIPTION"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == list(FORMATS)
    assert rows["txt"].split()[:3] == ["txt", "import", ".txt"]
    assert rows["jsonl"].split()[:4] == ["jsonl", "import,", "export", ".jsonl"]
    assert FORMATS["jsonl"].description in rows["jsonl"]


def test_import_reports_each_refused_file_and_exits_1(tmp_path: Path) -> None:
    db = tmp_path / "glossa.db"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": "bad", "spans": [{"start": 0}]}\n', "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")

    result = glossa("--db", db, "import", bad, BUNDLED_SAMPLES, empty)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {bad}:2: span #1: missing label",
        f"error: {empty}: the article is empty",
    ]
    assert result.stdout == "imported 3 document(s) with 0 span(s), 2 file(s) refused\n"
    assert "Traceback" not in result.stderr
    titles = [row["title"] for row in json.loads(glossa("--db", db, "list", "--json").stdout)]
    assert len(titles) == 3 and "fine" not in titles


def test_import_of_a_missing_path_exits_1(tmp_path: Path) -> None:
    result = glossa("--db", tmp_path / "glossa.db", "import", tmp_path / "nope")

    assert result.returncode == 1
    assert result.stderr == f"error: {tmp_path / 'nope'}: no such file or folder\n"


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["import"], "the following arguments are required: PATH"),
        (["import", "x.txt", "--format", "docx"], "invalid choice: 'docx'"),
        (["export", "--format", "txt", "--out", "x.txt"], "invalid choice: 'txt' (choose from"),
        (["export", "--format", "txt", "--out", "x.txt"], "'jsonl'"),
        (["export"], "the following arguments are required: --out"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["list", "--color"], "unrecognized arguments: --color"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], complaint: str) -> None:
    result = glossa("--db", tmp_path / "glossa.db", *args)

    assert result.returncode == 2
    assert complaint in result.stderr
    assert not (tmp_path / "glossa.db").exists(), "a usage error touches no database"


def test_list_shows_a_table_and_json(annotated_db: Path) -> None:
    table = glossa("--db", annotated_db, "list")
    as_json = glossa("--db", annotated_db, "list", "--json")

    assert table.returncode == as_json.returncode == 0
    assert table.stdout.splitlines() == [
        "ID  STATUS  SPANS  LENGTH  TITLE",
        f" 1  new         2  {len(ANNOTATED['text']):>6}  {ANNOTATED['text']}",
    ]
    assert json.loads(as_json.stdout) == [
        {
            "id": 1,
            "title": ANNOTATED["text"],
            "status": "new",
            "span_count": 2,
            "length": len(str(ANNOTATED["text"])),
        }
    ]


def test_new_database_gets_no_sample_articles(tmp_path: Path) -> None:
    result = glossa("--db", tmp_path / "fresh.db", "list")

    assert (result.returncode, result.stdout) == (0, "no documents\n")
    assert glossa("--db", tmp_path / "fresh.db", "list", "--json").stdout == "[]\n"


def test_database_from_env_then_user_data_folder(tmp_path: Path) -> None:
    from_env = tmp_path / "env.db"
    result = glossa("import", BUNDLED_SAMPLES, env=environment(GLOSSA_DB=str(from_env)))
    assert result.returncode == 0, result.stderr
    assert from_env.exists()

    default = Path(os.environ["XDG_DATA_HOME"]) / "Glossa" / "glossa.db"
    assert not default.exists()
    assert glossa("list").stdout == "no documents\n"
    assert default.exists()


def test_db_may_follow_the_command(tmp_path: Path) -> None:
    db = tmp_path / "after.db"

    assert glossa("import", BUNDLED_SAMPLES, "--db", db).returncode == 0
    assert len(json.loads(glossa("list", "--json", "--db", db).stdout)) == 3


def test_export_writes_native_jsonl(annotated_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"

    result = glossa("--db", annotated_db, "export", "--format", "jsonl", "--out", out)

    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"exported 1 document(s) to {out}",
        "spans written: PERSON 1, QUOTE 1",
        "relations selected: 1",
        f"manifest: {out}.manifest.json",
    ]
    (row,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert row["text"] == ANNOTATED["text"]
    assert [(s["start"], s["end"], s["label"], s["text"]) for s in row["spans"]] == [
        (0, 9, "PERSON", "Ann Varga"),
        (15, 20, "QUOTE", "\u201cyes\u201d"),
    ]
    assert [r["label"] for r in row["relations"]] == ["speaker"]


def test_export_to_a_folder_is_an_error_not_a_traceback(annotated_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()

    result = glossa("--db", annotated_db, "export", "--out", folder)

    assert result.returncode == 1
    assert result.stderr.startswith(f"error: cannot write {folder}: ")
    assert "Traceback" not in result.stderr


def test_a_file_that_is_no_database_is_an_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("these are not the tables you are looking for " * 100, "utf-8")

    before = notes.read_bytes()

    result = glossa("--db", notes, "list")

    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {notes}: not a Glossa database (not an SQLite file")
    assert "Traceback" not in result.stderr
    assert notes.read_bytes() == before


def test_check_passes_on_a_sound_database(annotated_db: Path) -> None:
    result = glossa("--db", annotated_db, "check")

    assert (result.returncode, result.stdout) == (0, "ok: 1 documents, 2 spans checked\n")


@pytest.mark.parametrize(
    ("corruption", "finding"),
    [
        ("UPDATE spans SET \"end\" = 99999 WHERE label = 'PERSON'", "outside the text"),
        ("UPDATE spans SET text = 'Bob' WHERE label = 'PERSON'", "but the span says 'Bob'"),
        ("UPDATE document_texts SET text = 'Bob ' || text", "text is 'Bob Ann V'"),
        ("UPDATE document_texts SET text = replace(text, 'said', 'says')", "SHA-256"),
    ],
)
def test_check_finds_a_corrupted_row(annotated_db: Path, corruption: str, finding: str) -> None:
    with sqlite3.connect(annotated_db) as connection:
        connection.execute(corruption)

    result = glossa("--db", annotated_db, "check")

    assert result.returncode == 1
    *problems, last = result.stdout.splitlines()
    assert problems and last == f"{len(problems)} problem(s)"
    assert any(finding in problem for problem in problems), problems


def test_progress_shows_only_on_a_terminal(tmp_path: Path) -> None:
    piped = glossa("--db", tmp_path / "piped.db", "import", BUNDLED_SAMPLES)
    assert "\r" not in piped.stderr and "[1/3]" not in piped.stderr

    command = [sys.executable, "main.py", "--db", str(tmp_path / "tty.db")]
    controller, terminal = pty.openpty()
    try:
        process = subprocess.run(
            [*command, "import", str(BUNDLED_SAMPLES)],
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
            except OSError:  # the terminal side is closed: everything has been read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(controller)

    assert process.returncode == 0
    assert b"\r[1/3] 01-harbour-ferry-terminal.txt" in shown
    assert b"\r[3/3] 03-dam-inquiry.txt" in shown
    assert shown.endswith(b"\r\x1b[K"), "the indicator is erased before the summary"
