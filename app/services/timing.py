"""Time spent: active seconds per document and annotator, and everyone's progress.

The window counts active time (input in the last minute, window in front) and hands it here
in small amounts; each amount is added to what is stored, never written over it.

Time is a record of effort, not a decision: recording it never changes a document's status.
A document moves from new to in progress on its first span and to done when marked so; a
glance at an article, however long, leaves it new.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.annotations import Status
from app.core.errors import GlossaError
from app.services.workspace import Workspace


@dataclass(frozen=True)
class AnnotatorProgress:
    """How far one annotator got over the project's documents."""

    annotator: str
    new: int
    in_progress: int
    done: int
    seconds: int
    """Active time over every document, idle time excluded."""

    @property
    def documents(self) -> int:
        """Every document of the project (whatever its status)."""
        return self.new + self.in_progress + self.done


def record_time(workspace: Workspace, document_id: int, seconds: int) -> int:
    """Add ``seconds`` of active time on a document to this annotator's total; return it.

    The document's status stays what it was (new when the annotator had none).
    """
    if seconds < 0:
        raise GlossaError(f"time spent cannot be negative ({seconds} s)")
    with workspace.database.unit_of_work() as uow:
        work = uow.annotator_work
        if seconds == 0:
            uow.documents.get(document_id)  # raises NotFoundError
            return work.seconds(document_id, workspace.annotator_id)
        total = work.add_seconds(document_id, workspace.annotator_id, seconds)
        uow.commit()
    return total


def time_spent(workspace: Workspace, document_id: int) -> int:
    """This annotator's active seconds on a document so far."""
    with workspace.database.unit_of_work() as uow:
        return uow.annotator_work.seconds(document_id, workspace.annotator_id)


def annotator_progress(workspace: Workspace) -> list[AnnotatorProgress]:
    """Documents new, in progress and done, and time spent, of each annotator, by name.

    Everyone with a document state (a status or time recorded) is listed, and the
    workspace's own annotator always.
    """
    with workspace.database.unit_of_work() as uow:
        documents = len(uow.documents.ids(workspace.project_id))
        rows = uow.annotator_work.progress(workspace.project_id)
    counts: dict[str, dict[str, int]] = {workspace.annotator: {}}
    seconds: dict[str, int] = {}
    for annotator, status, number, spent in rows:
        counts.setdefault(annotator, {})[status] = number
        seconds[annotator] = seconds.get(annotator, 0) + spent
    result = []
    for annotator in sorted(counts):
        of = counts[annotator]
        started = of.get(Status.IN_PROGRESS.value, 0)
        done = of.get(Status.DONE.value, 0)
        result.append(
            AnnotatorProgress(
                annotator,
                new=max(documents - started - done, 0),
                in_progress=started,
                done=done,
                seconds=seconds.get(annotator, 0),
            )
        )
    return result


def describe_seconds(seconds: int) -> str:
    """A duration as people read it: ``45 s``, ``12 min``, ``3 h 05 min``."""
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
