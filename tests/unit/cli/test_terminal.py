"""printable: no character a terminal acts on survives, and nothing else changes."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from app.cli.terminal import printable, table


def _acts_on_terminal(char: str) -> bool:
    return ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F


@given(st.text())
def test_no_control_character_survives_on_one_line(text: str) -> None:
    shown = printable(text, lines=False)

    assert not any(_acts_on_terminal(c) for c in shown)
    if not any(_acts_on_terminal(c) for c in text):
        assert shown == text


@given(st.text())
def test_multi_line_output_keeps_tabs_and_newlines_only(text: str) -> None:
    shown = printable(text)

    assert not any(_acts_on_terminal(c) and c not in "\t\n" for c in shown)
    assert shown.count("\n") == text.count("\n")


@given(st.text())
def test_json_output_stays_json_with_the_same_value(text: str) -> None:
    shown = printable(json.dumps({"title": text}, ensure_ascii=False), json=True)

    assert json.loads(shown) == {"title": text}
    assert not any(_acts_on_terminal(c) and c != "\n" for c in shown)


def test_escapes_are_written_out_visibly() -> None:
    assert printable("a\x1b[2Jb\x9bc\x7f\td\ne") == "a\\x1b[2Jb\\x9bc\\x7f\td\ne"
    assert printable("a\tb\nc\r", lines=False) == "a\\tb\\nc\\r"


def test_a_cell_with_a_newline_keeps_the_table_on_its_rows() -> None:
    shown = table(("ID", "TITLE"), [(1, "two\nlines\x1b[2J")], right={0})

    assert shown.splitlines() == ["ID  TITLE", " 1  two\\nlines\\x1b[2J"]
