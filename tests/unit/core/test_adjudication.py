"""Differences between annotators: hand-made examples of each kind, and properties."""

from __future__ import annotations

import random
from collections import Counter
from itertools import count

from hypothesis import given
from hypothesis import strategies as st

from app.core.adjudication import (
    Kind,
    combined_details,
    compare,
    compare_relations,
    gold_counterpart,
    intersection_range,
    key_of,
    union_range,
)
from app.core.annotations import Relation, Span

_ids = count(1)


def span(annotator: str, start: int, end: int, label: str = "PERSON", **extra: object) -> Span:
    return Span(next(_ids), 1, start, end, label, annotator)._replace(**extra)


def kinds(differences: list) -> list[Kind]:
    return [d.kind for d in differences]


# -- hand-made examples -------------------------------------------------------------------


def test_each_kind_on_one_article() -> None:
    alice = [
        span("alice", 0, 9),  # agreed
        span("alice", 15, 22, "PERSON"),  # label
        span("alice", 24, 44, "QUOTE"),  # boundary
        span("alice", 50, 54, "LOC"),  # missing in bob
    ]
    bob = [
        span("bob", 0, 9),
        span("bob", 15, 22, "ORG"),
        span("bob", 23, 44, "QUOTE"),
    ]

    differences = compare({"alice": alice, "bob": bob})

    assert kinds(differences) == [Kind.AGREED, Kind.LABEL, Kind.BOUNDARY, Kind.MISSING]
    agreed, label, boundary, missing = differences
    assert [s.annotator for s in agreed.versions] == ["alice", "bob"]
    assert label.labels == ("PERSON", "ORG")
    assert [(s.annotator, s.start) for s in boundary.versions] == [("alice", 24), ("bob", 23)]
    assert (boundary.start, boundary.end) == (23, 44)
    assert missing.missing == ("bob",) and missing.versions_of("alice") == (alice[3],)
    assert not any(d.resolved for d in differences)


def test_three_annotators_two_agree() -> None:
    layers = {
        "alice": [span("alice", 0, 4)],
        "bob": [span("bob", 0, 4)],
        "carol": [],
    }

    (difference,) = compare(layers)

    assert difference.kind is Kind.MISSING
    assert difference.missing == ("carol",)


def test_label_difference_includes_every_label_at_the_range() -> None:
    layers = {
        "alice": [span("alice", 0, 4, "PERSON")],
        "bob": [span("bob", 0, 4, "ORG")],
        "carol": [span("carol", 0, 4, "PERSON")],
    }

    (difference,) = compare(layers)

    assert difference.kind is Kind.LABEL
    assert [s.annotator for s in difference.versions] == ["alice", "bob", "carol"]


def test_a_range_may_hold_an_agreement_beside_a_missing_label() -> None:
    layers = {
        "alice": [span("alice", 0, 9, "QUOTE"), span("alice", 0, 9, "CLAIM")],
        "bob": [span("bob", 0, 9, "QUOTE")],
    }

    missing, agreed = compare(layers)

    assert (agreed.kind, agreed.labels) == (Kind.AGREED, ("QUOTE",))
    assert (missing.kind, missing.labels, missing.missing) == (Kind.MISSING, ("CLAIM",), ("bob",))


def test_overlaps_chain_into_one_boundary_difference() -> None:
    layers = {
        "alice": [span("alice", 0, 5), span("alice", 8, 12)],
        "bob": [span("bob", 3, 10)],
    }

    (difference,) = compare(layers)

    assert difference.kind is Kind.BOUNDARY
    assert len(difference.versions) == 3


def test_touching_ranges_do_not_overlap() -> None:
    layers = {"alice": [span("alice", 0, 5)], "bob": [span("bob", 5, 9)]}

    assert kinds(compare(layers)) == [Kind.MISSING, Kind.MISSING]


def test_gold_with_the_same_range_resolves_even_under_another_label() -> None:
    alice, bob = span("alice", 0, 4, "PERSON"), span("bob", 0, 4, "ORG")
    gold = [span("gold", 0, 4, "LOC")]

    (difference,) = compare({"alice": [alice], "bob": [bob]}, gold)

    assert difference.resolved and difference.gold == tuple(gold)


def test_a_merged_gold_span_resolves_the_boundary_difference() -> None:
    layers = {"alice": [span("alice", 24, 44, "QUOTE")], "bob": [span("bob", 23, 40, "QUOTE")]}
    merged = span("gold", 23, 44, "QUOTE")

    (difference,) = compare(layers, [merged])

    assert difference.resolved


def test_gold_elsewhere_does_not_resolve() -> None:
    layers = {"alice": [span("alice", 0, 9)], "bob": []}

    (difference,) = compare(layers, [span("gold", 9, 12, "PERSON")])

    assert not difference.resolved


