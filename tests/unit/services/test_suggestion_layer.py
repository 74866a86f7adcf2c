"""What the open article shows as suggestions: stored ones and names found, minus what the
annotator tagged (a span of the same label over it) or rejected; and the change that accepts
or rejects one undoes exactly."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import example, given
from hypothesis import strategies as st

from app.core.annotations import Span
from app.core.suggestions import PendingSuggestion, Rejection, SuggestedPart
from app.services.changes import ChangeSet
from app.services.suggestion_layer import OpenSuggestions
from app.services.workspace import load_default_schema

TEXT = "abcdefghij" * 6
LABELS = ("PERSON", "ORG")


@dataclass
class Annotator:
    """What the layer reads of a workspace once loaded: who annotates, and the schema."""

    annotator: str = "ana"
    schema = load_default_schema()


ranges = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 12)).map(
    lambda r: (r[0], min(r[0] + r[1], len(TEXT)))
)
spans = st.lists(st.tuples(st.sampled_from(LABELS), ranges), max_size=12)
suggestions = st.lists(st.tuples(st.sampled_from(LABELS), ranges), max_size=12)


def pending(number: int, label: str, start: int, end: int) -> PendingSuggestion:
    part = SuggestedPart("", label, start, end)
    return PendingSuggestion(f"g{number}", 1, "test", "rule", "1", 0.5, (part,))


def layer_with(
    tagged: list[tuple[str, tuple[int, int]]], rejected: frozenset[Rejection] = frozenset()
) -> OpenSuggestions:
    layer = OpenSuggestions(Annotator(), 1, TEXT)  # type: ignore[arg-type]
    added = tuple(
        Span(n + 1, 1, start, end, label, "ana") for n, (label, (start, end)) in enumerate(tagged)
    )
    # lowercase texts: the names suggester proposes no other occurrence of them
    layer.refresh(ChangeSet(1, added=added, rejections_added=tuple(rejected)))
    return layer


@given(spans, suggestions)
@example(  # a long span over short ones: the long one still hides what lies under it
    tagged=[("PERSON", (0, 30)), ("PERSON", (2, 3)), ("PERSON", (4, 5))],
    offered=[("PERSON", (20, 25))],
)
def test_a_suggestion_shows_unless_a_span_of_its_label_overlaps_it(
    tagged: list[tuple[str, tuple[int, int]]], offered: list[tuple[str, tuple[int, int]]]
) -> None:
    layer = layer_with(tagged)
    stored = tuple(pending(n, label, s, e) for n, (label, (s, e)) in enumerate(offered))
    layer.refresh(ChangeSet(1, suggestions_added=stored))

    shown = {(s.label, s.start, s.end) for s in layer.suggestions if s.stored}

    expected = {
        (label, s, e)
        for label, (s, e) in offered
        if not any(lab == label and ts < e and s < te for lab, (ts, te) in tagged)
    }
    assert shown == expected
    assert len([s for s in layer.suggestions if s.stored]) == len(expected)  # no doubles


@given(suggestions, st.data())
def test_a_rejected_text_is_not_shown_again_in_any_case(
    offered: list[tuple[str, tuple[int, int]]], data: st.DataObject
) -> None:
    stored = tuple(pending(n, label, s, e) for n, (label, (s, e)) in enumerate(offered))
    chosen = data.draw(st.sampled_from(stored)) if stored else None
    rejected = (
        frozenset({Rejection.of(1, chosen.label, TEXT[chosen.start : chosen.end].upper())})
        if chosen
        else frozenset()
    )
    layer = layer_with([], rejected)
    layer.refresh(ChangeSet(1, suggestions_added=stored))

    for suggestion in layer.suggestions:
        covered = TEXT[suggestion.start : suggestion.end]
        assert Rejection.of(1, suggestion.label, covered) not in rejected
    if chosen is not None:
        assert all(s.group != chosen.group for s in layer.suggestions)


@given(suggestions, st.booleans())
def test_undoing_an_answer_gives_back_exactly_what_it_took(
    offered: list[tuple[str, tuple[int, int]]], rejecting: bool
) -> None:
    stored = tuple(pending(n, label, s, e) for n, (label, (s, e)) in enumerate(offered))
    rejections = tuple(Rejection.of(1, s.label, TEXT[s.start : s.end]) for s in stored)
    change = ChangeSet(
        1, suggestions_removed=stored, rejections_added=rejections if rejecting else ()
    )

    undo = change.inverse()

    assert undo.suggestions_added == stored and undo.suggestions_removed == ()
    assert undo.rejections_removed == change.rejections_added
    assert undo.inverse() == change
    assert change.suggestions_changed == bool(stored)
