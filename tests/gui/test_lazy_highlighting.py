"""Lazy highlighting: blocks are formatted when first shown, and then from the index as it is."""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat, QTextLayout
from pytestqt.qtbot import QtBot

from app.core.annotations import Span
from app.gui.annotating.article_view import ArticleView
from tests.gui.support import utf16

COLOURS = {"PERSON": "#e6194b", "ORG": "#4363d8", "QUOTE": "#f58231"}
PARAGRAPHS = 600
# a long article: many more paragraphs than a screen shows, an emoji in every tenth
TEXT = "\n".join(
    f"Paragraph {n} {'🎉 ' if n % 10 == 0 else ''}opens with Zoë and goes on "
    + "with plain words " * 12
    + "to the end."
    for n in range(PARAGRAPHS)
)
LAST = PARAGRAPHS - 1


def start_of(paragraph: int) -> int:
    """Code point where a paragraph starts."""
    return sum(len(line) + 1 for line in TEXT.split("\n")[:paragraph])


def zoe(span_id: int, paragraph: int, label: str = "PERSON") -> Span:
    """A span over the word "Zoë" of a paragraph."""
    start = TEXT.index("Zoë", start_of(paragraph))
    return Span(span_id, 1, start, start + 3, label, "tester")


def shown_view(qtbot: QtBot, spans: list[Span]) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show_document(TEXT, spans, COLOURS)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().grab()  # paints, as the screen would
    return view


def scroll_to_end(view: ArticleView) -> None:
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    view.viewport().grab()  # paints, as the screen would


def formats_of(view: ArticleView, paragraph: int) -> dict[int, QTextCharFormat]:
    """Qt position -> format of every character of a paragraph the highlighter formatted."""
    block = view.document().findBlockByNumber(paragraph)
    found: dict[int, QTextCharFormat] = {}
    ranges: list[QTextLayout.FormatRange] = block.layout().formats()
    for item in ranges:
        fmt = QTextCharFormat(item.format)
        for offset in range(item.start, item.start + item.length):
            found[block.position() + offset] = fmt
    return found


def qt_range(span: Span) -> set[int]:
    return set(range(utf16(TEXT, span.start), utf16(TEXT, span.end)))


def test_opening_formats_the_first_screen_and_not_the_whole_article(qtbot: QtBot) -> None:
    spans = [zoe(n, n) for n in range(PARAGRAPHS)]
    view = shown_view(qtbot, spans)
    done = view._highlighter.highlighted_blocks
    assert set(view.visible_blocks()) <= done
    assert LAST not in done
    assert formats_of(view, 0).keys() == qt_range(spans[0])
    assert formats_of(view, LAST) == {}  # not shown yet


def test_scrolling_to_the_end_highlights_the_last_paragraph(qtbot: QtBot) -> None:
    spans = [zoe(n, n) for n in range(PARAGRAPHS)]
    view = shown_view(qtbot, spans)
    scroll_to_end(view)
    assert LAST in view.visible_blocks()
    formats = formats_of(view, LAST)
    assert formats.keys() == qt_range(spans[LAST])
    assert next(iter(formats.values())).underlineColor() == QColor(COLOURS["PERSON"])
    # the paragraph with an emoji before the span, just above the last screen
    tenth = LAST - LAST % 10
    view.ensure_highlighted(range(tenth, tenth + 1))
    assert formats_of(view, tenth).keys() == qt_range(spans[tenth])


def test_span_added_out_of_sight_is_highlighted_once_shown(qtbot: QtBot) -> None:
    view = shown_view(qtbot, [zoe(1, 0)])
    added = zoe(2, LAST, "ORG")
    view.add_span(added)
    assert formats_of(view, LAST) == {}
    scroll_to_end(view)
    formats = formats_of(view, LAST)
    assert formats.keys() == qt_range(added)
    assert formats[utf16(TEXT, added.start)].underlineColor() == QColor(COLOURS["ORG"])


def test_span_removed_or_changed_out_of_sight_shows_as_it_is_now(qtbot: QtBot) -> None:
    removed, changed = zoe(1, LAST), zoe(2, LAST - 1)
    view = shown_view(qtbot, [removed, changed])
    view.remove_span(removed.id)
    view.update_span(changed._replace(label="ORG"))
    scroll_to_end(view)
    assert formats_of(view, LAST) == {}
    formats = formats_of(view, LAST - 1)
    assert formats.keys() == qt_range(changed)
    assert formats[utf16(TEXT, changed.start)].underlineColor() == QColor(COLOURS["ORG"])


def test_shown_paragraphs_follow_later_changes(qtbot: QtBot) -> None:
    view = shown_view(qtbot, [zoe(1, LAST)])
    scroll_to_end(view)
    view.remove_span(1)
    assert formats_of(view, LAST) == {}
    view.add_span(zoe(3, LAST, "QUOTE"))
    assert formats_of(view, LAST).keys() == qt_range(zoe(3, LAST))


def test_span_across_paragraphs_is_whole_once_both_are_shown(qtbot: QtBot) -> None:
    start = TEXT.index("Zoë", start_of(LAST - 1))
    end = TEXT.index("Zoë", start_of(LAST)) + 3
    quote = Span(1, 1, start, end, "QUOTE", "tester")
    view = shown_view(qtbot, [quote])
    scroll_to_end(view)
    separator = utf16(TEXT, start_of(LAST) - 1)
    found = set(formats_of(view, LAST - 1)) | set(formats_of(view, LAST))
    assert found == qt_range(quote) - {separator}


def test_ensure_highlighted_formats_blocks_of_a_hidden_view(qtbot: QtBot) -> None:
    view = ArticleView()
    qtbot.addWidget(view)
    span = zoe(1, LAST)
    view.show_document(TEXT, [span], COLOURS)
    assert formats_of(view, LAST) == {}
    view.ensure_highlighted(range(LAST, LAST + 5))  # past the end: ignored
    assert formats_of(view, LAST).keys() == qt_range(span)


def test_selecting_a_span_out_of_sight_scrolls_to_it_highlighted(qtbot: QtBot) -> None:
    spans = [zoe(n, n) for n in range(PARAGRAPHS)]
    view = shown_view(qtbot, spans)
    view.select_span(spans[LAST - 5].id)
    view.viewport().grab()  # paints, as the screen would
    assert LAST - 5 in view.visible_blocks()
    assert formats_of(view, LAST - 5).keys() == qt_range(spans[LAST - 5])
    assert view.span_at(spans[LAST - 5].start) == spans[LAST - 5]


def test_opening_another_document_starts_afresh(qtbot: QtBot) -> None:
    view = shown_view(qtbot, [zoe(1, LAST)])
    scroll_to_end(view)
    view.show_document(TEXT, [zoe(2, 0)], COLOURS)
    view.viewport().grab()  # paints, as the screen would
    assert LAST not in view._highlighter.highlighted_blocks
    assert formats_of(view, LAST) == {}
    assert formats_of(view, 0).keys() == qt_range(zoe(2, 0))


def test_scrolling_repaints_through_the_event_loop_with_highlights(qtbot: QtBot) -> None:
    spans = [zoe(n, n) for n in range(PARAGRAPHS)]
    view = shown_view(qtbot, spans)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())  # no explicit paint: the scroll schedules one
    qtbot.waitUntil(lambda: formats_of(view, LAST).keys() == qt_range(spans[LAST]))
