"""One regular expression for many literal phrases, shaped as a trie of their characters.

A plain alternation of thousands of phrases makes the regex engine try each phrase at each
position; a trie shares the common prefixes, so each position costs a few steps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD_GAP = "\x00"
"""Stands for a gap between words inside a phrase: any run of white space in the text."""

_Node = dict[str, "_Node"]


def phrase_key(text: str) -> str:
    """The phrase lower-cased, with its word gaps as ``WORD_GAP``."""
    return WORD_GAP.join(text.lower().split())


def trie_pattern(keys: Iterable[str]) -> str:
    """A regex body matching exactly the given keys (see ``phrase_key``), longest first."""
    root: _Node = {}
    for key in keys:
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _node_pattern(root)


def _node_pattern(node: _Node) -> str:
    ends = "" in node
    branches = []
    singles = []
    for ch in sorted(k for k in node if k):
        piece = r"\s+" if ch == WORD_GAP else re.escape(ch)
        rest = _node_pattern(node[ch])
        if rest or ch == WORD_GAP:
            branches.append(piece + rest)
        else:
            singles.append(piece)
    if singles:
        branches.append(singles[0] if len(singles) == 1 else "[" + "".join(singles) + "]")
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if ends else body


def first_characters(keys: Iterable[str]) -> str:
    """A character class of the keys' first characters, to skip other positions quickly."""
    firsts = sorted({k[0] for k in keys if k})
    return "[" + "".join(re.escape(c) for c in firsts) + "]" if firsts else "[^\\s\\S]"
