"""``glossa train``: the project's model trained, its held-out figures printed."""

from __future__ import annotations

import argparse

from app.cli.terminal import show, table
from app.services.training import model_folder, train

HEADERS = ("LABEL", "HELD-OUT", "P", "R", "F1", "BASE P", "BASE R", "BASE F1")


def train_command(args: argparse.Namespace) -> int:
    """``glossa train [--annotator NAME | --layer gold] [--base PIPELINE] [--passes N]``."""
    # loaded here: app.cli.commands, which holds ``opened``, imports this module
    from app.cli.commands import opened

    with opened(args, reading=True) as workspace:
        card = train(
            workspace,
            args.annotator,
            gold=args.layer == "gold",
            base=args.base or "",
            passes=args.passes,
        )
        folder = model_folder(workspace)
    show(card.describe())
    show("held-out figures (exact spans, %), against the most-frequent-label baseline:")
    show(table(HEADERS, card.rows(), right=set(range(1, len(HEADERS)))))
    show(f"confidence bands (held out): {card.bands()}")
    if card.dropped_spans:
        show(f"note: {card.dropped_spans} nested or overlapping span(s) were left out")
    show(f"saved in {folder}")
    return 0
