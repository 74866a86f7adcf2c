"""Label Studio JSON: a JSON array of tasks, each with its annotations and predictions.

A task reads ``{"id", "data": {"text": ..., "title": ...}, "annotations": [{"result": [...],
"completed_by": ...}], "predictions": [{"result": [...], "model_version": ...}]}``. In a
``result``:

- ``{"id", "from_name", "to_name", "type": "labels", "value": {"start", "end", "text",
  "labels": ["PERSON"]}}`` is a span (one per label when a region has several);
- ``{"type": "relation", "from_id", "to_id", "direction", "labels": ["speaker"]}`` is a
  relation (``direction: "left"`` runs from ``to_id`` to ``from_id``; ``"bi"`` is read as
  ``"right"``);
- ``choices``, ``textarea``, ``number``, ``rating``, ``taxonomy`` and ``datetime`` results
  with a region's ``id`` are attributes of that region's spans, named by ``from_name``; one
  without a region is a document-level answer kept in the metadata.

Reading. Annotations become spans with origin ``imported`` and predictions spans with origin
``suggested``; the annotator is the annotation's ``completed_by`` (e.g. an email) or
``created_username``, or a prediction's ``model_version``. Cancelled annotations and drafts are
skipped with a warning. ``data`` keys other than ``text`` become metadata. Current Label
Studio counts offsets in code points; older versions counted UTF-16 code units. The unit is
decided for the whole file from the regions' ``value.text``: when some region's text is found
only by counting UTF-16 units and none only by code points, every offset of the file is
mapped from UTF-16 and the report says so; a region whose text is found at neither is refused
with an ``InputError`` naming the file, the line, the task index (``tasks[3]``) and the region.
A ``\\r\\n`` in a text is mapped into the canonical text. The file is read and checked whole
before its first document is yielded.

Writing. Offsets count code points. Spans go to one annotation per annotator, spans with
origin ``suggested`` to one prediction per annotator (its ``model_version``); a relation goes
with its head span, and is left out with a warning when its tail sits in another annotation.
Attributes become per-region results: text as ``textarea``, true/false as ``choices`` (values
``true`` and ``false``, read back as booleans), numbers as ``number``. The labeling config
that matches the file is written beside it (see ``export``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.offsets import QtPositions
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.text import NewlineShift, canonical_text
from app.formats import csv_tables
from app.formats.report import ExportReport, ReadReport

FORMAT_NAME = "labelstudio"
OFFSET_UNIT = "unicode code points"
MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest Label Studio file we import (512 MiB): the JSON array is parsed whole."""

LABELS_CONTROL = "label"
TEXT_OBJECT = "text"
PALETTE = (
    "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
    "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000", "#aaffc3",
    "#808000", "#ffd8b1", "#000075", "#a9a9a9",
)  # fmt: skip
"""Background colours given to labels in the written config, in turn."""

_VALUE_KEYS = {
    "choices": "choices",
    "textarea": "text",
    "number": "number",
    "rating": "rating",
    "taxonomy": "taxonomy",
    "datetime": "datetime",
}
"""Result types read as attributes, and the ``value`` key that holds each one's answer."""
_TASK_KEYS = frozenset({"id", "annotations", "completions", "predictions", "drafts", "meta"})
_SPACE = re.compile(r"[ \t\n\r]*")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def config_path(path: Path) -> Path:
    """Where ``export`` writes the labeling config for a JSON file at ``path``."""
    if path.suffix.lower() == ".xml":
        return path.with_name(path.stem + ".config.xml")
    return path.with_suffix(".xml")


# -- reading ------------------------------------------------------------------------------


