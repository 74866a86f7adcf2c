"""Any text at all: the suggesters never raise and every span lies inside the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.assist import KnownNamesSuggester, ProjectContext, QuoteSuggester, Suggestion

_NEWSY = st.lists(
    st.sampled_from(
        [
            *"\"'“”‘’«»„‚ \n.,:;!?—-",
            "said",
            "says",
            "told",
            "according to",
            "he",
            "she",
            "The",
            "minister",
            "that",
            "Abu",
            "Marzouk",
            "Troufanov",
            "Troufanov's",
            "don't",
            "a",
            "b",
            "\u00a0",
            "😀",
        ]
    ).map(lambda s: s if len(s) == 1 else f" {s} "),
    max_size=60,
).map("".join)

_CONTEXT = ProjectContext.build(
    entities=[(1, "Abu Marzouk", "PERSON", ["Marzouk"]), (2, "Troufanov", "PERSON", [])],
    accepted=[("the minister", "PERSON"), ("'", "ORG"), ("a b", "ORG")],
)


def _check(text: str, suggestions: list[Suggestion]) -> None:
    for s in suggestions:
        for _label, start, end in s.spans():
            assert 0 <= start < end <= len(text)
        for r in s.relations:
            assert 0 <= r.head < len(s.spans()) and 0 < r.tail < len(s.spans())
        assert 0 <= s.confidence <= 1


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), _NEWSY))
def test_quotes_never_raise_and_stay_inside_the_text(text: str) -> None:
    _check(text, QuoteSuggester().suggest(text, _CONTEXT))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), _NEWSY))
def test_known_names_never_raise_and_stay_inside_the_text(text: str) -> None:
    _check(text, KnownNamesSuggester().suggest(text, _CONTEXT))
