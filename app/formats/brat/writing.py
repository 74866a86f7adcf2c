"""Writing documents as brat ``.txt`` + ``.ann`` pairs and an ``annotation.conf``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from app.core.annotations import joined_pieces
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats.brat.config import Config
from app.formats.brat.standoff import (
    BRAT_ATTRIBUTES,
    CONFIG_FILE,
    EVENT,
    FORMAT_NAME,
    FRAGMENT,
    ID,
    ID_ATTRIBUTE,
    META_KEY,
    NORMALIZATION_ATTRIBUTE,
    NOTE_ATTRIBUTE,
    WHITE,
    brat_ids,
    flat,
    fragments,
)
from app.formats.report import ExportReport

_ORDER = {"T": 0, "E": 1, "R": 2, "A": 3, "M": 3, "N": 4, "#": 5, "*": 6}


def _sort_key(line: str) -> tuple[int, int]:
    head = line.split("\t", 1)[0]
    number = int(head[1:]) if head[1:].isdigit() else 0
    return _ORDER.get(head[:1], 7), number


def brat_type(name: str, report: ExportReport, source: str) -> str:
    """A label or attribute name as brat accepts it: no white space."""
    typed = WHITE.sub("_", name)
    if typed != name:
        report.warn(f"{name!r} written as {typed!r} (brat names hold no white space)", source)
    return typed


class _Writer:
    """The ``.ann`` lines of one document, brat ids kept where the document has them."""

    def __init__(self, record: DocumentRecord, config: Config, report: ExportReport, src: str):
        self.record, self.config, self.report, self.source = record, config, report, src
        kept = record.meta.get(META_KEY)
        kept = kept if isinstance(kept, dict) else {}
        self.brat_relations: dict[str, list[str]] = dict(kept.get("relations") or {})
        self.reverse_ids: dict[str, str] = {v: k for k, v in (kept.get("ids") or {}).items()}
        self.verbatim: list[str] = [line for line in kept.get("lines") or [] if "\t" in line]
        self.spans = {s.id: s for s in record.spans}
        self.written: set[str] = set()
        self.next: dict[str, int] = {}
        self.lines: list[str] = []
        for span in record.spans:
            self._reserve(*brat_ids(span.attributes)[:2])
        self._reserve(*self.brat_relations, *self.reverse_ids.values())
        # relations as read, by (type, first id, second id), for finding each one's R line
        self.kept_by_ends: dict[tuple[str, str, str], list[str]] = {}
        for rid, kept in self.brat_relations.items():
            if isinstance(kept, list) and len(kept) in (5, 6):
                self.kept_by_ends.setdefault((kept[0], kept[2], kept[4]), []).append(rid)
        self._reserve(*(line.split("\t", 1)[0] for line in self.verbatim))

    def _reserve(self, *ids: str) -> None:
        for brat_id in ids:
            if ID.fullmatch(brat_id):
                number = int(brat_id[1:])
                self.next[brat_id[0]] = max(self.next.get(brat_id[0], 1), number + 1)

    def _claim(self, wanted: str, kind: str) -> str:
        """``wanted`` when it is free, else a new id of ``kind``."""
        if not wanted or wanted in self.written:
            number = self.next.get(kind, 1)
            self.next[kind] = number + 1
            wanted = f"{kind}{number}"
        self.written.add(wanted)
        return wanted

    def chains(self) -> tuple[dict[str, list[str]], dict[str, str], set[int]]:
        """Discontinuous spans: root -> later fragments, fragment -> root, relations used.

        Fragment relations between spans of one label join them into one span, whatever the
        shape of the links; one read from an ``R`` line stays an ``R`` line.
        """
        tails: dict[str, list[str]] = {}
        root: dict[str, str] = {}
        used: set[int] = set()
        for number, rel in enumerate(self.record.relations):
            head, tail = self.spans.get(rel.head), self.spans.get(rel.tail)
            if rel.label != FRAGMENT or head is None or tail is None or head.label != tail.label:
                continue
            ends = (self._brat_id(head), self._brat_id(tail))
            if self.kept_by_ends.get((FRAGMENT, *ends)):
                continue
            first = root.get(rel.head, rel.head)
            if rel.tail in root or rel.tail == first:
                continue
            moved = tails.pop(rel.tail, [])
            tails.setdefault(first, []).extend([rel.tail, *moved])
            for member in [rel.tail, *moved]:
                root[member] = first
            used.add(number)
        return tails, root, used

    @staticmethod
    def _brat_id(span: SpanRecord) -> str:
        text_id, event_id, _ = brat_ids(span.attributes)
        return event_id or text_id

    def write(self) -> list[str]:
        text = self.record.text
        tails, root, used = self.chains()
        self.text_ids: dict[str, str] = {}
        self.event_ids: dict[str, str] = {}
        shapes: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        roots = [s for s in self.record.spans if s.id not in root]
        for span in roots:
            label = brat_type(span.label, self.report, self.source)
            members = [span] + [self.spans[t] for t in tails.get(span.id, [])]
            # a chain of fragment spans may overlap or come in any order: brat reads one
            # span's pieces as the characters they cover, so they are written joined, in order
            low, high, joined = joined_pieces([p for m in members for p in m.pieces])
            pieces = [p for s, e in joined or [(low, high)] for p in fragments(text, s, e)]
            wanted_t, wanted_e, trigger = brat_ids(span.attributes)
            if trigger and wanted_t and shapes.get(wanted_t) == (label, pieces):
                tid = wanted_t  # events sharing one trigger
            else:
                tid = self._claim(wanted_t, "T")
                shapes[tid] = (label, pieces)
                offsets = ";".join(f"{s} {e}" for s, e in pieces)
                shown = " ".join(flat(text[s:e]) for s, e in pieces)
                self.lines.append(f"{tid}\t{label} {offsets}\t{shown}")
            self.text_ids[span.id] = tid
            if trigger:
                self.event_ids[span.id] = self._claim(wanted_e, "E")
            else:
                self.config.entities.add(label)
            self.report.keep(span.label, len(members))
            for later in members[1:]:
                if any(k not in BRAT_ATTRIBUTES for k in later.attributes):
                    self.report.warn(
                        f"span {later.id}: attributes of a later fragment left out", self.source
                    )
        for tail, first in root.items():
            self.text_ids[tail] = self.text_ids[first]
            if first in self.event_ids:
                self.event_ids[tail] = self.event_ids[first]
        self._relations(used, root)
        for span in roots:
            self._attributes(span)
        self._verbatim()
        return sorted(self.lines, key=_sort_key)

    def _ref(self, span_id: str) -> str:
        return self.event_ids.get(span_id) or self.text_ids[span_id]

    def _label(self, span_id: str) -> str:
        return WHITE.sub("_", self.spans[span_id].label)

    def _relations(self, used: set[int], root: dict[str, str]) -> None:
        roles: dict[str, list[tuple[str, str]]] = {}  # trigger -> (role, argument span)
        for number, rel in enumerate(self.record.relations):
            if number in used:
                continue
            if rel.head not in self.text_ids or rel.tail not in self.text_ids:
                self.report.warn(
                    f"relation {rel.id} names a span the document lacks; left out", self.source
                )
                continue
            name = brat_type(rel.label, self.report, self.source)
            kept = self._kept_relation(name, rel)
            # a fragment link that joins no span stays an R line: as a role it would join one
            trigger = rel.head in self.event_ids and rel.head not in root
            if kept is None and trigger and rel.label != FRAGMENT:
                roles.setdefault(rel.head, []).append((name, rel.tail))
                continue
            rid, first, head, second, tail, *end = kept or [
                "",
                "Arg1",
                self._ref(rel.head),
                "Arg2",
                self._ref(rel.tail),
            ]
            rid = self._claim(rid, "R")
            self.config.relation(
                name, (first, second), self._label(rel.head), self._label(rel.tail)
            )
            self.lines.append(f"{rid}\t{name} {first}:{head} {second}:{tail}{''.join(end)}")
        for span_id, event in self.event_ids.items():
            if span_id in root:
                continue
            arguments = roles.get(span_id, [])
            label = self._label(span_id)
            roles_text = " ".join(f"{r}:{self._ref(a)}" for r, a in arguments)
            # brat writes the space before the arguments even when there are none
            self.lines.append(f"{event}\t{label}:{self.text_ids[span_id]} {roles_text}")
            self.config.event(label, [(role, self._label(arg)) for role, arg in arguments])

    def _kept_relation(self, name: str, rel: RelationRecord) -> list[str] | None:
        """The brat relation this one was read from: its id, argument names and ids."""
        heads = {self.text_ids[rel.head], self.event_ids.get(rel.head, "")}
        tails = {self.text_ids[rel.tail], self.event_ids.get(rel.tail, "")}
        for head in heads:
            for tail in tails:
                rids = self.kept_by_ends.get((name, head, tail))
                if rids:
                    rid = rids.pop(0)
                    return [rid, *self.brat_relations[rid][1:]]
        return None

    def _line(self, kind: str, key: str, body: str) -> None:
        """An attribute, note or normalization line, keeping the id it was read with."""
        wanted = self.reverse_ids.pop(key, "")
        if wanted[:1] not in (kind, "M" if kind == "A" else kind):
            wanted = ""
        self.lines.append(f"{self._claim(wanted, kind)}\t{body}")

    def _target(self, span: SpanRecord, key: str, suffix: str = "") -> str:
        """The id an attribute of ``span`` is written on: the event, or the T line it was on."""
        tid, event = self.text_ids[span.id], self.event_ids.get(span.id)
        if event and f"{key} {tid}{suffix}" in self.reverse_ids:
            return tid
        return event or tid

    def _attributes(self, span: SpanRecord) -> None:
        label = self._label(span.id)
        for name, value in span.attributes.items():
            if name in BRAT_ATTRIBUTES and (name == ID_ATTRIBUTE or value == EVENT):
                continue
            if name == NOTE_ATTRIBUTE and isinstance(value, str):
                if value:
                    if flat(value) != value:
                        self.report.warn(
                            f"span {span.id}: note line breaks and tabs written as spaces",
                            self.source,
                        )
                    key = f"AnnotatorNotes {self._target(span, 'AnnotatorNotes')}"
                    self._line("#", key, f"{key}\t{flat(value)}")
                continue
            if name == NORMALIZATION_ATTRIBUTE and isinstance(value, (str, list)):
                for item in [value] if isinstance(value, str) else value:
                    self._normalization(span, item)
                continue
            brat_name = brat_type(name, self.report, self.source)
            target = self._target(span, brat_name)
            for body in self._attribute(span, brat_name, value, target, label):
                self._line("A", f"{brat_name} {target}", body)

    def _normalization(self, span: SpanRecord, item: Any) -> None:
        words = str(item).split(" ", 2)
        if len(words) < 2:
            self.report.warn(f"span {span.id}: normalization {item!r} left out", self.source)
            return
        kind, reference = words[0], words[1]
        target = self._target(span, kind, f" {reference}")
        shown = flat(words[2]) if len(words) == 3 else ""
        key = f"{kind} {target} {reference}"
        self._line("N", key, f"{key}\t{shown}")

    def _attribute(
        self, span: SpanRecord, name: str, value: Any, target: str, label: str
    ) -> Iterator[str]:
        if value is False or value is None or value == "":
            return  # brat reads a missing attribute as false
        labels, values = self.config.attributes.setdefault(name, (set(), set()))
        if value is True:
            labels.add(label)
            yield f"{name} {target}"
            return
        if isinstance(value, (dict, list)) or (isinstance(value, str) and WHITE.search(value)):
            self.report.warn(
                f"span {span.id}: attribute {name} = {value!r} is not one word; left out",
                self.source,
            )
            return
        if not isinstance(value, str):
            self.report.warn(
                f"span {span.id}: attribute {name} = {value!r} written as text", self.source
            )
        labels.add(label)
        values.add(str(value))
        yield f"{name} {target} {value}"

    def _verbatim(self) -> None:
        """Lines kept in the document's metadata, when what they name is still written."""
        types = {line.split("\t")[0]: line.split("\t")[1].split()[0] for line in self.lines}
        for line in self.verbatim:
            own, rest = line.split("\t", 1)
            words = rest.split("\t", 1)[0].split()
            named = words[1:]
            missing = [w for w in named if ID.fullmatch(w) and w not in self.written]
            if missing or (own != "*" and own in self.written):
                self.report.warn(
                    f"{own} left out: it names {', '.join(missing) or own}, no longer written",
                    self.source,
                )
                continue
            if own != "*":
                self.written.add(own)
            if own[:1] in "AM" and named and named[0] in types:
                labels, values = self.config.attributes.setdefault(words[0], (set(), set()))
                labels.add(types[named[0]].split(":")[0])
                values.update(named[1:2])
            self.lines.append(line)