def test_a_moved_and_relabelled_gold_span_answers_the_difference_it_overlaps_most() -> None:
    layers = {"alice": [span("alice", 0, 9), span("alice", 10, 20, "ORG")], "bob": []}

    first, second = compare(layers, [span("gold", 5, 14, "LOC")])

    assert first.resolved and not second.resolved


def test_rejecting_every_version_resolves() -> None:
    alice, bob = span("alice", 0, 4), span("bob", 0, 5)
    layers = {"alice": [alice], "bob": [bob]}

    assert not compare(layers, rejected={alice.id})[0].resolved
    assert compare(layers, rejected={alice.id, bob.id})[0].resolved


def test_details_agree_compares_attributes_and_entity() -> None:
    same = compare(
        {
            "alice": [span("alice", 0, 4, "QUOTE", attributes={"kind": "direct"})],
            "bob": [span("bob", 0, 4, "QUOTE", attributes={"kind": "direct"})],
        }
    )
    other = compare(
        {
            "alice": [span("alice", 0, 4, "QUOTE", attributes={"kind": "direct"})],
            "bob": [span("bob", 0, 4, "QUOTE", attributes={"kind": "mixed"})],
        }
    )

    assert same[0].kind is other[0].kind is Kind.AGREED
    assert same[0].details_agree and not other[0].details_agree


def test_combined_details_keep_what_no_version_contradicts() -> None:
    direct = span("alice", 0, 4, "QUOTE", attributes={"kind": "direct"}, entity=7)
    unset = span("bob", 0, 4, "QUOTE")
    mixed = span("carol", 0, 4, "QUOTE", attributes={"kind": "mixed", "note": "x"}, entity=8)

    assert combined_details([direct, unset]) == ({"kind": "direct"}, 7, False)
    assert combined_details([direct, mixed]) == ({"note": "x"}, None, True)


def test_ranges_of_versions() -> None:
    spans = [span("a", 2, 8), span("b", 4, 12)]

    assert union_range(spans) == (2, 12)
    assert intersection_range(spans) == (4, 8)
    assert intersection_range([span("a", 0, 2), span("b", 2, 4)]) is None


def test_relations_match_through_the_differences_of_their_ends() -> None:
    a_quote, a_person = span("alice", 10, 20, "QUOTE"), span("alice", 0, 4)
    b_quote, b_person = span("bob", 11, 19, "QUOTE"), span("bob", 0, 4)
    b_other = span("bob", 30, 34)
    relations = [
        Relation(1, 1, a_quote.id, a_person.id, "speaker", "alice"),
        Relation(2, 1, b_quote.id, b_person.id, "speaker", "bob"),
        Relation(3, 1, b_quote.id, b_other.id, "speaker", "bob"),
        Relation(4, 1, b_quote.id, b_other.id, "speaker", "carol"),
    ]
    layers = {"alice": [a_quote, a_person], "bob": [b_quote, b_person, b_other]}
    g_quote, g_person = span("gold", 10, 20, "QUOTE"), span("gold", 0, 4)
    differences = compare(layers, [g_quote, g_person])
    gold_relations = [Relation(5, 1, g_quote.id, g_person.id, "speaker", "gold")]

    agreed, bobs = compare_relations(differences, relations, ["alice", "bob"], gold_relations)

    assert agreed.agreed and agreed.in_gold, "the quotes differ in boundaries only"
    assert agreed.head.kind is Kind.BOUNDARY and agreed.tail.kind is Kind.AGREED
    assert [r.id for r in agreed.versions] == [1, 2]
    assert bobs.missing == ("alice",) and not bobs.in_gold
    assert bobs.version_of("bob") == relations[2] and bobs.version_of("alice") is None


def test_gold_counterpart_prefers_the_exact_span() -> None:
    version = span("alice", 5, 9)
    near, exact, other = span("gold", 4, 9), span("gold", 5, 9), span("gold", 5, 9, "ORG")

    assert gold_counterpart(version, [near, exact]) == exact
    assert gold_counterpart(version, [other, near]) == near
    assert gold_counterpart(version, [other]) == other
    assert gold_counterpart(version, []) is None


# -- properties ---------------------------------------------------------------------------

LABELS = ("PERSON", "ORG", "QUOTE")


@st.composite
def layers(draw: st.DrawFn, annotators: int | None = None) -> dict[str, list[Span]]:
    """Two to four annotators tagging short ranges of a 40-character text."""
    names = ["alice", "bob", "carol", "dan"][: annotators or draw(st.integers(2, 4))]
    result: dict[str, list[Span]] = {}
    next_id = 1
    for name in names:
        spans = []
        for start, length, label in draw(
            st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(LABELS)))
        ):
            spans.append(Span(next_id, 1, start, start + length, label, name))
            next_id += 1
        result[name] = spans
    return result


