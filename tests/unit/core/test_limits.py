"""The one check every imported record passes before it reaches the store."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import limits
from app.core.errors import InputError
from app.core.limits import check_entity, check_record, refuse_constant
from app.core.records import DocumentRecord, EntityRecord, RelationRecord, SpanRecord

TEXT = "Ann Varga said yes."


def record(**changes: Any) -> DocumentRecord:
    base: dict[str, Any] = {
        "id": "d1",
        "text": TEXT,
        "meta": {"title": "Budget", "tags": ["a", {"b": 1.5}]},
        "spans": (
            SpanRecord("p", 0, 9, "PERSON", "Ann Varga", "ann"),
            SpanRecord("q", 15, 18, "QUOTE", "yes", attributes={"n": 2}),
        ),
        "relations": (RelationRecord("r", "q", "p", "speaker", "ann"),),
        "source": "in.jsonl",
        "line": 7,
    }
    return DocumentRecord(**{**base, **changes})


def refusal(item: DocumentRecord) -> str:
    with pytest.raises(InputError) as caught:
        check_record(item)
    assert caught.value.source == "in.jsonl" and caught.value.line == 7
    return caught.value.describe()


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": 1}
    for _ in range(depth - 1):
        value = {"x": value}
    return value


def span(**changes: Any) -> tuple[SpanRecord, ...]:
    return (SpanRecord("p", 0, 9, "PERSON", "Ann Varga")._replace(**changes),)


def test_a_plain_record_passes() -> None:
    check_record(record())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"meta": {"a": nested(985)}}, "meta.a.x.x"),
        ({"meta": {"n": float("nan")}}, "meta.n: nan is not a JSON number"),
        ({"meta": {"n": [1, float("-inf")]}}, "meta.n[1]: -inf"),
        ({"spans": span(attributes={"n": float("inf")})}, "span 'p' attributes.n: inf"),
        ({"text": "Ann\x00 Varga"}, "text: holds a NUL character (U+0000) at character 3"),
        ({"meta": {"title": "a\x00b"}}, "title: holds a NUL"),
        ({"meta": {"by": ["x", "y\x00"]}}, "meta.by[1]: holds a NUL"),
        ({"meta": {"k\x00": 1}}, "holds a NUL"),
        ({"spans": span(label="PER\x00")}, "span 'p' label: holds a NUL"),
        ({"spans": span(annotator="a\x00")}, "span 'p' annotator: holds a NUL"),
        ({"spans": span(attributes={"note": "\x00"})}, "span 'p' attributes.note: holds a NUL"),
        ({"spans": span(id="p\x00")}, "id: holds a NUL"),
        ({"meta": {"by": "Ann \ud800"}}, "meta.by: holds a lone surrogate U+D800 at character 4"),
        ({"spans": span(label="P\udfff")}, "label: holds a lone surrogate U+DFFF"),
        ({"text": "Ann \udc80 said"}, "text: holds a lone surrogate U+DC80"),
        ({"meta": {"title": "t" * 501}}, "title: 501 characters; the limit is 500"),
        ({"id": "i" * 201}, "id: 201 characters; the limit is 200"),
        ({"spans": span(label="L" * 101)}, "span 'p' label: 101 characters; the limit is 100"),
        ({"spans": span(annotator="a" * 201)}, "annotator: 201 characters; the limit is 200"),
        (
            {"relations": (RelationRecord("r", "p", "p", "s" * 101),)},
            "relation 'r' label: 101 characters",
        ),
        ({"relations": (RelationRecord("r", "p", "p", "s", "\x00"),)}, "annotator: holds a NUL"),
        ({"meta": {"big": "x" * (limits.MAX_META_BYTES + 1)}}, "meta: 1,048,5"),
        ({"meta": {"b": b"bytes"}}, "meta.b: bytes is not a JSON value"),
        ({"meta": {(1, 2): "x"}}, "key (1, 2) is not a string"),
    ],
)
def test_a_record_the_store_cannot_hold_is_refused_with_its_field(
    changes: dict[str, Any], field: str
) -> None:
    message = refusal(record(**changes))
    assert message.startswith("in.jsonl:7: ")
    assert field in message
    assert len(message) < 300  # one readable line, whatever the depth or size


def test_nesting_up_to_the_limit_passes_and_one_more_level_is_refused() -> None:
    check_record(record(meta={"a": nested(limits.MAX_NESTING - 1)}))
    assert "nested deeper than 32 levels" in refusal(record(meta={"a": nested(limits.MAX_NESTING)}))


def test_strings_at_their_column_sizes_pass() -> None:
    check_record(
        record(
            id="i" * limits.MAX_EXTERNAL_ID,
            meta={"title": "t" * limits.MAX_TITLE},
            spans=span(label="L" * limits.MAX_LABEL, annotator="a" * limits.MAX_ANNOTATOR),
        )
    )


def test_an_entity_is_checked_against_its_columns() -> None:
    check_entity(EntityRecord("e1", "Ann Varga", "PERSON", ("Ann",), "Q1"), "t.jsonl", 3)
    with pytest.raises(InputError, match=r"t\.jsonl:3: entity 'e1' name: 501 characters"):
        check_entity(EntityRecord("e1", "n" * 501, "PERSON"), "t.jsonl", 3)
    with pytest.raises(InputError, match="aliases\\[0\\]: holds a NUL"):
        check_entity(EntityRecord("e1", "Ann", "PERSON", ("\x00",)), "t.jsonl", 3)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_are_refused_at_parse_time(constant: str) -> None:
    with pytest.raises(ValueError, match=f"{constant} is not a JSON number"):
        json.loads(f'{{"n": {constant}}}', parse_constant=refuse_constant)


def test_the_limits_mirror_the_database_columns() -> None:
    from app.store import orm  # the store itself, to read the columns as the database has them

    columns = {
        f"{table.name}.{column.name}": column.type.length
        for table in orm.Base.metadata.sorted_tables
        for column in table.columns
        if getattr(column.type, "length", None)
    }
    assert columns["documents.title"] == limits.MAX_TITLE
    assert columns["documents.external_id"] == limits.MAX_EXTERNAL_ID
    assert columns["entities.external_id"] == limits.MAX_EXTERNAL_ID
    assert columns["spans.label"] == limits.MAX_LABEL
    assert columns["relations.label"] == limits.MAX_LABEL
    assert columns["entities.type"] == limits.MAX_LABEL
    assert columns["annotators.name"] == limits.MAX_ANNOTATOR
    assert columns["entities.name"] == limits.MAX_ENTITY_NAME


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.sampled_from(["\x00", "a\x00b", "\ud800", "a\udfffb"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.text(max_size=3) | st.sampled_from(["\x00", "\udc00"]), children, max_size=3
        )
    ),
    max_leaves=12,
)


def _holds_something_refused(value: Any) -> bool:
    if isinstance(value, float):
        return value != value or value in (float("inf"), float("-inf"))
    if isinstance(value, str):
        return any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, list):
        return any(_holds_something_refused(v) for v in value)
    if isinstance(value, dict):
        return any(
            _holds_something_refused(k) or _holds_something_refused(v) for k, v in value.items()
        )
    return False


@settings(max_examples=300, deadline=None)
@given(meta=st.dictionaries(st.text(max_size=4), json_values, max_size=4))
def test_any_meta_is_refused_exactly_when_it_holds_nan_infinity_or_nul(
    meta: dict[str, Any],
) -> None:
    for item in (record(meta=meta), record(spans=span(attributes=meta))):
        if _holds_something_refused(meta):
            refusal(item)
        else:
            check_record(item)
