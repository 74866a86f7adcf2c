"""ArticleView: highlights cover exactly their characters, selections come out in code points."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat, QTextCursor, QTextLayout
from pytestqt.qtbot import QtBot

from app.core.annotations import Span
from app.gui.annotating.article_view import ArticleView
from tests.gui.support import utf16

COLOURS = {"PERSON": "#e6194b", "ORG": "#4363d8", "QUOTE": "#f58231"}
TEXT = "Intro 🎉🎶 line.\nZoë Lindqvist 👏🏽 said “we won”.\n\nLast 👨‍👩‍👧 paragraph here."


def span(span_id: int, word: str, label: str = "PERSON", text: str = TEXT) -> Span:
    start = text.index(word)
    return Span(span_id, 1, start, start + len(word), label, "tester")


def make_view(qtbot: QtBot, spans: list[Span], text: str = TEXT) -> ArticleView:
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show_document(text, spans, COLOURS)
    return view


def highlighted(view: ArticleView) -> dict[int, QTextCharFormat]:
    """Qt position -> format of every character the highlighter formatted."""
    found: dict[int, QTextCharFormat] = {}
    block = view.document().begin()
    while block.isValid():
        ranges: list[QTextLayout.FormatRange] = block.layout().formats()
        for item in ranges:
            fmt = QTextCharFormat(item.format)  # the range owns its format: keep a copy
            for offset in range(item.start, item.start + item.length):
                found[block.position() + offset] = fmt
        block = block.next()
    return found


def qt_range(text: str, start: int, end: int) -> set[int]:
    return set(range(utf16(text, start), utf16(text, end)))


def test_highlight_covers_exactly_the_span_after_emoji(qtbot: QtBot) -> None:
    lindqvist = span(1, "Lindqvist")
    view = make_view(qtbot, [lindqvist])
    formats = highlighted(view)
    assert set(formats) == qt_range(TEXT, lindqvist.start, lindqvist.end)
    fmt = next(iter(formats.values()))
    assert fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert fmt.underlineColor() == QColor(COLOURS["PERSON"])
    assert fmt.background().color() != QColor("white")


def test_span_across_paragraphs_and_emoji_is_highlighted_whole(qtbot: QtBot) -> None:
    start = TEXT.index("line.")
    end = TEXT.index("paragraph")
    quote = Span(1, 1, start, end, "QUOTE", "tester")
    view = make_view(qtbot, [quote])
    separators = {utf16(TEXT, i) for i, ch in enumerate(TEXT) if ch == "\n"}
    assert set(highlighted(view)) == qt_range(TEXT, start, end) - separators


def test_nested_span_is_drawn_over_the_outer_one_and_darker(qtbot: QtBot) -> None:
    outer = Span(1, 1, TEXT.index("Zoë"), TEXT.index(" said"), "QUOTE", "tester")
    inner = span(2, "Lindqvist")
    view = make_view(qtbot, [outer, inner])
    formats = highlighted(view)
    assert set(formats) == qt_range(TEXT, outer.start, outer.end)
    only_outer = formats[utf16(TEXT, outer.start)]
    both = formats[utf16(TEXT, inner.start)]
    assert both.underlineColor() == QColor(COLOURS["PERSON"])
    assert only_outer.underlineColor() == QColor(COLOURS["QUOTE"])
    assert both.background().color().lightness() < only_outer.background().color().lightness()


def test_crossing_spans_get_their_own_layers(qtbot: QtBot) -> None:
    first = Span(1, 1, TEXT.index("Zoë"), TEXT.index("Lindqvist") + 4, "PERSON", "tester")
    second = Span(2, 1, TEXT.index("Lindqvist"), TEXT.index(" said"), "ORG", "tester")
    view = make_view(qtbot, [first, second])
    formats = highlighted(view)
    assert set(formats) == qt_range(TEXT, first.start, second.end)
    assert formats[utf16(TEXT, first.start)].underlineColor() == QColor(COLOURS["PERSON"])
    assert formats[utf16(TEXT, second.end - 1)].underlineColor() == QColor(COLOURS["ORG"])
    overlap = formats[utf16(TEXT, second.start)].background().color()
    assert overlap.lightness() < formats[utf16(TEXT, first.start)].background().color().lightness()


def test_adding_and_removing_rehighlights_only_the_touched_block(qtbot: QtBot) -> None:
    view = make_view(qtbot, [span(1, "Intro")])
    seen: list[int] = []
    highlighter = view._highlighter
    original = highlighter.highlightBlock

    def spy(text: str) -> None:
        seen.append(highlighter.currentBlock().blockNumber())
        original(text)

    highlighter.highlightBlock = spy  # type: ignore[method-assign]
    added = span(2, "paragraph")
    view.add_span(added)
    assert seen == [3]
    assert qt_range(TEXT, added.start, added.end) <= set(highlighted(view))
    seen.clear()
    view.remove_span(1)
    assert seen == [0]
    assert set(highlighted(view)) == qt_range(TEXT, added.start, added.end)
    view.update_span(added._replace(label="ORG"))
    assert highlighted(view)[utf16(TEXT, added.start)].underlineColor() == QColor(COLOURS["ORG"])


def test_selection_snaps_to_words_in_code_points(qtbot: QtBot) -> None:
    view = make_view(qtbot, [])
    start = TEXT.index("indq")
    cursor = view.textCursor()
    cursor.setPosition(utf16(TEXT, start))
    cursor.setPosition(utf16(TEXT, start + 3), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    word = TEXT.index("Lindqvist")
    assert view.selected_range() == (word, word + len("Lindqvist"))


def test_selection_keeps_combining_marks_and_emoji_whole(qtbot: QtBot) -> None:
    text = "Name Zoe\u0308 and 👍🏽 ok"
    view = make_view(qtbot, [], text)
    view.select_range(text.index("Zo"), text.index("Zo") + 3)  # stops before the diaeresis
    assert view.selected_range() == (text.index("Zo"), text.index("Zo") + 4)
    thumb = text.index("👍")
    view.select_range(thumb, thumb + 1)  # stops before the skin tone modifier
    assert view.selected_range() == (thumb, thumb + 2)


def test_whitespace_only_selection_is_no_range(qtbot: QtBot) -> None:
    view = make_view(qtbot, [])
    space = TEXT.index(" ")
    cursor = view.textCursor()
    cursor.setPosition(space)
    cursor.setPosition(space + 1, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.selected_range() is None


def test_span_at_prefers_the_innermost(qtbot: QtBot) -> None:
    outer = Span(1, 1, TEXT.index("Zoë"), TEXT.index(" said"), "QUOTE", "tester")
    inner = span(2, "Lindqvist")
    view = make_view(qtbot, [outer, inner])
    assert view.span_at(inner.start) == inner
    assert view.span_at(outer.start) == outer
    assert view.spans_at(inner.start) == [inner, outer]
    assert view.span_at(0) is None
    assert view.span_at(len(TEXT)) is None


def test_tab_walks_spans_in_reading_order_and_wraps(qtbot: QtBot) -> None:
    spans = [span(3, "paragraph"), span(1, "Intro"), span(2, "Lindqvist")]
    view = make_view(qtbot, spans)
    chosen: list[object] = []
    view.span_selected.connect(chosen.append)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert chosen == [1, 2, 3, 1, 3]
    assert view.textCursor().position() == utf16(TEXT, TEXT.index("paragraph"))
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert view.selected_span() is None and chosen[-1] is None


def test_removing_the_selected_span_clears_the_selection(qtbot: QtBot) -> None:
    view = make_view(qtbot, [span(1, "Intro")])
    view.select_span(1)
    assert view.selected_span() == span(1, "Intro")
    view.remove_span(1)
    assert view.selected_span() is None


def test_tooltip_lists_the_spans_under_the_mouse(qtbot: QtBot) -> None:
    outer = Span(1, 1, TEXT.index("Zoë"), TEXT.index(" said"), "QUOTE", "tester")
    inner = span(2, "Lindqvist")
    view = make_view(qtbot, [outer, inner])
    view.show()
    qtbot.waitExposed(view)
    cursor = view.textCursor()
    cursor.setPosition(utf16(TEXT, inner.start + 3))
    point = view.cursorRect(cursor).center()
    assert view.offset_at(point) in (inner.start + 2, inner.start + 3)
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    assert view.viewportEvent(event)
    html = view.describe(view.spans_at(inner.start))
    assert html.index("QUOTE") < html.index("PERSON")
    assert "Lindqvist" in html


def test_scroll_position_round_trips_in_code_points(qtbot: QtBot) -> None:
    text = "\n".join(f"Paragraph {n} 🎉 with some words in it." for n in range(200))
    view = make_view(qtbot, [], text)
    target = text.index("Paragraph 120")
    view.set_scroll_position(target)  # not shown yet: applied when shown
    assert view.scroll_position() == target
    view.show()
    qtbot.waitExposed(view)
    assert view.scroll_position() == target
    assert view.firstVisibleBlock().blockNumber() == 120
    view.set_scroll_position(0)
    assert view.scroll_position() == 0


def test_leading_byte_order_mark_keeps_offsets(qtbot: QtBot) -> None:
    text = "\ufeffBOM first word"
    view = make_view(qtbot, [Span(1, 1, 1, 4, "ORG", "tester")], text)
    assert set(highlighted(view)) == {1, 2, 3}
    view.select_range(5, 7)  # exact, as given
    assert view.selected_range() == (5, 7)
    cursor = view.textCursor()
    cursor.setPosition(6)
    cursor.setPosition(8, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)  # a new selection, made without Alt: whole words
    assert view.selected_range() == (5, 10)


def test_click_position_maps_to_the_character_under_it(qtbot: QtBot) -> None:
    view = make_view(qtbot, [])
    view.show()
    qtbot.waitExposed(view)
    cursor = view.textCursor()
    cursor.setPosition(utf16(TEXT, TEXT.index("line")))
    rect = view.cursorRect(cursor)
    assert view.offset_at(QPoint(rect.x() + 2, rect.center().y())) == TEXT.index("line")


def test_three_nested_layers_stay_distinguishable_across_a_wrap_in_rtl_text(
    qtbot: QtBot,
) -> None:
    text = "הוא אמר: «Zoë Lindqvist פתחה את המסוף החדש לפני הקיץ» והמועצה הסכימה."
    claim = Span(1, 1, text.index("«"), text.index(" והמועצה"), "CLAIM", "tester")
    quote = Span(2, 1, text.index("Zoë"), text.index(" לפני"), "QUOTE", "tester")
    person = Span(3, 1, text.index("Zoë"), text.index(" פתחה"), "PERSON", "tester")
    colours = {**COLOURS, "CLAIM": "#9a6324"}
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(220, 300)  # narrow: the claim wraps over several lines
    view.show_document(text, [claim, quote, person], colours)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().grab()  # lays the paragraph out at this width
    formats = highlighted(view)

    assert set(formats) == qt_range(text, claim.start, claim.end)
    layout = view.document().begin().layout()
    assert layout.lineCount() > 1
    only_claim = formats[utf16(text, claim.start)]
    claim_and_quote = formats[utf16(text, text.index("פתחה"))]
    all_three = formats[utf16(text, person.start)]
    assert only_claim.underlineColor() == QColor(colours["CLAIM"])
    assert claim_and_quote.underlineColor() == QColor(colours["QUOTE"])
    assert all_three.underlineColor() == QColor(colours["PERSON"])
    # each layer darkens the tint, so the three extents read apart at a glance
    lightness = [
        f.background().color().lightness() for f in (only_claim, claim_and_quote, all_three)
    ]
    assert lightness[0] > lightness[1] > lightness[2]
    assert (
        len({f.background().color().name() for f in (only_claim, claim_and_quote, all_three)}) == 3
    )
