"""The adjudication dialog, driven by keyboard: pick, merge, reject, accept, undo."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.adjudication import Kind
from app.gui.reviewing.adjudicate import install_adjudication
from app.gui.reviewing.adjudication_rows import GROUP_TITLES
from app.gui.reviewing.adjudication_view import AdjudicationDialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, relations
from app.services import spans as spans_service
from app.services.checking import check
from app.services.importing import import_paths
from tests.gui.support import stored_spans, wait_open

TEXT = 'Ann Varga told Bo Lind: "The ferry is late." Acme Shipping said so.'
QUOTE = '"The ferry is late."'
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def at(words: str, trim: int = 0) -> tuple[int, int]:
    start = TEXT.index(words)
    return start + trim, start + len(words) - trim


@pytest.fixture
def adjudicating(
    workspace: Workspace, open_window: Callable[..., MainWindow], tmp_path: Path
) -> MainWindow:
    """alice and bob agree on Ann Varga and told, differ on Bo Lind's label, the quote's
    boundaries and Acme Shipping (bob has none); the window shows their article."""
    source = tmp_path / "ferry.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert import_paths(workspace, [source]).ok
    document_id = documents.documents(workspace)[0].id
    for name, bo_label, trim in (("alice", "PERSON", 0), ("bob", "ORG", 1)):
        who = Workspace(workspace.database, name)
        spans_service.add_span(who, document_id, *at("Ann Varga"), "PERSON")
        spans_service.add_span(who, document_id, *at("told"), "CUE")
        spans_service.add_span(who, document_id, *at("Bo Lind"), bo_label)
        spans_service.add_span(who, document_id, *at(QUOTE, trim), "QUOTE")
        if name == "alice":
            spans_service.add_span(who, document_id, *at("Acme Shipping"), "ORG")
    window = open_window(workspace)
    window.open_document(document_id, wait=True)
    install_adjudication(window.session, window.layers, window.document_list.document_activated)
    return window


def open_dialog(qtbot: QtBot, window: MainWindow) -> AdjudicationDialog:
    qtbot.keyClick(window.article, Qt.Key.Key_J, CTRL | SHIFT)
    dialog = window.findChild(AdjudicationDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    wait_open(qtbot, window)  # with every layer
    qtbot.waitUntil(lambda: dialog.comparison is not None, timeout=2000)
    dialog.wait()
    return dialog


def gold(db_path: Path, window: MainWindow) -> list[tuple[int, int, str]]:
    assert window.document_id is not None
    spans = stored_spans(db_path, window.document_id)
    return sorted((s.start, s.end, s.label) for s in spans if s.annotator == "gold")


def press(qtbot: QtBot, dialog: AdjudicationDialog, key: Qt.Key, modifier=None) -> None:
    if modifier is None:
        qtbot.keyClick(dialog.tree, key)
    else:
        qtbot.keyClick(dialog.tree, key, modifier)
    dialog.wait()


def choose_label(qtbot: QtBot, dialog: AdjudicationDialog, hotkey: str) -> None:
    """Type a label's hotkey in the open label menu; then the dialog has the keys again."""
    qtbot.keyClicks(dialog.label_menu, hotkey)
    dialog.wait()  # the events meanwhile close the menu, which (offscreen) keeps activation
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)


def go_to(dialog: AdjudicationDialog, kind: Kind) -> None:
    group = next(
        dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
        if dialog.tree.topLevelItem(i).text(0) == GROUP_TITLES[kind]
    )
    dialog.tree.setCurrentItem(group.child(0))


