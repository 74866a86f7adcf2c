"""View > Zoom and View > Theme: how the article reads, remembered across restarts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication

from app.gui.window.remembered import app_settings
from app.gui.window.theme import THEMES, Theme

if TYPE_CHECKING:
    from app.gui.window.main_window import MainWindow

ZOOM_KEY = "view/zoom"
THEME_KEY = "view/theme"


def remembered_zoom() -> int:
    """The article's zoom the user left it at (0: the normal size)."""
    value = app_settings().value(ZOOM_KEY, 0)
    try:
        return int(str(value))
    except ValueError:  # a hand-edited settings file
        return 0


def remembered_theme() -> str:
    """The theme the user chose (``system`` unless one was)."""
    value = str(app_settings().value(THEME_KEY, "system"))
    return value if value in THEMES else "system"


def remember(key: str, value: object) -> None:
    """Keep one view setting for the next start."""
    settings = app_settings()
    settings.setValue(key, value)
    settings.sync()


def install_view_menu(window: MainWindow) -> None:
    """Zoom in, out and back (keys of the keyboard map) and the theme choice, in View."""
    article = window.article
    window.add_action("View", "zoom_in", article.zoom_in, "Zoom &in")
    window.add_action("View", "zoom_out", article.zoom_out, "Zoom &out")
    window.add_action("View", "zoom_reset", article.reset_zoom, "&Normal size")
    article.set_zoom(remembered_zoom())
    article.zoom_changed.connect(lambda steps: remember(ZOOM_KEY, steps))

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    theme = Theme.of(app)
    theme.choose(remembered_theme())
    menu = window.menu("View").addMenu("&Theme")
    group = QActionGroup(window)
    for choice, text in THEMES.items():
        action = QAction(text, window)
        action.setCheckable(True)
        action.setChecked(choice == theme.choice)
        action.triggered.connect(lambda _=False, chosen=choice: choose_theme(window, chosen))
        group.addAction(action)
        menu.addAction(action)
        window.actions_by_name[f"theme:{choice}"] = action


def choose_theme(window: MainWindow, choice: str) -> None:
    """Show the ``choice`` theme in every window, and remember it."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        Theme.of(app).choose(choice)
    remember(THEME_KEY, choice)
    action = window.actions_by_name.get(f"theme:{choice}")
    if action is not None:
        action.setChecked(True)
