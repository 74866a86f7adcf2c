"""``glossa suggest``: the project's suggesters over its documents, stored as pending
suggestions for annotators, or written as JSONL with ``--out``."""

from __future__ import annotations

import argparse

from app.cli.terminal import show
from app.services.pending import store_suggestions
from app.services.suggesting import chosen_documents, write_suggestions


def suggest_command(args: argparse.Namespace) -> int:
    """``glossa suggest [--with NAME,...] [--documents all|unfinished|ID,...] [--out FILE]``."""
    # loaded here: app.cli.commands, which holds ``opened``, imports this module
    from app.cli.commands import opened

    names = [name.strip() for name in args.suggesters.split(",")] if args.suggesters else None
    if args.out is None:
        with opened(args) as workspace:
            documents = chosen_documents(workspace, args.documents)
            stored = store_suggestions(workspace, documents, names)
        show(
            f"stored {stored.suggestions} pending suggestion(s) ({stored.spans} span(s)) in "
            f"{stored.documents} document(s); annotators accept them in the article (Enter)"
        )
        return 0
    with opened(args, reading=True) as workspace:
        documents = chosen_documents(workspace, args.documents)
        written, spans = write_suggestions(workspace, args.out, documents, names)
    show(f"wrote {spans} suggested span(s) in {written} document(s) to {args.out}")
    return 0
