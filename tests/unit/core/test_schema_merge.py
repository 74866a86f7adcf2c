"""A schema edit applied to a schema that someone else changed since the edit began."""

from __future__ import annotations

from dataclasses import replace

from app.core.schema import Label, LabelSchema, RelationType
from app.core.schema_merge import merged_schema

PERSON = Label("PERSON", "#ff0000", "1")
ORG = Label("ORG", "#00ff00", "2")
QUOTE = Label("QUOTE", "#0000ff", "3")
SPEAKER = RelationType("speaker", ("QUOTE",), ("PERSON",))
BASE = LabelSchema("News", (PERSON, ORG, QUOTE), (SPEAKER,))


def names(schema: LabelSchema) -> list[str]:
    return [label.name for label in schema.labels]


def test_unchanged_meanwhile_the_edit_is_taken_as_it_is() -> None:
    ours = replace(BASE, labels=(QUOTE, PERSON))  # reordered, ORG removed
    assert merged_schema(BASE, ours, BASE, {}, {}) == ours


def test_labels_added_on_both_sides_are_all_kept() -> None:
    theirs = replace(BASE, labels=(*BASE.labels, Label("LOC", "#123456", "4")))
    ours = replace(BASE, labels=(*BASE.labels, Label("CLAIM", "#654321", "5")))
    assert names(merged_schema(BASE, ours, theirs, {}, {})) == [
        "PERSON",
        "ORG",
        "QUOTE",
        "LOC",
        "CLAIM",
    ]


def test_only_what_the_edit_changed_replaces_the_stored_labels() -> None:
    recoloured = replace(PERSON, colour="#abcdef")
    theirs = replace(BASE, labels=(PERSON, replace(ORG, hotkey="o"), QUOTE))
    ours = replace(BASE, labels=(recoloured, ORG, QUOTE))
    merged = merged_schema(BASE, ours, theirs, {}, {})
    assert merged.labels == (recoloured, replace(ORG, hotkey="o"), QUOTE)


def test_removed_and_renamed_labels_follow_the_edit() -> None:
    theirs = replace(BASE, labels=(*BASE.labels, Label("LOC", "#123456", "4")))
    ours = replace(BASE, labels=(replace(PERSON, name="PER"), QUOTE))
    merged = merged_schema(BASE, ours, theirs, {"PERSON": "PER"}, {})
    assert names(merged) == ["PER", "QUOTE", "LOC"]


def test_relation_types_merge_by_name_too() -> None:
    cue = RelationType("cue", ("QUOTE",), ("ORG",))
    theirs = replace(BASE, relations=(SPEAKER, cue))
    ours = replace(BASE, relations=(), name="Newsroom")
    merged = merged_schema(BASE, ours, theirs, {}, {})
    assert merged.relations == (cue,)
    assert merged.name == "Newsroom"
