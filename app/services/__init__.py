"""Application layer: service functions over a workspace, one transaction each. Qt-free."""

from app.services.changes import ChangeSet
from app.services.workspace import Workspace

__all__ = ["ChangeSet", "Workspace"]
