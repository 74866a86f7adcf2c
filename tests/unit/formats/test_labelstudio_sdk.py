"""Label Studio's own SDK accepts what Glossa exports.

The labeling config passes ``LabelInterface.validate``; every task's data, annotations and
predictions pass its checks (labels declared, controls and types matching, relations
between regions of the same annotation); and the SDK's converter reads each region back
with the labels, offsets and text Glossa wrote, in code points of the task's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.annotations import Origin
from app.core.records import DocumentRecord
from app.formats import labelstudio
from app.services import Workspace, documents, spans
from app.services import relations as relations_service
from app.services.exporting import document_records, export
from app.services.importing import import_paths
from app.services.selection import Split
from tests.unit.formats.test_labelstudio import FAST, annotated

interface = pytest.importorskip("label_studio_sdk.label_interface")
converter = pytest.importorskip("label_studio_sdk.converter")

FERRY = "Ferry \U0001f6a2 news\r\n\r\nZoë 👩‍🚀 Ås said:\r\n“We sail at dawn,” said Acme Shipping."


def at(words: str, after: int = 0) -> dict[str, int]:
    """Offsets of ``words`` in the ferry article as written (before \\r\\n becomes \\n)."""
    start = FERRY.index(words, after)
    return {"start": start, "end": start + len(words)}


FERRY_ARTICLE = {
    "text": FERRY,
    "meta": {"title": "Ferry 🚢 news", "section": "harbour"},
    "spans": [
        {"id": "n", **at("Zoë 👩‍🚀 Ås"), "label": "PERSON", "annotator": "alice"},
        {"id": "z", **at("Zoë"), "label": "PERSON", "annotator": "alice"},
        {"id": "c1", **at("said"), "label": "CUE", "annotator": "alice"},
        {
            "id": "q",
            **at("“We sail at dawn,”"),
            "label": "QUOTE",
            "annotator": "alice",
            "attributes": {"kind": "direct"},
        },
        {
            "id": "claim",
            **at("“We sail at dawn,” said Acme Shipping."),
            "label": "CLAIM",
            "annotator": "alice",
            "attributes": {"check_worthy": True, "note": "dawn = 05:10?"},
        },
        {"id": "o", **at("Acme Shipping"), "label": "ORG", "annotator": "bob"},
        {"id": "o2", **at("Acme"), "label": "ORG", "annotator": "bob"},
        {"id": "s", **at("Ferry"), "label": "ORG", "annotator": "gazetteer", "origin": "suggested"},
    ],
    "relations": [
        {"id": "r1", "head": "q", "tail": "n", "label": "speaker", "annotator": "alice"},
        {"id": "r2", "head": "q", "tail": "c1", "label": "cue", "annotator": "alice"},
        {"id": "r3", "head": "claim", "tail": "n", "label": "claimant", "annotator": "alice"},
    ],
}


@dataclass
class Exported:
    """An export of real documents: the tasks file, its config and the records behind it."""

    path: Path
    config: str
    tasks: list[dict[str, Any]]
    records: dict[str, DocumentRecord]


def tag_quotations(workspace: Workspace) -> None:
    """Tag each sample article as a person would: every quotation, the "said" after it, the
    sentence around it as a claim (so the quote sits inside it), and the links."""
    for summary in documents.documents(workspace):
        text = documents.document(workspace, summary.id).text
        for match in re.finditer(r'"[^"\n]+"', text):
            quote = spans.add_span(
                workspace,
                summary.id,
                match.start(),
                match.end(),
                "QUOTE",
                attributes={"kind": "direct"},
            ).added[0]
            said = text.find("said", match.end(), match.end() + 40)
            if said >= 0:
                cue = spans.add_span(workspace, summary.id, said, said + 4, "CUE").added[0]
                relations_service.add_relation(workspace, quote.id, cue.id, "cue")
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            end = len(text) if end < 0 else end
            spans.add_span(
                workspace,
                summary.id,
                start,
                end,
                "CLAIM",
                attributes={"check_worthy": False, "note": "as quoted"},
                origin=Origin.SUGGESTED,
            )


def read_export(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """The labeling config and the tasks of an export."""
    config = labelstudio.config_path(path).read_text(encoding="utf-8")
    return config, json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def exported(sample_workspace: Workspace, tmp_path: Path) -> Exported:
    """The sample articles, tagged, and the ferry article, exported through the service."""
    source = tmp_path / "ferry.jsonl"
    source.write_text(json.dumps(FERRY_ARTICLE, ensure_ascii=False) + "\n", encoding="utf-8")
    assert import_paths(sample_workspace, [source]).ok
    tag_quotations(sample_workspace)
    path = tmp_path / "out" / "tasks.json"
    report = export(sample_workspace, "labelstudio", path)
    assert report.warnings == []
    records = list(document_records(sample_workspace))  # what the export wrote
    assert report.documents == len(records) == 4
    return Exported(path, *read_export(path), {r.id: r for r in records})


def sdk_errors(config: str, task: dict[str, Any]) -> list[str]:
    """What the SDK finds wrong with one task under ``config`` (nothing, for a good task)."""
    checker = interface.LabelInterface(config)
    errors = []
    if not checker.validate_task({"data": task["data"]}):
        errors.append(f"data lacks a key the config uses: {sorted(task['data'])}")
    for kind in ("annotations", "predictions"):
        for number, entry in enumerate(task[kind]):
            # validate_annotation answers yes or no; the same check lists what is wrong
            found = checker.validate_prediction(entry, return_errors=True)
            assert checker.validate_annotation(entry) is (not found)
            errors.extend(f"{kind}[{number}]: {message}" for message in found)
    return errors


def sdk_regions(exported: Exported) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(task id, region)`` of every labelled region, as the SDK's converter reads them."""
    reader = converter.Converter(
        exported.config, project_dir=str(exported.path.parent), download_resources=False
    )
    for item in reader.iter_from_json_file(str(exported.path)):
        for region in item["output"].get(labelstudio.LABELS_CONTROL, []):
            yield str(item["id"]), region


