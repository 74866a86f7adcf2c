"""The signal hub: every committed action is announced here, once, as a ChangeSet."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeHub(QObject):
    """Commands report here; views and models listen instead of calling each other."""

    changed = Signal(object)
    """A ``ChangeSet`` that has been committed to the database."""
    reloaded = Signal()
    """Changes others made to the database were loaded (views showing more than the open
    document read again)."""
    failed = Signal(str)
    """A user action was refused or failed; the message is meant for the user."""
