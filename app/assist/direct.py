"""Direct and mixed quotes: a quoted stretch, the cue next to it, and its speaker.

The common news shapes, each a rule id in the provenance:
- ``direct-cue-after``: “We will not leave,” he said. / “…,” said Abu Marzouk, deputy head …
- ``direct-cue-before``: The minister said: “…” / according to officials, “…”
- ``direct-continued``: the same cue between two halves of one quote (“…,” he said, “…”)
- ``direct-paragraph``: a long quote opening its paragraph with no cue carries on the
  previous quote's speaker (news quotes one speaker over several paragraphs)
- ``mixed``: a short quoted phrase inside reported speech (He called it a “two-pirate
  ticket,” Gingrich said): the content is the reported clause, kind mixed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from app.assist.cues import Cue, CueIndex
from app.assist.marks import Quoted
from app.assist.sentences import Sentences
from app.assist.speakers import Speaker, sentence_subject, speaker_after, speaker_before

_SHORT_GAP = re.compile(
    r"^\s*(?:(?:to|in|on|at|during|from)\s+(?:[\w'’.-]+\s+){0,3}?[\w'’.-]+\s*)?[,:—–]?\s*$"
    # "He said of Congress: “…”", "Ms. Abedin wrote back: “…”"
    r"|^\s*(?:[\w'’.-]+\s+){0,5}[\w'’.-]+\s*:\s*$"
)
_WORDISH = re.compile(r"\w+")
_THAT_SOON = re.compile(r"(?:\s+[\w'’.-]+){0,5}?\s+that\b")


@dataclass(frozen=True)
class Attribution:
    """Who said what: content span, its kind, cue and speaker, and the rule that found it."""

    start: int
    end: int
    kind: str
    rule: str
    confidence: float
    cue: Cue | None = None
    speaker: Speaker | None = None
    continuations: tuple[tuple[int, int], ...] = ()

    def reach(self) -> int:
        """Where the attribution's last piece (content, cue, speaker) ends."""
        ends = [self.end, *(e for _, e in self.continuations)]
        ends += [self.cue.end] if self.cue else []
        ends += [self.speaker.end] if self.speaker else []
        return max(ends)


def _word_count(text: str, start: int, end: int) -> int:
    return len(_WORDISH.findall(text, start, end)) if end > start else 0


def _cue_after(
    text: str, q: Quoted, ceiling: int, index: CueIndex
) -> tuple[Cue, Speaker | None] | None:
    for cue in index.between(q.end, ceiling)[:1]:
        gap = text[q.end : cue.start]
        if not gap.strip(" ,\u00a0—–"):
            # a cue right after the closing mark is enough, even with no speaker in sight
            speaker = speaker_after(text, cue.end, ceiling) if cue.speaker_after else None
            return cue, speaker
        if "\n" in gap or _word_count(text, q.end, cue.start) > 8:
            return None
        speaker = speaker_before(text, cue.start, q.end)
        if speaker is not None and cue.speaker_before:
            return cue, speaker
    return None


def _cue_before(
    text: str, q: Quoted, floor: int, index: CueIndex
) -> tuple[Cue, Speaker | None, bool] | None:
    """The last cue before the quote, its speaker, and whether the quote follows at once."""
    cues = index.between(floor, q.start)
    if not cues:
        return None
    cue = cues[-1]
    if cue.lemma == "according to":
        speaker = speaker_after(text, cue.end, q.start)
    else:
        speaker = speaker_before(text, cue.start, floor) if cue.speaker_before else None
        if speaker is None and text[cue.start : cue.end].lower().endswith("ing"):
            # "Christie bristled at the suggestion, saying, “…”": the subject speaks
            speaker = sentence_subject(text, floor, cue.start)
        # "De Blasio said the move … and said, “…”": the first cue's speaker
        for earlier in reversed(cues[:-1]):
            if speaker is not None:
                break
            if earlier.speaker_before:
                speaker = speaker_before(text, earlier.start, floor)
    gap = text[cue.end : q.start]
    adjacent = bool(_SHORT_GAP.match(gap)) or gap.strip() in ("that", ", that")
    if cue.lemma == "tell" and not gap.strip():
        # told “Fox and Friends”: whom it was told, not what
        adjacent = False
    elif cue.lemma == "tell" and re.fullmatch(r"\s*(?:[\w'’.-]+\s+){0,4}[\w'’.-]+\s*,\s*", gap):
        # "told his supporters, “…”"
        adjacent = True
    if cue.lemma == "according to" and speaker is not None:
        adjacent = not text[speaker.end : q.start].strip(" ,:")
    return cue, speaker, adjacent


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over white space and a final full stop outside quote marks."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".;:,"):
        end -= 1
    return end


