"""Who speaks: the name, title and name, pronoun or noun phrase next to a cue.

No trained model is available offline, so names are found by capitalisation: a run of
capitalised words (with name particles such as "al-", "bin", "de", "van") is a name. A
speaker is the short clause piece right before a cue ("Abu Marzouk said", "the minister
told", "he added") or right after it ("said Abu Marzouk, deputy head of ...", "according to
officials"). An apposition between name and cue ("Abu Marzouk, deputy head of Hamas, said")
is skipped back to the name. Pronouns are resolved to the nearest earlier person-like name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PRONOUNS = {"he", "she", "they", "we", "i", "it", "you"}
_PERSON_PRONOUNS = {"he", "she", "i", "we", "they", "you"}
_DETERMINERS = set(
    "the a an his her their its our my your this that these those one two three four "
    "several many some other another both each most all".split()
)
_BARE_GROUPS = set(
    "officials experts critics analysts sources aides authorities police witnesses residents "
    "supporters observers people voters lawmakers investigators prosecutors officers polls "
    "reports studies documents scientists economists democrats republicans leaders advisers "
    "advisors diplomats spokesmen strategists insiders organizers organisers protesters "
    "activists doctors researchers members executives donors".split()
)
_ORG_WORDS = set(
    "ministry government party committee council university department agency association "
    "union bank group company corporation corp inc ltd news times post journal reuters "
    "press campaign administration commission court office police army navy board "
    "institute foundation center centre service services network cnn fox nbc cbs abc bbc "
    "organization organisation federation league senate congress house parliament "
    "white fbi cia pentagon kremlin un nato eu gop dnc rnc".split()
)
_LEADING = set(
    "and but while as because when although though since so that which who whom where if "
    "after before yet or then now also even still once however meanwhile".split()
)
_PREPOSITIONS = set(
    "on in at for with by from to of during about over under into onto against between "
    "through without within among across behind beyond near per via than like".split()
)
_TRAILING = set(
    "has have had also later then previously once repeatedly recently again would will "
    "could can did does do never often was is were are reportedly publicly privately simply "
    "just further first last earlier already frequently always not has since shall may "
    "might must should".split()
)
_NOT_NAMES = set(
    "the a an but and in on at it this that there these those he she they we i you when "
    "while if as so yet or monday tuesday wednesday thursday friday saturday sunday "
    "yesterday today mr mrs ms".split()
)
_PARTICLES = {
    "al",
    "bin",
    "ibn",
    "de",
    "del",
    "della",
    "di",
    "da",
    "dos",
    "du",
    "van",
    "von",
    "der",
    "den",
    "la",
    "le",
    "el",
    "abu",
    "of",
    "the",
    "and",
    "'s",
    "st.",
}
_WORD = re.compile(r"\w(?:[\w'’-]|\.(?=\w))*(?:(?<=\.\w)\.)?|[^\w\s]")
_NAME = re.compile(
    r"\b[A-Z][\w'’-]+(?:\s+(?:(?:al|bin|de|van|von|der|la|le|el|da|di)[\s-]+)?[A-Z][\w'’-]*)+"
)
_STOP_PIECE = re.compile(r"[,;:()\[\]—–\"“”«»„\n]|(?<!\w)'|[.!?](?=\s)")


@dataclass(frozen=True)
class Speaker:
    """A speaker span, what kind of mention it is, and the label role it plays."""

    start: int
    end: int
    kind: str  # "name" | "pronoun" | "phrase"
    org: bool = False


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _classify(text: str, words: list[tuple[int, int]]) -> Speaker | None:
    """The speaker among ``words`` (a clause piece next to a cue), if it looks like one."""
    while words and text[words[0][0] : words[0][1]].lower() in _LEADING:
        words = words[1:]
    while words and text[words[-1][0] : words[-1][1]].lower() in _TRAILING | {"who", "which"}:
        words = words[:-1]
    while words and text[words[-1][0] : words[-1][1]].lower().endswith("ly"):
        words = words[:-1]
    if not words or len(words) > 8:
        return None
    tokens = [text[s:e] for s, e in words]
    first = tokens[0].lower()
    if any(not t[0].isalnum() for t in tokens):
        return None
    start, end = words[0][0], words[-1][1]
    org = tokens[-1].lower() in _ORG_WORDS
    if len(tokens) == 1 and first in _PRONOUNS:
        return Speaker(start, end, "pronoun", first == "it")
    if first in _PREPOSITIONS or first in _PRONOUNS:
        return None
    if first in _DETERMINERS:
        if len(tokens) < 2 or any(t.lower() in _PRONOUNS for t in tokens[1:]):
            return None
        return Speaker(start, end, "phrase", org)
    if len(tokens) == 1 and first in _BARE_GROUPS:
        return Speaker(start, end, "phrase", False)
    if _is_capitalised(tokens[0]) and first not in _NOT_NAMES:
        if len(tokens) > 6:
            return None
        # "Clinton campaign spokesman" without the name is still a speaker phrase
        lower_end = not _is_capitalised(tokens[-1]) and tokens[-1].lower() not in _BARE_GROUPS
        if lower_end and len(tokens) > 4:
            return None
        return Speaker(start, end, "name", org)
    return None


def _piece_start(text: str, floor: int, end: int) -> int:
    """Start of the clause piece ending at ``end``: after the last comma, quote, etc."""
    last = floor
    for m in _STOP_PIECE.finditer(text, floor, end):
        last = m.end()
    return last


def speaker_before(text: str, cue_start: int, floor: int) -> Speaker | None:
    """The speaker in the clause piece ending at ``cue_start``, not before ``floor``."""
    start = _piece_start(text, floor, cue_start)
    words = _words(text, start, cue_start)
    if words:
        return _classify(text, words)
    # "Abu Marzouk, deputy head of Hamas, said": step back over the apposition
    gap = text[start:cue_start]
    before = start - 1
    if gap.strip() or before <= floor or text[before] != ",":
        return None
    apposition_start = _piece_start(text, floor, before)
    if before - apposition_start > 80 or apposition_start <= floor:
        return None
    if text[apposition_start - 1] != ",":
        return None
    name_start = _piece_start(text, floor, apposition_start - 1)
    found = _classify(text, _words(text, name_start, apposition_start - 1))
    return found if found and found.kind == "name" else None


def speaker_after(text: str, cue_end: int, ceiling: int) -> Speaker | None:
    """The speaker right after a cue ("said Abu Marzouk, deputy head ..."), before ``ceiling``."""
    words: list[tuple[int, int]] = []
    tokens = _words(text, cue_end, ceiling)
    for k, (s, e) in enumerate(tokens):
        token = text[s:e]
        if not token[0].isalnum():
            break
        following = text[tokens[k + 1][0] : tokens[k + 1][1]] if k + 1 < len(tokens) else ""
        if (
            words
            and token.lower() in _PARTICLES
            and _is_capitalised(text[words[-1][0] : words[-1][1]])
            and _is_capitalised(following)
        ):
            words.append((s, e))
            continue
        if words and token.lower() in _PREPOSITIONS | _LEADING | {"who", "that", "told"}:
            break
        if (
            words
            and _is_capitalised(text[words[-1][0] : words[-1][1]])
            and not (_is_capitalised(token) or token.lower() in _PARTICLES)
        ):
            break
        words.append((s, e))
        if len(words) == 7:
            break
    while words and text[words[-1][0] : words[-1][1]].lower() in _PARTICLES:
        words.pop()
    return _classify(text, words) if words else None


def resolve_pronoun(text: str, offset: int, window: int = 3000) -> tuple[int, int] | None:
    """The nearest person-like name (two or more capitalised words) before ``offset``."""
    lo = max(0, offset - window)
    best = None
    for m in _NAME.finditer(text, lo, offset):
        words = m.group().split()
        if words[0].lower() in _NOT_NAMES or any(w.lower() in _ORG_WORDS for w in words):
            continue
        best = (m.start(), m.end())
    return best
