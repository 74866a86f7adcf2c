"""Whose annotations the article shows: my layer, another annotator's, all overlaid, or
another annotator's side by side with mine (View > Layers, F6).

Only my own layer is ever edited. Another annotator's layer shown alone is read-only under a
banner; overlaid, the others' spans are drawn dashed in their annotator's colour (a legend
names them) and can be selected and looked at, not changed; side by side, theirs is a second,
read-only view next to mine that scrolls with it. The span and relation lists always show
the layer being edited, mine.

Who the annotators are is read on a worker thread (when the window opens and at each F6), so
a slow server never freezes the window: the menu offers the annotators known so far at once
and is filled again when the read brings others (a failed read says so in the status bar).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QBoxLayout, QLabel, QLayout, QMenu, QSplitter, QWidget

from app.core.annotations import Span
from app.gui.annotating.span_view import SpanView
from app.gui.models.open_document import READERS, LayerView
from app.gui.session import Session
from app.gui.widgets.background import Background, database_problem
from app.services import ChangeSet, documents
from app.services.selection import GOLD_ANNOTATOR

# red comes last: a red dashed underline reads as a spelling mistake
LAYER_COLOURS = ("#1f77b4", "#9467bd", "#2ca02c", "#ff7f0e", "#8c564b", "#17becf", "#d62728")
GOLD_COLOUR = "#b8860b"
# a light banner keeps dark letters, whatever the theme
_BANNER_STYLE = "QLabel { background: #fff4c2; color: #1a1a1a; padding: 3px 8px; }"
EDIT_ACTIONS = (
    "delete_span",
    "cycle_attribute",
    "link_speaker",
    "link_cue",
    "link_any",
    "link_entity",
)


class Mode(StrEnum):
    """What the article shows."""

    MINE = "mine"
    OTHER = "other"
    OVERLAID = "overlaid"
    SIDE_BY_SIDE = "side by side"


@dataclass(frozen=True)
class LayerChoice:
    """A mode, and for ``OTHER`` and ``SIDE_BY_SIDE`` whose layer."""

    mode: Mode = Mode.MINE
    other: str | None = None


def layer_colours(names: list[str], owner: str) -> dict[str, str]:
    """A distinct colour for each annotator but ``owner``, always the same for a name set."""
    others = sorted(name for name in names if name not in (owner, GOLD_ANNOTATOR))
    colours = {name: LAYER_COLOURS[i % len(LAYER_COLOURS)] for i, name in enumerate(others)}
    if GOLD_ANNOTATOR in names and owner != GOLD_ANNOTATOR:
        colours[GOLD_ANNOTATOR] = GOLD_COLOUR
    return colours


def _layout_around(widget: QWidget) -> QLayout | None:
    parent = widget.parentWidget()
    return None if parent is None else parent.layout()


class Layers(QObject):
    """The window's choice of layers: which the open document holds and the article shows,
    and edits kept to mine."""

    def __init__(self, session: Session, details: QLabel) -> None:
        super().__init__(session.parent)
        self.session = session
        self.details = details
        """The details pane's text: it says why a span of another layer cannot be edited."""
        self.choice = LayerChoice()
        self.colours: dict[str, str] = {}
        self.menu = QMenu("&Layers", session.parent)
        self.group = QActionGroup(self)
        self.banner = QLabel(session.parent)
        self.banner.setObjectName("layerBanner")
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(_BANNER_STYLE)
        self.banner.hide()
        self.side: SpanView | None = None
        self._splitter: QSplitter | None = None
        self._syncing = False
        article = session.article
        layout = _layout_around(article)
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(layout.indexOf(article), self.banner)
        session.actions.bind("choose_layers", self.choose)
        article.span_selected.connect(self._show_if_read_only)
        article.verticalScrollBar().valueChanged.connect(self._main_scrolled)
        session.current_document.opened.connect(self._on_opened)
        session.current_document.changed.connect(self._on_changed)
        for name in EDIT_ACTIONS:
            action = session.actions.get(name)
            if action is not None:
                action.triggered.connect(self._explain_refusal)
        self.known: list[str] = [self.me]
        """The annotators known so far, sorted: read on a worker thread, and everyone who
        annotated a document opened."""
        self.annotators_read = Background(self, workers=READERS)
        self.annotators_read.finished.connect(self._annotators_arrived)
        self.annotators_read.failed.connect(self._annotators_not_read)
        self._configure()
        self.read_annotators()

    @property
    def me(self) -> str:
        """The annotator of the window: the layer that is edited."""
        return self.session.workspace.annotator

    # -- who the annotators are ----------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while the annotators are being read."""
        return self.annotators_read.busy

    def wait(self) -> None:
        """Return once the annotators read are offered (for scripts and tests)."""
        self.annotators_read.wait()

    def read_annotators(self) -> None:
        """Read who the annotators are on a worker thread; the latest read wins."""
        workspace = self.session.workspace
        self.annotators_read.run(partial(documents.annotators, workspace))

    def _annotators_arrived(self, names: list[str]) -> None:
        self._know(names)

    def _know(self, names: list[str] | tuple[str, ...]) -> None:
        known = sorted({*self.known, *names})
        if known == self.known:
            return
        self.known = known
        if self.choice.mode is Mode.OVERLAID:
            self._configure()  # the legend and colours name the newcomers
        else:
            self.colours = layer_colours(known, self.me)
        if self.menu.isVisible():
            self._fill_menu()

    def _annotators_not_read(self, error: Any) -> None:
        self._say(f"Cannot read who the annotators are: {database_problem(error)}")

    # -- choosing -------------------------------------------------------------------

    def choose(self) -> None:
        """Offer the layers to show, as a menu over the article (F6): the annotators known
        at once, the others as soon as they are read."""
        self._fill_menu()
        article = self.session.article
        self.menu.popup(article.mapToGlobal(QPoint(article.width() // 3, 0)))
        self.read_annotators()

    def _fill_menu(self) -> None:
        self.menu.clear()
        for action in self.group.actions():
            self.group.removeAction(action)
        others = [name for name in self.known if name != self.me]
        people = [name for name in others if name != GOLD_ANNOTATOR]
        self._add(f"My layer ({self.me})", LayerChoice())
        self.menu.addSeparator()
        for name in people:
            self._add(f"{name}'s layer (read-only)", LayerChoice(Mode.OTHER, name))
        if GOLD_ANNOTATOR in others:
            self._add("Gold layer (read-only)", LayerChoice(Mode.OTHER, GOLD_ANNOTATOR))
        self.menu.addSeparator()
        self._add("All layers overlaid", LayerChoice(Mode.OVERLAID)).setEnabled(bool(others))
        self.menu.addSeparator()
        for name in others:
            self._add(f"Side by side with {name}", LayerChoice(Mode.SIDE_BY_SIDE, name))

    def _add(self, text: str, choice: LayerChoice) -> QAction:
        action = QAction(text, self.menu)
        action.setCheckable(True)
        action.setChecked(choice == self.choice)
        action.setData(choice)
        action.triggered.connect(lambda _=False, chosen=choice: self.show_layers(chosen))
        self.group.addAction(action)
        self.menu.addAction(action)
        return action

    def show_layers(self, choice: LayerChoice, then: Callable[[], object] | None = None) -> None:
        """Show ``choice`` from now on, and the open document again accordingly (read on a
        worker thread); then ``then()``."""
        self.choice = choice
        self._configure()
        self.session.current_document.set_view(self.view())
        self.session.reload_document(then=then)

    def view(self) -> LayerView:
        """Whose spans the open document holds for the layers chosen."""
        choice, me = self.choice, self.me
        if choice.mode is Mode.OVERLAID:
            return LayerView(me, None)
        if choice.mode is Mode.OTHER and choice.other is not None:
            return LayerView(me, frozenset({choice.other}))
        if choice.mode is Mode.SIDE_BY_SIDE and choice.other is not None:
            return LayerView(me, frozenset({me}), choice.other)
        return LayerView.mine(me)

    def _configure(self) -> None:
        article, choice, me = self.session.article, self.choice, self.me
        self.colours = layer_colours(self.known, me)
        if choice.mode is Mode.OTHER and choice.other is not None:
            article.set_layers(me, [choice.other], read_only=True)
        elif choice.mode is Mode.OVERLAID:
            article.set_layers(me, None, self.colours)
        else:
            article.set_layers(me, [me])
        self._show_banner()
        if choice.mode is Mode.SIDE_BY_SIDE and choice.other is not None:
            side = self._side_view()
            side.set_layers(None, [choice.other], read_only=True)
            side.show()
            if self._splitter is not None:
                half = max(self._splitter.width() // 2, 1)
                self._splitter.setSizes([half, half])
        elif self.side is not None:
            self.side.hide()

    def _show_banner(self) -> None:
        choice, me = self.choice, html.escape(self.me)
        other = html.escape(choice.other or "")
        change = "<span style='color:gray'>— F6 to change</span>"
        if choice.mode is Mode.OTHER:
            text = f"Viewing <b>{other}</b>'s layer (read-only) {change}"
        elif choice.mode is Mode.OVERLAID:
            legend = " · ".join(
                f"<span style='color:{colour}'>┅ {html.escape(name)}</span>"
                for name, colour in self.colours.items()
            )
            text = f"All layers: <b>{me}</b> (tinted, editable) · {legend} (read-only) {change}"
        elif choice.mode is Mode.SIDE_BY_SIDE:
            text = f"<b>{me}</b> (editable) | <b>{other}</b> (right, read-only) {change}"
        else:
            self.banner.hide()
            return
        self.banner.setText(text)
        self.banner.show()

    # -- showing a document opened ----------------------------------------------------

    def _on_opened(self) -> None:
        """Say who else annotated the document; fill the side-by-side view when it is on."""
        choice, opened = self.choice, self.session.current_document
        if opened.document is None:
            return
        self._know(opened.annotators)
        if choice.mode is Mode.MINE:
            self._hint_at_others(opened.annotators)
        if choice.mode is Mode.SIDE_BY_SIDE and choice.other is not None:
            side = self._side_view()
            side.show_document(
                opened.document.text, opened.spans_of(choice.other), self.session.colours
            )
            side.set_scroll_position(self.session.article.scroll_position())

    def _hint_at_others(self, annotated: tuple[str, ...]) -> None:
        """On my layer alone, say who else annotated the document (their spans are hidden)."""
        others = [name for name in annotated if name != self.me]
        if not others:
            self.banner.hide()
            return
        names = ", ".join(html.escape(name) for name in others)
        self.banner.setText(
            f"Your layer. Also annotated here: {names} "
            "<span style='color:gray'>— F6 shows their layers</span>"
        )
        self.banner.show()

    # -- the side-by-side view ---------------------------------------------------------

    def _side_view(self) -> SpanView:
        if self.side is None:
            article = self.session.article
            side = SpanView(self.session.parent)
            side.setObjectName("sideBySide")
            side.set_layers(None, [], read_only=True)
            layout = _layout_around(article)
            splitter = QSplitter(Qt.Orientation.Horizontal, article.parentWidget())
            splitter.setChildrenCollapsible(False)
            if layout is not None:
                layout.replaceWidget(article, splitter)
            splitter.addWidget(article)
            splitter.addWidget(side)
            splitter.show()
            article.show()
            side.verticalScrollBar().valueChanged.connect(self._side_scrolled)
            self.side, self._splitter = side, splitter
        return self.side

    def _main_scrolled(self) -> None:
        side = self.side
        if side is None or not side.isVisible() or self._syncing:
            return
        self._syncing = True
        try:
            side.set_scroll_position(self.session.article.scroll_position())
        finally:
            self._syncing = False

    def _side_scrolled(self) -> None:
        side = self.side
        if side is None or not side.isVisible() or self._syncing:
            return
        self._syncing = True
        try:
            self.session.article.set_scroll_position(side.scroll_position())
        finally:
            self._syncing = False

    # -- keeping edits to my layer -------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        side = self.side
        if side is None:
            return
        for span in changes.removed:
            side.remove_span(span.id)
        for span in (*changes.added, *changes.changed):
            side.add_span(span)  # left out unless it is of the layer on show there

    def refuse_edit(self) -> bool:
        """True (saying why on the status bar) when the article's selection may not be
        edited or tagged: another annotator's layer is on show, or their span selected."""
        article = self.session.article
        if article.read_only:
            self._say(f"Viewing {self.choice.other}'s layer: it is read-only (F6 to change).")
            return True
        span = article.viewed_span()
        if span is not None and not article.editable(span) and article.selected_range() is None:
            self._say(self._read_only_span(span))
            return True
        return False

    def _explain_refusal(self) -> None:
        article = self.session.article
        span = article.viewed_span()
        if article.read_only or (span is not None and not article.editable(span)):
            self.refuse_edit()

    def _read_only_span(self, span: Span) -> str:
        return (
            f"This {span.label} is {span.annotator}'s: only your own layer ({self.me}) "
            "can be edited."
        )

    def _show_if_read_only(self, span_id: int | None) -> None:
        article = self.session.article
        span = article.viewed_span() if span_id is not None else None
        if span is None or article.editable(span):
            return
        words = html.escape(article.text[span.start : span.end][:120])
        self.details.setText(
            f"<b>{html.escape(span.label)}</b> {span.start}–{span.end} · "
            f"{html.escape(span.annotator)} · <i>read-only</i><br>{words}"
        )
        self.session.say(self._read_only_span(span), 4000)

    def _say(self, message: str) -> None:
        self.session.say(message, 5000)