def find_direct(
    text: str, quoted: list[Quoted], sentences: Sentences, index: CueIndex
) -> list[Attribution]:
    """An attribution for each quoted stretch that reads as speech."""
    found: list[Attribution] = []
    last: Attribution | None = None
    for k, q in enumerate(quoted):
        next_start = quoted[k + 1].start if k + 1 < len(quoted) else len(text)
        prev_end = quoted[k - 1].end if k > 0 else 0
        s_start = max(sentences.around(q.start)[0], prev_end)
        s_end = _sentence_end_after(text, sentences, q)
        after_ceiling = min(next_start, s_end, q.end + 150)
        words = _word_count(text, q.inner_start, q.inner_end)
        # words before the quote in its sentence, after any colon or dash introducing it
        lead_start = max(s_start, *(text.rfind(c, s_start, q.start) + 1 for c in ":—–,"))
        lead_words = _word_count(text, lead_start, q.start)

        before = _cue_before(text, q, s_start, index)
        after = _cue_after(text, q, after_ceiling, index)
        if last is not None and _continues(text, sentences, last, q, before, after):
            last = replace(last, continuations=(*last.continuations, (q.start, q.end)))
            found[-1] = last
            continue
        result: Attribution | None = None
        first = next((c for c in text[q.inner_start : q.inner_end] if c.isalnum()), "")
        # a quote opening in lower case mid-sentence is a phrase inside reported speech
        standalone = lead_words == 0 or (lead_words <= 2 and not first.islower())
        q_sentence_end = max(q.end, sentences.around(max(q.start, q.end - 1))[1])
        if (
            before
            and before[2]
            and before[1] is not None
            and (_colon(text, before[0], q) or not after)
        ):
            cue, speaker, _ = before
            gap = text[cue.end : q.start]
            that = re.search(r"\bthat\b", gap)
            if that:
                # said that “…”: reported speech quoting the speaker's words
                end = _trim_end(text, q.start, q_sentence_end)
                result = Attribution(
                    cue.end + that.start(), end, "mixed", "mixed-that", 0.6, cue, speaker
                )
            elif first.islower() and not _colon(text, cue, q):
                end = _trim_end(text, q.start, q_sentence_end)
                result = Attribution(q.start, end, "mixed", "mixed", 0.6, cue, speaker)
            else:
                result = Attribution(
                    q.start, q.end, "direct", "direct-cue-before", 0.8, cue, speaker
                )
        elif after and standalone:
            cue, speaker = after
            conf = 0.85 if speaker else 0.6
            if words < 3:
                conf -= 0.3
            result = Attribution(q.start, q.end, "direct", "direct-cue-after", conf, cue, speaker)
        elif after:
            cue, speaker = after
            end = _trim_end(text, s_start, q.end)
            result = Attribution(s_start, end, "mixed", "mixed", 0.55, cue, speaker)
        elif before and before[1] is not None and not before[2]:
            cue, speaker, _ = before
            end = _trim_end(text, cue.end, q_sentence_end)
            that = _THAT_SOON.match(text, cue.end)
            # "said on Tuesday that the terminal “will open …”": from "that"
            from_that = that is not None and that.end() < q.start
            start = that.end() - 4 if that is not None and from_that else cue.end
            while start < end and text[start] in " ,:\u00a0":
                start += 1
            # told “Fox and Friends”: whom, not what
            if start < end and (from_that or cue.lemma != "tell"):
                result = Attribution(start, end, "mixed", "mixed", 0.5, cue, speaker)
        elif words >= 8 and _opens_paragraph(text, q.start):
            speaker_of_last = last.speaker if last and q.start - last.end < 1500 else None
            # the speaker is the earlier quote's speaker span; no cue of its own
            result = Attribution(
                q.start,
                q.end,
                "direct",
                "direct-paragraph",
                0.45 if speaker_of_last else 0.35,
                None,
                speaker_of_last,
            )
        if result is not None:
            found.append(result)
            last = result
    return found


def _colon(text: str, cue: Cue, q: Quoted) -> bool:
    return text[cue.end : q.start].strip().endswith(":")


def _sentence_end_after(text: str, sentences: Sentences, q: Quoted) -> int:
    """End of the sentence the quote ends in; of the next one when the quote ends its own
    ("“We won!” Smith said." splits after the mark, yet Smith said it)."""
    i = sentences.index_at(max(q.start, q.end - 1))
    end = sentences.bounds[i][1] if i >= 0 else q.end
    exclaims = text[q.inner_start : q.inner_end].rstrip()[-1:] in ("!", "?")
    if end <= q.end and exclaims and i + 1 < len(sentences.bounds):
        start, following = sentences.bounds[i + 1]
        if not text[q.end : start].strip() and "\n" not in text[q.end : start]:
            return following
    return max(end, q.end)


def _continues(
    text: str,
    sentences: Sentences,
    last: Attribution,
    q: Quoted,
    before: tuple[Cue, Speaker | None, bool] | None,
    after: tuple[Cue, Speaker | None] | None,
) -> bool:
    """True when ``q`` carries on the previous quote: “…,” he said, “…” / “…,” he said. “…”"""
    if last.cue is None or last.kind != "direct":
        return False
    reach = last.reach()
    if q.start < reach or "\n" in text[reach : q.start] or q.start - reach > 200:
        return False
    if before is not None and before[0].start == last.cue.start:
        # “…,” he said, “…” but not “…,” she told “Fox and Friends”
        return before[2] and text[reach : q.start].strip() in (",", ":", ", and", "and", "—")
    if after is not None or (before is not None and before[0].start >= reach):
        return False
    return sentences.index_at(q.start) <= sentences.index_at(reach) + 1


def _opens_paragraph(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return not text[line_start:offset].strip()
