"""Names the project knows are suggested wherever they recur, and rejected pairs never."""

from __future__ import annotations

from app.assist import KnownNamesSuggester, ProjectContext, Suggestion


def _found(text: str, context: ProjectContext) -> list[tuple[str, str, int | None]]:
    suggestions: list[Suggestion] = KnownNamesSuggester().suggest(text, context)
    return [(text[s.start : s.end], s.label, s.entity) for s in suggestions]


def _context(**kw: object) -> ProjectContext:
    return ProjectContext.build(
        entities=[
            (7, "Alexei Troufanov", "PERSON", ["Troufanov", "Trufanov"]),
            (9, "Harbour Authority", "ORG", []),
        ],
        **kw,  # type: ignore[arg-type]
    )


def test_entity_names_and_aliases_with_their_entity() -> None:
    text = "Alexei Troufanov met the Harbour Authority. Later Trufanov left."
    assert _found(text, _context()) == [
        ("Alexei Troufanov", "PERSON", 7),
        ("Harbour Authority", "ORG", 9),
        ("Trufanov", "PERSON", 7),
    ]


def test_case_insensitive_and_possessive_tolerant() -> None:
    text = "TROUFANOV spoke. Troufanov's plan; Troufanov’s boat."
    assert [t for t, _, _ in _found(text, _context())] == ["TROUFANOV", "Troufanov", "Troufanov"]


def test_whole_words_only() -> None:
    text = "Troufanovs and preTroufanov and Troufanov1 are other words."
    assert _found(text, _context()) == []


def test_names_spread_over_a_line_break_are_found() -> None:
    text = "Alexei\nTroufanov arrived."
    assert _found(text, _context()) == [("Alexei\nTroufanov", "PERSON", 7)]


def test_accepted_span_texts_are_suggested_with_their_label() -> None:
    context = ProjectContext.build(accepted=[("Abu Marzouk", "PERSON"), ("Hamas", "ORG")])
    text = "Hamas said Abu Marzouk would travel."
    assert _found(text, context) == [("Hamas", "ORG", None), ("Abu Marzouk", "PERSON", None)]


def test_rejected_pairs_are_never_proposed() -> None:
    context = _context(rejected=[("troufanov", "PERSON")])
    text = "Troufanov met Alexei Troufanov."
    assert _found(text, context) == [("Alexei Troufanov", "PERSON", 7)]


def test_a_rejected_pair_only_blocks_its_label() -> None:
    context = ProjectContext.build(
        accepted=[("Jordan", "PERSON"), ("Jordan", "LOC")], rejected=[("Jordan", "LOC")]
    )
    assert _found("Jordan flew home.", context) == [("Jordan", "PERSON", None)]


def test_entity_name_wins_over_the_same_accepted_text() -> None:
    context = _context(accepted=[("Troufanov", "PERSON")])
    assert _found("Troufanov", context) == [("Troufanov", "PERSON", 7)]


def test_lower_case_match_of_a_capitalised_name_is_less_sure() -> None:
    context = ProjectContext.build(accepted=[("Will", "PERSON")])
    suggestions = KnownNamesSuggester().suggest("Will said he will go.", context)
    assert [(s.start, s.confidence > 0.5) for s in suggestions] == [(0, True), (13, False)]


def test_labels_outside_the_schema_are_not_suggested() -> None:
    context = ProjectContext.build(labels=["ORG"], accepted=[("Troufanov", "PERSON")])
    assert _found("Troufanov", context) == []


def test_no_names_no_suggestions() -> None:
    assert _found("Anything at all.", ProjectContext()) == []


def test_many_names_one_pattern() -> None:
    names = [(f"Name{i} Surname{i}", "PERSON") for i in range(5000)]
    context = ProjectContext.build(accepted=names)
    text = "Name42 Surname42 met Name4999 Surname4999 and Name4 Surname."
    assert [t for t, _, _ in _found(text, context)] == ["Name42 Surname42", "Name4999 Surname4999"]


def test_provenance_says_where_the_name_comes_from() -> None:
    context = _context(accepted=[("Hamas", "ORG")])
    found = KnownNamesSuggester().suggest("Troufanov and Hamas", context)
    assert [(s.provenance.suggester, s.provenance.rule) for s in found] == [
        ("known-names", "entity"),
        ("known-names", "accepted"),
    ]
