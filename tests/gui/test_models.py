"""The item models pass Qt's model tester, before and after updates from ChangeSets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester

from app.core.annotations import DocumentSummary, Span, Status
from app.gui.models.documents import DOCUMENT_ID_ROLE, DocumentListModel
from app.gui.models.spans import SPAN_ID_ROLE, SpanListModel
from app.services import ChangeSet, Workspace, documents

TEXT = "Zoë Lindqvist 🎉 told the Rivermouth Gazette about the festival."


def summaries() -> list[DocumentSummary]:
    return [
        DocumentSummary(1, "Harbour", 100, 0, Status.NEW),
        DocumentSummary(2, "Festival 🎉", 200, 3, Status.IN_PROGRESS),
        DocumentSummary(3, "Dam", 300, 1, Status.DONE),
    ]


def make_span(span_id: int, word: str, label: str = "PERSON") -> Span:
    start = TEXT.index(word)
    return Span(span_id, 7, start, start + len(word), label, "tester")


def test_document_list_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = DocumentListModel(summaries())
    qtmodeltester.check(model)
    model.apply(ChangeSet(1, added=(make_span(9, "Zoë"),)))
    model.reset(summaries()[:2])
    qtmodeltester.check(model)


def test_document_list_model_on_real_summaries(
    qtmodeltester: ModelTester, sample_workspace: Workspace
) -> None:
    model = DocumentListModel(documents.documents(sample_workspace))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert (
        model.data(model.index(0, 0), DOCUMENT_ID_ROLE)
        == documents.documents(sample_workspace)[0].id
    )


def test_document_list_model_follows_changes(qapp: QApplication) -> None:
    model = DocumentListModel(summaries())
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles=(): changed.append(top.row()))
    model.apply(ChangeSet(1, added=(make_span(9, "Zoë"),)))
    assert model.data(model.index(0, DocumentListModel.SPANS)) == 1
    status = model.index(0, DocumentListModel.STATUS)
    assert status.data() == "◐" and "in progress" in status.data(Qt.ItemDataRole.ToolTipRole)
    model.apply(ChangeSet(2, removed=(make_span(9, "Zoë"),)))
    model.apply(ChangeSet(3, status=Status.NEW))
    model.apply(ChangeSet(99, status=Status.DONE))  # not listed: ignored
    assert changed == [0, 1, 2]
    assert model.progress() == (0, 3)
    assert model.data(model.index(1, DocumentListModel.SPANS)) == 2
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Title"


def test_span_list_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = SpanListModel()
    qtmodeltester.check(model)
    spans = [make_span(2, "Rivermouth Gazette", "ORG"), make_span(1, "Zoë Lindqvist")]
    model.show_document(7, TEXT, spans, {"PERSON": "#e6194b", "ORG": "#4363d8"})
    qtmodeltester.check(model)
    model.apply(ChangeSet(7, added=(make_span(3, "Lindqvist"),)))
    model.apply(ChangeSet(7, changed=(make_span(2, "Rivermouth Gazette", "LOC"),)))
    model.apply(ChangeSet(7, removed=(make_span(1, "Zoë Lindqvist"),)))
    qtmodeltester.check(model)


def test_span_list_model_keeps_reading_order_and_slices_canonical_text(
    qapp: QApplication,
) -> None:
    model = SpanListModel()
    outer = make_span(5, "Zoë Lindqvist")
    inner = make_span(4, "Lindqvist")
    model.show_document(7, TEXT, [inner], {"PERSON": "#e6194b"})
    model.apply(ChangeSet(7, added=(outer, make_span(6, "festival", "LOC"))))
    model.apply(ChangeSet(8, added=(make_span(9, "told"),)))  # another document: ignored
    ids = [model.data(model.index(row, 0), SPAN_ID_ROLE) for row in range(model.rowCount())]
    assert ids == [5, 4, 6]
    assert model.data(model.index(0, SpanListModel.TEXT)) == "Zoë Lindqvist"
    assert model.data(model.index(0, SpanListModel.OFFSETS)) == f"{outer.start}–{outer.end}"
    assert model.row_of(6) == 2 and model.row_of(42) is None
    moved = outer._replace(start=outer.start + 4)
    model.apply(ChangeSet(7, changed=(moved,)))
    assert model.span_in_row(1) == moved
