"""Reading CoNLL-style files as real corpora write them (CoNLL-2003, WNUT17, GermEval 2014, ...).

The layout (separator, token column, tag columns) comes from the file's first lines
(``app.formats.conll_columns``) unless ``tag_column`` names the tag column. Tags are read as
conlleval reads them in every scheme (``app.formats.tag_schemes``); the scheme (IOB1, IOB2,
IOE, BIOES/BILOU, IO) is the one the file's tags break least, or ``scheme`` when given, and
every tag that scheme does not allow is a counted repair in the report, never a refusal.

Text. Tokens are joined with single spaces and sentences (blank-line separated) with
``\\n``; offsets count code points of that text, so ``text[start:end]`` is the span's tokens.
Each tag column is a layer: GermEval's inner column gives spans nested in the outer ones.

Documents. A ``-DOCSTART-`` line, an OntoNotes ``#begin document`` line or a CoNLL-U
``# newdoc`` comment starts a document. A file without them is cut every
``SENTENCES_PER_DOCUMENT`` sentences, so a corpus of tweets or of Wikipedia sentences becomes
articles of a readable size.

Each document's meta keeps the source tokenisation under ``SOURCE_TOKENS`` (the code point
length of every token, sentence by sentence), so the CoNLL export writes the same tokens.
The other columns after the token (POS, chunks, lemmas, ...) are kept as token attributes in
the meta too, under ``SOURCE_COLUMNS``: by column number (counted from 1, as a string), a
list per sentence of the column's value for each token; the CoNLL export writes them back
between the token and the tag. A line of another width than the file's gives ``_`` in each
of them, as which value is which cannot be told. Comment lines (``#``) and CoNLL-U
multiword-token and empty-node lines are left out with one notice, and so is an index column
before the token.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Protocol

from app.core.errors import InputError
from app.core.records import DocumentRecord, SpanRecord
from app.core.text import MAX_DOCUMENT_BYTES, canonical_text, first_line_title
from app.formats.conll_columns import (
    RANGE,
    SAMPLE_LINES,
    Layout,
    is_docstart,
    keyed_value,
    sniff,
)
from app.formats.opening import lines as file_lines
from app.formats.opening import open_file
from app.formats.report import ReadReport
from app.formats.tag_schemes import (
    EXAMPLES_KEPT,
    OUTSIDE,
    SCHEME_TITLES,
    SCHEMES,
    BracketReader,
    SchemeTally,
    Tag,
    chunks,
    is_bracket,
    parse_tag,
)

FORMAT_NAME = "conll"
SOURCE_TOKENS = "source_tokens"
"""Meta key of the token lengths (a list per sentence) of a document read from CoNLL."""
SOURCE_COLUMNS = "source_columns"
"""Meta key of the other columns' values per token: column number -> a list per sentence."""
MISSING_VALUE = "_"
"""The value of a column that a line lacks (CoNLL's own mark for an empty field)."""
SENTENCES_PER_DOCUMENT = 100
_DOCUMENT_COMMENTS = ("#begin document", "# newdoc")
"""Comment lines that start a document: OntoNotes (CoNLL-2012) and CoNLL-U."""

MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest CoNLL file read (2 GiB); each line is still held to the article limit."""


class _Document:
    """Sentences of the document being read, with the text built so far."""

    def __init__(self, number: int, line: int | None) -> None:
        self.number = number
        self.line = line
        self.pieces: list[str] = []
        self.length = 0
        self.spans: list[tuple[int, int, str]] = []
        self.tokens: list[list[int]] = []
        self.columns: dict[str, list[list[str]]] = {}

    def add(
        self, tokens: list[str], layers: list[list[Tag]], columns: dict[str, list[str]]
    ) -> None:
        """Append one sentence: its tokens, one tag sequence per layer and the values of the
        other columns (by column number)."""
        if self.pieces:
            self.pieces.append("\n")
            self.length += 1
        starts: list[int] = []
        ends: list[int] = []
        for i, token in enumerate(tokens):
            if i:
                self.pieces.append(" ")
                self.length += 1
            starts.append(self.length)
            self.pieces.append(token)
            self.length += len(token)
            ends.append(self.length)
        for tags in layers:
            self.spans.extend((starts[a], ends[b - 1], kind) for a, b, kind in chunks(tags))
        self.tokens.append([len(token) for token in tokens])
        for number, values in columns.items():
            self.columns.setdefault(number, []).append(list(values))

    def record(self, path: Path) -> DocumentRecord:
        text = canonical_text("".join(self.pieces), str(path), self.line)
        spans = sorted(self.spans, key=lambda s: (s[0], -s[1]))
        return DocumentRecord(
            id=f"{path.stem}-{self.number}",
            text=text,
            meta={
                "title": first_line_title(text),
                "file": path.name,
                "document": self.number,
                SOURCE_TOKENS: self.tokens,
                **({SOURCE_COLUMNS: self.columns} if self.columns else {}),
            },
            spans=tuple(
                SpanRecord(id=str(i), start=start, end=end, label=label, text=text[start:end])
                for i, (start, end, label) in enumerate(spans, start=1)
            ),
            source=str(path),
            line=self.line,
        )


class _Losses:
    """Lines read differently from how they stand, counted with the first few line numbers."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.lines: dict[str, list[int]] = {}

    def add(self, what: str, line: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1
        first = self.lines.setdefault(what, [])
        if len(first) < EXAMPLES_KEPT:
            first.append(line)

    def report(self, report: ReadReport, source: str) -> None:
        for what, count in self.counts.items():
            shown = ", ".join(map(str, self.lines[what]))
            more = ", ..." if count > len(self.lines[what]) else ""
            report.warn(f"{count} {what} (lines {shown}{more})", source)


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(number, line without its end)`` of a UTF-8 file, streaming."""
    source = str(path)
    with open_file(path, MAX_FILE_BYTES) as handle:
        for number, raw in file_lines(handle, MAX_DOCUMENT_BYTES, source):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", source=source, line=number
                ) from None
            yield number, line.rstrip("\r\n")


def _layout(path: Path, tag_column: int | None) -> Layout:
    source = str(path)
    sample = [line for _, line in islice(_lines(path), SAMPLE_LINES * 4)]
    first = next(
        (i for i, line in enumerate(sample, 1) if line.strip() and not is_docstart(line)), None
    )
    if first is None:
        raise InputError("the file holds no tokens", source=source)
    layout = sniff(sample, None if tag_column is None else tag_column - 1, untagged=True)
    if layout is not None:
        return layout
    if tag_column is not None:
        raise InputError(
            f"--tag-column {tag_column} is not a column after the token in these lines",
            source=source,
            line=first,
        )
    raise InputError(
        "no column holds tags (O, B-TYPE, I-TYPE, ...) and the lines are not one token each; "
        "name the tag column with --tag-column N",
        source=source,
        line=first,
    )


def read(
    path: Path,
    report: ReadReport | None = None,
    *,
    tag_column: int | None = None,
    scheme: str | None = None,
) -> Iterator[DocumentRecord]:
    """Yield the documents of a CoNLL-style file (see the module docstring).

    ``tag_column`` (counted from 1) names the tag column and ``scheme`` (one of
    ``tag_schemes.SCHEMES``) the tag scheme, instead of detecting them. A line that cannot be
    read raises ``InputError`` naming it; tags that break the scheme are read and counted.
    """
    report = report if report is not None else ReadReport(FORMAT_NAME)
    source = str(path)
    if scheme is not None and scheme not in SCHEMES:
        raise InputError(
            f"unknown tag scheme {scheme!r} (known: {', '.join(SCHEMES)})", source=source
        )
    layout = _layout(path, tag_column)
    bare = layout.bare or scheme == "io"
    # tags without prefixes can only be IO, brackets are BIOES in other words
    detected = ("bioes",) if layout.brackets else ("io",) if bare else SCHEMES
    tallies = [SchemeTally((scheme,) if scheme else detected) for _ in layout.tags]
    readers = [_column_reader(layout, bare) for _ in layout.tags]
    losses = _Losses()
    marked_file = False  # once a document line is seen, documents are never cut by length
    count = 0
    document = _Document(1, None)
    tokens: list[str] = []
    layers: list[list[Tag]] = [[] for _ in layout.tags]
    lines: list[int] = []
    extra = layout.extra()
    kept: dict[str, list[str]] = {str(c + 1): [] for c in extra}

    def end_sentence() -> None:
        if tokens:
            if document.line is None:
                document.line = lines[0]
            document.add(tokens, layers, kept)
            for tally, tags in zip(tallies, layers, strict=True):
                tally.add(tags, lines)
            tokens.clear()
            lines.clear()
            for tags in layers:
                tags.clear()
            for values in kept.values():
                values.clear()
        for reader in readers:
            reader.reset()

    def finished() -> DocumentRecord | None:
        nonlocal count
        if document.pieces:
            count += 1
            report.documents += 1
            return document.record(path)
        if document.line is not None:
            report.warn("a document with no tokens was skipped", source, document.line)
        return None

    for number, line in _lines(path):
        if not line.strip():
            end_sentence()
            if not marked_file and len(document.tokens) >= SENTENCES_PER_DOCUMENT:
                done = finished()
                if done is not None:
                    yield done
                document = _Document(document.number + 1, None)
            continue
        columns = layout.split(line)
        starts_document = is_docstart(line) or line.startswith(_DOCUMENT_COMMENTS)
        if starts_document:
            end_sentence()
            marked_file = True
            done = finished()
            if done is not None:
                yield done
            document = _Document(document.number + (done is not None), number)
            continue
        if line.startswith("#") and not _token_line(columns, layout, readers):
            losses.add("comment line(s) starting with # were not imported", number)
            continue
        if layout.token == 1 and RANGE.fullmatch(columns[0]):
            losses.add("multiword-token or empty-node line(s) (CoNLL-U) were skipped", number)
            continue
        token, values = _fields(columns, layout, source, number, losses)
        if not token:
            losses.add("line(s) with an empty token were skipped", number)
            continue
        tokens.append(token)
        lines.append(number)
        same_width = len(columns) == layout.width  # else which value is which is a guess
        for c in extra:
            kept[str(c + 1)].append(columns[c] if same_width else MISSING_VALUE)
        for tags, reader, value in zip(layers, readers, values, strict=True):
            tag = reader.tag(value)
            if tag is None:
                losses.add("value(s) in a tag column that are no tag were read as O", number)
                tag = OUTSIDE
            elif tag.type == "O":
                losses.add("tag(s) of the type O (B-O, I-O) were read as O", number)
                tag = OUTSIDE
            tags.append(tag)
    end_sentence()
    done = finished()
    if done is not None:
        yield done
    if not count:
        raise InputError("the file holds no tokens", source=source)
    _report(report, source, layout, tallies, scheme, losses)


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
    columns: list[str], layout: Layout, source: str, number: int, losses: _Losses
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


def _report(
    report: ReadReport,
    source: str,
    layout: Layout,
    tallies: list[SchemeTally],
    scheme: str | None,
    losses: _Losses,
) -> None:
    if not layout.tags:
        report.warn("no column holds tags: the tokens were imported without spans", source)
    for column, tally in zip(layout.tags, tallies, strict=True):
        chosen = tally.best()
        how = "as asked" if scheme else "detected from the tags"
        if layout.brackets:
            title = "OntoNotes brackets"
        elif "S" in tally.prefixes or "E" in tally.prefixes:
            title = "BIOES/BILOU" if chosen == "bioes" else SCHEME_TITLES[chosen]
        else:
            title = SCHEME_TITLES[chosen]
        where = f"column {column + 1}" + (f" ({layout.key}=)" if layout.key else "")
        report.warn(f"tags of {where} read as {title} ({how})", source)
        repairs = tally.counts[chosen]
        if repairs:
            examples = tally.examples[chosen]
            more = f"; the first {len(examples)} follow" if repairs > len(examples) else ""
            report.warn(
                f"{repairs} tag(s) in column {column + 1} break the {title} scheme; "
                f"each was read as conlleval reads it{more}",
                source,
            )
            for line, what in examples:
                report.warn(f"repaired: {what}", source, line)
    losses.report(report, source)
