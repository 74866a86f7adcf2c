"""Prodigy JSONL: tasks in (accepted ones as annotations), tasks out, read back the same."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.formats import FORMATS, ReadReport, detect, prodigy
from tests.unit.formats.test_fuzz_importers import byte_mutations

TEXT = "Apple hired Tim Cook in Cupertino."
TOKENS = [
    {"text": w, "start": s, "end": e, "id": i, "ws": True}
    for i, (w, s, e) in enumerate(
        [("Apple", 0, 5), ("hired", 6, 11), ("Tim", 12, 15), ("Cook", 16, 20), ("in", 21, 23),
         ("Cupertino", 24, 33), (".", 33, 34)]
    )
]  # fmt: skip
PERSON = {"start": 12, "end": 20, "token_start": 2, "token_end": 3, "label": "PERSON"}
ORG = {"start": 0, "end": 5, "token_start": 0, "token_end": 0, "label": "ORG"}
REL_TASK = {
    "text": TEXT,
    "_input_hash": 123,
    "_task_hash": 456,
    "tokens": TOKENS,
    "spans": [ORG, PERSON],
    "relations": [
        {"head": 3, "child": 0, "label": "employed_by", "head_span": PERSON, "child_span": ORG},
        {"head": 0, "child": 3, "label": "employs"},  # token indices only
        {"head": 0, "child": 5, "label": "located_in"},  # token 5 is in no span
    ],
    "answer": "accept",
    "_annotator_id": "news-alex",
    "meta": {"source": "wire"},
}
REJECTED = {"text": "About Paris.", "spans": [{"start": 6, "end": 11, "label": "GPE"}],
            "answer": "reject", "_input_hash": 7, "_task_hash": 8}  # fmt: skip
CHOICE = {"text": "Which topic?", "options": [{"id": "POL", "text": "Politics"}],
          "accept": ["POL"], "answer": "accept", "_input_hash": 9, "_task_hash": 10}  # fmt: skip


def write(path: Path, *tasks: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    return path


def test_prodigy_jsonl_is_told_by_its_content(tmp_path: Path) -> None:
    assert detect.detect_name(write(tmp_path / "a.jsonl", REL_TASK)) == "prodigy"
    assert detect.detect_name(write(tmp_path / "b.jsonl", CHOICE)) == "prodigy"
    only_tokens = {"text": TEXT, "tokens": TOKENS}
    assert detect.detect_name(write(tmp_path / "c.jsonl", only_tokens)) == "prodigy"
    native = {"text": TEXT, "spans": [{"start": 0, "end": 5, "label": "ORG"}]}
    assert detect.detect_name(write(tmp_path / "d.jsonl", native)) == "jsonl"
    assert "prodigy" in FORMATS


def test_accepted_spans_and_relations_are_read(tmp_path: Path) -> None:
    report = ReadReport("prodigy")
    [record] = prodigy.read(write(tmp_path / "a.jsonl", REL_TASK), report)

    assert [(s.start, s.end, s.label, s.annotator) for s in record.spans] == [
        (0, 5, "ORG", "news-alex"),
        (12, 20, "PERSON", "news-alex"),
    ]
    by_id = {s.id: s.label for s in record.spans}
    assert [(by_id[r.head], by_id[r.tail], r.label) for r in record.relations] == [
        ("PERSON", "ORG", "employed_by"),
        ("ORG", "PERSON", "employs"),
    ]
    assert record.meta["_input_hash"] == 123 and record.meta["_task_hash"] == 456
    assert record.meta["source"] == "wire"
    assert [w.describe() for w in report.warnings] == [
        f"{tmp_path / 'a.jsonl'}:1: 1 relation(s) between tokens that no span covers left out "
        "(Glossa relations join spans)"
    ]


def test_rejected_tasks_keep_their_answer_not_their_spans(tmp_path: Path) -> None:
    rejected, choice = prodigy.read(write(tmp_path / "a.jsonl", REJECTED, CHOICE))

    assert rejected.spans == ()
    assert rejected.meta["answer"] == "reject"
    assert rejected.meta["prodigy_spans"] == REJECTED["spans"]
    assert choice.meta["accept"] == ["POL"]
    assert choice.meta["options"] == CHOICE["options"]


@pytest.mark.parametrize(
    ("task", "message"),
    [
        ({"text": "Ann", "spans": [{"start": 0, "end": 9, "label": "P"}]}, "outside the text"),
        ({"text": "Ann", "spans": [{"start": 0, "end": 3}]}, "missing label"),
        ({"text": "Ann", "spans": [{"start": 0, "end": 3, "label": "P", "text": "Bo"}]}, "Bo"),
        ({"text": "Ann", "tokens": [{"start": 0, "end": 3, "id": 0}],
          "relations": [{"head": 4, "child": 0, "label": "r"}]}, "token 4"),
    ],
)  # fmt: skip
def test_a_broken_task_is_refused_with_its_line(
    tmp_path: Path, task: dict[str, Any], message: str
) -> None:
    path = write(tmp_path / "a.jsonl", CHOICE, task)
    with pytest.raises(InputError) as caught:
        list(prodigy.read(path))
    assert caught.value.line == 2
    assert message in caught.value.message


def test_export_writes_prodigy_tasks_that_read_back(tmp_path: Path) -> None:
    [record] = prodigy.read(write(tmp_path / "a.jsonl", REL_TASK))
    out = tmp_path / "out.jsonl"

    report = prodigy.export([record], out)

    task = json.loads(out.read_text(encoding="utf-8"))
    assert (task["_input_hash"], task["_task_hash"], task["answer"]) == (123, 456, "accept")
    assert task["_annotator_id"] == "news-alex"
    assert task["spans"][1] == {**PERSON, "text": "Tim Cook"}
    assert task["relations"][0]["head"] == 3 and task["relations"][0]["child"] == 0
    assert report.kept == {"ORG": 1, "PERSON": 1}
    [again] = prodigy.read(out)
    assert [(s.start, s.end, s.label) for s in again.spans] == [
        (s.start, s.end, s.label) for s in record.spans
    ]
    assert len(again.relations) == 2


@st.composite
def documents(draw: st.DrawFn) -> DocumentRecord:
    words = draw(st.lists(st.sampled_from(["Ann", "Bo", "said", "x-y", "über", "👍🏽", ",", "3.5"]),
                          min_size=1, max_size=12))  # fmt: skip
    text = " ".join(words)
    spans = []
    for number in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        if text[start:end].strip() and not text[start].isspace() and not text[end - 1].isspace():
            spans.append(SpanRecord(str(number), start, end, "L", text[start:end]))
    relations = (RelationRecord("r", spans[0].id, spans[-1].id, "rel"),) if len(spans) > 1 else ()
    return DocumentRecord("d", text, spans=tuple(spans), relations=relations)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents())
def test_any_document_goes_out_and_comes_back(tmp_path: Path, record: DocumentRecord) -> None:
    out = tmp_path / "out.jsonl"
    prodigy.export([record], out)
    task = json.loads(out.read_text(encoding="utf-8"))
    for span in task["spans"]:  # each span starts and ends on tokens
        assert task["tokens"][span["token_start"]]["start"] == span["start"]
        assert task["tokens"][span["token_end"]]["end"] == span["end"]

    [back] = prodigy.read(out)

    assert sorted({(s.start, s.end) for s in back.spans}) == sorted(
        {(s.start, s.end) for s in record.spans}
    )
    assert len(back.relations) == len(record.relations)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_only_input_errors_escape_the_reader(tmp_path: Path, data: st.DataObject) -> None:
    seed = (json.dumps(REL_TASK) + "\n" + json.dumps(CHOICE) + "\n").encode()
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data.draw(byte_mutations(seed)))
    with contextlib.suppress(InputError):
        list(prodigy.read(path))


def test_an_end_named_by_offsets_alone_is_the_span_there(tmp_path: Path) -> None:
    task = dict(
        REL_TASK,
        relations=[
            {
                "head": 3,
                "child": 0,
                "label": "employed_by",
                "head_span": {"start": 12, "end": 20},
                "child_span": {"start": 0, "end": 5, "label": None},
            }
        ],
    )
    [record] = prodigy.read(write(tmp_path / "a.jsonl", task))

    by_id = {s.id: s.label for s in record.spans}
    assert len(record.spans) == 2
    assert [(by_id[r.head], by_id[r.tail]) for r in record.relations] == [("PERSON", "ORG")]


def test_tasks_repeating_a_text_are_one_document_with_every_accepted_span() -> None:
    """As ``ner.teach`` and several annotators write a dataset: one line a suggestion."""
    path = Path(__file__).resolve().parents[2] / "data" / "formats" / "prodigy"
    report = ReadReport("prodigy")
    sublime, emacs = prodigy.read(path / "teach-repeats.jsonl", report)
    assert [(s.text, s.annotator) for s in sublime.spans] == [
        ("Sublime Text", "reddit_product-default"),
        ("Python", "reddit_product-default"),
        ("Sublime Text", "reddit_product-ann2"),
    ]
    assert len({s.id for s in sublime.spans}) == 3
    assert [r["answer"] for r in sublime.meta["prodigy_repeats"]] == [
        "reject",
        "accept",
        "accept",
        "ignore",
    ]
    assert sublime.meta["prodigy_repeats"][0]["prodigy_spans"][0]["text"] == "Vim"
    assert [s.text for s in emacs.spans] == ["Emacs"]
    assert report.documents == 2
    (warning,) = [w.describe() for w in report.warnings]
    assert warning.endswith(
        ":3: 4 task(s) repeat the text of an earlier task (a suggestion "
        "or an annotator each): their annotations were added to its document"
    )
