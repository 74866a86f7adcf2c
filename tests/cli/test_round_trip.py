"""Samples in, annotations on, export, import elsewhere: the same texts and the same offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services import Workspace, documents, spans
from tests.cli.runner import glossa
from tests.conftest import BUNDLED_SAMPLES, SHARED_SAMPLES
from tests.integration.test_exporting import content

# CRLF line ends (offsets below count them), a ZWJ emoji with a skin tone, a combining mark,
# Hebrew and Arabic names: every span must land on the same characters after the trip.
TRICKY = (
    "Zoe\u0308 Lindqvist \U0001f469\U0001f3fd\u200d\U0001f52c said \u201cthe town is full\u201d."
    "\r\n\u05d9\u05e2\u05dc \u05dc\u05d5\u05d9 agreed;\r\n"
    "\u0631\u0646\u0627 \u062e\u0648\u0631\u064a did not.\r\n"
)


def _at(needle: str, label: str, span_id: str) -> dict[str, object]:
    start = TRICKY.index(needle)
    return {"id": span_id, "start": start, "end": start + len(needle), "label": label}


def tricky_jsonl(folder: Path) -> Path:
    record = {
        "id": "tricky",
        "text": TRICKY,
        "meta": {"title": "Tricky \U0001f469\U0001f3fd\u200d\U0001f52c", "source": "test"},
        "spans": [
            _at("Zoe\u0308 Lindqvist", "PERSON", "zoe"),
            _at("\U0001f469\U0001f3fd\u200d\U0001f52c", "CLAIM", "emoji"),
            _at("said", "CUE", "said"),
            _at("\u201cthe town is full\u201d", "QUOTE", "quote"),
            _at("town", "LOC", "nested"),
            _at("\u05d9\u05e2\u05dc \u05dc\u05d5\u05d9", "PERSON", "yael"),
            _at("agreed;\r\n\u0631\u0646\u0627", "CLAIM", "across"),
            _at("\u0631\u0646\u0627 \u062e\u0648\u0631\u064a", "PERSON", "rana"),
        ],
        "relations": [
            {"id": "r1", "head": "quote", "tail": "zoe", "label": "speaker"},
            {"id": "r2", "head": "quote", "tail": "said", "label": "cue"},
        ],
    }
    path = folder / "tricky.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def annotate_samples(db: Path) -> int:
    """Tag a few spans on the samples through the services; return how many."""
    workspace = Workspace.open(str(db), "tester", samples=False)
    try:
        added = 0
        for summary in documents.documents(workspace):
            text = documents.document(workspace, summary.id).text
            for needle, label in (
                ("Lindqvist", "PERSON"),
                ("Zoe\u0308", "PERSON"),
                ("\U0001f389", "CLAIM"),
                ("Ekholm", "PERSON"),
                ("Port Eldmoor Harbour Authority", "ORG"),
                ("Halden", "LOC"),
            ):
                if needle in text:
                    start = text.index(needle)
                    spans.add_span(workspace, summary.id, start, start + len(needle), label)
                    added += 1
        return added
    finally:
        workspace.close()


def listed(db: Path) -> list[dict[str, object]]:
    result = glossa("--db", db, "list", "--json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def contents(db: Path) -> object:
    workspace = Workspace.open(str(db), "tester", samples=False)
    try:
        return content(workspace)
    finally:
        workspace.close()


def test_samples_survive_export_and_import_into_another_database(tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    samples = sorted(BUNDLED_SAMPLES.glob("*.txt"))
    assert len(samples) == 3

    imported = glossa("--db", first, "import", *samples, tricky_jsonl(tmp_path))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == "imported 4 document(s) with 8 span(s)\n"
    assert imported.stderr == ""
    added = annotate_samples(first)
    assert added >= 5

    before = listed(first)
    assert [row["span_count"] for row in before][:3] != [0, 0, 0]
    assert sum(int(str(row["span_count"])) for row in before) == 8 + added
    assert {row["status"] for row in before} == {"in_progress"}
    festival = next(row for row in before if "festival" in str(row["title"]))
    assert str(festival["title"]).endswith("\U0001f389")

    out = tmp_path / "exports" / "all.jsonl"
    exported = glossa("--db", first, "export", "--format", "jsonl", "--out", out)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines()[0] == f"exported 4 document(s) to {out}"

    again = glossa("--db", second, "import", out)
    assert again.returncode == 0, again.stderr
    assert again.stdout == f"imported 4 document(s) with {8 + added} span(s)\n"

    after = listed(second)
    keep = ("title", "span_count", "length")
    assert [{k: r[k] for k in keep} for r in after] == [{k: r[k] for k in keep} for r in before]
    assert {row["status"] for row in after} == {"new"}, "statuses belong to the first database"
    assert contents(second) == contents(first)

    for db in (first, second):
        checked = glossa("--db", db, "check")
        assert checked.returncode == 0, checked.stdout
        assert checked.stdout == f"ok: 4 documents, {8 + added} spans checked\n"

    twice = glossa("--db", second, "import", out)
    assert twice.returncode == 0
    assert twice.stdout.endswith("skipped 4 already present\n")
    assert twice.stderr.count("skipped: ") == 4


def test_crlf_sample_keeps_its_characters(tmp_path: Path) -> None:
    db = tmp_path / "glossa.db"
    crlf = [p for p in BUNDLED_SAMPLES.glob("*.txt") if b"\r\n" in p.read_bytes()]
    assert crlf, "one bundled sample has Windows line ends"

    assert glossa("--db", db, "import", *crlf).returncode == 0

    (row,) = listed(db)
    raw = crlf[0].read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    assert row["length"] == len(raw)


@pytest.mark.skipif(not SHARED_SAMPLES.is_dir(), reason="no shared sample folder here")
def test_shared_samples_import_export_and_check(tmp_path: Path) -> None:
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    files = sorted(SHARED_SAMPLES.glob("*.txt"))

    imported = glossa("--db", first, "import", SHARED_SAMPLES)

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith(f"imported {len(files)} document(s)")
    assert glossa("--db", first, "export", "--out", tmp_path / "x.jsonl").returncode == 0
    assert glossa("--db", second, "import", tmp_path / "x.jsonl").returncode == 0
    assert contents(second) == contents(first)
    assert glossa("--db", second, "check").returncode == 0
