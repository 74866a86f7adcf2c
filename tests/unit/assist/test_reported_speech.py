"""Reported speech and speakers on hand-written news sentences: exact spans."""

from __future__ import annotations

import pytest

from tests.unit.assist.shapes import only, part_text, shape, suggest


@pytest.mark.parametrize(
    ("text", "content", "kind", "cue", "speaker"),
    [
        # doubled apostrophes as quotation marks
        (
            "''We wanted to control the real estate,'' Michael Cernech said.",
            "''We wanted to control the real estate,''",
            "direct",
            "said",
            "Michael Cernech",
        ),
        # a participle cue: the subject of the sentence speaks
        (
            "The mayor spoke on Tuesday, saying the ferry would run again in May.",
            "the ferry would run again in May",
            "indirect",
            "saying",
            "The mayor",
        ),
        # a second verb joined by "but": the subject of the sentence speaks
        (
            "The spokesman declined to comment but said no meeting was planned.",
            "no meeting was planned",
            "indirect",
            "said",
            "The spokesman",
        ),
        # the speaker after a conjunction
        (
            "Clinton was booed when she said the attack was unfair to Obama.",
            "the attack was unfair to Obama",
            "indirect",
            "said",
            "she",
        ),
        # a share of people as speaker
        (
            "About 52 percent of registered voters said they would consider him.",
            "they would consider him",
            "indirect",
            "said",
            "About 52 percent of registered voters",
        ),
        # a speaker with a parenthetical and an apposition
        (
            "Rep. Sander M. Levin (Mich.), a superdelegate, said he had spoken to many.",
            "he had spoken to many",
            "indirect",
            "said",
            "Rep. Sander M. Levin",
        ),
        # an inverted cue after the content
        (
            "The treaty signals the end for the union, said Geert Wilders, a party founder.",
            "The treaty signals the end for the union",
            "indirect",
            "said",
            "Geert Wilders",
        ),
        # a bare plural as speaker
        (
            "But hacking specialists say the leaked files might not be genuine.",
            "the leaked files might not be genuine",
            "indirect",
            "say",
            "hacking specialists",
        ),
        # the quote ends its sentence with an exclamation mark, the cue follows
        (
            "“And I'm not being paid!” LeVell declared.",
            "“And I'm not being paid!”",
            "direct",
            "declared",
            "LeVell",
        ),
    ],
)
def test_more_shapes(text: str, content: str, kind: str, cue: str, speaker: str) -> None:
    assert shape(text, only(text)) == (content, kind, cue, speaker)


def test_quote_carries_on_after_the_cue_sentence() -> None:
    text = "“We will stay,” Trump told the crowd. “We will win again and again.”"
    s = only(text)
    assert part_text(text, s, "continuation") == "“We will win again and again.”"


def test_introductory_phrase_is_not_content() -> None:
    text = "In a 1963 speech, he declared his support."
    assert suggest(text) == []


def test_a_question_put_to_someone_has_no_speaker() -> None:
    text = "Asked whether the ferry would run in May, the mayor smiled."
    s = only(text)
    assert (text[s.start : s.end], part_text(text, s, "cue"), s.part("speaker")) == (
        "whether the ferry would run in May",
        "Asked",
        None,
    )


def test_a_cue_followed_by_a_time_and_a_comma_reports_nothing_after_it() -> None:
    text = "More than 40,000 visitors came, organisers said on Sunday, a record for the event."
    assert [text[s.start : s.end] for s in suggest(text)] == ["More than 40,000 visitors came"]


def test_reported_speech_ends_at_a_semicolon() -> None:
    text = "The mayor said the terminal would open in June; the council said it would not."
    found = [shape(text, s) for s in suggest(text)]
    assert found == [
        ("the terminal would open in June", "indirect", "said", "The mayor"),
        ("it would not", "indirect", "said", "the council"),
    ]


def test_a_phrase_before_a_lower_case_apposition_speaks() -> None:
    text = "The report, led by retired judge Amara Okafor, said the board had failed."
    assert shape(text, only(text)) == (
        "the board had failed",
        "indirect",
        "said",
        "The report",
    )


def test_names_ending_in_ly_are_names() -> None:
    text = "“It is valuable,” said Skelly. Megyn Kelly said the debate was fair."
    assert [part_text(text, s, "speaker") for s in suggest(text)] == ["Skelly", "Megyn Kelly"]


def test_whom_a_quote_was_told_to_is_no_quote() -> None:
    text = '"He is a former president," Fiorina told "Fox and Friends," on Monday.'
    found = [shape(text, s) for s in suggest(text)]
    assert found == [('"He is a former president,"', "direct", "told", "Fiorina")]
    assert suggest(text)[0].parts[0].role == "cue"


def test_a_curly_quote_closed_by_a_straight_mark() -> None:
    text = '“Maybe he has difficulty doing that," she remarked.'
    assert shape(text, only(text)) == (
        '“Maybe he has difficulty doing that,"',
        "direct",
        "remarked",
        "she",
    )


def test_what_someone_thinks_is_reported_and_i_think_less_surely() -> None:
    text = "Mr. Smith thinks the bridge will open in May. I think it will not open."
    smith, mine = suggest(text)
    assert shape(text, smith) == ("the bridge will open in May", "indirect", "thinks", "Mr. Smith")
    assert shape(text, mine) == ("it will not open", "indirect", "think", "I")
    assert smith.confidence < only("Mr. Smith said the bridge will open.").confidence
    assert mine.confidence < smith.confidence


def test_told_someone_then_a_comma_then_the_quote() -> None:
    text = "Carson told his supporters, “Our nation is in horrible trouble.”"
    assert shape(text, only(text)) == (
        "“Our nation is in horrible trouble.”",
        "direct",
        "told",
        "Carson",
    )
