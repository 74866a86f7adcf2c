"""Agreement on discontinuous spans: exact only on the same fragments, overlap by what the
fragments share."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.agreement import (
    exact_agreement,
    overlap_agreement,
    relation_agreement,
    token_labels,
)
from app.core.annotations import Relation, Span, joined_pieces


def cut(start: int, end: int, *fragments: tuple[int, int], label: str = "QUOTE") -> Span:
    return Span(0, 1, start, end, label, "a", fragments=tuple(fragments))


QUOTE = cut(0, 30, (0, 10), (20, 30))


def test_exact_needs_the_same_fragments() -> None:
    assert exact_agreement([QUOTE], [cut(0, 30, (0, 10), (20, 30))]).overall.matched == 1
    assert exact_agreement([QUOTE], [cut(0, 30, (0, 12), (20, 30))]).overall.matched == 0
    assert exact_agreement([QUOTE], [cut(0, 30)]).overall.matched == 0  # whole: not the same


def test_overlap_counts_only_what_the_fragments_share() -> None:
    gap_only = cut(12, 18)
    assert overlap_agreement([QUOTE], [gap_only]).overall.matched == 0
    assert overlap_agreement([QUOTE], [cut(8, 12)]).overall.matched == 1
    both_cut = cut(11, 25, (11, 19), (24, 25))
    assert overlap_agreement([QUOTE], [both_cut]).overall.matched == 1
    assert overlap_agreement([cut(0, 30, (0, 5), (25, 30))], [both_cut]).overall.matched == 0


def test_overlap_pairs_the_larger_shared_part_first() -> None:
    # the whole span covering the gap shares 2 characters, the one on the fragment shares 5
    on_gap, on_piece = cut(9, 21), cut(21, 26)
    scores = overlap_agreement([QUOTE, cut(40, 50)], [on_gap, on_piece])
    assert scores.overall.matched == 1
    assert overlap_agreement([QUOTE], [on_gap]).overall.matched == 1


def test_tokens_in_a_gap_are_outside_the_span() -> None:
    tokens = [(0, 5), (6, 10), (12, 18), (20, 25), (26, 30)]
    assert token_labels(tokens, [QUOTE]) == ["QUOTE", "QUOTE", "O", "QUOTE", "QUOTE"]


pieces = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 8)).map(lambda p: (p[0], p[0] + p[1])),
    min_size=1,
    max_size=4,
)


@given(pieces, pieces)
def test_overlap_matches_exactly_when_some_character_is_shared(
    first: list[tuple[int, int]], second: list[tuple[int, int]]
) -> None:
    a, b = (cut(*joined_pieces(p)[:2], *joined_pieces(p)[2]) for p in (first, second))
    shared = {o for s, e in a.pieces for o in range(s, e)} & {
        o for s, e in b.pieces for o in range(s, e)
    }
    assert overlap_agreement([a], [b]).overall.matched == (1 if shared else 0)
    assert overlap_agreement([b], [a]).overall.matched == (1 if shared else 0)


def test_a_relation_matches_only_when_its_ends_have_the_same_fragments() -> None:
    speaker = Span(3, 1, 12, 18, "PERSON", "a")
    other_cut = cut(0, 30, (0, 12), (20, 30))._replace(id=4)
    spans = {1: QUOTE._replace(id=1), 3: speaker, 4: other_cut}
    ours = [Relation(1, 1, 1, 3, "speaker", "a")]
    same = [Relation(2, 1, 1, 3, "speaker", "b")]
    theirs = [Relation(3, 1, 4, 3, "speaker", "b")]
    assert relation_agreement(ours, same, spans).overall.matched == 1
    assert relation_agreement(ours, theirs, spans).overall.matched == 0
