"""The three tables of a CSV export: their names and columns, the formula escape, and the
Frictionless Data Package descriptor that states them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

FORMAT_NAME = "csv"
OFFSET_UNIT = "unicode code points"
DOCUMENTS = "documents.csv"
SPANS = "spans.csv"
RELATIONS = "relations.csv"
DATAPACKAGE = "datapackage.json"
DOCUMENT_COLUMNS = ("id", "title", "text", "meta")
SPAN_COLUMNS = (
    "document_id", "span_id", "start", "end", "label", "text", "annotator", "origin", "attributes",
)  # fmt: skip
RELATION_COLUMNS = ("document_id", "relation_id", "head", "tail", "label", "annotator")
ORIGINS = ("manual", "imported", "suggested")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula."""

_NEEDS_QUOTE = re.compile("'*[=+\\-@\t\r]")
_QUOTED = re.compile("'+[=+\\-@\t\r]")


VERBATIM = ("documents.text", "spans.text")
"""Cells never escaped (unless asked): the texts that span offsets index, which every reader
but Glossa's would otherwise take with a quote in front."""


def neutralise(cell: str) -> str:
    """The cell as written: a quote in front when a spreadsheet would run it as a formula."""
    return "'" + cell if _NEEDS_QUOTE.match(cell) else cell


def restore(cell: str) -> str:
    """The cell as it was before ``neutralise``: one added quote removed, nothing else."""
    return cell[1:] if _QUOTED.match(cell) else cell


def is_table_folder(path: Path) -> bool:
    """True for a folder holding a ``documents.csv``."""
    return path.is_dir() and (path / DOCUMENTS).is_file()


def datapackage(escape_all: bool = False) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of an export (``escape_all``: the texts too
    carry the formula escape)."""

    def string(name: str, description: str, required: bool = False) -> dict[str, Any]:
        described: dict[str, Any] = {"name": name, "type": "string", "description": description}
        if required:
            described["constraints"] = {"required": True}
        return described

    def offset(name: str, description: str) -> dict[str, Any]:
        return {
            "name": name,
            "type": "integer",
            "description": f"{description}, in Unicode code points of the document text",
            "constraints": {"required": True, "minimum": 0},
        }

    def resource(name: str, fields: list[dict[str, Any]], **keys: Any) -> dict[str, Any]:
        return {
            "name": name,
            "path": f"{name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
            "schema": {"fields": fields, **keys},
        }

    def to_document() -> dict[str, Any]:
        return {"fields": ["document_id"], "reference": {"resource": "documents", "fields": ["id"]}}

    def to_span(column: str) -> dict[str, Any]:
        return {
            "fields": ["document_id", column],
            "reference": {"resource": "spans", "fields": ["document_id", "span_id"]},
        }

    json_object = "a JSON object"
    return {
        "profile": "tabular-data-package",
        "name": "glossa-annotations",
        "title": "Annotated documents exported by Glossa",
        "description": (
            "Documents, labelled spans and relations between spans. Offset unit: unicode code "
            "points. A span covers [start, end) of its document's text and its text column "
            "repeats that slice. Formula injection: a cell that begins with =, +, -, @, a tab "
            "or a carriage return, possibly after single quotes, is written with one more "
            "single quote in front; remove one leading quote from such cells (and only from "
            "them) to get the original value. The cells listed under formula_escape.verbatim "
            "(the texts that offsets index) are written as they are, never escaped."
        ),
        "offset_unit": OFFSET_UNIT,
        "formula_escape": {
            "prefix": "'",
            "characters": list(FORMULA_STARTS),
            "rule": (
                "a cell matching ^'*[=+\\-@\\t\\r] is written with a leading \"'\"; "
                "reading removes one leading \"'\" from cells matching ^'+[=+\\-@\\t\\r]"
            ),
            "verbatim": [] if escape_all else list(VERBATIM),
        },
        "resources": [
            resource(
                "documents",
                [
                    string("id", "document id", required=True),
                    string("title", "the document title (also in meta)"),
                    string("text", "the canonical text: UTF-8, \\n line breaks"),
                    {"name": "meta", "type": "object", "description": json_object},
                ],
                primaryKey=["id"],
            ),
            resource(
                "spans",
                [
                    string("document_id", "the document the span belongs to", required=True),
                    string("span_id", "span id, unique within its document", required=True),
                    offset("start", "first character of the span"),
                    offset("end", "character after the span"),
                    string("label", "span label", required=True),
                    string("text", "the document text from start to end"),
                    string("annotator", "who made the span"),
                    {
                        "name": "origin",
                        "type": "string",
                        "constraints": {"enum": list(ORIGINS)},
                    },
                    {"name": "attributes", "type": "object", "description": json_object},
                ],
                primaryKey=["document_id", "span_id"],
                foreignKeys=[to_document()],
            ),
            resource(
                "relations",
                [
                    string("document_id", "the document the relation belongs to", required=True),
                    string("relation_id", "relation id, unique within its document", required=True),
                    string("head", "span_id of the head span", required=True),
                    string("tail", "span_id of the tail span", required=True),
                    string("label", "relation label", required=True),
                    string("annotator", "who made the relation"),
                ],
                primaryKey=["document_id", "relation_id"],
                foreignKeys=[to_document(), to_span("head"), to_span("tail")],
            ),
        ],
    }
