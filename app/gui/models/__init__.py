"""Item models over service results."""

from app.gui.models.documents import DocumentListModel
from app.gui.models.spans import SpanListModel

__all__ = ["DocumentListModel", "SpanListModel"]
