"""Growing a schema with what a file brings: new labels, relation types and attributes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.records import DocumentRecord, RelationRecord, SpanRecord
from app.core.schema import AttributeSpec, Label, LabelSchema, RelationType
from app.core.schema_growth import HOTKEYS, SchemaDraft, free_colour, free_hotkey, grown

NEWS = LabelSchema(
    "News",
    (Label("PERSON", "#e6194b", "1"), Label("QUOTE", "#f58231", "4")),
    (RelationType("speaker", ("QUOTE",), ("PERSON",)),),
)


def record(*spans: SpanRecord, relations: tuple[RelationRecord, ...] = ()) -> DocumentRecord:
    return DocumentRecord("d", "Acme hired Bob said", spans=spans, relations=relations)


def test_labels_used_by_records_are_added_with_new_colours_and_keys() -> None:
    draft = SchemaDraft()
    draft.take_records(
        [
            record(
                SpanRecord("1", 0, 4, "Organization", "Acme"),
                SpanRecord("2", 11, 14, "Person", "Bob", attributes={"negated": True}),
                SpanRecord("3", 11, 14, "PERSON", "Bob", attributes={"role": "CEO"}),
                relations=(RelationRecord("r", "1", "2", "employs"),),
            )
        ]
    )

    schema, growth = grown(NEWS, draft)

    assert growth.lines() == [
        "added labels: Organization, Person",
        "added relation types: employs",
        "added attributes: Person.negated, PERSON.role",
    ]
    assert [label.name for label in schema.labels] == ["PERSON", "QUOTE", "Organization", "Person"]
    new = schema.labels[2:]
    assert {label.colour for label in new}.isdisjoint({"#e6194b", "#f58231"})
    assert [label.hotkey for label in new] == ["2", "3"]
    assert schema.label("Person") == Label(
        "Person", new[1].colour, "3", attributes=(AttributeSpec("negated", "bool"),)
    )
    assert schema.relations[1] == RelationType("employs", ("Organization",), ("Person",))


def test_a_known_relation_type_comes_to_join_the_pairs_seen() -> None:
    draft = SchemaDraft()
    draft.add_relation("speaker", ["QUOTE"], ["ORG"])

    schema, growth = grown(NEWS, draft)

    assert growth.widened == ("speaker",)
    assert growth.labels == ("ORG",)
    assert schema.relations[0] == RelationType("speaker", ("QUOTE",), ("PERSON", "ORG"))


def test_nothing_new_changes_nothing() -> None:
    draft = SchemaDraft.of(NEWS)

    schema, growth = grown(NEWS, draft)

    assert schema == NEWS
    assert not growth
    assert growth.lines() == []


def test_a_wanted_colour_and_key_are_kept_when_free() -> None:
    draft = SchemaDraft()
    draft.add_label("City")
    draft.looks["City"] = Label("City", "#123456", "q")
    draft.add_label("Town")
    draft.looks["Town"] = Label("Town", "#e6194b", "1")  # both taken

    schema, _ = grown(NEWS, draft)

    assert schema.label("City") == Label("City", "#123456", "q")
    town = schema.label("Town")
    assert town is not None and town.colour != "#e6194b" and town.hotkey == "2"


def test_when_every_key_is_taken_a_new_label_has_none() -> None:
    assert free_hotkey(set(HOTKEYS)) == ""
    assert "s" not in HOTKEYS and "e" not in HOTKEYS  # the article view's own keys


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=60, unique=True))
def test_new_labels_always_get_distinct_colours_and_distinct_keys(names: list[str]) -> None:
    draft = SchemaDraft()
    for name in names:
        draft.add_label(name)

    schema, _ = grown(NEWS, draft)
    LabelSchema.from_dict(schema.to_dict())  # colours well formed, keys unique

    colours = [label.colour for label in schema.labels]
    keys = [label.hotkey for label in schema.labels if label.hotkey]
    assert len(set(colours)) == len(colours)
    assert len(set(keys)) == len(keys)


def test_free_colour_goes_past_the_palette() -> None:
    used: set[str] = set()
    for _ in range(200):
        used.add(free_colour(used))
    assert len(used) == 200
