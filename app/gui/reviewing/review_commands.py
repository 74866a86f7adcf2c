"""Undoable review actions: accept, reject, or put spans back to unreviewed.

Relabelling and fixing boundaries from the review table use ``RelabelSpan`` and ``MoveSpan``
of ``app.gui.commands``, the same steps as in the article.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.core.review import Review
from app.gui.commands import WorkspaceChange
from app.gui.hub import ChangeHub
from app.services import Workspace
from app.services.review import ReviewActions

_VERBS = {Review.ACCEPTED: "Accept", Review.REJECTED: "Reject", Review.UNREVIEWED: "Unreview"}


class SetReview(WorkspaceChange):
    """Give spans one review state; undo gives each back the state it had."""

    def __init__(
        self, workspace: Workspace, hub: ChangeHub, span_ids: Sequence[int], state: Review
    ) -> None:
        count = len(span_ids)
        what = "span" if count == 1 else f"{count} spans"
        actions = ReviewActions(workspace)
        ids = tuple(span_ids)
        super().__init__(
            workspace, hub, f"{_VERBS[state]} {what}", lambda: actions.set_review(ids, state)
        )
