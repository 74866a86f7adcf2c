"""``glossa suggest``: the project's suggesters over its documents, written as JSONL."""

from __future__ import annotations

import argparse

from app.cli.terminal import show
from app.core.errors import GlossaError
from app.services.suggesting import chosen_documents, write_suggestions


def suggest_command(args: argparse.Namespace) -> int:
    """``glossa suggest [--with NAME,...] [--documents all|unfinished|ID,...] --out FILE``."""
    # loaded here: app.cli.commands, which holds ``opened``, imports this module
    from app.cli.commands import opened

    if args.out is None:
        raise GlossaError(
            "suggestions are written to a file for now: give --out FILE (native JSONL, "
            "importable with glossa import, the database left as it is)"
        )
    names = [name.strip() for name in args.suggesters.split(",")] if args.suggesters else None
    with opened(args, reading=True) as workspace:
        documents = chosen_documents(workspace, args.documents)
        written, spans = write_suggestions(workspace, args.out, documents, names)
    show(f"wrote {spans} suggested span(s) in {written} document(s) to {args.out}")
    return 0