@dataclass
class _Region:
    """A labelled region as written, before its offsets are placed in the canonical text."""

    where: str
    span_id: str
    start: int
    end: int
    shown: str | None
    label: str
    annotator: str
    origin: str
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Task:
    """One task read from the file, its regions still counted in the file's unit."""

    index: int
    line: int
    id: str
    raw: str
    text: str
    meta: dict[str, Any]
    regions: list[_Region] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    _utf16: QtPositions | None = None

    def unique(self, candidate: str) -> str:
        """A span id not yet used in this task: ``candidate``, or it with a ``~n`` suffix."""
        name, number = candidate, 1
        while name in self.used:
            number += 1
            name = f"{candidate}~{number}"
        self.used.add(name)
        return name

    def fits_code_points(self, region: _Region) -> bool:
        """True when the region's offsets are in range and, counted in code points, hold its
        text."""
        start, end = region.start, region.end
        if not 0 <= start < end <= len(self.raw):
            return False
        return region.shown is None or self.raw[start:end] == region.shown

    def from_utf16(self, region: _Region) -> tuple[int, int] | None:
        """The code point offsets of a region counted in UTF-16 units, when they hold its
        text."""
        if self._utf16 is None:
            self._utf16 = QtPositions.of(self.raw)
        positions = self._utf16
        if not 0 <= region.start < region.end <= positions.qt_length:
            return None
        start, end = positions.from_qt(region.start), positions.from_qt(region.end)
        if positions.to_qt(start) != region.start or positions.to_qt(end) != region.end:
            return None  # inside a surrogate pair
        if region.shown is not None and self.raw[start:end] != region.shown:
            return None
        return start, end


