"""The headless commands. Each takes the parsed arguments and returns the exit status."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.cli.costs import costs_command
from app.cli.figures import agreement_text, statistics_text
from app.cli.revising import preview_clean_command, revise_command
from app.cli.schema_commands import schema_command
from app.cli.suggesting import suggest_command
from app.cli.terminal import Progress, show, table
from app.cli.training import train_command
from app.core.errors import GlossaError, StorageError
from app.formats import FORMATS
from app.services import Workspace, documents
from app.services.agreement import agreement
from app.services.checking import check, file_damage
from app.services.exporting import export
from app.services.importing import TagChoices, import_paths
from app.services.live import mask_password
from app.services.merge_sources import is_database
from app.services.merging import merge_files, merge_path
from app.services.selection import Selection, Split
from app.services.statistics import statistics
from app.services.workspace import can_only_read

Command = Callable[[argparse.Namespace], int]


def _shown(target: str | None) -> str:
    """The database as a message may name it: a URL's password is masked."""
    target = target or os.environ.get("GLOSSA_DB") or "in the user data folder"
    return mask_password(target)


@contextmanager
def opened(args: argparse.Namespace, *, reading: bool = False) -> Iterator[Workspace]:
    """The workspace named by ``--db`` / ``--annotator``, without sample articles.

    A command that only ``reading`` opens a file it cannot write (a read-only file, folder
    or mount) for reading, instead of failing to set it up for writing.
    """
    try:
        read_only = reading and can_only_read(args.db)
        workspace = Workspace.open(
            args.db, args.annotator, samples=False, read_only=read_only, enlist=not reading
        )
    except StorageError as exc:
        raise GlossaError(f"cannot open the database {_shown(args.db)}: {exc.reason}") from exc
    try:
        yield workspace
    finally:
        workspace.close()


def import_command(args: argparse.Namespace) -> int:
    """``glossa import PATH... [--format NAME] [--tag-column N] [--scheme S] [--clean |
    --no-clean | --preview-clean]``."""
    if args.preview_clean:
        return preview_clean_command(args)
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    with opened(args) as workspace:
        try:
            report = import_paths(
                workspace,
                args.paths,
                format_name=args.format,
                progress=progress,
                tags=TagChoices(args.tag_column, args.scheme),
                clean=args.clean,
                strict_schema=args.strict_schema,
                text_field=args.text_field,
                label_field=args.label_field,
                as_annotator=args.as_annotator,
            )
        finally:
            if progress:
                progress.clear()
    for line in report.skipped:
        show(f"skipped: {line}", sys.stderr)
    for line in report.notes():
        show(f"note: {line}", sys.stderr)
    for line in report.warnings:
        show(f"warning: {line}", sys.stderr)
    for error in report.errors:
        show(f"error: {error.describe()}", sys.stderr)
    show(report.summary())
    return 0 if report.ok else 1


def list_command(args: argparse.Namespace) -> int:
    """``glossa list [--json]``."""
    with opened(args, reading=True) as workspace:
        summaries = documents.documents(workspace)
    if args.json:
        rows = [
            {
                "id": s.id,
                "title": s.title,
                "status": s.status.value,
                "span_count": s.span_count,
                "length": s.length,
            }
            for s in summaries
        ]
        show(json.dumps(rows, ensure_ascii=False, indent=2), json=True)
        return 0
    if not summaries:
        show("no documents")
        return 0
    show(
        table(
            ("ID", "STATUS", "SPANS", "LENGTH", "TITLE"),
            [(s.id, s.status.value, s.span_count, s.length, s.title) for s in summaries],
            right={0, 2, 3},
        )
    )
    return 0


