"""Progress over time: how many documents each annotator had done, moment by moment; and
who has annotated anything at all.

Derived from the event log (``set_status`` events, logged each time an annotator marks a
document new, in progress or done, undo included), not from ``document_states.updated_at``,
which keeps the time a state was first recorded. Replaying the events counts each document
once however often it was marked done, and drops it again when it is marked otherwise, so
the last count of an annotator equals the documents they have done now (as long as every
status change went through the workspace, which logs it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.annotations import Status
from app.services.workspace import Workspace


@dataclass(frozen=True)
class ProgressPoint:
    """The number of documents an annotator had done from ``at`` on."""

    at: datetime
    """When the count changed, in UTC."""
    done: int


@dataclass(frozen=True)
class AnnotatorProgress:
    """One annotator's documents done, each time the count changed, oldest first."""

    annotator: str
    points: tuple[ProgressPoint, ...]

    @property
    def done(self) -> int:
        """Documents done now."""
        return self.points[-1].done if self.points else 0


def progress_over_time(workspace: Workspace) -> tuple[AnnotatorProgress, ...]:
    """Cumulative documents done per annotator over time, by annotator name.

    Annotators who never marked a document done are left out.
    """
    with workspace.database.reading() as uow:
        changes = uow.status_events.status_changes(workspace.project_id)
    done: dict[str, set[int]] = {}
    points: dict[str, list[ProgressPoint]] = {}
    for at, annotator, document, status in changes:
        documents = done.setdefault(annotator, set())
        before = len(documents)
        if status == Status.DONE.value:
            documents.add(document)
        else:
            documents.discard(document)
        if len(documents) != before:
            points.setdefault(annotator, []).append(ProgressPoint(at, len(documents)))
    return tuple(AnnotatorProgress(name, tuple(points[name])) for name in sorted(points))


def annotators_with_work(workspace: Workspace) -> tuple[str, ...]:
    """Everyone who annotated a document of the project, by name: the annotators that
    agreement can compare.

    An annotator annotated a document when they have a span in it or a status other than new.
    """
    with workspace.database.reading() as uow:
        annotated = uow.documents.annotators_by_document(workspace.project_id)
    return tuple(sorted({name for names in annotated.values() for name in names}))
