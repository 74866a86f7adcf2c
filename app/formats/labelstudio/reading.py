"""Reading a Label Studio JSON export: the array of tasks, the offset unit, the records."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.limits import refuse_constant, unreadable_json
from app.core.records import DocumentRecord, SpanRecord
from app.core.text import NewlineShift
from app.formats import csv_tables
from app.formats.labelstudio.config import FORMAT_NAME
from app.formats.labelstudio.task_reader import Region, Task, TaskReader
from app.formats.opening import read_file
from app.formats.report import ReadReport

MAX_FILE_BYTES = 512 * 1024 * 1024
"""Largest Label Studio file we import (512 MiB): the JSON array is parsed whole."""

_SPACE = re.compile(r"[ \t\n\r]*")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def tasks(content: str, source: str) -> Iterator[tuple[int, int, Any]]:
    """Each task of a JSON array of tasks (or of one task object): index, line and value."""
    decoder = json.JSONDecoder(parse_constant=refuse_constant)
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
                f"{where}: not JSON Glossa can read: {unreadable_json(exc)}",
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


def _decide_utf16(found: list[Task], source: str, report: ReadReport) -> bool:
    """True when the file counts UTF-16 units; raise when a region fits neither unit."""
    utf16_only: tuple[Task, Region] | None = None
    code_points_only: tuple[Task, Region] | None = None
    mapped = 0
    loose: list[tuple[Task, Region]] = []
    for task in found:
        for region in task.regions:
            by_code_points = task.fits_code_points(region)
            by_utf16 = region.shown is not None and task.from_utf16(region) is not None
            if not by_code_points and not by_utf16 and task.fits_loosely(region):
                # the offsets are right; the text was written with its white space escaped
                loose.append((task, region))
                region.shown = None
                by_code_points = True
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
    if loose:
        task, region = loose[0]
        report.warn(
            f"{len(loose)} region(s) state their text with white space written differently "
            f"(first: {region.where}); placed by their offsets",
            source,
            task.line,
        )
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


def _record(task: Task, utf16: bool, source: str) -> DocumentRecord:
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
    """Yield the documents of a Label Studio JSON export (see ``app.formats.labelstudio``).

    The whole file is read and checked before the first document is yielded. A
    ``datapackage.json`` beside a ``documents.csv`` belongs to a CSV table folder and is
    read with it, so it yields nothing here.
    """
    report = report if report is not None else ReadReport(FORMAT_NAME)
    source = str(path)
    if path.name == csv_tables.DATAPACKAGE and csv_tables.is_table_folder(path.parent):
        return
    data = read_file(path, MAX_FILE_BYTES)
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", source=source, line=line
        ) from None
    reader = TaskReader(source, report)
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
