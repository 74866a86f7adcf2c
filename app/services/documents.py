"""The project's documents as one annotator sees them: the list, one document, its status,
and where the annotator stopped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.core.annotations import Document, DocumentSummary, Status
from app.services.applying import write_change
from app.services.changes import ChangeSet

if TYPE_CHECKING:
    from app.services.workspace import Workspace


def documents(workspace: Workspace) -> list[DocumentSummary]:
    """Every document of the project with this annotator's status."""
    with workspace.database.reading() as uow:
        return uow.documents.summaries(workspace.project_id, workspace.annotator_id)


def document(workspace: Workspace, document_id: int) -> Document:
    """One document with its text."""
    with workspace.database.reading() as uow:
        return uow.documents.get(document_id)


def annotators(workspace: Workspace) -> list[str]:
    """The name of everyone who has opened the database as an annotator, sorted."""
    with workspace.database.reading() as uow:
        return uow.annotator_work.names()


def annotators_of(workspace: Workspace, document_id: int) -> list[str]:
    """The name of everyone with a span in a document, sorted."""
    with workspace.database.reading() as uow:
        return uow.annotator_work.annotators_of(document_id)


def progress(workspace: Workspace) -> tuple[int, int]:
    """``(done, total)`` documents for this annotator."""
    summaries = documents(workspace)
    return sum(s.status is Status.DONE for s in summaries), len(summaries)


def next_unfinished(workspace: Workspace, after: int | None = None) -> int | None:
    """The first document not done after ``after`` (wrapping round), if any."""
    summaries = documents(workspace)
    ids = [s.id for s in summaries]
    start = ids.index(after) + 1 if after in ids else 0
    for summary in summaries[start:] + summaries[:start]:
        if summary.status is not Status.DONE and summary.id != after:
            return summary.id
    return None


def previous(workspace: Workspace, before: int) -> int | None:
    """The document listed before ``before``, if any."""
    ids = [s.id for s in documents(workspace)]
    if before in ids and ids.index(before) > 0:
        return ids[ids.index(before) - 1]
    return None


def resume_point(workspace: Workspace) -> dict[str, Any]:
    """Where this annotator stopped: ``{"document": id, "position": n}`` or empty."""
    with workspace.database.reading() as uow:
        return uow.annotators.resume(workspace.annotator)


def remember(workspace: Workspace, document_id: int, position: int) -> None:
    """Save where this annotator is, so the next start resumes there."""
    with workspace.database.unit_of_work() as uow:
        uow.annotators.set_resume(
            workspace.annotator, {"document": document_id, "position": position}
        )
        uow.commit()


def status(workspace: Workspace, document_id: int) -> Status:
    """This annotator's status of a document."""
    with workspace.database.reading() as uow:
        return uow.documents.status(document_id, workspace.annotator_id)


def set_status(workspace: Workspace, document_id: int, status: Status) -> ChangeSet:
    """Mark a document new, in progress or done for this annotator."""
    with workspace.database.unit_of_work() as uow:
        uow.documents.get(document_id)  # raises NotFoundError
        before = uow.documents.status(document_id, workspace.annotator_id)
        change = write_change(
            uow,
            ChangeSet(document_id, status=status, status_before=before),
            workspace.annotator,
            "set_status",
        )
        uow.commit()
    return change
