"""``glossa costs`` run as a user runs it: the ledger as a table, JSON and CSV."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from app.services import Workspace, bulk, documents, spans
from app.services.importing import import_paths
from tests.cli.runner import glossa

TEXT = "Ann Varga met Bob Lee in Paris."


def annotated(db: Path, tmp_path: Path) -> None:
    ws = Workspace.open(str(db), "alice", samples=False)
    try:
        article = tmp_path / "a.txt"
        article.write_text(TEXT, encoding="utf-8")
        assert import_paths(ws, [article]).ok
        doc = documents.documents(ws)[0].id
        spans.add_span(ws, doc, 0, 9, "PERSON")
        bulk.add_spans(ws, doc, [(14, 21)], "PERSON")
        spans.add_span(ws, doc, 25, 30, "LOC")
    finally:
        ws.close()


def test_costs_prints_seconds_per_span_and_writes_the_ledger(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    annotated(db, tmp_path)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    out = tmp_path / "ledger.csv"
    result = glossa("costs", "--db", db, "--csv", out)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["LABEL", "ANNOTATOR", "MADE", "SPANS", "SECONDS/SPAN"]
    assert [line.split()[:4] for line in lines[1:3]] == [
        ["LOC", "alice", "typed", "1"],
        ["PERSON", "alice", "typed", "2"],
    ]
    assert "acceptance -" in result.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["label"], r["made"], r["kind"]) for r in rows] == [
        ("PERSON", "typed", "span"),
        ("PERSON", "typed", "span"),
        ("LOC", "typed", "span"),
    ]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_costs_as_json(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    annotated(db, tmp_path)
    result = glossa("costs", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert [(r["label"], r["spans"]) for r in figures["rows"]] == [("LOC", 1), ("PERSON", 2)]
    assert figures["acceptance_rate"] is None


def test_an_unwritable_csv_is_named(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    annotated(db, tmp_path)
    target = tmp_path / "missing" / "ledger.csv"
    result = glossa("costs", "--db", db, "--csv", target)
    assert result.returncode != 0
    assert str(target) in result.stderr
