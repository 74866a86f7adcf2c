"""``glossa merge``: a colleague's database or JSONL export, run as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.runner import glossa
from tests.integration.test_merging import BRIDGE, MUSEUM, WEATHER, colleague_database, file_digest


def _ours(tmp_path: Path) -> Path:
    """Our database (annotator tester) holding the bridge and weather articles."""
    articles = tmp_path / "ours.jsonl"
    lines = [
        json.dumps({"text": t, "meta": {"title": k}})
        for k, t in (("Bridge", BRIDGE), ("Weather", WEATHER))
    ]
    articles.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "ours.db"
    result = glossa("--db", db, "import", articles)
    assert result.returncode == 0, result.stderr
    return db


def _titles(db: Path) -> list[str]:
    listed = glossa("--db", db, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return [row["title"] for row in json.loads(listed.stdout)]


def test_merge_prints_a_summary_and_adds_the_colleagues_layer(tmp_path: Path) -> None:
    db = _ours(tmp_path)
    source = colleague_database(tmp_path / "colleague")
    digest = file_digest(source)

    result = glossa("--db", db, "merge", source)

    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first.startswith("merged 4 span(s) and 1 relation(s) from ")
    assert "2 document(s) matched, 1 added" in first
    assert "  bob: 4 span(s), 1 relation(s)" in rest
    assert _titles(db) == ["Bridge", "Weather", "Museum"]
    assert file_digest(source) == digest

    again = glossa("--db", db, "merge", source)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("merged 0 span(s) and 0 relation(s)")
    assert "5 annotation(s) already here" in again.stdout


def test_merge_skip_leaves_out_documents_we_lack(tmp_path: Path) -> None:
    db = _ours(tmp_path)

    result = glossa("--db", db, "merge", colleague_database(tmp_path / "c"), "--documents", "skip")

    assert result.returncode == 0, result.stderr
    assert "0 added, 1 skipped" in result.stdout
    assert _titles(db) == ["Bridge", "Weather"]


def test_merge_errors_name_the_file_and_change_nothing(tmp_path: Path) -> None:
    db = _ours(tmp_path)
    export = tmp_path / "carol.jsonl"
    export.write_text(
        json.dumps({"text": MUSEUM, "spans": [{"id": "1", "start": 22, "end": 27, "label": "LOC"}]})
        + "\n",
        encoding="utf-8",
    )

    unnamed = glossa("--db", db, "merge", export)
    assert unnamed.returncode == 1
    assert unnamed.stderr.startswith(f"error: {export}: ")
    assert "--as NAME" in unnamed.stderr
    assert _titles(db) == ["Bridge", "Weather"]

    own = glossa("--db", db, "merge", colleague_database(tmp_path / "laptop", name="tester"))
    assert own.returncode == 1
    assert "'tester'" in own.stderr and "your own" in own.stderr

    missing = glossa("--db", db, "merge", tmp_path / "nowhere.db")
    assert missing.returncode == 1
    assert f"{tmp_path / 'nowhere.db'}: no such file" in missing.stderr
    assert _titles(db) == ["Bridge", "Weather"]

    named = glossa("--db", db, "merge", export, "--as", "carol")
    assert named.returncode == 0, named.stderr
    assert "  carol: 1 span(s), 0 relation(s)" in named.stdout.splitlines()


def test_merge_of_a_server_database_hides_the_password(tmp_path: Path) -> None:
    db = _ours(tmp_path)

    result = glossa("--db", db, "merge", "postgresql+psycopg://me:s3cret@127.0.0.1:1/none")

    assert result.returncode == 1
    assert "s3cret" not in result.stderr
    assert "me:***@127.0.0.1:1/none" in result.stderr


def test_merge_reads_exports_of_other_formats_together(tmp_path: Path) -> None:
    db = _ours(tmp_path)
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "weather.txt").write_text(WEATHER, encoding="utf-8")
    (brat / "weather.ann").write_text("T1\tCity 20 24\tLyon\n", encoding="utf-8")
    doccano = tmp_path / "bridge.jsonl"
    doccano.write_text(json.dumps({"text": BRIDGE, "label": [[0, 11, "Person"]]}) + "\n")

    result = glossa("--db", db, "merge", brat, doccano, "--as", "bob")

    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first.startswith("merged 2 span(s) and 0 relation(s)")
    assert "2 document(s) matched, 0 added" in first
    assert "  bob: 2 span(s), 0 relation(s)" in rest
    assert "  added labels: City, Person" in rest

    mixed = glossa("--db", db, "merge", brat, colleague_database(tmp_path / "c"))
    assert mixed.returncode == 1
    assert "a database is merged on its own" in mixed.stderr
