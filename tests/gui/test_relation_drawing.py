"""Relation arrows and names are drawn beside the words, never over them.

Everything drawn for a relation (each segment of its arrow, the arrowhead, the name's box)
is checked against the box of every character on screen, as Qt lays it out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QRectF
from pytestqt.qtbot import QtBot

from app.core.annotations import Span
from app.gui.annotating.article_view import ArticleView
from app.gui.annotating.relation_marks import Drawn, link_shapes
from app.gui.annotating.span_marks import line_rects
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, spans
from app.services import relations as relations_service

COLOURS = {"PERSON": "#e6194b", "QUOTE": "#f58231", "CUE": "#911eb4"}
LEDE = "The harbour chief spoke to reporters at the terminal on Monday morning. "
QUOTE = '"We will open the terminal next spring, whatever the weather does,"'
TEXT = (
    LEDE * 3
    + "\n"
    + f"{QUOTE} Maria Khoury told the crowd at the pier. "
    + LEDE
    + '\nShe added: "The ferries will run every hour." '
    + LEDE * 6
)


def glyph_boxes(view: ArticleView) -> list[QRectF]:
    """The box of every character on screen (viewport coordinates)."""
    boxes: list[QRectF] = []
    block = view.firstVisibleBlock()
    while block.isValid():
        base = block.position()
        for position in range(base, base + block.length() - 1):
            boxes.extend(line_rects(view, position, position + 1))
        block = block.next()
    return [box for box in boxes if box.width() > 0]


def overlaps(drawn: list[Drawn], glyphs: list[QRectF]) -> list[tuple[str, QRectF, QRectF]]:
    return [
        (shape.link.label, box, glyph)
        for shape in drawn
        for box in shape.boxes()
        for glyph in glyphs
        if box.intersects(glyph)
    ]


def tagged(start_word: str, length: int, label: str, span_id: int, after: int = 0) -> Span:
    start = TEXT.index(start_word, after)
    return Span(span_id, 1, start, start + length, label, "tester")


@pytest.fixture
def scene() -> dict[str, Span]:
    quote = tagged(QUOTE, len(QUOTE), "QUOTE", 1)
    second = TEXT.index('"The ferries')
    return {
        "quote": quote,
        "speaker": tagged("Maria Khoury", len("Maria Khoury"), "PERSON", 2),
        "cue": tagged("told", 4, "CUE", 3, quote.end),
        "second": Span(4, 1, second, TEXT.index(" ", TEXT.index("hour.")), "QUOTE", "tester"),
        "she": tagged("She", 3, "PERSON", 5),
        "added": tagged("added", 5, "CUE", 6),
    }


@pytest.fixture
def view(qtbot: QtBot, scene: dict[str, Span]) -> Iterator[ArticleView]:
    from app.core.annotations import Relation

    made = ArticleView()
    qtbot.addWidget(made)
    relations = [
        Relation(1, 1, 1, 2, "speaker", "tester"),
        Relation(2, 1, 1, 3, "cue", "tester"),
        Relation(3, 1, 4, 5, "speaker", "tester"),
        Relation(4, 1, 4, 6, "cue", "tester"),
        Relation(5, 1, 4, 2, "speaker", "tester"),  # a speaker lines away
    ]
    made.set_relation_colours({"speaker": "#00838f", "cue": "#d81b60"})
    made.show_document(TEXT, list(scene.values()), COLOURS, relations)
    made.show()
    qtbot.waitExposed(made)
    yield made


@pytest.mark.parametrize("width", [380, 520, 700, 1000, 1600])
def test_no_relation_arrow_or_name_covers_a_character(
    view: ArticleView, qtbot: QtBot, scene: dict[str, Span], width: int
) -> None:
    view.resize(width, 900)
    qtbot.waitUntil(lambda: view.viewport().width() > 0)
    routes = 0
    for selected in ("quote", "second", "speaker"):
        view.select_span(scene[selected].id)
        drawn = link_shapes(view, view.visible_links())
        assert drawn, f"nothing drawn for the {selected}"
        assert not overlaps(drawn, glyph_boxes(view)), f"{selected} at {width} px"
        # the check itself sees a name laid over the words, as relations were drawn before
        over = drawn[0]._replace(tag=line_rects(view, *drawn[0].link.head)[0])
        assert overlaps([over], glyph_boxes(view))
        routes += sum(len(shape.route) for shape in drawn)
    assert routes > 0


def test_arrows_between_lines_run_down_the_margin_left_of_the_text(
    view: ArticleView, qtbot: QtBot, scene: dict[str, Span]
) -> None:
    view.resize(520, 900)
    qtbot.waitUntil(lambda: view.viewport().width() > 0)
    view.select_span(scene["second"].id)
    drawn = {shape.link.tail: shape for shape in link_shapes(view, view.visible_links())}
    far = drawn[view.visible_links()[-1].tail]  # to Maria Khoury, lines above
    text_left = min(glyph.left() for glyph in glyph_boxes(view))
    vertical = [(a, b) for a, b in zip(far.route, far.route[1:], strict=False) if a.x() == b.x()]
    longest = max(vertical, key=lambda pair: abs(pair[0].y() - pair[1].y()))
    assert longest[0].x() < text_left
    assert not overlaps([far], glyph_boxes(view))


def test_a_half_shown_relation_points_to_the_edge_it_lies_beyond(
    view: ArticleView, qtbot: QtBot, scene: dict[str, Span]
) -> None:
    view.resize(520, 200)
    qtbot.waitUntil(lambda: view.viewport().height() > 0)
    view.select_span(scene["second"].id)
    view.set_scroll_position(scene["second"].start)  # Maria Khoury, lines above, scrolled away
    maria = (scene["speaker"].start, scene["speaker"].end)  # no emoji: Qt counts the same
    far = next(link for link in view.visible_links() if link.tail == maria)
    assert not line_rects(view, *far.tail)
    shapes = link_shapes(view, view.visible_links())
    (shape,) = [shape for shape in shapes if shape.link.tail == maria]
    assert shape.route[-1].y() == 0.0  # up the margin to the top edge
    assert shape.route[-1].x() < min(glyph.left() for glyph in glyph_boxes(view))
    assert not overlaps(shapes, glyph_boxes(view))


def test_in_the_window_a_quote_its_speaker_and_cue_never_hide_text(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(sample_workspace, (1400, 800))
    festival = next(s for s in documents.documents(sample_workspace) if s.title.startswith("Cross"))
    window.open_document(festival.id, wait=True)
    text = window.article.text
    quote_text = '"Music does not ask for a passport,"'
    start = text.index(quote_text)
    quote = spans.add_span(sample_workspace, festival.id, start, start + len(quote_text), "QUOTE")
    khoury = text.index("Khoury", start)
    told = text.index("told", start)
    person = spans.add_span(sample_workspace, festival.id, khoury, khoury + 6, "PERSON")
    cue = spans.add_span(sample_workspace, festival.id, told, told + 4, "CUE")
    for changes in (quote, person, cue):
        window.article.add_span(changes.added[0])
    for tail, name in ((person, "speaker"), (cue, "cue")):
        relation = relations_service.add_relation(
            sample_workspace, quote.added[0].id, tail.added[0].id, name
        )
        window.article.add_relation(relation.relations_added[0])
    window.article.select_span(quote.added[0].id)
    drawn = link_shapes(window.article, window.article.visible_links())
    assert {shape.link.label for shape in drawn} == {"speaker", "cue"}
    assert not overlaps(drawn, glyph_boxes(window.article))
