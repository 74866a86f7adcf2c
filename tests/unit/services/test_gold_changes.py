"""ChangeSet: undoing an undo gives back the change; a gold copy says what its version said."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.annotations import Origin, Relation, Span, Status
from app.services.changes import ChangeSet
from app.services.gold_changes import gold_copy, same_answer
from app.services.selection import GOLD_ANNOTATOR

LABELS = st.sampled_from(["PERSON", "ORG", "QUOTE"])
ANNOTATORS = st.sampled_from(["alice", "bob", GOLD_ANNOTATOR])


@st.composite
def spans(draw: st.DrawFn) -> Span:
    start = draw(st.integers(0, 50))
    return Span(
        draw(st.integers(1, 10_000)),
        1,
        start,
        start + draw(st.integers(1, 20)),
        draw(LABELS),
        draw(ANNOTATORS),
        draw(st.sampled_from(list(Origin))),
        draw(st.dictionaries(st.sampled_from(["kind", "note"]), st.text(max_size=2), max_size=2)),
        draw(st.none() | st.integers(1, 5)),
    )


relations = st.builds(
    Relation,
    st.integers(1, 10_000),
    st.just(1),
    st.integers(1, 10_000),
    st.integers(1, 10_000),
    LABELS,
    ANNOTATORS,
)
span_tuples = st.lists(spans(), max_size=2).map(tuple)
relation_tuples = st.lists(relations, max_size=2).map(tuple)
review_states = st.lists(
    st.tuples(
        st.integers(1, 10_000),
        st.sampled_from(["unreviewed", "accepted", "rejected"]),
        st.sampled_from(["unreviewed", "accepted", "rejected"]),
    ),
    max_size=2,
).map(tuple)


@st.composite
def gold_changes(draw: st.DrawFn) -> ChangeSet:
    states = draw(review_states)
    return ChangeSet(
        1,
        added=draw(span_tuples),
        removed=draw(span_tuples),
        changed=draw(span_tuples),
        before=draw(span_tuples),
        relations_added=draw(relation_tuples),
        relations_removed=draw(relation_tuples),
        reviews=tuple(i for i, _, _ in states),
        review_states=states,
        entities=draw(st.booleans()),
        status=draw(st.none() | st.sampled_from(list(Status))),
        status_before=draw(st.none() | st.sampled_from(list(Status))),
    )


@given(gold_changes())
def test_the_inverse_of_the_inverse_is_the_change(change: ChangeSet) -> None:
    assert change.inverse().inverse() == change


@given(gold_changes())
def test_the_inverse_puts_back_what_the_change_took(change: ChangeSet) -> None:
    undo = change.inverse()
    assert (undo.added, undo.removed) == (change.removed, change.added)
    assert (undo.changed, undo.before) == (change.before, change.changed)
    assert (undo.status, undo.status_before) == (change.status_before, change.status)
    assert undo.relations_added == change.relations_removed
    assert [(i, after) for i, _, after in undo.review_states] == [
        (i, before) for i, before, _ in change.review_states
    ]


@given(spans())
def test_a_gold_copy_says_what_its_version_said(version: Span) -> None:
    copy = gold_copy(version)
    assert (copy.id, copy.annotator, copy.origin) == (0, GOLD_ANNOTATOR, Origin.MANUAL)
    assert same_answer(copy, version)
    assert copy.attributes is not version.attributes  # editing the copy leaves the version


@given(spans())
def test_a_span_says_something_else_with_any_other_range_label_or_details(version: Span) -> None:
    assert not same_answer(version._replace(start=version.start + 1), version)
    assert not same_answer(version._replace(end=version.end + 1), version)
    assert not same_answer(version._replace(label=version.label + "S"), version)
    assert not same_answer(version._replace(entity=(version.entity or 0) + 1), version)
    extra = {**version.attributes, "extra": "yes"}
    assert not same_answer(version._replace(attributes=extra), version)
