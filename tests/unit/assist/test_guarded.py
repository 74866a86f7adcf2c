"""A suggester run guarded: what it raises, returns wrongly or never returns is a failure
named, never an exception for the caller."""

from __future__ import annotations

import threading

from hypothesis import given
from hypothesis import strategies as st

from app.assist import ProjectContext, Provenance, Suggestion, run_guarded

TEXT = "Mara Voss said so."
SOURCE = Provenance("mine", "rule", "1")


class Giving:
    name = "mine"

    def __init__(self, answer: object) -> None:
        self.answer = answer

    def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer  # type: ignore[return-value]


def test_a_good_suggester_gives_its_suggestions() -> None:
    found = [Suggestion("PERSON", 0, 9, 0.9, SOURCE)]
    outcome = run_guarded(Giving(found), TEXT, ProjectContext())
    assert outcome.failure == "" and list(outcome.suggestions) == found


@given(
    st.one_of(
        st.sampled_from([ValueError("bad"), KeyError("k"), RecursionError(), ZeroDivisionError()]),
        st.none(),
        st.integers(),
        st.text(),
        st.tuples(st.integers(-5, 30), st.integers(-5, 30)).map(
            lambda r: [Suggestion("PERSON", r[0], r[1], 0.5, SOURCE)]
        ),
    )
)
def test_whatever_goes_wrong_is_a_failure_and_never_raises(answer: object) -> None:
    outcome = run_guarded(Giving(answer), TEXT, ProjectContext())
    suggestions = list(outcome.suggestions)
    if outcome.failure:
        assert suggestions == [] and outcome.suggester == "mine"
    else:  # only suggestions inside the text get through
        assert all(0 <= s.start < s.end <= len(TEXT) for s in suggestions)


def test_one_that_never_answers_is_given_up() -> None:
    held = threading.Event()

    class Stuck:
        name = "stuck"

        def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
            held.wait()
            return []

    try:
        outcome = run_guarded(Stuck(), TEXT, ProjectContext(), limit=0.01)
    finally:
        held.set()
    assert outcome.failure == "took longer than 0.01 s" and outcome.suggestions == ()
