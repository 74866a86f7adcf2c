"""Who is annotating on this computer: the name chosen in the window, remembered for the
window and the command line alike."""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import appdirs

SETTINGS_FILE = "annotator.json"


def settings_path() -> Path:
    """Where the chosen annotator is remembered (the user's config directory)."""
    return Path(appdirs.user_config_dir("Glossa")) / SETTINGS_FILE


def remembered_annotator() -> str | None:
    """The annotator chosen last time on this computer, if any."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("annotator") if isinstance(data, dict) else None
    return name.strip() or None if isinstance(name, str) else None


def remember_annotator(name: str) -> None:
    """Remember ``name`` for the next start (written whole: a crash leaves the old file)."""
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps({"annotator": name}), encoding="utf-8")
        partial.replace(path)
    except OSError:
        pass  # not remembered: the dialog asks again next time, nothing else is lost


def given_annotator(annotator: str | None) -> str | None:
    """The annotator named on the command line or in ``GLOSSA_ANNOTATOR``, else remembered."""
    return annotator or os.environ.get("GLOSSA_ANNOTATOR") or remembered_annotator()


def default_annotator() -> str:
    """``GLOSSA_ANNOTATOR`` if set, else the annotator the window remembers, else the login
    name."""
    name = given_annotator(None)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"
