"""Importers and exporters, one module each, registered by name. Qt- and SQL-free.

Every reader takes a path (a file, or a folder for folder formats) and a ``ReadReport`` to
note what it skipped; every exporter takes documents and a target path and returns an
``ExportReport`` that names every span the format could not hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from app.core.records import DocumentRecord
from app.formats import (
    brat,
    conll,
    csv_tables,
    doccano,
    hf,
    html,
    jsonl,
    labelstudio,
    spacy_docbin,
    txt,
)
from app.formats.report import DroppedSpan, DropReason, ExportReport, ReadReport

Reader = Callable[[Path, ReadReport | None], Iterator[DocumentRecord]]
Exporter = Callable[[Iterable[DocumentRecord], Path], ExportReport]
SplitExporter = Callable[[Mapping[str, Iterable[DocumentRecord]], Path], ExportReport]


@dataclass(frozen=True)
class Format:
    """A file format Glossa reads and/or writes."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Reader | None = None
    export: Exporter | None = None
    folder: bool = False
    """True when the format is a folder of files rather than one file."""
    offset_unit: str = "unicode code points"
    export_splits: SplitExporter | None = None
    """Writes every split into one folder (split name -> documents); else one file each."""


FORMATS: dict[str, Format] = {
    "txt": Format("txt", "plain text articles, one per file", (".txt",), read=txt.read),
    "jsonl": Format(
        "jsonl",
        "Glossa native JSON lines: one document with its spans and relations per line",
        (".jsonl",),
        read=jsonl.read,
        export=jsonl.export,
    ),
    "conll": Format(
        "conll",
        "CoNLL IOB2, token<TAB>tag: one flat layer of token-aligned spans (seqeval, datasets)",
        (".conll", ".iob2"),
        read=conll.read,
        export=conll.export,
        offset_unit="tokens",
    ),
    "spacy": Format(
        "spacy",
        "spaCy DocBin for spacy train: doc.ents (flat layer) and doc.spans['sc'] (all spans)",
        (".spacy",),
        read=spacy_docbin.read,
        export=spacy_docbin.export,
        offset_unit="unicode code points (spaCy characters)",
    ),
    "brat": Format(
        "brat",
        "brat standoff folder: NAME.txt + NAME.ann per document, and annotation.conf",
        (".ann",),
        read=brat.read,
        export=brat.export,
        folder=True,
    ),
    "hf": Format(
        "hf",
        "Hugging Face datasets folder: JSON lines per split and a card declaring the features",
        (),
        export=hf.export,
        folder=True,
        offset_unit="tokens (ner_tags); unicode code points (spans)",
        export_splits=hf.export_splits,
    ),
    "html": Format(
        "html",
        "saved news page: article text, title, author, date, URL",
        (".html", ".htm"),
        read=html.read,
    ),
    "doccano": Format(
        "doccano",
        "doccano JSON lines: sequence labelling (label) or entities and relations",
        (".jsonl",),
        read=doccano.read,
        export=doccano.export,
    ),
    "labelstudio": Format(
        "labelstudio",
        "Label Studio JSON tasks (annotations, predictions), with the labeling config as .xml",
        (".json",),
        read=labelstudio.read,
        export=labelstudio.export,
    ),
    "csv": Format(
        "csv",
        "CSV tables folder: documents.csv, spans.csv, relations.csv and datapackage.json",
        (".csv",),
        read=csv_tables.read,
        export=csv_tables.export,
        folder=True,
    ),
}


def format_for(path: Path) -> Format | None:
    """The format that reads ``path``, judged by what it is and its suffix."""
    if path.is_dir():
        return FORMATS["brat"] if brat.is_brat_folder(path) else None
    suffix = path.suffix.lower()
    return next((f for f in FORMATS.values() if f.read and suffix in f.suffixes), None)


def readable_files(path: Path) -> list[Path]:
    """What to read for ``path``: a file itself, a brat folder whole, else files under it."""
    if not path.is_dir():
        return [path]
    if brat.is_brat_folder(path):
        return [path]
    found: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.is_dir():
            found.extend(readable_files(child))
        elif format_for(child) is not None and child.suffix != ".ann":
            found.append(child)
    return found


__all__ = [
    "FORMATS",
    "DropReason",
    "DroppedSpan",
    "ExportReport",
    "Format",
    "ReadReport",
    "format_for",
    "readable_files",
]
