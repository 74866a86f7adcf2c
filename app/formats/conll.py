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

Reading is ``app.formats.conll_reading``: any CoNLL-style layout and tag scheme.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from app.core.records import DocumentRecord, SpanRecord
from app.formats.conll_reading import read
from app.formats.report import DropReason, ExportReport
from app.formats.tokens import Token, TokenBounds, Tokenizer, flat_layer, tokenize

DOCSTART = "-DOCSTART- -X- O O"
FORMAT_NAME = "conll"
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


__all__ = ["DOCSTART", "FORMAT_NAME", "export", "read", "write"]
