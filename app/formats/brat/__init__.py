"""brat standoff: a folder of ``NAME.txt`` texts, each with its ``NAME.ann`` annotations.

``.ann`` lines (fields separated by a tab) and what each becomes::

    T1  QUOTE 10 52  “will open before the summer”   a span; attribute brat_id = "T1"
    T2  PERSON 0 8;9 18  Harbour authority           fragments apart by a line break: one span
    T6  Protein 251 259;263 264  vitamin C           fragments apart by text: one
                                                     discontinuous span with those fragments
    E1  Speech:T3 Source:T1 Content:T2               the trigger span T3 (brat = "event",
                                                     brat_id = "E1 T3") and one relation per
                                                     role, trigger -> argument
    R1  speaker Arg1:T1 Arg2:T2                      a relation
    A1  direct T1 / A2  mode E1 indirect             a span attribute (true, or a value)
    #1  AnnotatorNotes T1  the note                  the span attribute "note"
    N1  Reference T1 Wikipedia:534366  Barack Obama  the span attribute "normalization"
    *   Equiv T1 T2                                  kept in the document metadata

Offsets are checked against each ``T`` line's text column. brat counts code points of the
``.txt`` read without newline translation (``\\r\\n`` is two, a byte order mark one); other
writers count UTF-8 bytes or the text with ``\\r\\n`` as one. The one counting that makes
every span agree with its text is mapped into the canonical text, with a warning unless it is
the canonical one; when none does, the file is refused naming the first line that disagrees.

Relation ids and argument names, the ids of attribute, note and normalization lines, and
lines about relations or several spans (attributes and notes on ``R``, equivalences) are kept
in the document metadata under ``"brat"``, so that an export writes the same ``.ann`` lines
back. An event argument that is another event names that event's trigger span; an attribute
of an event is an attribute of its trigger span.

Reading takes a folder (every ``.txt``/``.ann`` pair under it) or one ``.txt``/``.ann`` file;
a text without an ``.ann`` takes BioNLP's ``.a1`` and ``.a2`` instead, read as one.
In a folder, an ``.ann`` without its ``.txt`` is skipped and a ``.txt`` without its ``.ann``
is a document without spans, each with a warning; a bad line refuses its own document only,
naming file and line (``ReadReport.refused``). Lines of unknown kinds are counted in a warning;
a text column that runs on over the next lines (as older brat versions wrote it) is joined.

Writing gives each span its kept brat id (new ones count on from the highest), a span across
a line break or tab as fragments between them, as brat does, a discontinuous span as one ``T``
line with its fragments (``s1 e1;s2 e2``, the text column the pieces joined by a space), and
an event trigger with its roles as ``T`` and ``E`` lines. Spans of one label chained by
``fragment`` relations (how Glossa kept discontinuous spans before they had fragments) are
still written as one discontinuous ``T`` line.
Attribute values are single words: true is a bare attribute, false and empty values are left
out (brat reads a missing attribute as false), other values holding white space are left out
with a warning. An ``annotation.conf`` declaring the labels, relations, events and attributes
used is written too. A span's annotator and origin have no place in the format.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.core.text import MAX_DOCUMENT_BYTES, decode_article, first_line_title
from app.formats.brat.reading import AnnReader
from app.formats.brat.standoff import (
    CONFIG_FILE,
    EVENT,
    FORMAT_NAME,
    FRAGMENT,
    ID_ATTRIBUTE,
    KIND_ATTRIBUTE,
    META_KEY,
    NORMALIZATION_ATTRIBUTE,
    NOTE_ATTRIBUTE,
    fragments,
)
from app.formats.brat.writing import ann_lines, export
from app.formats.opening import not_a_file, read_file
from app.formats.report import ReadReport

ANNOTATION_SUFFIXES = (".ann", ".a1", ".a2")
"""brat's own annotation file, and the BioNLP shared tasks' given and task annotations."""


def _read_bytes(path: Path) -> bytes:
    return read_file(path, MAX_DOCUMENT_BYTES)


def annotation_files(txt: Path) -> list[Path]:
    """The annotation files of a text: its ``.ann``, else BioNLP's ``.a1`` and ``.a2``."""
    ann = txt.with_suffix(".ann")
    if ann.is_file():
        return [ann]
    return [p for p in (txt.with_suffix(".a1"), txt.with_suffix(".a2")) if p.is_file()]


