"""The ``glossa`` command line: options, subcommands and their help."""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from app.cli.costs import add_costs_parser
from app.cli.import_export_options import add_export_parser, add_import_parser

PROG = "glossa"

DB_HELP = (
    "database file or SQLAlchemy URL (default: $GLOSSA_DB, else glossa.db in the user data folder)"
)
ANNOTATOR_HELP = "whose statuses to show and record (default: $GLOSSA_ANNOTATOR, else login)"


def _version() -> str:
    try:
        return version("glossa")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def _names(value: str) -> list[str]:
    """``"a, b,c"`` as ``["a", "b", "c"]``."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected one or more names separated by commas")
    return names


def _schema_parser(
    commands: argparse._SubParsersAction[Any], shared: argparse.ArgumentParser
) -> None:
    """``glossa schema show|import|add-label``."""
    schema = commands.add_parser(
        "schema",
        parents=[shared],
        help="show the label schema, or add labels to it (from a file or one by one)",
        description=(
            "Show the project's label schema, or add to it: the labels, relation types and "
            "attributes of a schema file (Glossa schema JSON, brat annotation.conf, Label "
            "Studio XML config), or one label. Nothing the schema has is removed."
        ),
    )
    actions = schema.add_subparsers(dest="schema_action", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show", parents=[shared], help="labels, colours, hotkeys, attributes, relations"
    )
    show.add_argument("--json", action="store_true", help="print the schema's JSON form")
    importer = actions.add_parser(
        "import",
        parents=[shared],
        help="add what a schema file declares (Glossa JSON, annotation.conf, Label Studio XML)",
    )
    importer.add_argument("file", type=Path, metavar="FILE")
    adder = actions.add_parser("add-label", parents=[shared], help="add one label")
    adder.add_argument("name", metavar="NAME")
    adder.add_argument(
        "--color", "--colour", dest="colour", metavar="#RRGGBB", default="",
        help="its colour (default: one no other label has)",
    )  # fmt: skip
    adder.add_argument(
        "--key", metavar="KEY", default="", help="its hotkey (default: the first free one)"
    )


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
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=(
            "open the window on a temporary database with the samples, tag a span, read it "
            "back, check, quit: exit status 0 and 'self-test ok' when all works"
        ),
    )
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help=(
            "put Glossa in the desktop's menu: write its .desktop entry (starting this "
            "installation), icons and AppStream metainfo under $XDG_DATA_HOME "
            "(default ~/.local/share) and list them"
        ),
    )

    # Also accepted after the command (``glossa list --db x.db``); SUPPRESS keeps a value
    # given before the command from being reset to None by the subparser.
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--db", metavar="URL_OR_PATH", default=argparse.SUPPRESS, help=DB_HELP)
    shared.add_argument(
        "--annotator", metavar="NAME", default=argparse.SUPPRESS, help=ANNOTATOR_HELP
    )

    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    add_import_parser(commands, shared)
    suggester = commands.add_parser(
        "suggest",
        parents=[shared],
        help="pre-annotate: the suggesters' spans and relations, stored as pending or as JSONL",
        description=(
            "Run the suggesters (quotes with their cue and speaker, names the project knows) "
            "over documents. Without --out what they propose is stored as pending "
            "suggestions, replacing those suggesters' earlier ones (annotators accept or "
            "reject them in the article). With --out it is written as native JSONL instead: "
            "spans of origin 'suggested' whose attributes name the suggester, rule and "
            "confidence, with the speaker and cue relations, and the database is only read."
        ),
    )
    suggester.add_argument(
        "--with",
        dest="suggesters",
        metavar="NAME[,NAME]",
        help="the suggesters to run (default: all: quotes, known-names, model)",
    )
    suggester.add_argument(
        "--documents",
        default="all",
        metavar="all|unfinished|ID,...",
        help="which documents (default: all)",
    )
    suggester.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write the suggestions to this JSONL file instead of storing them",
    )
    suggester.add_argument(
        "--threshold",
        type=float,
        metavar="CONFIDENCE",
        help=(
            "keep only suggestions at least this sure, 0 to 1 (default: the project's "
            "threshold from Review > Suggestion settings; its labels per suggester apply too)"
        ),
    )
    trainer = commands.add_parser(
        "train",
        parents=[shared],
        help="train the project's model on its annotations and print its held-out figures",
        description=(
            "Train the project's own model (a spaCy entity recogniser, from a blank pipeline "
            "or an installed one) on the entity spans of one annotator (--annotator NAME, "
            "by default you) or of the gold layer, hold out a fifth of the documents (chosen "
            "by id), print precision, recall and F1 per label on them next to a "
            "most-frequent-label baseline, and save the model where 'glossa suggest --with "
            "model' finds it. The database is only read."
        ),
    )
    trainer.add_argument(
        "--layer", choices=("gold",), help="learn the gold layer instead of one annotator"
    )
    trainer.add_argument(
        "--base",
        metavar="PIPELINE",
        help="start from this installed spaCy pipeline (or pipeline folder)",
    )
    trainer.add_argument(
        "--passes",
        type=int,
        default=10,
        metavar="N",
        help="at most N passes over the training documents (default: 10; fewer once "
        "the loss stops falling)",
    )
    reviser = commands.add_parser(
        "revise",
        parents=[shared],
        help="add a new version of an article, its spans re-anchored",
        description=(
            "Add the new version of an article (a .txt or .html file) as a new document with "
            "the old one's title and metadata, and copy every annotator's spans to their places "
            "in the new text: exact (same text), moved (text changed a little) or queued (not "
            "found; listed, and kept in the new document's metadata under needs_reanchoring "
            "until placed or dropped in the window's Review > Needs re-anchoring; glossa check "
            "lists them). Relations follow their spans. The old version stays as it is."
        ),
    )
    reviser.add_argument("document", metavar="DOCUMENT", help="the old version: its id or title")
    reviser.add_argument("file", type=Path, metavar="FILE", help="the new version")
    reviser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    reviser.add_argument(
        "--clean", action="store_true", help="clean the new version as import --clean does"
    )

    lister = commands.add_parser(
        "list",
        parents=[shared],
        help="show the documents: id, status, spans, length, title",
        description="Show every document with its status, span count and length in characters.",
    )
    lister.add_argument("--json", action="store_true", help="print a JSON array instead")

    add_export_parser(commands, shared)

    commands.add_parser(
        "check",
        parents=[shared],
        help="verify that every span still fits its document",
        description=(
            "Verify the database: SQLite integrity, every span inside its text and covering "
            "the text it recorded, relations within one document, text checksums, and the "
            "spans of revised documents still waiting to be re-anchored. Each finding names "
            "the document, span id, label and offsets. Exit status 1 when any is found."
        ),
    )

    agree = commands.add_parser(
        "agree",
        parents=[shared],
        help="inter-annotator agreement: span and relation F1, kappa, alpha",
        description=(
            "Compare annotators over the documents that two or more of them annotated (a "
            "span, or a status other than new): span precision, recall and F1 per label for "
            "exact and overlapping matches, relation F1, Cohen's kappa on token labels for "
            "each pair and Krippendorff's alpha over all of them. The first annotator of a "
            "pair is the reference. Exit status 1 when fewer than two annotators have "
            "annotations to compare."
        ),
    )
    agree.add_argument(
        "--annotators",
        type=_names,
        metavar="A,B,...",
        help="annotators to compare, the first as reference (default: everyone, by name)",
    )
    agree.add_argument(
        "--labels",
        type=_names,
        metavar="L1,L2,...",
        help="span labels to compare (default: all)",
    )
    agree.add_argument("--json", action="store_true", help="print JSON instead of tables")

    stats = commands.add_parser(
        "stats",
        parents=[shared],
        help="counts: spans per label and annotator, statuses, origins, progress per day",
        description=(
            "Show spans per label and annotator, documents per status and annotator, spans "
            "per origin, average spans per document and the spans added and documents "
            "finished per day."
        ),
    )
    stats.add_argument("--json", action="store_true", help="print JSON instead of tables")

    merger = commands.add_parser(
        "merge",
        parents=[shared],
        help="merge a colleague's work: another Glossa database or export files of any format",
        description=(
            "Add the work held in another Glossa database (a file or a URL) or in files of "
            "any format Glossa imports (native JSONL, a brat folder, CoNLL, doccano, Label "
            "Studio, Prodigy, spaCy, CSV tables) as its annotators' layers. Labels the files "
            "bring join the schema, as on import. Documents are matched by their text "
            "(whatever their titles); your own work is never changed. Spans and relations "
            "already here are not added again, so merging the same source twice is harmless. "
            "The whole merge is one transaction: all or nothing. The source is only read."
        ),
    )
    merger.add_argument(
        "source",
        metavar="PATH",
        help="a .db/.sqlite file, a database URL, or export files and folders",
    )
    merger.add_argument(
        "more", nargs="*", type=Path, metavar="PATH", help="further files or folders of the export"
    )
    merger.add_argument(
        "--as",
        dest="as_annotator",
        metavar="NAME",
        help=(
            "take all of the source's work as annotator NAME (needed when it names no "
            "annotator, or holds work under your own name)"
        ),
    )
    merger.add_argument(
        "--documents",
        choices=("add", "skip"),
        default="add",
        help="documents the source has and this database lacks: add them (default) or skip",
    )

    _schema_parser(commands, shared)
    add_costs_parser(commands, shared)

    commands.add_parser(
        "formats",
        help="list the file formats Glossa reads and writes",
        description="List the file formats Glossa reads and writes.",
    )
    return parser
