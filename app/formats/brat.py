"""brat standoff: a folder of ``NAME.txt`` texts, each with its ``NAME.ann`` annotations.

Offsets count code points of the ``.txt`` file as Python reads it with ``open(..., "r",
encoding="utf-8", newline="")`` — what brat itself does: a ``\\r\\n`` line break counts as
two characters, and a leading byte order mark counts as one.

``.ann`` lines written (fields separated by a tab)::

    T1  QUOTE 10 52  “will open before the summer”
    T2  PERSON 0 8;9 18  Harbour authority     (a span across a line break or tab)
    R1  speaker Arg1:T1 Arg2:T2
    A1  direct T1                              (an attribute that is true)
    A2  mode T1 indirect                       (an attribute with a value)
    #1  AnnotatorNotes T1  the note            (the "note" attribute)

A span that crosses a line break or a tab is written as fragments between them, as brat does
when one annotates across lines; reading joins fragments separated only by white space back
into one span. Attribute values are single words: true is written as a bare attribute, false
and empty values are left out (brat reads a missing attribute as false), other values
containing white space are left out with a warning, numbers come back as text. A span's
annotator and origin, relation annotators and document metadata have no place in the format.
An ``annotation.conf`` declaring the labels, relations and attributes used is written too.

Reading takes a folder (every ``.txt`` under it; one without an ``.ann`` has no spans) or one
``.txt``/``.ann`` file. ``\\r\\n`` in a ``.txt`` is mapped into the canonical text; a span
that cannot be placed, a ``T`` line whose text differs from the text at its offsets, a link to
a missing ``T`` and a line with the wrong number of fields each raise ``InputError`` naming the
``.ann`` file and line. Events (``E``) and other line types are skipped with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.text import MAX_DOCUMENT_BYTES, NewlineShift, decode_article, first_line_title
from app.formats.opening import not_a_file, read_file
from app.formats.report import ExportReport, ReadReport

FORMAT_NAME = "brat"
NOTE_ATTRIBUTE = "note"
CONFIG_FILE = "annotation.conf"

_FRAGMENT_BREAK = re.compile("[\n\t]+")
_LINE_BREAKING = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Characters that would end or split an ``.ann`` line in some reader: shown as spaces."""
_OFFSETS = re.compile(r"\d{1,15} \d{1,15}(?:;\d{1,15} \d{1,15})*")
_WHITE = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _LINE_BREAKING.sub(" ", text)


def _brat_type(name: str, report: ExportReport, source: str) -> str:
    """A label or attribute name as brat accepts it: no white space."""
    typed = _WHITE.sub("_", name)
    if typed != name:
        report.warn(f"{name!r} written as {typed!r} (brat names hold no white space)", source)
    return typed


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``[start, end)`` between line breaks and tabs, as brat writes them.

    A span that begins or ends with a line break or tab stays one piece, so that reading it
    back gives the same offsets.
    """
    covered = text[start:end]
    if not _FRAGMENT_BREAK.search(covered) or covered[0] in "\n\t" or covered[-1] in "\n\t":
        return [(start, end)]
    pieces, position = [], start
    for gap in _FRAGMENT_BREAK.finditer(covered):
        pieces.append((position, start + gap.start()))
        position = start + gap.end()
    pieces.append((position, end))
    return pieces


@dataclass
class _Config:
    """Labels, relations and attributes seen while writing, for ``annotation.conf``."""

    entities: set[str] = field(default_factory=set)
    relations: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    attributes: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)

    def text(self) -> str:
        lines = ["[entities]", *sorted(self.entities), "", "[relations]"]
        for name, (heads, tails) in sorted(self.relations.items()):
            lines.append(f"{name}\tArg1:{'|'.join(sorted(heads))}, Arg2:{'|'.join(sorted(tails))}")
        # Glossa spans may nest and overlap; brat refuses that unless told
        lines.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
        lines += ["", "[events]", "", "[attributes]"]
        for name, (labels, values) in sorted(self.attributes.items()):
            declared = f", Value:{'|'.join(sorted(values))}" if values else ""
            lines.append(f"{name}\tArg:{'|'.join(sorted(labels))}{declared}")
        return "\n".join(lines) + "\n"


def _file_name(record: DocumentRecord, number: int, used: set[str]) -> str:
    """A file name stem for a document: its id made safe, unique without regard to case."""
    base = re.sub(r"[^\w.-]+", "_", record.id).strip("._") or f"document-{number}"
    name, suffix = base, 1
    while name.lower() in used:
        suffix += 1
        name = f"{base}-{suffix}"
    used.add(name.lower())
    return name


def _attribute_lines(
    span: SpanRecord, target: str, label: str, config: _Config, report: ExportReport, src: str
) -> Iterator[tuple[str, str]]:
    """``(kind, body)`` pairs for a span's attributes: kind ``A`` or ``#``."""
    for name, value in span.attributes.items():
        if name == NOTE_ATTRIBUTE and isinstance(value, str):
            if value:
                if _flat(value) != value:
                    report.warn(f"span {span.id}: note line breaks and tabs written as spaces", src)
                yield "#", f"AnnotatorNotes {target}\t{_flat(value)}"
            continue
        if value is False or value is None or value == "":
            continue  # brat reads a missing attribute as false
        brat_name = _brat_type(name, report, src)
        labels, values = config.attributes.setdefault(brat_name, (set(), set()))
        if value is True:
            labels.add(label)
            yield "A", f"{brat_name} {target}"
            continue
        if isinstance(value, (dict, list)) or (isinstance(value, str) and _WHITE.search(value)):
            report.warn(
                f"span {span.id}: attribute {name} = {value!r} is not one word; left out", src
            )
            continue
        if not isinstance(value, str):
            report.warn(f"span {span.id}: attribute {name} = {value!r} written as text", src)
        labels.add(label)
        values.add(str(value))
        yield "A", f"{brat_name} {target} {value}"


