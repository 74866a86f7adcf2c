"""Titles, names, span text and URLs from the database are shown as the text they are.

Qt renders a QLabel's text, a message box's and every tooltip as HTML when it looks like
HTML; data must never be: a title ``<img src=...>`` would load a file.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

from app.core.entities import Entity
from app.core.review import Column
from app.gui.annotating.entity_link import EntityLinkDialog
from app.gui.models.documents import DocumentListModel
from app.gui.models.review import COLUMNS
from app.gui.models.spans import SpanListModel
from app.gui.reviewing.review_view import ReviewPanel
from app.gui.transfer.transfer import ReportDialog, run_import
from app.gui.widgets.plain_text import is_web_link, literal, open_web_link, plain
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents
from app.services.importing import ImportReport, import_paths

TITLE = "<b>x</b><img src='file:///etc/passwd'>"
EVE = "<i>eve</i>"
SPEAKER = "<b>Varga</b>"
QUOTE = "<img src=x>&amp;"
TEXT = f"Ann {SPEAKER} said {QUOTE} today."
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def as_shown(tooltip: str) -> str:
    """What Qt shows for a tooltip string: rich text rendered when it looks rich."""
    if not GuiQt.mightBeRichText(tooltip):
        return tooltip
    document = QTextDocument()
    document.setHtml(tooltip)
    return document.toPlainText()


def shows_literally(tooltip: object, data: str) -> bool:
    assert isinstance(tooltip, str)
    return data in as_shown(tooltip)


def import_hostile(workspace: Workspace, folder: Path, url: str) -> int:
    start, quote = TEXT.index(SPEAKER), TEXT.index(QUOTE)
    record = {
        "text": TEXT,
        "meta": {"title": TITLE, "url": url, "source": "<u>wire</u>"},
        "spans": [
            {"id": "p", "start": start, "end": start + len(SPEAKER), "label": "PERSON"},
            {"id": "q", "start": quote, "end": quote + len(QUOTE), "label": "QUOTE"},
        ],
        "relations": [{"head": "q", "tail": "p", "label": "speaker"}],
    }
    for span in record["spans"]:
        span["annotator"] = EVE
    source = folder / "hostile.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    import_paths(workspace, [source])
    [summary] = [s for s in documents.documents(workspace) if s.title == TITLE]
    return summary.id


@pytest.fixture
def eve(db_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(str(db_path), EVE, samples=False)
    yield workspace
    workspace.close()


@pytest.fixture
def hostile(eve: Workspace, tmp_path: Path, open_window: Callable[..., MainWindow]) -> MainWindow:
    document_id = import_hostile(eve, tmp_path, "file:///etc/passwd")
    window = open_window(eve)
    window.open_document(document_id, wait=True)
    assert window.spans.rowCount() == 2
    return window


def test_title_and_annotator_labels_show_the_tags_as_text(hostile: MainWindow) -> None:
    title, annotator = hostile.header.title_label, hostile.status_line.annotator_label

    assert title.text() == TITLE
    assert title.textFormat() == Qt.TextFormat.PlainText
    assert annotator.text() == f"Annotator: {EVE}"
    assert annotator.textFormat() == Qt.TextFormat.PlainText
    assert hostile.status_line.database_label.textFormat() == Qt.TextFormat.PlainText


def test_document_list_tooltip_shows_the_title_literally(hostile: MainWindow) -> None:
    model = hostile.documents
    tip = model.index(0, DocumentListModel.TITLE).data(TOOLTIP)

    assert "&lt;img" in tip and "<img" not in tip
    assert shows_literally(tip, TITLE)


def test_span_and_relation_tooltips_show_the_text_literally(hostile: MainWindow) -> None:
    spans = hostile.spans
    tips = [spans.index(row, SpanListModel.TEXT).data(TOOLTIP) for row in range(2)]
    relation_tip = hostile.relations.index(0, 0).data(TOOLTIP)

    assert sorted(as_shown(tip) for tip in tips) == sorted([SPEAKER, QUOTE])
    assert all("<b>" not in tip and "<img" not in tip for tip in tips)
    assert shows_literally(relation_tip, "speaker")
    assert "Varga" in as_shown(relation_tip) and "<img" not in relation_tip


def test_review_table_tooltips_show_text_and_title_literally(
    hostile: MainWindow, qtbot: QtBot
) -> None:
    panel = hostile.findChild(ReviewPanel)
    assert isinstance(panel, ReviewPanel)
    panel.reload()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2)

    for row in range(2):
        title = panel.model.index(row, COLUMNS.index(Column.DOCUMENT)).data(TOOLTIP)
        text = panel.model.index(row, COLUMNS.index(Column.TEXT)).data(TOOLTIP)
        assert shows_literally(title, TITLE) and "<img" not in title
        assert "<b>" not in text and "<img" not in text
    column = COLUMNS.index(Column.TEXT)
    shown = {as_shown(panel.model.index(row, column).data(TOOLTIP)) for row in range(2)}
    assert any(f"[{SPEAKER}]" in tip for tip in shown)
    assert any(f"[{QUOTE}]" in tip for tip in shown)


def test_details_line_escapes_its_data_and_links_no_file_url(hostile: MainWindow) -> None:
    details = hostile.header.details_label

    assert "<a " not in details.text()
    assert hostile.header.details_text() == "<u>wire</u> · file:///etc/passwd"
    assert not details.openExternalLinks()


def test_entity_link_dialog_shows_the_mention_and_aliases_literally(qtbot: QtBot) -> None:
    entity = Entity(id=1, name="Ann Varga", type="PERSON", aliases=(SPEAKER,))
    dialog = EntityLinkDialog(SPEAKER, "PERSON", [(entity, 0.9)], None)
    qtbot.addWidget(dialog)
    [heading] = [label for label in dialog.findChildren(QLabel) if "PERSON" in label.text()]
    rendered = QTextDocument()
    rendered.setHtml(heading.text())

    assert SPEAKER in rendered.toPlainText()
    assert shows_literally(dialog.list.item(0).toolTip(), f"Also: {SPEAKER}")


def test_a_failure_message_box_shows_its_text_plainly(hostile: MainWindow, qtbot: QtBot) -> None:
    hostile.hub.failed.emit(f"Cannot save {TITLE}")

    boxes = [b for b in hostile.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and boxes[-1].textFormat() == Qt.TextFormat.PlainText
    assert TITLE in boxes[-1].text()
    boxes[-1].close()


@pytest.mark.parametrize(
    ("url", "web"),
    [
        ("https://example.org/a?b=1", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("ftp://example.org/x", False),
        ("https:/no-host", False),
        ("example.org", False),
        ("smb://server/share", False),
    ],
)
def test_only_http_and_https_are_links(url: str, web: bool) -> None:
    assert is_web_link(url) is web


def test_a_web_url_is_a_link_opened_only_after_confirmation(
    eve: Workspace,
    tmp_path: Path,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "https://example.org/story?id=1&x=<2>"
    document_id = import_hostile(eve, tmp_path, url)
    window = open_window(eve)
    window.open_document(document_id, wait=True)
    opened: list[str] = []
    asked: list[str] = []
    answer = QMessageBox.StandardButton.Cancel

    def exec_(box: QMessageBox) -> int:
        asked.append(box.text())
        assert box.textFormat() == Qt.TextFormat.PlainText
        return int(answer.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda link: opened.append(link.toString()))
    details = window.header.details_label
    assert "<a href=" in details.text()

    details.linkActivated.emit(url)  # cancelled: nothing opens
    assert len(asked) == 1 and url in asked[0] and opened == []

    answer = QMessageBox.StandardButton.Open
    details.linkActivated.emit(url)
    assert opened == [QUrl(url).toString()]

    assert not open_web_link(window, "file:///etc/passwd")
    assert len(asked) == 2 and len(opened) == 1


def test_literal_leaves_plain_text_alone_and_escapes_what_looks_rich() -> None:
    assert literal("Cross-border festival\n12 characters") == "Cross-border festival\n12 characters"
    for text in (TITLE, "<i>eve</i>", "a <b>b</b>\nline two", "&amp; <p>"):
        assert as_shown(literal(text)).replace("\u2029", "\n") == text


def test_labels_made_plain_keep_their_format_when_the_text_changes(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)

    plain(label).setText(TITLE)
    assert label.textFormat() == Qt.TextFormat.PlainText and label.text() == TITLE


def test_import_progress_and_report_name_a_file_literally(
    eve: Workspace,
    tmp_path: Path,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    window = open_window(eve)
    hostile = tmp_path / "<b>x<img src=y>.txt"  # no slash in a file name
    hostile.write_text("Ann Varga said yes.\n", encoding="utf-8")
    gate, reached = threading.Event(), threading.Event()

    def importing(*args: object, **kwargs: object) -> ImportReport:
        reached.set()  # on the import's thread: the dialog names the file by now
        assert gate.wait(10), "never let go"
        return import_paths(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("app.gui.transfer.transfer.import_paths", importing)
    run = run_import(window.session, [hostile])
    qtbot.waitUntil(reached.is_set)
    progress = window.findChild(QProgressDialog)
    assert progress is not None
    qtbot.waitUntil(lambda: hostile.name in as_shown(progress.labelText()))
    gate.set()
    qtbot.waitUntil(lambda: run.done)

    [report] = [d for d in window.findChildren(ReportDialog) if d.isVisible()]
    assert report.heading.textFormat() == Qt.TextFormat.PlainText
