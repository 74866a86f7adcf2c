"""Labels are told apart without colour: an underline style of each label's own, named in
the label list, on hover and on selection."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QTextCharFormat, QTextLayout
from pytestqt.qtbot import QtBot

from app.gui.annotating.label_marks import UNDERLINE_NAMES, label_markers
from app.gui.window.main_window import MainWindow
from app.services import documents, spans


def test_every_label_of_a_schema_gets_a_marker_of_its_own(window: MainWindow) -> None:
    labels = [label.name for label in window.workspace.schema.labels]
    markers = label_markers(labels)
    assert len(set(markers.values())) == len(labels)
    twelve = label_markers(f"L{i}" for i in range(12))
    assert len(set(twelve.values())) == 12
    assert len({marker.describe() for marker in twelve.values()}) == 12


def test_each_labels_spans_are_underlined_in_its_own_style(
    window: MainWindow, qtbot: QtBot
) -> None:
    assert window.document is not None
    text = window.article.text
    words = [(at, text.index(" ", at)) for at in _word_starts(text)][: len(window.colours)]
    for (start, end), label in zip(words, window.colours, strict=True):
        spans.add_span(window.workspace, window.document.id, start, end, label)
    window.open_document(documents.documents(window.workspace)[1].id, wait=True)
    window.reload_document(wait=True)  # with the spans added behind its back
    window.article.ensure_highlighted(range(window.article.document().blockCount()))

    styles: dict[str, tuple[QTextCharFormat.UnderlineStyle, bool]] = {}
    for span in window.article.spans():
        fmt = _format_at(window, span.start)
        styles[span.label] = (fmt.underlineStyle(), fmt.fontOverline())
        assert fmt.underlineStyle() in UNDERLINE_NAMES
    assert len(styles) == len(window.colours)
    assert len(set(styles.values())) == len(styles)  # no two labels marked alike

    # hovering names the label; selecting names it in the status bar, with its mark
    span = window.article.spans()[2]
    tooltip = window.article.describe([span])
    assert f"<b>{span.label}</b>" in tooltip
    assert f"({UNDERLINE_NAMES[styles[span.label][0]]} underline" in tooltip
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    while window.article.selected_span() != span:
        qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    message = window.statusBar().currentMessage()
    assert message.startswith(f"{span.label} (")
    assert (
        window.article.describe_plainly(span)
        .split("(")[1]
        .startswith(UNDERLINE_NAMES[styles[span.label][0]])
    )


def test_the_label_list_is_a_key_to_the_marks(window: MainWindow) -> None:
    items = [
        window.panel.palette_list.item(row) for row in range(window.panel.palette_list.count())
    ]
    markers = label_markers(label.name for label in window.workspace.schema.labels)
    images: set[bytes] = set()
    for item, (name, marker) in zip(items, markers.items(), strict=True):
        assert marker.describe() in item.toolTip()
        image = item.icon().pixmap(16, 16).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        # the line under the colour, by where it is drawn: differs from label to label
        line = bytes(
            QColor.fromRgba(image.pixel(x, y)).alpha() // 64
            for y in range(11, 16)
            for x in range(16)
        )
        images.add(line)
        assert name in item.text()
    assert len(images) == len(items)


def _word_starts(text: str) -> list[int]:
    """Starts of words of four letters or more, one per word, in order."""
    starts = []
    at = 0
    for word in text.split(" "):
        if len(word) >= 4 and word.isalpha():
            starts.append(at)
        at += len(word) + 1
    return starts


def _format_at(window: MainWindow, offset: int) -> QTextCharFormat:
    position = window.article.positions.to_qt(offset)
    block = window.article.document().findBlock(position)
    ranges: list[QTextLayout.FormatRange] = block.layout().formats()
    for item in ranges:
        if item.start <= position - block.position() < item.start + item.length:
            return QTextCharFormat(item.format)
    raise AssertionError(f"no format at {offset}")
