"""The quote suggester: direct, mixed and indirect quotes with their cue and speaker.

Quoted stretches come from the quotation-mark state machine (marks), cues from the cue
lexicon (cues), speakers from the words next to the cue (speakers); direct and indirect
decide which shape a sentence has. Each suggestion is a QUOTE with its kind, carrying its
CUE and speaker span and the cue and speaker relations as linked parts. Label and relation
names come from the project context, never from this module.
"""

from __future__ import annotations

from app.assist.cues import CueIndex
from app.assist.direct import Attribution, find_direct
from app.assist.indirect import Taken, find_indirect
from app.assist.marks import find_quoted
from app.assist.sentences import Sentences
from app.assist.speakers import resolve_pronoun
from app.assist.suggester import (
    LinkedPart,
    LinkedRelation,
    ProjectContext,
    Provenance,
    Suggestion,
)

VERSION = "1"


def find_attributions(text: str) -> list[Attribution]:
    """Every attribution the rules find in ``text``, in text order."""
    sentences = Sentences(text)
    quoted = find_quoted(text)
    index = CueIndex(text)
    direct = find_direct(text, quoted, sentences, index)
    taken = [(a.start, a.end) for a in direct]
    taken += [c for a in direct for c in a.continuations]
    taken += [(a.cue.start, a.cue.end) for a in direct if a.cue]
    taken += [(a.speaker.start, a.speaker.end) for a in direct if a.speaker]
    # a quoted stretch that was not speech (a title, a scare quote) may sit inside indirect
    # speech; only the stretches taken by direct quotes are out of bounds
    indirect = find_indirect(text, sentences, quoted, Taken(taken), index)
    return sorted(direct + indirect, key=lambda a: a.start)


class QuoteSuggester:
    """Suggests quotes (direct, indirect, mixed) with their cues and speakers."""

    name = "quotes"

    def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
        """A QUOTE suggestion with linked CUE and speaker for each attribution found."""
        if not context.has(context.quote_label):
            return []
        return [self._suggestion(text, a, context) for a in find_attributions(text)]

    def _suggestion(self, text: str, a: Attribution, context: ProjectContext) -> Suggestion:
        parts: list[LinkedPart] = []
        relations: list[LinkedRelation] = []
        quote_indices = [0]
        for start, end in a.continuations:
            parts.append(LinkedPart("continuation", context.quote_label, start, end))
            quote_indices.append(len(parts))
        if a.cue is not None and context.has(context.cue_label):
            parts.append(LinkedPart("cue", context.cue_label, a.cue.start, a.cue.end))
            cue_index = len(parts)
            relations += [LinkedRelation(context.cue_relation, q, cue_index) for q in quote_indices]
        speaker = a.speaker
        if speaker is not None:
            label = context.org_label if speaker.org else context.person_label
            said = text[speaker.start : speaker.end]
            if context.has(label) and not context.is_rejected(said, label):
                attributes: dict[str, object] = {"mention": speaker.kind}
                if speaker.kind == "pronoun" and not speaker.org:
                    named = resolve_pronoun(text, speaker.start)
                    if named is not None:
                        attributes["refers_to"] = text[named[0] : named[1]]
                        attributes["refers_to_span"] = named
                parts.append(LinkedPart("speaker", label, speaker.start, speaker.end, attributes))
                speaker_index = len(parts)
                relations += [
                    LinkedRelation(context.speaker_relation, q, speaker_index)
                    for q in quote_indices
                ]
        return Suggestion(
            label=context.quote_label,
            start=a.start,
            end=a.end,
            confidence=round(max(0.05, min(1.0, a.confidence)), 2),
            provenance=Provenance(self.name, a.rule, VERSION),
            attributes={context.quote_kind_attribute: a.kind},
            parts=tuple(parts),
            relations=tuple(relations),
        )
