"""Reading one Label Studio task: its text, metadata, regions, relations and answers.

Regions keep the offsets as written; ``reading`` decides the file's offset unit and places
them in the canonical text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import InputError
from app.core.offsets import QtPositions
from app.core.records import RelationRecord
from app.core.text import canonical_text
from app.formats.labelstudio.config import VALUE_KEYS
from app.formats.report import ReadReport

_TASK_KEYS = frozenset({"id", "annotations", "completions", "predictions", "drafts", "meta"})
# What Label Studio itself writes around the data and the regions (bookkeeping: dates, counts,
# ids of its own tables). Read or knowingly passed over; any other key is reported.
_TASK_BOOKKEEPING = frozenset(
    {
        "data", "created_at", "updated_at", "inner_id", "total_annotations",
        "cancelled_annotations", "total_predictions", "comment_count",
        "unresolved_comment_count", "last_comment_updated_at", "project", "updated_by",
        "file_upload", "comment_authors", "annotators", "is_labeled", "overlap",
        "annotations_results", "predictions_results", "predictions_score",
        "annotations_ids", "predictions_model_versions", "avg_lead_time", "draft_exists",
        "storage_filename", "completed_at", "ground_truth", "agreement", "reviewed",
        "reviews_accepted", "reviews_rejected", "review_time",
    }
)  # fmt: skip
_ENTRY_KEYS = frozenset(
    {
        "id", "result", "completed_by", "was_cancelled", "ground_truth", "created_at",
        "updated_at", "draft_created_at", "lead_time", "prediction", "result_count", "task",
        "project", "parent_prediction", "parent_annotation", "last_action",
        "last_created_by", "unique_id", "import_id", "created_username", "created_ago",
        "model_version", "score", "cluster", "neighbors", "mislabeling", "updated_by",
        "bulk_created", "honeypot", "reviews", "review_result", "model", "model_run",
    }
)  # fmt: skip
_RESULT_KEYS = frozenset(
    {
        "id", "type", "from_name", "to_name", "value", "origin", "score", "readonly",
        "hidden", "parentID", "from_id", "to_id", "direction", "labels",
        "original_width", "original_height", "image_rotation", "item_index",
    }
)  # fmt: skip
_LABELS_VALUE_KEYS = frozenset({"start", "end", "text", "labels"})
_ESCAPED_SPACE = re.compile(r"\\[nrt]")
_SPACE = re.compile(r"\s+")


def _loose(text: str) -> str:
    """``text`` with escaped white space as white space and every run of it as one space."""
    return _SPACE.sub(" ", _ESCAPED_SPACE.sub(" ", text)).strip()


@dataclass
class Region:
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
class Task:
    """One task read from the file, its regions still counted in the file's unit."""

    index: int
    line: int
    id: str
    raw: str
    text: str
    meta: dict[str, Any]
    regions: list[Region] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    _utf16: QtPositions | None = None
    _alike: bool | None = None

    def unique(self, candidate: str) -> str:
        """A span id not yet used in this task: ``candidate``, or it with a ``~n`` suffix."""
        name, number = candidate, 1
        while name in self.used:
            number += 1
            name = f"{candidate}~{number}"
        self.used.add(name)
        return name

    def fits_code_points(self, region: Region) -> bool:
        """True when the region's offsets are in range and, counted in code points, hold its
        text."""
        start, end = region.start, region.end
        if not 0 <= start < end <= len(self.raw):
            return False
        return region.shown is None or self.raw[start:end] == region.shown

    def fits_loosely(self, region: Region) -> bool:
        """True when the region's offsets are in range and, counted in code points, hold its
        text but for white space written differently (``\\n`` for a line break, a space
        for a tab, runs of spaces)."""
        start, end = region.start, region.end
        if region.shown is None or not 0 <= start < end <= len(self.raw):
            return False
        return _loose(self.raw[start:end]) == _loose(region.shown)

    @property
    def counts_alike(self) -> bool:
        """True when UTF-16 units and code points count this text alike (it holds no
        character beyond the BMP, such as an emoji)."""
        if self._alike is None:
            self._alike = len(self.raw.encode("utf-16-le")) == 2 * len(self.raw)
        return self._alike

    def from_utf16(self, region: Region) -> tuple[int, int] | None:
        """The code point offsets of a region counted in UTF-16 units, when they hold its
        text."""
        if self.counts_alike:  # the same offsets: no table of positions needed
            return (region.start, region.end) if self.fits_code_points(region) else None
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