def test_the_labeling_config_is_valid_and_declares_every_label(
    exported: Exported, sample_workspace: Workspace
) -> None:
    checker = interface.LabelInterface(exported.config)
    checker.validate()  # raises on a config Label Studio would refuse

    schema = sample_workspace.schema
    declared = checker.get_control(labelstudio.LABELS_CONTROL).labels
    assert declared == [label.name for label in schema.labels]  # unused LOC too, in order
    controls = {name: checker.get_control(name).tag for name in ("kind", "check_worthy", "note")}
    assert controls == {"kind": "Choices", "check_worthy": "Choices", "note": "TextArea"}
    assert checker.get_control("kind").labels == ["direct", "indirect", "mixed"]
    assert checker.get_control("check_worthy").labels == ["true", "false"]


def split_configs(folder: Path) -> dict[str, str]:
    return {
        name: (folder / f"{name}.xml").read_text(encoding="utf-8")
        for name in ("train", "dev", "test")
    }


def colours_of(config: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2)
        for m in re.finditer(r'<Label value="([^"]+)" background="([^"]+)"', config)
    }


def test_every_split_gets_the_whole_schema_as_its_config(
    sample_workspace: Workspace, tmp_path: Path
) -> None:
    """Five documents split 80/10/10: some parts hold no span at all, yet each config
    declares every label in its own colour, every relation and each attribute's control,
    and each part validates with Label Studio's SDK."""
    for number in range(2):
        extra = tmp_path / f"extra{number}.txt"
        extra.write_text(f"Nothing tagged here, article {number}.", encoding="utf-8")
        assert import_paths(sample_workspace, [extra]).ok
    first = documents.documents(sample_workspace)[0].id
    text = documents.document(sample_workspace, first).text
    quote = re.search(r'"[^"\n]+"', text)
    assert quote is not None
    spans.add_span(
        sample_workspace,
        first,
        quote.start(),
        quote.end(),
        "QUOTE",
        attributes={"kind": "indirect"},
    )
    spans.add_span(
        sample_workspace,
        first,
        0,
        quote.end(),
        "CLAIM",
        attributes={"check_worthy": True, "note": "recheck"},
    )
    out = tmp_path / "split"
    report = export(sample_workspace, "labelstudio", out, split=Split.parse("0.8,0.1,0.1", seed=3))
    assert report.documents == 5

    schema = sample_workspace.schema
    wanted_colours = {label.name: label.colour for label in schema.labels}
    results: list[dict[str, Any]] = []
    for name, config in split_configs(out).items():
        checker = interface.LabelInterface(config)
        checker.validate()
        assert colours_of(config) == wanted_colours, name  # no colour swapped
        assert set(checker.get_control(labelstudio.LABELS_CONTROL).labels) == set(wanted_colours)
        assert "<Relations>" in config
        for relation in schema.relations:
            assert f'<Relation value="{relation.name}"' in config
        assert checker.get_control("kind").tag == "Choices"
        assert checker.get_control("note").tag == "TextArea"
        tasks = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        for task in tasks:
            assert sdk_errors(config, task) == [], name
            results.extend(r for a in task["annotations"] for r in a["result"])
    answers = {r["from_name"]: r["value"] for r in results if r["type"] != "labels"}
    assert answers["kind"]["choices"] == ["indirect"]
    assert answers["check_worthy"]["choices"] == ["true"]  # CLAIM's attributes are kept
    assert answers["note"]["text"] == ["recheck"]


