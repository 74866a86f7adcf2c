"""``glossa agree`` and ``glossa stats`` run as a user runs them, against the services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.services import Workspace
from app.services.agreement import agreement
from app.services.statistics import statistics
from tests.cli.runner import glossa

D1 = "Ann Varga met Bob Lee in Paris."
D2 = 'Carl Ode said "no" to the ministry.'


def span(id: str, text: str, needle: str, label: str, annotator: str) -> dict[str, Any]:
    start = text.index(needle)
    return {
        "id": id,
        "start": start,
        "end": start + len(needle),
        "label": label,
        "annotator": annotator,
    }


RECORDS = [
    {
        "text": D1,
        "spans": [
            span("a1", D1, "Ann Varga", "PERSON", "alice"),
            span("a2", D1, "Bob Lee", "PERSON", "alice"),
            span("a3", D1, "Paris", "LOC", "alice"),
            span("b1", D1, "Ann Varga", "PERSON", "bob"),
            span("b2", D1, "Bob", "PERSON", "bob"),
            span("b3", D1, "Paris", "ORG", "bob"),
        ],
    },
    {
        "text": D2,
        "spans": [
            span(f"{who[0]}{n}", D2, needle, label, who)
            for who in ("alice", "bob")
            for n, (needle, label) in enumerate(
                (("Carl Ode", "PERSON"), ("said", "CUE"), ('"no"', "QUOTE"))
            )
        ],
        "relations": [
            {"head": "a2", "tail": "a0", "label": "speaker", "annotator": "alice"},
            {"head": "a2", "tail": "a1", "label": "cue", "annotator": "alice"},
            {"head": "b2", "tail": "b0", "label": "speaker", "annotator": "bob"},
        ],
    },
]


@pytest.fixture
def two_annotators(tmp_path: Path) -> Path:
    """A database of two documents tagged by alice and bob, imported as a user would."""
    source = tmp_path / "team.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    db = tmp_path / "team.db"
    result = glossa("--db", db, "import", source)
    assert result.returncode == 0, result.stderr
    return db


def service(db: Path, **options: Any) -> dict[str, Any]:
    workspace = Workspace.open(str(db), "tester", samples=False)
    try:
        return agreement(workspace, **options).as_dict()
    finally:
        workspace.close()


def test_agree_json_equals_the_service(two_annotators: Path) -> None:
    result = glossa("--db", two_annotators, "agree", "--json")

    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed == service(two_annotators)
    (pair,) = printed["pairs"]
    # the hand-computed figures of tests/integration/test_agreement_service.py
    assert pair["exact"]["overall"]["f1"] == pytest.approx(2 / 3)
    assert pair["overlap"]["overall"]["f1"] == pytest.approx(5 / 6)
    assert pair["kappa"] == pytest.approx(192 / 228)
    assert printed["alpha"] == pytest.approx(768 / 908)


def test_agree_options_reach_the_service(two_annotators: Path) -> None:
    options = ("--annotators", "bob,alice", "--labels", "PERSON, LOC", "--json")
    result = glossa("agree", *options, "--db", two_annotators)  # --db after the command too

    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed == service(two_annotators, annotators=["bob", "alice"], labels=["PERSON", "LOC"])
    assert printed["annotators"] == ["bob", "alice"]
    assert printed["labels"] == ["LOC", "PERSON"]
    assert list(printed["pairs"][0]["exact"]["labels"]) == ["LOC", "PERSON"]


def test_agree_prints_readable_tables(two_annotators: Path) -> None:
    result = glossa("--db", two_annotators, "agree")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "2 annotators (alice, bob), 2 document(s) annotated by two or more, all labels"
    )
    header = next(i for i, line in enumerate(lines) if line.startswith("LABEL"))
    assert "exact match" in lines[header - 1] and "overlap match" in lines[header - 1]
    assert lines[header].split() == ["LABEL", "REF", "CAND", *["MATCH", "P", "R", "F1"] * 2]
    rows = {line.split()[0]: line.split()[1:] for line in lines[header + 1 : header + 7]}
    assert list(rows) == ["CUE", "LOC", "ORG", "PERSON", "QUOTE", "overall"]
    # PERSON: 3 and 3 spans; exact 2 matched (0.667), overlap 3 matched (1.000)
    assert rows["PERSON"] == [
        "3",
        "3",
        "2",
        "0.667",
        "0.667",
        "0.667",
        "3",
        "1.000",
        "1.000",
        "1.000",
    ]
    assert rows["overall"] == [
        "6",
        "6",
        "4",
        "0.667",
        "0.667",
        "0.667",
        "5",
        "0.833",
        "0.833",
        "0.833",
    ]
    relations = next(i for i, line in enumerate(lines) if line.startswith("RELATION"))
    assert lines[relations + 3].split() == ["overall", "2", "1", "1", "1.000", "0.500", "0.667"]
    assert "Cohen's kappa on token labels: 0.842 over 18 tokens" in lines
    assert lines[-1] == (
        "Krippendorff's alpha (nominal) on token labels: 0.846 over 18 tokens, 2 annotators"
    )


def test_agree_needs_two_annotators(tmp_path: Path) -> None:
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({**RECORDS[0], "spans": RECORDS[0]["spans"][:3]}) + "\n")
    db = tmp_path / "one.db"
    assert glossa("--db", db, "import", source).returncode == 0

    result = glossa("--db", db, "agree")

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: fewer than two annotators have annotations to compare (only alice)\n"
    )
    unknown = glossa("--db", db, "agree", "--annotators", "alice,zed")
    assert unknown.returncode == 1
    assert "no annotations by zed" in unknown.stderr


def test_agree_rejects_an_empty_name_list(two_annotators: Path) -> None:
    result = glossa("--db", two_annotators, "agree", "--annotators", ",")
    assert result.returncode == 2
    assert "expected one or more names" in result.stderr


def test_stats_json_equals_the_service(two_annotators: Path) -> None:
    result = glossa("--db", two_annotators, "stats", "--json")

    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    workspace = Workspace.open(str(two_annotators), "tester", samples=False)
    try:
        assert printed == statistics(workspace).as_dict()
    finally:
        workspace.close()
    assert (printed["documents"], printed["spans"], printed["relations"]) == (2, 12, 3)
    assert printed["origins"] == {"imported": 12}
    assert printed["labels"]["PERSON"] == {"alice": 3, "bob": 3}


def test_stats_prints_readable_tables(two_annotators: Path) -> None:
    result = glossa("stats", "--db", two_annotators)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "2 document(s), 12 span(s) (6.0 per document), 3 relation(s), 2 annotator(s)"
    )
    blocks = [block.splitlines() for block in result.stdout.split("\n\n")[1:]]
    tables = {block[0].split()[0]: block for block in blocks}
    assert tables["LABEL"][0].split() == ["LABEL", "alice", "bob", "TOTAL"]
    assert tables["LABEL"][-1].split() == ["total", "6", "6", "12"]
    assert tables["RELATION"][-1].split() == ["total", "2", "1", "3"]
    # imported spans set no status: both documents are new to both annotators
    assert tables["ANNOTATOR"][1].split() == ["alice", "2", "2", "0", "0", "3.0"]
    assert tables["ORIGIN"][1].split() == ["imported", "12"]


def test_stats_of_an_empty_database(tmp_path: Path) -> None:
    result = glossa("--db", tmp_path / "empty.db", "stats")

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "0 document(s), 0 span(s) (0.0 per document), 0 relation(s), 0 annotator(s)\n"
        "\n"
        "no annotations yet\n"
    )
