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
from app.assist.speakers import Speaker, speaker_after, speaker_before

_SHORT_GAP = re.compile(
    r"^\s*(?:(?:to|in|on|at|during|from)\s+(?:[\w'’.-]+\s+){0,3}?[\w'’.-]+\s*)?[,:—–]?\s*$"
)
_WORDISH = re.compile(r"\w+")


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
    continuation: tuple[int, int] | None = None


def _word_count(text: str, start: int, end: int) -> int:
    return len(_WORDISH.findall(text, start, end)) if end > start else 0


def _cue_after(
    text: str, q: Quoted, ceiling: int, index: CueIndex
) -> tuple[Cue, Speaker | None] | None:
    for cue in index.between(q.end, ceiling)[:1]:
        gap = text[q.end : cue.start]
        if not gap.strip(" ,\u00a0—–"):
            speaker = speaker_after(text, cue.end, ceiling) if cue.speaker_after else None
            if speaker is None and cue.speaker_before:
                return None
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
    gap = text[cue.end : q.start]
    adjacent = bool(_SHORT_GAP.match(gap)) or gap.strip() in ("that", ", that")
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
        s_end = sentences.around(max(q.start, q.end - 1))[1]
        after_ceiling = min(next_start, max(s_end, q.end), q.end + 150)
        words = _word_count(text, q.inner_start, q.inner_end)
        lead_words = _word_count(text, s_start, q.start)

        before = _cue_before(text, q, s_start, index)
        if (
            before
            and last
            and last.cue
            and before[0].start == last.cue.start
            and last.continuation is None
        ):
            # the same cue between the two halves of one quote
            last = replace(last, continuation=(q.start, q.end))
            found[-1] = last
            continue
        after = _cue_after(text, q, after_ceiling, index)
        result: Attribution | None = None
        if (
            before
            and before[2]
            and before[1] is not None
            and (text[before[0].end : q.start].strip().endswith(":") or not after)
        ):
            cue, speaker, _ = before
            result = Attribution(q.start, q.end, "direct", "direct-cue-before", 0.8, cue, speaker)
        elif after and lead_words <= 2:
            cue, speaker = after
            conf = 0.85 if speaker else 0.6
            if words < 3:
                conf -= 0.3
            result = Attribution(q.start, q.end, "direct", "direct-cue-after", conf, cue, speaker)
        elif after and lead_words > 2:
            cue, speaker = after
            end = _trim_end(text, s_start, q.end)
            result = Attribution(s_start, end, "mixed", "mixed", 0.55, cue, speaker)
        elif before and before[1] is not None and not before[2]:
            cue, speaker, _ = before
            end = _trim_end(text, cue.end, max(s_end, q.end))
            start = cue.end
            while start < end and text[start] in " ,:\u00a0":
                start += 1
            if start < end:
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


def _opens_paragraph(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return not text[line_start:offset].strip()
