"""The place offered for a span that re-anchoring queued."""

from __future__ import annotations

from app.core.anchoring import AnchorSpan, Outcome, position_in, reanchor
from app.core.fuzzy_place import suggested_place

OLD = "The harbour authority said so. Mayor Anna Lindqvist called the delay regrettable."
NEW = "The harbour authority said so. Later the town's mayor, Ana Lindkvist, apologised."


def test_a_name_misspelt_in_another_sentence_is_offered() -> None:
    start = OLD.index("Anna Lindqvist")
    assert reanchor(OLD, NEW, [AnchorSpan(start, start + 14)])[0].outcome is Outcome.QUEUED

    found = suggested_place(OLD, NEW, start, start + 14)

    assert found is not None and found.outcome is Outcome.MOVED
    assert NEW[found.start : found.end] == "Ana Lindkvist"


def test_nothing_is_offered_when_nothing_is_alike() -> None:
    start = OLD.index("regrettable")
    assert suggested_place(OLD, "Completely other words here.", start, start + 11) is None


def test_a_position_after_an_inserted_sentence_shifts_by_its_length() -> None:
    inserted = "A new sentence came first. "
    assert position_in(OLD, inserted + OLD, OLD.index("Mayor")) == len(inserted) + OLD.index(
        "Mayor"
    )
