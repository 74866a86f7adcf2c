"""How the article is laid out for reading: room above every line, space after each paragraph,
and a line length (measure) a reader's eye can follow.

The plain-text layout Qt offers ignores block formats (margins, line height), so the room is
made here: each block is laid out by Qt as usual, then its lines are moved down, one gap
above each, and the block reports itself taller by the paragraph space. Nothing is added to
the text: offsets and Qt positions stay exactly what they were.

The room above each line is where relations are drawn (``relation_marks``): an arrow or a
relation's name never has to cross a word.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QTextBlock, QTextDocument
from PySide6.QtWidgets import QPlainTextDocumentLayout

MEASURE = 75
"""Characters per line at most: the classic readable measure is 45 to 80."""
PARAGRAPH_SPACE = 0.5
"""Space after a paragraph, in lines: single line breaks of scraped text read as paragraphs."""
# A line of prose, for the width of an average character as it occurs in text
_PROSE = "The quick brown fox jumps over the lazy dog, said the spokesman on Monday."


def measure_width(font: QFont, characters: int = MEASURE) -> float:
    """The width of ``characters`` characters of prose set in ``font``."""
    metrics = QFontMetricsF(font)
    return metrics.horizontalAdvance(_PROSE) / len(_PROSE) * characters


class ReadingLayout(QPlainTextDocumentLayout):
    """Qt's plain-text layout with room above each line and space after each paragraph."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._document = document
        self.line_gap = 0.0
        self.paragraph_gap = 0.0

    def set_gaps(self, line_gap: float, paragraph_gap: float) -> None:
        """Room above every line and after every paragraph, in pixels; lays the text out
        again when they change."""
        if (line_gap, paragraph_gap) == (self.line_gap, self.paragraph_gap):
            return
        self.line_gap, self.paragraph_gap = line_gap, paragraph_gap
        document = self._document
        document.markContentsDirty(0, document.characterCount())

    def blockBoundingRect(self, block: QTextBlock) -> QRectF:
        rect = super().blockBoundingRect(block)  # lays the block out when it is not yet
        if not block.isValid() or not block.isVisible():
            return rect
        # An empty line between paragraphs already separates them: it gets no more room
        empty = block.length() <= 1
        gap = 0.0 if empty else self.line_gap
        layout = block.layout()
        count = layout.lineCount()
        if count and abs(layout.lineAt(0).y() - gap) > 0.01:
            y = 0.0
            for number in range(count):
                line = layout.lineAt(number)
                y += gap
                line.setPosition(QPointF(line.x(), y))
                y += line.height()
                if line.leading() < 0:  # as Qt's own layout counts it
                    y += float(int(line.leading()))
            rect = super().blockBoundingRect(block)
        if not empty:
            rect.setHeight(rect.height() + self.paragraph_gap)
        return rect
