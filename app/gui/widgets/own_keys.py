"""Keys a widget handles itself, before any of the window's shortcuts can take them.

A widget that gives some keys a meaning of its own (the review table's A, R, U; the article
editor's Ctrl+Enter and Esc) claims them when Qt asks who wants a key (ShortcutOverride),
then runs their action when the key comes; every other key goes on as usual.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtGui import QKeyEvent

ActionFor = Callable[[QKeyEvent], Callable[[], None] | None]
"""The action a key event means to the widget, or None for a key it leaves alone."""


def claimed(event: QEvent, action_for: ActionFor) -> bool:
    """True (the event accepted) when ``event`` asks for a key the widget handles."""
    if (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and action_for(event) is not None
    ):
        event.accept()
        return True
    return False


def ran(event: QKeyEvent, action_for: ActionFor) -> bool:
    """Run the action of a pressed key the widget handles; False for any other key."""
    action = action_for(event)
    if action is None:
        return False
    action()
    return True
