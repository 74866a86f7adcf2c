"""Titles and names with terminal control characters are printed visibly, never obeyed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.runner import glossa

# ESC [2J clears the screen; U+009B is CSI, the same in one character; DEL and BEL too.
HOSTILE = "Clear\x1b[2J me\x9b31m now\x07\x7f"
HOSTILE_NAME = "eve\x1b]0;owned\x07"


def _controls(text: str) -> set[str]:
    """The control characters in ``text`` a terminal would act on."""
    return {c for c in text if (ord(c) < 0x20 and c not in "\n") or 0x7F <= ord(c) <= 0x9F}


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    record = {
        "text": "Ann Varga said yes.",
        "meta": {"title": HOSTILE},
        "spans": [
            {"id": "p", "start": 0, "end": 9, "label": "PERSON", "annotator": HOSTILE_NAME},
            {"id": "q", "start": 15, "end": 18, "label": "PERSON", "annotator": "bob"},
        ],
    }
    source = tmp_path / "hostile\x1b[2J.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "hostile.db"
    result = glossa("--db", db, "import", source)
    assert result.returncode == 0, result.stderr
    assert not _controls(result.stdout + result.stderr)
    return db


def test_list_shows_control_characters_of_a_title_as_escapes(hostile_db: Path) -> None:
    result = glossa("--db", hostile_db, "list")

    assert result.returncode == 0, result.stderr
    assert not _controls(result.stdout)
    assert "Clear\\x1b[2J me\\x9b31m now\\x07\\x7f" in result.stdout


def test_list_json_escapes_them_and_stays_valid_json(hostile_db: Path) -> None:
    result = glossa("--db", hostile_db, "list", "--json")

    assert result.returncode == 0, result.stderr
    assert not _controls(result.stdout)
    assert json.loads(result.stdout)[0]["title"] == HOSTILE


@pytest.mark.parametrize("command", [["stats"], ["agree"], ["stats", "--json"], ["check"]])
def test_commands_printing_names_escape_them(hostile_db: Path, command: list[str]) -> None:
    result = glossa("--db", hostile_db, *command)

    assert not _controls(result.stdout + result.stderr)
    if command == ["stats"]:
        assert "eve\\x1b]0;owned\\x07" in result.stdout
    if command == ["stats", "--json"]:
        assert HOSTILE_NAME in json.loads(result.stdout)["annotators"]


def test_an_error_naming_a_file_escapes_it(tmp_path: Path) -> None:
    bad = tmp_path / "bad\x9b2J.jsonl"
    bad.write_text("not json\n", encoding="utf-8")

    result = glossa("--db", tmp_path / "x.db", "import", bad)

    assert result.returncode == 1
    assert "bad\\x9b2J.jsonl" in result.stderr
    assert not _controls(result.stdout + result.stderr)
