"""Canonical text: decoding, newline canonicalisation, refusals and offset mapping."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import text as text_module
from app.core.errors import InputError
from app.core.text import (
    MAX_DOCUMENT_BYTES,
    NewlineShift,
    canonical_text,
    decode_article,
    first_line_title,
    line_of,
    text_sha256,
)

BOM = b"\xef\xbb\xbf"


# -- decoding and canonical form --------------------------------------------------------


def test_bom_is_stripped() -> None:
    assert decode_article(BOM + "Überschrift\n".encode()) == "Überschrift\n"


def test_only_the_first_bom_is_stripped() -> None:
    # a second U+FEFF is content (a zero-width no-break space), not an encoding mark
    assert decode_article(BOM + BOM + b"Hi") == "\ufeffHi"


def test_crlf_and_lone_cr_become_lf() -> None:
    data = b"one\r\ntwo\rthree\nfour\r\n\r\nfive\r\r\nsix\r"
    assert decode_article(data) == "one\ntwo\nthree\nfour\n\nfive\n\nsix\n"


def test_nothing_else_is_rewritten() -> None:
    original = (
        "  Zoe\u0308 and Zo\u00eb are not unified (no NFC)   \n"
        "tab\there, no-break\u00a0space, line\u2028separator, para\u2029graph\n"
        "\ufb01 ligature, \u212b angstrom sign, trailing spaces   \n\n\n"
    )
    assert decode_article(original.encode("utf-8")) == original
    assert canonical_text(original) == original


def test_canonical_text_rewrites_only_carriage_returns() -> None:
    assert canonical_text("a\r\nb\rc \t\u00a0\n") == "a\nb\nc \t\u00a0\n"


@pytest.mark.parametrize("data", [b"", b"   ", b"\r\n\r\n", b" \t\n \r ", BOM, BOM + b"\n  "])
def test_empty_or_blank_article_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="empty") as info:
        decode_article(data, "blank.txt")
    assert info.value.source == "blank.txt"


def test_nul_byte_is_refused_with_its_line() -> None:
    with pytest.raises(InputError, match="NUL") as info:
        decode_article(b"title\n\nbody text\x00 more\nend\n", "binary.txt")
    assert info.value.line == 3
    assert str(info.value).startswith("binary.txt:3: ")


@pytest.mark.parametrize(
    ("data", "line", "byte"),
    [
        (b"ok\nstill ok\n\xffbad\n", 3, "0xff"),
        ("caf\u00e9\n".encode("latin-1"), 1, "0xe9"),
        (b"one\ntwo\nthree\n\xe2\x82", 4, "0xe2"),  # truncated euro sign at the end
        (b"a\n\xed\xa0\x80\n", 2, "0xed"),  # an encoded surrogate is not UTF-8
        (b"a\r\nb\r\n\xc0\xaf", 3, "0xc0"),  # overlong encoding of "/"
    ],
)
def test_invalid_utf8_is_refused_with_its_line(data: bytes, line: int, byte: str) -> None:
    with pytest.raises(InputError, match="not valid UTF-8") as info:
        decode_article(data, "latin.txt")
    assert info.value.line == line
    assert byte in info.value.message
    assert str(info.value).startswith(f"latin.txt:{line}: ")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_other_encodings_are_not_guessed(encoding: str) -> None:
    with pytest.raises(InputError):
        decode_article("Headline\nbody\n".encode(encoding), "wide.txt")


def test_error_line_counts_lone_carriage_returns() -> None:
    # a file with old Mac line ends: the bad byte is on the third line
    with pytest.raises(InputError) as info:
        decode_article(b"one\rtwo\r\xff", "mac.txt")
    assert info.value.line == 3


def test_line_of_counts_every_kind_of_line_end() -> None:
    assert line_of(b"abc", 2) == 1
    assert line_of(b"a\nb\r\nc\rd", 7) == 4
    assert line_of("a\r\nb", 3) == 2
    assert line_of("a\r\nb", 1) == 1


@pytest.mark.parametrize("surrogate", ["\ud800", "\udfff", "\udc00"])
def test_lone_surrogate_is_refused(surrogate: str) -> None:
    with pytest.raises(InputError, match=f"U\\+{ord(surrogate):04X}") as info:
        canonical_text(f"first line\nsecond {surrogate} line\n", "doc.jsonl")
    assert info.value.line == 2


def test_lone_surrogate_keeps_the_callers_line() -> None:
    with pytest.raises(InputError) as info:
        canonical_text("x\ny\ud834z", "data.jsonl", line=17)
    assert info.value.line == 17


def test_astral_characters_are_not_surrogates() -> None:
    assert canonical_text("\U0001d11e clef \U0001f600") == "\U0001d11e clef \U0001f600"


def test_size_limit_is_enforced() -> None:
    assert MAX_DOCUMENT_BYTES == 20 * 1024 * 1024
    with pytest.raises(InputError, match="limit") as info:
        decode_article(b"a" * (MAX_DOCUMENT_BYTES + 1), "huge.txt")
    assert info.value.source == "huge.txt"


def test_size_limit_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_module, "MAX_DOCUMENT_BYTES", 10)
    assert decode_article(b"0123456789") == "0123456789"
    with pytest.raises(InputError, match="11 bytes"):
        decode_article(b"0123456789a")


def test_sha256_is_of_utf8_canonical_text() -> None:
    text = "Zoe\u0308 \U0001f600\n"
    assert text_sha256(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert text_sha256("e\u0301") != text_sha256("\u00e9")


def test_first_line_title() -> None:
    assert first_line_title("\n  \n  Headline here  \nbody") == "Headline here"
    assert first_line_title("x" * 200, limit=10) == "x" * 9 + "…"
    assert first_line_title(" \n ") == "Untitled"


# -- NewlineShift -----------------------------------------------------------------------


def test_newline_shift_maps_offsets() -> None:
    source = "ab\r\ncd\r\n\r\nef\rg"
    canonical = canonical_text(source)
    assert canonical == "ab\ncd\n\nef\ng"
    shift = NewlineShift(source)
    expected = {0: 0, 1: 1, 2: 2, 4: 3, 5: 4, 6: 5, 8: 6, 10: 7, 11: 8, 12: 9, 13: 10, 14: 11}
    assert {offset: shift.map(offset) for offset in expected} == expected
    assert shift.map(len(source)) == len(canonical)


@pytest.mark.parametrize("offset", [3, 7, 9])
def test_newline_shift_refuses_offsets_between_cr_and_lf(offset: int) -> None:
    source = "ab\r\ncd\r\n\r\nef"
    assert source[offset - 1 : offset + 1] == "\r\n"
    assert NewlineShift(source).map(offset) is None


def test_newline_shift_without_crlf_is_identity() -> None:
    source = "a\rb\nc"
    shift = NewlineShift(source)
    assert [shift.map(i) for i in range(len(source) + 1)] == list(range(len(source) + 1))


_NEWLINE_HEAVY = (
    st.lists(
        st.one_of(
            st.sampled_from(["\r", "\n", "\r\n", "a", " ", "é", "\U0001f600", "\u2028"]),
            st.characters(exclude_categories=("Cs",)),
        ),
        min_size=1,
        max_size=60,
    )
    .map("".join)
    .filter(lambda s: s.strip() != "")
)


@given(_NEWLINE_HEAVY)
def test_newline_shift_keeps_the_character_after_each_offset(source: str) -> None:
    canonical = canonical_text(source)
    assert "\r" not in canonical
    assert len(canonical) == len(source) - source.count("\r\n")
    shift = NewlineShift(source)
    previous = -1
    for offset in range(len(source) + 1):
        mapped = shift.map(offset)
        if source[offset - 1 : offset + 1] == "\r\n":
            assert mapped is None
            continue
        assert mapped is not None
        assert mapped > previous  # strictly increasing: no two offsets collapse
        previous = mapped
        expected = source[offset : offset + 1].replace("\r", "\n")
        assert canonical[mapped : mapped + 1] == expected
    assert shift.map(len(source)) == len(canonical)


@given(_NEWLINE_HEAVY)
def test_canonical_text_is_idempotent(source: str) -> None:
    once = canonical_text(source)
    assert canonical_text(once) == once
    if "\x00" not in source:  # NUL bytes mark binary files
        assert decode_article(BOM + source.encode("utf-8")) == once