class _Reader:
    """Reads the tasks of one file."""

    def __init__(self, source: str, report: ReadReport) -> None:
        self.source = source
        self.report = report

    def fail(self, message: str, line: int | None) -> InputError:
        return InputError(message, source=self.source, line=line)

    def task(self, index: int, line: int, item: Any) -> _Task:
        """Phase one: the task's text, metadata, regions and relations."""
        where = f"tasks[{index}]"
        if not isinstance(item, dict):
            raise self.fail(f"{where}: a task is a JSON object", line)
        data = item.get("data") if "data" in item else item
        if not isinstance(data, dict):
            raise self.fail(f'{where}: "data" must be an object', line)
        raw = data.get("text")
        if not isinstance(raw, str):
            raise self.fail(f'{where}: "data" has no "text" string', line)
        try:
            text = canonical_text(raw, self.source, line)
        except InputError as exc:
            raise self.fail(f"{where}: {exc.message}", line) from None
        meta = {
            k: v
            for k, v in data.items()
            if k != "text" and (data is not item or k not in _TASK_KEYS)
        }
        task_id: Any = item.get("id") if data is not item else None
        if task_id is None and "id" in meta:
            task_id = meta.pop("id")
        if task_id is None:
            task_id = ""
        if isinstance(task_id, bool) or not isinstance(task_id, (str, int)):
            raise self.fail(f"{where}: the task id must be a string or a whole number", line)
        extra = item.get("meta")
        if data is not item and isinstance(extra, dict):
            for key, value in extra.items():
                meta.setdefault(key, value)
        task = _Task(index, line, str(task_id), raw, text, meta)
        groups = [("annotations", "imported"), ("completions", "imported")]
        for key, origin in [*groups, ("predictions", "suggested")]:
            entries = item.get(key) if data is not item else None
            if entries is None:
                continue
            if not isinstance(entries, list):
                raise self.fail(f'{where}: "{key}" must be a list', line)
            for number, entry in enumerate(entries):
                self.group(task, entry, f"{where}.{key}[{number}]", origin)
        drafts = item.get("drafts") if data is not item else None
        if isinstance(drafts, list) and drafts:
            self.report.warn(f"{where}: {len(drafts)} draft(s) not imported", self.source, line)
        return task

    def group(self, task: _Task, entry: Any, where: str, origin: str) -> None:
        """Read one annotation or prediction into ``task``."""
        line = task.line
        if not isinstance(entry, dict):
            raise self.fail(f"{where} is not an object", line)
        if entry.get("was_cancelled") is True:
            self.report.warn(f"{where} was cancelled in Label Studio; skipped", self.source, line)
            return
        result = entry.get("result")
        if result is None:
            return
        if not isinstance(result, list):
            raise self.fail(f'{where}: "result" must be a list', line)
        annotator = _annotator(entry, origin)
        regions: dict[str, list[_Region]] = {}
        for number, item in enumerate(result):
            if not isinstance(item, dict):
                raise self.fail(f"{where}.result[{number}] is not an object", line)
            if item.get("type") == "labels":
                region_id = self.region_id(item.get("id", f"result{number}"), where, line)
                for region in self.labels(task, item, f"{where} region {region_id!r}", region_id):
                    region.annotator, region.origin = annotator, origin
                    regions.setdefault(region_id, []).append(region)
        for number, item in enumerate(result):
            kind = item.get("type")
            if kind == "labels":
                continue
            if kind == "relation":
                self.relation(task, item, f"{where}.result[{number}]", regions, annotator)
            elif isinstance(kind, str) and kind in _VALUE_KEYS:
                self.attribute(task, item, f"{where}.result[{number}]", regions, kind)
            else:
                self.report.warn(
                    f"{where}.result[{number}]: result type {kind!r:.40} is not read; skipped",
                    self.source,
                    line,
                )

    def region_id(self, value: Any, where: str, line: int) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(f"{where}: a region id must be a string, found {value!r:.40}", line)
        return str(value)

    def labels(
        self, task: _Task, item: Mapping[str, Any], where: str, region_id: str
    ) -> list[_Region]:
        """The spans of a ``labels`` result, one per label, added to ``task``."""
        line = task.line
        value = item.get("value")
        if not isinstance(value, dict):
            raise self.fail(f'{where}: "value" must be an object', line)
        offsets = []
        for name in ("start", "end"):
            number = value.get(name)
            if isinstance(number, bool) or not isinstance(number, int):
                raise self.fail(
                    f"{where}: {name} must be a whole number, found {number!r:.40}", line
                )
            offsets.append(number)
        start, end = offsets
        shown = value.get("text")
        if shown is not None and not isinstance(shown, str):
            raise self.fail(f'{where}: "text" must be a string', line)
        labels = value.get("labels")
        if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
            raise self.fail(f'{where}: "labels" must be a list of label names', line)
        if not labels:
            self.report.warn(f"{where} has no label; skipped", self.source, line)
        found = []
        for number, label in enumerate(labels):
            span_id = task.unique(region_id if number == 0 else f"{region_id}/{label}")
            found.append(_Region(where, span_id, start, end, shown, label, "", ""))
        task.regions.extend(found)
        return found

    def relation(
        self,
        task: _Task,
        item: Mapping[str, Any],
        where: str,
        regions: Mapping[str, list[_Region]],
        annotator: str,
    ) -> None:
        """Add the relations of a ``relation`` result (one per label) to ``task``."""
        ends = []
        for key in ("from_id", "to_id"):
            region_id = self.region_id(item.get(key), f"{where}: {key}", task.line)
            if region_id not in regions:
                raise self.fail(
                    f"{where}: {key} {region_id!r} is not a labelled region of this annotation",
                    task.line,
                )
            ends.append(regions[region_id][0].span_id)
        head, tail = ends
        if item.get("direction") == "left":
            head, tail = tail, head
        labels = item.get("labels") or []
        if not isinstance(labels, list) or not all(isinstance(x, str) and x for x in labels):
            raise self.fail(f'{where}: "labels" must be a list of relation names', task.line)
        if not labels:
            self.report.warn(
                f"{where}: a relation without a label; skipped", self.source, task.line
            )
        for label in labels:
            relation_id = f"r{len(task.relations) + 1}"
            task.relations.append(RelationRecord(relation_id, head, tail, label, annotator))

    def attribute(
        self,
        task: _Task,
        item: Mapping[str, Any],
        where: str,
        regions: Mapping[str, list[_Region]],
        kind: str,
    ) -> None:
        """Attach a per-region answer to its spans, or keep a document-level one in meta."""
        name, value = item.get("from_name"), item.get("value")
        if not isinstance(name, str) or not name or not isinstance(value, dict):
            raise self.fail(
                f'{where}: a {kind} result needs "from_name" and a "value" object', task.line
            )
        answer = _answer(kind, value.get(_VALUE_KEYS[kind]))
        if answer is None:
            self.report.warn(
                f"{where}: {kind} {name!r} has no answer; skipped", self.source, task.line
            )
            return
        region_id = item.get("id")
        key = str(region_id) if isinstance(region_id, (str, int)) else None
        if key is not None and key in regions:
            for region in regions[key]:
                region.attributes[name] = answer
            return
        if "start" in value:
            problem = "is about no labelled region"
        elif name in task.meta:
            problem = "has the name of a data key"
        else:
            task.meta[name] = answer  # a document-level answer
            return
        self.report.warn(f"{where}: {kind} {name!r} {problem}; skipped", self.source, task.line)


