"""Malformed ``.spacy`` files are refused with the file (and document) named, never a traceback.

A DocBin is zlib-compressed msgpack; these tests take a valid one apart and put it back
together wrong in each way spaCy itself does not check, and inflate small files to far more
than the limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import InputError
from app.formats import spacy_checks, spacy_docbin
from app.formats.report import ReadReport

pytest.importorskip("spacy")
import srsly
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

Message = dict[str, Any]


def docbin(*words: list[str]) -> DocBin:
    vocab = Vocab()
    doc_bin = DocBin(store_user_data=True)
    for these in words:
        doc_bin.add(Doc(vocab, words=these, spaces=[True] * len(these)))
    return doc_bin


def valid_message() -> Message:
    """The msgpack table of a DocBin of two documents, ready to be broken."""
    data = docbin(["Ann", "said", "yes"], ["Bo", "left"]).to_bytes()
    message: Message = srsly.msgpack_loads(zlib.decompress(data))
    return message


def written(tmp_path: Path, message: Any, name: str = "broken.spacy") -> Path:
    path = tmp_path / name
    path.write_bytes(zlib.compress(srsly.msgpack_dumps(message)))
    return path


def refusal(path: Path) -> str:
    report = ReadReport("spacy")
    with pytest.raises(InputError) as caught:
        list(spacy_docbin.read(path, report))
    message = caught.value.describe()
    assert message.startswith(str(path))
    assert "\n" not in message and len(message) < 400
    return message


def without(key: str) -> Callable[[Message], Any]:
    def change(message: Message) -> Message:
        del message[key]
        return message

    return change


def replaced(key: str, value: Callable[[Any], Any]) -> Callable[[Message], Any]:
    def change(message: Message) -> Message:
        message[key] = value(message[key])
        return message

    return change


BREAKAGES: dict[str, tuple[Callable[[Message], Any], str]] = {
    # each of these crashed inside spaCy before: KeyError, IndexError, ValueError, TypeError
    "no attrs": (without("attrs"), "missing attrs"),
    "no tokens": (without("tokens"), "missing tokens"),
    "no strings": (without("strings"), "missing strings"),
    "no cats": (without("cats"), "missing cats"),
    "attrs not a list": (replaced("attrs", lambda _: 5), "'attrs' must list"),
    "attrs without ORTH": (replaced("attrs", lambda a: a[1:]), "ORTH"),
    "too few spaces (E027)": (replaced("spaces", lambda s: s[:2]), "'spaces' has 2 entries"),
    "tokens cut short": (replaced("tokens", lambda t: t[:-8]), "'tokens' holds"),
    "tokens not bytes": (replaced("tokens", lambda t: [1, 2]), "'tokens' must be bytes"),
    "lengths not counts": (replaced("lengths", lambda n: n[:-1]), "32-bit counts"),
    "a document dropped from lengths": (replaced("lengths", lambda n: n[:4]), "'tokens' holds"),
    "cats of another length (IndexError)": (replaced("cats", lambda c: c[:1]), "'cats'"),
    "cats not dicts": (replaced("cats", lambda c: [1, 2]), "'cats' is not dict"),
    "user data not bytes": (replaced("user_data", lambda u: [1, 2]), "'user_data'"),
    "strings not strings": (replaced("strings", lambda s: [1, 2]), "'strings'"),
    "not a table": (lambda _: [1, 2, 3], "no table of contents"),
    "a bare number": (lambda _: 7, "no table of contents"),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_a_malformed_docbin_is_refused_naming_the_file(case: str, tmp_path: Path) -> None:
    change, complaint = BREAKAGES[case]
    path = written(tmp_path, change(valid_message()))

    assert complaint in refusal(path)


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("an unknown string (E018)", lambda m: {**m, "strings": m["strings"][:1]}),
        ("user data not msgpack", lambda m: {**m, "user_data": [None, b"\x91"]}),
        ("span groups not msgpack", lambda m: {**m, "span_groups": [b"", b"\x93\x01"]}),
        ("user data not a table", lambda m: {**m, "user_data": [None, srsly.msgpack_dumps([1])]}),
    ],
)
def test_what_spacy_fails_on_inside_a_document_names_the_document(
    case: str, change: Callable[[Message], Message], tmp_path: Path
) -> None:
    message = refusal(written(tmp_path, change(valid_message())))

    assert "document " in message and "is malformed" in message


def test_user_data_that_is_not_json_names_the_document(tmp_path: Path) -> None:
    message = valid_message()
    message["user_data"] = [srsly.msgpack_dumps({"glossa": {(1, 2): "x"}}), None]

    assert "document 1: user_data['glossa'] is not JSON data" in refusal(written(tmp_path, message))


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", b"not zlib at all", zlib.compress(b"\xc1")[:-3], zlib.compress(b"\xc1")],
    ids=["empty", "one byte", "text", "cut short", "not msgpack"],
)
def test_bytes_that_are_no_docbin_are_refused(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x.spacy"
    path.write_bytes(data)

    assert "not a spaCy DocBin file" in refusal(path)


def test_a_truncated_real_docbin_is_refused(tmp_path: Path) -> None:
    whole = docbin(["Ann", "said", "yes"]).to_bytes()
    for cut in (1, len(whole) // 2, len(whole) - 1):
        path = tmp_path / f"cut{cut}.spacy"
        path.write_bytes(whole[:cut])
        refusal(path)


def bomb(inflated: int, chunk: int = 1 << 20) -> bytes:
    """A valid zlib stream of ``inflated`` zero bytes, compressed chunk by chunk."""
    compressor = zlib.compressobj(9)
    parts = [
        compressor.compress(bytes(min(chunk, inflated - done)))
        for done in range(0, inflated, chunk)
    ]
    return b"".join(parts) + compressor.flush()


def test_a_decompression_bomb_is_measured_without_being_kept() -> None:
    data = bomb(64 << 20)  # 64 MiB from about 64 KiB
    assert len(data) < 100_000

    with pytest.raises(InputError, match=r"inflates to more than 1,048,576 bytes"):
        spacy_checks.inflated_size(data, "bomb.spacy", limit=1 << 20)
    assert spacy_checks.inflated_size(data, "bomb.spacy", limit=64 << 20) == 64 << 20


def test_a_docbin_inflating_past_the_limit_is_refused_before_spacy_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spacy_checks, "MAX_INFLATED_BYTES", 4 << 20)
    message = valid_message()
    message["strings"] = [*message["strings"], "x" * (8 << 20)]  # compresses to almost nothing
    path = written(tmp_path, message)
    assert path.stat().st_size < 100_000
    loaded: list[bytes] = []
    monkeypatch.setattr(DocBin, "from_bytes", lambda self, data: loaded.append(data))

    assert "inflates to more than 4,194,304 bytes" in refusal(path)
    assert loaded == []  # spaCy never saw it


def test_the_default_limit_follows_the_document_limit() -> None:
    from app.core.text import MAX_DOCUMENT_BYTES

    assert spacy_checks.MAX_INFLATED_BYTES == 16 * MAX_DOCUMENT_BYTES


def test_empty_documents_are_skipped_with_a_counted_warning(tmp_path: Path) -> None:
    path = tmp_path / "some_empty.spacy"
    docbin([], ["Ann", "said", "yes"], [], ["Bo", "left"], [" "]).to_disk(path)
    report = ReadReport("spacy")

    records = list(spacy_docbin.read(path, report))

    assert [r.text for r in records] == ["Ann said yes ", "Bo left "]
    assert report.documents == 2
    assert [w.describe() for w in report.warnings] == [
        f"{path}: skipped 3 empty document(s) (number 1, 3, 5)"
    ]


def test_a_docbin_of_only_empty_documents_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.spacy"
    docbin([], []).to_disk(path)

    assert "holds no documents with text" in refusal(path)
