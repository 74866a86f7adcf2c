"""Re-anchoring spans across revisions: examples, and properties over generated edit scripts."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.anchoring import AnchorSpan, Outcome, changed_share, reanchor

WORDS = (
    "ferry terminal harbour authority mayor Lindqvist council budget Monday Tuesday residents "
    "village dam inquiry festival crowd record minister police report Gaza hostages released "
    "deal talks Hamas Israel officials statement said added warned expected opened closed "
    "delayed approved rejected million euros people week month year north south river bridge"
).split()
CONTEXT = 30


def test_unchanged_spans_land_exactly_after_an_insertion() -> None:
    old = "The mayor spoke. The council voted. The river rose."
    new = "Breaking. The mayor spoke. The council voted. The river rose."
    spans = [AnchorSpan(4, 9, "PERSON", "a"), AnchorSpan(21, 28, "ORG", "b")]
    results = reanchor(old, new, spans)
    assert [(r.outcome, new[r.start : r.end]) for r in results if r.start is not None] == [
        (Outcome.EXACT, "mayor"),
        (Outcome.EXACT, "council"),
    ]


def test_a_typo_fixed_inside_a_span_moves_it_with_its_new_text() -> None:
    old = "Officials said the Goverment officials met in Gaza on Monday."
    new = "Officials said the Government officials met in Gaza on Monday."
    start = old.index("Goverment")
    (result,) = reanchor(old, new, [AnchorSpan(start, start + 19, "ORG")])
    assert result.outcome is Outcome.MOVED
    assert new[result.start : result.end] == "Government officials"
    assert result.similarity >= 0.8


def test_a_moved_sentence_takes_its_spans_along() -> None:
    old = "First the dam. Then the inquiry opened in March. Finally the vote."
    new = "Then the inquiry opened in March. First the dam. Finally the vote."
    start = old.index("inquiry")
    (result,) = reanchor(old, new, [AnchorSpan(start, start + 7)])
    assert (result.outcome, result.start) == (Outcome.EXACT, new.index("inquiry"))


def test_a_span_of_a_removed_sentence_is_queued_never_dropped() -> None:
    old = "The harbour opened. Anna Lindqvist cut the ribbon. Crowds cheered."
    new = "The harbour opened. Crowds cheered."
    start = old.index("Anna Lindqvist")
    spans = [AnchorSpan(start, start + 14, "PERSON", "p"), AnchorSpan(4, 11, "LOC", "h")]
    results = reanchor(old, new, spans)
    assert [r.span.id for r in results] == ["p", "h"]
    assert results[0].outcome is Outcome.QUEUED and results[0].start is None
    assert results[1].outcome is Outcome.EXACT


def test_a_span_changed_beyond_the_threshold_is_queued() -> None:
    old = "The minister Jan Kowalski resigned on Friday."
    new = "The minister Piotr Nowak resigned on Friday."
    start = old.index("Jan Kowalski")
    (result,) = reanchor(old, new, [AnchorSpan(start, start + 12)])
    assert result.outcome is Outcome.QUEUED


def test_spans_out_of_range_are_queued() -> None:
    results = reanchor("short", "short text", [AnchorSpan(3, 99), AnchorSpan(2, 2)])
    assert [r.outcome for r in results] == [Outcome.QUEUED, Outcome.QUEUED]


def test_changed_share() -> None:
    assert changed_share("abc", "abc") == 0.0
    assert changed_share("Goverment", "Government") < 0.2


# -- properties ----------------------------------------------------------------------------


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=12))
    return " ".join([words[0].capitalize(), *words[1:]]) + draw(st.sampled_from(".!?"))


@st.composite
def annotated_revision(draw: st.DrawFn) -> tuple[str, str, list[AnchorSpan], dict[int, int]]:
    """An article, its spans, an edited version and where each old character went.

    Each character carries the offset it had in the old text (None for inserted ones), so
    the true place of every span after the edits is known.
    """
    body = draw(st.lists(sentences(), min_size=2, max_size=14))
    old = " ".join(body)
    chars: list[tuple[str, int | None]] = [(c, i) for i, c in enumerate(old)]
    words = [m.span() for m in re.finditer(r"\w+", old)]
    spans = []
    for number in range(draw(st.integers(1, 12))):
        first = draw(st.integers(0, len(words) - 1))
        last = min(len(words) - 1, first + draw(st.integers(0, 3)))
        spans.append(AnchorSpan(words[first][0], words[last][1], "X", str(number)))
    for _ in range(draw(st.integers(1, 6))):
        text = "".join(c for c, _ in chars)
        ends = [0] + [m.end() for m in re.finditer(r"[.!?] ", text)]
        kind = draw(st.sampled_from(("insert", "delete", "move", "typo", "split")))
        at = draw(st.sampled_from(ends))
        stop = next((e for e in ends if e > at), len(chars))
        if kind == "insert":
            chars[at:at] = [(c, None) for c in draw(sentences()) + " "]
        elif kind == "delete" and stop - at < len(chars):
            del chars[at:stop]
        elif kind == "move":
            piece = chars[at:stop]
            del chars[at:stop]
            where = draw(st.sampled_from([e for e in ends if e <= len(chars)] or [0]))
            chars[where:where] = piece
        elif kind == "typo" and chars:
            where = draw(st.integers(0, len(chars) - 1))
            if chars[where][0].isalpha():
                if draw(st.booleans()):
                    del chars[where]
                else:
                    chars.insert(where, (chars[where][0], None))
        elif kind == "split" and at > 0 and chars[at - 1][0] == " ":
            chars[at - 1 : at] = [("\n", None), ("\n", None)]
    new = "".join(c for c, _ in chars)
    places = {origin: i for i, (_, origin) in enumerate(chars) if origin is not None}
    return old, new, spans, places


def _truth(old: str, new: str, span: AnchorSpan, places: dict[int, int]) -> int | None:
    """The span's new start when its text and its context are unchanged and unique, else None."""
    left, right = max(0, span.start - CONTEXT), min(len(old), span.end + CONTEXT)
    window = old[left:right]
    if any(i not in places for i in range(left, right)):
        return None
    first = places[left]
    if new[first : first + len(window)] != window or new.count(window) != 1:
        return None
    if window in new[first + 1 :] or new.find(window) != first:
        return None
    # a context cut short by the start or end of the text has that edge as its context too
    if (left == 0 and first != 0) or (right == len(old) and first + len(window) != len(new)):
        return None
    return first + (span.start - left)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotated_revision())