def _annotator(entry: Mapping[str, Any], origin: str) -> str:
    """Who made an annotation (an email or name when known), or a prediction's model."""
    if origin == "suggested":
        model = entry.get("model_version")
        return str(model) if isinstance(model, (str, int)) and not isinstance(model, bool) else ""
    who = entry.get("completed_by")
    if isinstance(who, dict):
        for key in ("email", "username"):
            if isinstance(who.get(key), str) and who[key]:
                return str(who[key])
        who = who.get("id")
    name = entry.get("created_username")
    if isinstance(name, str) and name.strip():
        return re.sub(r",\s*\d+$", "", name.strip())
    if isinstance(who, (int, str)) and not isinstance(who, bool) and str(who):
        return f"user {who}"
    return ""


def _answer(kind: str, value: Any) -> Any:
    """An attribute value from a result's answer; None when there is none."""
    if kind in ("choices", "textarea"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items or not all(isinstance(x, str) for x in items):
            return None
        if len(items) > 1:
            return items
        if kind == "choices" and items[0] in ("true", "false"):
            return items[0] == "true"
        return items[0]
    return value


def tasks(content: str, source: str) -> Iterator[tuple[int, int, Any]]:
    """Each task of a JSON array of tasks (or of one task object): index, line and value."""
    decoder = json.JSONDecoder()
    lines = _Lines(content)

    def decode(position: int, where: str) -> tuple[Any, int]:
        try:
            value, end = decoder.raw_decode(content, position)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{where}: not JSON: {exc.msg} (column {exc.colno})",
                source=source,
                line=exc.lineno,
            ) from None
        except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
            raise InputError(
                f"{where}: not JSON Glossa can read: {str(exc)[:80]}",
                source=source,
                line=lines.at(position),
            ) from None
        if _ESCAPED_SURROGATE.search(content, position, end):
            try:
                json.dumps(value, ensure_ascii=False).encode("utf-8")
            except (UnicodeEncodeError, RecursionError):
                raise InputError(
                    f"{where}: a string holds a lone surrogate (an unpaired \\ud800-\\udfff)",
                    source=source,
                    line=lines.at(position),
                ) from None
        return value, end

    def skip(position: int) -> int:
        match = _SPACE.match(content, position)
        return match.end() if match else position

    position = skip(0)
    if content.startswith("{", position):
        value, end = decode(position, "tasks[0]")
        ends = [(0, lines.at(position), value)]
    elif not content.startswith("[", position):
        raise InputError(
            "a Label Studio export is a JSON array of tasks", source=source, line=lines.at(position)
        )
    else:
        ends = []
        position = skip(position + 1)
        end = position + 1  # after "]" when the array is empty
        index = 0
        more = not content.startswith("]", position)
        while more:
            value, end = decode(position, f"tasks[{index}]")
            yield index, lines.at(position), value
            position = skip(end)
            if content.startswith(",", position):
                position = skip(position + 1)
                index += 1
                continue
            if not content.startswith("]", position):
                found = (
                    "the file ends" if position >= len(content) else f"found {content[position]!r}"
                )
                raise InputError(
                    f"after tasks[{index}]: expected ',' or ']', {found}",
                    source=source,
                    line=lines.at(position),
                )
            end = position + 1
            more = False
    yield from ends
    rest = skip(end)
    if rest < len(content):
        raise InputError("text after the end of the JSON", source=source, line=lines.at(rest))


