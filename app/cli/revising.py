"""``glossa revise`` and ``glossa import --preview-clean``: revisions of scraped articles."""

from __future__ import annotations

import argparse
import json
import sys

from app.cli.terminal import show, table
from app.core.errors import GlossaError, InputError
from app.services.cleaning import preview
from app.services.revisions import find_document, revise


def preview_clean_command(args: argparse.Namespace) -> int:
    """``glossa import --preview-clean FILE...``: what the clean-up would do; nothing imported."""
    failed = False
    for path in args.paths:
        if not path.is_file():
            show(f"error: {path}: not a file", sys.stderr)
            failed = True
            continue
        try:
            found = preview(path)
        except InputError as exc:
            show(f"error: {exc.describe()}", sys.stderr)
            failed = True
            continue
        for record, cleanup in found:
            show(f"== {path}")
            show(f"title: {cleanup.title or '(none found)'}")
            show(f"title without clean-up: {record.title}")
            for key, value in sorted(cleanup.meta.items()):
                show(f"{key}: {value}")
            if not cleanup.changes:
                show("nothing to clean")
            for change in cleanup.changes:
                where = f"line {change.first}"
                if change.last != change.first:
                    where = f"lines {change.first}-{change.last}"
                show(f"- {where} ({change.reason}):")
                for line in change.before.split("\n"):
                    show(f"    - {line}")
                if change.after:
                    show(f"    + {change.after}")
            kept = len(cleanup.text)
            show(f"text: {len(record.text)} characters before, {kept} after")
    return 1 if failed else 0


def revise_command(args: argparse.Namespace) -> int:
    """``glossa revise DOCUMENT FILE [--json]``."""
    # loaded here: app.cli.commands, which holds ``opened``, imports this module
    from app.cli.commands import opened

    if not args.file.is_file():
        raise GlossaError(f"{args.file}: no such file")
    with opened(args) as workspace:
        document = find_document(workspace, args.document)
        report = revise(workspace, document, args.file, clean=args.clean)
    if args.json:
        show(json.dumps(report.as_json(), ensure_ascii=False, indent=2), json=True)
        return 0
    counts = report.counts()
    show(
        f"document {report.document} is the new version of document {report.revision_of}: "
        + ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
    )
    rows = [
        (
            span.id,
            span.new_id if span.new_id is not None else "-",
            span.outcome.value,
            span.label,
            span.annotator,
            span.text if len(span.text) <= 40 else span.text[:39] + "…",
        )
        for span in report.spans
    ]
    if rows:
        show(table(("SPAN", "NEW", "OUTCOME", "LABEL", "ANNOTATOR", "TEXT"), rows, right={0, 1}))
    left = [r for r in report.relations if r.new_id is None]
    for relation in left:
        show(
            f"relation {relation.id} ({relation.label}) not copied: "
            f"span {relation.head} or {relation.tail} is queued"
        )
    if counts["queued"]:
        show(
            "queued spans are kept in the new document's metadata under needs_reanchoring: "
            "place or drop them in the window (Review > Needs re-anchoring)"
        )
    return 0
