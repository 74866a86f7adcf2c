"""The desktop entry, icons and AppStream metainfo shipped in resources/desktop, and the
``Exec`` line ``glossa --install-desktop-entry`` writes into the entry."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import DESKTOP_ID
from app.cli.desktop_entry import DESKTOP_FILES, PLACES, desktop_entry, exec_line, launcher

ENTRY = DESKTOP_FILES / f"{DESKTOP_ID}.desktop"
METAINFO = DESKTOP_FILES / f"{DESKTOP_ID}.metainfo.xml"


def validator(name: str) -> str:
    """The validator's path; the test skips (saying which package has it) when it is absent.
    CI installs both (.ci/run), so there they always run."""
    found = shutil.which(name)
    if found is None:
        package = {"desktop-file-validate": "desktop-file-utils"}.get(name, name)
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return found


def entry_keys(text: str) -> dict[str, str]:
    """The keys of the [Desktop Entry] group."""
    lines = text.splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line and not line.startswith("#"))


def test_the_desktop_entry_is_valid() -> None:
    result = subprocess.run(
        [validator("desktop-file-validate"), str(ENTRY)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # hints are not errors, but the entry is kept free of them too
    assert result.stdout.strip() == "", result.stdout


def test_the_appstream_metainfo_is_valid() -> None:
    result = subprocess.run(
        [validator("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_file_carries_the_one_desktop_id() -> None:
    keys = entry_keys(ENTRY.read_text(encoding="utf-8"))
    assert keys["Icon"] == DESKTOP_ID
    assert keys["Name"] == "Glossa"
    assert keys["StartupWMClass"] == "Glossa"  # Qt's window class is the application name
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == DESKTOP_ID
    assert root.findtext("launchable") == f"{DESKTOP_ID}.desktop"
    for name, _ in PLACES:
        assert (DESKTOP_FILES / name).is_file(), name


def test_the_icons_are_a_48_pixel_png_and_an_svg() -> None:
    png = (DESKTOP_FILES / f"{DESKTOP_ID}.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    assert (width, height) == (48, 48)
    svg = ET.parse(DESKTOP_FILES / f"{DESKTOP_ID}.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.get("width") == svg.get("height")  # square, as hicolor icons are


STRING_ESCAPES = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r", "s": " "}


def unquote_exec(value: str) -> list[str]:
    """Read an Exec value back into arguments, as the desktop entry specification says a
    launcher does: the string escapes first, then quoting, then ``%%``."""
    text, i = "", 0
    while i < len(value):
        if value[i] == "\\":
            text += STRING_ESCAPES[value[i + 1]]
            i += 2
        else:
            text += value[i]
            i += 1
    args, word, quoted, started, i = [], "", False, False, 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\":
            word += text[i + 1]
            i += 2
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c == " " and not quoted:
            if started:
                args.append(word)
            word, started = "", False
        else:
            word, started = word + c, True
        i += 1
    assert not quoted, value
    if started:
        args.append(word)
    return [arg.replace("%%", "%") for arg in args]


def test_a_plain_command_stays_unquoted() -> None:
    assert exec_line(["/usr/bin/python3", "-m", "app"]) == "/usr/bin/python3 -m app"


def test_a_path_with_spaces_and_quotes_is_quoted_and_escaped() -> None:
    line = exec_line(['/home/a b/"venv"/bin/python', "-m", "app"])
    assert line == '"/home/a b/\\\\"venv\\\\"/bin/python" -m app'
    assert unquote_exec(line) == ['/home/a b/"venv"/bin/python', "-m", "app"]


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"))))
def test_any_arguments_come_back_from_the_exec_line(argv: list[str]) -> None:
    line = exec_line(argv)
    assert not set(line) & set("\n\r")  # one line, whatever the paths hold
    assert unquote_exec(line) == argv


def test_a_line_break_in_a_path_stays_inside_the_exec_line() -> None:
    line = exec_line(["/opt/new\nline/glossa"])
    assert line == '"/opt/new\\nline/glossa"'
    assert unquote_exec(line) == ["/opt/new\nline/glossa"]


def test_the_installed_entry_differs_from_the_shipped_one_only_in_exec() -> None:
    shipped = ENTRY.read_text(encoding="utf-8")
    written = desktop_entry(shipped, ["/opt/glossa/glossa"])
    assert entry_keys(written) == {**entry_keys(shipped), "Exec": "/opt/glossa/glossa"}


def test_a_bundle_starts_itself(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    program = tmp_path / "glossa"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    assert launcher() == [str(program)]


def test_an_installed_package_starts_with_its_own_interpreter() -> None:
    assert launcher() == [str(Path(sys.executable).absolute()), "-m", "app"]
