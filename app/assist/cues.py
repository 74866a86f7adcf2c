"""The words that introduce reported speech in news: said, told, according to, ...

Each cue verb is listed once with its irregular forms; regular tense forms are derived. A
cue verb marks where the speaker is: next to it, before it ("officials said") or, for
most verbs, after it too ("said Abu Marzouk"). "according to" always has its source after.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from app.assist.trie import first_characters, phrase_key, trie_pattern

# lemma -> irregular forms (past, participle, ...); regular forms are derived below
_VERBS: dict[str, tuple[str, ...]] = {
    "say": ("said", "says", "saying"),
    "tell": ("told", "tells", "telling"),
    "write": ("wrote", "written", "writes", "writing"),
    "add": (),
    "warn": (),
    "state": (),
    "explain": (),
    "note": (),
    "insist": (),
    "claim": (),
    "argue": (),
    "ask": (),
    "reply": ("replied", "replies", "replying"),
    "announce": (),
    "urge": (),
    "acknowledge": (),
    "admit": ("admitted", "admits", "admitting"),
    "declare": (),
    "report": (),
    "continue": (),
    "recall": (),
    "observe": (),
    "suggest": (),
    "confirm": (),
    "deny": ("denied", "denies", "denying"),
    "assert": (),
    "predict": (),
    "promise": (),
    "vow": (),
    "pledge": (),
    "tweet": (),
    "post": (),
    "respond": (),
    "answer": (),
    "concede": (),
    "contend": (),
    "maintain": (),
    "emphasize": (),
    "emphasise": (),
    "stress": (),
    "point out": ("pointed out", "points out", "pointing out"),
    "complain": (),
    "charge": (),
    "allege": (),
    "accuse": (),
    "describe": (),
    "recount": (),
    "estimate": (),
    "joke": (),
    "quip": ("quipped", "quips"),
    "shout": (),
    "scream": (),
    "yell": (),
    "exclaim": (),
    "whisper": (),
    "testify": ("testified", "testifies"),
    "reveal": (),
    "disclose": (),
    "believe": (),
    "think": ("thought", "thinks"),
    "feel": ("felt", "feels"),
    "hope": (),
    "fear": (),
    "worry": ("worried", "worries"),
    "know": ("knew", "knows"),
    "want": (),
    "call": (),
    "criticize": (),
    "criticise": (),
    "praise": (),
    "blame": (),
    "tout": (),
    "boast": (),
    "brag": ("bragged", "brags"),
    "counter": (),
    "retort": (),
    "remark": (),
    "mention": (),
    "indicate": (),
    "demand": (),
    "propose": (),
    "caution": (),
    "agree": (),
    "chant": (),
    "sing": ("sang", "sung", "sings", "singing"),
    "recite": (),
    "conclude": (),
    "wonder": (),
    "muse": (),
    "plead": ("pleaded", "pled", "pleads", "pleading"),
    "lament": (),
    "scoff": (),
    "laugh": (),
    "sigh": (),
    "summarize": (),
    "summarise": (),
    "interject": (),
    "interrupt": (),
    "begin": ("began", "begun", "begins"),
    "read": ("reads", "reading"),
}

_STANCE: dict[str, tuple[str, ...]] = {
    "endorse": (),
    "defend": (),
    "cite": (),
    "slam": ("slammed", "slams", "slamming"),
    "decry": ("decried", "decries", "decrying"),
    "condemn": (),
    "denounce": (),
    "blast": (),
    "mock": (),
    "dismiss": (),
    "reject": (),
    "question": (),
    "reiterate": (),
    "echo": ("echoed", "echoes", "echoing"),
    "highlight": (),
    "portray": (),
    "thank": (),
    "welcome": (),
    "decline": (),
    "refuse": (),
    "seek": ("sought", "seeks", "seeking"),
    "vow": (),
    "find": ("found", "finds"),
    "show": ("showed", "shown", "shows"),
    "remind": (),
    "assure": (),
    "order": (),
    "request": (),
    "encourage": (),
    "favor": (),
    "favour": (),
    "oppose": (),
    "support": (),
    "back": (),
    "prefer": ("preferred", "prefers", "preferring"),
    "expect": (),
    "see": ("saw", "sees"),
    "talk about": ("talked about", "talking about", "talks about"),
    "speak about": ("spoke about", "speaking about", "speaks about"),
    "discuss": (),
    "refer to": ("referred to", "referring to", "refers to"),
    "point to": ("pointed to", "pointing to", "points to"),
    "offer": (),
    "express": (),
    "decide": (),
    "plan": ("planned", "planning"),
    "seem": (),
    "appear": (),
    "is expected": ("are expected", "was expected", "were expected", "is widely expected"),
}
"""Verbs of stance and finding ("Ryan endorsed Trump", "the poll found Clinton ahead"): what
they report is their object, right after them."""

_MULTIWORD = (
    "according to",
    "told reporters",
    "went on",
    "went on to say",
    "made clear",
    "made it clear",
    "pointed out",
)

_SPEECH_ONLY = {"say", "tell", "write", "add", "reply", "ask", "tweet", "quip", "joke", "shout"}
"""Verbs that introduce direct quotes freely; the others mostly report thoughts or claims."""


OBJECT_FIRST = frozenset(
    "accuse charge begin read interrupt call praise blame criticize criticise describe "
    "recount tout laugh sigh scoff chant sing recite propose mention interject summarize "
    "summarise tell post".split()
)
"""Lemmas mostly followed by an object ("accused him of …", "told reporters"): what they
report follows "that", never right after the cue."""


STANCE = frozenset(_STANCE)
"""Lemmas reporting a stance or a finding through their object."""


def _forms(lemma: str, irregular: tuple[str, ...]) -> set[str]:
    if irregular:
        return {lemma, *irregular}
    if lemma.endswith("e"):
        return {lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    if lemma.endswith(("s", "sh", "ch", "x")):
        return {lemma, lemma + "es", lemma + "ed", lemma + "ing"}
    return {lemma, lemma + "s", lemma + "ed", lemma + "ing"}


@dataclass(frozen=True)
class Cue:
    """A cue found in a text: its span, its lemma, and where its speaker may stand."""

    start: int
    end: int
    lemma: str
    speaker_after: bool
    speaker_before: bool
    speech: bool


_NOUN_TOO = {
    "report",
    "post",
    "call",
    "charge",
    "note",
    "claim",
    "state",
    "answer",
    "counter",
    "demand",
    "promise",
    "pledge",
    "vow",
    "tweet",
    "stress",
    "estimate",
    "remark",
    "mention",
    "caution",
    "praise",
    "blame",
    "continue",
    "describe",
    "reveal",
    "accuse",
}
"""Lemmas whose base and -s forms are mostly nouns or frames ("the report", "they want"):
only their past forms count as cues."""

_FIRST_PERSON_TOO = {"want", "think", "feel", "know", "believe", "worry"}
"""Thinking verbs whose base form mostly goes with "I think", "you know": only their -s and
past forms report what someone else thinks."""

_FORM_LEMMA: dict[str, str] = {}
for _lemma, _irregular in _VERBS.items():
    for _form in _forms(_lemma, _irregular):
        third_person = _lemma in _FIRST_PERSON_TOO and _form.endswith("s")
        if (
            _lemma in _NOUN_TOO
            and not third_person
            and not _form.endswith(("ed", "ght", "lt", "ew", "own"))
        ):
            continue
        _FORM_LEMMA.setdefault(_form, _lemma)
_STANCE_NOUNS = {"question", "order", "request", "back", "favor", "favour", "plan", "support"}
_STANCE_NOUNS |= {"welcome", "echo", "blast", "vow", "thank", "reject", "offer"}
for _lemma, _irregular in _STANCE.items():
    for _form in _forms(_lemma, _irregular):
        if _lemma in _STANCE_NOUNS and (_form == _lemma or _form.endswith("s")):
            continue
        _FORM_LEMMA.setdefault(_form, _lemma)
for _phrase in _MULTIWORD:
    _FORM_LEMMA[_phrase] = _phrase
_FORM_LEMMA["told reporters"] = "tell"

_CUE = re.compile(
    rf"(?={first_characters(phrase_key(f) for f in _FORM_LEMMA)})\b"
    rf"(?:{trie_pattern(phrase_key(f) for f in _FORM_LEMMA)})\b",
    re.IGNORECASE,
)


def lemma_of(word: str) -> str | None:
    """The cue lemma of a word or phrase, if it is a cue."""
    return _FORM_LEMMA.get(" ".join(word.lower().split()))


def find_cues(text: str, start: int = 0, end: int | None = None) -> list[Cue]:
    """Every cue in ``text[start:end]``, in order."""
    stop = len(text) if end is None else end
    found = []
    for m in _CUE.finditer(text, start, stop):
        lemma = lemma_of(m.group()) or ""
        after = lemma != "tell"
        before = lemma != "according to"
        speech = lemma in _SPEECH_ONLY or lemma in _MULTIWORD
        found.append(Cue(m.start(), m.end(), lemma, after, before, speech))
    return found


class CueIndex:
    """The cues of one text, found once and looked up by stretch."""

    def __init__(self, text: str) -> None:
        self.cues = find_cues(text)
        self._starts = [c.start for c in self.cues]

    def between(self, start: int, end: int) -> list[Cue]:
        """The cues lying wholly inside ``[start, end)``, in order."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [c for c in self.cues[lo:hi] if c.end <= end]
