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

The file is read a megabyte at a time and each run of lines between blank lines is read at
once when it can be (``app.formats.conll_lines``): a corpus costs a few string operations per
sentence, not a round of function calls per token.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.core.text import MAX_DOCUMENT_BYTES
from app.formats.conll_columns import SAMPLE_LINES, Layout, is_docstart, sniff
from app.formats.conll_documents import SOURCE_COLUMNS, SOURCE_TOKENS, Losses
from app.formats.conll_lines import MISSING_VALUE, SENTENCES_PER_DOCUMENT, LineReader
from app.formats.opening import PIECE_BYTES, line_pieces, open_file
from app.formats.opening import lines as file_lines
from app.formats.report import ReadReport
from app.formats.tag_schemes import SCHEME_TITLES, SCHEMES, SchemeTally

FORMAT_NAME = "conll"
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest CoNLL file read (2 GiB); each line is still held to the article limit."""
READ_BYTES = PIECE_BYTES
"""Bytes of the file read at a time."""
_CARRIAGE_RETURNS = re.compile(r"\r+(?=\n|\Z)")

__all__ = [
    "FORMAT_NAME",
    "MISSING_VALUE",
    "SENTENCES_PER_DOCUMENT",
    "SOURCE_COLUMNS",
    "SOURCE_TOKENS",
    "read",
]


def _decoded(raw: bytes, number: int, source: str) -> str:
    """One line of the file as text, or ``InputError`` naming it."""
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", source=source, line=number
        ) from None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(number, line without its end)`` of a UTF-8 file, streaming."""
    source = str(path)
    with open_file(path, MAX_FILE_BYTES) as handle:
        for number, raw in file_lines(handle, MAX_DOCUMENT_BYTES, source):
            yield number, _decoded(raw, number, source).rstrip("\r\n")


def _texts(path: Path) -> Iterator[tuple[int, str]]:
    """``(number of the first line, lines)`` of a UTF-8 file, a piece at a time: each piece
    is whole lines as ``_lines`` reads them, each ended by ``\\n``. A line that cannot be
    read is refused after the lines before it are given."""
    source = str(path)
    with open_file(path, MAX_FILE_BYTES) as handle:
        for number, raw in line_pieces(handle, MAX_DOCUMENT_BYTES, source, READ_BYTES):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                start = raw.rfind(b"\n", 0, exc.start) + 1
                if start:
                    yield number, _line_ends(raw[:start].decode("utf-8"), number)
                number += raw.count(b"\n", 0, start)
                end = raw.find(b"\n", start) + 1 or len(raw)
                _decoded(raw[start:end], number, source)  # raises, naming the line
                raise AssertionError("no line of the piece failed to decode") from exc
            yield number, _line_ends(text, number)


def _line_ends(text: str, number: int) -> str:
    """``text`` as ``_lines`` reads its lines: no byte order mark at the start of the file,
    no carriage returns at the ends of lines, and a newline after the last line."""
    if number == 1 and text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = _CARRIAGE_RETURNS.sub("", text)
    return text if text.endswith("\n") else text + "\n"


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
    reader = LineReader(layout, bare, tallies, report, source)
    for number, text in _texts(path):
        # the runs of lines between empty lines, each but the last followed by one (further
        # blank lines, and lines of white space, come as lines of a run: read one by one)
        reader.piece(text)
        blocks = text[:-1].split("\n\n")
        last = len(blocks) - 1
        for i, block in enumerate(blocks):
            if i:
                reader.blank()
                number += 1
                if reader.done:
                    yield from _finished(reader, path)
            lines = block.split("\n")
            if not reader.block(number, block, lines, whole=i < last):
                for offset, line in enumerate(lines):
                    reader.line(number + offset, line)
                    if reader.done:
                        yield from _finished(reader, path)
            number += len(lines)
    reader.end_sentence()
    reader.finish()
    yield from _finished(reader, path)
    if not reader.count:
        raise InputError("the file holds no tokens", source=source)
    _report(report, source, layout, tallies, scheme, reader.losses)


def _finished(reader: LineReader, path: Path) -> Iterator[DocumentRecord]:
    """The documents ``reader`` has finished, as records."""
    while reader.done:
        yield reader.done.pop(0).record(path)


def _report(
    report: ReadReport,
    source: str,
    layout: Layout,
    tallies: list[SchemeTally],
    scheme: str | None,
    losses: Losses,
) -> None:
    if not layout.tags:
        report.warn("no column holds tags: the tokens were imported without spans", source)
    if layout.other_tags:
        columns = ", ".join(str(c + 1) for c in layout.other_tags)
        report.warn(
            f"column(s) {columns} hold tags of other types too: kept with the tokens, not read "
            "as spans (--tag-column N reads one of them)",
            source,
        )
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
