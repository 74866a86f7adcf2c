"""A document's token lengths (a list of whole numbers per sentence, as a CoNLL import keeps
them) pass the quick look at the door without being encoded, however many sentences."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.core import limits
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
