"""Agreement figures against hand-computed examples, properties and reference libraries."""

from __future__ import annotations

import importlib
import math
from types import ModuleType

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.core.agreement import (
    OUTSIDE,
    Score,
    cohen_kappa,
    exact_agreement,
    krippendorff_alpha,
    overlap_agreement,
    relation_agreement,
    token_labels,
)
from app.core.annotations import Relation, Span


def _library(name: str) -> ModuleType | None:
    """A reference implementation to compare with, when installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


# imported up front: a first import inside a hypothesis example would blow its deadline
SKLEARN_METRICS = _library("sklearn.metrics")
KRIPPENDORFF = _library("krippendorff")


def span(start: int, end: int, label: str, document: int = 1, id: int = 0) -> Span:
    return Span(id, document, start, end, label, "someone")


def figures(score: Score) -> tuple[int, int, int, float, float, float]:
    return (
        score.matched,
        score.reference,
        score.candidate,
        score.precision,
        score.recall,
        score.f1,
    )


# reference: PERSON [0,9) [14,21), LOC [25,30), ORG [40,45)
# candidate: PERSON [0,9) [14,17), ORG [25,30) [41,45) [50,55)
REFERENCE = [span(0, 9, "PERSON"), span(14, 21, "PERSON"), span(25, 30, "LOC"), span(40, 45, "ORG")]
CANDIDATE = [
    span(0, 9, "PERSON"),
    span(14, 17, "PERSON"),
    span(25, 30, "ORG"),
    span(41, 45, "ORG"),
    span(50, 55, "ORG"),
]


def test_exact_match_by_hand() -> None:
    scores = exact_agreement(REFERENCE, CANDIDATE)

    assert list(scores.labels) == ["LOC", "ORG", "PERSON"]
    # PERSON: only [0,9) is in both -> P = 1/2, R = 1/2, F1 = 2*1/(2+2) = 0.5
    assert figures(scores.labels["PERSON"]) == (1, 2, 2, 0.5, 0.5, 0.5)
    # LOC: the candidate has none -> P = 0/0 taken as 0, R = 0/1, F1 = 0/(1+0)
    assert figures(scores.labels["LOC"]) == (0, 1, 0, 0.0, 0.0, 0.0)
    # ORG: [40,45) vs [41,45) [50,55) [25,30): nothing exact -> 0/3, 0/1
    assert figures(scores.labels["ORG"]) == (0, 1, 3, 0.0, 0.0, 0.0)
    # micro average: 1 matched, 4 reference, 5 candidate
    # P = 1/5 = 0.2, R = 1/4 = 0.25, F1 = 2*1/(4+5) = 2/9
    assert figures(scores.overall) == pytest.approx((1, 4, 5, 0.2, 0.25, 2 / 9))


def test_overlap_match_by_hand() -> None:
    scores = overlap_agreement(REFERENCE, CANDIDATE)

    # PERSON: [0,9)~[0,9) overlap 9, [14,21)~[14,17) overlap 3 -> both match: P = R = F1 = 1
    assert figures(scores.labels["PERSON"]) == (2, 2, 2, 1.0, 1.0, 1.0)
    # LOC [25,30) vs ORG [25,30): same extent, other label -> no match
    assert figures(scores.labels["LOC"]) == (0, 1, 0, 0.0, 0.0, 0.0)
    # ORG: [40,45)~[41,45) overlap 4 -> 1 match; P = 1/3, R = 1/1, F1 = 2*1/(1+3) = 0.5
    assert figures(scores.labels["ORG"]) == pytest.approx((1, 1, 3, 1 / 3, 1.0, 0.5))
    # micro: 3 matched of 4 and 5 -> P = 3/5, R = 3/4, F1 = 2*3/9 = 2/3
    assert figures(scores.overall) == pytest.approx((3, 4, 5, 0.6, 0.75, 2 / 3))


def test_overlap_matching_is_one_to_one_largest_overlap_first() -> None:
    # reference A [0,10); candidates X [0,4) (overlap 4) and Y [2,10) (overlap 8):
    # A pairs with Y, X stays unmatched -> matched 1, P = 1/2, R = 1/1
    scores = overlap_agreement([span(0, 10, "Q")], [span(0, 4, "Q"), span(2, 10, "Q")])
    assert figures(scores.overall) == pytest.approx((1, 1, 2, 0.5, 1.0, 2 / 3))

    # reference A [0,10), B [10,14); candidate X [5,14): A~X overlap 5 beats B~X overlap 4,
    # so X goes to A and B is left: matched 1, P = 1/1, R = 1/2
    scores = overlap_agreement([span(0, 10, "Q"), span(10, 14, "Q")], [span(5, 14, "Q")])
    assert figures(scores.overall) == pytest.approx((1, 2, 1, 1.0, 0.5, 2 / 3))


def test_spans_of_different_documents_never_match() -> None:
    reference = [span(0, 5, "PERSON", document=1)]
    candidate = [span(0, 5, "PERSON", document=2)]
    assert exact_agreement(reference, candidate).overall.matched == 0
    assert overlap_agreement(reference, candidate).overall.matched == 0


def test_duplicate_spans_match_once_each() -> None:
    # reference has [0,5) twice, candidate once: one match, P = 1/1, R = 1/2
    reference = [span(0, 5, "ORG"), span(0, 5, "ORG")]
    candidate = [span(0, 5, "ORG")]
    for scores in (exact_agreement(reference, candidate), overlap_agreement(reference, candidate)):
        assert figures(scores.overall) == pytest.approx((1, 2, 1, 1.0, 0.5, 2 / 3))


def test_no_spans_at_all() -> None:
    scores = exact_agreement([], [])
    assert scores.labels == {}
    assert figures(scores.overall) == (0, 0, 0, 0.0, 0.0, 0.0)


def test_relations_by_hand() -> None:
    # "Ann Varga said yes" with PERSON [0,9), CUE, QUOTE [15,18) by both annotators;
    # bob's CUE is [10,13) where alice's is [10,14)
    alice = {
        1: Span(1, 7, 15, 18, "QUOTE", "alice"),
        2: Span(2, 7, 0, 9, "PERSON", "alice"),
        3: Span(3, 7, 10, 14, "CUE", "alice"),
    }
    bob = {
        11: Span(11, 7, 15, 18, "QUOTE", "bob"),
        12: Span(12, 7, 0, 9, "PERSON", "bob"),
        13: Span(13, 7, 10, 13, "CUE", "bob"),
    }
    reference = [Relation(1, 7, 1, 2, "speaker", "alice"), Relation(2, 7, 1, 3, "cue", "alice")]
    candidate = [
        Relation(11, 7, 11, 12, "speaker", "bob"),
        Relation(12, 7, 11, 13, "cue", "bob"),
        Relation(13, 7, 11, 99, "speaker", "bob"),  # tail not given: left out
    ]
    scores = relation_agreement(reference, candidate, {**alice, **bob})

    # speaker: same QUOTE head, same PERSON tail -> 1 of 1 and 1
    assert figures(scores.labels["speaker"]) == (1, 1, 1, 1.0, 1.0, 1.0)
    # cue: tails [10,14) and [10,13) differ -> 0 of 1 and 1
    assert figures(scores.labels["cue"]) == (0, 1, 1, 0.0, 0.0, 0.0)
    # micro: 1 matched of 2 and 2 -> P = R = F1 = 1/2
    assert figures(scores.overall) == (1, 2, 2, 0.5, 0.5, 0.5)


def test_token_labels_take_the_innermost_overlapping_span() -> None:
    # "Ann Varga said yes." tokens: Ann | Varga | said | yes | .
    tokens = [(0, 3), (4, 9), (10, 14), (15, 18), (18, 19)]
    spans = [span(0, 19, "QUOTE"), span(0, 9, "PERSON"), span(6, 8, "LOC")]
    # QUOTE covers all; PERSON (9 long) is inside it; LOC [6,8) cuts into "Varga" and is the
    # shortest span overlapping that token
    assert token_labels(tokens, spans) == ["PERSON", "LOC", "QUOTE", "QUOTE", "QUOTE"]
    assert token_labels(tokens, []) == [OUTSIDE] * 5
    # a span in the white space between tokens labels nothing
    assert token_labels([(0, 3), (5, 8)], [span(3, 5, "LOC")]) == [OUTSIDE, OUTSIDE]


def test_cohen_kappa_by_hand() -> None:
    first = list("PPPOOOOLLO")
    second = list("PPOOOOOLOO")
    # alike at 8 of 10 positions (3 and 9 differ): po = 0.8
    # first: P 3, O 5, L 2; second: P 2, O 7, L 1
    # pe = (3*2 + 5*7 + 2*1) / 10**2 = 43/100 = 0.43
    # kappa = (0.8 - 0.43) / (1 - 0.43) = 0.37 / 0.57 = 0.6491...
    assert cohen_kappa(first, second) == pytest.approx(0.37 / 0.57)


def test_cohen_kappa_edge_cases() -> None:
    assert cohen_kappa([], []) is None
    # one label everywhere on both sides: pe = 1, nothing to disagree on
    assert cohen_kappa(["O", "O"], ["O", "O"]) == 1.0
    # always opposite: po = 0, pe = (1*1 + 1*1)/4 = 0.5 -> (0 - 0.5)/(1 - 0.5) = -1
    assert cohen_kappa(["A", "B"], ["B", "A"]) == -1.0
    with pytest.raises(ValueError):
        cohen_kappa(["A"], ["A", "B"])


def test_krippendorff_alpha_by_hand() -> None:
    units = [
        ["a", "a", "a"],  # m=3, all alike: unequal pairs 3**2 - 3**2 = 0
        ["a", "b", None],  # m=2: 2**2 - (1 + 1) = 2 unequal ordered pairs, / (2-1) = 2
        ["b", "b", "b"],  # 0
        ["a", None, None],  # one value: not pairable, left out
        ["b", "b", "a"],  # m=3: 3**2 - (2**2 + 1) = 4, / (3-1) = 2
    ]
    # pairable values: a 3+1+1 = 5, b 1+3+2 = 6, n = 11
    # D = 2 + 2 = 4; E = 11**2 - (5**2 + 6**2) = 121 - 61 = 60
    # alpha = 1 - (n-1) * D / E = 1 - 10 * 4 / 60 = 1/3
    assert krippendorff_alpha(units) == pytest.approx(1 / 3)


def test_krippendorff_alpha_of_the_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers,
    # 12 units, missing values; nominal alpha = 0.743
    rows = [
        "1 2 3 3 2 1 4 1 2 . . .",
        "1 2 3 3 2 2 4 1 2 5 . 3",
        ". 3 3 3 2 3 4 2 2 5 1 .",
        "1 2 3 3 2 4 4 1 2 5 1 .",
    ]
    coders = [[None if v == "." else v for v in row.split()] for row in rows]
    units = [list(unit) for unit in zip(*coders, strict=True)]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_hand_examples_equal_the_reference_libraries() -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    krippendorff = pytest.importorskip("krippendorff")
    assert cohen_kappa(list("PPPOOOOLLO"), list("PPOOOOOLOO")) == pytest.approx(
        metrics.cohen_kappa_score(list("PPPOOOOLLO"), list("PPOOOOOLOO"))
    )
    # the alpha example above, one row per annotator, a = 0, b = 1, missing = nan
    nan = math.nan
    data = [[0, 0, 1, 0, 1], [0, 1, 1, nan, 1], [0, nan, 1, nan, 0]]
    assert krippendorff.alpha(reliability_data=data, level_of_measurement="nominal") == (
        pytest.approx(1 / 3)
    )


def test_krippendorff_alpha_edge_cases() -> None:
    assert krippendorff_alpha([]) is None
    assert krippendorff_alpha([["a", None], [None, "b"]]) is None  # nothing pairable
    assert krippendorff_alpha([["a", "a"], ["a", "a", None]]) == 1.0  # one value only


# -- properties --------------------------------------------------------------------------

LABELS = st.sampled_from(["PERSON", "ORG"])
SPANS = st.lists(
    st.builds(
        lambda document, start, length, label: span(start, start + length, label, document),
        st.integers(1, 2),
        st.integers(0, 30),
        st.integers(1, 8),
        LABELS,
    ),
    max_size=12,
)
METRICS = (exact_agreement, overlap_agreement)


@given(SPANS, SPANS)
def test_swapping_the_reference_swaps_precision_and_recall(
    first: list[Span], second: list[Span]
) -> None:
    for metric in METRICS:
        forward, backward = metric(first, second), metric(second, first)
        assert forward.labels.keys() == backward.labels.keys()
        for label, score in forward.labels.items():
            other = backward.labels[label]
            assert score.matched == other.matched
            assert (score.precision, score.recall) == (other.recall, other.precision)
            assert score.f1 == other.f1
        assert forward.overall.f1 == backward.overall.f1


@given(SPANS, SPANS)
def test_scores_are_in_range_and_overlap_finds_every_exact_match(
    first: list[Span], second: list[Span]
) -> None:
    exact, overlap = exact_agreement(first, second), overlap_agreement(first, second)
    for scores in (exact, overlap):
        for score in (*scores.labels.values(), scores.overall):
            assert 0 <= score.matched <= min(score.reference, score.candidate)
            assert all(0.0 <= v <= 1.0 for v in (score.precision, score.recall, score.f1))
    for label, score in exact.labels.items():
        assert overlap.labels[label].matched >= score.matched


@given(SPANS)
def test_identical_span_sets_agree_fully(spans: list[Span]) -> None:
    assume(spans)
    for metric in METRICS:
        assert metric(spans, list(reversed(spans))).overall.f1 == 1.0


LABELINGS = st.lists(st.sampled_from(["O", "PERSON", "ORG", "LOC"]), min_size=1, max_size=40)


@given(LABELINGS)
def test_kappa_is_one_for_identical_labelings(labels: list[str]) -> None:
    assert cohen_kappa(labels, list(labels)) == 1.0


@given(st.data())
def test_kappa_is_symmetric_in_range_and_equals_scikit_learn(data: st.DataObject) -> None:
    first = data.draw(LABELINGS)
    second = data.draw(
        st.lists(st.sampled_from(["O", "PERSON", "ORG"]), min_size=len(first), max_size=len(first))
    )
    kappa = cohen_kappa(first, second)
    assert kappa is not None
    assert -1.0 <= kappa <= 1.0
    assert kappa == pytest.approx(cohen_kappa(second, first))
    # scikit-learn gives nan when pe = 1
    if SKLEARN_METRICS is not None and len(set(first) | set(second)) > 1:
        assert kappa == pytest.approx(SKLEARN_METRICS.cohen_kappa_score(first, second))


UNITS = st.lists(
    st.lists(st.one_of(st.none(), st.sampled_from("abc")), min_size=3, max_size=3),
    max_size=30,
)


AGREED_UNITS = st.lists(
    st.tuples(st.sampled_from("abc"), st.lists(st.booleans(), min_size=3, max_size=3)),
    max_size=30,
)


@given(AGREED_UNITS)
def test_alpha_is_one_when_all_annotators_agree(units: list[tuple[str, list[bool]]]) -> None:
    # each unit has one value; each of three annotators gives it or leaves the unit out
    values = [[value if given else None for given in gave] for value, gave in units]
    pairable = any(sum(gave) >= 2 for _, gave in units)
    assert krippendorff_alpha(values) == (1.0 if pairable else None)


@given(UNITS)
def test_alpha_is_at_most_one_and_equals_the_krippendorff_package(
    units: list[list[str | None]],
) -> None:
    alpha = krippendorff_alpha(units)
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    if not pairable:
        assert alpha is None
        return
    assert alpha is not None
    assert alpha <= 1.0
    values = {v for u in pairable for v in u if v is not None}
    if len(values) < 2:  # the package refuses a single value
        assert alpha == 1.0
        return
    if KRIPPENDORFF is None:
        return
    codes = {value: float(i) for i, value in enumerate("abc")}
    matrix = [
        [math.nan if v is None else codes[v] for v in coder]
        for coder in zip(*pairable, strict=True)
    ]
    expected = KRIPPENDORFF.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert alpha == pytest.approx(expected)
