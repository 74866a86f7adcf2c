"""Chunk tags (IOB1, IOB2, IOE, BIOES/BILOU, IO): reading them into spans and writing them.

A tag is ``O`` or ``PREFIX-TYPE`` with the prefix one of ``B I E S`` (``L`` and ``U``, the
BILOU names, read as ``E`` and ``S``). The type is everything after the first ``-``, so
``I-creative-work`` has the type ``creative-work``.

Reading follows conlleval, the CoNLL shared tasks' scorer, whatever the scheme: a chunk
starts at ``B``/``S``, at an ``I``/``E`` after ``O``, after an ``E`` or ``S``, or after a tag
of another type; it ends before ``O``, ``B``, ``S``, a tag of another type, and after
``E``/``S``. That one reading decodes a well-formed sequence of every scheme exactly (IO
cannot tell two touching chunks of one type apart), and reads an inconsistent one the way
the scorers do, so nothing is refused.

Which scheme a file follows matters only for telling the user what was repaired: a tag
sequence the scheme does not allow (``I-creative-work`` right after ``I-person`` in IOB2)
counts as a repair. ``SchemeTally`` counts the repairs of every scheme at once while a file
streams by, and the scheme with the fewest is the file's scheme.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import compress, repeat
from operator import is_not
from typing import NamedTuple

SCHEMES = ("iob2", "bioes", "iob1", "ioe", "io")
"""Scheme names, in the order a tie between them is broken when detecting."""
SCHEME_TITLES = {"iob1": "IOB1", "iob2": "IOB2", "ioe": "IOE", "bioes": "BIOES", "io": "IO"}
_PREFIXES = {"iob2": "BI", "iob1": "BI", "ioe": "IE", "bioes": "BIES", "io": "I"}
_ALIASES = {"L": "E", "U": "S"}
_PREFIXED = re.compile(r"([BIESLU])-(\S+)")
EXAMPLES_KEPT = 10
"""How many repaired lines a tally names one by one (all of them are counted)."""


class Tag(NamedTuple):
    """A parsed tag: ``prefix`` is one of ``O B I E S`` and ``type`` is empty for ``O``."""

    prefix: str
    type: str


OUTSIDE = Tag("O", "")


def parse_tag(value: str, *, bare: bool = False) -> Tag | None:
    """The tag ``value`` stands for, or None when it is no tag.

    With ``bare``, a value without a prefix (``PER``) is an inside tag of that type, as IO
    files without prefixes write it.
    """
    if value == "O":
        return OUTSIDE
    match = _PREFIXED.fullmatch(value)
    if match is not None:
        prefix, kind = match.groups()
        return Tag(_ALIASES.get(prefix, prefix), kind)
    if bare and value and not any(ch.isspace() for ch in value):
        return Tag("I", value[2:] if value.startswith("I-") and len(value) > 2 else value)
    return None


class Runs(NamedTuple):
    """A sentence's tags as chunks are read from them: each run of tags other than ``OUTSIDE``
    with the index of its first tag, and the prefixes of all the tags. A chunk never reaches
    over an O, so only the runs need reading tag by tag, and each is read once for all its
    repeats."""

    runs: list[tuple[int, tuple[Tag, ...]]]
    prefixes: set[str]


def runs_of(tags: Sequence[Tag]) -> Runs:
    """The runs of tags other than O in one sentence's tags."""
    # most tags are O: find the others without a step per tag
    others = list(compress(range(len(tags)), map(is_not, tags, repeat(OUTSIDE))))
    prefixes = {"O"} if len(others) < len(tags) else set()
    if not others:
        return Runs([], prefixes)
    bounds: list[tuple[int, int]] = []
    start = previous = others[0]
    for i in others[1:]:
        if i != previous + 1:
            bounds.append((start, previous + 1))
            start = i
        previous = i
    bounds.append((start, previous + 1))
    runs = [(a, tuple(tags[a:b])) for a, b in bounds]
    prefixes.update(tag.prefix for _, run in runs for tag in run)
    return Runs(runs, prefixes)


def chunks(tags: Sequence[Tag], runs: Runs | None = None) -> list[tuple[int, int, str]]:
    """The chunks of one sentence's tags as ``(first, last + 1, type)``, read as conlleval.

    ``runs`` are the tags' ``runs_of``, when already known."""
    found: list[tuple[int, int, str]] = []
    for a, run in (runs or runs_of(tags)).runs:
        found.extend((a + first, a + stop, kind) for first, stop, kind in _run_chunks(run))
    return found


@lru_cache(maxsize=4096)
def _run_chunks(run: tuple[Tag, ...]) -> tuple[tuple[int, int, str], ...]:
    return tuple(_chunks_of(run))


