"""Quote suggestions on hand-written news sentences: exact content, cue and speaker spans."""

from __future__ import annotations

import pytest

from app.assist import ProjectContext, QuoteSuggester, Suggestion
from tests.unit.assist.shapes import only, part_text, shape, suggest


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
    assert shape(text, only(text)) == (content, kind, cue, speaker)


def test_guillemets_both_ways_and_german_quotes() -> None:
    text = (
        "«We are staying», said Marie Curtet. Laurent Weber warned: „We stay here.“\n"
        "»Nobody leaves«, Weber added."
    )
    found = [shape(text, s) for s in suggest(text)]
    assert found == [
        ("«We are staying»", "direct", "said", "Marie Curtet"),
        ("„We stay here.“", "direct", "warned", "Laurent Weber"),
        ("»Nobody leaves«", "direct", "added", "Weber"),
    ]


def test_quote_split_by_its_cue_is_one_suggestion_with_a_continuation() -> None:
    text = "“We will not leave,” he said, “until the end.”"
    s = only(text)
    assert shape(text, s) == ("“We will not leave,”", "direct", "said", "he")
    assert part_text(text, s, "continuation") == "“until the end.”"
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
    s = only(text)
    assert text[s.start : s.end] == text[: text.index(" the mayor")]
    assert part_text(text, s, "speaker") == "the mayor"


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "Maria Lopez said: “The bridge is closed until further notice\n\nTraffic was diverted."
    s = only(text)
    assert text[s.start : s.end] == "“The bridge is closed until further notice"
    assert part_text(text, s, "speaker") == "Maria Lopez"


def test_pronoun_speaker_is_resolved_to_the_nearest_earlier_name() -> None:
    text = "Maria Lopez arrived late. “I was stuck in traffic,” she added."
    s = only(text)
    speaker = s.part("speaker")
    assert speaker is not None
    assert text[speaker.start : speaker.end] == "she"
    assert speaker.attributes["refers_to"] == "Maria Lopez"


def test_speaker_after_a_question_mark_quote() -> None:
    text = "“Who pays for the bridge?” asked Karl Stein. The council did not answer."
    s = suggest(text)[0]
    assert shape(text, s) == ("“Who pays for the bridge?”", "direct", "asked", "Karl Stein")


def test_apostrophes_do_not_open_quotes() -> None:
    text = "Troufanov's plan didn't work, the players' union said on Tuesday."
    found = suggest(text)
    assert [text[s.start : s.end] for s in found] == ["Troufanov's plan didn't work"]


def test_single_quotes_are_quotes_when_closed() -> None:
    text = "‘We will rebuild,’ the mayor said."
    assert shape(text, only(text)) == ("‘We will rebuild,’", "direct", "said", "the mayor")


def test_scare_quotes_and_titles_are_not_quotes() -> None:
    text = "The festival opened with “Swan Lake” on Friday. Tickets sold out."
    assert suggest(text) == []


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
    s = only("“We accept the truce,” said Abu Marzouk.")
    assert (s.provenance.suggester, s.provenance.rule) == ("quotes", "direct-cue-after")
    assert 0 < s.confidence <= 1
