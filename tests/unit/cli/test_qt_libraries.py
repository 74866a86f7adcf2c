"""The check of Qt's window libraries: ldd output read, sonames mapped to packages."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import __main__ as entry
from app.cli import qt_libraries
from app.cli.qt_libraries import PACKAGES, advice, missing_in, resolved_in, window_needs_check

LDD = Path(__file__).resolve().parents[2] / "data" / "ldd"
# ldd of PySide6 6.11's libqxcb.so on Debian 12, before and after installing the xcb packages
MISSING = (LDD / "libqxcb-missing.txt").read_text(encoding="utf-8")
CLEAN = (LDD / "libqxcb-clean.txt").read_text(encoding="utf-8")


def test_the_missing_libraries_are_read_once_each_in_order() -> None:
    assert missing_in(MISSING) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


def test_a_clean_machine_lacks_nothing() -> None:
    assert missing_in(CLEAN) == []
    assert any(path.name == "libQt6XcbQpa.so.6" for path in resolved_in(CLEAN))


def test_the_install_lines_name_the_packages_for_debian_and_fedora() -> None:
    message = advice(missing_in(MISSING)).message()

    assert "libxcb-icccm.so.4 libxcb-keysyms.so.1" in message
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in message
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms\n" in message


def test_a_package_providing_several_missing_libraries_is_named_once() -> None:
    found = advice(["libxcb-shape.so.0", "libxcb-xkb.so.1", "libEGL.so.1", "libxcb-cursor.so.0"])

    assert found.debian == ("libxcb-shape0", "libxcb-xkb1", "libegl1", "libxcb-cursor0")
    assert found.fedora == ("libxcb", "mesa-libEGL", "xcb-util-cursor")


def test_an_unknown_library_is_named_for_the_user_to_look_up() -> None:
    found = advice(["libxcb-icccm.so.4", "libfancy.so.9"])

    assert found.unknown == ("libfancy.so.9",)
    assert "libfancy.so.9" in found.message()
    assert "sudo apt-get install libxcb-icccm4\n" in found.message()


def test_every_x11_gl_and_font_library_the_plugin_loads_has_packages() -> None:
    prefixes = ("libxcb", "libX", "libxkb", "libEGL", "libGL", "libfontconfig", "libfreetype")
    system = [p.name for p in resolved_in(CLEAN) if p.name.startswith(prefixes)]

    assert len(system) > 20
    assert [name for name in system if name not in PACKAGES] == []


@pytest.mark.parametrize(
    ("platform", "checked"),
    [(None, True), ("", True), ("xcb", True), ("xcb:display=:1", True), ("offscreen", False)],
)
def test_only_an_x11_window_is_checked(
    platform: str | None, checked: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(qt_libraries.sys, "platform", "linux")
    environ = {} if platform is None else {"QT_QPA_PLATFORM": platform}

    assert window_needs_check(environ) is checked


def test_the_check_runs_ldd_on_the_plugin_and_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = {"libqxcb.so": MISSING}
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(qt_libraries.sys, "platform", "linux")
    monkeypatch.setattr(qt_libraries, "_ldd", lambda path: outputs.get(path.name, ""))
    monkeypatch.setattr(qt_libraries, "xcb_plugin", lambda: Path("/opt/Qt/plugins/x/libqxcb.so"))

    assert qt_libraries.main() == 1
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in capsys.readouterr().err
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # no X11 window wanted: nothing needed
    assert qt_libraries.main() == 0
    monkeypatch.delenv("QT_QPA_PLATFORM")
    outputs["libqxcb.so"] = CLEAN
    assert qt_libraries.main() == 0


def test_the_plugin_is_found_in_the_installed_pyside6() -> None:
    plugin = qt_libraries.xcb_plugin()

    assert plugin is not None and plugin.name == "libqxcb.so" and plugin.is_file()


def test_the_window_does_not_start_without_the_libraries(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(qt_libraries, "window_needs_check", lambda: True)
    monkeypatch.setattr(qt_libraries, "check", lambda: advice(missing_in(MISSING)).message())

    assert entry.open_window(None, None) == 1
    assert entry.self_test() == 1
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms" in capsys.readouterr().err


@pytest.fixture
def counted_ldd(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """ldd finding every library of a plugin in tmp_path; each run of it listed."""
    runs: list[str] = []
    plugin = tmp_path / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"\x7fELF")

    libraries = [tmp_path / "lib" / name for name in ("libxcb.so.1", "libxcb-icccm.so.4")]
    for library in libraries:
        library.parent.mkdir(exist_ok=True)
        library.write_bytes(b"\x7fELF")
    found = "".join(f"\t{lib.name} => {lib} (0x00007f0000000000)\n" for lib in libraries)

    def ldd(path: Path) -> str:
        runs.append(path.name)
        return found if path == plugin else ""

    monkeypatch.setattr(qt_libraries, "_ldd", ldd)
    monkeypatch.setattr(qt_libraries, "xcb_plugin", lambda: plugin)
    monkeypatch.setattr(qt_libraries, "stamp_file", lambda: tmp_path / "cache" / "ok")
    return runs


def test_a_clean_check_is_not_run_again_on_the_same_system(counted_ldd: list[str]) -> None:
    assert qt_libraries.check() is None
    assert counted_ldd[0] == "libqxcb.so"
    counted_ldd.clear()

    assert qt_libraries.check() is None
    assert counted_ldd == []


def test_the_check_runs_again_when_the_libraries_change(
    counted_ldd: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    qt_libraries.check()
    counted_ldd.clear()
    # ldconfig rewrites the loader's cache when a package adds or removes a library
    monkeypatch.setattr(qt_libraries, "_fingerprint", lambda plugin: "another system")

    assert qt_libraries.check() is None
    assert counted_ldd[0] == "libqxcb.so"


def test_a_library_gone_since_the_last_check_is_looked_for_again(
    counted_ldd: list[str], tmp_path: Path
) -> None:
    qt_libraries.check()
    (tmp_path / "lib" / "libxcb-icccm.so.4").unlink()  # removed by hand, without ldconfig
    counted_ldd.clear()

    qt_libraries.check()
    assert counted_ldd[0] == "libqxcb.so"


def test_a_failed_check_is_not_remembered(
    counted_ldd: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(qt_libraries, "_ldd", lambda path: MISSING)

    assert qt_libraries.check() is not None
    assert qt_libraries.check() is not None
    assert not (tmp_path / "cache" / "ok").exists()