def test_every_task_passes_the_sdk_checks(exported: Exported) -> None:
    for task in exported.tasks:
        assert sdk_errors(exported.config, task) == [], task["data"].get("title")
    relations = [
        r for t in exported.tasks for a in t["annotations"] for r in a["result"]
        if r["type"] == "relation"
    ]  # fmt: skip
    assert len(relations) >= 5


def test_the_sdk_reads_each_region_as_glossa_wrote_it(exported: Exported) -> None:
    texts = {str(t["id"]): t["data"]["text"] for t in exported.tasks}
    theirs = sorted(
        (task_id, region["start"], region["end"], region["text"], tuple(region["labels"]))
        for task_id, region in sdk_regions(exported)
    )
    ours = sorted(
        (record.id, span.start, span.end, span.text, (span.label,))
        for record in exported.records.values()
        for span in record.spans
        if span.origin != "suggested"  # predictions: the converter reads annotations only
    )
    assert theirs == ours
    predicted = sorted(
        (str(t["id"]), v["start"], v["end"], v["text"], tuple(v["labels"]))
        for t in exported.tasks
        for p in t["predictions"]
        for v in (r["value"] for r in p["result"] if r["type"] == "labels")
    )
    assert predicted == sorted(
        (record.id, span.start, span.end, span.text, (span.label,))
        for record in exported.records.values()
        for span in record.spans
        if span.origin == "suggested"
    )
    assert len(predicted) >= 4
    for task_id, start, end, shown, _ in theirs + predicted:
        assert texts[task_id][start:end] == shown  # code points of the task's own text
    ferry = next(r for r in exported.records.values() if r.title == "Ferry 🚢 news")
    nested = {s.text for s in ferry.spans if s.label == "PERSON"}
    assert nested == {"Zoë 👩‍🚀 Ås", "Zoë"}
    assert "\r" not in ferry.text


def test_the_sdk_catches_what_it_should(exported: Exported) -> None:
    """The checks above can fail: a task with an undeclared label, a relation to a missing
    region, or a missing text is refused."""
    task = next(t for t in exported.tasks if t["annotations"])
    result = task["annotations"][0]["result"]
    labelled = next(r for r in result if r["type"] == "labels")
    undeclared = json.loads(json.dumps(task))
    undeclared["annotations"][0]["result"][result.index(labelled)]["value"]["labels"] = ["NOPE"]
    dangling = json.loads(json.dumps(task))
    dangling["annotations"][0]["result"].append(
        {"type": "relation", "from_id": labelled["id"], "to_id": "gone", "direction": "right"}
    )
    textless = {**task, "data": {"title": "no text"}}

    assert sdk_errors(exported.config, task) == []
    assert any("NOPE" in e for e in sdk_errors(exported.config, undeclared))
    assert any("gone" in e for e in sdk_errors(exported.config, dangling))
    assert sdk_errors(exported.config, textless)


@FAST
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(*(annotated(i) for i in range(n)))))
def test_drawn_documents_validate_with_the_sdk(
    tmp_path: Path, records: tuple[DocumentRecord, ...]
) -> None:
    path = tmp_path / "drawn.json"
    labelstudio.export(records, path)
    config, tasks = read_export(path)

    interface.LabelInterface(config).validate()
    for task in tasks:
        assert sdk_errors(config, task) == []
