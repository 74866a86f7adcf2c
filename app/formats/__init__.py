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
from app.core.schema import LabelSchema
from app.formats import (
    brat,
    conll,
    csv_tables,
    detect,
    doccano,
    hf,
    html,
    jsonl,
    labelstudio,
    prodigy,
    spacy_docbin,
    txt,
)
from app.formats.fragment_pieces import in_pieces, schema_in_pieces, splits_in_pieces
from app.formats.report import DroppedSpan, DropReason, ExportReport, ReadReport

Reader = Callable[[Path, ReadReport | None], Iterator[DocumentRecord]]
Exporter = Callable[[Iterable[DocumentRecord], Path], ExportReport]
SplitExporter = Callable[[Mapping[str, Iterable[DocumentRecord]], Path], ExportReport]
SchemaExporter = Callable[[Iterable[DocumentRecord], Path, LabelSchema], ExportReport]


@dataclass(frozen=True)
class Format:
    """A file format Glossa reads and/or writes."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Reader | None = None
    export: Exporter | None = None
    """Writes documents; a format that cannot hold discontinuous spans gets them in pieces
    (``app.formats.fragment_pieces``)."""
    folder: bool = False
    """True when the format is a folder of files rather than one file."""
    offset_unit: str = "unicode code points"
    export_splits: SplitExporter | None = None
    """Writes every split into one folder (split name -> documents); else one file each."""
    schema_export: SchemaExporter | None = None
    """Writes as ``export`` does, told the project's label schema (used instead of it)."""


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
        "CoNLL-style columns (token ... tags; IOB1/IOB2/IOE/BIOES/IO, nested tag columns); "
        "writes IOB2 token<TAB>tag, one flat layer of token-aligned spans (seqeval, datasets)",
        (".conll", ".iob", ".iob2", ".bio", ".tsv"),
        read=conll.read,
        export=in_pieces(conll.export, linked=False),
        offset_unit="tokens",
    ),
    "spacy": Format(
        "spacy",
        "spaCy DocBin for spacy train: doc.ents (flat layer) and doc.spans['sc'] (all spans)",
        (".spacy",),
        read=spacy_docbin.read,
        export=in_pieces(spacy_docbin.export, linked=True),
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
        export=in_pieces(hf.export, linked=False),
        folder=True,
        offset_unit="tokens (ner_tags); unicode code points (spans)",
        export_splits=splits_in_pieces(hf.export_splits, linked=False),
    ),
    "html": Format(
        "html",
        "saved news page: article text, title, author, date, URL",
        (".html", ".htm"),
        read=html.read,
    ),
    "doccano": Format(
        "doccano",
        "doccano JSON lines: label, entities and relations, 1.0 annotations, intent entities",
        (".jsonl",),
        read=doccano.read,
        export=in_pieces(doccano.export, linked=True),
    ),
    "prodigy": Format(
        "prodigy",
        "Prodigy JSON lines (db-out): spans, token-indexed relations, answers and hashes",
        (".jsonl",),
        read=prodigy.read,
        export=in_pieces(prodigy.export, linked=True),
    ),
    "doccano-label": Format(
        "doccano-label",
        "doccano JSON lines, sequence labelling shape: label: [[start, end, LABEL]], no relations",
        (".jsonl",),
        export=in_pieces(doccano.export_label_shape, linked=False),
    ),
    "labelstudio": Format(
        "labelstudio",
        "Label Studio JSON tasks (annotations, predictions), with the labeling config as .xml",
        (".json",),
        read=labelstudio.read,
        export=in_pieces(labelstudio.export, linked=True),
        schema_export=schema_in_pieces(labelstudio.export, linked=True),
    ),
    "csv": Format(
        "csv",
        "CSV tables folder: documents.csv, spans.csv, relations.csv and datapackage.json",
        (".csv",),
        read=csv_tables.read,
        export=in_pieces(csv_tables.export, linked=True),
        folder=True,
    ),
    "csv-escaped": Format(
        "csv-escaped",
        "CSV tables folder as csv, with the formula escape on the texts too (for spreadsheets)",
        (".csv",),
        export=in_pieces(csv_tables.export_escaped, linked=True),
        folder=True,
    ),
}


def format_for(path: Path) -> Format | None:
    """The format that reads ``path``, judged by what it is, its suffix and its content.

    Raises ``InputError`` naming the file when a ``.json``/``.jsonl`` file holds JSON that no
    format reads (see ``app.formats.detect``).
    """
    return detect.detect(path)


def readable_files(path: Path, _seen: set[Path] | None = None) -> list[Path]:
    """What to read for ``path``: a file itself, a brat or CSV tables folder whole, else the
    files under it that some format takes by their suffix.

    Under a folder, files Glossa writes beside an export that hold no documents (manifests,
    entity tables, a dataset card; see ``detect.is_companion``) are left out, as are ``.ann``
    files (read with their ``.txt``). A file with another suffix or none is taken when its
    content is CoNLL (``detect.is_conll``). A folder reached twice through links is read once.
    """
    if not path.is_dir():
        return [path]
    if brat.is_brat_folder(path) or csv_tables.is_table_folder(path):
        return [path]
    seen = _seen if _seen is not None else set()
    real = path.resolve()
    if real in seen:
        return []
    seen.add(real)
    found: list[Path] = []
    for child in sorted(path.iterdir()):
        if child.is_dir():
            found.extend(readable_files(child, seen))
        elif (
            detect.readable_suffix(child)
            and child.suffix.lower() != ".ann"
            and not detect.is_companion(child)
        ) or (not detect.readable_suffix(child) and detect.is_conll(child)):
            found.append(child)
    return found


__all__ = [
    "FORMATS",
    "DropReason",
    "DroppedSpan",
    "ExportReport",
    "Format",
    "ReadReport",
    "detect",
    "format_for",
    "readable_files",
]
