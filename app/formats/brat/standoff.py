"""Names and line shapes shared by the brat reader and writer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

FORMAT_NAME = "brat"
NOTE_ATTRIBUTE = "note"
"""The span attribute an ``AnnotatorNotes`` note is read into."""
NORMALIZATION_ATTRIBUTE = "normalization"
"""The span attribute ``N`` lines are read into: ``"TYPE DB:ID[ TEXT]"``, a list when several."""
ID_ATTRIBUTE = "brat_id"
"""The span attribute keeping the brat id: ``"T3"``, or ``"E1 T3"`` for an event trigger."""
KIND_ATTRIBUTE = "brat"
EVENT = "event"
"""``KIND_ATTRIBUTE`` = ``EVENT`` marks an event trigger (a span made in Glossa too)."""
BRAT_ATTRIBUTES = (ID_ATTRIBUTE, KIND_ATTRIBUTE)
FRAGMENT = "fragment"
"""The relation joining the fragments of a discontinuous span, first fragment to each next."""
META_KEY = "brat"
"""Document metadata keeping what spans cannot hold: relation ids, annotation ids, lines."""
CONFIG_FILE = "annotation.conf"

FRAGMENT_BREAK = re.compile("[\n\t]+")
_LINE_BREAKING = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Characters that would end or split an ``.ann`` line in some reader: shown as spaces."""
WHITE = re.compile(r"\s+")
ID = re.compile(r"[TERAMN#]\d+")


def flat(text: str) -> str:
    """``text`` with line breaks and tabs as spaces, as an ``.ann`` text column shows it."""
    return _LINE_BREAKING.sub(" ", text)


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``[start, end)`` between line breaks and tabs, as brat writes them.

    A span that begins or ends with a line break or tab stays one piece, so that reading it
    back gives the same offsets.
    """
    covered = text[start:end]
    if not FRAGMENT_BREAK.search(covered) or covered[0] in "\n\t" or covered[-1] in "\n\t":
        return [(start, end)]
    pieces, position = [], start
    for gap in FRAGMENT_BREAK.finditer(covered):
        pieces.append((position, start + gap.start()))
        position = start + gap.end()
    pieces.append((position, end))
    return pieces


def brat_ids(attributes: Mapping[str, Any]) -> tuple[str, str, bool]:
    """``(T id, E id, is an event trigger)`` kept in a span's attributes; ids may be empty."""
    value = attributes.get(ID_ATTRIBUTE)
    text_id = event_id = ""
    for word in value.split() if isinstance(value, str) else ():
        if re.fullmatch(r"T\d+", word):
            text_id = word
        elif re.fullmatch(r"E\d+", word):
            event_id = word
    return text_id, event_id, bool(event_id) or attributes.get(KIND_ATTRIBUTE) == EVENT
