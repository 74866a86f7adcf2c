"""A project's suggestion settings, suggesters that fail, live quotes and fixed boundaries,
through the services on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.assist import ProjectContext, Suggestion, register
from app.assist.suggester import _REGISTRY
from app.core.errors import InputError
from app.core.ledger import ACCEPTED_AFTER_FIX
from app.services import Workspace, applying, documents
from app.services import spans as spans_service
from app.services.costs import cost_report
from app.services.importing import import_paths
from app.services.pending import pending_suggestions, store_suggestions
from app.services.suggesting import write_suggestions
from app.services.suggestion_actions import accept
from app.services.suggestion_layer import OpenSuggestions
from app.services.suggestion_settings import (
    SuggestionSettings,
    save_suggestion_settings,
    suggestion_settings,
)

ARTICLE = (
    "Harbour talks\n\n"
    "“We will not leave,” said Mara Voss, the union's spokeswoman. "
    "Later Voss met the mayor. Everyone in Tarn knows Voss.\n"
)
QUOTE = "“We will not leave,”"


class Broken:
    """A user's suggester with a bug."""

    name = "broken"

    def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
        raise RuntimeError("the oracle is out of order")


HELD = threading.Event()


class Stuck:
    """A user's suggester that never comes back (until the test lets it go)."""

    name = "stuck"

    def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
        HELD.wait()
        return []


@pytest.fixture
def ws(database_url: str, tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "ana", samples=False)
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    import_paths(workspace, [article])
    yield workspace
    workspace.close()


@pytest.fixture
def misbehaving() -> Iterator[None]:
    register(Broken.name, Broken)
    register(Stuck.name, Stuck)
    HELD.clear()
    yield
    HELD.set()
    for name in (Broken.name, Stuck.name):
        _REGISTRY.pop(name, None)


def the_document(ws: Workspace) -> int:
    (summary,) = documents.documents(ws)
    return summary.id


def test_settings_are_the_projects_and_read_back_as_saved(ws: Workspace) -> None:
    assert suggestion_settings(ws) == SuggestionSettings()
    chosen = SuggestionSettings(("quotes",), 0.5, {"known-names": ("PERSON", "ORG")})

    save_suggestion_settings(ws, chosen)

    again = Workspace.open(ws.database.url, "bo", samples=False)
    try:
        assert suggestion_settings(again) == chosen  # another annotator, the same project
    finally:
        again.close()
    with pytest.raises(InputError, match="oracle"):
        save_suggestion_settings(ws, SuggestionSettings(("oracle",)))
    with pytest.raises(InputError, match="between 0 and 1"):
        SuggestionSettings(threshold=1.5)


def test_the_threshold_and_the_labels_decide_what_is_stored(ws: Workspace) -> None:
    document_id = the_document(ws)
    high = SuggestionSettings(threshold=0.99)
    assert store_suggestions(ws, [document_id], ["quotes"], high).suggestions == 0
    no_quotes = SuggestionSettings(labels={"quotes": ("CLAIM",)})
    assert store_suggestions(ws, [document_id], ["quotes"], no_quotes).suggestions == 0
    assert store_suggestions(ws, [document_id], ["quotes"]).suggestions == 1
    assert [s.label for s in pending_suggestions(ws, document_id)] == ["QUOTE"]


def test_a_failing_suggester_is_switched_off_for_the_document_and_the_others_run(
    ws: Workspace, misbehaving: None
) -> None:
    document_id = the_document(ws)
    store_suggestions(ws, [document_id], ["quotes"])
    spans_service.add_span(ws, document_id, 0, 7, "ORG")
    before = spans_service.spans(ws, document_id)
    warned: list[str] = []

    stored = store_suggestions(ws, [document_id], ["broken", "known-names"], warn=warned.append)

    (line,) = warned
    assert "broken" in line and f"document {document_id}" in line and "talks" in line
    assert "the oracle is out of order" in line
    assert spans_service.spans(ws, document_id) == before  # annotations are never touched
    assert stored.documents == 1
    assert "quotes" in {s.suggester for s in pending_suggestions(ws, document_id)}


def test_a_suggester_taking_too_long_is_switched_off(ws: Workspace, misbehaving: None) -> None:
    document_id = the_document(ws)
    text = documents.document(ws, document_id).text
    save_suggestion_settings(ws, SuggestionSettings(("known-names", "quotes", "stuck")))
    layer = OpenSuggestions(ws, document_id, text)
    layer.limit = 0.05  # the stuck one never answers: any limit is passed

    shown = layer.load()

    assert layer.switched_off["stuck"].startswith("took longer than")
    assert [s.label for s in shown] == ["QUOTE"]  # the quote suggester still ran


def test_the_window_runs_the_quote_suggester_live_and_shows_a_stored_duplicate_once(
    ws: Workspace,
) -> None:
    document_id = the_document(ws)
    text = documents.document(ws, document_id).text

    (live,) = OpenSuggestions(ws, document_id, text).load()
    assert (live.label, text[live.start : live.end], live.stored) == ("QUOTE", QUOTE, False)
    assert {p.role for p in live.parts} == {"", "cue", "speaker"}

    store_suggestions(ws, [document_id], ["quotes"])
    (stored,) = OpenSuggestions(ws, document_id, text).load()
    assert stored.stored and stored.start == live.start

    save_suggestion_settings(ws, SuggestionSettings(window=("known-names",)))
    assert OpenSuggestions(ws, document_id, text).load() == [stored]  # stored ones stay
    save_suggestion_settings(ws, SuggestionSettings(window=(), threshold=0.99))
    assert OpenSuggestions(ws, document_id, text).load() == []


def test_a_fixed_suggestion_is_accepted_as_fixed_and_the_ledger_says_so(ws: Workspace) -> None:
    document_id = the_document(ws)
    text = documents.document(ws, document_id).text
    store_suggestions(ws, [document_id], ["quotes"])
    layer = OpenSuggestions(ws, document_id, text)
    (proposed,) = layer.load()

    fixed = layer.fix(proposed, "start", +1)
    fixed = layer.fix(fixed, "end", -1)

    assert text[fixed.start : fixed.end] == "We will not leave"
    assert layer.suggestions == [fixed] and layer.proposed(fixed) == proposed
    assert pending_suggestions(ws, document_id) == [proposed]  # the layer's only
    change = accept(ws, [fixed], fixed_from=[layer.proposed(fixed) or proposed])
    spans = {(s.label, text[s.start : s.end]) for s in spans_service.spans(ws, document_id)}
    assert ("QUOTE", "We will not leave") in spans and ("CUE", "said") in spans
    made = {(e.label, e.made) for e in cost_report(ws).entries if e.kind == "span"}
    assert made == {
        ("QUOTE", ACCEPTED_AFTER_FIX),
        ("CUE", ACCEPTED_AFTER_FIX),
        ("PERSON", ACCEPTED_AFTER_FIX),
    }

    applying.apply(ws, change.inverse(), "undo")
    assert spans_service.spans(ws, document_id) == []
    assert pending_suggestions(ws, document_id) == [proposed]  # back as it was proposed


def test_write_suggestions_honours_the_settings(ws: Workspace, tmp_path: Path) -> None:
    document_id = the_document(ws)
    out = tmp_path / "s.jsonl"
    written, spans = write_suggestions(
        ws, out, [document_id], ["quotes"], SuggestionSettings(threshold=0.99)
    )
    assert (written, spans) == (1, 0)
