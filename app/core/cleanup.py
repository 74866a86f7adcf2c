"""Clean-up of a scraped article before import, with every change named so it can be shown.

Scraped text carries the page around the article: ad placeholders ("ARTICLE AD BOX"), share
and subscribe lines, cookie notices, image credits, menus, and a byline and dates glued to the
lede ("…Updated: FEBRUARY 3, 2025 13:54Terror group Hamas…"). ``clean_article`` removes what
is not article text, reads the author, publisher and dates into metadata, takes the title from
the real headline (the first substantial line that is not boilerplate, byline or date), and
turns line breaks between sentences into paragraph breaks. It never joins two words and never
raises. Each removed or changed line range comes with a reason, for a before/after preview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from app.core.dates import PREFIX, FoundDate, find_date, read_date

_AD = re.compile(
    r"(article )?ad( box)?|ads?|advert(isement)?s?|sponsored( content)?|"
    r"(story|article) continues (below|after) (this )?(advertisement|ad)|"
    r"continue reading (below|the main story)|paid (post|content)|promoted( content)?",
    re.I,
)
_SHARE = re.compile(
    r"(share|share this( article| story| page)?|share on \w+|tweet|e-?mail|print|copy link|"
    r"save( article)?|comments?( \(\d+\))?|listen( to this article)?|\d+ min(ute)? read|"
    r"skip to (main )?content|back to top|follow( us)?( on \w+)?|"
    r"(subscribe|sign up|register|log ?in)( (now|today|here|for free))?|"
    r"(read|see) more|more on this story|related( (articles|stories|topics))?|"
    r"(top|most read|latest) stories|(watch|play)( video)?|(image|photo|video) \d+ of \d+)"
    r"[.:!…]*",
    re.I,
)
_PROMPT = re.compile(
    r"^((sign up|subscribe|register)\b.*\b(newsletter|inbox|free|account|updates?)|"
    r"(read more|see also|related|watch|listen|also read|recommended)\s*[:|›»-].*|"
    r"(get|download) (the|our) .*\bapp\b.*|follow .* on (twitter|x|facebook|instagram).*|"
    r"click here\b.*|(copyright|©) .*all rights reserved.*)$",
    re.I,
)
_COOKIE = re.compile(
    r"\b(we|site|website|page) uses? cookies\b|\bcookies?\b.*\b(consent|settings|preferences|"
    r"privacy|policy|agree)\b|\b(accept|consent|manage|allow|reject)( all)?( the)? cookies\b",
    re.I,
)
_IMAGE = re.compile(
    r"^((image|photo|picture|video) (source|caption|credit)s?|(photo|image|picture)s?|credit|"
    r"source)\s*[,:]|getty images|\b(afp|reuters|ap|epa|anadolu|xinhua)( photo)?/|"
    r"\bvia getty\b|^\(?(photo|image|credit):",
    re.I,
)
_BYLINE = re.compile(r"(by|written by|words by|reporting by|author:?)\s+", re.I)
_STAFF = re.compile(r"^(?P<outlet>.+?)\s+(staff|staff writers?|newsroom|reporters?|desk)$", re.I)
_AGENCIES = re.compile(
    r"^(reuters|associated press|ap|afp|agence france-presse|bloomberg|dpa|upi|pa media|"
    r"bbc news|cnn|the \w+( \w+)?|.*\b(news|times|post|press|herald|tribune|journal|"
    r"guardian|telegraph|gazette|agency|media|online|daily)\b.*)$",
    re.I,
)
_ROLE = re.compile(
    r"\b(correspondent|reporter|editor|writer|journalist|producer|columnist|contributor|"
    r"staff|analyst)s?\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_SENTENCE_START = re.compile(r"^[\"'“‘«(\[]?[A-Z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]")
_SEPARATORS = " \t|,·•–—-:"
_MAX_SHORT = 12
"""Lines of more words than this are article text, whatever words they start with."""


@dataclass(frozen=True)
class Change:
    """Lines ``first``–``last`` (1-based, of the text as given) removed or changed."""

    first: int
    last: int
    reason: str
    before: str
    after: str = ""
    """What the lines became; empty when they were removed."""


@dataclass(frozen=True)
class Cleanup:
    """The cleaned text, the metadata read from the page, and every change made."""

    text: str
    title: str
    meta: dict[str, str] = field(default_factory=dict)
    """``author``, ``publisher``, ``date`` (ISO 8601), ``updated``; ``date_text`` when a date
    could not be read with certainty ("03/02/2025", "Published 3 hours ago")."""
    changes: tuple[Change, ...] = ()

    @property
    def changed(self) -> bool:
        """True when the clean-up changed anything."""
        return bool(self.changes)


@dataclass
class _Line:
    number: int
    text: str
    keep: bool = True
    reason: str = ""
    after: str = ""


def clean_article(text: str) -> Cleanup:
    """Clean a scraped article (plain text, ``\\n`` line ends); see the module's docstring."""
    lines = [_Line(n, line) for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1)]
    meta: dict[str, str] = {}
    counts: dict[str, int] = {}
    for line in lines:
        folded = " ".join(line.text.split()).casefold()
        if folded and len(folded.split()) <= 8:
            counts[folded] = counts.get(folded, 0) + 1
    for line in lines:
        _classify(line, meta, counts)
    _menus(lines)
    _name_and_role(lines, meta)
    _links_after(lines)
    title_line = next((line for line in lines if line.keep and _substantial(line.text)), None)
    title = " ".join(title_line.text.split()) if title_line else ""
    for line in lines:
        if title_line is None or line.number >= title_line.number or not line.keep:
            continue
        if line.text.strip():
            line.keep, line.reason = False, "before the headline (section or site name)"
    if title_line is not None:
        for line in lines:
            same = " ".join(line.text.split()) == title
            if line.keep and line.number > title_line.number and same:
                line.keep, line.reason = False, "headline repeated"
    body = _paragraphs([line for line in lines if line.keep and line is not title_line])
    cleaned = f"{title}\n\n{body}" if title and body else title or body
    if text.endswith("\n") and cleaned:
        cleaned += "\n"
    return Cleanup(cleaned, title, meta, _changes(lines, title_line))


