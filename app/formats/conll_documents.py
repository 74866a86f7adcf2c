"""The documents a CoNLL-style file is read into: text and spans built sentence by sentence.

Tokens are joined with single spaces and sentences with ``\\n``; a span's offsets are worked
out from the token lengths of its sentence, so a sentence costs a few joins and sums whatever
its length. What the reader could not read as it stands is counted in ``Losses``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate
from pathlib import Path

from app.core.records import DocumentRecord, SpanRecord
from app.core.text import canonical_text, first_line_title
from app.formats.report import ReadReport
from app.formats.tag_schemes import EXAMPLES_KEPT

SOURCE_TOKENS = "source_tokens"
"""Meta key of the token lengths (a list per sentence) of a document read from CoNLL."""
SOURCE_COLUMNS = "source_columns"
"""Meta key of the other columns' values per token: column number -> a list per sentence."""


class Document:
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
        self,
        tokens: Sequence[str],
        found: Sequence[Sequence[tuple[int, int, str]]],
        columns: dict[str, list[str]],
    ) -> None:
        """Append one sentence: its tokens, the chunks of each layer (``tag_schemes.chunks``)
        and the values of the other columns (by column number)."""
        if self.pieces:
            self.pieces.append("\n")
            self.length += 1
        base = self.length
        sentence = " ".join(tokens)
        self.pieces.append(sentence)
        self.length += len(sentence)
        lengths = list(map(len, tokens))
        if any(found):
            # token i starts after the i tokens and i spaces before it
            ends = list(accumulate(lengths))
            for layer in found:
                self.spans.extend(
                    (base + ends[a] - lengths[a] + a, base + ends[b - 1] + b - 1, kind)
                    for a, b, kind in layer
                )
        self.tokens.append(lengths)
        for number, values in columns.items():
            self.columns.setdefault(number, []).append(list(values))

    def record(self, path: Path) -> DocumentRecord:
        """The document read, with its spans in order (longest first where they start
        together)."""
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


class Losses:
    """Lines read differently from how they stand, counted with the first few line numbers."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.lines: dict[str, list[int]] = {}

    def add(self, what: str, line: int) -> None:
        """Count one line read differently (``what`` says how)."""
        self.counts[what] = self.counts.get(what, 0) + 1
        first = self.lines.setdefault(what, [])
        if len(first) < EXAMPLES_KEPT:
            first.append(line)

    def report(self, report: ReadReport, source: str) -> None:
        """One warning per kind of loss, naming the first lines."""
        for what, count in self.counts.items():
            shown = ", ".join(map(str, self.lines[what]))
            more = ", ..." if count > len(self.lines[what]) else ""
            report.warn(f"{count} {what} (lines {shown}{more})", source)