@given(layers())
def test_every_span_is_in_exactly_one_difference(given_layers: dict[str, list[Span]]) -> None:
    differences = compare(given_layers)

    listed = Counter(s.id for d in differences for s in d.versions)
    assert listed == Counter(s.id for spans in given_layers.values() for s in spans)


@given(layers(), st.randoms(use_true_random=False))
def test_the_order_of_the_input_does_not_matter(
    given_layers: dict[str, list[Span]], shuffler: random.Random
) -> None:
    shuffled = {name: shuffler.sample(spans, len(spans)) for name, spans in given_layers.items()}

    assert compare(shuffled) == compare(given_layers)


@given(layers())
def test_differences_come_by_position(given_layers: dict[str, list[Span]]) -> None:
    differences = compare(given_layers)

    positions = [(d.start, d.end) for d in differences]
    assert positions == sorted(positions)


@given(layers(annotators=1), st.integers(2, 4))
def test_identical_layers_only_agree(first: dict[str, list[Span]], copies: int) -> None:
    (spans,) = first.values()
    layered = {
        f"annotator{n}": [s._replace(id=s.id * 10 + n, annotator=f"annotator{n}") for s in spans]
        for n in range(copies)
    }

    differences = compare(layered)

    assert all(d.kind is Kind.AGREED and not d.missing for d in differences)
    assert len(differences) == len({key_of(s) for s in spans})


@given(layers())
def test_each_kind_means_what_it_says(given_layers: dict[str, list[Span]]) -> None:
    everyone = set(given_layers)
    for difference in compare(given_layers):
        keys = {key_of(s) for s in difference.versions}
        ranges = {(s.start, s.end) for s in difference.versions}
        present = {s.annotator for s in difference.versions}
        assert set(difference.missing) == everyone - present
        if difference.kind is Kind.AGREED:
            assert len(keys) == 1 and not difference.missing
        elif difference.kind is Kind.LABEL:
            assert len(ranges) == 1 and len(difference.labels) > 1
        elif difference.kind is Kind.MISSING:
            assert len(keys) == 1 and difference.missing
        else:
            assert len(ranges) > 1 and len(difference.labels) == 1


@given(layers())
def test_gold_copied_from_one_annotator_resolves_everything_they_tagged(
    given_layers: dict[str, list[Span]],
) -> None:
    name = next(iter(given_layers))
    gold = [s._replace(id=s.id + 10_000, annotator="gold") for s in given_layers[name]]

    for difference in compare(given_layers, gold):
        if difference.versions_of(name):
            assert difference.resolved


@given(layers())
def test_without_gold_or_rejections_nothing_is_resolved(
    given_layers: dict[str, list[Span]],
) -> None:
    assert not any(d.resolved for d in compare(given_layers))


@given(
    layers(), st.lists(st.tuples(st.integers(0, 34), st.integers(1, 8), st.sampled_from(LABELS)))
)
def test_gold_answers_match_a_plain_search(
    given_layers: dict[str, list[Span]], placed: list[tuple[int, int, str]]
) -> None:
    gold = [Span(10_000 + i, 1, s, s + n, label, "gold") for i, (s, n, label) in enumerate(placed)]

    differences = compare(given_layers, gold)

    expected: dict[int, set[int]] = {i: set() for i in range(len(differences))}
    for g in gold:
        exact = [
            i
            for i, d in enumerate(differences)
            if any((v.start, v.end) == (g.start, g.end) for v in d.versions)
        ]
        same = [
            i
            for i, d in enumerate(differences)
            if any(v.label == g.label and v.start < g.end and g.start < v.end for v in d.versions)
        ]
        most = max(
            (
                (max(min(g.end, v.end) - max(g.start, v.start) for v in d.versions), -i)
                for i, d in enumerate(differences)
            ),
            default=(0, 0),
        )
        for i in exact or same or ([-most[1]] if most[0] > 0 else []):
            expected[i].add(g.id)
    assert {i: {g.id for g in d.gold} for i, d in enumerate(differences)} == expected


def test_the_same_range_cut_into_other_fragments_is_a_boundary_difference() -> None:
    cut = ((0, 5), (10, 20))
    layers = {
        "alice": [span("alice", 0, 20, "QUOTE", fragments=cut)],
        "bob": [span("bob", 0, 20, "QUOTE")],
    }
    (difference,) = compare(layers)
    assert difference.kind is Kind.BOUNDARY
    layers["bob"] = [span("bob", 0, 20, "QUOTE", fragments=cut)]
    assert kinds(compare(layers)) == [Kind.AGREED]
