"""Reading quote suggestions back as text, for the quote tests."""

from __future__ import annotations

from app.assist import ProjectContext, QuoteSuggester, Suggestion


def suggest(text: str, context: ProjectContext | None = None) -> list[Suggestion]:
    """The quote suggestions for ``text`` in the news context."""
    return QuoteSuggester().suggest(text, context or ProjectContext())


def only(text: str) -> Suggestion:
    """The one quote suggestion for ``text``."""
    found = suggest(text)
    assert len(found) == 1, found
    return found[0]


def part_text(text: str, s: Suggestion, role: str) -> str | None:
    """The text of the part playing ``role``, if any."""
    part = s.part(role)
    return None if part is None else text[part.start : part.end]


def shape(text: str, s: Suggestion) -> tuple[str, str, str | None, str | None]:
    """Content, kind, cue and speaker of a quote suggestion, as text."""
    return (
        text[s.start : s.end],
        s.attributes["kind"],
        part_text(text, s, "cue"),
        part_text(text, s, "speaker"),
    )
