"""The one QApplication, named as the desktop entry is so that the window matches its entry."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import APP_NAME, DESKTOP_ID, ORGANISATION

ICON = Path(__file__).resolve().parents[2] / "resources" / "desktop" / f"{DESKTOP_ID}.svg"


def glossa_application() -> QApplication:
    """The running QApplication (made now if there is none) with Glossa's names and icon.

    The desktop file name lets the desktop (Wayland's app id, GNOME and KDE on X11) tie the
    window to ``org.glossa.Glossa.desktop``; the icon is the entry's, for desktops that take
    it from the window instead.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    app.setDesktopFileName(DESKTOP_ID)
    if ICON.is_file():
        app.setWindowIcon(QIcon(str(ICON)))
    return app
