"""CoNLL-style IOB2 files: one ``token<TAB>tag`` line per token, as seqeval and ``datasets`` read.

Layout of a written file::

    -DOCSTART- -X- O O
    <blank line>
    Lindqvist<TAB>B-PERSON
    said<TAB>O
    <blank line between sentences>
    ...

Tags are strict IOB2: ``B-LABEL`` opens a span, ``I-LABEL`` continues it, ``O`` is outside.

Writing. Tokens come from ``app.formats.tokens`` (spaCy's tokenizer when installed, else the
regular expression; the report names it). A sentence ends at a line break, and after a token
ending in ``.``, ``!`` or ``?`` followed by a space and a token that starts with an upper-case
letter — except inside a kept span, which always stays in one sentence. The file holds one
flat layer of spans, chosen outermost-longest first (``tokens.flat_layer``); every span left
out (nested, overlapping, or not starting and ending on token boundaries) is counted in the
returned ``ExportReport``. Document ids, metadata, relations and attributes are not written.

Reading. Columns are separated by a tab (or by single spaces when a line has no tab) and there
must be exactly two. An ``I-`` tag must follow a ``B-`` or ``I-`` tag of the same label in the
same sentence. The text is rebuilt by joining tokens with single spaces and sentences with
``\\n``; offsets count code points of that text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from app.core.errors import InputError
from app.core.records import DocumentRecord, SpanRecord
from app.core.text import MAX_DOCUMENT_BYTES, canonical_text, first_line_title
from app.formats.opening import lines, open_file
from app.formats.report import DropReason, ExportReport, ReadReport
from app.formats.tokens import Token, TokenBounds, Tokenizer, flat_layer, tokenize

DOCSTART = "-DOCSTART- -X- O O"
FORMAT_NAME = "conll"
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
"""Largest CoNLL file we import (2 GiB); each line is still held to the article limit."""
_TAG = re.compile(r"([BI])-(\S+)")
_SENTENCE_END = ".!?"


def _tag_label(label: str) -> str:
    """The label as it can stand in a tag: white space (a column separator) becomes ``_``."""
    return re.sub(r"\s+", "_", label)


def sentence_starts(text: str, tokens: list[Token], keep_together: set[int]) -> list[int]:
    """Indices of the tokens that open a sentence (always 0 when there are tokens).

    A sentence starts after a line break, and after a token ending in ``.``, ``!`` or ``?``
    followed by a space and an upper-case letter. No sentence starts at an index in
    ``keep_together`` (the inside of a span).
    """
    starts = [0] if tokens else []
    for i in range(1, len(tokens)):
        if i in keep_together:
            continue
        previous_end, start = tokens[i - 1][1], tokens[i][0]
        gap = text[previous_end:start]
        if "\n" in gap or (
            text[previous_end - 1] in _SENTENCE_END
            and gap.startswith(" ")
            and text[start].isupper()
        ):
            starts.append(i)
    return starts


def token_layer(
    record: DocumentRecord, report: ExportReport, tokenizer: Tokenizer
) -> tuple[list[Token], list[tuple[SpanRecord, int, int]]]:
    """Tokens of a document and its flat layer of token-aligned spans with their token ranges.

    Spans that do not align to tokens, or that the flat layer cannot hold, go to ``report``.
    """
    tokenization = tokenizer(record.text)
    report.tokenizer = tokenization.tokenizer
    tokens = list(tokenization.tokens)
    bounds = TokenBounds(tokens)
    aligned: dict[str, tuple[int, int]] = {}
    for span in record.spans:
        where = bounds.token_range(span.start, span.end)
        if where is None:
            report.drop(record.id, span.id, span.start, span.end, span.label, DropReason.UNALIGNED)
        else:
            aligned[span.id] = where
    kept, dropped = flat_layer(s for s in record.spans if s.id in aligned)
    for span, reason in dropped:
        report.drop(record.id, span.id, span.start, span.end, span.label, reason)
    return tokens, [(span, *aligned[span.id]) for span in kept]


def document_lines(record: DocumentRecord, report: ExportReport, tokenizer: Tokenizer) -> list[str]:
    """The lines of one document (without line ends), recording what is left out."""
    tokens, layer = token_layer(record, report, tokenizer)
    tags = ["O"] * len(tokens)
    inside: set[int] = set()
    for span, first, stop in layer:
        label = _tag_label(span.label)
        if label != span.label:
            report.warn(f"label {span.label!r} written as {label!r}", record.id)
        tags[first] = f"B-{label}"
        for i in range(first + 1, stop):
            tags[i] = f"I-{label}"
            inside.add(i)
        report.keep(span.label)
    starts = set(sentence_starts(record.text, tokens, inside))
    lines = [DOCSTART, ""]
    for i, ((start, end), tag) in enumerate(zip(tokens, tags, strict=True)):
        if i in starts and i:
            lines.append("")
        token = record.text[start:end]
        if token == "-DOCSTART-":
            report.warn(f"the token -DOCSTART- at {start} will read as a document break", record.id)
        lines.append(f"{token}\t{tag}")
    if tokens:
        lines.append("")
    return lines


def write(
    records: Iterable[DocumentRecord], out: IO[str], *, tokenizer: Tokenizer = tokenize
) -> ExportReport:
    """Write documents as IOB2 lines to a text stream; return what was written and left out."""
    report = ExportReport(FORMAT_NAME)
    for record in records:
        for line in document_lines(record, report, tokenizer):
            out.write(line)
            out.write("\n")
        report.documents += 1
    return report


def export(
    records: Iterable[DocumentRecord], path: Path, *, tokenizer: Tokenizer = tokenize
) -> ExportReport:
    """Write documents to a UTF-8 CoNLL file at ``path`` (``\\n`` line ends)."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        return write(records, out, tokenizer=tokenizer)


