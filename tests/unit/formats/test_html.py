"""Saved news pages: metadata and main text extracted, boilerplate dropped, never a fetch."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.formats import FORMATS, format_for, html, readable_files
from app.formats.report import ReadReport

REPO = Path(__file__).resolve().parents[3]

PAGE = Path(__file__).resolve().parents[2] / "data" / "formats" / "html" / "ferry-terminal.html"
TITLE = "Harbour board backs new ferry terminal"
PARAGRAPHS = (
    "The harbour board voted 7\u20132 on Monday to build a new ferry terminal at Nordkai, "
    "ending a debate that has run for almost a decade.",
    "\u201cThis is the right site and the right time,\u201d said board chair Ingrid Dahl. "
    "\u201cPassengers have waited long enough.\u201d",
    "Two members, including Tor \u00c5s of the Green list, voted against the plan, citing "
    "concerns about traffic in the old town.",
)
BOILERPLATE = (
    "ARTICLE AD BOX",
    "Advertisement",
    "cookies",
    "All rights reserved",
    "Sport",
    "Ferry fares to rise",
    "artist",
    "dataLayer",
    ".ad-box",
)


@pytest.fixture(params=["stdlib", "trafilatura"])
def extractor(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the standard library extractor, and with trafilatura when installed."""
    if request.param == "trafilatura":
        pytest.importorskip("trafilatura")
    else:
        monkeypatch.setattr(html, "_trafilatura", lambda page: None)
    return str(request.param)


def read_one(path: Path) -> DocumentRecord:
    (record,) = html.read(path, ReadReport("html"))
    return record


def page(tmp_path: Path, body: str, head: str = "", name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(f"<html><head>{head}</head><body>{body}</body></html>", encoding="utf-8")
    return path


def test_the_metadata_of_a_saved_page(extractor: str) -> None:
    record = read_one(PAGE)

    assert record.meta["title"] == TITLE
    assert record.meta["author"] == "Maren Solberg"
    assert record.meta["date"] == "2024-03-18T07:45:00+01:00"
    assert record.meta["url"] == "https://ledger.example/news/harbour-ferry-terminal"
    assert record.meta["file"] == PAGE.name
    assert record.meta["extractor"].startswith("trafilatura" if extractor != "stdlib" else "Glossa")
    assert record.id == "ferry-terminal"
    assert record.title == TITLE


def test_the_main_text_without_boilerplate(extractor: str) -> None:
    text = read_one(PAGE).text

    assert text.startswith(TITLE + "\n\n")
    assert text.count(TITLE) == 1, "the headline is not repeated"
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    assert "48" in text and "million kroner" in text
    for junk in BOILERPLATE:
        assert junk not in text, junk
    assert "By Maren Solberg" not in text, "the byline repeats the metadata"


def test_the_text_is_canonical(extractor: str) -> None:
    assert b"\r\n" in PAGE.read_bytes(), "the page is saved with Windows line ends"
    text = read_one(PAGE).text

    assert "\r" not in text
    assert "  " not in text and "\n\n\n" not in text
    assert text == text.strip()


def test_a_page_without_article_takes_its_paragraphs(tmp_path: Path, extractor: str) -> None:
    body = (
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<div><p>Storm closes the coast road.</p>"
        "<p>ADVERTISEMENT</p><script>var p = '<p>no</p>';</script>"
        "<p>Crews expect to reopen it on Friday, the agency said.</p></div>"
        "<footer><p>Contact us</p></footer>"
    )
    path = page(tmp_path, body, "<title>Storm closes coast road</title>")

    record = read_one(path)

    assert record.meta == {
        "title": "Storm closes coast road",
        "file": "page.html",
        "extractor": record.meta["extractor"],
    }
    assert "Storm closes the coast road." in record.text
    assert "Crews expect to reopen it on Friday, the agency said." in record.text
    for junk in ("Home", "ADVERTISEMENT", "var p", "Contact us"):
        assert junk not in record.text


def test_time_element_and_author_link_when_meta_tags_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(html, "_trafilatura", lambda page: None)
    body = (
        "<article><h1>Bridge reopens</h1><p>By <a rel='author' href='/a'>Lea Berg</a></p>"
        "<time datetime='2023-11-02'>2 Nov</time><p>The bridge reopened at dawn.</p></article>"
    )
    record = read_one(page(tmp_path, body, "<link rel='canonical' href='https://x.example/b'>"))

    assert record.meta["author"] == "Lea Berg"
    assert record.meta["date"] == "2023-11-02"
    assert record.meta["url"] == "https://x.example/b"
    assert record.meta["title"] == "Bridge reopens"
    assert record.text == "Bridge reopens\n\n2 Nov\n\nThe bridge reopened at dawn."


def test_a_declared_charset_is_honoured(tmp_path: Path, extractor: str) -> None:
    path = tmp_path / "latin.html"
    markup = (
        "<html><head><meta charset='windows-1252'><title>Caf\u00e9 owner fined</title></head>"
        "<body><article><p>The caf\u00e9 on M\u00f8lle Street was fined \u20ac400 on "
        "Tuesday after an inspection.</p></article></body></html>"
    )
    path.write_bytes(markup.encode("cp1252"))

    record = read_one(path)

    assert record.meta["title"] == "Caf\u00e9 owner fined"
    assert "M\u00f8lle Street was fined \u20ac400" in record.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the page is empty"),
        (b"   \n\t ", "the page is empty"),
        (b"<html><head><title>x</title></head><body>\n</body></html>", "no article text"),
        (b"<html><body><script>var a = 1;</script></body></html>", "no article text"),
        (b"<html><body><p>caf\xe9 au lait</p></body></html>", "not valid utf-8"),
        (b"<meta charset='no-such-thing'><p>text</p>", "unknown encoding 'no-such-thing'"),
        (b"<meta charset='base64'><p>text</p>", "unknown encoding 'base64'"),
        (b"<p>a\x00b</p>", "binary data"),
    ],
)
def test_bad_pages_are_input_errors_naming_the_file(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(content)

    with pytest.raises(InputError, match=message) as raised:
        read_one(path)

    assert raised.value.source == str(path)
    assert raised.value.describe().startswith(f"{path}: ")


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read") as raised:
        read_one(tmp_path / "gone.html")
    assert raised.value.source == str(tmp_path / "gone.html")


def test_registered_for_html_and_htm(tmp_path: Path) -> None:
    assert FORMATS["html"].read is html.read
    assert FORMATS["html"].export is None
    assert format_for(Path("a.HTML")) is FORMATS["html"]
    assert format_for(Path("a.htm")) is FORMATS["html"]
    (tmp_path / "one.htm").write_text("<p>x</p>", "utf-8")
    (tmp_path / "notes.css").write_text("p {}", "utf-8")
    assert readable_files(tmp_path) == [tmp_path / "one.htm"]


def test_nothing_is_fetched(monkeypatch: pytest.MonkeyPatch, extractor: str) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the reader opened a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)

    assert read_one(PAGE).meta["url"].startswith("https://ledger.example/")


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_bytes_read_or_raise_input_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.html"
    path.write_bytes(b"<html><body><article><p>" + data + b"</p></article></body></html>")
    try:
        record = read_one(path)
    except InputError as exc:
        assert exc.source == str(path)
    else:
        assert "\r" not in record.text and record.text.strip()