def test_groups_with_counts_and_the_first_unresolved_row(
    qtbot: QtBot, adjudicating: MainWindow
) -> None:
    dialog = open_dialog(qtbot, adjudicating)

    groups = {
        dialog.tree.topLevelItem(i).text(0): dialog.tree.topLevelItem(i).text(1)
        for i in range(dialog.tree.topLevelItemCount())
    }
    assert groups[GROUP_TITLES[Kind.LABEL]] == "(1)"
    assert groups[GROUP_TITLES[Kind.MISSING]] == "(1)"
    assert groups[GROUP_TITLES[Kind.BOUNDARY]] == "(1)"
    assert groups[GROUP_TITLES[Kind.AGREED]] == "(2)"
    row = dialog.tree.currentItem()
    assert row.text(0) == "“Bo Lind”"
    assert row.text(1) == f"alice: PERSON [{at('Bo Lind')[0]},{at('Bo Lind')[1]})" + (
        f" · bob: ORG [{at('Bo Lind')[0]},{at('Bo Lind')[1]})"
    )
    assert row.text(2) == "unresolved"
    assert "gold layer: 0 spans" in dialog.summary.text()
    assert "5 unresolved" in dialog.summary.text()
    selected = adjudicating.article.viewed_span()
    assert selected is not None and (selected.start, selected.end) == at("Bo Lind")


def test_number_keys_pick_versions_and_undo_restores(
    qtbot: QtBot, adjudicating: MainWindow, db_path: Path
) -> None:
    dialog = open_dialog(qtbot, adjudicating)
    bo = at("Bo Lind")

    press(qtbot, dialog, Qt.Key.Key_1)
    assert gold(db_path, adjudicating) == [(*bo, "PERSON")]
    assert "gold layer: 1 spans" in dialog.summary.text()
    assert "4 unresolved" in dialog.summary.text()
    assert dialog.tree.currentItem().text(2) == f"gold: PERSON [{bo[0]},{bo[1]})"

    press(qtbot, dialog, Qt.Key.Key_2)
    assert gold(db_path, adjudicating) == [(*bo, "ORG")]

    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert gold(db_path, adjudicating) == [(*bo, "PERSON")]
    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert gold(db_path, adjudicating) == []
    assert "gold layer: 0 spans" in dialog.summary.text()
    press(qtbot, dialog, Qt.Key.Key_Z, CTRL | SHIFT)
    assert gold(db_path, adjudicating) == [(*bo, "PERSON")]


def test_merge_takes_the_union_of_the_boundaries(
    qtbot: QtBot, adjudicating: MainWindow, db_path: Path
) -> None:
    dialog = open_dialog(qtbot, adjudicating)
    go_to(dialog, Kind.BOUNDARY)

    press(qtbot, dialog, Qt.Key.Key_M)
    assert gold(db_path, adjudicating) == [(*at(QUOTE), "QUOTE")]
    press(qtbot, dialog, Qt.Key.Key_M, SHIFT)
    assert gold(db_path, adjudicating) == [(*at(QUOTE, trim=1), "QUOTE")]

    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert gold(db_path, adjudicating) == [(*at(QUOTE), "QUOTE")]
    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert gold(db_path, adjudicating) == []


def test_accept_agreements_then_next_unresolved(
    qtbot: QtBot, adjudicating: MainWindow, db_path: Path
) -> None:
    dialog = open_dialog(qtbot, adjudicating)

    press(qtbot, dialog, Qt.Key.Key_A)
    assert gold(db_path, adjudicating) == sorted(
        [(*at("Ann Varga"), "PERSON"), (*at("told"), "CUE")]
    )
    assert "gold layer: 2 spans" in dialog.summary.text()
    press(qtbot, dialog, Qt.Key.Key_A)
    assert "already" in dialog.message.text()
    assert len(gold(db_path, adjudicating)) == 2, "a second A changes nothing"

    press(qtbot, dialog, Qt.Key.Key_N)
    assert dialog.tree.currentItem().text(0) == "“Acme Shipping”"
    press(qtbot, dialog, Qt.Key.Key_N)
    assert dialog.current_difference().kind is Kind.BOUNDARY
    press(qtbot, dialog, Qt.Key.Key_N)
    assert dialog.tree.currentItem().text(0) == "“Bo Lind”", "N wraps round"

    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert gold(db_path, adjudicating) == []


