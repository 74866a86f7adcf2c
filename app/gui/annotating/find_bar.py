"""The find bar above the article: every occurrence of some words, one selected, all marked.

Matches are found in the canonical text (code points), never in the widget's text, and the
current one is selected with ``ArticleView.select_range``. "Tag all" asks the window to tag
every match with one label as one undoable step. When a match is tagged already, its label is
the one offered, and when that span mentions an entity the bar offers to link the new spans
to it as well.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QPainter, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from app.core.annotations import Span
from app.core.schema import LabelSchema
from app.gui.annotating.annotation_panel import swatch
from app.gui.annotating.article_view import ArticleView
from app.gui.annotating.span_marks import line_rects
from app.gui.widgets.plain_text import literal
from app.services.bulk import occurrences

MAX_MARKED = 2000
"""At most this many matches are marked on one screen (a one-letter query can match on
every line); the count and Tag all still cover every match."""
MATCH_COLOUR = QColor(255, 200, 0, 70)
CURRENT_COLOUR = QColor(255, 140, 0, 150)
_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _MatchMarks(QWidget):
    """A see-through layer over the article's viewport that tints the visible matches."""

    def __init__(self, bar: FindBar) -> None:
        super().__init__(bar.article)
        self.bar = bar
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        viewport = bar.article.viewport()
        viewport.installEventFilter(self)
        bar.article.verticalScrollBar().valueChanged.connect(self.update)
        bar.article.horizontalScrollBar().valueChanged.connect(self.update)
        self.setGeometry(viewport.geometry())
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.setGeometry(self.bar.article.viewport().geometry())
        return False

    def visible_matches(self) -> list[tuple[int, int]]:
        """The matches on screen (code points), at most ``MAX_MARKED`` of them."""
        article, matches = self.bar.article, self.bar.matches
        if not matches:
            return []
        viewport = article.viewport()
        top = article.cursorForPosition(viewport.rect().topLeft()).position()
        bottom = article.cursorForPosition(viewport.rect().bottomRight()).position()
        positions = article.positions
        first, last = positions.from_qt(top), positions.from_qt(bottom, round_up=True)
        # a match may start before the top line and run into it
        at = max(bisect_left(matches, (first, 0)) - 1, 0)
        shown: list[tuple[int, int]] = []
        while at < len(matches) and matches[at][0] <= last and len(shown) < MAX_MARKED:
            if matches[at][1] > first:
                shown.append(matches[at])
            at += 1
        return shown

    def paintEvent(self, event: QPaintEvent) -> None:
        article = self.bar.article
        positions = article.positions
        current = self.bar.current_match()
        painter = QPainter(self)
        painter.setPen(Qt.PenStyle.NoPen)
        for start, end in self.visible_matches():
            colour = CURRENT_COLOUR if (start, end) == current else MATCH_COLOUR
            for rect in line_rects(article, positions.to_qt(start), positions.to_qt(end)):
                painter.fillRect(rect, colour)
        painter.end()


