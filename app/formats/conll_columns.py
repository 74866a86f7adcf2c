"""Which column of a CoNLL-style file holds the token and which hold tags, judged from a sample.

Real corpora differ: CoNLL-2003 writes ``token POS chunk NER`` with spaces, WNUT17
``token<TAB>tag``, GermEval 2014 ``index token outer inner`` under ``#`` comment lines,
CoNLL-U-like files an index, the token and more columns. The first ``SAMPLE_LINES`` lines
that hold tokens decide, the same way for the reader and for detection by content:

- columns are split at tabs when most sampled lines have one, else at runs of spaces;
- the width is the most common column count; a line starting with ``#`` that does not read
  as a token line of that width is a comment;
- the token is the first column, or the second when the first numbers the tokens of each
  sentence 1, 2, 3, ... (``1-2`` and ``3.1`` allowed between, as CoNLL-U numbers multiword
  tokens and empty nodes); two columns of character offsets after the first (``token start
  end tag``, as corpora converted from standoff have them) are no index; in a file of two
  columns whose first holds the tags and the second does not (``B-Rating<TAB>5``, the MIT
  Restaurant and Movie corpora), the token is the second;
- the tag column is the last column whose values are ``O`` or ``PREFIX-TYPE``
  (``tag_schemes.parse_tag``) on at least ``TAG_SHARE`` of the lines; the tag-like columns
  just before it are further layers of nested spans (GermEval's outer column) when they
  share a type with it, and not when their types are syntactic chunks (``NP``, ``VP``, ...),
  as CoNLL-2003's chunk column is;
- without such a column, a column of ``KEY=VALUE|...`` items where one key's values are all
  tags (CoNLL-U MISC holding ``name=B-PER`` or ``NER=B-PER``) is the tag column, the tag
  being that key's value (``O`` where the key is missing);
- else the first column of OntoNotes brackets (``(PERSON*``, ``*``,
  ``*)``, ``(DATE)``) is the tag column (the named entity column of CoNLL-2012 files comes
  before the predicate-argument columns, which are bracketed too);
- else the last column that is mostly ``O`` with single words elsewhere is an IO tag column
  without prefixes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from app.formats.tag_schemes import is_bracket, parse_tag

SAMPLE_LINES = 2000
"""Token lines read to decide the layout."""
TAG_SHARE = 0.99
"""Share of a column's sampled values that must be tags for it to be a tag column."""
BARE_O_SHARE = 0.3
"""Share of ``O`` values that makes a column without prefixes an IO tag column."""
MIN_NUMBERED = 3
"""Fewest rows that show a first column of whole numbers to be an index, not tokens."""
DOCSTART = "-DOCSTART-"
_INDEX = re.compile(r"\d+(?:[-.]\d+)?")
RANGE = re.compile(r"\d+[-.]\d+")
"""A CoNLL-U multiword token's range (``1-2``) or an empty node's number (``3.1``)."""
_SPACES = re.compile(r" +")
_COLUMN_NAME = re.compile(r"[A-Za-z_][\w.:#-]*")
_SYNTACTIC = frozenset(
    {"NP", "VP", "PP", "ADJP", "ADVP", "SBAR", "PRT", "INTJ", "CONJP", "LST", "UCP"}
)


@dataclass(frozen=True)
class Layout:
    """Where the token and the tags are; column numbers count from 0."""

    tabs: bool
    width: int
    token: int
    tags: tuple[int, ...]
    """Tag columns, outermost layer first; the last one is the main layer."""
    bare: bool = False
    """True when tags may lack a prefix (an IO file writing ``PER`` for ``I-PER``)."""
    brackets: bool = False
    """True for OntoNotes' bracketed column (``(PERSON*``, ``*``, ``*)``) instead of tags."""
    key: str = ""
    """When set, the tag is the value of ``KEY=`` among the ``|``-separated items of the tag
    column, as CoNLL-U files keep it in MISC (``SpaceAfter=No|name=B-PER``); ``O`` without."""
    other_tags: tuple[int, ...] = ()
    """Columns of named-entity tags that are no layer of the tag column (another tag set, as
    HIPE's coarse column beside its fine one): kept with the tokens, not read as spans."""
    header: tuple[str, ...] = ()
    """The column names of a first line that names them (HIPE's ``TOKEN NE-COARSE-LIT ...``),
    which is no token line."""

    @property
    def indexed(self) -> bool:
        """True when the token follows an index column (CoNLL-U, GermEval), not its tag."""
        return self.token == 1 and 0 not in self.tags

    def split(self, line: str) -> list[str]:
        """The columns of one line (without its line end)."""
        return split_columns(line, tabs=self.tabs)

    def extra(self) -> list[int]:
        """Columns that are neither the token, a tag column nor an index before the token."""
        return [c for c in range(self.token + 1, self.width) if c not in self.tags]


