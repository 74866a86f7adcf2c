"""Light and dark themes: the system's by default (and following it when it changes), or
one chosen in View > Theme.

The palette is the application's, so every window and dialog follows; the article re-lays
its tints over the new page colour when its palette changes (``SpanView``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

THEMES = {"system": "&System", "light": "&Light", "dark": "&Dark"}
"""The choices, with their menu texts."""

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup
_DARK = {
    _Role.Window: "#2b2b2b",
    _Role.WindowText: "#e6e6e6",
    _Role.Base: "#1e1e1e",
    _Role.AlternateBase: "#262626",
    _Role.ToolTipBase: "#323232",
    _Role.ToolTipText: "#e6e6e6",
    _Role.PlaceholderText: "#8c8c8c",
    _Role.Text: "#e6e6e6",
    _Role.Button: "#353535",
    _Role.ButtonText: "#e6e6e6",
    _Role.BrightText: "#ff7070",
    _Role.Light: "#4a4a4a",
    _Role.Midlight: "#3e3e3e",
    _Role.Mid: "#2a2a2a",
    _Role.Dark: "#191919",
    _Role.Shadow: "#0a0a0a",
    _Role.Highlight: "#3d6fb4",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#7cb8ff",
    _Role.LinkVisited: "#c79cff",
}
_LIGHT = {
    _Role.Window: "#efefef",
    _Role.WindowText: "#1a1a1a",
    _Role.Base: "#ffffff",
    _Role.AlternateBase: "#f5f5f5",
    _Role.ToolTipBase: "#ffffdc",
    _Role.ToolTipText: "#1a1a1a",
    _Role.PlaceholderText: "#7a7a7a",
    _Role.Text: "#1a1a1a",
    _Role.Button: "#efefef",
    _Role.ButtonText: "#1a1a1a",
    _Role.BrightText: "#ffffff",
    _Role.Light: "#ffffff",
    _Role.Midlight: "#e3e3e3",
    _Role.Mid: "#b8b8b8",
    _Role.Dark: "#9f9f9f",
    _Role.Shadow: "#767676",
    _Role.Highlight: "#308cc6",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#0b57d0",
    _Role.LinkVisited: "#6a1b9a",
}
_DISABLED_TEXT = {"dark": "#7a7a7a", "light": "#9a9a9a"}


def palette(dark: bool) -> QPalette:
    """The dark or light palette Glossa uses when the system's is not the one wanted."""
    made = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        made.setColor(role, QColor(colour))
    disabled = QColor(_DISABLED_TEXT["dark" if dark else "light"])
    for role in (_Role.Text, _Role.WindowText, _Role.ButtonText):
        made.setColor(_Group.Disabled, role, disabled)
    return made


def system_is_dark() -> bool:
    """True when the system asks for a dark appearance."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def palette_is_dark(shown: QPalette) -> bool:
    """True when ``shown`` draws light text on a dark window."""
    return shown.color(_Role.Window).lightnessF() < 0.5


class Theme(QObject):
    """The application's theme: the choice, kept applied as the system changes."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self._system = QPalette(app.palette())  # what the platform gave, before any choice
        self.choice = "system"
        app.styleHints().colorSchemeChanged.connect(self._on_system_changed)

    @classmethod
    def of(cls, app: QApplication) -> Theme:
        """The application's one theme, made on first use."""
        found = app.findChild(Theme)
        return found if isinstance(found, Theme) else cls(app)

    @property
    def dark(self) -> bool:
        """True when the dark theme is on show."""
        if self.choice == "system":
            return system_is_dark()
        return self.choice == "dark"

    def choose(self, choice: str) -> None:
        """Show the ``system``, ``light`` or ``dark`` theme (anything else: the system's)."""
        self.choice = choice if choice in THEMES else "system"
        self.apply()

    def apply(self) -> None:
        """Set the application's palette from the choice and the system."""
        dark = self.dark
        if self.choice == "system" and palette_is_dark(self._system) == dark:
            wanted = self._system  # the platform's own palette already fits
        else:
            wanted = palette(dark)
        if dark and self._app.style().name().lower() not in ("fusion", "windows11"):
            self._app.setStyle("Fusion")  # native styles may ignore a dark palette
        self._app.setPalette(wanted)

    def _on_system_changed(self) -> None:
        if self.choice == "system":
            # the platform has a new palette of its own by now: start from it
            self._app.setPalette(QPalette())
            self._system = QPalette(self._app.palette())
            self.apply()