class TaskReader:
    """Reads the tasks of one file."""

    def __init__(self, source: str, report: ReadReport) -> None:
        self.source = source
        self.report = report

    def fail(self, message: str, line: int | None) -> InputError:
        """The error to raise about this file at ``line``."""
        return InputError(message, source=self.source, line=line)

    def task(self, index: int, line: int, item: Any) -> Task:
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
        if data is not item:
            self.unknown(item.keys() - _TASK_KEYS - _TASK_BOOKKEEPING, "task", line, where)
        extra = item.get("meta")
        if data is not item and isinstance(extra, dict):
            for key, value in extra.items():
                meta.setdefault(key, value)
        task = Task(index, line, str(task_id), raw, text, meta)
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

    def group(self, task: Task, entry: Any, where: str, origin: str) -> None:
        """Read one annotation or prediction into ``task``."""
        line = task.line
        if not isinstance(entry, dict):
            raise self.fail(f"{where} is not an object", line)
        if entry.get("was_cancelled") is True:
            self.report.warn(f"{where} was cancelled in Label Studio; skipped", self.source, line)
            return
        self.unknown(entry.keys() - _ENTRY_KEYS, "annotation", line, where)
        result = entry.get("result")
        if result is None:
            return
        if not isinstance(result, list):
            raise self.fail(f'{where}: "result" must be a list', line)
        annotator = _annotator(entry, origin)
        regions: dict[str, list[Region]] = {}
        for number, item in enumerate(result):
            if not isinstance(item, dict):
                raise self.fail(f"{where}.result[{number}] is not an object", line)
            self.unknown(item.keys() - _RESULT_KEYS, "result", line, f"{where}.result[{number}]")
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
            elif isinstance(kind, str) and kind in VALUE_KEYS:
                self.attribute(task, item, f"{where}.result[{number}]", regions, kind)
            else:
                self.report.warn(
                    f"{where}.result[{number}]: result type {kind!r:.40} is not read; skipped",
                    self.source,
                    line,
                )

    def unknown(self, keys: set[str], what: str, line: int, where: str) -> None:
        """Report keys of a ``what`` (``task``, ``annotation``, ``result``) that Label Studio
        does not write and Glossa does not read: kept nowhere, so each is counted."""
        for key in sorted(keys):
            self.report.unknown_key(key, what, line, where)

    def region_id(self, value: Any, where: str, line: int) -> str:
        """A region id as a string; raise unless it is a string or a whole number."""
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(f"{where}: a region id must be a string, found {value!r:.40}", line)
        return str(value)

    def labels(
        self, task: Task, item: Mapping[str, Any], where: str, region_id: str
    ) -> list[Region]:
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
        self.unknown(value.keys() - _LABELS_VALUE_KEYS, "result.value", line, where)
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
            found.append(Region(where, span_id, start, end, shown, label, "", ""))
        task.regions.extend(found)
        return found

    def relation(
        self,
        task: Task,
        item: Mapping[str, Any],
        where: str,
        regions: Mapping[str, list[Region]],
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
        task: Task,
        item: Mapping[str, Any],
        where: str,
        regions: Mapping[str, list[Region]],
        kind: str,
    ) -> None:
        """Attach a per-region answer to its spans, or keep a document-level one in meta."""
        name, value = item.get("from_name"), item.get("value")
        if not isinstance(name, str) or not name or not isinstance(value, dict):
            raise self.fail(
                f'{where}: a {kind} result needs "from_name" and a "value" object', task.line
            )
        answer = _answer(kind, value.get(VALUE_KEYS[kind]))
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
