"""A strict reader of brat ``.ann`` lines, for checking what the exporter writes."""

from __future__ import annotations

import re

_SHAPES = {
    "T": re.compile(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t([^\t\n]*)"),
    "E": re.compile(r"(E\d+)\t(\S+):(T\d+) ((?:\S+:[TE]\d+(?: |$))*)"),
    "R": re.compile(r"(R\d+)\t(\S+) (\S+):([TE]\d+) (\S+):([TE]\d+)\t?"),
    "A": re.compile(r"([AM]\d+)\t(\S+) ([TER]\d+)(?: (\S+))?"),
    "N": re.compile(r"(N\d+)\t(\S+) ([TER]\d+) (\S+:\S+)\t([^\t\n]*)"),
    "#": re.compile(r"(#\d+)\t(\S+) ([TERAMN]\d+)\t([^\t\n]*)"),
    "*": re.compile(r"(\*)\t(\S+)((?: [TE]\d+){2,})"),
}
_NAMED = re.compile(r"(?<![\w-])([TERAMN#]\d+)\b")


def check_ann(lines: list[str], text: str) -> None:
    """Fail unless every line has brat's shape, names defined ids and agrees with ``text``."""
    defined: set[str] = set()
    named: list[tuple[str, str]] = []
    for line in lines:
        kind = "A" if line[:1] == "M" else line[:1]
        shape = _SHAPES.get(kind)
        assert shape is not None, f"unknown line kind: {line!r}"
        match = shape.fullmatch(line)
        assert match is not None, f"not brat's shape: {line!r}"
        own = match.group(1)
        if own != "*":
            assert own not in defined, f"{own} defined twice"
            defined.add(own)
        body = line.split("\t")[1]
        named.extend((line, found) for found in _NAMED.findall(body) if found != own)
        if kind == "T":
            pieces = [tuple(map(int, p.split())) for p in match.group(3).split(";")]
            for start, end in pieces:
                assert 0 <= start < end <= len(text), f"offsets outside the text: {line!r}"
            shown = " ".join(text[s:e] for s, e in pieces)
            assert match.group(4) == re.sub("[\t\n\r]", " ", shown), f"text column: {line!r}"
    for line, found in named:
        assert found in defined, f"{line!r} names {found}, which no line defines"
