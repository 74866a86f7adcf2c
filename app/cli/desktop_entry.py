"""``glossa --install-desktop-entry``: Glossa in the desktop's menu, for a pip install.

A bundle or a distribution package puts these files in the system's folders; an install into
a virtual environment has none, so this writes the freedesktop entry (its ``Exec`` starting
this very installation), the icons and the AppStream metainfo into the user's data folder
(``$XDG_DATA_HOME``, else ``~/.local/share``), where menus and software centres look.
"""

from __future__ import annotations

import os
import shlex
import sys
import tempfile
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from app import DESKTOP_ID
from app.core.errors import GlossaError

DESKTOP_FILES = Path(__file__).resolve().parents[2] / "resources" / "desktop"

# (file in resources/desktop, where it goes under the data folder)
PLACES = (
    (f"{DESKTOP_ID}.desktop", Path("applications")),
    (f"{DESKTOP_ID}.svg", Path("icons/hicolor/scalable/apps")),
    (f"{DESKTOP_ID}.png", Path("icons/hicolor/48x48/apps")),
    (f"{DESKTOP_ID}.metainfo.xml", Path("metainfo")),
)

# Characters the desktop entry specification says an Exec argument must be quoted for.
_RESERVED = set(" \t\n\r\"'\\><~|&;$*?#()`")
# The escapes of every string value, applied after the quoting: a line break in a path must
# not end the Exec line.
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"})


def data_home() -> Path:
    """``$XDG_DATA_HOME`` when it is an absolute path (the specification ignores others),
    else ``~/.local/share``."""
    given = os.environ.get("XDG_DATA_HOME", "")
    if given and Path(given).is_absolute():
        return Path(given)
    return Path.home() / ".local" / "share"


def launcher() -> list[str]:
    """The command that starts this installation of Glossa, with absolute paths.

    A bundle is its own program; an installed package runs as ``python -m app`` with the
    interpreter of its environment (no activation needed); a checkout that was never
    installed runs its ``main.py``.
    """
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    python = str(Path(sys.executable).absolute())  # a venv's python is a link: keep the venv
    try:
        distribution("glossa")
    except PackageNotFoundError:
        return [python, str(Path(__file__).resolve().parents[2] / "main.py")]
    return [python, "-m", "app"]


def exec_line(argv: Iterable[str]) -> str:
    """The ``Exec`` value running ``argv``: quoted as the desktop entry specification asks
    (then escaped once more, as every string value is), ``%`` doubled."""
    words = []
    for arg in argv:
        if arg and not _RESERVED & set(arg):
            word = arg
        else:
            word = '"' + "".join(f"\\{c}" if c in '"`$\\' else c for c in arg) + '"'
        words.append(word.translate(_STRING_ESCAPES).replace("%", "%%"))
    return " ".join(words)


def desktop_entry(template: str, argv: Iterable[str]) -> str:
    """The shipped entry with its ``Exec`` line starting ``argv``."""
    command = exec_line(argv)
    lines = [
        f"Exec={command}" if line.startswith("Exec=") else line for line in template.splitlines()
    ]
    return "\n".join(lines) + "\n"


def _write(target: Path, content: bytes) -> None:
    """Replace ``target`` whole: a menu never reads half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def install(folder: Path | None = None) -> list[Path]:
    """Write the entry, icons and metainfo under ``folder`` (default: the data folder);
    return the files written. GlossaError naming the file when one cannot be read or written.
    """
    folder = folder or data_home()
    contents: list[tuple[Path, bytes]] = []
    for name, place in PLACES:
        source = DESKTOP_FILES / name
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise GlossaError(
                f"{source}: cannot be read ({exc.strerror}); this installation lacks the "
                "desktop files"
            ) from None
        if name.endswith(".desktop"):
            data = desktop_entry(data.decode("utf-8"), launcher()).encode("utf-8")
        contents.append((folder / place / name, data))
    written = []
    for target, data in contents:
        try:
            _write(target, data)
        except OSError as exc:
            raise GlossaError(f"{target}: cannot be written ({exc.strerror})") from None
        written.append(target)
    return written


def run() -> int:
    """Install the entry and say what was written; exit status 0."""
    written = install()
    for path in written:
        print(f"wrote {path}")
    print(f"Glossa is in the menu as 'Glossa'; it starts: {shlex.join(launcher())}")
    return 0
