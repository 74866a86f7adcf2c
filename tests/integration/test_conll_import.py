"""Real CoNLL-style corpora imported through the importing service on a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.schema import Label, LabelSchema
from app.services import Workspace, documents, schema_edits
from app.services import spans as spans_service
from app.services.checking import check
from app.services.importing import TagChoices, import_paths
from tests.unit.formats.test_conll_reading import EXPECTED, REAL


@pytest.fixture
def fresh(database_url: str) -> Iterator[Workspace]:
    ws = Workspace.open(database_url, "tester", samples=False)
    yield ws
    ws.close()


def stored(workspace: Workspace) -> list[list[tuple[str, str]]]:
    """Spans per document as the database holds them, their text sliced from the stored text
    (``check`` compares it with the stored span text)."""
    found = []
    for summary in sorted(documents.documents(workspace), key=lambda d: d.id):
        text = documents.document(workspace, summary.id).text
        spans = sorted(spans_service.spans(workspace, summary.id), key=lambda s: (s.start, -s.end))
        found.append([(s.label, text[s.start : s.end]) for s in spans])
    return found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_shape_imports_with_exact_offsets(fresh: Workspace, name: str) -> None:
    report = import_paths(fresh, [REAL / name])

    assert report.ok, [e.describe() for e in report.errors]
    assert stored(fresh) == EXPECTED[name]
    assert check(fresh) == []


def test_the_corpus_labels_join_the_schema_once(fresh: Workspace, tmp_path: Path) -> None:
    before = [label.name for label in fresh.schema.labels]

    report = import_paths(fresh, [REAL / "conll2003.txt", REAL / "wnut17.conll"])

    assert report.ok
    added = [label.name for label in fresh.schema.labels][len(before) :]
    assert added == ["MISC", "PER", "location", "group", "person", "creative-work"]
    assert report.schema_added["added labels"][:2] == ["MISC", "PER"]
    reopened = Workspace.open(fresh.database.url, "other", samples=False)
    try:
        assert reopened.schema == fresh.schema
    finally:
        reopened.close()
    hotkeys = [label.hotkey.lower() for label in fresh.schema.labels]
    assert len(set(hotkeys)) == len(hotkeys)


def test_labels_added_meanwhile_by_someone_else_are_kept(fresh: Workspace) -> None:
    other = Workspace.open(fresh.database.url, "other", samples=False)
    try:
        extra = Label("EVENT", "#123456", "z")
        schema_edits.update_schema(
            other,
            LabelSchema(other.schema.name, (*other.schema.labels, extra), other.schema.relations),
        )
    finally:
        other.close()

    report = import_paths(fresh, [REAL / "bioes.bio"])

    assert report.ok
    names = [label.name for label in fresh.schema.labels]
    assert "EVENT" in names and "PER" in names
    assert fresh.schema.label("PER").hotkey != "z"  # type: ignore[union-attr]


def test_repairs_and_notices_reach_the_import_report(fresh: Workspace) -> None:
    report = import_paths(fresh, [REAL / "wnut17.conll"])

    repaired = "wnut17.conll:39: repaired: I-creative-work after I-person starts a new span"
    assert any(w.endswith(repaired) for w in report.warnings)
    assert any("1 tag(s) in column 2 break the IOB2 scheme" in w for w in report.warnings)


def test_tag_choices_read_a_txt_as_conll(fresh: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "chunks.txt"
    path.write_text("EU NNP B-NP\nrejects VBZ B-VP\nit PRP B-NP\n", encoding="utf-8")

    report = import_paths(fresh, [path], tags=TagChoices(tag_column=3, scheme="iob2"))

    assert report.ok, [e.describe() for e in report.errors]
    assert stored(fresh) == [[("NP", "EU"), ("VP", "rejects"), ("NP", "it")]]


def test_a_refused_file_names_its_line_and_saves_nothing(fresh: Workspace) -> None:
    broken = REAL.parent / "broken" / "short-line.tsv"

    report = import_paths(fresh, [broken])

    assert [e.describe() for e in report.errors] == [
        f"{broken}:3: expected 4 columns as in the lines before, found 3: the token and its "
        "tags (up to column 4) cannot be told apart"
    ]
    assert documents.documents(fresh) == []
    assert [label.name for label in fresh.schema.labels] == [
        label.name for label in Workspace.open(fresh.database.url, "x", samples=False).schema.labels
    ]


def test_added_labels_leave_the_window_keys_alone(fresh: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "many.conll"
    kinds = [f"K{n}" for n in range(50)]
    path.write_text("".join(f"w{n}\tB-{kind}\nx\tO\n" for n, kind in enumerate(kinds)))

    report = import_paths(fresh, [path])

    assert report.ok, [e.describe() for e in report.errors]
    keys = {label.hotkey.lower() for label in fresh.schema.labels}
    assert len(keys) == len(fresh.schema.labels) == 6 + 50
    assert "shift+1" in keys
    assert not keys & {"s", "c", "l", "a", "e", "f1", "f3", "f5", "f6", "f7", "f8"}