def test_reject_keeps_nothing_and_a_missing_annotator_key_rejects(
    qtbot: QtBot, adjudicating: MainWindow, db_path: Path
) -> None:
    dialog = open_dialog(qtbot, adjudicating)
    go_to(dialog, Kind.MISSING)

    press(qtbot, dialog, Qt.Key.Key_1)  # alice's Acme Shipping
    assert gold(db_path, adjudicating) == [(*at("Acme Shipping"), "ORG")]
    press(qtbot, dialog, Qt.Key.Key_2)  # bob tagged nothing there: keep nothing
    assert gold(db_path, adjudicating) == []
    assert dialog.tree.currentItem().text(2) == "rejected"
    assert "4 unresolved" in dialog.summary.text()
    press(qtbot, dialog, Qt.Key.Key_X)
    assert "already" in dialog.message.text()

    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert gold(db_path, adjudicating) == [(*at("Acme Shipping"), "ORG")]
    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert dialog.tree.currentItem().text(2) == "unresolved"
    press(qtbot, dialog, Qt.Key.Key_Delete)
    assert dialog.tree.currentItem().text(2) == "rejected"


def test_relations_are_copied_with_r(
    qtbot: QtBot, adjudicating: MainWindow, workspace: Workspace, db_path: Path
) -> None:
    document_id = adjudicating.document_id
    assert document_id is not None
    for name in ("alice", "bob"):
        who = Workspace(workspace.database, name)
        mine = {s.label: s for s in spans_service.spans(who, document_id) if s.annotator == name}
        relations.add_relation(who, mine["QUOTE"].id, mine["CUE"].id, "cue")
    dialog = open_dialog(qtbot, adjudicating)
    press(qtbot, dialog, Qt.Key.Key_R)
    assert "No agreed relation with both ends in gold" in dialog.message.text()
    assert dialog.adjudication.differences(document_id).gold_relations == ()

    press(qtbot, dialog, Qt.Key.Key_A)
    go_to(dialog, Kind.BOUNDARY)
    press(qtbot, dialog, Qt.Key.Key_M)
    press(qtbot, dialog, Qt.Key.Key_R)

    (relation,) = dialog.adjudication.differences(document_id).gold_relations
    assert relation.label == "cue"
    assert "1 relations" in dialog.summary.text()
    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert dialog.adjudication.differences(document_id).gold_relations == ()


def test_the_gold_span_is_relabelled_moved_and_deleted_from_the_dialog(
    qtbot: QtBot, adjudicating: MainWindow, db_path: Path
) -> None:
    dialog = open_dialog(qtbot, adjudicating)
    go_to(dialog, Kind.MISSING)
    acme = at("Acme Shipping")
    press(qtbot, dialog, Qt.Key.Key_Backspace)
    assert "no gold span here" in dialog.message.text()
    press(qtbot, dialog, Qt.Key.Key_Return)
    assert gold(db_path, adjudicating) == [(*acme, "ORG")]

    press(qtbot, dialog, Qt.Key.Key_L)
    qtbot.waitUntil(dialog.label_menu.isVisible, timeout=2000)
    loc = next(label for label in adjudicating.workspace.schema.labels if label.name == "LOC")
    choose_label(qtbot, dialog, loc.hotkey)
    assert gold(db_path, adjudicating) == [(*acme, "LOC")]

    press(qtbot, dialog, Qt.Key.Key_Left, CTRL | SHIFT)  # the end one word earlier
    assert gold(db_path, adjudicating) == [(*at("Acme"), "LOC")]
    assert dialog.tree.currentItem().text(2).startswith("gold: LOC"), "still answers its row"

    press(qtbot, dialog, Qt.Key.Key_Backspace)
    assert gold(db_path, adjudicating) == []
    assert dialog.tree.currentItem().text(2) == "unresolved"

    for expected in ([(*at("Acme"), "LOC")], [(*acme, "LOC")], [(*acme, "ORG")], []):
        press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
        assert gold(db_path, adjudicating) == expected