class FindBar(QWidget):
    """Find in the article: a query, options, the match count and "Tag all"."""

    tag_all_requested = Signal(object, str, object)
    """The matches as ``[(start, end), ...]`` (code points), the label to tag them with and
    the entity the new spans mention (None: none)."""
    closed = Signal()

    def __init__(
        self, article: ArticleView, schema: LabelSchema, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.article = article
        self.matches: list[tuple[int, int]] = []
        self._current: int | None = None
        self.entity_name: Callable[[int], str | None] = lambda _entity: None
        """The name of an entity by id (the window knows them)."""

        self.query = QLineEdit(self)
        self.query.setObjectName("findQuery")
        self.query.setPlaceholderText("Find in the article")
        self.query.setClearButtonEnabled(True)
        self.query.setMinimumWidth(self.fontMetrics().horizontalAdvance("x" * 12))
        self.query.installEventFilter(self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("findCount")
        self.count_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 of 0000"))
        self.previous_button = QToolButton(self)
        self.previous_button.setText("▲")
        self.previous_button.setToolTip("Previous match (Shift+Enter, Shift+F3)")
        self.next_button = QToolButton(self)
        self.next_button.setText("▼")
        self.next_button.setToolTip("Next match (Enter, F3)")
        self.case_box = QCheckBox("Case", self)
        self.case_box.setToolTip("Match case: upper and lower case letters differ")
        self.words_box = QCheckBox("Words", self)
        self.words_box.setToolTip("Whole words: no letter or digit right before or after")
        self.label_box = QComboBox(self)
        self.label_box.setObjectName("findLabel")
        self.set_schema(schema)
        self.link_box = QCheckBox(self)
        self.link_box.setObjectName("findLink")
        self.link_box.hide()
        self.tag_button = QPushButton("Tag all", self)
        self.tag_button.setToolTip(
            "Tag every match not yet tagged with this label, as one step (Ctrl+Shift+T)"
        )
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Close (Esc)")
        for widget in (
            self.previous_button,
            self.next_button,
            self.case_box,
            self.words_box,
            self.label_box,
            self.link_box,
            self.tag_button,
            self.close_button,
        ):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.query, 3)
        layout.addWidget(self.count_label)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.case_box)
        layout.addWidget(self.words_box)
        layout.addStretch(1)
        layout.addWidget(self.label_box)
        layout.addWidget(self.link_box)
        layout.addWidget(self.tag_button)
        layout.addWidget(self.close_button)

        self.marks = _MatchMarks(self)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)
        self.query.textChanged.connect(lambda _: self.search())
        self.query.textChanged.connect(lambda _: self.follow_tagged())
        self.label_box.currentIndexChanged.connect(lambda _: self._offer_link())
        self.case_box.toggled.connect(lambda _: self.search())
        self.words_box.toggled.connect(lambda _: self.search())
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.tag_button.clicked.connect(self.tag_all)
        self.close_button.clicked.connect(self.close_bar)
        article.textChanged.connect(self._document_changed)
        self.hide()

    # -- opening and closing -----------------------------------------------------------

    def open(self, label: str | None = None) -> None:
        """Show the bar with the query selected; a short selection in the article becomes the
        query, and ``label`` the one Tag all uses."""
        if label is not None:
            self.set_label(label)
        selected = self.article.selected_range()
        if selected is not None:
            words = self.article.text[selected[0] : selected[1]]
            if "\n" not in words and len(words) <= 200:
                self.query.setText(words)
        self.show()
        self.marks.show()
        self.marks.raise_()
        self.query.setFocus()
        self.query.selectAll()
        if self._current is None:
            self.search()
        self.follow_tagged()

    def close_bar(self) -> None:
        """Hide the bar and its marks; the current match stays selected."""
        self.hide()
        self.marks.hide()
        self.article.setFocus()
        self.closed.emit()

    def set_schema(self, schema: LabelSchema) -> None:
        """Offer the schema's labels for Tag all, keeping the chosen one when it remains."""
        chosen = self.label_box.currentData()
        self.label_box.clear()
        for label in schema.labels:
            self.label_box.addItem(swatch(label.colour), label.name, label.name)
            self.label_box.setItemData(
                self.label_box.count() - 1, literal(label.guideline), Qt.ItemDataRole.ToolTipRole
            )
        if chosen is not None and self.label_box.findData(chosen) >= 0:
            self.label_box.setCurrentIndex(self.label_box.findData(chosen))

    def set_label(self, label: str) -> None:
        """Choose the label Tag all uses."""
        at = self.label_box.findData(label)
        if at >= 0:
            self.label_box.setCurrentIndex(at)

    def label(self) -> str:
        """The label Tag all uses."""
        return str(self.label_box.currentData() or "")

    # -- searching ------------------------------------------------------------------

    def search(self) -> None:
        """Find the query again and select the first match at or after the caret."""
        self._find(select=True)

    def _document_changed(self) -> None:
        self._find(select=False)

    def _find(self, *, select: bool) -> None:
        self.matches = occurrences(
            self.article.text,
            self.query.text(),
            case_sensitive=self.case_box.isChecked(),
            whole_words=self.words_box.isChecked(),
        )
        self._current = None
        if select and self.matches:
            cursor = self.article.textCursor()
            caret = self.article.positions.from_qt(cursor.selectionStart())
            at = bisect_left(self.matches, (caret, 0))
            self._go(at % len(self.matches))
        self._show_count()
        self.marks.update()

    def current_match(self) -> tuple[int, int] | None:
        """The selected match, if any."""
        return None if self._current is None else self.matches[self._current]

    def find_next(self) -> None:
        """Select the next match, wrapping round to the first."""
        self._step(+1)

    def find_previous(self) -> None:
        """Select the previous match, wrapping round to the last."""
        self._step(-1)

    def _step(self, delta: int) -> None:
        if not self.matches:
            return
        if self._current is None:
            caret = self.article.positions.from_qt(self.article.textCursor().position())
            at = bisect_left(self.matches, (caret, 0))
            self._go((at if delta > 0 else at - 1) % len(self.matches))
        else:
            self._go((self._current + delta) % len(self.matches))
        self._show_count()
        self.marks.update()

    def _go(self, at: int) -> None:
        self._current = at
        self.article.select_range(*self.matches[at])
        self.article.centerCursor()

    def _show_count(self) -> None:
        if not self.query.text():
            text = ""
        elif not self.matches:
            text = "No matches"
        elif self._current is None:
            text = f"{len(self.matches)} matches"
        else:
            text = f"{self._current + 1} of {len(self.matches)}"
        self.count_label.setText(text)

    # -- tagging ----------------------------------------------------------------------

    def tagged_matches(self) -> list[Span]:
        """The spans of the layer being edited that are exactly a match, in reading order."""
        wanted = set(self.matches)
        return sorted(
            (span for span in self.article.spans() if (span.start, span.end) in wanted),
            key=lambda span: (span.start, -span.end),
        )

    def follow_tagged(self) -> None:
        """Offer the label a match is tagged with already (the same words are most likely
        the same kind of thing), and its entity to link the new spans to."""
        tagged = self.tagged_matches()
        if tagged:
            self.set_label(tagged[0].label)
        self._offer_link()

    def linked_entity(self) -> int | None:
        """The entity that a match tagged with the chosen label mentions, if any."""
        label = self.label()
        for span in self.tagged_matches():
            if span.label == label and span.entity is not None:
                return span.entity
        return None

    def _offer_link(self) -> None:
        entity = self.linked_entity()
        if entity is None:
            self.link_box.hide()
            return
        name = self.entity_name(entity) or f"entity {entity}"
        self.link_box.setText(f"Link to {name}")
        self.link_box.setToolTip(
            literal(f"Make the new spans mentions of {name}, as the one tagged already is")
        )
        if self.link_box.isHidden():
            self.link_box.setChecked(True)
        self.link_box.show()

    def tag_all(self) -> None:
        """Ask for every match to be tagged with the chosen label (and linked to the offered
        entity when its box is ticked)."""
        if self.matches and self.label():
            entity = self.linked_entity() if self.link_box.isChecked() else None
            self.tag_all_requested.emit(list(self.matches), self.label(), entity)

    # -- keys ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _RETURN_KEYS
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.find_previous()
            else:
                self.find_next()
            return True
        return super().eventFilter(watched, event)
