"""``glossa costs``: the cost ledger, seconds per span by label, annotator and way made."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.terminal import show
from app.core.errors import InputError
from app.core.ledger import ledger_csv

if TYPE_CHECKING:
    from app.services.costs import CostReport


def add_costs_parser(
    commands: argparse._SubParsersAction[Any], shared: argparse.ArgumentParser
) -> None:
    """The ``costs`` subcommand's arguments."""
    parser = commands.add_parser(
        "costs",
        parents=[shared],
        help="the cost ledger: seconds per span by label, annotator and how it was made",
        description=(
            "Read the event log and show, for each label, annotator and way a span was made "
            "(typed, accepted, accepted after fix, relabelled), how many spans and their "
            "active seconds each; the suggestion acceptance rate and the time suggestions "
            "saved. The database is only read."
        ),
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--csv", type=Path, metavar="FILE", help="also write every span and relation made as CSV"
    )


def costs_text(report: CostReport) -> str:
    """The ledger's sums as a table with its headline figures."""
    from app.cli.figures import grid  # the parser imports this module: no storage at start

    c = report.costs
    rows = [
        (row.label, row.annotator, row.made, row.count, f"{row.per_span:.1f}") for row in c.rows
    ]
    table = grid(("LABEL", "ANNOTATOR", "MADE", "SPANS", "SECONDS/SPAN"), rows, right={3, 4})
    rate = "-" if c.acceptance_rate is None else f"{c.acceptance_rate:.0%}"
    lines = [
        table if rows else "No spans made yet.",
        "",
        f"Suggestions accepted {c.accepted}, rejected {c.rejected} (acceptance {rate})",
        f"Time saved by suggestions: {c.seconds_saved / 60:.1f} min",
    ]
    return "\n".join(lines)


def costs_command(args: argparse.Namespace) -> int:
    """``glossa costs [--json] [--csv FILE]``."""
    from app.cli.commands import opened
    from app.services.costs import cost_report

    with opened(args, reading=True) as workspace:
        report = cost_report(workspace)
    if args.csv is not None:
        try:
            args.csv.write_text(ledger_csv(report.entries), encoding="utf-8")
        except OSError as error:
            raise InputError(f"{args.csv}: cannot write the ledger: {error.strerror}") from error
    if args.json:
        c = report.costs
        figures = {
            "rows": [
                {
                    "label": r.label,
                    "annotator": r.annotator,
                    "made": r.made,
                    "spans": r.count,
                    "seconds_per_span": round(r.per_span, 2),
                }
                for r in c.rows
            ],
            "accepted": c.accepted,
            "rejected": c.rejected,
            "acceptance_rate": c.acceptance_rate,
            "seconds_saved": round(c.seconds_saved, 1),
        }
        show(json.dumps(figures, ensure_ascii=False, indent=2), json=True)
    else:
        show(costs_text(report))
    return 0
