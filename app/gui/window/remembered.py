"""What the window remembers between runs: its size and place, the panels, the splitter, the
export dialog's choices and the folder files were last imported from or exported to.

Everything lives in the user's Qt settings (``QSettings("Glossa", "Glossa")``), next to the
recent databases; the database holds only what belongs to the project.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
SPLITTER_KEY = "window/splitter"
FOLDER_KEY = "files/last_folder"
EXPORT_FORMAT_KEY = "export/format"
EXPORT_SPLIT_KEY = "export/split"
EXPORT_FOLDER_KEY = "export/folder"


def app_settings() -> QSettings:
    """The user's Glossa settings."""
    return QSettings("Glossa", "Glossa")


def _bytes(settings: QSettings, key: str) -> QByteArray | None:
    value = settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def save_layout(settings: QSettings, window: QMainWindow, splitter: QSplitter) -> None:
    """Remember the window's size and place, its docks and the splitter's sizes."""
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())
    settings.setValue(SPLITTER_KEY, splitter.saveState())
    settings.sync()


def restore_layout(settings: QSettings, window: QMainWindow, splitter: QSplitter) -> bool:
    """Put back what ``save_layout`` remembered; False when there was nothing (a first run)."""
    geometry = _bytes(settings, GEOMETRY_KEY)
    if geometry is None:
        return False
    window.restoreGeometry(geometry)
    state = _bytes(settings, STATE_KEY)
    if state is not None:
        window.restoreState(state)
    sizes = _bytes(settings, SPLITTER_KEY)
    if sizes is not None:
        splitter.restoreState(sizes)
    return True


def last_folder(settings: QSettings, key: str = FOLDER_KEY) -> str:
    """The folder files were last picked in (an empty string: none yet, or it is gone)."""
    folder = str(settings.value(key, "") or "")
    return folder if folder and Path(folder).is_dir() else ""


def remember_folder(settings: QSettings, path: str | Path, key: str = FOLDER_KEY) -> None:
    """Remember the folder of ``path`` (``path`` itself when it is a folder)."""
    chosen = Path(path)
    folder = chosen if chosen.is_dir() else chosen.parent
    settings.setValue(key, str(folder))
    settings.sync()
