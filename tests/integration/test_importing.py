"""Importing into a real SQLite database: bad files are refused whole, with one clear message."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import app.core.text
from app.formats import jsonl, txt
from app.services import Workspace, documents, spans
from app.services.checking import check
from app.services.importing import ImportCancelled, import_paths
from tests.conftest import BUNDLED_SAMPLES

TABLES = ("documents", "document_texts", "spans", "relations")

GOOD_TEXT = "Councillor Ann Varga said the budget \u201cis there\u201d."
GOOD = {
    "id": "good",
    "text": GOOD_TEXT,
    "spans": [
        {"id": "p", "start": 11, "end": 20, "label": "PERSON", "text": "Ann Varga"},
        {"id": "q", "start": 37, "end": 47, "label": "QUOTE", "text": "\u201cis there\u201d"},
    ],
    "relations": [{"id": "r", "head": "q", "tail": "p", "label": "speaker"}],
}


def counts(workspace: Workspace) -> dict[str, int]:
    """Rows per table, read behind the services' back."""
    assert workspace.database.path is not None
    with sqlite3.connect(workspace.database.path) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False)


def span(start: float, end: float, label: str = "PERSON", **more: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "label": label, **more}


@pytest.fixture
def loaded(workspace: Workspace) -> Workspace:
    """A workspace already holding the bundled samples, so 'unchanged' means something."""
    report = import_paths(workspace, sorted(BUNDLED_SAMPLES.glob("*.txt")))
    assert report.ok and len(report.imported) == 3
    return workspace


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good.jsonl"
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    return path


BAD_FILES: list[tuple[str, bytes, str, int | None]] = [
    ("empty.txt", b"", "the article is empty", None),
    ("blank.txt", b"  \n\t\r\n\n", "the article is empty", None),
    ("bom-only.txt", b"\xef\xbb\xbf", "the article is empty", None),
    ("photo.txt", b"GIF89a\n\x01\x00\x02\x03", "binary data (NUL byte)", 2),
    ("latin1.txt", "Title\n\nZo\u00eb said\n".encode("latin-1"), "not valid UTF-8 (byte 0xeb", 3),
    ("latin1.jsonl", line(text="ok").encode() + b'\n{"text": "Zo\xeb"}\n', "not valid UTF-8", 2),
    ("surrogate.jsonl", b'{"text": "broken \\ud800 pair"}\n', "lone surrogate U+D800", 1),
    ("not-json.jsonl", b"{text: 'single quotes'}\n", "not JSON", 1),
    ("truncated.jsonl", b'{"text": "no end"\n', "not JSON", 1),
    ("no-text.jsonl", line(title="t", body="x").encode(), 'missing "text"', 1),
    ("empty-text.jsonl", line(text=" \n ").encode(), "the article is empty", 1),
    ("no-docs.jsonl", b"\n\n", "holds no documents", None),
    (
        "out-of-range.jsonl",
        line(text="Ann", spans=[span(0, 4, id="a")]).encode(),
        "span a: span [0, 4) is outside the text (length 3)",
        1,
    ),
    (
        "negative.jsonl",
        line(text="Ann", spans=[span(-1, 2, id="a")]).encode(),
        "outside the text",
        1,
    ),
    (
        "empty-span.jsonl",
        line(text="Ann", spans=[span(2, 2, id="a")]).encode(),
        "outside the text",
        1,
    ),
    (
        "wrong-text.jsonl",
        line(text="Ann and Bo", spans=[span(0, 3, id="a", text="Bo")]).encode(),
        "span a: span [0, 3) covers 'Ann' but says 'Bo'",
        1,
    ),
    (
        "float-offset.jsonl",
        line(text="Ann", spans=[span(0, 2.5, id="a")]).encode(),
        "whole numbers",
        1,
    ),
    (
        "dangling-relation.jsonl",
        line(
            text="Ann said",
            spans=[span(0, 3, id="p")],
            relations=[{"id": "r", "head": "q9", "tail": "p", "label": "speaker"}],
        ).encode(),
        "relation r: head q9 is not a span of this document",
        1,
    ),
    (
        "duplicate-ids.jsonl",
        line(text="Ann Bo", spans=[span(0, 3, id="x"), span(4, 6, id="x")]).encode(),
        "two spans share the id 'x'",
        1,
    ),
    (
        "surrogate-annotator.jsonl",
        b'{"text": "Ann", "spans": [{"start": 0, "end": 3, "label": "PERSON", '
        b'"annotator": "\\udc00"}]}\n',
        "lone surrogate in spans[0].annotator",
        1,
    ),
    (
        "bad-third-line.jsonl",
        "\n".join(
            [
                line(text="First article, fine.", spans=[span(0, 5, "CLAIM")]),
                line(text="Second article, fine too."),
                line(text="Third article", spans=[span(0, 99)]),
            ]
        ).encode(),
        "outside the text",
        3,
    ),
]


