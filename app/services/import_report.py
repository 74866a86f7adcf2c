"""What an import did, file by file, and how it was asked to read tag columns."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.core.errors import InputError
from app.core.schema_growth import SchemaGrowth


@dataclass(frozen=True)
class TagChoices:
    """How to read tag columns instead of detecting it (``glossa import --tag-column
    --scheme``): the tag column counted from 1, and the tag scheme."""

    tag_column: int | None = None
    scheme: str | None = None

    def __bool__(self) -> bool:
        return self.tag_column is not None or self.scheme is not None


@dataclass
class ImportReport:
    """What an import did, file by file."""

    imported: list[str] = field(default_factory=list)
    """Titles of the documents added."""
    spans: int = 0
    skipped: list[str] = field(default_factory=list)
    """One line per document left out on purpose (already in the database)."""
    errors: list[InputError] = field(default_factory=list)
    """One error per file that was not imported at all."""
    warnings: list[str] = field(default_factory=list)
    """Lines of a file that were read but left out (e.g. brat events), with file and line."""
    annotated: int = 0
    """Documents already present that a file brought another annotator's layer to."""
    schema_added: dict[str, list[str]] = field(default_factory=dict)
    """What the files brought into the label schema: ``added labels`` -> names, ..."""
    extractors: Counter[str] = field(default_factory=Counter)
    """Web pages imported, per program that found their text (trafilatura or Glossa's)."""
    cancelled: int = 0
    """Files left out because the import was cancelled (the one being read among them)."""

    def note_growth(self, growth: SchemaGrowth) -> None:
        """Count what one file added to the schema."""
        for line in growth.lines():
            what, _, names = line.partition(": ")
            self.schema_added.setdefault(what, []).extend(names.split(", "))

    def notes(self) -> list[str]:
        """How the files were read, one line each: which program found web pages' text."""
        return [
            f"HTML text extracted by {name} ({count} file(s))"
            for name, count in sorted(self.extractors.items())
        ]

    @property
    def ok(self) -> bool:
        """True when no file was refused."""
        return not self.errors

    def summary(self) -> str:
        """One line for a status bar or a terminal."""
        parts = [f"imported {len(self.imported)} document(s) with {self.spans} span(s)"]
        if self.annotated:
            parts.append(f"annotated {self.annotated} already present")
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)} already present")
        if self.errors:
            parts.append(f"{len(self.errors)} file(s) refused")
        if self.cancelled:
            parts.append(f"{self.cancelled} file(s) not imported (cancelled)")
        line = ", ".join(parts)
        for what, names in self.schema_added.items():
            line += f"; {what}: {', '.join(names)}"
        return line