def ann_lines(
    record: DocumentRecord, config: Config, report: ExportReport, source: str
) -> list[str]:
    """The ``.ann`` lines of one document, adding what it uses to ``config``."""
    return _Writer(record, config, report, source).write()


def _file_name(record: DocumentRecord, number: int, used: set[str]) -> str:
    """A file name stem for a document: its id made safe, unique without regard to case."""
    base = re.sub(r"[^\w.-]+", "_", record.id).strip("._") or f"document-{number}"
    name, suffix = base, 1
    while name.lower() in used:
        suffix += 1
        name = f"{base}-{suffix}"
    used.add(name.lower())
    return name


def export(records: Iterable[DocumentRecord], folder: Path) -> ExportReport:
    """Write each document as ``NAME.txt`` and ``NAME.ann`` in ``folder``, plus the config.

    ``NAME`` is the document id made safe for a file name. Returns what was written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    report = ExportReport(FORMAT_NAME)
    config = Config()
    used: set[str] = set()
    for number, record in enumerate(records, start=1):
        name = _file_name(record, number, used)
        (folder / f"{name}.txt").write_bytes(record.text.encode("utf-8"))
        lines = ann_lines(record, config, report, f"{name}.ann")
        (folder / f"{name}.ann").write_bytes("".join(f"{line}\n" for line in lines).encode())
        report.documents += 1
    (folder / CONFIG_FILE).write_text(config.text(), encoding="utf-8", newline="\n")
    return report
