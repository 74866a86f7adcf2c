"""What the window's own actions do: tagging keys aside, the actions of the Edit, Document
and Relations menus (the table of ``app.gui.actions`` places them and gives their keys)."""

from __future__ import annotations

from collections.abc import Callable

from app.gui.actions import Actions
from app.gui.annotating.annotation_panel import AnnotationPanel
from app.gui.annotating.article_header import ArticleHeader
from app.gui.annotating.document_list import DocumentList
from app.gui.annotating.document_steps import DocumentSteps
from app.gui.annotating.entity_linking import EntityLinking
from app.gui.annotating.find_actions import FindActions
from app.gui.annotating.linking import Linker
from app.gui.annotating.span_editing import SpanEditing
from app.gui.keymap import LINK_KEYS


def bind_window_actions(
    actions: Actions,
    *,
    close: Callable[[], object],
    edit_schema: Callable[[], object],
    steps: DocumentSteps,
    finding: FindActions,
    editing: SpanEditing,
    entity_links: EntityLinking,
    linker: Linker,
    panel: AnnotationPanel,
    header: ArticleHeader,
    document_list: DocumentList,
) -> None:
    """Bind the window's actions to the parts that carry them out."""
    bind = actions.bind
    bind("quit", close)
    bind("delete_span", lambda: delete_selected(linker, editing, panel))
    bind("filter_documents", lambda: focus_filter(document_list))
    bind("find", finding.open_find)
    bind("find_next", finding.find_next)
    bind("find_previous", finding.find_previous)
    bind("tag_all", finding.find_bar.tag_all)
    for name, relations in LINK_KEYS.items():
        bind(name, link_with(linker, relations))
    bind("link_any", link_with(linker, None))
    bind("cycle_attribute", editing.cycle_attribute)
    bind("add_fragment", editing.add_fragment)
    bind("focus_relations", lambda: focus_relations(panel))
    bind("link_entity", entity_links.link_selected)
    bind("edit_schema", edit_schema)
    bind("done_and_next", steps.mark_done_and_next)
    bind("previous_document", steps.previous_document)
    bind("next_document", steps.next_document)
    bind("edit_details", header.start_editing)
    bind("entities_view", entity_links.toggle_view)


def delete_selected(linker: Linker, editing: SpanEditing, panel: AnnotationPanel) -> None:
    """Delete the current relation when the relation list has the focus, else the span."""
    linker.cancel(quietly=True)
    if panel.relation_list.hasFocus():
        editing.delete_current_relation()
    else:
        editing.delete_selected_span()


def link_with(linker: Linker, relations: tuple[str, ...] | None) -> Callable[[], None]:
    """Start linking the selected span by one of ``relations`` (any, when None)."""

    def start() -> None:
        linker.start(relations)

    return start


def focus_relations(panel: AnnotationPanel) -> None:
    """Put the keyboard in the relation list, on its first relation when none is current."""
    relation_list = panel.relation_list
    relation_list.setFocus()
    relations = relation_list.model()
    if not relation_list.currentIndex().isValid() and relations.rowCount() > 0:
        relation_list.setCurrentIndex(relations.index(0, 0))


def focus_filter(document_list: DocumentList) -> None:
    """Put the keyboard in the document filter, its text selected."""
    document_list.filter.setFocus()
    document_list.filter.selectAll()
