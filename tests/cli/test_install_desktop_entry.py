"""``glossa --install-desktop-entry``: the menu entry, icons and metainfo of this install."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.runner import REPO, environment, glossa
from tests.unit.cli.test_desktop_files import entry_keys, unquote_exec

ID = "org.glossa.Glossa"
FILES = (
    f"applications/{ID}.desktop",
    f"icons/hicolor/scalable/apps/{ID}.svg",
    f"icons/hicolor/48x48/apps/{ID}.png",
    f"metainfo/{ID}.metainfo.xml",
)


def test_the_files_go_under_xdg_data_home_and_are_listed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = glossa("--install-desktop-entry", env=environment(XDG_DATA_HOME=str(data)))

    assert result.returncode == 0, result.stderr
    for name in FILES:
        assert (data / name).is_file(), name
        assert f"wrote {data / name}" in result.stdout.splitlines()
    assert (data / FILES[1]).read_bytes() == (
        REPO / "resources" / "desktop" / f"{ID}.svg"
    ).read_bytes()


def test_the_entry_starts_this_installation(tmp_path: Path) -> None:
    data = tmp_path / "data"
    glossa("--install-desktop-entry", env=environment(XDG_DATA_HOME=str(data)))
    keys = entry_keys((data / FILES[0]).read_text(encoding="utf-8"))

    # what the menu would run, run from elsewhere, answers as this Glossa does
    command = unquote_exec(keys["Exec"])
    ran = subprocess.run(
        [*command, "--version"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("glossa ")
    assert keys["Icon"] == ID


def test_the_written_entry_is_valid(tmp_path: Path) -> None:
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    data = tmp_path / "data"
    glossa("--install-desktop-entry", env=environment(XDG_DATA_HOME=str(data)))
    result = subprocess.run(
        ["desktop-file-validate", str(data / FILES[0])], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_without_xdg_data_home_the_files_go_to_local_share(tmp_path: Path) -> None:
    env = environment(HOME=str(tmp_path))
    env.pop("XDG_DATA_HOME", None)
    result = glossa("--install-desktop-entry", env=env)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".local" / "share" / FILES[0]).is_file()


def test_a_data_folder_that_cannot_be_made_is_named(tmp_path: Path) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    result = glossa("--install-desktop-entry", env=environment(XDG_DATA_HOME=str(blocked)))

    assert result.returncode == 1
    assert f"error: {blocked / 'applications' / (ID + '.desktop')}: cannot be written" in (
        result.stderr
    )
    assert blocked.read_text(encoding="utf-8") == "a file where the folder should be"
