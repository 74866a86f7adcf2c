"""Schemas that come with the data: brat annotation.conf, Label Studio configs, Glossa JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.errors import InputError
from app.core.schema import AttributeSpec
from app.formats.declared import (
    brat_config,
    declared_schema,
    labelstudio_config,
    read_schema_file,
)

CONF = """\
# a comment
[entities]
Person
Organization
!Place
\tCity
\tCountry

[relations]
<LOC>=City|Country
Employment\tArg1:Person, Arg2:Organization
Located\tArg1:Person|Organization, Arg2:<LOC>
Equiv\tArg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]
Hire\tEmployer:Organization, Employee:Person

[attributes]
Negated\tArg:<ENTITY>
Confidence\tArg:Person, Value:Low|High
Tense\tArg:Hire, Value:Past|Future
"""


def test_brat_config_declares_labels_relations_and_attributes() -> None:
    draft = brat_config(CONF)

    assert list(draft.labels) == ["Person", "Organization", "City", "Country"]
    assert {name: (list(h), list(t)) for name, (h, t) in draft.relations.items()} == {
        "Employment": (["Person"], ["Organization"]),
        "Located": (["Person", "Organization"], ["City", "Country"]),
        "Equiv": (["Person"], ["Person"]),
    }
    assert draft.labels["Person"] == {
        "Negated": AttributeSpec("Negated", "bool"),
        "Confidence": AttributeSpec("Confidence", "enum", ("Low", "High")),
    }
    assert draft.labels["City"] == {"Negated": AttributeSpec("Negated", "bool")}


def test_a_brat_relation_without_arguments_is_refused_with_its_line() -> None:
    with pytest.raises(InputError) as caught:
        brat_config("[entities]\nA\n[relations]\nbroken\n", "annotation.conf")
    assert caught.value.describe() == (
        "annotation.conf:4: relation broken: expected 'NAME Arg1:LABEL, Arg2:LABEL'"
    )


def test_brat_config_is_found_beside_the_files_or_above(tmp_path: Path) -> None:
    (tmp_path / "annotation.conf").write_text(CONF, encoding="utf-8")
    inner = tmp_path / "train"
    inner.mkdir()
    (inner / "a.txt").write_text("x", encoding="utf-8")

    assert "Person" in declared_schema(inner, "brat").labels
    assert "Person" in declared_schema(inner / "a.txt", "brat").labels
    assert not declared_schema(inner / "a.txt", "jsonl")


LS_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="PER" background="#FF0000"/>
    <Label value="ORG" background="blue"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Relations><Relation value="works_for"/></Relations>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="positive"/>
  </Choices>
  <Choices name="certainty" toName="text" perRegion="true">
    <Choice value="sure"/><Choice value="unsure"/>
  </Choices>
  <TextArea name="comment" toName="text" perRegion="true"/>
</View>"""


def test_labelstudio_config_declares_labels_colours_relations_and_region_attributes() -> None:
    draft = labelstudio_config(LS_CONFIG)

    assert list(draft.labels) == ["PER", "ORG"]
    assert draft.looks["PER"].colour == "#ff0000"
    assert "ORG" not in draft.looks  # a colour name is not #rrggbb
    heads, tails = draft.relations["works_for"]
    assert list(heads) == list(tails) == ["PER", "ORG"]
    assert list(draft.labels["ORG"].values()) == [
        AttributeSpec("certainty", "enum", ("sure", "unsure")),
        AttributeSpec("comment", "text"),
    ]


def test_labelstudio_config_beside_the_tasks_is_found(tmp_path: Path) -> None:
    (tmp_path / "tasks.xml").write_text(LS_CONFIG, encoding="utf-8")
    assert "PER" in declared_schema(tmp_path / "tasks.json", "labelstudio").labels


def test_a_schema_file_is_told_by_its_content(tmp_path: Path) -> None:
    glossa = tmp_path / "schema.json"
    glossa.write_text(
        json.dumps({"labels": [{"name": "City", "colour": "#123456", "hotkey": "q"}]}),
        encoding="utf-8",
    )
    conf = tmp_path / "annotation.conf"
    conf.write_text(CONF, encoding="utf-8")
    xml = tmp_path / "config.xml"
    xml.write_text(LS_CONFIG, encoding="utf-8")
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")

    assert read_schema_file(glossa).looks["City"].hotkey == "q"
    assert "Employment" in read_schema_file(conf).relations
    assert "works_for" in read_schema_file(xml).relations
    with pytest.raises(InputError, match="not a label schema"):
        read_schema_file(other)


def test_event_arguments_are_not_taken_for_labels() -> None:
    draft = brat_config(
        "[entities]\nPerson\n[events]\nHire\tEmployee:Person\n[relations]\n"
        "Cause\tArg1:<EVENT>|Person, Arg2:Person\n[attributes]\nNegated\tArg:<EVENT>\n"
    )
    assert list(draft.labels) == ["Person"]
    assert list(draft.relations["Cause"][0]) == ["Person"]


def test_the_folders_one_labeling_config_is_found_whatever_its_name(tmp_path: Path) -> None:
    (tmp_path / "labeling_config.xml").write_text(LS_CONFIG, encoding="utf-8")
    (tmp_path / "notes.xml").write_text("<notes/>", encoding="utf-8")
    assert "PER" in declared_schema(tmp_path / "export.json", "labelstudio").labels
    (tmp_path / "other.xml").write_text(LS_CONFIG, encoding="utf-8")  # two: neither is taken
    assert not declared_schema(tmp_path / "export.json", "labelstudio")
