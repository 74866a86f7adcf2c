"""Which system libraries Qt's X11 window (the xcb platform plugin) needs and this machine lacks.

Qt reports a missing one only as "Could not load the Qt platform plugin xcb" and aborts. This
check runs before Qt is loaded (it never imports PySide6, it only finds its folder) and names
the packages to install, for Debian/Ubuntu and for Fedora. A check that found nothing missing
is remembered until the system's libraries change, so that ldd does not slow every start.

``python -m app.cli.qt_libraries`` runs it (``make run`` does, first): exit status 1 with the
install lines when a library is missing, 0 otherwise.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import appdirs

# soname -> (Debian/Ubuntu package, Fedora package). Checked with ldd on PySide6 6.11's
# libqxcb.so and the Qt libraries it loads.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libXau.so.6": ("libxau6", "libXau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp"),
    "libEGL.so.1": ("libegl1", "mesa-libEGL"),
    "libGL.so.1": ("libgl1", "mesa-libGL"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libexpat.so.1": ("libexpat1", "expat"),
    "libpng16.so.16": ("libpng16-16", "libpng"),
    "libz.so.1": ("zlib1g", "zlib"),
    "libzstd.so.1": ("libzstd1", "libzstd"),
    "libbrotlidec.so.1": ("libbrotli1", "libbrotli"),
    "libbrotlicommon.so.1": ("libbrotli1", "libbrotli"),
    "libpcre2-8.so.0": ("libpcre2-8-0", "pcre2"),
    "libstdc++.so.6": ("libstdc++6", "libstdc++"),
    "libgcc_s.so.1": ("libgcc-s1", "libgcc"),
}

# "	libxcb-icccm.so.4 => not found"
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$")
# "	libQt6Gui.so.6 => /path/libQt6Gui.so.6 (0x00007f...)"
_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+(/\S+)\s+\(0x[0-9a-fA-F]+\)\s*$")


def missing_in(ldd_output: str) -> list[str]:
    """The sonames ``ldd`` reports as ``not found``, each once, in the order it reports them."""
    found = (_NOT_FOUND.match(line) for line in ldd_output.splitlines())
    return list(dict.fromkeys(match.group(1) for match in found if match))


def resolved_in(ldd_output: str) -> list[Path]:
    """The paths of the libraries ``ldd`` found."""
    found = (_FOUND.match(line) for line in ldd_output.splitlines())
    return [Path(match.group(2)) for match in found if match]


@dataclass(frozen=True)
class Advice:
    """What to install for the missing sonames."""

    missing: tuple[str, ...]
    debian: tuple[str, ...]
    fedora: tuple[str, ...]
    unknown: tuple[str, ...]
    """Sonames the table does not know: named as they are, for the user to look up."""

    def message(self) -> str:
        """The explanation and the exact install lines, ready to print."""
        lines = [
            "The Glossa window cannot open: Qt's X11 platform plugin (xcb) needs system "
            "libraries this machine lacks:",
            "  " + " ".join(self.missing),
        ]
        if self.debian:
            lines += [
                "Install them, then start Glossa again:",
                "  Debian/Ubuntu: sudo apt-get install " + " ".join(self.debian),
                "  Fedora:        sudo dnf install " + " ".join(self.fedora),
            ]
        if self.unknown:
            lines.append(
                "Find the package of "
                + ", ".join(self.unknown)
                + " with 'apt-file search NAME' or 'dnf provides */NAME'."
            )
        lines.append(
            "The commands work without them (glossa --help); QT_QPA_PLATFORM=offscreen runs "
            "without a window."
        )
        return "\n".join(lines)


def advice(missing: list[str]) -> Advice:
    """The packages that provide ``missing`` sonames, each package named once."""
    known = [PACKAGES[name] for name in missing if name in PACKAGES]
    return Advice(
        missing=tuple(missing),
        debian=tuple(dict.fromkeys(debian for debian, _ in known)),
        fedora=tuple(dict.fromkeys(fedora for _, fedora in known)),
        unknown=tuple(name for name in missing if name not in PACKAGES),
    )


def xcb_plugin() -> Path | None:
    """PySide6's ``libqxcb.so``, found without importing PySide6 (None: not there)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        # wheels put Qt under PySide6/Qt; some builds put the plugins beside the modules
        for plugins in (Path(folder) / "Qt" / "plugins", Path(folder) / "plugins"):
            plugin = plugins / "platforms" / "libqxcb.so"
            if plugin.is_file():
                return plugin
    return None


