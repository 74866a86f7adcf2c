"""Reviewing a project's annotations: the review table's rows, and accepting or rejecting spans.

Accepted spans form the ``reviewed`` layer that exports can select. Relabelling a span and
fixing its boundaries are the workspace's own actions (``relabel_span``, ``move_span``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from app.core.annotations import Span
from app.core.errors import NotFoundError
from app.core.review import Review, ReviewQuery, ReviewRow
from app.services.changes import ChangeSet
from app.services.workspace import Workspace
from app.store.repositories.review import ReviewRows


def _changes(states: Mapping[int, Review], document_ids: set[int]) -> ChangeSet:
    """A ChangeSet naming the spans whose review state changed (and their one document)."""
    document_id = next(iter(document_ids)) if len(document_ids) == 1 else None
    return ChangeSet(document_id, reviews=tuple(sorted(states)))


class ReviewActions:
    """The review table's reads and actions on one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    # -- reading -------------------------------------------------------------------

    def count(self, query: ReviewQuery) -> int:
        """How many spans of the project the query lists."""
        with self.workspace.database.reading() as uow:
            return ReviewRows(uow.session).count(self.workspace.project_id, query)

    def rows(self, query: ReviewQuery, offset: int, limit: int) -> list[ReviewRow]:
        """Rows ``offset`` to ``offset + limit`` of the query, in its order."""
        with self.workspace.database.reading() as uow:
            return ReviewRows(uow.session).page(self.workspace.project_id, query, offset, limit)

    def rows_of(self, span_ids: Collection[int]) -> dict[int, ReviewRow]:
        """The current rows of these spans by id; spans deleted since are left out."""
        with self.workspace.database.reading() as uow:
            return ReviewRows(uow.session).rows_of(span_ids)

    def annotators(self) -> list[str]:
        """Every annotator's name, sorted (for a filter's choices)."""
        with self.workspace.database.reading() as uow:
            return ReviewRows(uow.session).annotator_names()

    def reviews(self, span_ids: Iterable[int]) -> dict[int, Review]:
        """The review state of each of these spans."""
        with self.workspace.database.reading() as uow:
            return ReviewRows(uow.session).reviews_of(span_ids)

    def span(self, span_id: int) -> Span:
        """One span (``NotFoundError`` when it is gone)."""
        with self.workspace.database.reading() as uow:
            return uow.spans.get(span_id)

    # -- actions -------------------------------------------------------------------

    def accept(self, span_ids: Iterable[int]) -> ChangeSet:
        """Accept these spans into the reviewed layer."""
        return self.set_review(span_ids, Review.ACCEPTED)

    def reject(self, span_ids: Iterable[int]) -> ChangeSet:
        """Reject these spans: they stay, but the reviewed layer leaves them out."""
        return self.set_review(span_ids, Review.REJECTED)

    def set_review(self, span_ids: Iterable[int], state: Review) -> ChangeSet:
        """Give every one of these spans the review state ``state``, as one action."""
        return self.restore_reviews(dict.fromkeys(span_ids, state))

    def restore_reviews(self, states: Mapping[int, Review]) -> ChangeSet:
        """Give each span its own review state (undo puts back what ``reviews`` read).

        Every span must still exist, else nothing changes (``NotFoundError``). The change is
        logged with the reviewer's name.
        """
        if not states:
            return ChangeSet()
        with self.workspace.database.unit_of_work() as uow:
            rows = ReviewRows(uow.session)
            found = rows.documents_of(states)
            missing = sorted(set(states) - set(found))
            if missing:
                shown = ", ".join(str(span_id) for span_id in missing[:10])
                more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
                raise NotFoundError(f"no span with id {shown}{more} (deleted meanwhile?)")
            rows.set_reviews(dict(states))
            by_state: dict[str, list[int]] = {}
            for span_id, state in sorted(states.items()):
                by_state.setdefault(state.value, []).append(span_id)
            for state_name, ids in by_state.items():
                uow.events.record(self.workspace.annotator, "review", spans=ids, review=state_name)
            uow.commit()
        return _changes(states, set(found.values()))
