"""What an export left out and what an import skipped, for the user to read.

Formats such as CoNLL or a spaCy ``doc.ents`` layer hold fewer annotations than Glossa does
(one flat layer of token-aligned spans). Nothing is dropped silently: every span a writer
leaves out is recorded here with its reason, and every line a reader skips is a warning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.errors import InputError


class DropReason(StrEnum):
    """Why a span is missing from an export."""

    NESTED = "nested inside a kept span"
    OVERLAPPING = "overlaps a kept span"
    SAME_EXTENT = "same extent as a kept span"
    UNALIGNED = "does not start and end on token boundaries"
    EMPTY = "covers only white space"


@dataclass(frozen=True)
class DroppedSpan:
    """One span left out of an export, and why."""

    document: str
    span: str
    start: int
    end: int
    label: str
    reason: DropReason


@dataclass(frozen=True)
class Notice:
    """Something a reader or writer skipped; ``line`` is 1-based when known."""

    message: str
    source: str = ""
    line: int | None = None

    def describe(self) -> str:
        """Return ``file:line: message`` with whatever location is known."""
        where = self.source
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ExportReport:
    """Filled by a writer while it runs: counts of what went out and what was left out."""

    format: str
    tokenizer: str = ""
    """The tokenizer that decided token boundaries, empty when the format has no tokens."""
    documents: int = 0
    kept: Counter[str] = field(default_factory=Counter)
    """Spans written, per label."""
    dropped: list[DroppedSpan] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)

    def keep(self, label: str, count: int = 1) -> None:
        """Count ``count`` spans of ``label`` as written."""
        self.kept[label] += count

    def drop(
        self, document: str, span: str, start: int, end: int, label: str, reason: DropReason
    ) -> None:
        """Record a span that the format cannot hold."""
        self.dropped.append(DroppedSpan(document, span, start, end, label, reason))

    def warn(self, message: str, source: str = "", line: int | None = None) -> None:
        """Record something written differently from how Glossa holds it."""
        self.warnings.append(Notice(message, source, line))

    def dropped_counts(self) -> dict[str, dict[DropReason, int]]:
        """Dropped spans per label, then per reason."""
        counts: dict[str, dict[DropReason, int]] = {}
        for item in self.dropped:
            per_reason = counts.setdefault(item.label, {})
            per_reason[item.reason] = per_reason.get(item.reason, 0) + 1
        return counts

    def summary(self) -> list[str]:
        """Human-readable lines: what was written, then what was left out and why."""
        lines = [f"{self.format}: {self.documents} document(s), {self.kept.total()} span(s)"]
        if self.tokenizer:
            lines.append(f"tokens from: {self.tokenizer}")
        for label, reasons in sorted(self.dropped_counts().items()):
            for reason, count in sorted(reasons.items()):
                lines.append(f"left out {count} {label} span(s): {reason}")
        lines.extend(w.describe() for w in self.warnings)
        return lines


@dataclass
class ReadReport:
    """Filled by a reader while it runs: lines it skipped and why."""

    format: str
    documents: int = 0
    warnings: list[Notice] = field(default_factory=list)
    extractor: str = ""
    """The program that found the text, when the format leaves a choice (a web page's
    article text: trafilatura, or Glossa's own reader); empty otherwise."""
    refused: list[InputError] = field(default_factory=list)
    """Documents of a folder format left out for a fault of their own; the rest are read."""
    unknown: Counter[str] = field(default_factory=Counter)
    """Keys the reader does not know, as ``where.key`` (``span.prob``), and how often met."""
    unknown_first: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    """Where each unknown key was first met: its line, and the record in the line when the
    format has several (``tasks[3].annotations[0]``)."""

    def warn(self, message: str, source: str = "", line: int | None = None) -> None:
        """Record a line or file that was read but not imported."""
        self.warnings.append(Notice(message, source, line))

    def unknown_key(
        self, key: str, where: str = "", line: int | None = None, record: str = ""
    ) -> None:
        """Count a key that was read but means nothing here (``where``: ``span``, ...), met
        on ``line`` in ``record`` (when known)."""
        name = f"{where}.{key}" if where else key
        self.unknown[name] += 1
        self.unknown_first.setdefault(name, (line, record))

    def unknown_notices(self, source: str = "") -> list[Notice]:
        """One warning per unknown key, with how often it was met and where first."""
        notices = []
        for key, count in sorted(self.unknown.items()):
            line, record = self.unknown_first.get(key, (None, ""))
            first = f"; first in {record}" if record else ""
            message = f"unknown key {key!r} ignored ({count} time(s){first})"
            notices.append(Notice(message, source, line))
        return notices

    def summary(self) -> list[str]:
        """Human-readable lines: how many documents, the extractor, then every warning and
        refusal."""
        lines = [f"{self.format}: {self.documents} document(s)"]
        if self.extractor:
            lines.append(f"text from: {self.extractor}")
        lines.extend(w.describe() for w in (*self.warnings, *self.unknown_notices()))
        lines.extend(f"refused: {error.describe()}" for error in self.refused)
        return lines
