"""CoNLL-style IOB2 files: one ``token<TAB>tag`` line per token, as seqeval and ``datasets`` read.

Layout of a written file::

    -DOCSTART- -X- O O
    <blank line>
    Lindqvist<TAB>B-PERSON
    said<TAB>O
    <blank line between sentences>
    ...

Tags are strict IOB2: ``B-LABEL`` opens a span, ``I-LABEL`` continues it, ``O`` is outside.

Writing. A document imported from a CoNLL file keeps that file's tokens and sentences in its
meta (``SOURCE_TOKENS``, see ``source_tokens``), and they are written back as they were, so a
corpus round-trips token for token. Other documents get tokens from ``app.formats.tokens``
(spaCy's tokenizer when installed, else the regular expression; the report names it), and
their sentences end at a line break, and after a token ending in ``.``, ``!`` or ``?``
followed by a space and a token that starts with an upper-case letter. Either way a kept span
always stays in one sentence. The other columns such a file had (POS, chunks, lemmas; kept
in the meta under ``SOURCE_COLUMNS``) are written back between the token and the tag, in
their order, so ``token POS chunk NER`` comes back as it was. The file holds one
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
from app.formats.conll_reading import SOURCE_COLUMNS, SOURCE_TOKENS, read
from app.formats.report import DropReason, ExportReport
from app.formats.tokens import Token, TokenBounds, Tokenizer, flat_layer, tokenize

DOCSTART = "-DOCSTART- -X- O O"
FORMAT_NAME = "conll"
_SENTENCE_END = ".!?"
_BREAKS = re.compile(r"[\t\n\r]")
"""What a kept column value may not hold: it would break the line or its columns."""
SOURCE_TOKENIZER = "the tokens and sentences of the CoNLL file each document was imported from"


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


def source_tokens(record: DocumentRecord) -> tuple[list[Token], list[int]] | None:
    """The tokens of the CoNLL file ``record`` was imported from, and the index of the first
    token of each of its sentences; None when the record has none kept (``SOURCE_TOKENS`` in
    its meta) or when they do not fit its text (single spaces between tokens, ``\\n`` between
    sentences, nothing after)."""
    sentences = record.meta.get(SOURCE_TOKENS)
    if not isinstance(sentences, list) or not sentences:
        return None
    text = record.text
    tokens: list[Token] = []
    firsts: list[int] = []
    position = 0
    for lengths in sentences:
        if not isinstance(lengths, list) or not lengths:
            return None
        if tokens:
            if text[position : position + 1] != "\n":
                return None
            position += 1
        firsts.append(len(tokens))
        for i, length in enumerate(lengths):
            if type(length) is not int or length <= 0:
                return None
            if i:
                if text[position : position + 1] != " ":
                    return None
                position += 1
            tokens.append((position, position + length))
            position += length
    return (tokens, firsts) if position == len(text) else None


def source_columns(record: DocumentRecord, sentences: list[list[int]]) -> list[list[str]]:
    """The other columns of the CoNLL file ``record`` was imported from, in their order: for
    each, its value at every token. Empty when there are none, or when they do not fit the
    tokens kept with the record (``sentences``: the token lengths of each sentence)."""
    kept = record.meta.get(SOURCE_COLUMNS)
    if not isinstance(kept, dict) or not kept:
        return []
    columns: list[tuple[int, list[str]]] = []
    for number, by_sentence in kept.items():
        if not str(number).isdigit() or not isinstance(by_sentence, list):
            return []
        if len(by_sentence) != len(sentences):
            return []
        values: list[str] = []
        for sentence, lengths in zip(by_sentence, sentences, strict=True):
            if not isinstance(sentence, list) or len(sentence) != len(lengths):
                return []
            if not all(isinstance(v, str) and not _BREAKS.search(v) for v in sentence):
                return []
            values.extend(sentence)
        columns.append((int(number), values))
    return [values for _, values in sorted(columns, key=lambda column: column[0])]


def _name_tokenizer(report: ExportReport, name: str) -> None:
    if not report.tokenizer:
        report.tokenizer = name
    elif name not in report.tokenizer.split("; "):
        report.tokenizer = f"{report.tokenizer}; {name}"


def token_layer(
    record: DocumentRecord, report: ExportReport, tokenizer: Tokenizer
) -> tuple[list[Token], list[tuple[SpanRecord, int, int]]]:
    """Tokens of a document and its flat layer of token-aligned spans with their token ranges.

    Spans that do not align to tokens, or that the flat layer cannot hold, go to ``report``.
    """
    kept_tokens = source_tokens(record)
    if kept_tokens is None:
        tokenization = tokenizer(record.text)
        _name_tokenizer(report, tokenization.tokenizer)
        tokens = list(tokenization.tokens)
    else:
        _name_tokenizer(report, SOURCE_TOKENIZER)
        tokens = kept_tokens[0]
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
    kept_tokens = source_tokens(record)
    extra: list[list[str]] = []
    if kept_tokens is not None:
        extra = source_columns(record, record.meta[SOURCE_TOKENS])
        # the file's own sentences, except that a span written here stays in one sentence
        starts = set(kept_tokens[1]) - inside
        if len(starts) < len(kept_tokens[1]):
            report.warn("sentences of the source file joined to keep a span whole", record.id)
    else:
        starts = set(sentence_starts(record.text, tokens, inside))
    lines = [DOCSTART, ""]
    for i, ((start, end), tag) in enumerate(zip(tokens, tags, strict=True)):
        if i in starts and i:
            lines.append("")
        token = record.text[start:end]
        if token == "-DOCSTART-":
            report.warn(f"the token -DOCSTART- at {start} will read as a document break", record.id)
        lines.append("\t".join((token, *(values[i] for values in extra), tag)))
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
