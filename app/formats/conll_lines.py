"""The lines of a CoNLL-style file read into sentences and documents, in the file's layout.

``LineReader`` takes a line at a time (``line``, ``blank``) and reads each one as
``app.formats.conll_reading`` describes: document lines, comments, CoNLL-U ranges, lines of
another width, tags that are no tags. A file is mostly plain token lines, though, so
``block`` first tries a whole run of lines between blank lines at once: when none of them is
any of those cases (no ``#`` or ``-DOCSTART-``, every line of the file's width, every token
and tag as expected) its columns are split and its tags looked up a column at a time, which
gives what reading it line by line gives; else it declines and the lines are read one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import Protocol

from app.core.errors import InputError
from app.formats.conll_columns import RANGE, Layout, is_docstart, keyed_value
from app.formats.conll_documents import Document, Losses
from app.formats.report import ReadReport
from app.formats.tag_schemes import (
    OUTSIDE,
    BracketReader,
    SchemeTally,
    Tag,
    chunks,
    is_bracket,
    parse_tag,
    runs_of,
)

SENTENCES_PER_DOCUMENT = 100
MISSING_VALUE = "_"
"""The value of a column that a line lacks (CoNLL's own mark for an empty field)."""
DOCUMENT_COMMENTS = ("#begin document", "# newdoc")
"""Comment lines that start a document: OntoNotes (CoNLL-2012) and CoNLL-U."""
_TAGS_REMEMBERED = 100_000
"""Distinct tag values whose reading is kept (a file has a few dozen)."""


class LineReader:
    """The document and sentence being read; finished documents wait in ``done``."""

    def __init__(
        self,
        layout: Layout,
        bare: bool,
        tallies: list[SchemeTally],
        report: ReadReport,
        source: str,
    ) -> None:
        self.layout = layout
        self.report = report
        self.source = source
        self.tallies = tallies
        self.readers = [_column_reader(layout, bare) for _ in layout.tags]
        self.losses = Losses()
        self.marked_file = False  # once a document line is seen, documents are never cut
        self.count = 0
        self.document = Document(1, None)
        self.done: list[Document] = []
        self.tokens: list[str] = []
        self.layers: list[list[Tag]] = [[] for _ in layout.tags]
        self.lines: list[int] = []
        self.extra = [(str(c + 1), c) for c in layout.extra()]
        self.kept: dict[str, list[str]] = {key: [] for key, _ in self.extra}
        # the tag each value reads as, where reading it line by line would count no loss
        self.tag_of: dict[str, Tag] = {}
        self.odd: set[str] = set()
        self.plain = _PlainTags(bare, layout.key) if not layout.brackets else None
        self.plain_piece = False
        self.header_pending = bool(layout.header)  # the first line may name the columns

    def end_sentence(self) -> None:
        """Add the sentence read so far to the document."""
        if self.tokens:
            self._add(self.tokens, self.layers, self.lines, self.kept)
            self.tokens.clear()
            self.lines.clear()
            for tags in self.layers:
                tags.clear()
            for values in self.kept.values():
                values.clear()
        for reader in self.readers:
            reader.reset()

    def _add(
        self,
        tokens: Sequence[str],
        layers: Sequence[Sequence[Tag]],
        lines: Sequence[int],
        kept: dict[str, list[str]],
    ) -> None:
        if self.document.line is None:
            self.document.line = lines[0]
        found = []
        for tally, tags in zip(self.tallies, layers, strict=True):
            runs = runs_of(tags)
            tally.add(tags, lines, runs)
            found.append(chunks(tags, runs))
        self.document.add(tokens, found, kept)

    def finish(self) -> bool:
        """Close the document; True when it holds tokens (it is then in ``done``)."""
        if self.document.pieces:
            self.count += 1
            self.report.documents += 1
            self.done.append(self.document)
            return True
        if self.document.line is not None:
            skipped = "a document with no tokens was skipped"
            self.report.warn(skipped, self.source, self.document.line)
        return False

    def blank(self) -> None:
        """A blank line: the sentence ends, and a long document without document lines too."""
        self.end_sentence()
        if not self.marked_file and len(self.document.tokens) >= SENTENCES_PER_DOCUMENT:
            self.finish()
            self.document = Document(self.document.number + 1, None)

    def line(self, number: int, line: str) -> None:
        """Read one line (without its line end)."""
        layout = self.layout
        if not line.strip():
            self.blank()
            return
        columns = layout.split(line)
        if is_docstart(line) or line.startswith(DOCUMENT_COMMENTS):
            self.end_sentence()
            self.marked_file = True
            done = self.finish()
            self.document = Document(self.document.number + done, number)
            return
        losses = self.losses
        if self.header_pending:
            self.header_pending = False
            if tuple(columns) == layout.header:
                losses.add("line(s) naming the columns were not read as tokens", number)
                return
        if line.startswith("#") and not _token_line(columns, layout, self.readers):
            losses.add("comment line(s) starting with # were not imported", number)
            return
        if layout.indexed and RANGE.fullmatch(columns[0]):
            losses.add("multiword-token or empty-node line(s) (CoNLL-U) were skipped", number)
            return
        token, values = _fields(columns, layout, self.source, number, losses)
        if not token:
            losses.add("line(s) with an empty token were skipped", number)
            return
        self.tokens.append(token)
        self.lines.append(number)
        same_width = len(columns) == layout.width  # else which value is which is a guess
        for key, c in self.extra:
            self.kept[key].append(columns[c] if same_width else MISSING_VALUE)
        for tags, reader, value in zip(self.layers, self.readers, values, strict=True):
            tag = reader.tag(value)
            if tag is None:
                losses.add("value(s) in a tag column that are no tag were read as O", number)
                tag = OUTSIDE
            elif tag.type == "O":
                losses.add("tag(s) of the type O (B-O, I-O) were read as O", number)
                tag = OUTSIDE
            tags.append(tag)

    def block(self, number: int, text: str, lines: list[str], whole: bool = False) -> bool:
        """Read ``lines`` (``text`` joined), the first numbered ``number``, all at once; False,
        having read nothing, when one of them must be read on its own (see the module
        docstring). ``whole`` says a blank line follows: the lines are a whole sentence
        unless one is begun already."""
        layout = self.layout
        if self.plain is None or "-DOCSTART-" in text:
            return False
        if not self.plain_piece and _unusual(text, layout.tabs):
            return False
        rows = list(map(str.split, lines, repeat("\t" if layout.tabs else " ")))
        try:
            columns = list(zip(*rows, strict=True))
        except ValueError:
            return False  # lines of other widths
        if len(columns) != layout.width:
            return False
        tokens = columns[layout.token]
        if not all(tokens):
            return False  # an empty token is skipped
        if (layout.key or not layout.tags) and any(map(str.isspace, tokens)):
            return False  # maybe a blank line: elsewhere its tags would be no tags
        if layout.indexed and not all(map(str.isdigit, columns[0])):
            return False  # maybe a CoNLL-U range (1-2) or empty node (3.1)
        layers = []
        for c in layout.tags:
            tags = self._plain_tags(columns[c])
            if tags is None:
                return False
            layers.append(tags)
        if whole and not self.tokens:  # the sentence whole: no need to gather it first
            kept = {key: list(columns[c]) for key, c in self.extra}
            self._add(tokens, layers, range(number, number + len(lines)), kept)
            return True
        self.tokens.extend(tokens)
        self.lines.extend(range(number, number + len(lines)))
        for layer, tags in zip(self.layers, layers, strict=True):
            layer.extend(tags)
        for key, c in self.extra:
            self.kept[key].extend(columns[c])
        return True

    def piece(self, text: str) -> None:
        """A piece of the file is read next: look once for what ``block`` must look for in
        each run of lines (in most files it is nowhere)."""
        layout = self.layout
        if layout.tabs and layout.tags[-1:] == (layout.width - 1,) and not layout.key:
            # a tab or space after the last tag leaves no tag, and a line starting with # is
            # a token line when its tags are tags: only document comments need a look
            self.plain_piece = not any(map(text.__contains__, DOCUMENT_COMMENTS))
        else:
            self.plain_piece = not _unusual(text[:-1], layout.tabs)

    def _plain_tags(self, values: tuple[str, ...]) -> list[Tag] | None:
        """The tags of a column's values, or None when one of them would count a loss."""
        assert self.plain is not None
        tag_of = self.tag_of
        try:
            return list(map(tag_of.__getitem__, values))
        except KeyError:  # a value not seen before, or one that is no plain tag
            pass
        odd = self.odd
        new = set(values).difference(tag_of).difference(odd)
        if len(tag_of) + len(odd) + len(new) > _TAGS_REMEMBERED:
            return None  # a column of ever new values: read line by line from here on
        for value in new:
            tag = self.plain.tag(value)
            if tag is None or tag.type == "O":
                odd.add(value)
            else:
                tag_of[value] = tag
        return list(map(tag_of.__getitem__, values)) if odd.isdisjoint(values) else None


def _unusual(text: str, tabs: bool) -> bool:
    """True when a line of ``text`` (lines joined with newlines) may be a comment, or may
    have white space at an end that splitting it as its columns would not drop."""
    if text[:1] == "#" or "\n#" in text:
        return True
    if tabs:
        return text[-1:] in ("\t", " ") or "\t\n" in text or " \n" in text
    return text[:1] == " " or text[-1:] == " " or "  " in text or "\n " in text or " \n" in text


class _TagReader(Protocol):
    def tag(self, value: str) -> Tag | None: ...
    def reset(self) -> None: ...


class _PlainTags:
    """Tags standing one per token (``B-PER``, ``O``; ``PER`` too in an IO file), the whole
    value or the value of ``key=`` in it."""

    def __init__(self, bare: bool, key: str) -> None:
        self.bare = bare
        self.key = key

    def tag(self, value: str) -> Tag | None:
        return parse_tag(keyed_value(value, self.key) if self.key else value, bare=self.bare)

    def reset(self) -> None:
        pass


def _column_reader(layout: Layout, bare: bool) -> _TagReader:
    return BracketReader() if layout.brackets else _PlainTags(bare, layout.key)


def _token_line(columns: list[str], layout: Layout, readers: list[_TagReader]) -> bool:
    """True when a line starting with ``#`` reads as a token line (a ``#`` token)."""
    if len(columns) != layout.width:
        return False
    if layout.brackets:
        return all(is_bracket(columns[c]) for c in layout.tags)
    pairs = zip(readers, layout.tags, strict=True)
    return all(reader.tag(columns[c]) is not None for reader, c in pairs)


def _fields(
    columns: list[str], layout: Layout, source: str, number: int, losses: Losses
) -> tuple[str, list[str]]:
    """The token and the tag values of a token line; a line of another width is read when
    its token and tags can still be found, else refused."""
    if len(columns) == layout.width:
        return columns[layout.token], [columns[c] for c in layout.tags]
    needed = max((*layout.tags, layout.token)) + 1
    shift = len(columns) - layout.width
    from_start = [columns[c] for c in layout.tags] if len(columns) >= needed else None
    # the tags are the last columns, as in most files: count them from the end
    from_end = (
        [columns[c + shift] for c in layout.tags]
        if layout.tags and needed == layout.width and layout.token < min(layout.tags) + shift
        else None
    )
    # a longer line may add columns after the tags (UNER) or split a token (spaces)
    chosen = from_start if from_start is not None and _all_tags(from_start) else from_end
    chosen = chosen if chosen is not None else from_start
    if chosen is not None:
        losses.add(
            f"line(s) with {len(columns)} columns instead of {layout.width} were read", number
        )
        return columns[layout.token], chosen
    raise InputError(
        f"expected {layout.width} columns as in the lines before, found {len(columns)}: "
        f"the token and its tags (up to column {needed}) cannot be told apart",
        source=source,
        line=number,
    )


def _all_tags(values: list[str]) -> bool:
    return all(parse_tag(v) is not None or is_bracket(v) for v in values)
