"""Quote suggestions on hand-written news sentences: exact content, cue and speaker spans."""

from __future__ import annotations

import pytest

from app.assist import ProjectContext, QuoteSuggester, Suggestion


def _suggest(text: str, context: ProjectContext | None = None) -> list[Suggestion]:
    return QuoteSuggester().suggest(text, context or ProjectContext())


def _only(text: str) -> Suggestion:
    found = _suggest(text)
    assert len(found) == 1, found
    return found[0]


def _part_text(text: str, s: Suggestion, role: str) -> str | None:
    part = s.part(role)
    return None if part is None else text[part.start : part.end]


def _shape(text: str, s: Suggestion) -> tuple[str, str, str | None, str | None]:
    return (
        text[s.start : s.end],
        s.attributes["kind"],
        _part_text(text, s, "cue"),
        _part_text(text, s, "speaker"),
    )


@pytest.mark.parametrize(
    ("text", "content", "kind", "cue", "speaker"),
    [
        # speaker after the cue, after the quote
        (
            "“We accept the truce,” said Abu Marzouk, deputy head of the political bureau.",
            "“We accept the truce,”",
            "direct",
            "said",
            "Abu Marzouk",
        ),
        # speaker before the cue, after the quote
        (
            "“The ferry will run again in May,” the minister told reporters on Monday.",
            "“The ferry will run again in May,”",
            "direct",
            "told reporters",
            "the minister",
        ),
        # cue and speaker before the quote
        (
            "Abu Marzouk said: “We accept the truce.”",
            "“We accept the truce.”",
            "direct",
            "said",
            "Abu Marzouk",
        ),
        # straight quotes
        (
            '"The dam was never inspected," Elena Varga said.',
            '"The dam was never inspected,"',
            "direct",
            "said",
            "Elena Varga",
        ),
        # indirect speech to the end of the sentence
        (
            "Troufanov said that the talks had failed and he would not return.",
            "that the talks had failed and he would not return",
            "indirect",
            "said",
            "Troufanov",
        ),
        # indirect speech before the cue
        (
            "The terminal will close for a month, the harbour authority said.",
            "The terminal will close for a month",
            "indirect",
            "said",
            "the harbour authority",
        ),
        # according to, first and last
        (
            "According to officials, the dam was never inspected.",
            "the dam was never inspected",
            "indirect",
            "According to",
            "officials",
        ),
        (
            "The dam was never inspected, according to officials.",
            "The dam was never inspected",
            "indirect",
            "according to",
            "officials",
        ),
        # a partial quote inside reported speech
        (
            "Gingrich said Trump would form a “two-pirate ticket” with him.",
            "Trump would form a “two-pirate ticket” with him",
            "mixed",
            "said",
            "Gingrich",
        ),
        # said that “…”: reported speech quoting the words
        (
            "The mayor said that “nobody will be left behind.”",
            "that “nobody will be left behind.”",
            "mixed",
            "said",
            "The mayor",
        ),
        # title and name before the cue
        (
            "Prime Minister Sofia Lind warned that prices would rise again next year.",
            "that prices would rise again next year",
            "indirect",
            "warned",
            "Prime Minister Sofia Lind",
        ),
        # a name and its apposition before the cue
        (
            "Abu Marzouk, deputy head of the bureau, said the truce would hold.",
            "the truce would hold",
            "indirect",
            "said",
            "Abu Marzouk",
        ),
    ],
)
def test_quote_shapes(text: str, content: str, kind: str, cue: str, speaker: str) -> None:
    assert _shape(text, _only(text)) == (content, kind, cue, speaker)


def test_guillemets_both_ways_and_german_quotes() -> None:
    text = (
        "«We are staying», said Marie Curtet. Laurent Weber warned: „We stay here.“\n"
        "»Nobody leaves«, Weber added."
    )
    found = [_shape(text, s) for s in _suggest(text)]
    assert found == [
        ("«We are staying»", "direct", "said", "Marie Curtet"),
        ("„We stay here.“", "direct", "warned", "Laurent Weber"),
        ("»Nobody leaves«", "direct", "added", "Weber"),
    ]


