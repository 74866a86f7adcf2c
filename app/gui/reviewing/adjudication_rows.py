"""The rows of the adjudication dialog: a document's differences, grouped by kind.

Each row shows a difference's text, every annotator's version and whether gold answers it;
relations the annotators made follow, those they differ on first. A row is known by its
identity (``("span", version ids)`` or ``("relation", relation ids)``), so that the current
row survives a fresh comparison.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from app.core.adjudication import KIND_ORDER, Comparison, Difference, Kind, RelationDifference
from app.core.annotations import Span
from app.gui.widgets.fitted_tables import size_columns_to_content

GROUP_TITLES = {
    Kind.LABEL: "Label differs",
    Kind.MISSING: "Missing in some",
    Kind.BOUNDARY: "Boundaries differ",
    Kind.AGREED: "Agreed",
}
RELATIONS_DIFFER = "Relations differ"
RELATIONS_AGREED = "Relations agreed"
ROW = Qt.ItemDataRole.UserRole
EXCERPT = 48

Identity = tuple[str, tuple[int, ...]]
"""``("span", version ids)`` or ``("relation", relation ids)``: which row, across reloads."""


def describe(span: Span) -> str:
    """``PERSON [12,20)``: a version or gold span in a few characters; a discontinuous one
    piece by piece, ``QUOTE [0,9)+[20,31)``."""
    return f"{span.label} " + "+".join(f"[{start},{end})" for start, end in span.pieces)


def excerpt(text: str, start: int, end: int) -> str:
    """The covered text on one line, shortened in the middle when long."""
    covered = " ".join(text[start:end].split())
    if len(covered) > EXCERPT:
        covered = f"{covered[: EXCERPT // 2 - 1]}…{covered[-(EXCERPT // 2) + 1 :]}"
    return f"“{covered}”"


class DifferenceTree(QTreeWidget):
    """The differences of one comparison, a group per kind; groups remember being folded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self._collapsed = {GROUP_TITLES[Kind.AGREED], RELATIONS_AGREED}
        self.setColumnCount(3)
        self.setHeaderLabels(["Text", "Versions", "Gold"])
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        # text, versions and gold whole ("PE…" tells nothing): the dialog widens to show them
        size_columns_to_content(self.header(), stretch=None)
        self.itemCollapsed.connect(lambda item: self._collapsed.add(item.text(0)))
        self.itemExpanded.connect(lambda item: self._collapsed.discard(item.text(0)))

    # -- filling ---------------------------------------------------------------------

    def fill(self, comparison: Comparison, text: str) -> None:
        """Show the differences of ``comparison`` (of the document whose text is ``text``)."""
        self.comparison = comparison
        self.blockSignals(True)
        self.clear()
        for kind in KIND_ORDER:
            rows = comparison.of_kind(kind)
            group = self._group(GROUP_TITLES[kind], len(rows))
            for difference in rows:
                self._span_row(group, difference, comparison, text)
        for title, agreed in ((RELATIONS_DIFFER, False), (RELATIONS_AGREED, True)):
            links = [d for d in comparison.relations if d.agreed is agreed]
            group = self._group(title, len(links))
            for relation in links:
                self._relation_row(group, relation, comparison, text)
        self.blockSignals(False)
        self._widen_window()

    def _widen_window(self) -> None:
        """Make the dialog wide enough for the columns, as far as the screen allows."""
        header = self.header()
        header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)
        wanted = (
            header.length() + 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        )
        window = self.window()
        missing = wanted - self.viewport().width()
        room = self.screen().availableGeometry().width()
        if missing > 0 and window is not self:
            window.resize(min(window.width() + missing, room), window.height())

    def _group(self, title: str, count: int) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self, [title, f"({count})"])
        group.setFirstColumnSpanned(False)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setExpanded(title not in self._collapsed)
        return group

    @staticmethod
    def _span_row(
        group: QTreeWidgetItem, difference: Difference, comparison: Comparison, text: str
    ) -> None:
        versions = []
        for annotator in comparison.annotators:
            mine = difference.versions_of(annotator)
            shown = ", ".join(describe(span) for span in mine) if mine else "—"
            versions.append(f"{annotator}: {shown}")
        if difference.gold:
            state = "gold: " + ", ".join(describe(span) for span in difference.gold)
        else:
            state = "rejected" if difference.rejected else "unresolved"
        item = QTreeWidgetItem(
            group,
            [excerpt(text, difference.start, difference.end), " · ".join(versions), state],
        )
        item.setData(0, ROW, ("span", difference.identity))
        if not difference.resolved:
            font = item.font(2)
            font.setBold(True)
            item.setFont(2, font)

    @staticmethod
    def _relation_row(
        group: QTreeWidgetItem, difference: RelationDifference, comparison: Comparison, text: str
    ) -> None:
        head, tail = difference.head, difference.tail
        made = [r.annotator for r in difference.versions]
        versions = " · ".join(f"{a}: {'yes' if a in made else '—'}" for a in comparison.annotators)
        item = QTreeWidgetItem(
            group,
            [
                f"{excerpt(text, head.start, head.end)} —{difference.label}→ "
                f"{excerpt(text, tail.start, tail.end)}",
                versions,
                "gold" if difference.in_gold else "not in gold",
            ],
        )
        item.setData(0, ROW, ("relation", tuple(r.id for r in difference.versions)))

    # -- finding rows ----------------------------------------------------------------

    @staticmethod
    def identity(item: QTreeWidgetItem | None) -> Identity | None:
        """Which row ``item`` is (None for a group or no item)."""
        if item is None:
            return None
        data = item.data(0, ROW)
        return None if data is None else (str(data[0]), tuple(data[1]))

    def rows(self) -> list[QTreeWidgetItem]:
        """Every row, group after group."""
        rows: list[QTreeWidgetItem] = []
        root = self.invisibleRootItem()
        for g in range(root.childCount()):
            group = root.child(g)
            if group is not None:
                rows.extend(row for r in range(group.childCount()) if (row := group.child(r)))
        return rows

    def go_to(self, identity: Identity | None) -> None:
        """Make the row ``identity`` current, else the first unresolved row, else the first."""
        found = None
        if identity is not None:
            found = next((item for item in self.rows() if self.identity(item) == identity), None)
        if found is None:
            rows = self.rows()
            unresolved = [item for item in rows if self.unresolved(item)]
            found = next(iter(unresolved or rows), None)
        if found is not None:
            self.setCurrentItem(found)

    def next_unresolved(self) -> bool:
        """Go to the next row gold does not answer yet (wrapping round); False if none."""
        rows = self.rows()
        current = self.currentItem()
        at = rows.index(current) if current in rows else -1
        for item in rows[at + 1 :] + rows[: at + 1]:
            if self.unresolved(item):
                self.setCurrentItem(item)
                return True
        return False

    # -- what a row stands for -------------------------------------------------------

    def unresolved(self, item: QTreeWidgetItem) -> bool:
        """True when ``item`` is a difference gold does not answer yet."""
        difference = self.difference(item)
        return difference is not None and not difference.resolved

    def difference(self, item: QTreeWidgetItem | None) -> Difference | None:
        """The span difference of a row, if it is one."""
        identity = self.identity(item)
        if identity is None or identity[0] != "span" or self.comparison is None:
            return None
        return next((d for d in self.comparison.differences if d.identity == identity[1]), None)

    def relation(self, item: QTreeWidgetItem | None) -> RelationDifference | None:
        """The relation difference of a row, if it is one."""
        identity = self.identity(item)
        if identity is None or identity[0] != "relation" or self.comparison is None:
            return None
        return next(
            (
                d
                for d in self.comparison.relations
                if tuple(r.id for r in d.versions) == identity[1]
            ),
            None,
        )

    def span_to_show(self, item: QTreeWidgetItem | None) -> Span | None:
        """The span that stands for a row in the article: its gold answer, else its first
        version (for a relation, those of its head)."""
        relation = self.relation(item)
        difference = relation.head if relation is not None else self.difference(item)
        if difference is None:
            return None
        return difference.gold[0] if difference.gold else difference.versions[0]
