"""Undo commands call the services, announce ChangeSets, restore ids, and drop failures."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from app.core.annotations import Status
from app.gui.commands import (
    AddRelation,
    AddSpan,
    DeleteRelation,
    DeleteSpan,
    MoveSpan,
    RelabelSpan,
    SetSpanAttributes,
    SetStatus,
)
from app.gui.hub import ChangeHub
from app.services import ChangeSet, Workspace, documents, spans


@pytest.fixture
def hub(qtbot: QtBot) -> ChangeHub:
    return ChangeHub()


def first_document(workspace: Workspace) -> int:
    return documents.documents(workspace)[0].id


def test_add_span_undo_redo_keeps_the_id(sample_workspace: Workspace, hub: ChangeHub) -> None:
    document_id = first_document(sample_workspace)
    stack = QUndoStack()
    seen: list[ChangeSet] = []
    hub.changed.connect(seen.append)
    command = AddSpan(sample_workspace, hub, document_id, 0, 7, "ORG")
    stack.push(command)
    [span] = spans.spans(sample_workspace, document_id)
    assert command.span_id == span.id
    stack.undo()
    assert spans.spans(sample_workspace, document_id) == []
    stack.redo()
    assert spans.spans(sample_workspace, document_id) == [span]
    assert [bool(c.added) for c in seen] == [True, False, True]
    assert seen[1].removed[0].id == span.id


def test_delete_and_relabel_are_undone(sample_workspace: Workspace, hub: ChangeHub) -> None:
    document_id = first_document(sample_workspace)
    span = spans.add_span(sample_workspace, document_id, 0, 7, "ORG").added[0]
    stack = QUndoStack()
    stack.push(RelabelSpan(sample_workspace, hub, span, "LOC"))
    assert spans.spans(sample_workspace, document_id)[0].label == "LOC"
    stack.push(DeleteSpan(sample_workspace, hub, spans.spans(sample_workspace, document_id)[0]))
    assert spans.spans(sample_workspace, document_id) == []
    stack.undo()
    assert [(s.id, s.label) for s in spans.spans(sample_workspace, document_id)] == [
        (span.id, "LOC")
    ]
    stack.undo()
    assert [(s.id, s.label) for s in spans.spans(sample_workspace, document_id)] == [
        (span.id, "ORG")
    ]


def test_set_status_undo(sample_workspace: Workspace, hub: ChangeHub) -> None:
    document_id = first_document(sample_workspace)
    stack = QUndoStack()
    stack.push(SetStatus(sample_workspace, hub, document_id, Status.NEW, Status.DONE))
    assert documents.status(sample_workspace, document_id) is Status.DONE
    stack.undo()
    assert documents.status(sample_workspace, document_id) is Status.NEW


def test_failing_command_is_reported_and_dropped(
    sample_workspace: Workspace, hub: ChangeHub
) -> None:
    document_id = first_document(sample_workspace)
    stack = QUndoStack()
    failures: list[str] = []
    hub.failed.connect(failures.append)
    stack.push(AddSpan(sample_workspace, hub, document_id, 5, 5, "ORG"))
    assert stack.count() == 0
    assert failures and "outside the text" in failures[0]


def test_failing_undo_leaves_no_broken_step(sample_workspace: Workspace, hub: ChangeHub) -> None:
    document_id = first_document(sample_workspace)
    stack = QUndoStack()
    failures: list[str] = []
    hub.failed.connect(failures.append)
    command = AddSpan(sample_workspace, hub, document_id, 0, 7, "ORG")
    stack.push(command)
    assert command.span_id is not None
    spans.delete_span(sample_workspace, command.span_id)  # behind the stack's back
    stack.undo()
    assert failures
    assert stack.count() == 0


def test_relation_commands_keep_their_ids(sample_workspace: Workspace, hub: ChangeHub) -> None:
    document_id = first_document(sample_workspace)
    quote = spans.add_span(sample_workspace, document_id, 0, 12, "QUOTE").added[0]
    person = spans.add_span(sample_workspace, document_id, 20, 25, "PERSON").added[0]
    stack = QUndoStack()
    seen: list[ChangeSet] = []
    hub.changed.connect(seen.append)
    link = AddRelation(sample_workspace, hub, quote, person, "speaker")
    stack.push(link)
    [relation] = spans.relations(sample_workspace, document_id)
    assert link.relation == relation and seen[-1].relations_added == (relation,)
    stack.undo()
    assert spans.relations(sample_workspace, document_id) == []
    assert seen[-1].relations_removed == (relation,)
    stack.redo()
    assert spans.relations(sample_workspace, document_id) == [relation]

    stack.push(DeleteRelation(sample_workspace, hub, relation))
    assert spans.relations(sample_workspace, document_id) == []
    stack.undo()
    assert spans.relations(sample_workspace, document_id) == [relation]


def test_refused_link_is_reported_and_dropped(sample_workspace: Workspace, hub: ChangeHub) -> None:
    document_id = first_document(sample_workspace)
    quote = spans.add_span(sample_workspace, document_id, 0, 12, "QUOTE").added[0]
    place = spans.add_span(sample_workspace, document_id, 20, 25, "LOC").added[0]
    stack = QUndoStack()
    failures: list[str] = []
    hub.failed.connect(failures.append)
    stack.push(AddRelation(sample_workspace, hub, quote, place, "speaker"))
    assert stack.count() == 0
    assert failures == ["Link speaker: a speaker must be a PERSON or ORG, not LOC"]


def test_attribute_and_move_commands_undo(sample_workspace: Workspace, hub: ChangeHub) -> None:
    document_id = first_document(sample_workspace)
    quote = spans.add_span(
        sample_workspace, document_id, 0, 12, "QUOTE", attributes={"kind": "direct"}
    ).added[0]
    stack = QUndoStack()
    stack.push(SetSpanAttributes(sample_workspace, hub, quote, {"kind": "mixed"}))
    stack.push(MoveSpan(sample_workspace, hub, quote, 0, 7))
    [stored] = spans.spans(sample_workspace, document_id)
    assert (stored.attributes, stored.start, stored.end) == ({"kind": "mixed"}, 0, 7)
    stack.undo()
    stack.undo()
    assert spans.spans(sample_workspace, document_id) == [quote]
