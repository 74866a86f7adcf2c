"""Reading a file in pieces of whole lines gives the lines ``lines`` gives, and refuses the
same over-long line after the same lines."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from app.core.errors import InputError
from app.formats.opening import line_pieces, lines

LINES = st.lists(st.tuples(st.integers(0, 12), st.sampled_from([b"\n", b"\r\n", b""])), max_size=12)


def whole_lines(content: bytes, limit: int) -> tuple[list[tuple[int, bytes]], str | None]:
    got: list[tuple[int, bytes]] = []
    try:
        got.extend(lines(io.BytesIO(content), limit, "f"))
    except InputError as exc:
        return got, str(exc)
    return got, None


def pieced_lines(
    content: bytes, limit: int, size: int
) -> tuple[list[tuple[int, bytes]], str | None]:
    got: list[tuple[int, bytes]] = []
    try:
        for number, piece in line_pieces(io.BytesIO(content), limit, "f", size):
            assert piece.endswith(b"\n") or piece == content[-len(piece) :]
            split = piece.split(b"\n")
            ended = [line + b"\n" for line in split[:-1]] + ([split[-1]] if split[-1] else [])
            got.extend(enumerate(ended, start=number))
    except InputError as exc:
        return got, str(exc)
    return got, None


@given(LINES, st.integers(1, 16), st.integers(1, 20))
def test_pieces_hold_the_lines_of_the_file(
    shape: list[tuple[int, bytes]], limit: int, size: int
) -> None:
    content = b"".join(b"x" * length + end for length, end in shape)
    assert pieced_lines(content, limit, size) == whole_lines(content, limit)


def test_a_long_line_is_refused_with_its_number_after_the_lines_before() -> None:
    content = b"ab\ncd\n" + b"x" * 30 + b"\nef\n"
    got, refused = pieced_lines(content, 10, 4)
    assert got == [(1, b"ab\n"), (2, b"cd\n")]
    assert refused == "f:3: line is more than 10 bytes; the limit is 10 bytes"