def ann_lines(
    record: DocumentRecord, config: _Config, report: ExportReport, source: str
) -> list[str]:
    """The ``.ann`` lines of one document, adding what it uses to ``config``."""
    text = record.text
    lines: list[str] = []
    ids: dict[str, str] = {}
    labels: dict[str, str] = {}
    attributes: list[tuple[str, str]] = []
    for span in record.spans:
        target = ids[span.id] = f"T{len(ids) + 1}"
        label = labels[span.id] = _brat_type(span.label, report, source)
        config.entities.add(label)
        pieces = fragments(text, span.start, span.end)
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        shown = " ".join(_flat(text[s:e]) for s, e in pieces)
        lines.append(f"{target}\t{label} {offsets}\t{shown}")
        report.keep(span.label)
        attributes.extend(_attribute_lines(span, target, label, config, report, source))
    written = 0
    for relation in record.relations:
        if relation.head not in ids or relation.tail not in ids:
            report.warn(f"relation {relation.id} names a span the document lacks; left out", source)
            continue
        name = _brat_type(relation.label, report, source)
        heads, tails = config.relations.setdefault(name, (set(), set()))
        heads.add(labels[relation.head])
        tails.add(labels[relation.tail])
        written += 1
        lines.append(f"R{written}\t{name} Arg1:{ids[relation.head]} Arg2:{ids[relation.tail]}")
    counters = {"A": 0, "#": 0}
    for kind, body in attributes:
        counters[kind] += 1
        lines.append(f"{kind}{counters[kind]}\t{body}")
    return lines


