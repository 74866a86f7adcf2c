"""``glossa suggest --out``: quotes, cues and speakers proposed as JSONL, the database as it was."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

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


def test_without_out_or_with_an_unknown_suggester_it_says_why(tmp_path: Path) -> None:
    database = tmp_path / "g.db"
    assert glossa("--db", database, "list").returncode == 0

    no_out = glossa("--db", database, "suggest")
    unknown = glossa("--db", database, "suggest", "--with", "oracle", "--out", tmp_path / "x")

    assert no_out.returncode == 1 and "--out FILE" in no_out.stderr
    assert unknown.returncode == 1 and "no suggester called oracle" in unknown.stderr