def split_columns(line: str, *, tabs: bool) -> list[str]:
    """Columns of ``line``: at tabs (trailing tabs and spaces dropped), or at runs of spaces
    (a line starting with a space has an empty first column: its token is missing)."""
    if tabs:
        return line.rstrip("\t ").split("\t")
    columns = _SPACES.split(line.strip(" "))
    return ["", *columns] if line.startswith(" ") else columns


def is_docstart(line: str) -> bool:
    """True for CoNLL-2003's document separator line (``-DOCSTART- -X- -X- O``), also after
    an index column."""
    words = line.split(maxsplit=2)
    return bool(words) and (words[0] == DOCSTART or (len(words) > 1 and words[1] == DOCSTART))


def sniff(
    lines: Iterable[str], tag_column: int | None = None, *, untagged: bool = False
) -> Layout | None:
    """The layout of a file from its first lines (line ends removed), or None when no column
    holds tags. ``tag_column`` (from 0) names the tag column instead of looking for one.

    With ``untagged``, a file of tokens without tags (one column, or an index and the token,
    as GermEval's unlabelled test file) has a layout with no tag column instead of None.
    A first line naming the columns (``TOKEN<TAB>NE-COARSE-LIT ...``, ``token<TAB>label``)
    is the layout's ``header`` when the lines after it have tags where it has names.
    """
    content: list[str] = []
    for line in lines:
        if line.strip() and not is_docstart(line):
            content.append(line)
            if len(content) >= SAMPLE_LINES:
                break
    if not content:
        return None
    layout = _sniff(content, tag_column, untagged)
    names = split_columns(content[0], tabs=layout.tabs) if layout is not None else []
    if layout is None or len(content) < 3 or not all(map(_COLUMN_NAME.fullmatch, names)):
        return layout
    rest = _sniff(content[1:], tag_column, untagged)
    if (
        rest is None
        or not rest.tags
        or rest.bare
        or rest.brackets
        or rest.key
        or len(names) != rest.width
        or any(parse_tag(names[c]) is not None for c in rest.tags)
    ):
        return layout
    return replace(rest, header=tuple(names))


def _sniff(content: list[str], tag_column: int | None, untagged: bool) -> Layout | None:
    tabs = sum("\t" in line for line in content) * 2 >= len(content)
    rows = [split_columns(line, tabs=tabs) for line in content]
    width = Counter(len(r) for r in rows if not r[0].startswith("#")).most_common(1)
    if not width:
        return None
    size = width[0][0]
    if size < 2:
        return Layout(tabs, size, 0, ()) if untagged else None
    # a token line rarely starts with "#"; comment lines often do, so none of them decides
    rows = [r for r in rows if len(r) == size and not r[0].startswith("#")]
    if not rows:
        return None
    token = _token_column(rows, size)
    if token == 1:  # CoNLL-U multiword tokens (1-2) and empty nodes (3.1) carry no tags
        rows = [r for r in rows if not RANGE.fullmatch(r[0])]
    if tag_column is not None:
        if not token < tag_column < size:
            return None
        return Layout(tabs, size, token, (tag_column,), bare=True)
    layout = _tag_layout(rows, tabs, size, token)
    if layout is None and size == 2 and token == 0 and _tags_then_tokens(rows):
        return Layout(tabs, size, 1, (0,))
    if layout is None and untagged and size == 2 and _numbered(rows, 0):
        return Layout(tabs, size, 1, ())
    return layout


def _tags_then_tokens(rows: list[list[str]]) -> bool:
    """True for the tag before the token (``B-Rating<TAB>2``), as the MIT Restaurant and
    MIT Movie corpora have them: the first column is tags, ``O`` among them; the second not."""
    return (
        _tag_types(rows, 0) is not None
        and _tag_types(rows, 1) is None
        and any(row[0] == "O" for row in rows)
    )


def _tags_first(row: list[str], layout: Layout) -> bool:
    """True for a longer line whose tag columns hold tags: columns added after them (UNER)."""
    return len(row) > layout.width and all(
        parse_tag(keyed_value(row[c], layout.key) if layout.key else row[c]) is not None
        for c in layout.tags
    )


def _token_column(rows: list[list[str]], size: int) -> int:
    """The column after the one that numbers the tokens (one of the first three, as CoNLL-U,
    GermEval and OntoNotes' ``doc part number word ...`` have it), else the first column."""
    for column in range(min(3, size - 2)):
        if _offsets_of_first(rows, column):
            return 0
        if _numbered(rows, column):
            return column + 1
    return 0


def _offsets_of_first(rows: list[list[str]], column: int) -> bool:
    """True when ``column`` and the next hold the start and end of the first column's token,
    as corpora converted from standoff have it (``token start end tag``): character offsets
    climb, by one after a one-character token, and would pass for an index."""
    if column == 0 or column + 1 >= len(rows[0]):
        return False
    for row in rows:
        start, end = row[column], row[column + 1]
        if not (start.isdigit() and end.isdigit() and int(end) - int(start) == len(row[0])):
            return False
    return True


