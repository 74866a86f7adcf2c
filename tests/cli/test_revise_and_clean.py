"""``glossa import --clean``, ``--preview-clean`` and ``glossa revise`` as a user runs them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from app.services import Workspace, documents
from app.services import spans as spans_service
from tests.cli.runner import REPO, glossa

SCRAPED = REPO / "tests" / "data" / "scraped"
GLUED = SCRAPED / "daily-glued-byline.txt"
NEW_VERSION = (
    "Port strike ends after unions accept 9% pay offer\n\n"
    "Dock workers at the port of Gdańsk went back to work on Wednesday after their unions "
    "accepted a 9% pay rise over two years.\n\n"
    '"It is not everything we asked for, but it is a fair deal," said Adam Nowicki, '
    "chairman of the dockers' union.\n\n"
    "The strike had cost the regional economy an estimated 12 million euros a day.\n"
)


def test_preview_clean_prints_before_and_after_and_imports_nothing(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    result = glossa("--db", db, "import", "--preview-clean", GLUED)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "title: Port strike ends after unions accept 9% pay offer" in out
    assert "author: MARTA KOWALCZYK" in out
    assert "date: 2025-02-12T08:15" in out
    assert "line 1 (advertisement placeholder):" in out
    assert "    - ADVERTISEMENT" in out
    assert "line 3 (byline or date split from the lede):" in out
    assert "    + Dock workers at the port of Gdańsk" in out
    listed = glossa("--db", db, "list", "--json")
    assert json.loads(listed.stdout) == []


def test_import_clean_keeps_the_original_text_and_no_clean_is_the_default(
    tmp_path: Path,
) -> None:
    db = tmp_path / "g.db"
    assert glossa("--db", db, "import", "--clean", GLUED).returncode == 0
    other = tmp_path / "other.txt"
    other.write_text(GLUED.read_text(encoding="utf-8") + "One more line.\n", encoding="utf-8")
    assert glossa("--db", db, "import", other).returncode == 0
    workspace = Workspace.open(str(db), "tester", samples=False)
    try:
        cleaned, plain = (
            documents.document(workspace, s.id) for s in documents.documents(workspace)
        )
    finally:
        workspace.close()
    assert cleaned.title == "Port strike ends after unions accept 9% pay offer"
    assert cleaned.meta["author"] == "MARTA KOWALCZYK"
    assert cleaned.meta["original_text"] == GLUED.read_text(encoding="utf-8")
    assert "ADVERTISEMENT" not in cleaned.text
    assert plain.title == "ADVERTISEMENT"  # without --clean the file is taken as it is
    assert plain.text.startswith("ADVERTISEMENT\n")


def test_revise_prints_each_span_outcome_as_json(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert glossa("--db", db, "import", "--clean", GLUED).returncode == 0
    workspace = Workspace.open(str(db), "tester", samples=False)
    try:
        (summary,) = documents.documents(workspace)
        text = documents.document(workspace, summary.id).text
        spans = {}
        for label, words in (
            ("LOC", "Gdańsk"),
            ("PERSON", "Adam Nowicki"),
            ("ORG", "chamber of commerce"),
        ):
            start = text.index(words)
            spans[words] = spans_service.add_span(
                workspace, summary.id, start, start + len(words), label
            )
        spans_ids = {words: change.added[0].id for words, change in spans.items()}
    finally:
        workspace.close()
    new_file = tmp_path / "strike-v2.txt"
    new_file.write_text(NEW_VERSION, encoding="utf-8")
    shutil.copy(new_file, tmp_path / "copy.txt")

    result = glossa("--db", db, "revise", summary.title, new_file, "--json")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    outcomes = {span["id"]: span for span in report["spans"]}
    gdansk = outcomes[spans_ids["Gdańsk"]]
    assert gdansk["outcome"] == "exact" and gdansk["new_id"] is not None
    assert NEW_VERSION[gdansk["start"] : gdansk["end"]] == "Gdańsk"
    assert outcomes[spans_ids["Adam Nowicki"]]["outcome"] == "exact"
    queued = outcomes[spans_ids["chamber of commerce"]]
    assert (queued["outcome"], queued["new_id"], queued["start"]) == ("queued", None, None)
    assert report["relations"] == []
    listed = json.loads(glossa("--db", db, "list", "--json").stdout)
    assert [row["id"] for row in listed] == [summary.id, report["document"]]
    checked = glossa("--db", db, "check")  # the queued span waits for someone to place it
    assert checked.returncode == 1 and "needs re-anchoring" in checked.stdout
    again = glossa("--db", db, "revise", str(summary.id), tmp_path / "copy.txt")
    assert again.returncode == 1 and "already in the database" in again.stderr


def test_revise_names_a_missing_document(tmp_path: Path) -> None:
    new_file = tmp_path / "v2.txt"
    new_file.write_text(NEW_VERSION, encoding="utf-8")
    result = glossa("--db", tmp_path / "g.db", "revise", "No such article", new_file)
    assert result.returncode == 1
    assert "no document with id or title 'No such article'" in result.stderr


def test_check_names_each_span_whose_text_changed_and_each_queued_span(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    assert glossa("--db", db, "import", "--clean", GLUED).returncode == 0
    workspace = Workspace.open(str(db), "tester", samples=False)
    try:
        (summary,) = documents.documents(workspace)
        text = documents.document(workspace, summary.id).text
        at = text.index("chamber of commerce")
        queued = spans_service.add_span(workspace, summary.id, at, at + 19, "ORG").added[0].id
        at = text.index("Gdańsk")
        place = spans_service.add_span(workspace, summary.id, at, at + 6, "LOC").added[0].id
    finally:
        workspace.close()
    new_file = tmp_path / "strike-v2.txt"
    new_file.write_text(NEW_VERSION, encoding="utf-8")
    revised = json.loads(glossa("--db", db, "revise", str(summary.id), new_file, "--json").stdout)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE spans SET text = 'Gdansk' WHERE id = ?", (place,))

    result = glossa("--db", db, "check")

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    title = repr(summary.title)
    assert (
        f"document {summary.id} {title}, span {place} LOC [{at}, {at + 6}): "
        "text is 'Gdańsk' but the span says 'Gdansk'"
    ) in lines
    start = text.index("chamber of commerce")
    assert (
        f"document {revised['document']} {title}, span {queued} ORG [{start}, {start + 19}) "
        "of an older version needs re-anchoring: 'chamber of commerce' (by tester)"
    ) in lines
    assert lines[-1] == "2 problem(s)"
