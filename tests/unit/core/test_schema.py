"""Label schemas: the shipped news schema and the checks on user schemas."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import InputError
from app.core.schema import AttributeSpec, Label, LabelSchema, RelationType

NEWS = Path(__file__).resolve().parents[3] / "resources" / "schemas" / "news.json"


@pytest.fixture
def news_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NEWS.read_text(encoding="utf-8"))
    return data


def test_shipped_news_schema_loads(news_data: dict[str, Any]) -> None:
    schema = LabelSchema.from_dict(news_data, source=str(NEWS))
    assert schema.name == "News"
    assert [lab.name for lab in schema.labels] == ["PERSON", "ORG", "LOC", "QUOTE", "CUE", "CLAIM"]
    hotkeys = [lab.hotkey.lower() for lab in schema.labels]
    assert len(set(hotkeys)) == len(hotkeys)
    assert all(lab.hotkey for lab in schema.labels)
    assert all(lab.guideline for lab in schema.labels)
    assert len({lab.colour.lower() for lab in schema.labels}) == len(schema.labels)


def test_news_schema_attributes_and_relations(news_data: dict[str, Any]) -> None:
    schema = LabelSchema.from_dict(news_data)
    quote = schema.label("QUOTE")
    assert quote is not None
    assert quote.attributes == (AttributeSpec("kind", "enum", ("direct", "indirect", "mixed")),)
    claim = schema.label("CLAIM")
    assert claim is not None
    assert [(a.name, a.kind) for a in claim.attributes] == [
        ("check_worthy", "bool"),
        ("note", "text"),
    ]
    assert schema.relations == (
        RelationType("speaker", ("QUOTE",), ("PERSON", "ORG"), "speaker"),
        RelationType("cue", ("QUOTE",), ("CUE",), "cue"),
        RelationType("claimant", ("CLAIM",), ("PERSON", "ORG"), "speaker"),
    )


def test_lookup_by_name_and_hotkey(news_data: dict[str, Any]) -> None:
    schema = LabelSchema.from_dict(news_data)
    person = schema.label("PERSON")
    assert person is not None and person.hotkey == "1"
    assert schema.by_hotkey("4") == schema.label("QUOTE")
    assert schema.label("person") is None
    assert schema.label("NOPE") is None
    assert schema.by_hotkey("9") is None


def test_hotkeys_are_case_insensitive() -> None:
    schema = LabelSchema.from_dict(
        {"name": "s", "labels": [{"name": "A", "colour": "#000000", "hotkey": "Q"}]}
    )
    assert schema.by_hotkey("q") == Label("A", "#000000", "Q")


def test_duplicate_hotkey_is_refused(news_data: dict[str, Any]) -> None:
    news_data["labels"][2]["hotkey"] = "1"
    with pytest.raises(InputError, match="duplicate hotkey '1'") as info:
        LabelSchema.from_dict(news_data, source="my.json")
    assert info.value.source == "my.json"


def test_hotkeys_differing_only_in_case_are_duplicates() -> None:
    data = {
        "name": "s",
        "labels": [
            {"name": "A", "colour": "#000000", "hotkey": "x"},
            {"name": "B", "colour": "#ffffff", "hotkey": "X"},
        ],
    }
    with pytest.raises(InputError, match="duplicate hotkey"):
        LabelSchema.from_dict(data)


def test_duplicate_label_name_is_refused(news_data: dict[str, Any]) -> None:
    news_data["labels"][1]["name"] = "PERSON"
    with pytest.raises(InputError, match="duplicate label name 'PERSON'"):
        LabelSchema.from_dict(news_data)


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "#gg0000", "123456", ""])
def test_bad_colour_is_refused(news_data: dict[str, Any], colour: str) -> None:
    news_data["labels"][0]["colour"] = colour
    with pytest.raises(InputError, match="colour") as info:
        LabelSchema.from_dict(news_data)
    assert "PERSON" in info.value.message


@pytest.mark.parametrize("missing", ["name", "labels"])
def test_missing_keys_are_refused(news_data: dict[str, Any], missing: str) -> None:
    del news_data[missing]
    with pytest.raises(InputError, match="missing"):
        LabelSchema.from_dict(news_data)


def test_label_without_hotkey_is_refused(news_data: dict[str, Any]) -> None:
    del news_data["labels"][0]["hotkey"]
    with pytest.raises(InputError, match="hotkey"):
        LabelSchema.from_dict(news_data)


def test_round_trip(news_data: dict[str, Any]) -> None:
    schema = LabelSchema.from_dict(news_data)
    as_dict = schema.to_dict()
    again = LabelSchema.from_dict(as_dict)
    assert again == schema
    assert again.to_dict() == as_dict
    # and through JSON, as it is stored in the projects table
    assert LabelSchema.from_dict(json.loads(json.dumps(as_dict))) == schema


def test_to_dict_does_not_alias_the_schema(news_data: dict[str, Any]) -> None:
    schema = LabelSchema.from_dict(news_data)
    first = schema.to_dict()
    snapshot = copy.deepcopy(first)
    first["labels"][0]["attributes"].append({"name": "x", "kind": "text", "values": []})
    assert schema.to_dict() == snapshot


def test_roles_are_read_and_written_and_old_schemas_get_the_news_roles() -> None:
    data = json.loads(NEWS.read_text(encoding="utf-8"))
    schema = LabelSchema.from_dict(data)
    assert schema.labels_with_role("entity") == ("PERSON", "ORG", "LOC")
    assert schema.relations_with_role("speaker") == ("speaker", "claimant")
    assert LabelSchema.from_dict(schema.to_dict()) == schema
    # stored before roles were named: the news names keep their meaning
    for item in (*data["labels"], *data["relations"]):
        item.pop("role")
    assert LabelSchema.from_dict(data) == schema
    # a schema that names roles keeps exactly those
    data = json.loads(NEWS.read_text(encoding="utf-8"))
    data["labels"][0]["role"] = ""
    assert LabelSchema.from_dict(data).labels_with_role("entity") == ("ORG", "LOC")