def test_quote_split_by_its_cue_is_one_suggestion_with_a_continuation() -> None:
    text = "“We will not leave,” he said, “until the end.”"
    s = _only(text)
    assert _shape(text, s) == ("“We will not leave,”", "direct", "said", "he")
    assert _part_text(text, s, "continuation") == "“until the end.”"
    # both halves are tied to the same cue and speaker
    spans = s.spans()
    named = sorted((r.name, spans[r.head][1], spans[r.tail][1]) for r in s.relations)
    assert named == [
        ("cue", 0, text.index("said")),
        ("cue", text.index("“until"), text.index("said")),
        ("speaker", 0, text.index("he")),
        ("speaker", text.index("“until"), text.index("he")),
    ]


def test_quote_over_two_paragraphs_is_one_quote() -> None:
    text = (
        "“The terminal has served the island for forty years,\n\n"
        "“and it will serve it for forty more,” the mayor said."
    )
    s = _only(text)
    assert text[s.start : s.end] == text[: text.index(" the mayor")]
    assert _part_text(text, s, "speaker") == "the mayor"


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "Maria Lopez said: “The bridge is closed until further notice\n\nTraffic was diverted."
    s = _only(text)
    assert text[s.start : s.end] == "“The bridge is closed until further notice"
    assert _part_text(text, s, "speaker") == "Maria Lopez"


def test_pronoun_speaker_is_resolved_to_the_nearest_earlier_name() -> None:
    text = "Maria Lopez arrived late. “I was stuck in traffic,” she added."
    s = _only(text)
    speaker = s.part("speaker")
    assert speaker is not None
    assert text[speaker.start : speaker.end] == "she"
    assert speaker.attributes["refers_to"] == "Maria Lopez"


def test_speaker_after_a_question_mark_quote() -> None:
    text = "“Who pays for the bridge?” asked Karl Stein. The council did not answer."
    s = _suggest(text)[0]
    assert _shape(text, s) == ("“Who pays for the bridge?”", "direct", "asked", "Karl Stein")


def test_apostrophes_do_not_open_quotes() -> None:
    text = "Troufanov's plan didn't work, the players' union said on Tuesday."
    found = _suggest(text)
    assert [text[s.start : s.end] for s in found] == ["Troufanov's plan didn't work"]


def test_single_quotes_are_quotes_when_closed() -> None:
    text = "‘We will rebuild,’ the mayor said."
    assert _shape(text, _only(text)) == ("‘We will rebuild,’", "direct", "said", "the mayor")


def test_scare_quotes_and_titles_are_not_quotes() -> None:
    text = "The festival opened with “Swan Lake” on Friday. Tickets sold out."
    assert _suggest(text) == []


def test_suggestions_use_the_projects_labels() -> None:
    context = ProjectContext(
        labels=("SOURCE", "GROUP", "CITATION", "TRIGGER"),
        quote_label="CITATION",
        cue_label="TRIGGER",
        person_label="SOURCE",
        org_label="GROUP",
        speaker_relation="said_by",
        cue_relation="said_with",
        quote_kind_attribute="type",
    )
    text = "“We accept the truce,” said Abu Marzouk."
    s = _only_with(text, context)
    assert s.label == "CITATION"
    assert s.attributes == {"type": "direct"}
    assert [(p.role, p.label) for p in s.parts] == [("cue", "TRIGGER"), ("speaker", "SOURCE")]
    assert sorted(r.name for r in s.relations) == ["said_by", "said_with"]


def _only_with(text: str, context: ProjectContext) -> Suggestion:
    found = QuoteSuggester().suggest(text, context)
    assert len(found) == 1
    return found[0]


def test_no_quote_label_no_quote_suggestions() -> None:
    assert QuoteSuggester().suggest("“Yes,” he said.", ProjectContext(labels=("PERSON",))) == []


