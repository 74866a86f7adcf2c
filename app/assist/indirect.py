"""Reported speech without quote marks, found around a cue inside one sentence.

Rule ids as in the provenance:
- ``indirect-cue-first``: Abu Marzouk said (that) the talks had failed.
- ``indirect-cue-last``: The talks had failed, Abu Marzouk said. / …, said Abu Marzouk.
- ``according-to-first`` / ``according-to-last``: According to officials, … / …, according
  to officials.
- ``indirect-unnamed``: 78 percent of voters in the poll said they …: what was said follows
  a cue whose speaker is not recognised, so none is proposed.
- ``stance``: Ryan endorsed Trump. / The poll found Clinton ahead.: what a stance or finding
  verb reports is its object.
- ``impression``: Cruz seemed lost. / The House is expected to pass the bill.: the whole
  clause, with no source named.
The content runs to the end (or from the start) of the sentence, so these are less sure
than quotes in marks. A quoted phrase inside the content makes it a mixed quote.
"""

from __future__ import annotations

import bisect
import re

from app.assist.cues import OBJECT_FIRST, STANCE, Cue, CueIndex
from app.assist.direct import Attribution
from app.assist.marks import Quoted
from app.assist.sentences import Sentences
from app.assist.speakers import Speaker, sentence_subject, speaker_after, speaker_before

_WORDISH = re.compile(r"\w+")
_THAT_SOON = re.compile(r"(?:\s+[\w'’.-]+){0,5}?\s+that\b")
_INTRO = set(
    "in on at after before when while as since following shortly then during with without "
    "for from by if although though because once until unlike like despite amid among "
    "asked reached speaking writing".split()
)
"""Words opening an introductory phrase ("In a 1963 speech, he declared"), not content."""
_NOT_OPENING = set(
    "on in at for with by from to of during about over under into onto against between "
    "through without within among across behind beyond near per via than like up down off "
    "out".split()
)
_ASKED = re.compile(
    r"(?:\s+by\s+[\w.'’ -]+?)?\s+(if|whether|what|who|why|how|when|where|which|about)\b"
)
_TIME_THEN_COMMA = re.compile(r"\s*(?:on|last|this|late|early|earlier)\s[^,.;\n]{0,20},")
_OBJECT_REPORTED = frozenset(
    "accuse charge call praise blame criticize criticise describe tout propose mention".split()
)
_HEARER = re.compile(
    r"\s+(?:me|him|her|us|them|you|reporters|[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3})"
    r"(?=\s+(?:he|she|they|it|we|I|that|the|his|her|their|Mr\.|Ms\.|[A-Z]\w+)\b)"
)
_AND_THEN = re.compile(
    r",?\s+(?:but|and)\s+(?:also\s+|then\s+|later\s+)?(?=said\b|says\b|told\b|added\b)"
)
_BASE = {"asked": 0.35, "impression": 0.35, "indirect-unnamed": 0.4, "stance": 0.4}
"""Confidence before the cue's own adjustment, by rule; rules not listed start at 0.5."""
_FIRST_PERSON = frozenset(("i", "we", "you"))
_IMPRESSION = frozenset(("seem", "appear", "is expected"))
_TO_OR_THAT = re.compile(r"\s+(?:to|that)\b")
_CLOSING = " \t\n.,;:!?)\u00a0"


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,:;\u00a0\n—–":
        start += 1
    while end > start and text[end - 1] in _CLOSING:
        end -= 1
    return start, end


def _words(text: str, start: int, end: int) -> int:
    return len(_WORDISH.findall(text, start, end)) if end > start else 0


class Taken:
    """Stretches of text already attributed, kept merged and sorted for quick lookups."""

    def __init__(self, stretches: list[tuple[int, int]]) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(stretches):
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        """Mark ``[start, end)`` as taken."""
        i = bisect.bisect_left(self._ends, start)
        j = bisect.bisect_right(self._starts, end)
        if i < j:
            start = min(start, self._starts[i])
            end = max(end, self._ends[j - 1])
        self._starts[i:j] = [start]
        self._ends[i:j] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        """True when any taken stretch overlaps ``[start, end)``."""
        i = bisect.bisect_right(self._ends, start)
        return i < len(self._starts) and self._starts[i] < end


def _kind(start: int, end: int, quoted: list[Quoted], quote_starts: list[int]) -> str:
    i = bisect.bisect_left(quote_starts, start)
    inside = i < len(quoted) and quoted[i].end <= end + 1
    return "mixed" if inside else "indirect"


def _confidence(cue: Cue, base: float) -> float:
    return base if cue.speech else base - 0.15


def _reports_object(cue: Cue) -> bool:
    return cue.lemma in STANCE or cue.lemma in _OBJECT_REPORTED