def _ldd(library: Path) -> str:
    ldd = shutil.which("ldd")
    if ldd is None:
        return ""
    done = subprocess.run(
        [ldd, str(library)], capture_output=True, text=True, timeout=30, check=False
    )
    return done.stdout


def missing_libraries(plugin: Path) -> list[str]:
    """The sonames the plugin and the Qt libraries it loads need and the system lacks."""
    return _survey(plugin)[0]


def _survey(plugin: Path) -> tuple[list[str], list[Path]]:
    """What the plugin's libraries lack, and the libraries ldd found for it."""
    output = _ldd(plugin)
    missing = missing_in(output)
    # ldd lists the whole tree, but a Qt library's own needs are checked too, in case a
    # loader lists only the first level; Qt's own libraries sit in the PySide6 folder.
    qt_folder = plugin.resolve().parents[2]
    for library in resolved_in(output):
        if qt_folder in library.resolve().parents and library.name.startswith("libQt6"):
            missing += [name for name in missing_in(_ldd(library)) if name not in missing]
    return missing, resolved_in(output)


def stamp_file() -> Path:
    """Where a check that found nothing missing is remembered (the user's cache folder)."""
    return Path(appdirs.user_cache_dir("Glossa")) / "qt-libraries-ok"


def _fingerprint(plugin: Path) -> str:
    """What the libraries found depend on: the plugin, the loader's cache (rewritten by
    ldconfig whenever a package adds or removes a library) and LD_LIBRARY_PATH."""
    parts = [str(plugin.resolve()), os.environ.get("LD_LIBRARY_PATH", "")]
    for path in (plugin, Path("/etc/ld.so.cache")):
        try:
            found = path.stat()
            parts.append(f"{found.st_mtime_ns} {found.st_size}")
        except OSError:
            parts.append("-")
    return " | ".join(parts)


def _checked_before(plugin: Path) -> bool:
    """True when a check on this same system found nothing missing and every library it
    found is still there: ldd (a quarter of a second at every start) need not run again."""
    try:
        first, *libraries = stamp_file().read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return first == _fingerprint(plugin) and all(Path(name).exists() for name in libraries)


def _remember(plugin: Path, libraries: list[Path]) -> None:
    try:
        stamp = stamp_file()
        stamp.parent.mkdir(parents=True, exist_ok=True)
        lines = [_fingerprint(plugin), *map(str, libraries)]
        stamp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        pass  # an unwritable cache only means checking again next time


def window_needs_check(environ: dict[str, str] | None = None) -> bool:
    """True on Linux when Qt would use the xcb plugin (QT_QPA_PLATFORM unset or xcb)."""
    platform = (os.environ if environ is None else environ).get("QT_QPA_PLATFORM", "")
    return sys.platform.startswith("linux") and platform.split(":")[0] in ("", "xcb")


def check() -> str | None:
    """The message to show when the window cannot open for lack of libraries; else None."""
    plugin = xcb_plugin()
    if plugin is None:
        return None  # no PySide6 or no xcb plugin: the import reports that, more clearly
    if _checked_before(plugin):
        return None
    missing, libraries = _survey(plugin)
    if missing:
        return advice(missing).message()
    _remember(plugin, libraries)
    return None


def main() -> int:
    """Print what is missing and return 1, or return 0 silently (also when no X11 window
    is wanted: QT_QPA_PLATFORM names another platform)."""
    message = check() if window_needs_check() else None
    if message:
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
