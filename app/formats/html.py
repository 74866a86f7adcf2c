"""Saved news pages (``.html``, ``.htm``): one document each, the article text and its metadata.

Nothing is fetched: the page is read from disk, and links in it are never followed.

Decoding. A byte order mark decides; else the ``charset`` the page declares in a ``<meta>``
tag (in its first 4 KiB); else UTF-8. Bytes that do not decode in that encoding are an
``InputError`` naming the file, as is a page with no article text.

Metadata, from the page's own tags (the first found wins):

- title: ``og:title``, ``twitter:title``, then ``<title>``;
- author: every ``<meta name="author">``, else ``article:author`` (unless it is a link),
  else the text of a ``rel="author"`` link;
- date: ``article:published_time``, ``itemprop="datePublished"``, ``<meta name="date">``,
  then the first ``<time datetime>``;
- URL: ``<link rel="canonical">``, then ``og:url``.

Text. With trafilatura installed (optional) it finds the main text (with
``nav``, ``footer``, ``aside``, forms and a page ``<header>`` pruned first) and fills in any
metadata the tags above did not give. Otherwise the standard library's
``html.parser`` does: the blocks (paragraphs, headings, list items, quotes) inside
``<article>`` when the page has one, else its ``<p>`` elements; ``script``, ``style``,
``nav``, ``footer``, ``aside``, forms, figures and a page ``<header>`` are skipped. Either way
white space inside a block is collapsed to one space, blocks are separated by a blank line,
lines that are only boilerplate ("ARTICLE AD BOX", "Advertisement", ...) are dropped, as is a
short byline ("By AUTHOR, date") repeating the author, and the title becomes the first line
(followed by a blank line) unless the text already starts with it. The result is canonical
text (``\\n`` line ends only).
"""

from __future__ import annotations

import codecs
import functools
import importlib.util
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.core.text import MAX_DOCUMENT_BYTES, canonical_text, first_line_title
from app.formats.opening import read_file
from app.formats.report import ReadReport

FORMAT_NAME = "html"
FALLBACK_EXTRACTOR = "Glossa html.parser extractor"

BOILERPLATE = frozenset(
    {
        "advertisement",
        "article ad box",
        "ad",
        "ads",
        "sponsored",
        "sponsored content",
        "story continues below advertisement",
        "skip to content",
        "skip to main content",
        "continue reading",
        "read more",
        "share this article",
        "share",
    }
)
"""Whole lines (case-insensitive, trailing punctuation ignored) that are never article text."""

_SKIP = frozenset(
    (
        "script style noscript template nav footer aside form button select svg iframe figure head"
    ).split()
)
"""Elements whose text is never article text (``header`` too, outside ``<article>``)."""
_BLOCKS = frozenset(
    (
        "p h1 h2 h3 h4 h5 h6 li blockquote pre div section article main ul ol table tr td th "
        "dd dt br hr header"
    ).split()
)
"""Elements that end one block of text and start another."""
_PRUNE = ["//nav", "//footer", "//aside", "//form", "//header[not(ancestor::article)]"]
"""What trafilatura leaves out too, whatever its heuristics think of a short page."""
_VOID = frozenset("br hr img meta link input source wbr area col".split())
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space; U+00A0 is text
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read(path: Path, report: ReadReport | None = None) -> Iterator[DocumentRecord]:
    """Yield the one document of a saved page, or raise ``InputError`` naming the file."""
    source = str(path)
    data = read_file(path, MAX_DOCUMENT_BYTES)
    page = decode_page(data, source)
    if "\x00" in page:
        raise InputError("binary data (NUL character), not a web page", source=source)
    if not page.strip():
        raise InputError("the page is empty", source=source)
    meta, body, extractor = extract(page)
    if report is not None:
        report.extractor = extractor
        _, broken = trafilatura_module()
        if broken:  # installed, so the user expects it: say why it did not run
            report.warn(f"trafilatura is installed but does not load ({broken})", source)
    if not body:
        raise InputError("no article text found in the page", source=source)
    title = meta.get("title") or first_line_title(body)
    if not body.startswith(title):
        body = f"{title}\n\n{body}"
    text = canonical_text(body, source)
    if report is not None:
        report.documents += 1
    yield DocumentRecord(
        id=path.stem,
        text=text,
        meta={**meta, "title": title, "file": path.name, "extractor": extractor},
        source=source,
    )