class _Document:
    """Tokens and spans of the document being read, with the text built so far."""

    def __init__(self, number: int, line: int | None) -> None:
        self.number = number
        self.line = line
        self.pieces: list[str] = []
        self.length = 0
        self.spans: list[tuple[int, int, str]] = []
        self.open: tuple[int, int, str] | None = None
        """The span being read: start, end so far and label."""
        self.sentence_open = False

    def add(self, token: str, tag: str) -> str | None:
        """Append a token; return what is wrong with its tag, or None."""
        if self.pieces:
            separator = " " if self.sentence_open else "\n"
            self.pieces.append(separator)
            self.length += 1
        start = self.length
        self.pieces.append(token)
        self.length += len(token)
        self.sentence_open = True
        if tag == "O":
            self.close()
            return None
        match = _TAG.fullmatch(tag)
        if match is None:
            return f"{tag!r} is not an IOB2 tag (O, B-LABEL or I-LABEL)"
        prefix, label = match.groups()
        if prefix == "B":
            self.close()
            self.open = (start, self.length, label)
        elif self.open is None or self.open[2] != label:
            return f"{tag} does not follow a B-{label} or I-{label} tag in the same sentence"
        else:
            self.open = (self.open[0], self.length, label)
        return None

    def close(self) -> None:
        if self.open is not None:
            self.spans.append(self.open)
            self.open = None

    def end_sentence(self) -> None:
        self.close()
        self.sentence_open = False

    def record(self, path: Path) -> DocumentRecord:
        self.close()
        text = canonical_text("".join(self.pieces), str(path), self.line)
        return DocumentRecord(
            id=f"{path.stem}-{self.number}",
            text=text,
            meta={"title": first_line_title(text), "file": path.name, "document": self.number},
            spans=tuple(
                SpanRecord(id=str(i), start=start, end=end, label=label, text=text[start:end])
                for i, (start, end, label) in enumerate(self.spans, start=1)
            ),
            source=str(path),
            line=self.line,
        )


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the documents of an IOB2 file, raising ``InputError`` at the first bad line.

    A document with no tokens is skipped with a warning in ``report``.
    """
    report = report if report is not None else ReadReport(FORMAT_NAME)
    source = str(path)
    count = 0
    with open_file(path, MAX_FILE_BYTES) as handle:
        document = _Document(1, None)
        for number, raw in lines(handle, MAX_DOCUMENT_BYTES, source):
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", source=source, line=number
                ) from None
            if not line.strip():
                document.end_sentence()
                continue
            if line.split()[0] == "-DOCSTART-":
                if document.pieces:
                    count += 1
                    report.documents += 1
                    yield document.record(path)
                elif document.line is not None:
                    report.warn("a document with no tokens was skipped", source, document.line)
                document = _Document(document.number + (1 if document.pieces else 0), number)
                continue
            columns = line.split("\t") if "\t" in line else line.split(" ")
            if len(columns) != 2:
                raise InputError(
                    f"expected 2 columns (token, tag), found {len(columns)}",
                    source=source,
                    line=number,
                )
            token, tag = columns
            if not token:
                raise InputError("empty token", source=source, line=number)
            problem = document.add(token, tag)
            if problem is not None:
                raise InputError(problem, source=source, line=number)
        if document.pieces:
            count += 1
            report.documents += 1
            yield document.record(path)
        elif document.line is not None:
            report.warn("a document with no tokens was skipped", source, document.line)
    if not count:
        raise InputError("the file holds no tokens", source=source)