def _chunks_of(tags: Sequence[Tag]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    start = -1
    previous = OUTSIDE
    for i, tag in enumerate(tags):
        if start >= 0 and _ends_before(previous, tag):
            found.append((start, i, previous.type))
            start = -1
        if tag.prefix != "O" and (start < 0 or _starts_at(previous, tag)):
            if start >= 0:
                found.append((start, i, previous.type))
            start = i
        previous = tag
    if start >= 0:
        found.append((start, len(tags), previous.type))
    return found


def _ends_before(previous: Tag, tag: Tag) -> bool:
    if previous.prefix == "O":
        return False
    if previous.prefix in "ES" or tag.prefix in "OBS":
        return True
    return previous.type != tag.type


def _starts_at(previous: Tag, tag: Tag) -> bool:
    if tag.prefix in "BS":
        return True
    return previous.prefix in "OES" or previous.type != tag.type


def problems(tags: Sequence[Tag], scheme: str) -> Iterator[tuple[int, str]]:
    """``(index, what)`` for every tag of one sentence that ``scheme`` does not allow."""
    allowed = _PREFIXES[scheme]
    last = len(tags) - 1
    for i, tag in enumerate(tags):
        if tag.prefix == "O":
            continue
        if tag.prefix not in allowed:
            yield i, f"{tag.prefix}- is no {SCHEME_TITLES[scheme]} prefix"
            continue
        before = tags[i - 1] if i else OUTSIDE
        after = tags[i + 1] if i < last else OUTSIDE
        same_before = before.prefix in "BI" and before.type == tag.type
        if scheme == "iob2" and tag.prefix == "I" and not same_before:
            yield i, f"I-{tag.type} after {_shown(before)} starts a new span"
        elif scheme == "iob1" and tag.prefix == "B" and not same_before:
            yield i, f"B-{tag.type} after {_shown(before)} where IOB1 writes I-"
        elif scheme == "bioes":
            if tag.prefix in "IE" and not same_before:
                yield i, f"{tag.prefix}-{tag.type} after {_shown(before)} starts a new span"
            elif tag.prefix in "BI" and not (after.prefix in "IE" and after.type == tag.type):
                yield i, f"{tag.prefix}-{tag.type} before {_shown(after)} ends its span"


@lru_cache(maxsize=4096)
def _run_problems(
    run: tuple[Tag, ...], schemes: tuple[str, ...]
) -> tuple[tuple[str, int, str], ...]:
    """``problems`` of a run of tags other than O, for each scheme in turn."""
    return tuple((scheme, i, what) for scheme in schemes for i, what in problems(run, scheme))


def _shown(tag: Tag) -> str:
    return "O" if tag.prefix == "O" else f"{tag.prefix}-{tag.type}"


_BRACKET = re.compile(r"\(([^()*\s]+)(\*\)|\*|\))|\*(\))?")


def is_bracket(value: str) -> bool:
    """True for a value of a bracketed column: ``*``, ``*)``, ``(TYPE*``, ``(TYPE)``,
    ``(TYPE*)``."""
    return _BRACKET.fullmatch(value) is not None


class BracketReader:
    """Reads OntoNotes' bracketed named entity column (``(PERSON*``, ``*``, ``*)``, ``(DATE)``)
    as BIOES tags, one sentence at a time (``reset`` between sentences)."""

    def __init__(self) -> None:
        self.open = ""

    def tag(self, value: str) -> Tag | None:
        """The tag of the next token's value, or None when the value is no bracket value."""
        match = _BRACKET.fullmatch(value)
        if match is None:
            return None
        kind, rest, close = match.groups()
        if kind:
            self.open = kind if rest == "*" else ""
            return Tag("B" if rest == "*" else "S", kind)
        if not self.open:
            return OUTSIDE
        kind = self.open
        if close:
            self.open = ""
            return Tag("E", kind)
        return Tag("I", kind)

    def reset(self) -> None:
        """Forget a bracket left open at the end of a sentence."""
        self.open = ""


class SchemeTally:
    """Repairs each scheme would need, counted sentence by sentence over a whole file."""

    def __init__(self, schemes: Sequence[str] = SCHEMES) -> None:
        self.schemes = tuple(schemes)
        self.counts = dict.fromkeys(schemes, 0)
        self.examples: dict[str, list[tuple[int, str]]] = {s: [] for s in schemes}
        self.prefixes: set[str] = set()

    def add(self, tags: Sequence[Tag], lines: Sequence[int], runs: Runs | None = None) -> None:
        """Count one sentence's tags; ``lines`` are their line numbers, for the examples, and
        ``runs`` the tags' ``runs_of`` when already known."""
        runs = runs or runs_of(tags)
        self.prefixes.update(runs.prefixes)
        # an O is never a problem and ends what comes before it: each run is read on its own
        for a, run in runs.runs:
            for scheme, i, what in _run_problems(run, self.schemes):
                self.counts[scheme] += 1
                examples = self.examples[scheme]
                if len(examples) < EXAMPLES_KEPT:
                    examples.append((lines[a + i], what))

    def best(self) -> str:
        """The scheme needing the fewest repairs (ties go to the earlier one in ``SCHEMES``)."""
        return min(self.counts, key=lambda s: (self.counts[s], SCHEMES.index(s)))


def encode(length: int, spans: Sequence[tuple[int, int, str]], scheme: str) -> list[str]:
    """Tags of ``length`` tokens holding ``spans`` (``(first, last + 1, type)``, in order and
    not overlapping) in ``scheme``; ``ioe`` writes IOE2 (every chunk ends with ``E-``)."""
    tags = ["O"] * length
    previous_end, previous_type = -1, ""
    for first, stop, kind in spans:
        touching = first == previous_end and kind == previous_type
        for i in range(first, stop):
            tags[i] = f"I-{kind}"
        if scheme == "iob2" or (scheme == "iob1" and touching):
            tags[first] = f"B-{kind}"
        elif scheme == "ioe":
            tags[stop - 1] = f"E-{kind}"
        elif scheme == "bioes":
            if stop - first == 1:
                tags[first] = f"S-{kind}"
            else:
                tags[first], tags[stop - 1] = f"B-{kind}", f"E-{kind}"
        previous_end, previous_type = stop, kind
    return tags