def export_command(args: argparse.Namespace) -> int:
    """``glossa export --format NAME --out PATH [--status S] [--labels L] [--layer L]
    [--split a,b,c --seed N] [--fragments pieces|cover]``."""
    selection = Selection.parse(
        status=args.status,
        status_of=args.annotator,
        annotator=args.annotator,
        labels=args.labels,
        layer=args.layer,
    )
    if args.seed is not None and not args.split:
        raise GlossaError("--seed orders a split: give --split as well")
    if args.doccano_shape and args.format != "doccano":
        raise GlossaError("--doccano-shape is for --format doccano")
    if args.escape_formulas and args.format != "csv":
        raise GlossaError("--escape-formulas is for --format csv")
    format_name = "doccano-label" if args.doccano_shape == "label" else args.format
    format_name = "csv-escaped" if args.escape_formulas else format_name
    split = Split.parse(args.split, args.seed or 0) if args.split else None
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    with opened(args, reading=True) as workspace:
        try:
            report = export(
                workspace,
                format_name,
                args.out,
                selection=selection,
                split=split,
                progress=progress,
                fragments=args.fragments,
            )
        except OSError as exc:
            raise GlossaError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        finally:
            if progress:
                progress.clear()
    show(f"exported {report.documents} document(s) to {args.out}")
    for line in report.lines():
        show(line)
    return 0


def check_command(args: argparse.Namespace) -> int:
    """``glossa check``: exit status 1 when anything is inconsistent."""
    damaged = file_damage(args.db)
    if damaged is not None:
        for line in damaged.lines():
            show(line)
        show(f"{len(damaged.problems)} problem(s)")
        return 1
    with opened(args, reading=True) as workspace:
        problems = check(workspace)
        summaries = documents.documents(workspace)
    for problem in problems:
        show(problem)
    if problems:
        show(f"{len(problems)} problem(s)")
        return 1
    spans = sum(s.span_count for s in summaries)
    show(f"ok: {len(summaries)} documents, {spans} spans checked")
    return 0


def agree_command(args: argparse.Namespace) -> int:
    """``glossa agree [--annotators A,B] [--labels L1,L2] [--json]``."""
    with opened(args, reading=True) as workspace:
        report = agreement(workspace, args.annotators, args.labels)
    if args.json:
        show(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), json=True)
    else:
        show(agreement_text(report))
    return 0


def stats_command(args: argparse.Namespace) -> int:
    """``glossa stats [--json]``."""
    with opened(args, reading=True) as workspace:
        figures = statistics(workspace)
    if args.json:
        show(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2), json=True)
    else:
        show(statistics_text(figures))
    return 0


def merge_command(args: argparse.Namespace) -> int:
    """``glossa merge PATH [PATH...] [--as NAME] [--documents add|skip]``."""
    sources = [str(args.source), *(str(path) for path in args.more)]
    if len(sources) > 1 and any(is_database(source) for source in sources):
        raise GlossaError(
            "a database is merged on its own; several sources are merged only as files "
            "or folders of exports"
        )
    with opened(args) as workspace:
        if len(sources) > 1:
            report = merge_files(
                workspace,
                [Path(source) for source in sources],
                as_annotator=args.as_annotator,
                documents=args.documents,
            )
        else:
            report = merge_path(
                workspace,
                args.source,
                as_annotator=args.as_annotator,
                documents=args.documents,
            )
    for line in report.lines():
        show(line)
    return 0


def formats_command(args: argparse.Namespace) -> int:
    """``glossa formats``: what each registered format can do."""
    rows = []
    for name, fmt in FORMATS.items():
        can = ", ".join(
            word for word, able in (("import", fmt.read), ("export", fmt.export)) if able
        )
        rows.append((name, can, " ".join(fmt.suffixes), fmt.description))
    show(table(("FORMAT", "CAN", "FILES", "DESCRIPTION"), rows, right=set()))
    return 0


COMMANDS: dict[str, Command] = {
    "import": import_command,
    "list": list_command,
    "export": export_command,
    "check": check_command,
    "agree": agree_command,
    "stats": stats_command,
    "merge": merge_command,
    "formats": formats_command,
    "revise": revise_command,
    "suggest": suggest_command,
    "train": train_command,
    "schema": schema_command,
    "costs": costs_command,
}
