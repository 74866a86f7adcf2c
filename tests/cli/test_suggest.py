"""``glossa suggest --out``: quotes, cues and speakers proposed as JSONL, the database as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from app.core.suggestions import PendingSuggestion
from app.services import Workspace, documents
from app.services.pending import pending_suggestions
from app.services.suggestion_actions import reject
from tests.cli.runner import glossa

ARTICLE = (
    "Harbour talks\n\n"
    "“We will not leave,” said Mara Voss, the union's spokeswoman. "
    "The mayor told reporters that the terminal would open in June.\n"
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_suggestions_are_written_as_jsonl_and_the_database_is_left_alone(tmp_path: Path) -> None:
    database = tmp_path / "g.db"
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert glossa("--db", database, "import", article).returncode == 0
    before = digest(database)
    out = tmp_path / "suggested.jsonl"

    done = glossa("--db", database, "suggest", "--with", "quotes", "--out", out)

    assert done.returncode == 0, done.stderr
    assert digest(database) == before
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    text = record["text"]
    by_text = {text[s["start"] : s["end"]]: s for s in record["spans"]}
    quote = by_text["“We will not leave,”"]  # marks included, as the guideline says
    assert quote["label"] == "QUOTE" and quote["origin"] == "suggested"
    assert quote["attributes"]["suggester"] == "quotes"
    assert 0 < quote["attributes"]["confidence"] <= 1
    assert by_text["said"]["label"] == "CUE"
    assert by_text["Mara Voss"]["label"] == "PERSON"
    links = {(r["head"], r["tail"], r["label"]) for r in record["relations"]}
    assert (quote["id"], by_text["said"]["id"], "cue") in links
    assert (quote["id"], by_text["Mara Voss"]["id"], "speaker") in links
    # the file imports back, as a layer of the suggester
    again = glossa("--db", tmp_path / "other.db", "import", out)
    assert again.returncode == 0, again.stderr


def test_an_unknown_suggester_is_named(tmp_path: Path) -> None:
    database = tmp_path / "g.db"
    assert glossa("--db", database, "list").returncode == 0

    unknown = glossa("--db", database, "suggest", "--with", "oracle", "--out", tmp_path / "x")
    not_stored = glossa("--db", database, "suggest", "--with", "oracle")

    assert unknown.returncode == 1 and "no suggester called oracle" in unknown.stderr
    assert not_stored.returncode == 1 and "no suggester called oracle" in not_stored.stderr


def pending(url: str) -> list[PendingSuggestion]:
    workspace = Workspace.open(url, "ana", samples=False)
    try:
        (document,) = documents.documents(workspace)
        return pending_suggestions(workspace, document.id)
    finally:
        workspace.close()


def test_without_out_suggestions_are_stored_as_pending_and_replaced(
    database_url: str, tmp_path: Path
) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert glossa("--db", database_url, "import", article).returncode == 0

    first = glossa("--db", database_url, "suggest", "--with", "quotes")
    again = glossa("--db", database_url, "suggest", "--with", "quotes")

    assert first.returncode == 0, first.stderr
    # the direct quote with its cue and speaker, and the mayor's indirect one
    assert "stored 2 pending suggestion(s) (6 span(s)) in 1 document(s)" in first.stdout
    assert again.returncode == 0 and "stored 2 pending" in again.stdout
    stored = pending(database_url)
    assert len(stored) == 2  # the second run replaced the first one's
    text = ARTICLE
    (quote,) = [s for s in stored if text[s.start : s.end] == "“We will not leave,”"]
    assert (quote.label, text[quote.start : quote.end]) == ("QUOTE", "“We will not leave,”")
    assert quote.suggester == "quotes" and quote.rule and 0 < quote.confidence <= 1
    parts = {p.role: (p.label, text[p.start : p.end]) for p in quote.parts[1:]}
    assert parts == {"cue": ("CUE", "said"), "speaker": ("PERSON", "Mara Voss")}
    named = {(name, quote.parts[tail].role) for name, head, tail in quote.relations if head == 0}
    assert named == {("speaker", "speaker"), ("cue", "cue")}


def test_a_rejected_suggestion_is_not_stored_again(database_url: str, tmp_path: Path) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert glossa("--db", database_url, "import", article).returncode == 0
    assert glossa("--db", database_url, "suggest", "--with", "quotes").returncode == 0
    workspace = Workspace.open(database_url, "ana", samples=False)
    try:
        for quote in pending_suggestions(workspace, documents.documents(workspace)[0].id):
            reject(workspace, quote)
    finally:
        workspace.close()

    done = glossa("--db", database_url, "suggest", "--with", "quotes")

    assert done.returncode == 0, done.stderr
    assert "stored 0 pending suggestion(s)" in done.stdout
    assert pending(database_url) == []
