"""The suggester interface: the registry by name and the project context."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.assist import (
    KnownName,
    LinkedPart,
    ProjectContext,
    Provenance,
    Suggester,
    Suggestion,
    make_suggester,
    register,
    suggest_all,
    suggester_names,
)
from app.core.errors import InputError
from app.core.schema import AttributeSpec, Label, LabelSchema, RelationType


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
    s = Suggestion(
        "QUOTE", 0, 5, 0.5, Provenance("q", "r", "1"), parts=(LinkedPart("cue", "CUE", 6, 10),)
    )
    assert s.spans() == (("QUOTE", 0, 5), ("CUE", 6, 10))
    assert s.part("cue") == LinkedPart("cue", "CUE", 6, 10)
    assert s.part("speaker") is None


def test_context_from_the_news_schema() -> None:
    news = Path(__file__).resolve().parents[3] / "resources" / "schemas" / "news.json"
    data = json.loads(news.read_text(encoding="utf-8"))
    context = ProjectContext.from_schema(LabelSchema.from_dict(data))
    assert (context.quote_label, context.cue_label, context.person_label) == (
        "QUOTE",
        "CUE",
        "PERSON",
    )
    assert (context.speaker_relation, context.cue_relation) == ("speaker", "cue")
    assert context.quote_kind_attribute == "kind"
    assert "CLAIM" in context.labels


def test_context_reads_relation_names_from_another_schema() -> None:
    schema = LabelSchema(
        "mine",
        (
            Label("PERSON", "#000000", "p"),
            Label("QUOTE", "#000000", "q", attributes=(AttributeSpec("form", "enum", ("a",)),)),
            Label("CUE", "#000000", "c"),
        ),
        (
            RelationType("said_by", ("QUOTE",), ("PERSON",)),
            RelationType("said_with", ("QUOTE",), ("CUE",)),
        ),
    )
    context = ProjectContext.from_schema(schema)
    assert (context.speaker_relation, context.cue_relation) == ("said_by", "said_with")
    assert context.quote_kind_attribute == "form"
    assert not context.has("ORG")


def test_suggest_all_runs_the_named_suggesters_in_text_order() -> None:
    context = ProjectContext.build(entities=[(4, "Abu Marzouk", "PERSON", [])])
    text = "“We accept the truce,” said Abu Marzouk."
    found = suggest_all(text, context, ["quotes", "known-names"])
    assert [(s.provenance.suggester, s.label, text[s.start : s.end]) for s in found] == [
        ("quotes", "QUOTE", "“We accept the truce,”"),
        ("known-names", "PERSON", "Abu Marzouk"),
    ]
    assert found[1].entity == 4
