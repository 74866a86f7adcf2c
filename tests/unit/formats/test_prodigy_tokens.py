"""A task's tokens are checked a column at a time, with the same outcome as one by one: the
end of each token, or the refusal naming the first token at fault."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import InputError
from app.formats import prodigy
from app.formats.report import ReadReport

TEXT = "Ann Berg said so."
OFFSETS = st.one_of(
    st.integers(-2, len(TEXT) + 2), st.booleans(), st.floats(0, 5), st.none(), st.just("3")
)
TOKEN = st.one_of(
    st.fixed_dictionaries({"start": OFFSETS, "end": OFFSETS}),
    st.fixed_dictionaries({"start": st.integers(0, 3)}),
    st.sampled_from([[0, 3], "Ann", None, 7]),
)


def fail(message: str) -> InputError:
    return InputError(message, source="t.jsonl", line=1)


def outcome(check: Any, tokens: list[Any]) -> Any:
    try:
        return check(tokens, TEXT, fail)
    except InputError as exc:
        return str(exc)


@given(st.lists(TOKEN, max_size=6))
def test_tokens_checked_at_once_as_one_by_one(tokens: list[Any]) -> None:
    assert outcome(prodigy._token_ends, tokens) == outcome(prodigy._each_token, tokens)


def test_well_formed_tokens_give_their_ends() -> None:
    tokens = [{"start": 0, "end": 3}, {"start": 4, "end": 8}, {"start": 16, "end": 17}]
    assert prodigy._token_ends(tokens, TEXT, fail) == [3, 8, 17]


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDFFF"])
def test_an_escaped_lone_surrogate_is_still_refused(tmp_path: Path, escape: str) -> None:
    path = tmp_path / "t.jsonl"
    line = json.dumps({"text": "Ann", "answer": "accept", "meta": {"note": "x"}})
    path.write_text(line.replace('"x"', f'"{escape}"') + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="lone surrogate"):
        list(prodigy.read(path, ReadReport("prodigy")))
