"""Splitting an ``.ann`` file into annotation lines.

Some brat versions wrote a span's text column with its line breaks in it, so that the text
runs on over the following lines of the file. Lines that start no annotation are read as the
rest of the text column above them, when that line has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KNOWN = re.compile(r"(?:[TERAMN#]\d+|\*)(?:\t|$)")
_ANY_ID = re.compile(r"[^\s]+\t")
_TEXT_KINDS = "T#N"  # lines whose last field is free text


@dataclass(frozen=True)
class AnnLine:
    """One annotation: its line number, id and tab-separated fields."""

    number: int
    id: str
    fields: list[str]
    source: str = ""
    """The file the line is in."""

    @property
    def words(self) -> list[str]:
        """The second field's words: type and arguments."""
        return self.fields[1].split() if len(self.fields) > 1 else []

    def verbatim(self) -> str:
        """The line as it was written."""
        return "\t".join(self.fields)


@dataclass
class Split:
    """The annotation lines of a file, and the lines that were none."""

    lines: list[AnnLine] = field(default_factory=list)
    unknown: list[AnnLine] = field(default_factory=list)
    continued: list[AnnLine] = field(default_factory=list)
    """The annotation lines whose text ran on over the next lines."""


def split_lines(content: str, source: str = "") -> Split:
    """The annotation lines of ``.ann`` text, text that runs over several lines joined."""
    found = Split()
    blank: list[str] = []
    for number, raw in enumerate(content.split("\n"), start=1):
        body = raw.removesuffix("\r")
        if not body.strip():
            blank.append(body)
            continue
        last = found.lines[-1] if found.lines else None
        starts_none = _KNOWN.match(body) is None and _ANY_ID.match(body) is None
        if starts_none and last and last.id[:1] in _TEXT_KINDS and len(last.fields) == 3:
            last.fields[2] = "\n".join([last.fields[2], *blank, body])
            if not found.continued or found.continued[-1] is not last:
                found.continued.append(last)
            blank.clear()
            continue
        blank.clear()
        fields = body.split("\t", 2) if body[:1] in _TEXT_KINDS else body.split("\t")
        line = AnnLine(number, fields[0].strip(), fields, source)
        if _KNOWN.match(body) is None:
            found.unknown.append(line)
        else:
            found.lines.append(line)
    return found