def test_a_relation_row_takes_one_annotators_link(
    qtbot: QtBot, adjudicating: MainWindow, workspace: Workspace
) -> None:
    document_id = adjudicating.document_id
    assert document_id is not None
    bob = Workspace(workspace.database, "bob")
    mine = {s.label: s for s in spans_service.spans(bob, document_id) if s.annotator == "bob"}
    relations.add_relation(bob, mine["QUOTE"].id, mine["PERSON"].id, "speaker")
    dialog = open_dialog(qtbot, adjudicating)
    press(qtbot, dialog, Qt.Key.Key_A)
    go_to(dialog, Kind.BOUNDARY)
    press(qtbot, dialog, Qt.Key.Key_M)
    differ = next(
        dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
        if dialog.tree.topLevelItem(i).text(0) == "Relations differ"
    )
    dialog.tree.setCurrentItem(differ.child(0))
    assert differ.child(0).text(1) == "alice: — · bob: yes"

    press(qtbot, dialog, Qt.Key.Key_1)
    assert "alice did not make this link" in dialog.message.text()
    press(qtbot, dialog, Qt.Key.Key_2)
    assert dialog.tree.currentItem().text(2) == "gold"
    (relation,) = dialog.adjudication.differences(document_id).gold_relations
    assert relation.label == "speaker"
    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)
    assert dialog.tree.currentItem().text(2) == "not in gold"


def test_installing_twice_keeps_one_shortcut(qtbot: QtBot, adjudicating: MainWindow) -> None:
    install_adjudication(
        adjudicating.session, adjudicating.layers, adjudicating.document_list.document_activated
    )

    dialog = open_dialog(qtbot, adjudicating)

    assert dialog.document_id == adjudicating.document_id
    assert len(adjudicating.findChildren(AdjudicationDialog)) == 1


def test_e_shows_the_gold_span_in_the_article(qtbot: QtBot, adjudicating: MainWindow) -> None:
    dialog = open_dialog(qtbot, adjudicating)
    go_to(dialog, Kind.BOUNDARY)
    press(qtbot, dialog, Qt.Key.Key_E)
    assert "no gold span here" in dialog.message.text()
    press(qtbot, dialog, Qt.Key.Key_M)

    press(qtbot, dialog, Qt.Key.Key_E)

    article = adjudicating.article
    viewed = article.viewed_span()
    shown = (viewed.start, viewed.end) if viewed is not None else article.selected_range()
    assert shown == at(QUOTE)
    qtbot.waitUntil(article.hasFocus, timeout=2000)


def test_relabelling_a_gold_quote_drops_its_speaker_and_undo_brings_it_back(
    qtbot: QtBot, adjudicating: MainWindow, workspace: Workspace
) -> None:
    document_id = adjudicating.document_id
    assert document_id is not None
    for name in ("alice", "bob"):
        who = Workspace(workspace.database, name)
        mine = {s.label: s for s in spans_service.spans(who, document_id) if s.annotator == name}
        ann = next(
            s for s in spans_service.spans(who, document_id) if s.annotator == name and s.start == 0
        )
        relations.add_relation(who, mine["QUOTE"].id, ann.id, "speaker")
    dialog = open_dialog(qtbot, adjudicating)
    press(qtbot, dialog, Qt.Key.Key_A)  # Ann Varga and told
    go_to(dialog, Kind.BOUNDARY)
    press(qtbot, dialog, Qt.Key.Key_M)  # the quote
    press(qtbot, dialog, Qt.Key.Key_R)  # its speaker
    (speaker,) = dialog.adjudication.differences(document_id).gold_relations
    go_to(dialog, Kind.BOUNDARY)

    press(qtbot, dialog, Qt.Key.Key_L)
    qtbot.waitUntil(dialog.label_menu.isVisible, timeout=2000)
    claim = next(label for label in workspace.schema.labels if label.name == "CLAIM")
    choose_label(qtbot, dialog, claim.hotkey)

    assert dialog.adjudication.differences(document_id).gold_relations == ()
    assert check(workspace) == []
    assert "QUOTE is now CLAIM" in dialog.message.text()
    assert "speaker" in dialog.message.text()
    assert "0 relations" in dialog.summary.text()

    press(qtbot, dialog, Qt.Key.Key_Z, CTRL)

    assert dialog.adjudication.differences(document_id).gold_relations == (speaker,)
    assert "1 relations" in dialog.summary.text()
    press(qtbot, dialog, Qt.Key.Key_Z, CTRL | SHIFT)
    assert dialog.adjudication.differences(document_id).gold_relations == ()
    assert check(workspace) == []
