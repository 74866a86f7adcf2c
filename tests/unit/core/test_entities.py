"""Entity candidates: normalisation and fuzzy ranking of names for a mention."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.entities import (
    Entity,
    entity_score,
    entity_type_problem,
    name_similarity,
    normalise,
    rank_entities,
    union_aliases,
    with_alias,
)

PEOPLE = [
    Entity(1, "Maxim Herkin", "PERSON"),
    Entity(2, "Alexander Troufanov", "PERSON", ("Sasha",)),
    Entity(3, "Rana Khoury", "PERSON"),
    Entity(4, "Yael Levi", "PERSON"),
]

names = st.text(
    alphabet=st.characters(categories=("L", "N", "Zs", "P", "M")), min_size=1, max_size=30
)


def test_normalise_folds_case_accents_and_punctuation() -> None:
    assert normalise("  Zoë   LINDQVIST ") == "zoe lindqvist"
    assert normalise("Zoe\u0308") == "zoe"
    assert normalise("O'Brien-Smith, Jr.") == "o brien smith jr"
    assert normalise("Straße") == "strasse"


def test_transliteration_ranks_the_same_person_first() -> None:
    ranked = rank_entities("Trufanov", PEOPLE)
    assert ranked[0][0].name == "Alexander Troufanov"
    assert ranked[0][1] > 0.6 > ranked[1][1]


def test_surname_and_alias_matches() -> None:
    assert rank_entities("Khoury", PEOPLE)[0][0].name == "Rana Khoury"
    assert rank_entities("Khouri", PEOPLE)[0][0].name == "Rana Khoury"
    assert rank_entities("sasha", PEOPLE)[0] == (PEOPLE[1], 1.0)
    assert rank_entities("Levi", PEOPLE, minimum=0.5) == [
        (PEOPLE[3], entity_score("Levi", PEOPLE[3]))
    ]


def test_a_pronoun_matches_nobody_well() -> None:
    assert all(score < 0.3 for _, score in rank_entities("He", PEOPLE))


def test_aliases_grow_without_repeats() -> None:
    rana = PEOPLE[2]
    assert with_alias(rana, "Khoury") == ("Khoury",)
    assert with_alias(rana, "RANA  khoury") == ()
    merged = union_aliases(rana, Entity(9, "R. Khoury", "PERSON", ("Khoury", "rana khoury")))
    assert merged == ("R. Khoury", "Khoury")


def test_type_problems() -> None:
    assert entity_type_problem("PERSON", "PERSON") is None
    assert entity_type_problem("PERSON", "ORG") is not None
    assert entity_type_problem("PERSON", "QUOTE") is not None


@given(names, names)
def test_scores_are_between_zero_and_one(mention: str, name: str) -> None:
    assert 0.0 <= name_similarity(mention, name) <= 1.0


@given(names, st.lists(names, min_size=1, max_size=6))
def test_the_exact_name_scores_highest(mention: str, others: list[str]) -> None:
    entities = [Entity(i, name, "PERSON") for i, name in enumerate([*others, mention])]
    ranked = rank_entities(mention, entities)
    exact = entities[-1]
    if normalise(mention):
        assert dict((e.id, s) for e, s in ranked)[exact.id] == ranked[0][1] == 1.0


@given(names, st.lists(names, max_size=8))
def test_order_is_stable(mention: str, candidates: list[str]) -> None:
    entities = [Entity(i, name, "ORG") for i, name in enumerate(candidates)]
    ranked = rank_entities(mention, entities)
    assert ranked == rank_entities(mention, list(reversed(entities)))
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert sorted(e.id for e, _ in ranked) == list(range(len(candidates)))
