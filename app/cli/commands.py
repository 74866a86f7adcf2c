"""The headless commands. Each takes the parsed arguments and returns the exit status."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.cli.figures import agreement_text, statistics_text
from app.cli.terminal import Progress, table
from app.core.errors import GlossaError
from app.formats import FORMATS
from app.services import Workspace
from app.services.agreement import agreement
from app.services.checking import check, file_damage
from app.services.exporting import export
from app.services.importing import import_paths
from app.services.merging import merge_jsonl, merge_path
from app.services.selection import Selection, Split
from app.services.statistics import statistics
from app.store import is_storage_failure, mask_password

Command = Callable[[argparse.Namespace], int]


def _shown(target: str | None) -> str:
    """The database as a message may name it: a URL's password is masked."""
    target = target or os.environ.get("GLOSSA_DB") or "in the user data folder"
    return mask_password(target)


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Workspace]:
    """The workspace named by ``--db`` / ``--annotator``, without sample articles."""
    try:
        workspace = Workspace.open(args.db, args.annotator, samples=False)
    except Exception as exc:
        if not is_storage_failure(exc):
            raise
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise GlossaError(f"cannot open the database {_shown(args.db)}: {reason}") from exc
    try:
        yield workspace
    finally:
        workspace.close()


def import_command(args: argparse.Namespace) -> int:
    """``glossa import PATH... [--format NAME]``."""
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    with opened(args) as workspace:
        try:
            report = import_paths(workspace, args.paths, format_name=args.format, progress=progress)
        finally:
            if progress:
                progress.clear()
    for line in report.skipped:
        print(f"skipped: {line}", file=sys.stderr)
    for line in report.warnings:
        print(f"warning: {line}", file=sys.stderr)
    for error in report.errors:
        print(f"error: {error.describe()}", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1


def list_command(args: argparse.Namespace) -> int:
    """``glossa list [--json]``."""
    with opened(args) as workspace:
        summaries = workspace.documents()
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
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not summaries:
        print("no documents")
        return 0
    print(
        table(
            ("ID", "STATUS", "SPANS", "LENGTH", "TITLE"),
            [(s.id, s.status.value, s.span_count, s.length, s.title) for s in summaries],
            right={0, 2, 3},
        )
    )
    return 0


def export_command(args: argparse.Namespace) -> int:
    """``glossa export --format NAME --out PATH [--status S] [--labels L] [--layer L]
    [--split a,b,c --seed N]``."""
    selection = Selection.parse(
        status=args.status,
        status_of=args.annotator,
        annotator=args.annotator,
        labels=args.labels,
        layer=args.layer,
    )
    if args.seed is not None and not args.split:
        raise GlossaError("--seed orders a split: give --split as well")
    split = Split.parse(args.split, args.seed or 0) if args.split else None
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    with opened(args) as workspace:
        try:
            report = export(
                workspace,
                args.format,
                args.out,
                selection=selection,
                split=split,
                progress=progress,
            )
        except OSError as exc:
            raise GlossaError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        finally:
            if progress:
                progress.clear()
    print(f"exported {report.documents} document(s) to {args.out}")
    for line in report.lines():
        print(line)
    return 0


def check_command(args: argparse.Namespace) -> int:
    """``glossa check``: exit status 1 when anything is inconsistent."""
    damaged = file_damage(args.db)
    if damaged is not None:
        for line in damaged.lines():
            print(line)
        print(f"{len(damaged.problems)} problem(s)")
        return 1
    with opened(args) as workspace:
        problems = check(workspace)
        summaries = workspace.documents()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    spans = sum(s.span_count for s in summaries)
    print(f"ok: {len(summaries)} documents, {spans} spans checked")
    return 0


def agree_command(args: argparse.Namespace) -> int:
    """``glossa agree [--annotators A,B] [--labels L1,L2] [--json]``."""
    with opened(args) as workspace:
        report = agreement(workspace, args.annotators, args.labels)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(agreement_text(report))
    return 0


def stats_command(args: argparse.Namespace) -> int:
    """``glossa stats [--json]``."""
    with opened(args) as workspace:
        figures = statistics(workspace)
    if args.json:
        print(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(statistics_text(figures))
    return 0


def merge_command(args: argparse.Namespace) -> int:
    """``glossa merge PATH [PATH...] [--as NAME] [--documents add|skip]``."""
    if args.more:
        paths = [Path(args.source), *args.more]
        if not all(path.suffix.lower() == ".jsonl" for path in paths):
            raise GlossaError(
                "several sources are merged only as .jsonl files; merge a database on its own"
            )
    with opened(args) as workspace:
        if args.more:
            report = merge_jsonl(
                workspace, paths, as_annotator=args.as_annotator, documents=args.documents
            )
        else:
            report = merge_path(
                workspace,
                args.source,
                as_annotator=args.as_annotator,
                documents=args.documents,
            )
    for line in report.lines():
        print(line)
    return 0


def formats_command(args: argparse.Namespace) -> int:
    """``glossa formats``: what each registered format can do."""
    rows = []
    for name, fmt in FORMATS.items():
        can = ", ".join(
            word for word, able in (("import", fmt.read), ("export", fmt.export)) if able
        )
        rows.append((name, can, " ".join(fmt.suffixes), fmt.description))
    print(table(("FORMAT", "CAN", "FILES", "DESCRIPTION"), rows, right=set()))
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
}
