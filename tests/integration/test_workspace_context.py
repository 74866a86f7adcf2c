"""The workspace is a context: its identity is fixed, the actions are service functions."""

from __future__ import annotations

import pytest

from app.services import Workspace, documents, schema_edits, spans
from app.services.project_schema import schema_in


def test_the_database_project_and_annotator_cannot_be_changed(workspace: Workspace) -> None:
    for name in ("database", "project_id", "annotator", "annotator_id", "schema"):
        with pytest.raises(AttributeError):
            setattr(workspace, name, getattr(workspace, name))


def test_an_action_is_a_function_taking_the_workspace_first(
    sample_workspace: Workspace,
) -> None:
    document_id = documents.documents(sample_workspace)[0].id

    change = spans.add_span(sample_workspace, document_id, 0, 3, "PERSON")

    assert spans.spans(sample_workspace, document_id) == list(change.added)
    assert not hasattr(sample_workspace, "add_span")  # the workspace is only the context


def test_the_schema_a_unit_of_work_reads_is_the_one_the_workspace_then_shows(
    database_url: str,
) -> None:
    alice = Workspace.open(database_url, "alice", samples=False)
    bob = Workspace.open(database_url, "bob", samples=False)
    try:
        schema_edits.add_label(alice, "EVENT")
        assert bob.schema.label("EVENT") is None  # nothing of bob's has read it yet
        with bob.database.reading() as uow:
            assert schema_in(bob, uow).label("EVENT") is not None
        assert bob.schema.label("EVENT") is not None
        assert bob.schema_version == alice.schema_version
    finally:
        bob.close()
        alice.close()
