"""Label Studio JSON: a real export, old UTF-16 offsets, round trips, the config, broken files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import csv_tables, labelstudio
from app.formats.report import ReadReport
from tests.unit.formats.strategies import ANNOTATORS, ORIGINS, SPAN_LABELS, texts
from tests.unit.formats.test_tokens import article_texts

DATA = Path(__file__).resolve().parents[2] / "data" / "formats" / "labelstudio"
FAST = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_a_label_studio_export() -> None:
    report = ReadReport("labelstudio")
    first, empty = labelstudio.read(DATA / "export.json", report)

    assert first.id == "41" and first.line == 2
    assert first.meta == {"title": "Harbour", "section": "city", "topic": "transport"}
    spans = {s.id: s for s in first.spans}
    assert set(spans) == {"P1", "C1", "Q1", "P1~2", "x9"}
    assert spans["P1"].text == "Zoe\u0308 Lindqvist"
    assert (spans["P1"].annotator, spans["P1"].origin) == ("zoe@example.org", "imported")
    assert spans["Q1"].text == "\u201cIt will open before the summer.\u201d"
    assert spans["Q1"].attributes == {
        "mode": "direct",
        "note": "check the date",
        "check_worthy": True,
    }
    assert (spans["P1~2"].origin, spans["P1~2"].annotator) == ("suggested", "gazetteer-2")
    assert (spans["x9"].label, spans["x9"].text) == ("ORG", "Harbour")
    assert [(r.head, r.tail, r.label, r.annotator) for r in first.relations] == [
        ("Q1", "P1", "speaker", "zoe@example.org"),  # direction "left" runs to -> from
        ("Q1", "C1", "cue", "zoe@example.org"),
    ]
    assert empty.id == "42" and empty.spans == () and empty.meta == {}
    assert [w.message for w in report.warnings] == [
        "tasks[0].annotations[1] was cancelled in Label Studio; skipped"
    ]
    assert report.documents == 2


def test_old_utf16_offsets_are_mapped_with_a_warning() -> None:
    report = ReadReport("labelstudio")
    (doc,) = labelstudio.read(DATA / "utf16.json", report)

    assert [(s.text, s.label) for s in doc.spans] == [
        ("Ana", "PERSON"),
        ("Ben", "PERSON"),
        ("\U0001f6a2", "EMOJI"),
    ]
    assert doc.spans[1].start == doc.text.rindex("Ben")
    (warning,) = report.warnings
    assert "UTF-16" in warning.message and "3 region(s)" in warning.message
    assert warning.line == 2


def test_a_single_task_object_and_a_task_without_data(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text('{"data": {"text": "Ana"}, "annotations": []}', encoding="utf-8")
    bare = tmp_path / "bare.json"
    bare.write_text('[{"text": "Ana", "lang": "pt"}]', encoding="utf-8")

    assert [d.text for d in labelstudio.read(one)] == ["Ana"]
    (doc,) = labelstudio.read(bare)
    assert (doc.text, doc.meta) == ("Ana", {"lang": "pt"})


def test_crlf_texts_are_made_canonical(tmp_path: Path) -> None:
    text = "Title\r\n\r\nAna \U0001f6a2 met Ben."
    start = text.index("Ben")
    task = {
        "data": {"text": text},
        "annotations": [
            {
                "result": [
                    {
                        "id": "b",
                        "type": "labels",
                        "value": {"start": start, "end": start + 3, "text": "Ben", "labels": ["P"]},
                    }
                ]
            }
        ],
    }
    path = tmp_path / "crlf.json"
    path.write_text(json.dumps([task]), encoding="utf-8")

    (doc,) = labelstudio.read(path)

    assert doc.text == "Title\n\nAna \U0001f6a2 met Ben."
    assert doc.text[doc.spans[0].start : doc.spans[0].end] == "Ben"


# -- round trip ------------------------------------------------------------------------------

TYPED_ATTRIBUTES = st.fixed_dictionaries(
    {},
    optional={
        "mode": st.sampled_from(["direct", "indirect", "mixed", "", "true", "a\nb"]),
        "note": st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
        "check_worthy": st.booleans(),
        "count": st.integers(-(2**53), 2**53),
    },
)
"""One type per attribute name, as in a Glossa schema (enum, text, yes/no)."""


@st.composite
def annotated(draw: st.DrawFn, number: int) -> DocumentRecord:
    text = draw(st.one_of(texts, article_texts()))
    spans = []
    for index in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(
            SpanRecord(
                f"s{index}",
                start,
                end,
                draw(st.sampled_from(SPAN_LABELS)),
                text[start:end],
                annotator=draw(st.sampled_from(("", *ANNOTATORS))),
                origin=draw(st.sampled_from(ORIGINS)),
                attributes=draw(TYPED_ATTRIBUTES),
            )
        )
    relations = []
    if spans:
        ids = st.sampled_from([s.id for s in spans])
        for index in range(draw(st.integers(0, 4))):
            relations.append(RelationRecord(f"r{index}", draw(ids), draw(ids), "speaker"))
    doc_id = draw(st.sampled_from([str(number + 1), f"news/{number}", f"00{number}", ""]))
    meta: dict[str, Any] = {"title": draw(texts)}
    return DocumentRecord(doc_id, text, meta, tuple(spans), tuple(relations))


def group(span: SpanRecord) -> tuple[bool, str]:
    return span.origin == "suggested", span.annotator


def span_key(span: SpanRecord) -> tuple[Any, ...]:
    origin = "suggested" if span.origin == "suggested" else "imported"
    attributes = sorted(span.attributes.items())
    return span.start, span.end, span.label, span.text, span.annotator, origin, repr(attributes)


def content(record: DocumentRecord, kept: list[RelationRecord]) -> tuple[Any, ...]:
    by_id = {s.id: span_key(s) for s in record.spans}
    return (
        record.id,
        record.text,
        record.meta,
        sorted(by_id.values()),
        sorted((by_id[r.head], by_id[r.tail], r.label) for r in kept),
    )


@FAST
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(*(annotated(i) for i in range(n)))))
def test_round_trip(tmp_path: Path, records: tuple[DocumentRecord, ...]) -> None:
    path = tmp_path / "tasks.json"
    report = labelstudio.export(records, path)

    back = list(labelstudio.read(path))

    assert report.documents == len(back) == len(records)
    for original, imported in zip(records, back, strict=True):
        spans = {s.id: s for s in original.spans}
        kept = [r for r in original.relations if group(spans[r.head]) == group(spans[r.tail])]
        assert content(imported, imported.relations) == content(original, kept)
        for span in imported.spans:
            assert imported.text[span.start : span.end] == span.text
    crossing = sum(len(r.relations) for r in records) - sum(len(r.relations) for r in back)
    assert crossing == sum("joins spans of two annotations" in w.message for w in report.warnings)


def test_config_is_written_beside_the_json(tmp_path: Path) -> None:
    text = "Ana said hi."
    record = DocumentRecord(
        "1",
        text,
        spans=(
            SpanRecord("a", 0, 3, "PERSON", "Ana", attributes={"check_worthy": False, "n": 2}),
            SpanRecord("q", 9, 11, "QUOTE", "hi", attributes={"mode": "direct", "n": "two"}),
            SpanRecord("x", 4, 8, '<CUE & "verb">', "said", attributes={"label": "x"}),
        ),
        relations=(RelationRecord("r", "q", "a", "speaker"),),
    )
    path = tmp_path / "NAME.json"

    report = labelstudio.export([record], path)

    assert labelstudio.config_path(path) == tmp_path / "NAME.xml"
    view = ET.fromstring((tmp_path / "NAME.xml").read_text(encoding="utf-8"))
    labels = view.find("Labels")
    assert labels is not None and labels.attrib == {"name": "label", "toName": "text"}
    assert [(x.get("value"), x.get("background")) for x in labels] == [
        ('<CUE & "verb">', "#e6194b"),
        ("PERSON", "#3cb44b"),
        ("QUOTE", "#ffe119"),
    ]
    assert view.find("Text").attrib == {"name": "text", "value": "$text"}  # type: ignore[union-attr]
    assert [r.get("value") for r in view.iter("Relation")] == ["speaker"]
    controls = {c.get("name"): c.tag for c in view if c.get("perRegion") == "true"}
    assert controls == {"check_worthy": "Choices", "mode": "TextArea", "n": "Number"}
    messages = " | ".join(w.message for w in report.warnings)
    assert "attribute n = 'two' has no Label Studio control here" in messages
    assert "attribute label = 'x'" in messages
    (task,) = json.loads(path.read_text(encoding="utf-8"))
    assert task["id"] == 1 and task["data"] == {"text": text}
    (back,) = labelstudio.read(path)
    assert {s.id: s.attributes for s in back.spans} == {
        "a": {"check_worthy": False, "n": 2},
        "q": {"mode": "direct"},
        "x": {},
    }
    assert labelstudio.config_path(tmp_path / "a.xml") == tmp_path / "a.config.xml"


def test_datapackage_beside_csv_tables_is_left_to_the_csv_reader(tmp_path: Path) -> None:
    csv_tables.export([DocumentRecord("d", "Ana")], tmp_path)

    assert list(labelstudio.read(tmp_path / "datapackage.json")) == []


BROKEN = [
    ("truncated.json", 79, "tasks[1]: not JSON"),
    ("bad-encoding.json", 48, "not valid UTF-8 (byte 0xe9)"),
    ("dangling-relation.json", 45, "tasks[1].annotations[0].result[2]: to_id 'zz'"),
    ("span-out-of-range.json", 45, "tasks[1].annotations[0] region 'q': the text 'no' is not at"),
    ("text-mismatch.json", 45, "region 'q': the text 'yes' is not at [10, 12)"),
    ("duplicate-ids.json", 97, "tasks[2]: task id '1' is also the id of tasks[0]"),
    ("trailing-comma.json", 97, "tasks[2]: not JSON: Expecting value"),
    ("not-an-array.json", 1, "a JSON array of tasks"),
    ("missing-text.json", 45, 'tasks[1]: "data" has no "text" string'),
    ("labels-not-a-list.json", 45, '"labels" must be a list of label names'),
    ("wrong-shape.json", 45, "tasks[1].annotations[0] region 'p': start must be a whole number"),
    ("mixed-units.json", 2, "the file mixes offset units"),
]


@pytest.mark.parametrize(("name", "line", "message"), BROKEN)
def test_broken_files_give_one_clear_error_and_no_document(
    name: str, line: int, message: str
) -> None:
    path = DATA / "broken" / name
    reader = labelstudio.read(path)
    with pytest.raises(InputError) as info:
        next(reader)
    assert info.value.source == str(path)
    assert info.value.line == line
    assert message in info.value.message
