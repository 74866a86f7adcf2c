"""Attributions without a speech verb: stances, findings, impressions, unnamed speakers."""

from __future__ import annotations

import pytest

from tests.unit.assist.shapes import only, shape, suggest


@pytest.mark.parametrize(
    ("text", "content", "cue", "speaker"),
    [
        (
            "Paul Ryan endorsed Donald Trump for the nomination.",
            "Donald Trump for the nomination",
            "endorsed",
            "Paul Ryan",
        ),
        (
            "The April survey found Clinton leading Sanders by seven points.",
            "Clinton leading Sanders by seven points",
            "found",
            "The April survey",
        ),
        (
            "The senator criticized the deal as a giveaway to the banks.",
            "the deal as a giveaway to the banks",
            "criticized",
            "The senator",
        ),
        (
            "Mr. Kaine talked about his years as a missionary in Honduras.",
            "his years as a missionary in Honduras",
            "talked about",
            "Mr. Kaine",
        ),
        (
            "Judge Curiel cited heightened public interest in the case.",
            "heightened public interest in the case",
            "cited",
            "Judge Curiel",
        ),
        (
            "Ms. Conway told POLITICO she was leaning toward Cruz.",
            "she was leaning toward Cruz",
            "told",
            "Ms. Conway",
        ),
    ],
)
def test_what_a_stance_verb_reports_is_its_object(
    text: str, content: str, cue: str, speaker: str
) -> None:
    s = only(text)
    assert shape(text, s)[0:1] + shape(text, s)[2:] == (content, cue, speaker)
    assert s.provenance.rule in ("stance", "indirect-cue-first")


def test_a_stance_ends_where_a_second_cue_takes_over() -> None:
    text = "The governor defended the budget cuts to schools but said teachers would be paid."
    found = [shape(text, s) for s in suggest(text)]
    assert found[0][0] == "the budget cuts to schools"
    assert found[0][2:] == ("defended", "The governor")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Cruz seemed lost for words after the debate.",
            "Cruz seemed lost for words after the debate",
        ),
        (
            "The House is expected to pass the bill later this week.",
            "The House is expected to pass the bill later this week",
        ),
        (
            "After the vote, the mayor appeared to regret his choice.",
            "the mayor appeared to regret his choice",
        ),
    ],
)
def test_an_impression_is_the_whole_clause_with_no_source(text: str, content: str) -> None:
    s = only(text)
    assert text[s.start : s.end] == content
    assert s.part("speaker") is None
    assert s.confidence < only("The mayor said the ferry would run in May.").confidence


def test_appearing_somewhere_is_no_impression() -> None:
    assert suggest("The candidate appeared on Fox News on Sunday night.") == []


def test_what_an_unrecognised_speaker_said_is_suggested_without_one() -> None:
    text = (
        "The 27 percent of those who named a candidate in March said they could change their minds."
    )
    s = only(text)
    assert text[s.start : s.end] == "they could change their minds"
    assert s.part("speaker") is None
    assert s.provenance.rule == "indirect-unnamed"


@pytest.mark.parametrize(
    "text",
    [
        "Troufanov's plan didn't work, the players' union said on Tuesday.",
        "The support for the measure grew over the summer months.",
        "Their plan is to offer the land to the city next year.",
    ],
)
def test_nouns_that_look_like_stance_verbs_are_no_cues(text: str) -> None:
    assert all(
        s.part("cue") is None
        or text[s.part("cue").start : s.part("cue").end] not in ("plan", "support", "offer")
        for s in suggest(text)
    )