def test_unchanged_spans_unique_in_context_always_land_exactly(
    case: tuple[str, str, list[AnchorSpan], dict[int, int]],
) -> None:
    old, new, spans, places = case
    results = reanchor(old, new, spans)
    assert [r.span for r in results] == spans  # none dropped, order kept
    for result in results:
        start = _truth(old, new, result.span, places)
        if start is None:
            continue
        length = result.span.end - result.span.start
        assert result.outcome is Outcome.EXACT, result
        assert (result.start, result.end) == (start, start + length)


@settings(max_examples=200, deadline=None)
@given(annotated_revision())
def test_every_placed_span_covers_text_of_the_new_version(
    case: tuple[str, str, list[AnchorSpan], dict[int, int]],
) -> None:
    old, new, spans, _ = case
    for result in reanchor(old, new, spans):
        if result.outcome is Outcome.QUEUED:
            assert result.start is None and result.end is None
            continue
        assert result.start is not None and result.end is not None
        assert 0 <= result.start < result.end <= len(new)
        old_text = old[result.span.start : result.span.end]
        if result.outcome is Outcome.EXACT:
            assert new[result.start : result.end] == old_text
        else:
            assert changed_share(old_text, new[result.start : result.end]) <= 0.2 + 1e-9


@given(
    st.text(max_size=60),
    st.text(max_size=60),
    st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6),
)
def test_any_input_gets_one_outcome_per_span(
    old: str, new: str, pairs: list[tuple[int, int]]
) -> None:
    spans = [AnchorSpan(a, b) for a, b in pairs]
    assert len(reanchor(old, new, spans)) == len(spans)
