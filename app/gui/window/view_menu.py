"""View > Zoom and View > Theme: how the article reads, remembered across restarts."""

from __future__ import annotations

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QApplication

from app.gui.actions import Actions
from app.gui.session import Session
from app.gui.window.remembered import app_settings
from app.gui.window.theme import THEMES, Theme

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


def install_view_menu(session: Session) -> None:
    """Zoom in, out and back (keys of the keyboard map) and the theme choice, in View."""
    article, actions = session.article, session.actions
    actions.bind("zoom_in", article.zoom_in)
    actions.bind("zoom_out", article.zoom_out)
    actions.bind("zoom_reset", article.reset_zoom)
    article.set_zoom(remembered_zoom())
    article.zoom_changed.connect(lambda steps: remember(ZOOM_KEY, steps))

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    theme = Theme.of(app)
    theme.choose(remembered_theme())
    group = QActionGroup(actions)
    for choice in THEMES:

        def choose(chosen: str = choice) -> None:
            choose_theme(actions, chosen)

        action = actions.bind(f"theme:{choice}", choose)
        action.setChecked(choice == theme.choice)
        group.addAction(action)


def choose_theme(actions: Actions, choice: str) -> None:
    """Show the ``choice`` theme in every window, and remember it."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        Theme.of(app).choose(choice)
    remember(THEME_KEY, choice)
    action = actions.get(f"theme:{choice}")
    if action is not None:
        action.setChecked(True)
