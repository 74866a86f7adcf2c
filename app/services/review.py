"""Reviewing a project's annotations: the review table's rows, and accepting or rejecting spans.

Accepted spans form the ``reviewed`` layer that exports can select. Relabelling a span and
fixing its boundaries are the workspace's own actions (``relabel_span``, ``move_span``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import replace

from app.core.annotations import Span
from app.core.errors import NotFoundError
from app.core.review import Review, ReviewQuery, ReviewRow
from app.services.applying import write_change
from app.services.changes import ChangeSet
from app.services.project_schema import schema_in
from app.services.workspace import Workspace
from app.store.unit_of_work import UnitOfWork


class ReviewActions:
    """The review table's reads and actions on one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    # -- reading -------------------------------------------------------------------

    def count(self, query: ReviewQuery) -> int:
        """How many spans of the project the query lists."""
        with self.workspace.database.reading() as uow:
            return uow.review_rows.count(self.workspace.project_id, self._speakers(uow, query))

    def rows(self, query: ReviewQuery, offset: int, limit: int) -> list[ReviewRow]:
        """Rows ``offset`` to ``offset + limit`` of the query, in its order."""
        with self.workspace.database.reading() as uow:
            query = self._speakers(uow, query)
            return uow.review_rows.page(self.workspace.project_id, query, offset, limit)

    def rows_of(self, span_ids: Collection[int]) -> dict[int, ReviewRow]:
        """The current rows of these spans by id; spans deleted since are left out."""
        with self.workspace.database.reading() as uow:
            speakers = schema_in(self.workspace, uow).relations_with_role("speaker")
            return uow.review_rows.rows_of(span_ids, speakers)

    def _speakers(self, uow: UnitOfWork, query: ReviewQuery) -> ReviewQuery:
        """``query`` naming the schema's speaker relations, as stored now."""
        speakers = schema_in(self.workspace, uow).relations_with_role("speaker")
        return replace(query, speaker_relations=frozenset(speakers))

    def annotators(self) -> list[str]:
        """Every annotator's name, sorted (for a filter's choices)."""
        with self.workspace.database.reading() as uow:
            return uow.review_rows.annotator_names()

    def reviews(self, span_ids: Iterable[int]) -> dict[int, Review]:
        """The review state of each of these spans."""
        with self.workspace.database.reading() as uow:
            return uow.review_rows.reviews_of(span_ids)

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
        """Give every one of these spans the review state ``state``, as one action.

        Every span must still exist, else nothing changes (``NotFoundError``). The change
        carries each span's state before, so that its inverse gives it back; it is logged
        with the reviewer's name.
        """
        ids = list(dict.fromkeys(span_ids))
        if not ids:
            return ChangeSet()
        with self.workspace.database.unit_of_work() as uow:
            rows = uow.review_rows
            found = rows.documents_of(ids)
            missing = sorted(set(ids) - set(found))
            if missing:
                shown = ", ".join(str(span_id) for span_id in missing[:10])
                more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
                raise NotFoundError(f"no span with id {shown}{more} (deleted meanwhile?)")
            before = rows.reviews_of(ids)
            documents = set(found.values())
            change = ChangeSet(
                next(iter(documents)) if len(documents) == 1 else None,
                review_states=tuple((i, before[i].value, state.value) for i in ids),
            )
            written = write_change(uow, change, self.workspace.annotator, "review")
            uow.commit()
        return written
