"""What the model learns from: one annotator's spans or the gold layer's, read from the
database (SQLite, and PostgreSQL when configured); where the project's model is kept."""

from __future__ import annotations

import json
import os
from pathlib import Path

from app.services import Workspace, schema_edits
from app.services.importing import import_paths
from app.services.training import entity_labels, model_folder, training_documents

TEXT = "Mara Voss met Harbour Bank in Oslo."


def record(number: int, annotator: str, spans: list[tuple[int, int, str]]) -> str:
    return json.dumps(
        {
            "id": str(number),
            "text": f"{TEXT} ({number})",
            "meta": {"title": f"Brief {number}"},
            "spans": [
                {"id": str(k), "start": s, "end": e, "label": label, "text": TEXT[s:e],
                 "annotator": annotator, "origin": "manual", "attributes": {}}
                for k, (s, e, label) in enumerate(spans)
            ],
            "relations": [],
        }
    )  # fmt: skip


def test_one_annotators_spans_or_the_gold_layer(database_url: str, tmp_path: Path) -> None:
    source = tmp_path / "briefs.jsonl"
    lines = [
        record(1, "ana", [(0, 9, "PERSON"), (14, 25, "ORG")]),
        record(2, "gold", [(0, 9, "PERSON"), (29, 33, "GPE")]),
        record(3, "ben", [(29, 33, "LOC")]),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    workspace = Workspace.open(database_url, "ana", samples=False)
    try:
        import_paths(workspace, [source])

        mine, named = training_documents(workspace)
        gold, gold_named = training_documents(workspace, gold=True)
        bens, _ = training_documents(workspace, "ben")

        assert named == "documents of annotator ana" and gold_named == "gold layer"
        assert [(d.text, d.spans) for d in mine] == [
            (f"{TEXT} (1)", ((0, 9, "PERSON"), (14, 25, "ORG")))
        ]
        assert [d.spans for d in gold] == [((0, 9, "PERSON"), (29, 33, "GPE"))]
        assert [d.spans for d in bens] == [((29, 33, "LOC"),)]
        # GPE came with the import and plays no role: it is learnt; QUOTE and CUE are not
        labels = entity_labels(schema_edits.refresh_schema(workspace))
        assert {"PERSON", "ORG", "LOC", "GPE"} <= set(labels)
        assert not {"QUOTE", "CUE", "CLAIM"} & set(labels)
        folder = model_folder(workspace)
        assert folder.is_relative_to(Path(os.environ["XDG_DATA_HOME"]))
        assert folder == model_folder(workspace)
    finally:
        workspace.close()


def test_each_database_has_its_own_model_folder(tmp_path: Path) -> None:
    first = Workspace.open(str(tmp_path / "a.db"), "ana", samples=False)
    second = Workspace.open(str(tmp_path / "b.db"), "ana", samples=False)
    try:
        assert model_folder(first) != model_folder(second)
        assert model_folder(first).parent == model_folder(second).parent
    finally:
        first.close()
        second.close()
