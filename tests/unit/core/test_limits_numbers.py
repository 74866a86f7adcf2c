"""A document's token lengths (a list of whole numbers per sentence, as a CoNLL import keeps
them) pass the quick look at the door without being encoded, however many sentences."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.core import limits
from app.core.errors import InputError
from app.core.limits import MAX_META_BYTES, check_record
from app.core.records import DocumentRecord


def test_the_token_lengths_of_a_hundred_sentences_look_fine_at_once() -> None:
    meta = {"title": "t", "document": 3, "source_tokens": [[3, 5, 1, 8] * 5] * 100}
    encoded = []
    with_encoder = limits._ENCODER

    class Watching(json.JSONEncoder):
        def encode(self, o: Any) -> str:
            encoded.append(o)
            return with_encoder.encode(o)

    limits._ENCODER = Watching()
    try:
        assert limits._json_looks_fine(meta)
    finally:
        limits._ENCODER = with_encoder
    assert encoded == []


ROWS = st.lists(
    st.lists(
        st.one_of(
            st.integers(-(10**14), 10**14),
            st.booleans(),
            st.floats(allow_nan=True),
            st.just("x"),
        ),
        max_size=6,
    )
    | st.just("row"),
    max_size=6,
)


@given(ROWS, st.integers(1, 3))
def test_what_the_quick_look_passes_the_whole_check_passes(rows: Any, copies: int) -> None:
    meta = {"title": "t", "source_tokens": rows * copies}
    if limits._json_looks_fine(meta):
        check_record(DocumentRecord(id="d", text="a", meta=meta, source="f.conll", line=1))
        assert len(json.dumps(meta).encode()) <= MAX_META_BYTES


def test_more_numbers_than_the_quick_look_counts_are_encoded() -> None:
    meta = {"source_tokens": [[7] * 1000] * (limits._MOST_NUMBERS // 1000 + 1)}
    assert limits._number_rows(meta["source_tokens"]) > limits._MOST_NUMBERS
    assert limits._json_looks_fine(meta)  # still fine: encoded, and far below the limit


def test_the_columns_of_a_hundred_sentences_look_fine_without_a_walk() -> None:
    meta = {"source_columns": {"2": [["NNP", "VBZ"] * 10] * 100, "3": [["B-NP"] * 20] * 100}}
    assert limits._json_looks_fine(meta)


def nested(levels: int, siblings: int) -> Any:
    """``levels`` lists one in another, beside ``siblings`` lists of numbers at the top."""
    value: Any = [1]
    for _ in range(levels - 1):
        value = [value]
    return {"deep": value, "wide": [[2, 3]] * siblings}


@given(st.integers(28, 36), st.sampled_from([0, 40]))
def test_the_quick_look_counts_levels_as_the_whole_check(levels: int, siblings: int) -> None:
    meta = nested(levels, siblings)
    try:
        limits._Where("f.conll", 1).json("meta", meta)  # the field by field check
        refused = False
    except InputError:
        refused = True
    assert limits._json_looks_fine(meta) is not refused
    assert refused is (levels > limits.MAX_NESTING - 1)