OFF_SCHEMA: list[tuple[str, bytes, str, int | None]] = [
    (
        "unknown-label.jsonl",
        line(text="Ann", spans=[span(0, 3, "WIZARD", id="a")]).encode(),
        "span a: label 'WIZARD' is not in the schema",
        1,
    ),
    (
        "unknown-relation.jsonl",
        line(
            text="Ann said",
            spans=[span(0, 3, id="p"), span(4, 8, "CUE", id="c")],
            relations=[{"id": "r", "head": "c", "tail": "p", "label": "likes"}],
        ).encode(),
        "relation r: label 'likes' is not in the schema",
        1,
    ),
]
"""Files refused only under ``strict_schema``: otherwise their labels join the schema."""


@pytest.mark.parametrize(
    ("name", "content", "message", "line_number", "strict"),
    [(*case, False) for case in BAD_FILES] + [(*case, True) for case in OFF_SCHEMA],
    ids=[case[0] for case in BAD_FILES + OFF_SCHEMA],
)
def test_bad_file_is_refused_whole_and_the_others_still_import(
    loaded: Workspace,
    good_file: Path,
    tmp_path: Path,
    name: str,
    content: bytes,
    message: str,
    line_number: int | None,
    strict: bool,
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    before = counts(loaded)

    report = import_paths(loaded, [bad, good_file], strict_schema=strict)

    assert len(report.errors) == 1
    error = report.errors[0]
    where = f"{bad}:{line_number}" if line_number else str(bad)
    assert error.describe().startswith(f"{where}: ")
    assert message in error.message
    assert (error.source, error.line) == (str(bad), line_number)
    assert report.imported == [GOOD_TEXT]
    after = counts(loaded)
    assert after == {
        "documents": before["documents"] + 1,
        "document_texts": before["document_texts"] + 1,
        "spans": before["spans"] + 2,
        "relations": before["relations"] + 1,
    }
    assert check(loaded) == []


def test_lines_before_a_bad_line_are_not_imported(workspace: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "three.jsonl"
    bad.write_text(
        "\n".join([line(text="One."), line(text="Two."), "{oops", line(text="Four.")]) + "\n",
        encoding="utf-8",
    )

    report = import_paths(workspace, [bad])

    assert [e.describe() for e in report.errors] == [
        f"{bad}:3: not JSON: Expecting property name enclosed in double quotes at column 2"
    ]
    assert documents.documents(workspace) == []
    assert counts(workspace) == dict.fromkeys(TABLES, 0)


@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_files_over_the_size_limit_are_refused(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    for module in (app.core.text, txt, jsonl):
        monkeypatch.setattr(module, "MAX_DOCUMENT_BYTES", 64)
    big = tmp_path / f"big{suffix}"
    big.write_text(line(text="x" * 100) if suffix == ".jsonl" else "x" * 100, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("A short article.", encoding="utf-8")

    report = import_paths(workspace, [big, small])

    assert len(report.errors) == 1
    assert "the limit is 64 bytes" in report.errors[0].describe()
    assert report.errors[0].source == str(big)
    assert report.imported == ["A short article."]


def test_missing_paths_and_empty_folders_are_reported(workspace: Workspace, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("not an article", encoding="utf-8")

    report = import_paths(workspace, [tmp_path / "nope.txt", tmp_path / "empty"])

    assert [e.describe() for e in report.errors] == [
        f"{tmp_path / 'nope.txt'}: no such file or folder",
        f"{tmp_path / 'empty'}: no files Glossa can import here",
    ]
    assert not report.ok


def test_reimporting_skips_duplicates_and_says_so(workspace: Workspace, tmp_path: Path) -> None:
    first = import_paths(workspace, [BUNDLED_SAMPLES])
    before = counts(workspace)

    again = import_paths(workspace, [BUNDLED_SAMPLES])

    assert len(first.imported) == 3
    assert again.ok and again.imported == []
    assert len(again.skipped) == 3
    assert all("is already in the database" in line for line in again.skipped)
    assert "skipped 3 already present" in again.summary()
    assert counts(workspace) == before


def test_duplicates_inside_one_file_are_skipped(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "twice.jsonl"
    path.write_text(line(text="Same.") + "\n" + line(text="Same.") + "\n", encoding="utf-8")

    report = import_paths(workspace, [path])

    assert len(report.imported) == 1
    assert report.skipped == [f"{path}:2: 'Same.' is already in the database"]


def test_crlf_text_with_offsets_on_the_crlf_text(workspace: Workspace, tmp_path: Path) -> None:
    text = "Festival \U0001f389\r\n\r\nZoe\u0308 Lindqvist said \u201cfull\u201d.\r\n"
    person = text.index("Zoe")
    quote = text.index("\u201c")
    path = tmp_path / "crlf.jsonl"
    path.write_text(
        line(
            text=text,
            spans=[
                span(person, person + 14, id="p", text="Zoe\u0308 Lindqvist"),
                span(quote, quote + 6, "QUOTE", id="q"),
                span(0, len(text), "CLAIM", id="all", text=text),
            ],
            relations=[{"head": "q", "tail": "p", "label": "speaker"}],
        )
        + "\n",
        encoding="utf-8",
    )

    report = import_paths(workspace, [path])

    assert report.ok and report.spans == 3
    (summary,) = documents.documents(workspace)
    document = documents.document(workspace, summary.id)
    assert document.text == text.replace("\r\n", "\n")
    covered = {s.label: document.text[s.start : s.end] for s in spans.spans(workspace, summary.id)}
    assert covered == {
        "PERSON": "Zoe\u0308 Lindqvist",
        "QUOTE": "\u201cfull\u201d",
        "CLAIM": document.text,
    }
    (relation,) = spans.relations(workspace, summary.id)
    ends = {s.id: s.label for s in spans.spans(workspace, summary.id)}
    assert (ends[relation.head], ends[relation.tail]) == ("QUOTE", "PERSON")
    assert check(workspace) == []


def test_progress_is_reported_per_file(workspace: Workspace) -> None:
    seen: list[tuple[int, int, str]] = []

    import_paths(workspace, [BUNDLED_SAMPLES], progress=lambda n, t, p: seen.append((n, t, p.name)))

    assert [(n, t) for n, t, _ in seen] == [(1, 3), (2, 3), (3, 3)]
    assert seen[0][2] == "01-harbour-ferry-terminal.txt"


def test_an_import_cancelled_while_a_file_is_read_leaves_that_file_out_whole(
    database_url: str, tmp_path: Path
) -> None:
    workspace = Workspace.open(database_url, "tester", samples=False)
    files = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    for file in files:
        lines = [json.dumps({"text": f"Article {n} of {file.stem}."}) for n in range(3)]
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    heard: list[int] = []

    def on_document(count: int) -> None:
        heard.append(count)
        if count == 2:
            raise ImportCancelled

    try:
        report = import_paths(workspace, files, on_document=on_document)
        assert heard == [1, 2]
        assert report.imported == [] and report.cancelled == 2 and report.ok
        assert "2 file(s) not imported (cancelled)" in report.summary()
        assert documents.documents(workspace) == []
    finally:
        workspace.close()
