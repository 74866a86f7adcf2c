"""The keys go back to the article when a popup of the window closes.

A dialog or menu that closes hands the keyboard back to whatever the platform picks: with no
window manager, or one that does not refocus the parent, nothing of Glossa is active any more
and every shortcut (Ctrl+E after linking with E, Enter) does nothing. So when a dialog or menu
whose parent is the main window (or its menu bar) hides, the window is made active again and
the focus returns to where it was when the popup opened if that was a dock or the find bar
(someone working there), else to the article.
"""

from __future__ import annotations

from PySide6.QtCore import QChildEvent, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QMenu, QWidget


class FocusReturn(QObject):
    """Watches the window's dialogs and menus; gives the keys back when they close."""

    def __init__(
        self, window: QWidget, menu_bar: QWidget, article: QWidget, find_bar: QWidget
    ) -> None:
        super().__init__(window)
        self.window = window
        self.article = article
        """Where the keys go back to, unless they were in ``find_bar`` or a dock."""
        self.find_bar = find_bar
        self._before: QWidget | None = None
        # the popups are the window's children, and the menu bar's (its menus)
        self._parents = (window, menu_bar)
        for parent in self._parents:
            parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched in self._parents:
            # a child is polished before it is first shown: the moment to watch a popup (a
            # second install of the same filter replaces the first)
            if kind == QEvent.Type.ChildPolished and isinstance(event, QChildEvent):
                child = event.child()
                if isinstance(child, QDialog | QMenu) and child.isWindow():
                    child.installEventFilter(self)
            return False
        if kind == QEvent.Type.Show:
            self._opened()
        elif kind == QEvent.Type.Hide:
            QTimer.singleShot(0, self.give_back)
        return False

    def _opened(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and focus.window() is self.window:
            self._before = focus

    def give_back(self) -> None:
        """Make the window active with the focus in the article (or the dock or find bar it
        was in), unless another popup or window of Glossa has the keys now."""
        window = self.window
        if not window.isVisible() or QApplication.activePopupWidget() is not None:
            return
        modal = QApplication.activeModalWidget()
        if modal is not None and modal is not window:
            return
        active = QApplication.activeWindow()
        if active is not None and active is not window:
            return  # a window of its own (a report, another database): the user went there
        before = self._before
        # back to the find bar or a dock when the keys were there, else to the article
        target = before if before is not None and keeps_focus(before, (self.find_bar,)) else None
        window.activateWindow()
        (target or self.article).setFocus(Qt.FocusReason.PopupFocusReason)


def keeps_focus(widget: QWidget | None, places: tuple[QWidget, ...]) -> bool:
    """True when ``widget`` is shown inside one of ``places`` or a dock: the focus may go back
    there after a popup, since someone was working in it."""
    try:
        if widget is None or not widget.isVisible():
            return False
    except RuntimeError:  # deleted meanwhile
        return False
    if any(place.isAncestorOf(widget) for place in places):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QDockWidget):
            return True
        parent = parent.parentWidget()
    return False