def decode_page(data: bytes, source: str = "") -> str:
    """The page as text: by its byte order mark, its declared charset, else UTF-8.

    A page that declares UTF-16 or UTF-32 without a byte order mark is read as UTF-8, as
    browsers do: the declaration itself was readable as ASCII.
    """
    by_bom = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    encoding = by_bom or "utf-8"
    if by_bom is None:
        if b"\x00" in data:
            raise InputError("binary data (NUL byte), not a web page", source=source)
        declared = _CHARSET.search(data[:4096])
        if declared is not None:
            encoding = declared.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(encoding)
        if not getattr(codec, "_is_text_encoding", True):  # base64, rot13: not a charset
            raise LookupError(encoding)
    except LookupError:
        raise InputError(
            f"the page declares an unknown encoding {encoding!r}", source=source
        ) from None
    name = codec.name
    if by_bom is None and name.startswith(("utf-16", "utf-32")):
        name = "utf-8"  # declared, yet the declaration was readable as ASCII
    try:
        return data.decode("utf-8-sig" if name == "utf-8" else name)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {name} (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            source=source,
        ) from None


def extract(page: str) -> tuple[dict[str, str], str, str]:
    """``(metadata, article text, extractor name)`` of a decoded page."""
    parser = _PageParser()
    parser.feed(page)
    parser.close()
    meta = parser.metadata()
    found = _trafilatura(page)
    if found is None:
        body, extractor = parser.article_text(), FALLBACK_EXTRACTOR
    else:
        extra, text, extractor = found
        for key, value in extra.items():
            meta.setdefault(key, value)
        body = _clean_blocks(text.split("\n"))
    title = meta.get("title", "")
    if title:
        body = _without_leading(body, title)
    author = meta.get("author", "")
    if author:
        body = "\n\n".join(b for b in body.split("\n\n") if not _is_byline(b, author))
    return meta, body, extractor


@functools.cache
def trafilatura_module() -> tuple[Any, str]:
    """``(trafilatura, "")`` when it loads; ``(None, why)`` when it is installed but does not
    load (a dependency missing); ``(None, "")`` when it is not installed."""
    try:
        import trafilatura  # optional: the html extra
    except ImportError as exc:
        if importlib.util.find_spec("trafilatura") is None:
            return None, ""
        return None, " ".join(str(exc).split()) or type(exc).__name__
    return trafilatura, ""


def _trafilatura(page: str) -> tuple[dict[str, str], str, str] | None:
    """Metadata and text by trafilatura, or None when it is not installed or finds nothing."""
    trafilatura, _ = trafilatura_module()
    if trafilatura is None:
        return None
    try:
        document: Any = trafilatura.bare_extraction(
            page,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            prune_xpath=_PRUNE,
        )
    except Exception:  # a third-party parser on any page: the standard library takes over
        return None
    if document is None or not getattr(document, "text", None):
        return None
    meta = {
        key: str(value)
        for key in ("title", "author", "date", "url")
        if (value := getattr(document, key, None))
    }
    version = getattr(trafilatura, "__version__", "")
    return meta, str(document.text), f"trafilatura {version}".strip()


def _is_boilerplate(block: str) -> bool:
    return block.strip().rstrip(".:!…").strip().casefold() in BOILERPLATE


def _is_byline(block: str, author: str) -> bool:
    """A short block ``By AUTHOR ...`` that only repeats the metadata."""
    folded = block.casefold()
    return len(block) < 200 and folded.startswith("by ") and author.casefold() in folded


def _clean_blocks(blocks: list[str]) -> str:
    """Collapse white space in blocks, drop empty and boilerplate ones, join with blank lines."""
    kept = [_SPACE.sub(" ", block).strip() for block in blocks]
    return "\n\n".join(block for block in kept if block and not _is_boilerplate(block))


def _without_leading(body: str, title: str) -> str:
    """The body without a first block that repeats the title (the title line is added back)."""
    first, _, rest = body.partition("\n\n")
    return rest if first.strip() == title.strip() else body