def _attribute(
    text: str, cue: Cue, s_start: int, s_end: int
) -> tuple[int, int, Speaker | None, str] | None:
    """Content bounds, speaker and rule for one cue in the sentence ``[s_start, s_end)``."""
    if cue.lemma == "according to":
        speaker = speaker_after(text, cue.end, s_end)
        if speaker is None:
            return None
        if _words(text, s_start, cue.start) <= 1:
            comma = text.find(",", speaker.end, s_end)
            if comma < 0:
                return None
            return comma + 1, s_end, speaker, "according-to-first"
        return s_start, cue.start, speaker, "according-to-last"
    if cue.lemma in _IMPRESSION:
        # "Cruz seemed lost", "The House is expected to pass …": the whole clause is what
        # is reported, by nobody named
        if cue.lemma == "appear" and not _TO_OR_THAT.match(text, cue.end):
            return None
        comma = text.rfind(",", s_start, cue.start)
        return (comma + 1 if comma >= 0 else s_start), s_end, None, "impression"
    asked = _ASKED.match(text, cue.end) if cue.lemma == "ask" else None
    if asked is not None:
        # "Asked whether he would run, Smith said …": the question, its asker unnamed
        lead = text[s_start : cue.start].strip().lower()
        comma = text.find(",", cue.end, s_end)
        if lead in ("", "when", "and when", "but when") and comma > 0:
            return asked.start(1), comma, None, "asked"
    before = speaker_before(text, cue.start, s_start) if cue.speaker_before else None
    rest = _words(text, cue.end, s_end)
    if before is not None and rest >= 3:
        shape = _content_after(text, cue, s_end, before, "indirect-cue-first")
        if shape is not None or not _TIME_THEN_COMMA.match(text, cue.end):
            return shape
        # "…, organisers said on Sunday, a record": what was said comes before
        rest = 0
    lead = text[s_start : cue.start].rstrip()
    if before is None and cue.speaker_before and rest >= 5 and lead and lead[-1].isalnum():
        # "78 percent of voters in a recent poll said they …": a speaker not recognised, but
        # what was said follows the cue all the same
        shape = _content_after(text, cue, s_end, None, "indirect-unnamed")
        if shape is not None:
            return shape
    participle = text[cue.start : cue.end].lower().endswith("ing")
    if lead.endswith(",") and participle:
        # "Trump spoke on Tuesday, saying that …": the sentence's subject speaks
        subject = sentence_subject(text, s_start, cue.start)
        if subject is not None and rest >= 3:
            return _content_after(text, cue, s_end, subject, "indirect-participle")
    elif lead.endswith(",") and cue.speaker_after:
        # "…, said Abu Marzouk, deputy head of …": the name then a comma or the end
        speaker = speaker_after(text, cue.end, s_end)
        after = text[speaker.end : s_end].strip() if speaker is not None else "x"
        if speaker is not None and (not after or after[0] in ",.;"):
            return s_start, s_start + len(lead) - 1, speaker, "indirect-cue-last"
    if rest <= 4:
        # content before the cue: "…, Abu Marzouk said." / "…, said Abu Marzouk."
        speaker = before
        if speaker is None and cue.speaker_after:
            speaker = speaker_after(text, cue.end, s_end)
        if speaker is None:
            return None
        left = min(cue.start, speaker.start)
        comma = text.rfind(",", s_start, left)
        if comma < 0 or text[comma + 1 : left].strip():
            return None
        return s_start, comma, speaker, "indirect-cue-last"
    return None


def _content_after(
    text: str, cue: Cue, s_end: int, speaker: Speaker | None, rule: str
) -> tuple[int, int, Speaker | None, str] | None:
    """The content from the cue (or from "that" a few words on) to the sentence end."""
    start = cue.end
    that = _THAT_SOON.match(text, cue.end)
    if that:
        start = that.end() - 4
    elif _reports_object(cue):
        # "declined to comment but said no meeting was planned": two things reported
        then = _AND_THEN.search(text, start, s_end)
        if then is not None:
            s_end = then.start()
    elif cue.lemma == "tell" and (hearer := _HEARER.match(text, cue.end)) is not None:
        # "told POLITICO she was leaning toward Cruz": what was said follows the hearer
        start = hearer.end()
    elif cue.lemma in OBJECT_FIRST:
        # "told reporters the dam …", "announced a plan": an object, not what was said
        return None
    elif _TIME_THEN_COMMA.match(text, cue.end):
        # "…, organisers said on Sunday, a record for the event": nothing said follows
        return None
    # the content ends at a semicolon or at a trailing "according to" (another source)
    end = min(
        (
            i
            for i in (text.find(";", start, s_end), text.find(", according to", start, s_end))
            if i >= 0
        ),
        default=s_end,
    )
    return start, end, speaker, rule


def find_indirect(
    text: str, sentences: Sentences, quoted: list[Quoted], taken: Taken, index: CueIndex
) -> list[Attribution]:
    """Reported speech in the sentences, keeping clear of ``taken`` stretches."""
    found: list[Attribution] = []
    quote_starts = [q.start for q in quoted]
    for s_start, s_end in sentences.bounds:
        floor = s_start
        for cue in index.between(s_start, s_end):
            if taken.overlaps(cue.start, cue.end):
                continue
            shape = _attribute(text, cue, floor, s_end)
            if shape is None:
                continue
            start, end, speaker, rule = shape
            start, end = _strip(text, start, end)
            if _words(text, start, end) < 3 or taken.overlaps(start, end):
                continue
            opening = _WORDISH.match(text, start)
            short = "," not in text[start:end] and _words(text, start, end) < 8
            if rule.endswith("-last") and short and opening and opening.group().lower() in _INTRO:
                continue
            if (
                cue.lemma in ("report", "post", "write", "tweet")
                and opening
                and opening.group().lower() in _NOT_OPENING
            ):
                # "reported from Los Angeles", "posted on Facebook": not what was said
                continue
            if speaker is not None and taken.overlaps(speaker.start, speaker.end):
                continue
            if rule == "indirect-cue-first" and _reports_object(cue):
                rule = "stance"
            base = _BASE.get(rule, 0.55 if rule.startswith("according") else 0.5)
            if speaker is not None and text[speaker.start : speaker.end].lower() in _FIRST_PERSON:
                # "I think it will not": said in passing, mostly inside someone's quote
                base -= 0.1
            found.append(
                Attribution(
                    start,
                    end,
                    _kind(start, end, quoted, quote_starts),
                    rule,
                    _confidence(cue, base),
                    cue,
                    speaker,
                )
            )
            taken.add(min(start, cue.start), max(end, cue.end))
            floor = max(end, cue.end, speaker.end if speaker else 0)
    return found