def _classify(line: _Line, meta: dict[str, str], counts: dict[str, int]) -> None:
    """Mark a line as boilerplate, byline or date (reading what it holds), or keep it."""
    stripped = " ".join(line.text.split())
    if not stripped:
        return
    words = len(stripped.split())
    bare = stripped.strip(" .:!…|·•-–—*#>")
    reason = ""
    if _AD.fullmatch(bare):
        reason = "advertisement placeholder"
    elif (words <= _MAX_SHORT and _SHARE.fullmatch(bare)) or (words <= 20 and _PROMPT.match(bare)):
        reason = "share, subscribe or read-more line"
    elif words <= 40 and _COOKIE.search(stripped):
        reason = "cookie notice"
    elif words <= _MAX_SHORT and _IMAGE.search(stripped):
        reason = "image credit or caption"
    elif counts.get(stripped.casefold(), 0) > 1 and words <= 4 and not _SENTENCE_END.search(bare):
        reason = "repeated navigation line"
    if reason:
        line.keep, line.reason = False, reason
        return
    rest = _byline(stripped, meta)
    if rest is None:
        rest = _dates(stripped, meta)
    if rest is None:
        return
    if rest:
        line.reason, line.after = "byline or date split from the lede", rest
    else:
        line.keep, line.reason = False, "byline or date (read into the metadata)"


def _byline(text: str, meta: dict[str, str]) -> str | None:
    """What follows a byline ("By NAME, date …") once it is read, or None when it is none."""
    match = _BYLINE.match(text)
    if match is None:
        return None
    date = find_date(text, match.end())
    name_end = date.start if date else len(text)
    name = text[match.end() : name_end].strip(_SEPARATORS)
    if date is None and (len(text) > 100 or _SENTENCE_END.search(text)):
        return None  # "By the end of the week, …" is a sentence
    if not name or len(name.split()) > 8 or (date is None and not name[:1].isupper()):
        return None
    names = [part.strip() for part in re.split(r"\s*[|·•]\s*|\s+-\s+", name) if part.strip()]
    author = names[0] if names else name
    meta.setdefault("author", author)
    outlet = _STAFF.match(author)
    if outlet:
        meta.setdefault("publisher", outlet.group("outlet").strip().title())
    for extra in names[1:]:
        if _AGENCIES.match(extra) or len(extra.split()) <= 4:
            meta.setdefault("publisher", extra)
    if date is None:
        return ""
    rest = _dates(text[date.start :], meta)
    return text[date.start :] if rest is None else rest


