"""The cost ledger of a project, read from what annotators did through the services.

Every test runs on a SQLite file and, when ``GLOSSA_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.ledger import RELABELLED, TYPED
from app.services import Workspace, bulk, documents, relations, span_edits, spans
from app.services.costs import cost_report
from app.services.importing import import_paths

TEXT = "Ann Varga met Bob Lee in Paris. Ann Varga left."


@pytest.fixture
def project(database_url: str, tmp_path: Path) -> Iterator[tuple[Workspace, int]]:
    ws = Workspace.open(database_url, "alice", samples=False)
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert import_paths(ws, [path]).ok
    yield ws, documents.documents(ws)[0].id
    ws.close()


def test_every_span_made_is_in_the_ledger_deleted_ones_too(
    project: tuple[Workspace, int],
) -> None:
    ws, doc = project
    first = spans.add_span(ws, doc, 0, 9, "PERSON").added[0]
    bulk.add_spans(ws, doc, [(14, 21), (25, 30)], "ORG")
    span_edits.relabel_span(ws, first.id, "ORG")
    spans.delete_span(ws, first.id)
    report = cost_report(ws)
    made = [(e.label, e.made, e.kind) for e in report.entries]
    assert made == [
        ("PERSON", TYPED, "span"),
        ("ORG", TYPED, "span"),
        ("ORG", TYPED, "span"),
        ("ORG", RELABELLED, "span"),
    ]
    assert all(e.annotator == "alice" and e.document == doc for e in report.entries)
    assert all(e.seconds >= 0 for e in report.entries)
    assert report.costs.acceptance_rate is None


def test_relations_are_in_the_ledger_with_their_labels(project: tuple[Workspace, int]) -> None:
    ws, doc = project
    quote = spans.add_span(ws, doc, 32, 47, "QUOTE").added[0]
    speaker = spans.add_span(ws, doc, 32, 41, "PERSON").added[0]
    relations.add_relation(ws, quote.id, speaker.id, "speaker")
    kinds = [(e.kind, e.label) for e in cost_report(ws).entries]
    assert kinds == [("span", "QUOTE"), ("span", "PERSON"), ("relation", "speaker")]