def _numbered(rows: list[list[str]], column: int) -> bool:
    """True when ``column`` numbers the tokens: 1, 2, 3, ... (or from 0), starting over in
    each sentence, over at least ``MIN_NUMBERED`` rows; a number following its predecessor
    must be seen at least once."""
    previous = -1
    counted = False
    for row in rows:
        value_text = row[column]
        if not _INDEX.fullmatch(value_text):
            return False
        if not value_text.isdigit():
            continue  # a CoNLL-U range (1-2) or empty node (3.1)
        value = int(value_text)
        if value > 1 and value <= previous:
            return False  # a line of another width may be missing from the rows: no gaps checked
        counted = counted or (previous >= 0 and value == previous + 1)
        previous = value
    return counted and len(rows) >= MIN_NUMBERED


def _tag_layout(rows: list[list[str]], tabs: bool, size: int, token: int) -> Layout | None:
    columns = range(token + 1, size)
    types = {c: _tag_types(rows, c) for c in columns}
    tagged = [c for c in columns if types[c] is not None]
    if not tagged:
        keyed = [(c, key) for c in columns for key in _tag_keys(rows, c)]
        if keyed:
            column, key = keyed[-1]
            return Layout(tabs, size, token, (column,), key=key)
        bracketed = [c for c in columns if _bracket_column(rows, c)]
        if bracketed:  # OntoNotes: named entities come before the predicate arguments
            return Layout(tabs, size, token, (bracketed[0],), brackets=True)
        bare = [c for c in columns if _bare_tags(rows, c)]
        return Layout(tabs, size, token, (bare[-1],), bare=True) if bare else None
    main = tagged[-1]
    main_types = types[main] or set()
    layers = [main]
    for c in range(main - 1, token, -1):
        found = types[c]
        if found is None or (found and found <= _SYNTACTIC):
            break
        if main_types and not found & main_types:
            break
        layers.insert(0, c)
    others = tuple(c for c in tagged if c not in layers and not ((types[c] or set()) <= _SYNTACTIC))
    return Layout(tabs, size, token, tuple(layers), other_tags=others)


def _tag_types(rows: list[list[str]], column: int) -> set[str] | None:
    """The types a column's sampled tags name, or None when it is no tag column."""
    kinds: set[str] = set()
    bad = 0
    for row in rows:
        tag = parse_tag(row[column])
        if tag is None:
            bad += 1
        elif tag.type:
            kinds.add(tag.type)
    if bad > len(rows) * (1 - TAG_SHARE):
        return None
    return kinds


def keyed_value(field: str, key: str) -> str:
    """The value of ``key=`` among the ``|``-separated items of ``field``, else ``O``."""
    prefix = key + "="
    for item in field.split("|"):
        if item.startswith(prefix):
            return item[len(prefix) :]
    return "O"


def _tag_keys(rows: list[list[str]], column: int) -> list[str]:
    """Keys of ``KEY=VALUE`` items in a column whose values are all tags, one of them not O."""
    values: dict[str, list[str]] = {}
    for row in rows:
        for item in row[column].split("|"):
            key, equals, value = item.partition("=")
            if equals:
                values.setdefault(key, []).append(value)
    return [
        key
        for key, found in values.items()
        if all(parse_tag(v) is not None for v in found) and any(v != "O" for v in found)
    ]


def _bracket_column(rows: list[list[str]], column: int) -> bool:
    bad = sum(not is_bracket(row[column]) for row in rows)
    return bad <= len(rows) * (1 - TAG_SHARE) and any(row[column] == "*" for row in rows)


def _bare_tags(rows: list[list[str]], column: int) -> bool:
    outside = sum(row[column] == "O" for row in rows)
    return outside >= len(rows) * BARE_O_SHARE and outside < len(rows)


CONTENT_SHARE = 0.8
"""Share of a file's token lines that must have the common width for it to be CoNLL."""


def looks_like_conll(lines: list[str]) -> bool:
    """True when ``lines`` (a file's first lines) read as a CoNLL-style file: a tag column is
    found, most lines that are neither blank nor comments have the same width (or are longer
    with tags in the tag columns), at least two
    do, and a tag column holds an ``O`` (or OntoNotes' ``*``): a line of prose can end in
    ``B-movies``; a corpus is never all names."""
    layout = sniff(lines)
    if layout is None:
        return False
    content = [line for line in lines if line.strip() and not is_docstart(line)]
    rows = [layout.split(line) for line in content[:SAMPLE_LINES] if not line.startswith("#")]
    fitting = [r for r in rows if len(r) == layout.width or _tags_first(r, layout)]
    read = (lambda v: keyed_value(v, layout.key)) if layout.key else (lambda v: v)
    outside = any(read(r[c]) in ("O", "*") for r in fitting for c in layout.tags)
    return outside and len(fitting) >= max(2, CONTENT_SHARE * len(rows))
