"""The ``glossa`` command line: options, subcommands and their help."""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from app.formats import FORMATS

PROG = "glossa"

DB_HELP = (
    "database file or SQLAlchemy URL (default: $GLOSSA_DB, else glossa.db in the user data folder)"
)
ANNOTATOR_HELP = "whose statuses to show and record (default: $GLOSSA_ANNOTATOR, else login)"


def importable() -> list[str]:
    """Names of the formats Glossa reads."""
    return [name for name, fmt in FORMATS.items() if fmt.read]


def exportable() -> list[str]:
    """Names of the formats Glossa writes."""
    return [name for name, fmt in FORMATS.items() if fmt.export]


def _version() -> str:
    try:
        return version("glossa")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``glossa [--db URL] [--annotator NAME] [COMMAND ...]``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Annotate news articles. Without a command, open the Glossa window.",
        epilog=f"Run '{PROG} COMMAND --help' for the options of one command.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    parser.add_argument("--db", metavar="URL_OR_PATH", help=DB_HELP)
    parser.add_argument("--annotator", metavar="NAME", help=ANNOTATOR_HELP)

    # Also accepted after the command (``glossa list --db x.db``); SUPPRESS keeps a value
    # given before the command from being reset to None by the subparser.
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--db", metavar="URL_OR_PATH", default=argparse.SUPPRESS, help=DB_HELP)
    shared.add_argument(
        "--annotator", metavar="NAME", default=argparse.SUPPRESS, help=ANNOTATOR_HELP
    )

    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    importer = commands.add_parser(
        "import",
        parents=[shared],
        help="add articles (.txt files, folders of them, native .jsonl) to the database",
        description=(
            "Add documents to the database. Each file is imported whole or not at all; "
            "documents already present (same text) are skipped. Exit status 1 when any "
            "file was refused."
        ),
    )
    importer.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="file or folder")
    importer.add_argument(
        "--format",
        choices=importable(),
        help="read every file in this format (default: judged by the file name ending)",
    )

    lister = commands.add_parser(
        "list",
        parents=[shared],
        help="show the documents: id, status, spans, length, title",
        description="Show every document with its status, span count and length in characters.",
    )
    lister.add_argument("--json", action="store_true", help="print a JSON array instead")

    exporter = commands.add_parser(
        "export",
        parents=[shared],
        help="write every document with its annotations to a file",
        description="Write every document with its spans and relations to one file.",
    )
    exporter.add_argument(
        "--format", choices=exportable(), default="jsonl", help="file format (default: jsonl)"
    )
    exporter.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PATH",
        help="file (or folder, for brat) to write",
    )

    commands.add_parser(
        "check",
        parents=[shared],
        help="verify that every span still fits its document",
        description=(
            "Verify the database: SQLite integrity, every span inside its text and covering "
            "the text it recorded, relations within one document, text checksums. Exit "
            "status 1 when a problem is found."
        ),
    )

    commands.add_parser(
        "formats",
        help="list the file formats Glossa reads and writes",
        description="List the file formats Glossa reads and writes.",
    )
    return parser
