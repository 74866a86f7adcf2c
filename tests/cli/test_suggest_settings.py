"""``glossa suggest`` follows the project's suggestion settings and ``--threshold``, and a
suggester that fails on a document is switched off for it with a warning line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.services import Workspace, documents, spans
from app.services.pending import pending_suggestions
from app.services.suggestion_settings import SuggestionSettings, save_suggestion_settings
from tests.cli.runner import REPO, environment, glossa

ARTICLE = (
    "Harbour talks\n\n"
    "“We will not leave,” said Mara Voss, the union's spokeswoman. "
    "The mayor told reporters that the terminal would open in June.\n"
)
WITH_A_BROKEN_SUGGESTER = """
import sys
from app.assist import register
from app.__main__ import main

class Broken:
    name = "broken"
    def suggest(self, text, context):
        raise RuntimeError("the oracle is out of order")

register("broken", Broken)
sys.argv = ["glossa", *sys.argv[1:]]
raise SystemExit(main())
"""


def imported(tmp_path: Path) -> Path:
    database = tmp_path / "g.db"
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    assert glossa("--db", database, "import", article).returncode == 0
    return database


def quote_spans(out: Path) -> list[dict[str, object]]:
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return [s for s in record["spans"] if s["label"] == "QUOTE"]


def test_threshold_leaves_out_the_less_sure_suggestions(tmp_path: Path) -> None:
    database = imported(tmp_path)
    every, sure = tmp_path / "every.jsonl", tmp_path / "sure.jsonl"

    assert glossa("--db", database, "suggest", "--with", "quotes", "--out", every).returncode == 0
    confidences = sorted(float(s["attributes"]["confidence"]) for s in quote_spans(every))  # type: ignore[index]
    assert len(confidences) == 2  # the direct quote and the reported speech
    middle = (confidences[0] + confidences[1]) / 2
    done = glossa(
        "--db", database, "suggest", "--with", "quotes", "--threshold", middle, "--out", sure
    )

    assert done.returncode == 0, done.stderr
    assert [float(s["attributes"]["confidence"]) for s in quote_spans(sure)] == confidences[1:]  # type: ignore[index]


def test_the_projects_threshold_and_labels_are_honoured_when_storing(tmp_path: Path) -> None:
    database = imported(tmp_path)
    workspace = Workspace.open(f"sqlite:///{database}", "ana", samples=False)
    try:
        save_suggestion_settings(workspace, SuggestionSettings(labels={"quotes": ("CLAIM",)}))
    finally:
        workspace.close()

    done = glossa("--db", database, "suggest", "--with", "quotes")

    assert done.returncode == 0, done.stderr
    assert "stored 0 pending suggestion(s)" in done.stdout
    refused = glossa("--db", database, "suggest", "--threshold", "2")
    assert refused.returncode != 0 and "between 0 and 1" in refused.stderr


def test_a_failing_suggester_is_switched_off_for_the_document_with_a_warning(
    tmp_path: Path,
) -> None:

    database = imported(tmp_path)
    done = subprocess.run(
        [
            *(sys.executable, "-c", WITH_A_BROKEN_SUGGESTER),
            *("--db", str(database), "suggest", "--with", "broken,quotes"),
        ],
        cwd=REPO,
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    (warning,) = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert "suggester broken switched off for document 1 (Harbour talks)" in warning
    assert "the oracle is out of order" in warning
    workspace = Workspace.open(f"sqlite:///{database}", "ana", samples=False)
    try:
        (document,) = documents.documents(workspace)
        assert {s.suggester for s in pending_suggestions(workspace, document.id)} == {"quotes"}
        assert spans.spans(workspace, document.id) == []
    finally:
        workspace.close()
