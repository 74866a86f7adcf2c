"""A change that sets document metadata keys is reversible: its inverse sets them back."""

from __future__ import annotations

from app.core.annotations import Span
from app.services.changes import ChangeSet

QUEUE = [{"id": 7, "start": 3, "end": 9, "text": "Lindqvist", "label": "PERSON"}]


def test_the_inverse_of_a_metadata_change_swaps_before_and_after() -> None:
    span = Span(12, 1, 3, 9, "PERSON", "ann")
    change = ChangeSet(
        1, added=(span,), meta=True, meta_before={"needs_reanchoring": QUEUE}, meta_after={}
    )

    undo = change.inverse()

    assert undo.removed == (span,) and undo.added == ()
    assert undo.meta_before == {} and undo.meta_after == {"needs_reanchoring": QUEUE}
    assert undo.meta and undo.reversible and change.reversible
    assert undo.inverse() == change


def test_a_metadata_change_without_its_keys_cannot_be_undone() -> None:
    assert not ChangeSet(1, meta=True).reversible
    assert ChangeSet(1, meta=True, meta_before={"a": 1}, meta_after={"a": 2}).reversible
