"""``glossa --self-test``: the window opens, a span goes through it and back, it quits."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import environment, glossa


def test_self_test_opens_the_window_tags_a_span_and_exits_0(tmp_path: Path) -> None:
    # the user's own database must not be touched: GLOSSA_DB points at a file never made
    untouched = tmp_path / "mine.db"
    result = glossa("--self-test", env=environment(GLOSSA_DB=str(untouched)))

    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("self-test ok: platform offscreen, 3 sample documents, ")
    assert "tagged in the window, saved, read back and checked" in line
    assert not untouched.exists()


def test_self_test_reports_a_window_that_cannot_start() -> None:
    result = glossa("--self-test", env=environment(QT_QPA_PLATFORM="no-such-platform"))

    assert result.returncode != 0
    assert "self-test ok" not in result.stdout