def test_trafilatura_finds_the_text_whenever_it_is_installed(tmp_path: Path) -> None:
    # the README promises trafilatura when the html extra is installed: a dependency it
    # lost (lxml's cleaner) must not make the import fall back without a word
    if importlib.util.find_spec("trafilatura") is None:
        pytest.skip("trafilatura is not installed")
    report = ReadReport("html")

    (record,) = html.read(page(tmp_path, "<article><p>Ann Varga said yes.</p></article>"), report)

    assert html.trafilatura_module()[1] == ""  # it loads
    assert record.meta["extractor"].startswith("trafilatura ")
    assert report.extractor == record.meta["extractor"]
    assert f"text from: {report.extractor}" in report.summary()


def test_an_installed_trafilatura_that_does_not_load_is_reported() -> None:
    pytest.importorskip("trafilatura")
    script = (
        "import sys; sys.modules['lxml_html_clean'] = None\n"  # as when lxml lost its cleaner
        "import pathlib, tempfile\n"
        "from app.formats import html\n"
        "from app.formats.report import ReadReport\n"
        "path = pathlib.Path(tempfile.mkdtemp()) / 'p.html'\n"
        "path.write_text('<article><p>Ann Varga said yes.</p></article>')\n"
        "report = ReadReport('html')\n"
        "list(html.read(path, report))\n"
        "print(report.extractor)\n"
        "print(*report.summary(), sep='\\n')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    lines = result.stdout.splitlines()

    assert lines[0] == html.FALLBACK_EXTRACTOR
    assert any(
        "p.html: trafilatura is installed but does not load (" in line and "lxml" in line
        for line in lines[1:]
    )
