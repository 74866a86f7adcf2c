"""``glossa suggest``: the project's suggesters over its documents, stored as pending
suggestions for annotators, or written as JSONL with ``--out``."""

from __future__ import annotations

import argparse
import sys

from app.cli.terminal import show
from app.services.pending import store_suggestions
from app.services.suggesting import chosen_documents, write_suggestions
from app.services.suggestion_settings import suggestion_settings


def _warn(line: str) -> None:
    show(f"warning: {line}", sys.stderr)


def suggest_command(args: argparse.Namespace) -> int:
    """``glossa suggest [--with NAME,...] [--documents all|unfinished|ID,...] [--out FILE]
    [--threshold CONFIDENCE]``: the project's suggestion settings (threshold, labels per
    suggester) apply; a suggester failing on a document is switched off for it, warned."""
    # loaded here: app.cli.commands, which holds ``opened``, imports this module
    from app.cli.commands import opened

    names = [name.strip() for name in args.suggesters.split(",")] if args.suggesters else None
    if args.out is None:
        with opened(args) as workspace:
            documents = chosen_documents(workspace, args.documents)
            settings = suggestion_settings(workspace).with_threshold(args.threshold)
            stored = store_suggestions(workspace, documents, names, settings, _warn)
        show(
            f"stored {stored.suggestions} pending suggestion(s) ({stored.spans} span(s)) in "
            f"{stored.documents} document(s); annotators accept them in the article (Enter)"
        )
        return 0
    with opened(args, reading=True) as workspace:
        documents = chosen_documents(workspace, args.documents)
        settings = suggestion_settings(workspace).with_threshold(args.threshold)
        written, spans = write_suggestions(workspace, args.out, documents, names, settings, _warn)
    show(f"wrote {spans} suggested span(s) in {written} document(s) to {args.out}")
    return 0
