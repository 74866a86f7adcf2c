"""The command line works as the annotator the window remembers, and a command that only
reads adds no annotator to the database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.runner import environment, glossa


def annotators(database: Path) -> list[str]:
    connection = sqlite3.connect(database)
    try:
        return sorted(name for (name,) in connection.execute("SELECT name FROM annotators"))
    finally:
        connection.close()


def remembered(home: Path, name: str) -> dict[str, str]:
    """An environment whose user chose ``name`` in the window, with no GLOSSA_ANNOTATOR."""
    config = home / ".config" / "Glossa"
    config.mkdir(parents=True)
    (config / "annotator.json").write_text(json.dumps({"annotator": name}), encoding="utf-8")
    env = environment(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    env.pop("GLOSSA_ANNOTATOR", None)
    return env


def test_the_command_line_uses_the_annotator_the_window_remembers(tmp_path: Path) -> None:
    env = remembered(tmp_path / "home", "carol")
    article = tmp_path / "a.txt"
    article.write_text("Carol tags this one.", encoding="utf-8")
    database = tmp_path / "g.db"

    done = glossa("--db", database, "import", article, env=env)

    assert done.returncode == 0, done.stderr
    assert annotators(database) == ["carol"]


def test_reading_commands_add_no_annotator(tmp_path: Path) -> None:
    database = tmp_path / "g.db"
    article = tmp_path / "a.txt"
    article.write_text("Someone tags this one.", encoding="utf-8")
    assert glossa("--db", database, "--annotator", "ana", "import", article).returncode == 0

    for command in (["list"], ["check"], ["stats"], ["agree"]):
        done = glossa("--db", database, "--annotator", "zed", *command)
        assert done.returncode in (0, 1), done.stderr  # agree with one annotator says so
        assert "Traceback" not in done.stderr
    out = tmp_path / "out.jsonl"
    assert glossa("--db", database, "--annotator", "zed", "export", "--out", out).returncode == 0

    assert annotators(database) == ["ana"]
