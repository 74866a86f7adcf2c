"""What a merge did, for the user to read."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.core.schema_growth import SchemaGrowth
from app.services.changes import ChangeSet


@dataclass
class MergeReport:
    """What a merge did."""

    source: str
    documents_matched: int = 0
    documents_added: int = 0
    documents_skipped: int = 0
    spans: Counter[str] = field(default_factory=Counter)
    """Spans added per annotator."""
    relations: Counter[str] = field(default_factory=Counter)
    """Relations added per annotator."""
    already_present: int = 0
    """Spans and relations of the source that were here already, so not added again."""
    statuses: int = 0
    """Document statuses moved forward."""
    problems: list[str] = field(default_factory=list)
    """One line per thing left out, with the reason."""
    schema_growth: SchemaGrowth = field(default_factory=SchemaGrowth)
    """What the merge added to the label schema (see ``merge_documents``)."""
    warnings: list[str] = field(default_factory=list)
    """What the source's files held that was read but not taken, naming file and line."""

    @property
    def changes(self) -> ChangeSet:
        """What the views should refresh: the document list and any open document."""
        return ChangeSet(documents=True, entities=True)

    def summary(self) -> str:
        """One line for a status bar or a terminal."""
        parts = [
            f"merged {sum(self.spans.values())} span(s) and "
            f"{sum(self.relations.values())} relation(s) from {self.source}",
            f"{self.documents_matched} document(s) matched",
            f"{self.documents_added} added",
        ]
        if self.documents_skipped:
            parts.append(f"{self.documents_skipped} skipped")
        if self.already_present:
            parts.append(f"{self.already_present} annotation(s) already here")
        if self.problems:
            parts.append(f"{len(self.problems)} problem(s)")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        return ", ".join(parts)

    def lines(self) -> list[str]:
        """The summary, then the figures per annotator, then every problem."""
        lines = [self.summary()]
        for name in sorted(set(self.spans) | set(self.relations)):
            lines.append(
                f"  {name}: {self.spans[name]} span(s), {self.relations[name]} relation(s)"
            )
        if self.statuses:
            lines.append(f"  {self.statuses} document status(es) moved forward")
        lines.extend(f"  left out: {problem}" for problem in self.problems)
        lines.extend(f"  warning: {warning}" for warning in self.warnings)
        lines.extend(f"  {line}" for line in self.schema_growth.lines())
        return lines
