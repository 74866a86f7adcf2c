"""Reading one ``.ann`` file against its ``.txt``: spans, events, relations and the rest."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.annotations import joined_pieces
from app.core.errors import InputError
from app.core.records import RelationRecord, SpanRecord
from app.formats.brat.counting import CANONICAL, Counting, OffsetMap, countings
from app.formats.brat.lines import AnnLine, split_lines
from app.formats.brat.standoff import (
    EVENT,
    FRAGMENT_BREAK,
    ID_ATTRIBUTE,
    KIND_ATTRIBUTE,
    NORMALIZATION_ATTRIBUTE,
    NOTE_ATTRIBUTE,
    flat,
    fragments,
)
from app.formats.report import ReadReport

_OFFSETS = re.compile(r"\d{1,15} \d{1,15}(?:;\d{1,15} \d{1,15})*")


@dataclass(frozen=True)
class _TextBound:
    line: AnnLine
    label: str
    pieces: list[tuple[int, int]]
    column: str | None


@dataclass
class Annotations:
    """What one ``.ann`` file holds, as Glossa records plus what the document meta keeps."""

    spans: tuple[SpanRecord, ...]
    relations: tuple[RelationRecord, ...]
    meta: dict[str, Any] = field(default_factory=dict)


class AnnReader:
    """One ``.ann`` file being read against the raw and canonical text of its ``.txt``."""

    def __init__(self, path: Path, raw: str, text: str, report: ReadReport) -> None:
        self.source = str(path)
        self.raw = raw
        self.text = text
        self.report = report
        self.spans: dict[str, SpanRecord] = {}  # record id -> span, in file order
        self.attributes: dict[str, dict[str, Any]] = {}  # record id -> attributes
        self.relations: list[RelationRecord] = []
        self.triggers: dict[str, str] = {}  # E id -> record id of its trigger span
        self.claimed: set[str] = set()  # T ids already the trigger of an event
        self.defined: dict[str, str] = {}  # every id -> its kind
        self.brat_relations: dict[str, list[str]] = {}
        self.ids: dict[str, str] = {}
        self.lines: list[str] = []
        self.counts: Counter[str] = Counter()
        self.first: dict[str, AnnLine] = {}
        self.raw_view = OffsetMap(raw, text, Counting(crlf_two=True, bom=True))

    def fail(self, message: str, line: AnnLine) -> InputError:
        return InputError(message, source=line.source or self.source, line=line.number)

    def _tally(self, what: str, line: AnnLine) -> None:
        self.counts[what] += 1
        self.first.setdefault(what, line)

    # -- text-bound annotations ---------------------------------------------------------

    def text_bound(self, line: AnnLine) -> _TextBound:
        if len(line.fields) not in (2, 3):
            raise self.fail(
                f"a T line has 3 tab-separated fields (id, type and offsets, text), "
                f"found {len(line.fields)}",
                line,
            )
        label, _, offsets = line.fields[1].strip().partition(" ")
        if not label or _OFFSETS.fullmatch(offsets) is None:
            raise self.fail(f"expected 'TYPE START END', found {line.fields[1]!r}", line)
        pieces = [(int(a), int(b)) for a, b in (p.split() for p in offsets.split(";"))]
        for start, end in pieces:
            if start >= end:
                raise self.fail(
                    f"bad offsets {start} {end} (the start is not before the end)", line
                )
        column = line.fields[2] if len(line.fields) == 3 else None
        if column is None:
            self._tally("no text column", line)
        return _TextBound(line, label, pieces, column)

    def _map(self, bound: _TextBound, offsets: OffsetMap) -> tuple[list[tuple[int, int]], str]:
        """Canonical pieces of a T line, or a problem (which makes the pieces meaningless)."""
        mapped = []
        for start, end in bound.pieces:
            a, b = offsets.map(start), offsets.map(end)
            if a is None or b is None:
                wrong = start if a is None else end
                return [], f"bad offsets {start} {end}: {wrong} {offsets.problem(wrong, self.text)}"
            mapped.append((a, b))
        if bound.column is not None:
            shown = " ".join(self.text[a:b] for a, b in mapped)
            # a writer counting \r\n as two may show the \r too
            raw = " ".join(
                self.raw[self.raw_view.unmap(a) : self.raw_view.unmap(b)] for a, b in mapped
            )
            if flat(bound.column) not in (flat(shown), flat(raw)):
                offsets_text = ";".join(f"{a} {b}" for a, b in bound.pieces)
                return [], (
                    f"the text {bound.column!r} differs from {shown!r} at offsets {offsets_text}"
                )
        return mapped, ""

    def place(self, bounds: list[_TextBound]) -> list[list[tuple[int, int]]]:
        """Canonical pieces of every T line, in the one counting that makes them all agree."""
        candidates = countings(self.raw)
        if all(b.column is None for b in bounds):
            candidates = candidates[:1]
        # a counting is given up at its first disagreement; the one that got furthest names it
        best: tuple[int, AnnLine, str, Counting] | None = None
        for counting in candidates:
            offsets = OffsetMap(self.raw, self.text, counting)
            placed: list[list[tuple[int, int]]] = []
            for bound in bounds:
                pieces, problem = self._map(bound, offsets)
                if problem:
                    if best is None or len(placed) > best[0]:
                        best = (len(placed), bound.line, problem, counting)
                    break
                placed.append(pieces)
            else:
                if counting != CANONICAL:
                    self.report.warn(f"offsets count {counting.describe()}; mapped", self.source)
                return placed
        assert best is not None
        _, line, problem, counting = best
        if len(candidates) > 1:
            problem += (
                "; no counting of offsets (code points or UTF-8 bytes, \\r\\n as one or two) "
                "makes every span agree with its text"
            )
        raise self.fail(problem, line)

    def add_text_bound(self, bound: _TextBound, pieces: list[tuple[int, int]]) -> None:
        """One span; pieces apart by text (not only by line breaks) make it discontinuous."""
        pieces = sorted(pieces)
        groups: list[list[tuple[int, int]]] = [[pieces[0]]]
        for piece in pieces[1:]:
            end = groups[-1][-1][1]
            if end < piece[0] and FRAGMENT_BREAK.fullmatch(self.text[end : piece[0]]):
                groups[-1].append(piece)
            else:
                groups.append([piece])
        extents: list[tuple[int, int]] = []
        for group in groups:
            start, end = group[0][0], group[-1][1]
            whole = len(group) == 1 or fragments(self.text, start, end) == group
            extents.extend([(start, end)] if whole else group)
        tid = bound.line.id
        start, end, joined = joined_pieces(extents)
        self.spans[tid] = SpanRecord(
            tid, start, end, bound.label, self.text[start:end], fragments=joined
        )
        self.attributes[tid] = {ID_ATTRIBUTE: tid}

    # -- events and relations -----------------------------------------------------------

    def _reference(self, value: str, line: AnnLine, what: str, kinds: str = "TE") -> str:
        """The record id of the span a T or E id names."""
        target = value.split(":", 1)[1] if ":" in value else value
        kind = self.defined.get(target)
        if kind == "T" and "T" in kinds:
            return target
        if kind == "E" and "E" in kinds:
            return self.triggers[target]
        raise self.fail(f"{what} {line.id} names {target}, which is not a T or E line here", line)

    def event_trigger(self, line: AnnLine) -> None:
        words = line.words
        if len(line.fields) not in (2, 3) or not words or ":" not in words[0]:
            raise self.fail("expected 'E<n><TAB>TYPE:T<n> ROLE:ID ...'", line)
        trigger = words[0].split(":", 1)[1]
        if self.defined.get(trigger) != "T":
            raise self.fail(f"event {line.id} names trigger {trigger}, which is not a T line", line)
        marker = f"{line.id} {trigger}"
        if trigger not in self.claimed:
            self.claimed.add(trigger)
            self.triggers[line.id] = trigger
            self.attributes[trigger].update({ID_ATTRIBUTE: marker, KIND_ATTRIBUTE: EVENT})
            return
        # another event on the same trigger: a span of its own, for its own arguments
        self._tally("shared trigger", line)
        self.spans[line.id] = self.spans[trigger]._replace(id=line.id)
        self.triggers[line.id] = line.id
        self.attributes[line.id] = {ID_ATTRIBUTE: marker, KIND_ATTRIBUTE: EVENT}

    def event_roles(self, line: AnnLine) -> None:
        head = self.triggers[line.id]
        label = line.words[0].split(":", 1)[0]
        if self.spans[head].label != label:  # the event's type is its trigger's label
            self.spans[head] = self.spans[head]._replace(label=label)
        for number, word in enumerate(line.words[1:], start=1):
            role, colon, argument = word.partition(":")
            if not colon or not role:
                raise self.fail(f"event {line.id}: expected ROLE:ID, found {word!r}", line)
            tail = self._reference(argument, line, "event")
            self.relations.append(RelationRecord(f"{line.id}:{number}", head, tail, role))

    def relation(self, line: AnnLine) -> None:
        words = line.words
        extra = len(line.fields) == 3 and line.fields[2].strip()
        if len(line.fields) not in (2, 3) or len(words) != 3 or extra or ":" not in words[1]:
            raise self.fail("expected 'R<n><TAB>TYPE Arg1:T<n> Arg2:T<n>'", line)
        if ":" not in words[2]:
            raise self.fail("expected 'R<n><TAB>TYPE Arg1:T<n> Arg2:T<n>'", line)
        (first, head_id), (second, tail_id) = (w.split(":", 1) for w in words[1:])
        head = self._reference(head_id, line, "relation")
        tail = self._reference(tail_id, line, "relation")
        self.relations.append(RelationRecord(line.id, head, tail, words[0]))
        kept = [words[0], first, head_id, second, tail_id]
        # brat itself ends an R line with a tab; other writers do not
        self.brat_relations[line.id] = [*kept, "\t"] if len(line.fields) == 3 else kept

    # -- what annotates an annotation ---------------------------------------------------

    def _target(self, target: str, line: AnnLine, what: str) -> str | None:
        """The record id of the span ``target`` names; None when the line is kept verbatim."""
        kind = self.defined.get(target)
        if kind is None:
            raise self.fail(
                f"{what} {line.id} names {target}, which is not an annotation here", line
            )
        if kind in "TE":
            return self._reference(target, line, what)
        if kind == "R":
            self.lines.append(line.verbatim())
        else:
            self._tally(f"on {kind} annotations", line)
        return None

    def _put(self, record_id: str, name: str, value: Any, line: AnnLine, key: str) -> None:
        attributes = self.attributes[record_id]
        if name in attributes:  # two values for one name: keep the line as it is
            self.lines.append(line.verbatim())
            return
        attributes[name] = value
        self.ids[line.id] = key

    def attribute(self, line: AnnLine) -> None:
        words = line.words
        if len(words) not in (2, 3) or (len(line.fields) == 3 and line.fields[2].strip()):
            raise self.fail("expected 'A<n><TAB>NAME ID [VALUE]'", line)
        target = self._target(words[1], line, "attribute")
        if target is not None:
            value: Any = words[2] if len(words) == 3 else True
            self._put(target, words[0], value, line, f"{words[0]} {words[1]}")

    def note(self, line: AnnLine) -> None:
        words = line.words
        if len(words) != 2:
            raise self.fail("expected '#<n><TAB>AnnotatorNotes ID<TAB>NOTE'", line)
        target = self._target(words[1], line, "note")
        if target is None:
            return
        if words[0] != "AnnotatorNotes":
            self.lines.append(line.verbatim())
            return
        note = line.fields[2] if len(line.fields) == 3 else ""
        self._put(target, NOTE_ATTRIBUTE, note, line, f"{words[0]} {words[1]}")

    def normalization(self, line: AnnLine) -> None:
        words = line.words
        if len(words) != 3 or len(line.fields) not in (2, 3):
            raise self.fail("expected 'N<n><TAB>TYPE ID DB:ID<TAB>TEXT'", line)
        target = self._target(words[1], line, "normalization")
        if target is None:
            return
        text = line.fields[2] if len(line.fields) == 3 else ""
        value = " ".join(w for w in (words[0], words[2], text) if w)
        attributes = self.attributes[target]
        held = attributes.get(NORMALIZATION_ATTRIBUTE)
        if held is None:
            attributes[NORMALIZATION_ATTRIBUTE] = value
        else:
            attributes[NORMALIZATION_ATTRIBUTE] = [
                *([held] if isinstance(held, str) else held),
                value,
            ]
        self.ids[line.id] = f"{words[0]} {words[1]} {words[2]}"

    def equivalence(self, line: AnnLine) -> None:
        words = line.words
        if len(words) < 3:
            raise self.fail("expected '*<TAB>TYPE ID ID ...'", line)
        for word in words[1:]:
            self._reference(word, line, "equivalence")
        self.lines.append(line.verbatim())

    # -- the whole file -----------------------------------------------------------------

    def read(self, parts: Sequence[tuple[str, str]]) -> Annotations:
        """Parse ``(file, content)`` parts (one ``.ann``, or BioNLP's ``.a1`` and ``.a2``):
        spans first, then events, then what refers to them."""
        lines: list[AnnLine] = []
        for source, content in parts:
            found = split_lines(content, source)
            for line in found.unknown:
                self._tally("unknown kind", line)
            for line in found.continued:
                self._tally("continued", line)
            lines.extend(found.lines)
        for line in lines:
            if line.id != "*":
                if line.id in self.defined:
                    raise self.fail(f"{line.id} is defined twice", line)
                self.defined[line.id] = line.id[0]
        bounds = [self.text_bound(line) for line in lines if line.id[0] == "T"]
        for bound, pieces in zip(bounds, self.place(bounds) if bounds else [], strict=True):
            self.add_text_bound(bound, pieces)
        events = [line for line in lines if line.id[0] == "E"]
        for line in events:
            self.event_trigger(line)
        # R lines before event roles: an export takes the first relation of a type between
        # two spans for the R line it was read from, the later ones for roles
        for line in lines:
            if line.id[0] == "R":
                self.relation(line)
        for line in events:
            self.event_roles(line)
        readers = {
            "A": self.attribute,
            "M": self.attribute,
            "#": self.note,
            "N": self.normalization,
            "*": self.equivalence,
        }
        for kind in "AM#N*":
            for line in lines:
                if line.id[0] == kind:
                    readers[kind](line)
        self._warn()
        spans = tuple(
            s._replace(attributes=self.attributes[s.id]) if s.id in self.attributes else s
            for s in self.spans.values()
        )
        meta = {
            key: value
            for key, value in (
                ("relations", self.brat_relations),
                ("ids", self.ids),
                ("lines", self.lines),
            )
            if value
        }
        return Annotations(spans, tuple(self.relations), meta)

    def _warn(self) -> None:
        messages = {
            "shared trigger": "event(s) share a trigger with an earlier event; "
            "each has a trigger span of its own",
            "unknown kind": "line(s) of an unknown kind skipped",
            "no text column": "T line(s) without a text column: their offsets are not checked",
            "continued": "line(s) whose text runs on over the next lines of the file, joined",
        }
        for what, count in self.counts.items():
            message = messages.get(what, f"attribute(s) or note(s) {what} skipped")
            first = self.first[what]
            self.report.warn(f"{count} {message}", first.source or self.source, first.number)