def test_a_rejected_speaker_is_left_out() -> None:
    context = ProjectContext.build(rejected=[("the minister", "PERSON")])
    text = "“The ferry will run again in May,” the minister said."
    s = _only_with(text, context)
    assert s.part("speaker") is None
    assert [r.name for r in s.relations] == ["cue"]


def test_provenance_names_the_rule() -> None:
    s = _only("“We accept the truce,” said Abu Marzouk.")
    assert (s.provenance.suggester, s.provenance.rule) == ("quotes", "direct-cue-after")
    assert 0 < s.confidence <= 1


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
    assert _shape(text, _only(text)) == (content, kind, cue, speaker)


def test_quote_carries_on_after_the_cue_sentence() -> None:
    text = "“We will stay,” Trump told the crowd. “We will win again and again.”"
    s = _only(text)
    assert _part_text(text, s, "continuation") == "“We will win again and again.”"


def test_introductory_phrase_is_not_content() -> None:
    text = "In a 1963 speech, he declared his support."
    assert _suggest(text) == []


def test_a_question_put_to_someone_has_no_speaker() -> None:
    text = "Asked whether the ferry would run in May, the mayor smiled."
    s = _only(text)
    assert (text[s.start : s.end], _part_text(text, s, "cue"), s.part("speaker")) == (
        "whether the ferry would run in May",
        "Asked",
        None,
    )


def test_a_cue_followed_by_a_time_and_a_comma_reports_nothing_after_it() -> None:
    text = "More than 40,000 visitors came, organisers said on Sunday, a record for the event."
    assert [text[s.start : s.end] for s in _suggest(text)] == ["More than 40,000 visitors came"]


def test_reported_speech_ends_at_a_semicolon() -> None:
    text = "The mayor said the terminal would open in June; the council said it would not."
    found = [_shape(text, s) for s in _suggest(text)]
    assert found == [
        ("the terminal would open in June", "indirect", "said", "The mayor"),
        ("it would not", "indirect", "said", "the council"),
    ]


def test_a_phrase_before_a_lower_case_apposition_speaks() -> None:
    text = "The report, led by retired judge Amara Okafor, said the board had failed."
    assert _shape(text, _only(text)) == (
        "the board had failed",
        "indirect",
        "said",
        "The report",
    )


def test_names_ending_in_ly_are_names() -> None:
    text = "“It is valuable,” said Skelly. Megyn Kelly said the debate was fair."
    assert [_part_text(text, s, "speaker") for s in _suggest(text)] == ["Skelly", "Megyn Kelly"]


def test_whom_a_quote_was_told_to_is_no_quote() -> None:
    text = '"He is a former president," Fiorina told "Fox and Friends," on Monday.'
    found = [_shape(text, s) for s in _suggest(text)]
    assert found == [('"He is a former president,"', "direct", "told", "Fiorina")]
    assert _suggest(text)[0].parts[0].role == "cue"


def test_a_curly_quote_closed_by_a_straight_mark() -> None:
    text = '“Maybe he has difficulty doing that," she remarked.'
    assert _shape(text, _only(text)) == (
        '“Maybe he has difficulty doing that,"',
        "direct",
        "remarked",
        "she",
    )


def test_what_someone_else_thinks_is_reported_but_not_i_think() -> None:
    text = "Mr. Smith thinks the bridge will open in May. I think it will not."
    assert [_shape(text, s) for s in _suggest(text)] == [
        ("the bridge will open in May", "indirect", "thinks", "Mr. Smith")
    ]
    assert _suggest(text)[0].confidence < _only("Mr. Smith said the bridge will open.").confidence


def test_told_someone_then_a_comma_then_the_quote() -> None:
    text = "Carson told his supporters, “Our nation is in horrible trouble.”"
    assert _shape(text, _only(text)) == (
        "“Our nation is in horrible trouble.”",
        "direct",
        "told",
        "Carson",
    )