class _Lines:
    """Line numbers of increasing positions in a text, counted as it is walked."""

    def __init__(self, content: str) -> None:
        self.content = content
        self.position = 0
        self.line = 1

    def at(self, position: int) -> int:
        if position < self.position:
            return self.content.count("\n", 0, position) + 1
        self.line += self.content.count("\n", self.position, position)
        self.position = position
        return self.line


def _decide_utf16(found: list[_Task], source: str, report: ReadReport) -> bool:
    """True when the file counts UTF-16 units; raise when a region fits neither unit."""
    utf16_only: tuple[_Task, _Region] | None = None
    code_points_only: tuple[_Task, _Region] | None = None
    mapped = 0
    for task in found:
        for region in task.regions:
            by_code_points = task.fits_code_points(region)
            by_utf16 = region.shown is not None and task.from_utf16(region) is not None
            if region.shown is not None and not by_code_points and not by_utf16:
                at = task.raw[region.start : region.end] if region.start >= 0 else ""
                raise InputError(
                    f"{region.where}: the text {region.shown!r:.60} is not at "
                    f"[{region.start}, {region.end}), counted in code points ({at!r:.60}) "
                    f"or in UTF-16 units",
                    source=source,
                    line=task.line,
                )
            if by_utf16 and not by_code_points:
                utf16_only = utf16_only or (task, region)
                mapped += 1
            elif by_code_points and not by_utf16 and region.shown is not None:
                code_points_only = code_points_only or (task, region)
    if utf16_only is None:
        return False
    if code_points_only is not None:
        (a, first), (b, second) = utf16_only, code_points_only
        raise InputError(
            f"{first.where} is counted in UTF-16 units but {second.where} (line {b.line}) in "
            "code points; the file mixes offset units",
            source=source,
            line=a.line,
        )
    report.warn(
        f"offsets are counted in UTF-16 code units (an older Label Studio): {mapped} region(s) "
        "mapped to code points",
        source,
        utf16_only[0].line,
    )
    return True


