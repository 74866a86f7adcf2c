"""Application layer: one method per user action, one transaction each. Qt-free."""

from app.services.changes import ChangeSet
from app.services.workspace import Workspace

__all__ = ["ChangeSet", "Workspace"]
