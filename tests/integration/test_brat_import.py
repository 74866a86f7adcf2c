"""A brat corpus through the database: imported with its events, discontinuous spans and
metadata, exported back as the same ``.ann`` lines; a bad document refuses only itself."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.schema import Label, LabelSchema, RelationType
from app.services import Workspace, schema_edits
from app.services.checking import check
from app.services.exporting import export
from app.services.importing import import_paths
from tests.unit.formats.brat_lines import check_ann

DATA = Path(__file__).resolve().parents[1] / "data" / "formats" / "brat"
COLOURS = ("#e6194b", "#4363d8", "#3cb44b", "#911eb4", "#f58231", "#42d4f4", "#f032e6")


def schema() -> LabelSchema:
    """What the attribution and BioNLP folders use, as annotation.conf would declare it."""
    labels = [
        "Source", "Cue", "Content", "Nutrient", "Addressee", "Speech", "Protein", "Binding",
        "Gene_expression", "Positive_regulation", "Phosphorylation", "PERSON",
    ]  # fmt: skip
    events = ["Speech", "Binding", "Gene_expression", "Positive_regulation", "Phosphorylation"]
    anything = tuple(labels)
    relations = [
        RelationType("fragment", ("Nutrient", "Protein"), ("Nutrient", "Protein")),
        RelationType("Cue-of", ("Cue",), ("Speech",)),
        RelationType("Coreference", ("Source",), ("Source",)),
        *(
            RelationType(role, tuple(events), anything)
            for role in ("Source", "Content", "Addressee", "Theme", "Theme2", "Cause")
        ),
    ]
    return LabelSchema(
        "brat corpus",
        tuple(
            Label(name, COLOURS[i % len(COLOURS)], "abcdefghijklmnop"[i])
            for i, name in enumerate(labels)
        ),
        tuple(relations),
    )


@pytest.fixture
def corpus(database_url: str) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "tester", samples=False)
    schema_edits.update_schema(workspace, schema())
    yield workspace
    workspace.close()


def lines(path: Path) -> list[str]:
    return sorted(line for line in path.read_text(encoding="utf-8").split("\n") if line.strip())


def test_a_brat_corpus_round_trips_through_the_database(corpus: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    for name in ("attribution", "bionlp"):
        shutil.copytree(DATA / name, folder / name)
    report = import_paths(corpus, [folder])
    assert report.ok, [e.describe() for e in report.errors]
    assert len(report.imported) == 2
    assert check(corpus) == []
    out = tmp_path / "out"
    export(corpus, "brat", out)
    exported = {
        txt.read_text(encoding="utf-8"): txt.with_suffix(".ann") for txt in out.glob("*.txt")
    }
    for name, stem in (("attribution", "harbour"), ("bionlp", "PMID-0000001")):
        text = (DATA / name / f"{stem}.txt").read_text(encoding="utf-8")
        written = lines(exported[text])
        assert written == lines(DATA / name / f"{stem}.ann")
        check_ann(written, text)


def test_a_bad_document_refuses_itself_and_the_folder_imports(
    corpus: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "orphans"
    shutil.copytree(DATA / "orphans", folder)
    report = import_paths(corpus, [folder])
    assert sorted(report.imported) == ["Ana Díaz spoke.", "Nobody annotated this article."]
    (error,) = report.errors
    assert (error.source, error.line) == (str(folder / "bad.ann"), 2)
    assert "relation R1 names T7" in error.message
    assert any("lone.ann: no lone.txt beside this file; skipped" in w for w in report.warnings)
    assert report.spans == 1
