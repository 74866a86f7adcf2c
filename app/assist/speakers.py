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

from app.assist.cues import lemma_of
from app.assist.sentences import is_abbreviation

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
_CLAUSE_BREAKS = set(
    "when while after before because since although though as if whereas and but "
    "that where until unless once".split()
)
_QUANTITIES = set(
    "half most many some few about nearly almost more less majority minority percent "
    "one two three four five six seven eight nine ten dozen dozens hundreds thousands "
    "millions".split()
)
_PREPOSITIONS = set(
    "on in at for with by from to of during about over under into onto against between "
    "through without within among across behind beyond near per via than like despite".split()
)
_TRAILING = set(
    "has have had also later then previously once repeatedly recently again would will "
    "could can did does do never often was is were are reportedly publicly privately simply "
    "just further first last earlier already frequently always not has since shall may "
    "might must should".split()
)
_TIMES = set(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
    "morning afternoon evening night week weekend month year earlier later".split()
)
_TIME_LEADS = {"on", "last", "this", "late", "early", "earlier", "in", "at", "that", "the"}
_VERBISH = set(
    "was were is are be been being has have had could would will can shall should may might "
    "must to did does do get got not".split()
)
_NOT_NAMES = set(
    "the a an but and in on at it this that there these those he she they we i you when "
    "while if as so yet or monday tuesday wednesday thursday friday saturday sunday "
    "yesterday today mr mrs ms not what's i've i'm last next".split()
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
_STOP_PIECE = re.compile(r"[,;:\[\]—–\"“”«»„\n]|(?<!\w)'|[.!?](?=\s)|\s-{1,2}\s|--")


@dataclass(frozen=True)
class Speaker:
    """A speaker span, what kind of mention it is, and the label role it plays."""

    start: int
    end: int
    kind: str  # "name" | "pronoun" | "phrase"
    org: bool = False


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Word spans, leaving out parenthetical remarks: "Roger Wicker (R-Miss.)"."""
    found: list[tuple[int, int]] = []
    depth = 0
    for m in _WORD.finditer(text, start, end):
        token = m.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            if (
                token == "."
                and found
                and found[-1][1] == m.start()
                and is_abbreviation(text, m.start())
            ):
                # "Rep." and "M." keep their full stop
                found[-1] = (found[-1][0], m.end())
            else:
                found.append((m.start(), m.end()))
    return found


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _is_adverb(word: str) -> bool:
    return word.islower() and word.endswith("ly")


def _classify(text: str, words: list[tuple[int, int]]) -> Speaker | None:
    """The speaker among ``words`` (a clause piece next to a cue), if it looks like one."""
    while words and text[words[0][0] : words[0][1]].lower() in _LEADING:
        words = words[1:]
    while words and text[words[-1][0] : words[-1][1]].lower() in _TRAILING | {"who", "which"}:
        words = words[:-1]
    while words and _is_adverb(text[words[-1][0] : words[-1][1]]):
        # "Smith reportedly said", never "Kelly said"
        words = words[:-1]
    # "Hillary Clinton on Tuesday said", "the senator late last week said"
    while len(words) > 1 and text[words[-1][0] : words[-1][1]].lower() in _TIMES:
        words = words[:-1]
        while len(words) > 1 and text[words[-1][0] : words[-1][1]].lower() in _TIME_LEADS:
            words = words[:-1]
    if not words or len(words) > 8:
        return None
    tokens = [text[s:e] for s, e in words]
    first = tokens[0].lower()
    if any(not t[0].isalnum() for t in tokens):
        return None
    start, end = words[0][0], words[-1][1]
    if first[:1].isdigit() or first in _QUANTITIES:
        if len(tokens) > 7 or any(t.lower() in _VERBISH for t in tokens):
            return None
        return Speaker(start, end, "phrase", False)
    if tokens[-1].lower().endswith(("'s", "’s")) or (
        _is_capitalised(tokens[0]) and first.endswith("ing")
    ):
        # "Mr. Obama's", "Having …", "Walking …": not who speaks
        return None
    lowered = [t.lower() for t in tokens[1:]]
    if any(t.islower() and lemma_of(t) is not None for t in tokens[1:]):
        # "Fiorina said": the cue is no part of who speaks
        return None
    if any(t in _VERBISH or (t in _PREPOSITIONS and t not in ("of", "for")) for t in lowered):
        # "the band was instructed to", "a revolt on the floor": a clause, not a speaker
        return None
    org = tokens[-1].lower() in _ORG_WORDS
    if len(tokens) == 1 and first in _PRONOUNS:
        return Speaker(start, end, "pronoun", first == "it")
    if first in _PREPOSITIONS or first in _PRONOUNS:
        return None
    if first in _DETERMINERS:
        if len(tokens) < 2 or any(t.lower() in _PRONOUNS for t in tokens[1:]):
            return None
        if any(t.lower() in _COMMON_PAST for t in tokens[1:]):
            return None
        # "a figure the chamber of commerce called": the last noun phrase speaks
        last = max(i for i, t in enumerate(tokens) if t.lower() in ("the", "a", "an") or i == 0)
        if 0 < last < len(tokens) - 1:
            return _classify(text, words[last:])
        return Speaker(start, end, "phrase", org)
    if len(tokens) == 1 and first in _BARE_GROUPS:
        return Speaker(start, end, "phrase", False)
    if (
        len(tokens) <= 3
        and all(t.isalpha() and t.islower() for t in tokens)
        and tokens[-1].endswith("s")
        and not tokens[-1].endswith(("ss", "us", "is"))
        and not any(t in _VERBISH or t in _PREPOSITIONS or t in _LEADING for t in tokens)
    ):
        # a bare plural: "hacking specialists say", "according to press reports"
        return Speaker(start, end, "phrase", False)
    if _is_capitalised(tokens[0]) and first not in _NOT_NAMES:
        if len(tokens) > 8 or (len(tokens) > 5 and not all(map(_is_capitalised, tokens[-2:]))):
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
        if m.group() == "." and is_abbreviation(text, m.start()):
            continue
        last = m.end()
    return last


def speaker_before(text: str, cue_start: int, floor: int) -> Speaker | None:
    """The speaker in the clause piece ending at ``cue_start``, not before ``floor``."""
    start = _piece_start(text, floor, cue_start)
    words = _words(text, start, cue_start)
    lowered = [text[s:e].lower() for s, e in words]
    kept = [w for w, low in zip(words, lowered, strict=True) if low not in _TRAILING]
    if kept and text[kept[-1][0] : kept[-1][1]].lower() in ("and", "but"):
        # "Ms. Sherry smiled and said": the first verb's subject; "The spokesman refused to
        # answer but said": the sentence's subject
        if len(kept) >= 2:
            verb = kept[-2]
            first_verb = _words(text, _piece_start(text, floor, verb[0]), verb[0])
            if first_verb and len(first_verb) <= 6:
                found = _classify(text, first_verb)
                if found is not None:
                    return found
        return sentence_subject(text, floor, cue_start)
    if (
        lowered == ["who"]
        or lowered[-2:] in (["who", "has"], ["who", "had"])
        or lowered[-1:] == ["who"]
    ):
        # "Lindsey Graham, who said …": the relative pronoun stands for the speaker
        at = words[lowered.index("who")]
        return Speaker(at[0], at[1], "pronoun")
    cut = max((i + 1 for i, low in enumerate(lowered) if low in _CLAUSE_BREAKS), default=0)
    # "Clinton was booed when she said": the speaker follows the last conjunction
    words = words[cut:]
    if words:
        found = _classify(text, words)
        if found is None and len(words) > 2:
            # "… at the party convention Sen. Elizabeth Warren said": the name before the cue
            run = len(words)
            while run > 0 and _is_capitalised(text[words[run - 1][0] : words[run - 1][1]]):
                run -= 1
            if len(words) - run >= 2 and run > 0:
                found = _classify(text, words[run:])
        return found
    if cut:
        return None
    # "Abu Marzouk, deputy head of Hamas, said", "Sen. Chuck Grassley, facing a spirited
    # challenge in Iowa, a swing state, said": step back over the appositions to the name
    comma = start - 1
    phrase: Speaker | None = None
    for _ in range(3):
        if comma <= floor or text[comma] != "," or cue_start - comma > 250:
            break
        segment = _piece_start(text, floor, comma)
        words = _words(text, segment, comma)
        found = _classify(text, words)
        if found is not None and found.kind == "name":
            return found
        if (
            phrase is None
            and found is not None
            and found.kind == "phrase"
            and len(words) <= 4
            and not text[words[-1][0] : words[-1][1]].endswith("ed")
            and not text[comma + 1 :].lstrip()[:1].isupper()
        ):
            # "The report, led by retired judge Amara Okafor, said": a lower-case apposition
            phrase = found
        comma = segment - 1
    return phrase


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


_COMMON_PAST = set(
    "spoke went made took gave came met won lost sent left held wrote broke ran put set "
    "sat stood told said saw found began led".split()
)


def _verb_like(word: str) -> bool:
    return word.endswith("ed") or word in _COMMON_PAST or word in _VERBISH


def sentence_subject(text: str, start: int, end: int) -> Speaker | None:
    """The name, pronoun or short noun phrase opening ``text[start:end]``, if any: the
    speaker of a participle cue later in the sentence ("Trump spoke …, saying …")."""
    words = _words(text, start, end)[:10]
    while words and text[words[0][0] : words[0][1]].lower() in _LEADING:
        words = words[1:]
    if not words:
        return None
    tokens = [text[s:e] for s, e in words]
    first = tokens[0].lower()
    if first in _PERSON_PRONOUNS or first == "it":
        return Speaker(words[0][0], words[0][1], "pronoun", first == "it")
    if first in _DETERMINERS:
        n = 1
        while (
            n < min(len(tokens), 4)
            and tokens[n].isalpha()
            and not _verb_like(tokens[n].lower())  # "The spokesman declined"
            and tokens[n].lower() not in (_PREPOSITIONS | _TRAILING | _LEADING | {"who", "which"})
        ):
            n += 1
        return _classify(text, words[:n]) if n > 1 else None
    n = 0
    while n < len(tokens) and (
        _is_capitalised(tokens[n])
        or (n and tokens[n].lower() in _PARTICLES and n + 1 < len(tokens))
    ):
        n += 1
    while n and tokens[n - 1].lower() in _PARTICLES:
        n -= 1
    return _classify(text, words[:n]) if n else None


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
