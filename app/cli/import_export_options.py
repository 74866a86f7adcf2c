"""The options of ``glossa import`` and ``glossa export``: which files, formats and parts."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.formats import FORMATS
from app.formats.tag_schemes import SCHEMES


def importable() -> list[str]:
    """Names of the formats Glossa reads."""
    return [name for name, fmt in FORMATS.items() if fmt.read]


def exportable() -> list[str]:
    """Names of the formats Glossa writes."""
    return [name for name, fmt in FORMATS.items() if fmt.export]


def add_import_parser(
    commands: argparse._SubParsersAction[Any], shared: argparse.ArgumentParser
) -> None:
    """The ``import`` subcommand's arguments."""
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
        help="read every file in this format (default: detected from each file's content)",
    )
    importer.add_argument(
        "--tag-column",
        type=int,
        metavar="N",
        help="CoNLL: the tag column, counted from 1 (default: the last column of tags)",
    )
    importer.add_argument(
        "--scheme",
        choices=SCHEMES,
        help="CoNLL: the tag scheme (default: the one the file's tags follow best)",
    )
    importer.add_argument(
        "--text-field",
        metavar="KEY",
        help="JSON lines: the key holding the text (read as doccano; default: text)",
    )
    importer.add_argument(
        "--label-field",
        metavar="KEY",
        help="JSON lines: the key holding the spans, [start, end, label] or objects "
        "(read as doccano; default: label, entities, annotations)",
    )
    importer.add_argument(
        "--as",
        dest="as_annotator",
        metavar="NAME",
        help=(
            "take every span and relation of the files as NAME's work: documents already "
            "present (same text) get NAME's layer instead of being skipped"
        ),
    )
    importer.add_argument(
        "--strict-schema",
        action="store_true",
        help=(
            "refuse a file whose labels, relation types or attributes the schema lacks "
            "(default: add them to the schema, and say so)"
        ),
    )
    # scraped articles and their revisions
    cleaning = importer.add_mutually_exclusive_group()
    cleaning.add_argument(
        "--clean",
        action="store_true",
        help=(
            "clean scraped .txt/.html articles: drop ads, share lines, cookie notices, image "
            "credits and menus, read byline, publisher and dates into the metadata, take the "
            "title from the headline; the text as read is kept in the metadata"
        ),
    )
    cleaning.add_argument(
        "--no-clean", dest="clean", action="store_false", help="import the text as read (default)"
    )
    cleaning.add_argument(
        "--preview-clean",
        action="store_true",
        help="print what --clean would remove, read and keep for each file, and import nothing",
    )


def add_export_parser(
    commands: argparse._SubParsersAction[Any], shared: argparse.ArgumentParser
) -> None:
    """The ``export`` subcommand's arguments."""
    exporter = commands.add_parser(
        "export",
        parents=[shared],
        help="write documents with their annotations to a file, optionally split",
        description=(
            "Write documents with their spans and relations to a file (or a folder, for "
            "folder formats and split exports), with a manifest that states what was written, "
            "what was left out and why. --annotator NAME keeps only NAME's spans and relations "
            "(on documents NAME annotated) and makes --status mean NAME's status."
        ),
    )
    exporter.add_argument(
        "--format", choices=exportable(), default="jsonl", help="file format (default: jsonl)"
    )
    exporter.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PATH",
        help="file to write; a folder for folder formats (brat, hf) and for --split",
    )
    exporter.add_argument(
        "--status",
        metavar="S[,S]",
        help="only documents with this status: new, in_progress, done (comma-separated)",
    )
    exporter.add_argument(
        "--labels", metavar="L1,L2", help="only spans of these labels (relations need both ends)"
    )
    exporter.add_argument(
        "--layer",
        choices=("reviewed", "gold"),
        help="only accepted spans (reviewed) or the spans of the annotator named gold",
    )
    exporter.add_argument(
        "--split",
        metavar="TRAIN,DEV,TEST",
        help="split by document into train/dev/test shares, e.g. 0.8,0.1,0.1 (or TRAIN,TEST)",
    )
    exporter.add_argument(
        "--seed", type=int, metavar="N", help="seed of the split order (default: 0)"
    )
    exporter.add_argument(
        "--fragments",
        choices=("pieces", "cover"),
        default="pieces",
        help="a discontinuous span, in formats that cannot hold one: each piece as a span "
        "(default; linked by 'fragment' relations where the format has relations) or one "
        "span over the covering range",
    )
    exporter.add_argument(
        "--escape-formulas",
        action="store_true",
        help="csv: put a quote before every cell a spreadsheet would run as a formula, the "
        "texts included (default: texts as they are, so offsets slice them)",
    )
    exporter.add_argument(
        "--doccano-shape",
        choices=("relation", "label"),
        help="doccano: entities and relations (default), or label: [[start, end, LABEL]]",
    )
