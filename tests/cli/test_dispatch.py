"""``run(argv)`` in process: who gets the arguments, and which exit status comes back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import app.gui
from app.__main__ import main
from app.cli import run
from tests.cli.runner import REPO, environment


@pytest.fixture
def window_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, str | None]]:
    calls: list[tuple[str | None, str | None]] = []

    def fake_main(database: str | None = None, annotator: str | None = None) -> int:
        calls.append((database, annotator))
        return 0

    monkeypatch.setattr(app.gui, "main", fake_main, raising=False)
    return calls


def test_no_command_opens_the_window(window_calls: list[tuple[str | None, str | None]]) -> None:
    assert main([]) == 0
    assert main(["--db", "team.db", "--annotator", "ann"]) == 0
    assert window_calls == [(None, None), ("team.db", "ann")]


def test_the_cli_alone_has_no_window(capsys: pytest.CaptureFixture[str]) -> None:
    assert run([]) == 1
    assert "no window" in capsys.readouterr().err


def test_commands_never_open_the_window(
    window_calls: list[tuple[str | None, str | None]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--db", str(tmp_path / "g.db"), "list"]) == 0
    assert main(["formats"]) == 0
    assert window_calls == []
    capsys.readouterr()


def test_commands_do_not_load_qt(tmp_path: Path) -> None:
    script = (
        "import sys; from app.cli import run; "
        f"status = run(['--db', {str(tmp_path / 'g.db')!r}, 'check']); "
        "print(status, sorted(m for m in sys.modules if m.startswith(('PySide6', 'app.gui'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def test_a_window_that_cannot_load_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "app.gui", None)  # makes ``import app.gui`` fail

    assert main([]) == 1
    assert capsys.readouterr().err.startswith("error: the window cannot open (")


@pytest.mark.parametrize(
    ("argv", "status"),
    [(["--help"], 0), (["--version"], 0), (["import"], 2), (["export", "--out"], 2)],
)
def test_help_and_usage_errors_return_a_status(
    argv: list[str], status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv) == status
    capsys.readouterr()


def test_errors_print_one_line_and_return_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_database = tmp_path / "x.db"
    not_a_database.write_text("plain text, not SQLite " * 50, encoding="utf-8")

    assert run(["--db", str(not_a_database), "check"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
