"""doccano 1.0 annotations, intent-detection entities, named columns, grapheme offsets and
the label shape written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import detect, doccano
from app.formats.report import ReadReport
from tests.unit.formats.strategies import documents

V1 = {
    "id": 7,
    "text": "Flights from Paris to Oslo.",
    "annotations": [
        {"label": 12, "start_offset": 13, "end_offset": 18, "user": 1},
        {"label": 12, "start_offset": 22, "end_offset": 26, "user": 2},
        {"label": 3, "user": 1},
    ],
    "meta": {"source": "forum"},
    "annotation_approver": None,
}
INTENT = {"text": "Book a table in Rome", "entities": [[16, 20, "City"]], "cats": ["booking"]}


def write(path: Path, *lines: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    return path


def spans(record: DocumentRecord) -> list[tuple[str, str, str]]:
    return [(s.text, s.label, s.annotator) for s in record.spans]


def test_doccano_1_annotations_take_label_names_from_the_label_export(tmp_path: Path) -> None:
    path = write(tmp_path / "export.jsonl", V1)
    (tmp_path / "labels.json").write_text(
        json.dumps([{"id": 12, "text": "City", "background_color": "#ff0000"}]), "utf-8"
    )

    assert detect.detect_name(path) == "doccano"
    report = ReadReport("doccano")
    [record] = doccano.read(path, report)

    assert spans(record) == [("Paris", "City", "user 1"), ("Oslo", "City", "user 2")]
    assert record.meta["annotations"] == [{"label": 3, "user": 1}]  # a document class
    assert record.meta["meta"] == {"source": "forum"}
    assert report.warnings == []


def test_doccano_1_label_ids_without_names_are_kept_with_a_warning(tmp_path: Path) -> None:
    report = ReadReport("doccano")
    [record] = doccano.read(write(tmp_path / "export.jsonl", V1), report)

    assert [s.label for s in record.spans] == ["12", "12"]
    assert len(report.warnings) == 1
    assert "labels are doccano label ids (12)" in report.warnings[0].message


def test_intent_detection_lines_are_doccano_not_native(tmp_path: Path) -> None:
    path = write(tmp_path / "intents.jsonl", INTENT)

    assert detect.detect_name(path) == "doccano"
    [record] = doccano.read(path)

    assert spans(record) == [("Rome", "City", "")]
    assert record.meta == {"cats": ["booking"]}


def test_named_columns(tmp_path: Path) -> None:
    line = {"sentence": "Ann met Bo", "tags": [{"start": 0, "end": 3, "label": "P"}], "n": 1}
    path = write(tmp_path / "custom.jsonl", line)

    [record] = doccano.reader("sentence", "tags")(path, None)

    assert spans(record) == [("Ann", "P", "")]
    assert record.meta == {"n": 1}


FAMILY = "👨\u200d👩\u200d👧"


def test_offsets_counted_in_grapheme_clusters_are_mapped_with_a_warning(tmp_path: Path) -> None:
    text = f"{FAMILY} Paris 🇫🇷 and\r\nOslo"
    # as a grapheme splitter counts: the family is 1, the flag is 1, \r\n is 1
    lines = [{"text": text, "label": [[2, 7, "City"], [14, 18, "City"]]}]
    report = ReadReport("doccano")

    [record] = doccano.read(write(tmp_path / "g.jsonl", *lines), report)

    assert [s.text for s in record.spans] == ["Paris", "Oslo"]
    assert record.text[record.spans[1].start : record.spans[1].end] == "Oslo"
    assert "offsets count grapheme clusters" in report.warnings[0].message


def test_a_stated_span_text_tells_grapheme_offsets(tmp_path: Path) -> None:
    lines = [{"text": "Zoe\u0308 and Bo", "label": [[8, 10, "P", "Bo"]]}]
    [record] = doccano.read(write(tmp_path / "g.jsonl", *lines))
    assert [s.text for s in record.spans] == ["Bo"]


def test_code_point_offsets_around_emoji_stay_code_points(tmp_path: Path) -> None:
    text = f"{FAMILY} Paris"
    report = ReadReport("doccano")
    lines = [{"text": text, "label": [[len(FAMILY) + 1, len(text), "City"]]}]

    [record] = doccano.read(write(tmp_path / "cp.jsonl", *lines), report)

    assert [s.text for s in record.spans] == ["Paris"]
    assert report.warnings == []


def test_the_label_shape_is_written_and_reads_back(tmp_path: Path) -> None:
    record = DocumentRecord(
        "d",
        "Ann said yes",
        meta={"title": "T"},
        spans=(SpanRecord("a", 0, 3, "PERSON", "Ann"), SpanRecord("q", 9, 12, "QUOTE", "yes")),
        relations=(RelationRecord("r", "q", "a", "speaker"),),
    )
    path = tmp_path / "out.jsonl"

    report = doccano.export_label_shape([record], path)

    line = json.loads(path.read_text("utf-8"))
    assert line == {
        "id": "d",
        "text": "Ann said yes",
        "label": [[0, 3, "PERSON"], [9, 12, "QUOTE"]],
        "title": "T",
    }
    assert "holds no relations: 1 left out" in report.warnings[0].message
    [back] = doccano.read(path)
    assert [(s.start, s.end, s.label) for s in back.spans] == [(0, 3, "PERSON"), (9, 12, "QUOTE")]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(documents(), min_size=1, max_size=3))
def test_the_label_shape_round_trips(tmp_path: Path, records: list[DocumentRecord]) -> None:
    path = tmp_path / "out.jsonl"
    doccano.export_label_shape(records, path)
    back = list(doccano.read(path, offsets="code points"))
    assert [[(s.start, s.end, s.label) for s in r.spans] for r in back] == [
        [(s.start, s.end, s.label) for s in r.spans] for r in records
    ]


@pytest.mark.parametrize("key", ["label", "entities"])
def test_a_line_without_spans_is_still_doccano(tmp_path: Path, key: str) -> None:
    path = write(tmp_path / "x.jsonl", {"text": "Nothing", key: []})
    assert detect.detect_name(path) == "doccano"


def test_emoji_counted_as_one_are_told_by_the_words_the_spans_would_cut(tmp_path: Path) -> None:
    text = f"{FAMILY}👍🏽 Anna Berg met Oslo Kommune"
    # a grapheme splitter counts the family and the toned thumb as one character each
    lines = [{"text": text, "label": [[3, 7, "P"], [8, 12, "P"], [17, 21, "L"]]}]
    report = ReadReport("doccano")

    [record] = doccano.read(write(tmp_path / "tweets.jsonl", *lines), report)

    assert [s.text for s in record.spans] == ["Anna", "Berg", "Oslo"]
    assert len(report.warnings) == 1
    as_is = list(doccano.read(write(tmp_path / "t.jsonl", *lines), offsets="code points"))
    assert [s.text for s in as_is[0].spans] != ["Anna", "Berg", "Oslo"]
