"""Importing with the clean-up: scraped text and saved pages, the text as read kept aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.formats import html
from app.services import Workspace, documents
from app.services.importing import import_paths

SCRAPED = Path(__file__).resolve().parents[1] / "data" / "scraped"
PAGE = """<!doctype html><html><head><title>Harbour Courier</title>
<meta property="og:title" content="Island ferry fares to rise 6% from April">
<meta name="author" content="Jonas Ekberg"></head><body>
<article><h1>Island ferry fares to rise 6% from April</h1>
<p>Published: March 4, 2025 10:30</p>
<p>Fares on the ferry will rise by 6% from 1 April, the operator said on Tuesday.</p>
<p>Image source, Harbour Courier</p>
<p>Sign up for our newsletter and get the morning briefing in your inbox</p>
<p>A return ticket for a car and driver will cost 68 euros, up from 64.</p>
</article></body></html>"""


def test_a_saved_page_is_cleaned_and_keeps_its_own_metadata(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html, "_trafilatura", lambda page: None)  # the same text either way
    path = tmp_path / "fares.html"
    path.write_text(PAGE, encoding="utf-8")

    report = import_paths(workspace, [path], clean=True)

    assert report.ok and report.imported == ["Island ferry fares to rise 6% from April"]
    document = documents.document(workspace, documents.documents(workspace)[0].id)
    assert document.text == (
        "Island ferry fares to rise 6% from April\n\n"
        "Fares on the ferry will rise by 6% from 1 April, the operator said on Tuesday.\n\n"
        "A return ticket for a car and driver will cost 68 euros, up from 64."
    )
    assert document.meta["author"] == "Jonas Ekberg"
    assert document.meta["date"] == "2025-03-04T10:30"
    assert "Image source, Harbour Courier" in document.meta["original_text"]
    assert any("image credit" in line for line in document.meta["cleanup"])


def test_every_scraped_article_imports_cleaned(workspace: Workspace) -> None:
    report = import_paths(workspace, [SCRAPED], clean=True)
    assert report.ok and len(report.imported) == len(list(SCRAPED.glob("*.txt")))
    for summary in documents.documents(workspace):
        document = documents.document(workspace, summary.id)
        assert document.text.startswith(summary.title + "\n\n")
        assert document.meta["original_text"] != document.text
        for line in ("ARTICLE AD BOX", "Advertisement", "ADVERTISEMENT", "Share"):
            assert line not in document.text.split("\n")


def test_without_clean_the_text_is_taken_as_read(workspace: Workspace) -> None:
    path = SCRAPED / "daily-glued-byline.txt"
    assert import_paths(workspace, [path]).ok
    document = documents.document(workspace, documents.documents(workspace)[0].id)
    assert document.text == path.read_text(encoding="utf-8")
    assert "original_text" not in document.meta