def export(records: Iterable[DocumentRecord], folder: Path) -> ExportReport:
    """Write each document as ``NAME.txt`` and ``NAME.ann`` in ``folder``, plus the config.

    ``NAME`` is the document id made safe for a file name. Returns what was written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    report = ExportReport(FORMAT_NAME)
    config = _Config()
    used: set[str] = set()
    for number, record in enumerate(records, start=1):
        name = _file_name(record, number, used)
        (folder / f"{name}.txt").write_bytes(record.text.encode("utf-8"))
        lines = ann_lines(record, config, report, f"{name}.ann")
        (folder / f"{name}.ann").write_bytes("".join(f"{line}\n" for line in lines).encode())
        report.documents += 1
    (folder / CONFIG_FILE).write_text(config.text(), encoding="utf-8", newline="\n")
    return report


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    number: int
    id: str
    fields: list[str]


class _Ann:
    """One ``.ann`` file being read against the raw text of its ``.txt``."""

    def __init__(self, path: Path, raw: str, text: str, report: ReadReport) -> None:
        self.source = str(path)
        self.raw = raw
        self.text = text
        self.report = report
        self.bom = 1 if raw.startswith("\ufeff") else 0
        self.shift = NewlineShift(raw[self.bom :])
        self.spans: dict[str, SpanRecord] = {}
        self.events: set[str] = set()
        self.attributes: dict[str, dict[str, Any]] = {}

    def fail(self, message: str, line: _Line) -> InputError:
        return InputError(message, source=self.source, line=line.number)

    def place(self, offset: int, line: _Line) -> int:
        """The canonical offset of a raw ``.txt`` offset."""
        mapped = self.shift.map(offset - self.bom) if offset >= self.bom else None
        if mapped is None:
            where = "inside the byte order mark" if offset < self.bom else "between \\r and \\n"
            raise self.fail(f"offset {offset} falls {where}; the span cannot be placed", line)
        return mapped

    def text_bound(self, line: _Line) -> SpanRecord:
        if len(line.fields) != 3:
            raise self.fail(
                f"a T line has 3 tab-separated fields (id, type and offsets, text), "
                f"found {len(line.fields)}",
                line,
            )
        label, _, offsets = line.fields[1].partition(" ")
        if not label or _OFFSETS.fullmatch(offsets) is None:
            raise self.fail(f"expected 'TYPE START END', found {line.fields[1]!r}", line)
        pieces = [tuple(map(int, piece.split())) for piece in offsets.split(";")]
        previous = 0
        for start, end in pieces:
            if not previous <= start < end <= len(self.raw):
                raise self.fail(
                    f"bad offsets {start} {end} (the text has {len(self.raw)} characters)", line
                )
            previous = end
        expected = " ".join(self.raw[s:e] for s, e in pieces)
        if _flat(line.fields[2]).rstrip() != _flat(expected).rstrip():
            raise self.fail(
                f"the text {line.fields[2]!r} differs from {expected!r} at offsets {offsets}", line
            )
        for (_, end), (start, _) in pairwise(pieces):
            if self.raw[end:start].strip():
                raise self.fail(
                    "a discontinuous span (fragments apart by more than white space) "
                    "is not supported",
                    line,
                )
        start, end = self.place(pieces[0][0], line), self.place(pieces[-1][1], line)
        return SpanRecord(line.id, start, end, label, self.text[start:end])

    def target(self, value: str, line: _Line, what: str) -> str | None:
        """A span id named by a relation, attribute or note; None for an event (warned)."""
        target = value.split(":", 1)[1] if ":" in value else value
        if target in self.spans:
            return target
        if target in self.events:
            self.report.warn(f"{what} {line.id} is about event {target}; skipped", self.source)
            return None
        raise self.fail(f"{what} {line.id} names {target}, which is not a T line here", line)

    def relation(self, line: _Line) -> RelationRecord | None:
        parts = line.fields[1].split() if len(line.fields) in (2, 3) else []
        if len(parts) != 3 or (len(line.fields) == 3 and line.fields[2].strip()):
            raise self.fail("expected 'R<n><TAB>TYPE Arg1:T<n> Arg2:T<n>'", line)
        head = self.target(parts[1], line, "relation")
        tail = self.target(parts[2], line, "relation")
        if head is None or tail is None:
            return None
        return RelationRecord(line.id, head, tail, parts[0])

    def attribute(self, line: _Line) -> None:
        parts = line.fields[1].split() if len(line.fields) in (2, 3) else []
        if len(parts) not in (2, 3) or (len(line.fields) == 3 and line.fields[2].strip()):
            raise self.fail("expected 'A<n><TAB>NAME T<n> [VALUE]'", line)
        target = self.target(parts[1], line, "attribute")
        if target is not None:
            value: Any = parts[2] if len(parts) == 3 else True
            self.attributes.setdefault(target, {})[parts[0]] = value

    def note(self, line: _Line) -> None:
        parts = line.fields[1].split() if len(line.fields) in (2, 3) else []
        if len(parts) != 2:
            raise self.fail("expected '#<n><TAB>AnnotatorNotes T<n><TAB>NOTE'", line)
        if parts[0] != "AnnotatorNotes" or parts[1][:1] != "T":
            self.report.warn(f"note {line.id} ({parts[0]} on {parts[1]}) skipped", self.source)
            return
        target = self.target(parts[1], line, "note")
        if target is not None:
            note = line.fields[2] if len(line.fields) == 3 else ""
            self.attributes.setdefault(target, {})[NOTE_ATTRIBUTE] = note

    def read(self, content: str) -> tuple[tuple[SpanRecord, ...], tuple[RelationRecord, ...]]:
        """Parse the ``.ann`` text: spans first, then what refers to them."""
        lines: list[_Line] = []
        for number, raw_line in enumerate(content.split("\n"), start=1):
            body = raw_line.removesuffix("\r")
            if not body.strip():
                continue
            fields = body.split("\t", 2) if body[:1] in "T#" else body.split("\t")
            lines.append(_Line(number, fields[0].strip(), fields))
        for line in lines:
            if line.id.startswith("T"):
                if line.id in self.spans:
                    raise self.fail(f"{line.id} is defined twice", line)
                self.spans[line.id] = self.text_bound(line)
            elif line.id.startswith("E"):
                self.events.add(line.id)
                self.report.warn(
                    f"events are not supported; {line.id} skipped", self.source, line.number
                )
        relations = []
        for line in lines:
            kind = line.id[:1]
            if kind == "R":
                relation = self.relation(line)
                if relation is not None:
                    relations.append(relation)
            elif kind in ("A", "M"):
                self.attribute(line)
            elif kind == "#":
                self.note(line)
            elif kind not in ("T", "E"):
                self.report.warn(
                    f"line type {line.id!r} is not supported; skipped", self.source, line.number
                )
        spans = tuple(
            SpanRecord(s.id, s.start, s.end, s.label, s.text, attributes=self.attributes[s.id])
            if s.id in self.attributes
            else s
            for s in self.spans.values()
        )
        return spans, tuple(relations)


def _read_bytes(path: Path) -> bytes:
    return read_file(path, MAX_DOCUMENT_BYTES)


def read_pair(
    txt: Path, ann: Path | None, doc_id: str, report: ReadReport | None = None
) -> DocumentRecord:
    """Read one document from its ``.txt`` and (when there is one) ``.ann`` file."""
    report = report if report is not None else ReadReport(FORMAT_NAME)
    data = _read_bytes(txt)
    text = decode_article(data, str(txt))
    raw = data.decode("utf-8")  # valid: decode_article has checked it
    spans: tuple[SpanRecord, ...] = ()
    relations: tuple[RelationRecord, ...] = ()
    if ann is not None:
        content = _read_bytes(ann)
        try:
            decoded = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content.count(b"\n", 0, exc.start) + 1
            raise InputError("not valid UTF-8", source=str(ann), line=line) from None
        spans, relations = _Ann(ann, raw, text, report).read(decoded)
    return DocumentRecord(
        id=doc_id,
        text=text,
        meta={"title": first_line_title(text), "file": txt.name},
        spans=spans,
        relations=relations,
        source=str(ann or txt),
    )


def is_brat_folder(path: Path) -> bool:
    """True for a folder that holds at least one ``.ann`` file (at any depth)."""
    return path.is_dir() and next(path.rglob("*.ann"), None) is not None


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the documents of a brat folder, or of one ``.txt``/``.ann`` file and its twin.

    Document ids are the ``.txt`` paths relative to the folder, without the suffix.
    """
    report = report if report is not None else ReadReport(FORMAT_NAME)
    if path.is_dir():
        texts = sorted(path.rglob("*.txt"))
        stems = {t.with_suffix("") for t in texts}
        for ann in sorted(path.rglob("*.ann")):
            if ann.with_suffix("") not in stems:
                raise InputError(f"no {ann.stem}.txt beside this file", source=str(ann))
        for txt in texts:
            kind = not_a_file(txt)
            if kind is not None:  # a pipe or a device would never end: leave it out
                report.warn(f"skipped: {kind}, not a file", str(txt))
                continue
            ann = txt.with_suffix(".ann")
            doc_id = txt.relative_to(path).with_suffix("").as_posix()
            record = read_pair(txt, ann if ann.is_file() else None, doc_id, report)
            report.documents += 1
            yield record
        if not texts:
            raise InputError("the folder holds no .txt files", source=str(path))
        return
    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    if not txt.is_file():
        raise InputError(f"no {txt.name} beside this file", source=str(path))
    record = read_pair(txt, ann if ann.is_file() else None, path.stem, report)
    report.documents += 1
    yield record
