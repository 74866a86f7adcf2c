"""The native JSONL entity table and the spans' ``entity`` ids survive a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord, EntityRecord, SpanRecord
from app.formats import jsonl

# what a database column can hold: no NUL, no lone surrogate (both refused at the door)
storable = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
words = st.text(storable, min_size=1, max_size=20).filter(lambda s: s.strip() != "")
entities = st.builds(
    EntityRecord,
    id=st.from_regex(r"[0-9a-z]{1,6}", fullmatch=True),
    name=words,
    type=st.sampled_from(["PERSON", "ORG", "LOC"]),
    aliases=st.lists(words, max_size=3).map(tuple),
    external_id=st.text(storable, max_size=10),
)


@given(st.lists(entities, max_size=5))
def test_entity_table_round_trip(tmp_path_factory: pytest.TempPathFactory, table: list) -> None:
    path = tmp_path_factory.mktemp("t") / "data.entities.jsonl"
    assert jsonl.write_entities(table, path) == len(table)
    assert jsonl.read_entities(path) == table


def test_span_entity_ids_are_kept(tmp_path: Path) -> None:
    record = DocumentRecord(
        "1",
        "Rana Khoury sang.",
        spans=(
            SpanRecord("a", 0, 11, "PERSON", "Rana Khoury", entity="e7"),
            SpanRecord("b", 12, 16, "CUE", "sang"),
        ),
    )
    path = tmp_path / "data.jsonl"
    jsonl.export([record], path)
    [back] = list(jsonl.read(path))
    assert [s.entity for s in back.spans] == ["e7", ""]
    assert "entity" not in jsonl.to_json(back)["spans"][1]


def test_table_paths_and_bad_tables(tmp_path: Path) -> None:
    assert jsonl.entity_table_path(tmp_path / "x.jsonl").name == "x.entities.jsonl"
    assert jsonl.is_entity_table(tmp_path / "x.entities.jsonl")
    assert not jsonl.is_entity_table(tmp_path / "x.jsonl")
    bad = tmp_path / "bad.entities.jsonl"
    bad.write_text('{"id": "1", "type": "PERSON"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="needs a name"):
        jsonl.read_entities(bad)
