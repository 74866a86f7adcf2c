"""Which format a file or folder holds, judged by its content where the suffix is shared.

``.jsonl`` and ``.json`` are read by three formats, so the first value of the file decides
(at most ``SNIFF_BYTES`` are read, more only when that value is longer, up to the article
limit):

- a JSON array whose first task is an object with a ``"data"`` object: Label Studio; one
  whose first item is a doccano record (below): doccano's JSON export;
- an object with Prodigy's own keys (``_input_hash``, ``_task_hash``, ``answer``, ...) or
  Prodigy ``tokens`` (objects with ``start``, ``end`` and ``id``): Prodigy;
- an object with ``"spans"`` (a list of objects with ``start``/``end``/``label``), or with a
  ``"text"`` string and no doccano keys: Glossa's native JSONL;
- an object with ``"label"``/``"labels"`` as a list (of ``[start, end, "LABEL"]`` or of
  document classes), or ``"entities"`` (objects with ``start_offset``, or ``[start, end,
  "LABEL"]`` lists), or doccano 1.0 ``"annotations"`` (objects with ``label`` and
  ``start_offset``), or the oldest doccano shape with the text under ``"data"``: doccano.

Anything else raises ``InputError`` naming the file. A file that is empty, not UTF-8 or
not JSON is left to the reader its suffix names, which reports the line that is wrong.

A ``.txt`` with a ``.ann`` beside it is brat. A ``.txt``, a ``.tsv``, a file without a
suffix or with one no format claims (``eng.testa``, ``emerging.test.annotated``) is CoNLL
when its first lines read as token lines with a tag column (``conll_columns.looks_like_conll``,
at most ``SNIFF_BYTES`` read); else a ``.txt`` is a plain article and a ``.tsv`` still goes
to the CoNLL reader, which names the line that is wrong. Other suffixes name their format.

A folder is brat when it holds ``.ann`` files, CSV tables when it holds ``documents.csv``, else None
(its files are read one by one). Files that Glossa writes beside its exports (manifests,
entity tables, a dataset card, a data package outside a table folder) are no documents:
``is_companion`` tells them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.errors import InputError
from app.core.text import MAX_DOCUMENT_BYTES
from app.formats import brat, csv_tables, jsonl, prodigy
from app.formats.conll_columns import looks_like_conll
from app.formats.opening import open_file

if TYPE_CHECKING:
    from app.formats import Format

SNIFF_BYTES = 64 * 1024
"""What is read first to tell a JSON file's format."""
UNKNOWN = "cannot tell which format this is; pass --format"

JSON_SUFFIXES = (".jsonl", ".json")
_DEFAULT_FOR_SUFFIX = {".jsonl": "jsonl", ".json": "labelstudio"}
_SUFFIXES = {
    ".txt": "txt",
    ".ann": "brat",
    ".conll": "conll",
    ".iob": "conll",
    ".iob2": "conll",
    ".bio": "conll",
    ".conllu": "conll",
    ".gold_conll": "conll",
    ".spacy": "spacy",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
    **_DEFAULT_FOR_SUFFIX,
}
_DOCCANO_KEYS = ("label", "labels", "entities", "annotations")


def is_companion(path: Path) -> bool:
    """True for a file Glossa writes beside an export that holds no documents."""
    name = path.name.lower()
    if name in ("manifest.json", "readme.md") or name.endswith(".manifest.json"):
        return True
    if jsonl.is_entity_table(path):
        return True
    return name == csv_tables.DATAPACKAGE and not csv_tables.is_table_folder(path.parent)


def readable_suffix(path: Path) -> bool:
    """True for a file whose suffix some reader takes (the content is not looked at)."""
    return path.suffix.lower() in _SUFFIXES


def detect_name(path: Path) -> str | None:
    """The name of the format that reads ``path``, or None when no reader takes it.

    Raises ``InputError`` naming the file when a ``.json``/``.jsonl`` file holds JSON that
    none of the formats reads.
    """
    if path.is_dir():
        if brat.is_brat_folder(path):
            return "brat"
        if csv_tables.is_table_folder(path):
            return "csv"
        return None
    suffix = path.suffix.lower()
    if suffix == ".txt" and path.with_suffix(".ann").is_file():
        return "brat"
    if suffix in JSON_SUFFIXES:
        return _sniff_json(path, _DEFAULT_FOR_SUFFIX[suffix])
    name = _SUFFIXES.get(suffix)
    if (name is None or suffix == ".txt") and is_conll(path):
        return "conll"
    if suffix == ".tsv":
        return "conll"  # no other format reads it: the CoNLL reader says what is wrong
    return name


