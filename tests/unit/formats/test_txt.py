"""Plain text articles: canonical text, title, and refusals that name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import InputError
from app.formats import FORMATS, format_for, readable_files, txt


def test_crlf_and_bom_become_canonical(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffTitle 🎉\r\n\r\nBody\rend\n".encode())

    (record,) = txt.read(path)

    assert record.text == "Title 🎉\n\nBody\nend\n"
    assert record.title == "Title 🎉"
    assert record.id == "a"


def test_invalid_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"one\ntwo\nthr\xffee\n")

    with pytest.raises(InputError) as caught:
        list(txt.read(path))

    assert caught.value.describe().startswith(f"{path}:3: not valid UTF-8")


def test_the_size_limit_is_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(txt, "MAX_DOCUMENT_BYTES", 10)
    path = tmp_path / "big.txt"
    path.write_text("x" * 11, encoding="utf-8")

    with pytest.raises(InputError, match="the limit is 10 bytes"):
        list(txt.read(path))


def test_registry_judges_by_suffix_and_walks_folders(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.TXT", "a.jsonl", "sub/c.txt", "notes.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")

    assert format_for(Path("x.TXT")) is FORMATS["txt"]
    assert format_for(Path("x.md")) is None
    assert [p.relative_to(tmp_path).as_posix() for p in readable_files(tmp_path)] == [
        "a.jsonl",
        "b.TXT",
        "sub/c.txt",
    ]
