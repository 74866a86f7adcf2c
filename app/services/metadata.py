"""A document's metadata: title, source, author, date, URL and whatever an import brought."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.errors import InputError
from app.services.applying import write_change
from app.services.changes import ChangeSet

if TYPE_CHECKING:
    from app.services.workspace import Workspace

META_KEYS = ("title", "source", "author", "date", "url")
"""The metadata the article header shows and edits, in order."""


def update_meta(workspace: Workspace, document_id: int, changes: dict[str, Any]) -> ChangeSet:
    """Change some metadata of a document and commit; other keys are kept.

    Text values are stripped; a value that is None or empty removes its key. A
    ``title`` also renames the document (the title column the lists show) and cannot be
    removed (``InputError``). ``NotFoundError`` when the document is gone.
    """
    cleaned = {
        key: value.strip() if isinstance(value, str) else value for key, value in changes.items()
    }
    title = cleaned.pop("title", None) if "title" in cleaned else None
    if "title" in changes and not title:
        raise InputError("a document needs a title")
    keys = {*cleaned, *(("title",) if title is not None else ())}
    with workspace.database.unit_of_work() as uow:
        # read under the row's lock: two people changing different keys at once both
        # keep their change, each merged into what the other saved
        current = uow.documents.get(document_id, lock=True).meta
        after = {key: value for key, value in cleaned.items() if value is not None and value != ""}
        if title is not None:
            after["title"] = title
        change = ChangeSet(
            document_id,
            meta=True,
            meta_before={key: current[key] for key in keys if key in current},
            meta_after=after,
        )
        written = write_change(uow, change, workspace.annotator, "update_meta", changes=changes)
        uow.commit()
    return written