def is_conll(path: Path) -> bool:
    """True when the first lines of the file at ``path`` read as a CoNLL-style file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
            truncated = bool(handle.read(1))
    except OSError:
        return False
    try:
        content = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return False  # not UTF-8 text
        content = head[: exc.start].decode("utf-8-sig")
    lines = content.split("\n")
    if truncated:
        lines.pop()  # cut short by the read
    return looks_like_conll([line.rstrip("\r") for line in lines])


def detect(path: Path) -> Format | None:
    """The format that reads ``path`` (see the module docstring), or None."""
    from app.formats import FORMATS  # the registry imports this module

    name = detect_name(path)
    return FORMATS[name] if name is not None else None


def _sniff_json(path: Path, default: str) -> str:
    try:
        with open_file(path, sys.maxsize) as handle:  # the reader holds the file to its limit
            head = handle.read(SNIFF_BYTES)
            value, line = _first_value(head)
            if value is _TRUNCATED:
                head += handle.read(MAX_DOCUMENT_BYTES)
                value, line = _first_value(head)
    except (OSError, InputError):
        return default  # the reader says why it cannot read the file
    if value is _UNREADABLE or value is _TRUNCATED:
        return default
    name = _classify(value)
    if name is None:
        hint = _columns_hint(value) or (
            ' (as Glossa JSONL: missing "text")' if isinstance(value, dict) else ""
        )
        raise InputError(UNKNOWN + hint, source=str(path), line=line)
    return name


def _columns_hint(value: Any) -> str:
    """For a doccano line whose columns have other names (``{"column_data": "...",
    "column_label": [[0, 2, "ORG"]]}``), the options that name them."""
    if not isinstance(value, dict):
        return ""
    texts = [key for key, item in value.items() if isinstance(item, str)]
    spans = [
        key
        for key, item in value.items()
        if isinstance(item, list) and item and all(_doccano_entity(e) for e in item[:5])
    ]
    if len(texts) != 1 or len(spans) != 1:
        return ""
    return f" (a doccano line? --text-field {texts[0]} --label-field {spans[0]})"


_TRUNCATED: Any = object()
_UNREADABLE: Any = object()


def _first_value(head: bytes) -> tuple[Any, int]:
    """The first JSON value of ``head`` (the first task of an array, wrapped in a list), and
    the line it starts on."""
    try:
        content = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the end of the read
            return _UNREADABLE, 1
        content = head[: exc.start].decode("utf-8-sig")
    text = content.lstrip()
    line = content.count("\n", 0, len(content) - len(text)) + 1
    if not text:
        return _UNREADABLE, line  # empty: the reader says so
    in_array = text.startswith("[")
    if in_array:
        text = text[1:].lstrip()
        if text.startswith("]"):
            return [], line
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        truncated = exc.pos >= len(text) - 1 or exc.msg.startswith("Unterminated")
        return (_TRUNCATED if truncated else _UNREADABLE), line
    except (ValueError, RecursionError):
        return _UNREADABLE, line
    return ([value] if in_array else value), line


def _classify(value: Any) -> str | None:
    if isinstance(value, list):
        if not value:
            return "labelstudio"  # an empty export
        task = value[0]
        if isinstance(task, dict) and isinstance(task.get("data"), dict):
            return "labelstudio"
        # doccano's JSON export: its JSON lines records in an array
        return "doccano" if isinstance(task, dict) and _classify(task) == "doccano" else None
    if not isinstance(value, dict):
        return None
    if prodigy.looks_like(value):
        return "prodigy"
    spans = value.get("spans")
    if isinstance(spans, list) and all(_native_span(s) for s in spans[:5]):
        return "jsonl"
    if any(isinstance(value.get(key), list) for key in _DOCCANO_KEYS):
        entities = value.get("entities")
        annotations = value.get("annotations")
        if (not isinstance(entities, list) or all(_doccano_entity(e) for e in entities[:5])) and (
            not isinstance(annotations, list) or all(_doccano_entity(a) for a in annotations[:5])
        ):
            return "doccano"
    if "spans" in value or isinstance(value.get("text"), str):
        return "jsonl"  # the native reader names what is wrong with its spans, if anything
    return None


def _native_span(item: Any) -> bool:
    return isinstance(item, dict) and all(key in item for key in ("start", "end", "label"))


def _doccano_entity(item: Any) -> bool:
    """An entity of doccano's relation shape or 1.0 ``annotations``, or an intent-detection
    ``[start, end, "LABEL"]``."""
    if isinstance(item, list):
        return len(item) in (3, 4) and all(isinstance(x, int) for x in item[:2])
    return isinstance(item, dict) and (
        "start_offset" in item or ("label" in item and "result" not in item)
    )
