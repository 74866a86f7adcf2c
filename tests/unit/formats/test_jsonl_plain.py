"""The one-pass reading of common native JSONL spans agrees with the full checks."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import SpanRecord
from app.formats import jsonl
from app.formats.jsonl_plain import plain_span

TEXT = "Ann Lee said the harbour opens today."

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, len(TEXT) + 2),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "1", "Ann", "Ann Lee", "PERSON", "bob", "manual", "e1"]),
    st.dictionaries(st.sampled_from(["kind", "x"]), st.sampled_from(["direct", 1]), max_size=2),
    st.lists(st.integers(0, 5), max_size=2),
)
KEYS = ["id", "start", "end", "label", "text", "annotator", "origin", "attributes", "entity"]


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    """A plain span, with some of its keys dropped or given odd values now and then."""
    start = draw(st.integers(0, len(TEXT) - 1))
    end = draw(st.integers(start + 1, len(TEXT)))
    item: dict[str, Any] = {"id": "s1", "start": start, "end": end, "label": "PERSON"}
    if draw(st.booleans()):
        item["text"] = TEXT[start:end]
    dropped = draw(st.sets(st.sampled_from(KEYS), max_size=2))
    odd = draw(st.dictionaries(st.sampled_from([*KEYS, "fragments", "prob"]), values, max_size=2))
    return {**{k: v for k, v in item.items() if k not in dropped}, **odd}


def checked(item: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """What the full checks make of ``item``: a span record, or the error they raise."""
    with monkeypatch.context() as patched:
        patched.setattr(jsonl, "plain_span", lambda item, text: None)
        fail = lambda message: InputError(message, source="f", line=1)  # noqa: E731
        try:
            return jsonl._span(item, TEXT, fail, 0)
        except InputError:
            return "refused"


@given(items())
def test_a_plain_span_is_what_the_full_checks_make_of_it(item: dict[str, Any]) -> None:
    found = plain_span(item, TEXT)
    if found is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert checked(item, monkeypatch) == found
        assert found.text == TEXT[found.start : found.end]


def test_a_common_span_takes_the_one_pass() -> None:
    item = {"id": "1", "start": 0, "end": 7, "label": "PERSON", "text": "Ann Lee"}
    assert plain_span(item, TEXT) == SpanRecord(
        "1", 0, 7, "PERSON", "Ann Lee", "", "imported", {}, ""
    )  # fmt: skip
    for odd in ({"id": 1}, {"text": "Ann"}, {"end": 99}, {"start": True}, {"fragments": []}):
        assert plain_span({**item, **odd}, TEXT) is None
