"""``glossa schema show|import|add-label``: the label schema, headless."""

from __future__ import annotations

import argparse
import json

from app.cli.terminal import table
from app.core.schema import LabelSchema
from app.formats.declared import read_schema_file
from app.services import Workspace, schema_edits


def schema_command(args: argparse.Namespace) -> int:
    """``glossa schema show [--json]``, ``schema import FILE``, ``schema add-label NAME``."""
    from app.cli.commands import opened  # the command table imports this module

    with opened(args) as workspace:
        if args.schema_action == "show":
            if args.json:
                print(json.dumps(workspace.schema.to_dict(), ensure_ascii=False, indent=2))
            else:
                print(schema_text(workspace.schema))
            return 0
        if args.schema_action == "import":
            return _import(workspace, args)
        label = schema_edits.add_label(workspace, args.name, args.colour, args.key)
        key = label.hotkey or "no hotkey left"
        print(f"added label {label.name} ({label.colour}, {key})")
        return 0


def _import(workspace: Workspace, args: argparse.Namespace) -> int:
    growth = schema_edits.add_to_schema(workspace, read_schema_file(args.file))
    lines = growth.lines()
    for line in lines:
        print(line)
    if not lines:
        print(f"the schema already has everything {args.file} declares")
    return 0


def schema_text(schema: LabelSchema) -> str:
    """The schema as tables: labels, then relation types."""
    rows = [
        (
            label.name,
            label.colour,
            label.hotkey or "-",
            ", ".join(
                f"{a.name} ({a.kind}{': ' + '|'.join(a.values) if a.values else ''})"
                for a in label.attributes
            ),
        )
        for label in schema.labels
    ]
    parts = [
        f"schema {schema.name}: {len(schema.labels)} label(s), "
        f"{len(schema.relations)} relation type(s)",
        table(("LABEL", "COLOUR", "KEY", "ATTRIBUTES"), rows, right=set()),
    ]
    if schema.relations:
        relations = [
            (kind.name, " | ".join(kind.heads), " | ".join(kind.tails)) for kind in schema.relations
        ]
        parts.append(table(("RELATION", "FROM", "TO"), relations, right=set()))
    return "\n\n".join(parts)