def _decoded(path: Path) -> str:
    content = _read_bytes(path)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        raise InputError("not valid UTF-8", source=str(path), line=line) from None


def read_pair(
    txt: Path,
    ann: Path | Sequence[Path] | None,
    doc_id: str,
    report: ReadReport | None = None,
) -> DocumentRecord:
    """Read one document from its ``.txt`` and its annotation file(s), when it has any."""
    report = report if report is not None else ReadReport(FORMAT_NAME)
    data = _read_bytes(txt)
    text = decode_article(data, str(txt))
    raw = data.decode("utf-8")  # valid: decode_article has checked it
    meta: dict[str, Any] = {"title": first_line_title(text), "file": txt.name}
    files = [ann] if isinstance(ann, Path) else list(ann or [])
    if not files:
        return DocumentRecord(id=doc_id, text=text, meta=meta, source=str(txt))
    parts = [(str(path), _decoded(path)) for path in files]
    found = AnnReader(files[-1], raw, text, report).read(parts)
    if found.meta:
        meta[META_KEY] = found.meta
    return DocumentRecord(
        id=doc_id,
        text=text,
        meta=meta,
        spans=found.spans,
        relations=found.relations,
        source=str(files[-1]),
    )


def _annotation_files_under(path: Path) -> Iterator[Path]:
    for suffix in ANNOTATION_SUFFIXES:
        yield from path.rglob(f"*{suffix}")


def is_brat_folder(path: Path) -> bool:
    """True for a folder that holds at least one ``.ann`` (or ``.a1``/``.a2``) file."""
    return path.is_dir() and next(_annotation_files_under(path), None) is not None


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the documents of a brat folder, or of one ``.txt``/``.ann`` file and its twin.

    Document ids are the ``.txt`` paths relative to the folder, without the suffix. In a
    folder, a document with a bad line is left out and its error put in ``report.refused``.
    """
    report = report if report is not None else ReadReport(FORMAT_NAME)
    if path.is_dir():
        texts = sorted(path.rglob("*.txt"))
        stems = {t.with_suffix("") for t in texts}
        for ann in sorted(_annotation_files_under(path)):
            if ann.with_suffix("") not in stems:
                report.warn(f"no {ann.stem}.txt beside this file; skipped", str(ann))
        if not texts:
            raise InputError("the folder holds no .txt files", source=str(path))
        for txt in texts:
            kind = not_a_file(txt)
            if kind is not None:  # a pipe or a device would never end: leave it out
                report.warn(f"skipped: {kind}, not a file", str(txt))
                continue
            files = annotation_files(txt)
            if not files:
                report.warn(
                    f"no {txt.stem}.ann beside this file; a document without spans", str(txt)
                )
            doc_id = txt.relative_to(path).with_suffix("").as_posix()
            try:
                record = read_pair(txt, files, doc_id, report)
            except InputError as exc:
                report.refused.append(exc)
                continue
            report.documents += 1
            yield record
        return
    txt = path.with_suffix(".txt")
    if not txt.is_file():
        raise InputError(f"no {txt.name} beside this file", source=str(path))
    record = read_pair(txt, annotation_files(txt), path.stem, report)
    report.documents += 1
    yield record


__all__ = [
    "ANNOTATION_SUFFIXES",
    "CONFIG_FILE",
    "EVENT",
    "FORMAT_NAME",
    "FRAGMENT",
    "ID_ATTRIBUTE",
    "KIND_ATTRIBUTE",
    "META_KEY",
    "NORMALIZATION_ATTRIBUTE",
    "NOTE_ATTRIBUTE",
    "ann_lines",
    "annotation_files",
    "export",
    "fragments",
    "is_brat_folder",
    "read",
    "read_pair",
]
