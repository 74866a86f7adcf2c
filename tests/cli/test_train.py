"""``glossa train``: the project's model learns an annotator's spans, beats the baseline on
held-out documents, and ``glossa suggest --with model`` proposes what it learnt."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.cli.runner import glossa
from tests.generated_news import write_project


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def f1_of(output: str, label: str) -> tuple[float, float]:
    """(model F1, baseline F1) of ``label`` from the printed table."""
    row = next(line.split() for line in output.splitlines() if line.startswith(label + " "))
    return float(row[4]), float(row[7])


def imported(tmp_path: Path, documents: int) -> Path:
    database = tmp_path / "g.db"
    source = write_project(tmp_path / "news.jsonl", documents)
    done = glossa("--db", database, "import", source)
    assert done.returncode == 0, done.stderr
    return database


def test_the_model_beats_the_most_frequent_label_baseline_and_suggests(tmp_path: Path) -> None:
    database = imported(tmp_path, 60)
    before = digest(database)

    done = glossa("--db", database, "train", "--annotator", "ana", "--passes", "12")

    assert done.returncode == 0, done.stderr
    assert "model 1:" in done.stdout and "12 held out" in done.stdout
    rows = {line.split()[0] for line in done.stdout.splitlines() if line.strip()}
    assert {"PERSON", "ORG", "GPE", "all"} <= rows
    assert "LOC" not in rows  # the schema's label nobody used is not learnt
    model, baseline = f1_of(done.stdout, "all")
    assert model > baseline, done.stdout
    assert f1_of(done.stdout, "PERSON")[0] > f1_of(done.stdout, "PERSON")[1]
    (bands,) = [line for line in done.stdout.splitlines() if line.startswith("confidence bands")]
    assert "0.95-1.00:" in bands and " right" in bands
    assert digest(database) == before  # training only reads the project

    out = tmp_path / "suggested.jsonl"
    suggested = glossa("--db", database, "suggest", "--with", "model", "--out", out)

    assert suggested.returncode == 0, suggested.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    spans = [span for record in records for span in record["spans"]]
    assert spans and {s["label"] for s in spans} <= {"PERSON", "ORG", "GPE"}
    for record in records:
        for span in record["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]
            assert span["origin"] == "suggested"
            assert span["attributes"]["suggester"] == "model"
            assert span["attributes"]["version"] == "1"
            assert 0 < span["attributes"]["confidence"] <= 1


def test_training_again_from_the_saved_pipeline_makes_the_next_version(tmp_path: Path) -> None:
    database = imported(tmp_path, 30)
    first = glossa("--db", database, "train", "--annotator", "ana", "--passes", "2")
    assert first.returncode == 0, first.stderr
    folder = Path(first.stdout.strip().splitlines()[-1].removeprefix("saved in "))

    again = glossa(
        "--db", database, "train", "--annotator", "ana", "--passes", "1",
        "--base", folder / "pipeline",
    )  # fmt: skip

    assert again.returncode == 0, again.stderr
    assert "model 2:" in again.stdout and "started from" in again.stdout
    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    assert card["version"] == 2 and card["training_documents"] + card["held_out_documents"] == 30
    assert card["labels"] == ["PERSON", "ORG", "GPE"]
    assert not list(folder.parent.glob(".new-*"))


def test_too_few_documents_or_an_unknown_pipeline_or_no_model_say_so(tmp_path: Path) -> None:
    database = imported(tmp_path, 6)
    out = tmp_path / "x.jsonl"

    few = glossa("--db", database, "train", "--annotator", "ana")
    nobody = glossa("--db", database, "train", "--annotator", "zed")
    base = glossa("--db", database, "train", "--annotator", "ana", "--base", "xx_no_such")
    untrained = glossa("--db", database, "suggest", "--with", "model", "--out", out)
    gold = glossa("--db", database, "train", "--layer", "gold")
    both = glossa("--db", database, "train", "--layer", "gold", "--annotator", "ana")
    passes = glossa("--db", database, "train", "--annotator", "ana", "--passes", "0")

    assert few.returncode == 1
    assert "too few annotated documents" in few.stderr and "6 of the" in few.stderr
    assert nobody.returncode == 1 and "0 of the documents of annotator zed" in nobody.stderr
    assert base.returncode == 1 and "no spaCy pipeline called 'xx_no_such'" in base.stderr
    assert untrained.returncode == 1 and "glossa train" in untrained.stderr
    assert gold.returncode == 1 and "0 of the gold layer hold spans" in gold.stderr
    assert both.returncode == 1 and "cannot be combined with --annotator ana" in both.stderr
    assert passes.returncode == 1 and "--passes must be 1 or more" in passes.stderr
    assert not out.exists()
