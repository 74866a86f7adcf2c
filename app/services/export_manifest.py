"""The manifest an export writes beside its files, and the report it states.

Every export writes a manifest: ``NAME.manifest.json`` beside a single file, or
``manifest.json`` inside the folder of a folder format or of a split export. It states the
Glossa version, the format and its offset unit, the tokenizer, the selection and split (with
its seed), the document ids of each split, span counts per label (written, and left out with
the reason), the relations kept and left out, the first 1,000 spans the format left out one by
one, and the label schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import app
from app.formats import ExportReport, Format
from app.services.selection import Selection, SelectionReport, Split
from app.services.workspace import Workspace

MANIFEST = "manifest.json"
PIECES = "pieces"
COVER = "cover"
FRAGMENT_CHOICES = (PIECES, COVER)
"""How a discontinuous span is written by a format that cannot hold one."""
ALL = "all"
"""The name of the one part of an export without a split."""
LISTED_DROPS = 1000
"""Spans the format left out that the manifest lists one by one (all are counted)."""


@dataclass
class DatasetExport(ExportReport):
    """What an export wrote: the format's reports over every file, and the selection's."""

    selection: SelectionReport = field(default_factory=SelectionReport)
    fragments: str = PIECES
    """How discontinuous spans were asked to be written: ``pieces`` or ``cover``."""
    covered: int = 0
    """Discontinuous spans written as their covering range."""
    splits: dict[str, list[str]] = field(default_factory=dict)
    """Document ids per split (one part, ``all``, without a split)."""
    manifest: Path | None = None
    """Where the manifest was written."""

    def absorb(self, part: ExportReport) -> None:
        """Add the report of one written file."""
        self.documents += part.documents
        self.kept.update(part.kept)
        self.dropped.extend(part.dropped)
        self.warnings.extend(part.warnings)
        self.tokenizer = part.tokenizer or self.tokenizer

    def label_counts(self) -> dict[str, dict[str, Any]]:
        """Per label: spans written, and spans left out per reason (selection and format)."""
        left_out: dict[str, dict[str, int]] = {}
        for label, reasons in self.selection.spans_left_out.items():
            left_out.setdefault(label, {}).update(reasons)
        for label, by_reason in self.dropped_counts().items():
            for reason, count in by_reason.items():
                found = left_out.setdefault(label, {})
                found[reason.value] = found.get(reason.value, 0) + count
        labels = sorted(set(self.kept) | set(left_out))
        return {
            label: {"written": self.kept.get(label, 0), "left_out": left_out.get(label, {})}
            for label in labels
        }

    def lines(self) -> list[str]:
        """What a terminal shows after the export."""
        lines = []
        if len(self.splits) > 1 or ALL not in self.splits:
            parts = ", ".join(f"{name} {len(ids)}" for name, ids in self.splits.items())
            lines.append(f"documents per split: {parts}")
        written = ", ".join(f"{label} {n}" for label, n in sorted(self.kept.items()) if n)
        lines.append(f"spans written: {written or 'none'}")
        for label, counts in self.label_counts().items():
            for reason, count in sorted(counts["left_out"].items()):
                lines.append(f"left out {count} {label} span(s): {reason}")
        if self.selection.relations_kept or self.selection.relations_left_out:
            lines.append(f"relations selected: {self.selection.relations_kept}")
        for reason, count in sorted(self.selection.relations_left_out.items()):
            lines.append(f"left out {count} relation(s): {reason}")
        for reason, count in sorted(self.selection.documents_left_out.items()):
            lines.append(f"left out {count} document(s): {reason}")
        if self.tokenizer:
            lines.append(f"tokens from: {self.tokenizer}")
        lines.extend(warning.describe() for warning in self.warnings)
        if self.manifest is not None:
            lines.append(f"manifest: {self.manifest}")
        return lines


def manifest_name(out: Path) -> str:
    """The name of the manifest beside the single file ``out``."""
    return f"{out.name}.manifest.json"


def files_of(written: Path) -> list[str]:
    """What the export holds, relative to its root (one name for a single file)."""
    if written.is_file():
        return [written.name]
    return sorted(p.relative_to(written).as_posix() for p in written.rglob("*") if p.is_file())


def manifest(
    workspace: Workspace,
    fmt: Format,
    selection: Selection,
    split: Split | None,
    status_of: str,
    result: DatasetExport,
    files: list[str],
) -> dict[str, Any]:
    """The manifest of an export: what ``result`` holds, and how it was asked for."""
    return {
        "glossa_version": app.__version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "format": fmt.name,
        "offset_unit": fmt.offset_unit,
        "tokenizer": result.tokenizer or None,
        "files": files,
        "selection": selection.describe(status_of),
        "split": split.describe() if split else None,
        "documents": result.splits,
        "counts": {
            "documents": {name: len(ids) for name, ids in result.splits.items()},
            "documents_left_out": dict(sorted(result.selection.documents_left_out.items())),
            "labels": result.label_counts(),
            "relations": {
                "selected": result.selection.relations_kept,
                "left_out": dict(sorted(result.selection.relations_left_out.items())),
            },
        },
        "left_out_by_format": [
            {
                "document": d.document,
                "span": d.span,
                "start": d.start,
                "end": d.end,
                "label": d.label,
                "reason": d.reason.value,
            }
            for d in result.dropped[:LISTED_DROPS]
        ],
        "left_out_by_format_total": len(result.dropped),
        "discontinuous_spans": {
            "written_as": "covering range" if result.fragments == COVER else "pieces",
            "covered": result.covered,
        },
        "warnings": [w.describe() for w in result.warnings],
        "schema": workspace.schema.to_dict(),
    }


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> None:
    """Write a manifest as indented JSON (UTF-8, one newline at the end)."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        json.dump(manifest, out, ensure_ascii=False, indent=2)
        out.write("\n")
