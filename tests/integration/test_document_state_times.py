"""An annotator's document state says when it last changed: every status change and every
time record moves ``updated_at`` forward."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import select

from app.core.annotations import Status
from app.services import Workspace, documents, spans
from app.services.timing import record_time
from app.store.orm import DocumentState


@pytest.fixture
def ws(database_url: str) -> Iterator[Workspace]:
    workspace = Workspace.open(database_url, "tester")
    yield workspace
    workspace.close()


def updated_at(ws: Workspace, document: int) -> datetime:
    with ws.database.session() as session:
        found = session.scalar(
            select(DocumentState.updated_at).where(
                DocumentState.document_id == document,
                DocumentState.annotator_id == ws.annotator_id,
            )
        )
    assert found is not None
    return found


def test_a_status_change_moves_updated_at_forward(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    documents.set_status(ws, document, Status.IN_PROGRESS)
    started = updated_at(ws, document)

    documents.set_status(ws, document, Status.DONE)
    done = updated_at(ws, document)
    documents.set_status(ws, document, Status.IN_PROGRESS)

    assert started < done < updated_at(ws, document)


def test_a_first_span_marks_the_document_started_and_dates_it(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    documents.set_status(ws, document, Status.NEW)
    created = updated_at(ws, document)

    spans.add_span(ws, document, 0, 3, "PERSON")

    assert documents.status(ws, document) is Status.IN_PROGRESS
    assert updated_at(ws, document) > created


def test_recorded_time_moves_updated_at_forward(ws: Workspace) -> None:
    document = documents.documents(ws)[0].id
    documents.set_status(ws, document, Status.IN_PROGRESS)
    started = updated_at(ws, document)

    record_time(ws, document, 30)
    first = updated_at(ws, document)
    record_time(ws, document, 30)

    assert started < first < updated_at(ws, document)
