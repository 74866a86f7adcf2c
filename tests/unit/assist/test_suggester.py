"""The suggester interface: the registry by name and the project context."""

from __future__ import annotations

import pytest

from app.assist import (
    KnownName,
    ProjectContext,
    Provenance,
    Suggester,
    Suggestion,
    make_suggester,
    register,
    suggester_names,
)
from app.core.errors import InputError


class _Shouting:
    name = "shouting"

    def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
        return [
            Suggestion(context.person_label, i, i + 1, 0.1, Provenance(self.name, "caps", "1"))
            for i, c in enumerate(text)
            if c.isupper()
        ]


def test_built_in_suggesters_are_registered() -> None:
    assert {"quotes", "known-names"} <= set(suggester_names())
    quotes = make_suggester("quotes")
    assert isinstance(quotes, Suggester)
    assert quotes.name == "quotes"


def test_a_users_suggester_is_added_by_name() -> None:
    register("shouting", _Shouting)
    found = make_suggester("shouting").suggest("aB", ProjectContext())
    assert [(s.label, s.start, s.end) for s in found] == [("PERSON", 1, 2)]


def test_an_unknown_suggester_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="no suggester called 'nope'"):
        make_suggester("nope")


def test_context_from_plain_values() -> None:
    context = ProjectContext.build(
        labels=["PERSON", "ORG"],
        entities=[(3, "Hamas", "ORG", ["Harakat al-Muqawama"])],
        accepted=[("Abu Marzouk", "PERSON")],
        rejected=[("The Minister", "PERSON")],
        quote_label="CITATION",
    )
    assert context.known_names == (
        KnownName("Hamas", "ORG", 3),
        KnownName("Harakat al-Muqawama", "ORG", 3),
        KnownName("Abu Marzouk", "PERSON"),
    )
    assert context.is_rejected("the minister", "PERSON")
    assert not context.is_rejected("the minister", "ORG")
    assert context.quote_label == "CITATION"
    assert context.has("ORG") and not context.has("QUOTE")


def test_spans_lists_the_suggestion_then_its_parts() -> None:
    from app.assist import LinkedPart

    s = Suggestion(
        "QUOTE", 0, 5, 0.5, Provenance("q", "r", "1"), parts=(LinkedPart("cue", "CUE", 6, 10),)
    )
    assert s.spans() == (("QUOTE", 0, 5), ("CUE", 6, 10))
    assert s.part("cue") == LinkedPart("cue", "CUE", 6, 10)
    assert s.part("speaker") is None
