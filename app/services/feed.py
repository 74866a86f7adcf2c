"""The change feed: what everyone did since a window last looked, from the event log.

Every action records one event in the same transaction as its change, and event ids only
grow, so "every event after the last id seen" delivers each change exactly once, whoever
commits at the same moment. Work time is kept apart from the events, so colleagues' clocks
never look like changes.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from app.services.workspace import Workspace

FEED_PAGE = 500
"""Events read per look; a window that fell far behind catches up page by page."""

GAP_SECONDS = 60.0
"""How long a missing event id is looked for: longer than any action's transaction."""

SCHEMA_ACTIONS = frozenset({"update_schema", "undo_schema_edit"})


@dataclass(frozen=True)
class FeedEvent:
    """One action someone committed."""

    id: int
    annotator: str
    action: str
    payload: dict[str, Any]


def by_others(events: tuple[FeedEvent, ...], annotator: str) -> tuple[FeedEvent, ...]:
    """The events of everyone but ``annotator``."""
    return tuple(event for event in events if event.annotator != annotator)


def schema_changed(events: tuple[FeedEvent, ...]) -> bool:
    """True when one of the events edited the label schema."""
    return any(event.action in SCHEMA_ACTIONS for event in events)


class ChangeFeed:
    """One reader's place in the feed: reads each committed event exactly once.

    Event ids are handed out when an action writes, not when it commits: on a server two
    actions can commit in the other order, so a reader may see id 11 before id 10 exists.
    Ids missing below the highest one seen are kept as gaps and looked for again at every
    read until they arrive or ``GAP_SECONDS`` pass (an action rolled back never fills its
    gap).
    """

    def __init__(self, workspace: Workspace, position: int | None = None) -> None:
        self.workspace = workspace
        self.position = feed_position(workspace) if position is None else position
        """The highest event id read."""
        self.gaps: dict[int, float] = {}
        """Ids below ``position`` not read yet, with when they were first missed."""
        self._reading = threading.RLock()
        """A window reads on a worker thread and, on F5, on its own: one at a time."""

    def read(self, limit: int = FEED_PAGE) -> tuple[FeedEvent, ...]:
        """The events committed since the last read (at most about ``limit``), oldest first."""
        with self._reading:
            return self._read(limit)

    def _read(self, limit: int) -> tuple[FeedEvent, ...]:
        now = time.monotonic()
        self.gaps = {i: t for i, t in self.gaps.items() if now - t < GAP_SECONDS}
        with self.workspace.database.reading() as uow:
            rows = uow.events.after(self.position, limit)
            if self.gaps:
                rows = sorted([*uow.events.with_ids(self.gaps), *rows])
        events = tuple(FeedEvent(*row) for row in rows)
        for event in events:
            self.gaps.pop(event.id, None)
            if event.id > self.position:
                self.gaps.update(dict.fromkeys(range(self.position + 1, event.id), now))
                self.position = event.id
        return events

    def read_all(self) -> tuple[FeedEvent, ...]:
        """Every event committed since the last read, page after page."""
        events: list[FeedEvent] = []
        with self._reading:
            while page := self._read(FEED_PAGE):
                events.extend(page)
                if len(page) < FEED_PAGE:
                    break
        return tuple(events)


def feed_position(workspace: Workspace) -> int:
    """Where the feed stands now: the id of the newest event."""
    with workspace.database.reading() as uow:
        return uow.events.last_id()
