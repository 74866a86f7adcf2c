"""A project's suggestion settings: which suggesters run in the window, the confidence under
which nothing is shown or stored, and the labels each suggester may propose.

They are kept in the project's event log, the newest ``suggestion_settings`` event of the
project winning: every window and ``glossa suggest`` on the database (a shared PostgreSQL
one too) reads the same settings, their history is kept, and the store needs no new table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.assist import suggester_names
from app.core.errors import InputError
from app.core.suggestions import PendingSuggestion
from app.services.workspace import Workspace

ACTION = "suggestion_settings"
WINDOW_DEFAULT = ("known-names", "quotes")
"""What runs in the window until a project says otherwise (the model is trained on demand)."""


@dataclass(frozen=True)
class SuggestionSettings:
    """``window``: the suggesters the window runs live; ``threshold``: the least confidence
    shown or stored; ``labels``: per suggester, the labels it may propose (a suggester not
    named there may propose every label)."""

    window: tuple[str, ...] = WINDOW_DEFAULT
    threshold: float = 0.0
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise InputError(f"the confidence threshold is between 0 and 1, not {self.threshold}")

    def allows(self, suggester: str, label: str, confidence: float) -> bool:
        """True when a suggestion of ``suggester`` with ``label`` and ``confidence`` is kept."""
        if confidence < self.threshold:
            return False
        allowed = self.labels.get(suggester)
        return allowed is None or label in allowed

    def keeps(self, suggestion: PendingSuggestion) -> bool:
        """True when the settings let ``suggestion`` be shown or stored."""
        return self.allows(suggestion.suggester, suggestion.label, suggestion.confidence)

    def with_threshold(self, threshold: float | None) -> SuggestionSettings:
        """The same settings with another threshold (unchanged when ``threshold`` is None)."""
        if threshold is None:
            return self
        return SuggestionSettings(self.window, threshold, self.labels)

    def as_payload(self) -> dict[str, Any]:
        """The settings as an event's payload."""
        return {
            "window": list(self.window),
            "threshold": self.threshold,
            "labels": {name: list(labels) for name, labels in sorted(self.labels.items())},
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> SuggestionSettings:
        """Settings read back from an event (what is missing or malformed keeps its default)."""
        window = payload.get("window")
        threshold = payload.get("threshold")
        labels = payload.get("labels")
        return cls(
            tuple(str(n) for n in window) if isinstance(window, list) else WINDOW_DEFAULT,
            min(max(float(threshold), 0.0), 1.0) if isinstance(threshold, int | float) else 0.0,
            {
                str(name): tuple(str(label) for label in allowed)
                for name, allowed in labels.items()
                if isinstance(allowed, list)
            }
            if isinstance(labels, dict)
            else {},
        )


def suggestion_settings(workspace: Workspace) -> SuggestionSettings:
    """The project's suggestion settings (the defaults when it never set any)."""
    project = workspace.project_id
    with workspace.database.reading() as uow:
        newest = uow.events.newest_payload(ACTION, lambda p: p.get("project") == project)
    return SuggestionSettings() if newest is None else SuggestionSettings.from_payload(newest)


def save_suggestion_settings(workspace: Workspace, settings: SuggestionSettings) -> None:
    """Make ``settings`` the project's suggestion settings; a suggester that is not
    registered is refused by name."""
    named: Iterable[str] = (*settings.window, *settings.labels)
    unknown = sorted(set(named) - set(suggester_names()))
    if unknown:
        known = ", ".join(suggester_names())
        raise InputError(f"no suggester called {', '.join(unknown)} (known: {known})")
    with workspace.database.unit_of_work() as uow:
        uow.events.record(
            workspace.annotator, ACTION, project=workspace.project_id, **settings.as_payload()
        )
        uow.commit()