class _PageParser(HTMLParser):
    """Collects the metadata tags and the text blocks of a page in one pass."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.title_parts: list[str] = []
        self.in_title = False
        self.author_link: list[str] | None = None
        self.author_link_text = ""
        self.first_time = ""
        self.stack: list[tuple[str, str]] = []
        """Open elements: (tag, "skip" when it starts a skipped region, else "text")."""
        self.skipping = 0
        self.article_depth = 0
        self.seen_article = False
        self.paragraph_depth = 0
        self.block: list[str] = []
        self.block_in_article = False
        self.block_in_paragraph = False
        self.article_blocks: list[str] = []
        self.paragraph_blocks: list[str] = []

    # -- tags --------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "meta":
            self._meta(values)
        elif tag == "link":
            if "canonical" in values.get("rel", "").lower().split():
                self.meta.setdefault("canonical", []).append(values.get("href", ""))
        elif tag == "title":
            self.in_title = not self.skipping or any(t == "head" for t, _ in self.stack)
        elif tag in _VOID:
            if tag in _BLOCKS:
                self._flush()
        else:
            self._open(tag, values)

    def _open(self, tag: str, values: dict[str, str]) -> None:
        if tag == "time" and values.get("datetime") and not self.first_time:
            self.first_time = values["datetime"]
        if tag == "a" and "author" in values.get("rel", "").lower().split():
            self.author_link = []
        if tag in ("p", "li") and self.stack and self.stack[-1][0] == tag:
            self.handle_endtag(tag)  # an omitted end tag: <p>one<p>two
        if self.skipping:
            self.stack.append((tag, "text"))
            return
        if tag in _SKIP or (tag == "header" and not self.article_depth):
            self._flush()
            self.stack.append((tag, "skip"))
            self.skipping += 1
            return
        self.stack.append((tag, "text"))
        if tag in _BLOCKS:
            self._flush()
        if tag == "article":
            self.article_depth += 1
            self.seen_article = True
        elif tag == "p":
            self.paragraph_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if tag == "a" and self.author_link is not None:
            if not self.author_link_text:
                self.author_link_text = " ".join("".join(self.author_link).split())
            self.author_link = None
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return
        while self.stack:  # close what is left open inside, as browsers do
            open_tag, kind = self.stack.pop()
            self._close(open_tag, kind)
            if open_tag == tag:
                break

    def _close(self, tag: str, kind: str) -> None:
        if kind == "skip":
            self.skipping -= 1
            return
        if self.skipping:
            return
        if tag in _BLOCKS:
            self._flush()
        if tag == "article":
            self.article_depth -= 1
        elif tag == "p":
            self.paragraph_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.author_link is not None:
            self.author_link.append(data)
        if self.skipping:
            return
        if not self.block:
            self.block_in_article = self.article_depth > 0
            self.block_in_paragraph = self.paragraph_depth > 0
        self.block.append(data)

    def _meta(self, values: dict[str, str]) -> None:
        key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
        content = values.get("content", "").strip()
        if key and content:
            self.meta.setdefault(key, []).append(content)

    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.block)).strip()
        self.block = []
        if not text:
            return
        if self.block_in_article:
            self.article_blocks.append(text)
        if self.block_in_paragraph:
            self.paragraph_blocks.append(text)

    # -- results -----------------------------------------------------------------

    def article_text(self) -> str:
        """The blocks of ``<article>`` if the page has one, else those of ``<p>`` elements."""
        self._flush()
        return _clean_blocks(self.article_blocks if self.seen_article else self.paragraph_blocks)

    def metadata(self) -> dict[str, str]:
        """Title, author, date and URL, as far as the page's tags state them."""

        def first(*keys: str) -> str:
            for key in keys:
                for value in self.meta.get(key, ()):
                    if value.strip():
                        return " ".join(value.split())
            return ""

        title = first("og:title", "twitter:title") or " ".join("".join(self.title_parts).split())
        authors = [" ".join(a.split()) for a in self.meta.get("author", []) if a.strip()]
        author = ", ".join(dict.fromkeys(authors))
        if not author:
            linked = first("article:author")
            author = "" if "://" in linked else linked
        author = author or self.author_link_text
        date = (
            first("article:published_time", "datepublished", "date", "pubdate", "publishdate")
            or self.first_time
        )
        url = first("canonical", "og:url")
        found = {"title": title, "author": author, "date": date, "url": url}
        return {key: value for key, value in found.items() if value}
