"""Importers and exporters, one module each, registered by name. Qt- and SQL-free."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.core.records import DocumentRecord
from app.formats import jsonl, txt

Reader = Callable[[Path], Iterator[DocumentRecord]]
Writer = Callable[[Iterable[DocumentRecord], IO[str]], int]


@dataclass(frozen=True)
class Format:
    """A file format Glossa reads and/or writes."""

    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None


FORMATS: dict[str, Format] = {
    "txt": Format("txt", "plain text articles, one per file", (".txt",), read=txt.read),
    "jsonl": Format(
        "jsonl",
        "Glossa native JSON lines: one document with its spans and relations per line",
        (".jsonl",),
        read=jsonl.read,
        write=jsonl.write,
    ),
}


def format_for(path: Path) -> Format | None:
    """The format that reads ``path``, judged by its suffix."""
    suffix = path.suffix.lower()
    return next((f for f in FORMATS.values() if f.read and suffix in f.suffixes), None)


def readable_files(path: Path) -> list[Path]:
    """``path`` itself, or the readable files under a folder in sorted order."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and format_for(p) is not None)
    return [path]