def _dates(text: str, meta: dict[str, str]) -> str | None:
    """Read the dates (with their prefixes) a line starts with; the text after them, or None
    when the line does not start with a date, or a date without a prefix starts a sentence."""
    position, prefixed, last_end = 0, False, 0
    found: list[tuple[str, FoundDate]] = []
    while True:
        while position < len(text) and text[position] in _SEPARATORS:
            position += 1
        kind = "date"
        prefix = PREFIX.match(text, position)
        at = position
        if prefix is not None:
            label = prefix.group("prefix").lower()
            kind = "updated" if label in ("updated", "last updated", "last modified") else "date"
            at = prefix.end()
        date = read_date(text, at)
        if date is None:
            break
        prefixed = prefixed or prefix is not None
        found.append((kind, date))
        position = last_end = date.end
    if not found:
        return None
    rest = text[last_end:].strip(_SEPARATORS)
    glued = last_end < len(text) and text[last_end].isalpha()
    if rest and not (prefixed or glued):
        return None  # "3 February 2025 was the day …" starts a sentence
    for kind, date in found:
        _remember(meta, kind, date)
    return rest


def _remember(meta: dict[str, str], kind: str, date: FoundDate) -> None:
    if date.iso:
        if kind == "updated":
            meta.setdefault("updated", date.iso)
        else:
            meta.setdefault("date", date.iso)
    else:
        meta.setdefault("date_text", date.text.strip())


def _menus(lines: list[_Line]) -> None:
    """Runs of three or more short lines that end no sentence, before any sentence: a menu."""
    run: list[_Line] = []
    for line in [*lines, _Line(0, "A sentence ends here.")]:
        stripped = line.text.strip()
        if not stripped:
            continue
        if not line.keep:
            continue
        short = len(stripped.split()) <= 3 and not _SENTENCE_END.search(stripped)
        if short:
            run.append(line)
            continue
        if len(run) >= 3:
            for item in run:
                item.keep, item.reason = False, "navigation menu"
        run = []
        if _SENTENCE_END.search(stripped):
            return


def _links_after(lines: list[_Line]) -> None:
    """Short lines that end no sentence after the article's last sentence: topic links."""
    for line in reversed(lines):
        stripped = " ".join(line.text.split())
        if not line.keep or not stripped:
            continue
        if _SENTENCE_END.search(stripped) or len(stripped.split()) > 4:
            return
        line.keep, line.reason = False, "links after the article"


def _name_and_role(lines: list[_Line], meta: dict[str, str]) -> None:
    """A name on its own line above a role ("Transport correspondent"): a byline without "By"."""
    kept = [line for line in lines if line.keep and line.text.strip()]
    for name, role in pairwise(kept):
        name_text, role_text = " ".join(name.text.split()), " ".join(role.text.split())
        words = name_text.split()
        if not (2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)):
            continue
        if len(role_text.split()) <= 6 and _ROLE.search(role_text):
            meta.setdefault("author", name_text)
            for line in (name, role):
                line.keep, line.reason = False, "byline (read into the metadata)"
            return


def _substantial(text: str) -> bool:
    """A headline has three words or more and is not one long paragraph."""
    words = text.split()
    return 3 <= len(words) <= 40 and len(text.strip()) >= 12


def _paragraphs(lines: list[_Line]) -> str:
    """Kept lines as paragraphs: a line break between two sentences becomes a blank line."""
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        text = (line.after or line.text).strip()
        if not text:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if not current:
            current = text
        elif _SENTENCE_START.match(text) and (_SENTENCE_END.search(current) or _heading(current)):
            paragraphs.append(current)
            current = text
        else:
            current = f"{current}\n{text}"  # a line inside a sentence stays a line: no join
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _heading(paragraph: str) -> bool:
    """A paragraph of one short line, capitalised, without a comma, a quote or a sentence's
    end, before a line that starts a sentence: a subheading."""
    return (
        "\n" not in paragraph
        and len(paragraph.split()) <= 8
        and paragraph[:1].isupper()
        and not _SENTENCE_END.search(paragraph)
        and not any(mark in paragraph for mark in ",\"“”'")
    )


def _changes(lines: list[_Line], title_line: _Line | None) -> tuple[Change, ...]:
    """Removed and changed lines, consecutive ones with the same reason as one range."""
    changes: list[Change] = []
    for line in lines:
        if line.keep and not line.after:
            continue
        if line.keep and line is title_line:
            continue
        previous = changes[-1] if changes else None
        if (
            previous is not None
            and not line.after
            and not previous.after
            and previous.reason == line.reason
            and previous.last == line.number - 1
        ):
            changes[-1] = Change(
                previous.first, line.number, line.reason, f"{previous.before}\n{line.text}"
            )
            continue
        changes.append(Change(line.number, line.number, line.reason, line.text, line.after))
    return tuple(changes)
