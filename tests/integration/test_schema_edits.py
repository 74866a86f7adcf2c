"""Editing the label schema through the Workspace, on a real SQLite file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.core.errors import InputError, SpanError
from app.core.schema import Label, LabelSchema
from app.services import ChangeSet, Workspace, applying, documents, schema_edits, spans
from app.services import relations as relations_service


def festival(ws: Workspace) -> int:
    return next(s.id for s in documents.documents(ws) if "festival" in s.title.lower())


def renamed(schema: LabelSchema, old: str, new: str) -> LabelSchema:
    labels = tuple(replace(lab, name=new) if lab.name == old else lab for lab in schema.labels)
    relations = tuple(
        replace(
            kind,
            heads=tuple(new if h == old else h for h in kind.heads),
            tails=tuple(new if t == old else t for t in kind.tails),
        )
        for kind in schema.relations
    )
    return replace(schema, labels=labels, relations=relations)


def without(schema: LabelSchema, name: str) -> LabelSchema:
    labels = tuple(lab for lab in schema.labels if lab.name != name)
    relations = tuple(kind for kind in schema.relations if name not in (*kind.heads, *kind.tails))
    return replace(schema, labels=labels, relations=relations)


def fresh(db_path: Path) -> Workspace:
    return Workspace.open(str(db_path), "tester")


def quote_with_cue(ws: Workspace) -> tuple[int, int, int]:
    """A QUOTE linked to a CUE in the festival article: (quote id, cue id, relation id)."""
    document = festival(ws)
    quote = spans.add_span(ws, document, 0, 5, "QUOTE").added[0].id
    cue = spans.add_span(ws, document, 6, 10, "CUE").added[0].id
    relation = relations_service.add_relation(ws, quote, cue, "cue").relations_added[0].id
    return quote, cue, relation


def test_rename_label_renames_spans(sample_workspace: Workspace, db_path: Path) -> None:
    ws = sample_workspace
    document = festival(ws)
    span = spans.add_span(ws, document, 0, 5, "CUE").added[0]

    changes = schema_edits.update_schema(ws, renamed(ws.schema, "CUE", "VERB"), {"CUE": "VERB"})

    assert changes.schema
    assert ws.schema.label("VERB") is not None and ws.schema.label("CUE") is None
    assert [s.label for s in spans.spans(ws, document) if s.id == span.id] == ["VERB"]
    other = fresh(db_path)
    try:
        assert other.schema.label("VERB") is not None
        assert other.schema.relations[1].tails == ("VERB",)
        assert {s.label for s in spans.spans(other, document)} == {"VERB"}
    finally:
        other.close()


def test_rename_relation_type(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    _, _, relation = quote_with_cue(ws)
    kinds = tuple(
        replace(kind, name="trigger") if kind.name == "cue" else kind
        for kind in ws.schema.relations
    )

    schema_edits.update_schema(
        ws, replace(ws.schema, relations=kinds), relation_renames={"cue": "trigger"}
    )

    assert [r.label for r in spans.relations(ws, festival(ws)) if r.id == relation] == ["trigger"]
    assert [k.name for k in ws.schema.relations] == ["speaker", "trigger", "claimant"]


def test_remove_unused_label(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    changes = schema_edits.update_schema(ws, without(ws.schema, "LOC"))
    assert ws.schema.label("LOC") is None
    assert changes.removed == () and changes.relations_removed == ()


def test_remove_used_label_refused_then_deleted(sample_workspace: Workspace, db_path: Path) -> None:
    ws = sample_workspace
    quote, cue, relation = quote_with_cue(ws)
    before = ws.schema
    smaller = without(ws.schema, "CUE")

    with pytest.raises(SpanError, match="1 span uses CUE"):
        schema_edits.update_schema(ws, smaller)
    assert ws.schema == before
    assert {s.id for s in spans.spans(ws, festival(ws))} == {quote, cue}
    assert schema_edits.label_usage(ws, "CUE") == 1

    changes = schema_edits.update_schema(ws, smaller, delete_used=True)

    assert [s.id for s in changes.removed] == [cue]
    assert [r.id for r in changes.relations_removed] == [relation]
    assert [s.id for s in spans.spans(ws, festival(ws))] == [quote]
    assert spans.relations(ws, festival(ws)) == []
    other = fresh(db_path)
    try:
        assert other.schema.label("CUE") is None
    finally:
        other.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: replace(s, labels=(*s.labels, Label("NEW", "#123456", "1"))), "hotkey"),
        (lambda s: replace(s, labels=(*s.labels, Label("PERSON", "#123456", "9"))), "PERSON"),
        (lambda s: replace(s, labels=(*s.labels, Label("NEW", "red", "9"))), "colour"),
        (lambda s: replace(s, labels=s.labels[:4]), "unknown label 'CUE'"),
    ],
)
def test_invalid_schema_refused_and_nothing_changes(
    sample_workspace: Workspace, db_path: Path, change: object, message: str
) -> None:
    ws = sample_workspace
    document = festival(ws)
    span = spans.add_span(ws, document, 0, 5, "PERSON").added[0]
    before = ws.schema
    assert callable(change)

    with pytest.raises(InputError, match=message):
        schema_edits.update_schema(ws, change(ws.schema))

    assert ws.schema == before
    assert spans.spans(ws, document) == [span]
    other = fresh(db_path)
    try:
        assert other.schema == before
    finally:
        other.close()


def test_rename_to_unknown_label_refused(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    before = ws.schema
    with pytest.raises(InputError, match="NOBODY"):
        schema_edits.update_schema(ws, ws.schema, {"PERSON": "NOBODY"})
    assert ws.schema == before


def test_swap_two_label_names(sample_workspace: Workspace) -> None:
    ws = sample_workspace
    document = festival(ws)
    person = spans.add_span(ws, document, 0, 5, "PERSON").added[0].id
    org = spans.add_span(ws, document, 6, 10, "ORG").added[0].id
    swapped = renamed(renamed(renamed(ws.schema, "PERSON", "TMP"), "ORG", "PERSON"), "TMP", "ORG")

    schema_edits.update_schema(ws, swapped, {"PERSON": "ORG", "ORG": "PERSON"})

    labels = {s.id: s.label for s in spans.spans(ws, document)}
    assert labels == {person: "ORG", org: "PERSON"}


def test_undo_restores_schema_labels_and_deleted_spans(
    sample_workspace: Workspace, db_path: Path
) -> None:
    ws = sample_workspace
    document = festival(ws)
    quote, cue, relation = quote_with_cue(ws)
    person = spans.add_span(ws, document, 11, 15, "PERSON").added[0].id
    old = ws.schema
    new = renamed(without(ws.schema, "CUE"), "PERSON", "HUMAN")

    changes = schema_edits.update_schema(ws, new, {"PERSON": "HUMAN"}, delete_used=True)
    assert ws.schema == new
    assert {s.id: s.label for s in spans.spans(ws, document)} == {quote: "QUOTE", person: "HUMAN"}

    schema_edits.update_schema(ws, old, {"HUMAN": "PERSON"})
    applying.apply(
        ws,
        ChangeSet(removed=changes.removed, relations_removed=changes.relations_removed).inverse(),
    )

    assert ws.schema == old
    assert {s.id: s.label for s in spans.spans(ws, document)} == {
        quote: "QUOTE",
        cue: "CUE",
        person: "PERSON",
    }
    assert [(r.id, r.head, r.tail) for r in spans.relations(ws, document)] == [
        (relation, quote, cue)
    ]
    other = fresh(db_path)
    try:
        assert other.schema == old
    finally:
        other.close()