def _record(task: _Task, utf16: bool, source: str) -> DocumentRecord:
    """Phase two: place the task's regions in its canonical text."""
    shift = NewlineShift(task.raw) if task.text != task.raw else None
    spans = []
    for region in task.regions:
        placed = task.from_utf16(region) if utf16 else None
        if placed is None and not utf16 and task.fits_code_points(region):
            placed = (region.start, region.end)
        if placed is None:
            unit = "UTF-16 units" if utf16 else "code points"
            raise InputError(
                f"{region.where}: [{region.start}, {region.end}) is outside the text "
                f"({len(task.raw)} characters), counted in {unit}",
                source=source,
                line=task.line,
            )
        start, end = placed
        if shift is not None:
            mapped_start, mapped_end = shift.map(start), shift.map(end)
            if mapped_start is None or mapped_end is None:
                raise InputError(
                    f"{region.where}: an offset falls between \\r and \\n and cannot be placed",
                    source=source,
                    line=task.line,
                )
            start, end = mapped_start, mapped_end
        spans.append(
            SpanRecord(
                id=region.span_id,
                start=start,
                end=end,
                label=region.label,
                text=task.text[start:end],
                annotator=region.annotator,
                origin=region.origin,
                attributes=region.attributes,
            )
        )
    return DocumentRecord(
        id=task.id,
        text=task.text,
        meta=task.meta,
        spans=tuple(spans),
        relations=tuple(task.relations),
        source=source,
        line=task.line,
    )


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the documents of a Label Studio JSON export (see the module docstring).

    The whole file is read and checked before the first document is yielded. A
    ``datapackage.json`` beside a ``documents.csv`` belongs to a CSV table folder and is
    read with it, so it yields nothing here.
    """
    report = report if report is not None else ReadReport(FORMAT_NAME)
    source = str(path)
    if path.name == csv_tables.DATAPACKAGE and csv_tables.is_table_folder(path.parent):
        return
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes", source=source
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=source) from None
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", source=source, line=line
        ) from None
    reader = _Reader(source, report)
    found = [reader.task(index, line, item) for index, line, item in tasks(content, source)]
    if not found:
        raise InputError("the file holds no tasks", source=source)
    seen: dict[str, int] = {}
    for task in found:
        if task.id and task.id in seen:
            raise InputError(
                f"tasks[{task.index}]: task id {task.id!r} is also the id of "
                f"tasks[{seen[task.id]}]",
                source=source,
                line=task.line,
            )
        seen.setdefault(task.id, task.index)
    utf16 = _decide_utf16(found, source, report)
    records = [_record(task, utf16, source) for task in found]
    for record in records:
        report.documents += 1
        yield record


# -- writing ------------------------------------------------------------------------------


@dataclass
class _Config:
    """Labels, relations and attribute controls used, for the labeling config."""

    labels: set[str] = field(default_factory=set)
    relations: set[str] = field(default_factory=set)
    attributes: dict[str, str] = field(default_factory=dict)
    """Attribute name -> result type (``choices``, ``textarea`` or ``number``)."""

    def kind(self, name: str, value: Any) -> str | None:
        """The result type of an attribute value, or None when it has none here."""
        if isinstance(value, bool):
            kind = "choices"
        elif isinstance(value, (int, float)):
            kind = "number"
        elif isinstance(value, str) or (
            isinstance(value, list) and value and all(isinstance(x, str) for x in value)
        ):
            kind = "textarea"
        else:
            return None
        if self.attributes.setdefault(name, kind) != kind:
            return None  # the name was first written with another type
        return kind

    def xml(self, report: ExportReport) -> str:
        """The ``<View>`` labeling config."""
        view = ET.Element("View")
        labels = ET.SubElement(view, "Labels", name=LABELS_CONTROL, toName=TEXT_OBJECT)
        for number, label in enumerate(sorted(self.labels)):
            colour = PALETTE[number % len(PALETTE)]
            ET.SubElement(labels, "Label", value=_xml_safe(label, report), background=colour)
        ET.SubElement(view, "Text", name=TEXT_OBJECT, value=f"${TEXT_OBJECT}")
        if self.relations:
            relations = ET.SubElement(view, "Relations")
            for name in sorted(self.relations):
                ET.SubElement(relations, "Relation", value=_xml_safe(name, report))
        for name, kind in sorted(self.attributes.items()):
            common = {"name": _xml_safe(name, report), "toName": TEXT_OBJECT, "perRegion": "true"}
            if kind == "choices":
                choices = ET.SubElement(view, "Choices", common, choice="single")
                for value in ("true", "false"):
                    ET.SubElement(choices, "Choice", value=value)
            elif kind == "textarea":
                ET.SubElement(view, "TextArea", common, editable="true")
            else:
                ET.SubElement(view, "Number", common)
        ET.indent(view)
        return ET.tostring(view, encoding="unicode") + "\n"


def _xml_safe(value: str, report: ExportReport) -> str:
    """``value`` without the characters XML 1.0 cannot hold (each becomes ``?``)."""
    safe = _XML_INVALID.sub("?", value)
    if safe != value:
        report.warn(f"{value!r} is written as {safe!r} in the labeling config (XML)")
    return safe


def _region_value(record: DocumentRecord, span: SpanRecord) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": record.text[span.start : span.end]}


def task_json(record: DocumentRecord, config: _Config, report: ExportReport) -> dict[str, Any]:
    """The Label Studio task of one document; what it uses is added to ``config``."""
    results: dict[tuple[bool, str], list[dict[str, Any]]] = {}
    group_of: dict[str, tuple[bool, str]] = {}
    for span in record.spans:
        group = group_of[span.id] = (span.origin == "suggested", span.annotator)
        result = results.setdefault(group, [])
        value = _region_value(record, span)
        result.append(
            {
                "id": span.id,
                "from_name": LABELS_CONTROL,
                "to_name": TEXT_OBJECT,
                "type": "labels",
                "value": {**value, "labels": [span.label]},
            }
        )
        config.labels.add(span.label)
        report.keep(span.label)
        for name, answer in span.attributes.items():
            kind = config.kind(name, answer) if name not in (LABELS_CONTROL, TEXT_OBJECT) else None
            if kind is None:
                report.warn(
                    f"span {span.id}: attribute {name} = {answer!r:.40} has no Label Studio "
                    "control here; left out",
                    record.id,
                )
                continue
            if kind == "choices":
                answer = ["true" if answer else "false"]
            elif kind == "textarea" and isinstance(answer, str):
                answer = [answer]
            result.append(
                {
                    "id": span.id,
                    "from_name": name,
                    "to_name": TEXT_OBJECT,
                    "type": kind,
                    "value": {**value, _VALUE_KEYS[kind]: answer},
                }
            )
    for relation in record.relations:
        head, tail = group_of.get(relation.head), group_of.get(relation.tail)
        if head is None or tail is None or head != tail:
            why = (
                "names a span the document lacks"
                if head is None or tail is None
                else ("joins spans of two annotations (annotators or suggestions)")
            )
            report.warn(f"relation {relation.id} {why}; left out", record.id)
            continue
        config.relations.add(relation.label)
        results[head].append(
            {
                "from_id": relation.head,
                "to_id": relation.tail,
                "type": "relation",
                "direction": "right",
                "labels": [relation.label],
            }
        )
    data: dict[str, Any] = {"text": record.text}
    numeric = record.id.isascii() and record.id.isdigit() and len(record.id) < 16
    numeric = numeric and str(int(record.id)) == record.id
    for key, value in record.meta.items():
        if key == "text" or (key == "id" and not numeric):
            report.warn(f"metadata {key!r} clashes with a Label Studio key; left out", record.id)
        else:
            data[key] = value
    task: dict[str, Any] = {}
    if numeric:
        task["id"] = int(record.id)
    elif record.id:
        data["id"] = record.id
    task["data"] = data
    task["annotations"] = [
        {"result": result, **({"created_username": who} if who else {})}
        for (suggested, who), result in results.items()
        if not suggested
    ]
    task["predictions"] = [
        {"model_version": who, "result": result}
        for (suggested, who), result in results.items()
        if suggested
    ]
    return task


def export(records: Iterable[DocumentRecord], path: Path) -> ExportReport:
    """Write documents as a Label Studio JSON array of tasks at ``path`` (one task a line).

    The labeling config that declares every label, relation and attribute control used is
    written beside it as ``path.with_suffix(".xml")`` (``NAME.json`` gets ``NAME.xml``; see
    ``config_path``), to paste into the project's Labeling Interface settings.
    """
    report = ExportReport(FORMAT_NAME)
    config = _Config()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("[")
        for record in records:
            out.write(",\n" if report.documents else "\n")
            out.write(json.dumps(task_json(record, config, report), ensure_ascii=False))
            report.documents += 1
        out.write("\n]\n")
    config_path(path).write_text(config.xml(report), encoding="utf-8", newline="\n")
    return report
