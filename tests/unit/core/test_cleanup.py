"""Clean-up of scraped articles: hand-made pages in the shapes scrapers produce, and properties."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.cleanup import clean_article
from app.core.dates import find_date, read_date

SCRAPED = Path(__file__).resolve().parents[2] / "data" / "scraped"
BOILERPLATE_LINES = (
    "ARTICLE AD BOX",
    "Advertisement",
    "ADVERTISEMENT",
    "Share",
    "Share this article",
    "Subscribe to our newsletter",
    "Read more: Baltic ports brace for record container traffic",
    "Image source, Getty Images",
    "Skip to content",
    "Story continues below advertisement",
    "Photo: Julian Stratenschulte/AFP via Getty Images",
    "We use cookies to improve your experience. By continuing you accept our use of cookies.",
)


def _scraped(name: str) -> str:
    return (SCRAPED / name).read_text(encoding="utf-8")


def test_a_glued_byline_and_dates_are_read_and_split_from_the_lede() -> None:
    found = clean_article(_scraped("daily-glued-byline.txt"))
    assert found.title == "Port strike ends after unions accept 9% pay offer"
    assert found.meta["author"] == "MARTA KOWALCZYK"
    assert found.meta["date"] == "2025-02-12T08:15"
    assert found.meta["updated"] == "2025-02-12T09:02"
    first, _, rest = found.text.partition("\n\n")
    assert first == found.title
    assert rest.startswith("Dock workers at the port of Gdańsk returned to work")
    (split,) = [c for c in found.changes if c.after]
    assert (split.first, split.reason) == (3, "byline or date split from the lede")
    assert split.after.startswith("Dock workers")


def test_the_title_is_the_headline_not_the_first_line() -> None:
    found = clean_article(_scraped("broadcaster-bridge-closure.txt"))
    assert found.title == "River Avon crossing to shut for eight months as repairs begin"
    assert found.meta == {"date": "2025-02-03", "author": "Priya Raman"}
    assert found.text.startswith(found.title + "\n\nThe main road bridge")
    # the subheading stays, the topic links after the article go
    assert "\n\nDiversions\n\nDrivers will be sent" in found.text
    assert found.text.rstrip().endswith("diversion routes in March.")
    reasons = {c.reason for c in found.changes}
    assert {"navigation menu", "image credit or caption", "advertisement placeholder"} <= reasons


def test_prefixed_dates_publisher_and_wrapped_lines() -> None:
    found = clean_article(_scraped("wire-wrapped-lines.txt"))
    assert found.meta == {
        "date": "2025-02-03",
        "updated": "2025-02-03T14:20",
        "author": "Lena Vogt",
        "publisher": "Reuters",
    }
    assert found.title == "Flood defences hold as river peaks in Lower Saxony"
    # a line break inside a sentence stays a line break: words are never joined
    assert "officials said on\nMonday, and about 1,200" in found.text
    assert '"The walls did exactly what they were built to do," state premier\nStephan' in (
        found.text
    )
    assert "\n\nThe state environment ministry said" in found.text


def test_relative_and_ambiguous_dates_stay_text() -> None:
    found = clean_article(_scraped("local-relative-dates.txt"))
    assert found.meta.get("date") is None
    assert found.meta["date_text"] == "3 hours ago"
    assert found.meta["author"] == "Sam Whitfield"
    assert found.title == "Village school saved after parents raise £40,000"
    assert "03/02/2025" not in found.text
    assert found.text.endswith("auction of donated paintings.\n")


@pytest.mark.parametrize("name", sorted(p.name for p in SCRAPED.glob("*.txt")))
def test_no_boilerplate_is_left_and_every_line_of_text_is_kept(name: str) -> None:
    raw = _scraped(name)
    found = clean_article(raw)
    for line in BOILERPLATE_LINES:
        assert line not in found.text.split("\n")
    removed = {c.first for c in found.changes if not c.after}
    for change in found.changes:
        assert change.reason and change.before
    for number, line in enumerate(raw.split("\n"), 1):
        if line.rstrip().endswith(".") and len(line.split()) > 12 and number not in removed:
            assert line in found.text or any(line == c.before for c in found.changes)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("February 3, 2025", "2025-02-03"),
        ("3 February 2025", "2025-02-03"),
        ("FEBRUARY 3, 2025 13:54", "2025-02-03T13:54"),
        ("2025-02-03", "2025-02-03"),
        ("Mon 3 Feb 2025 4.30pm GMT", "2025-02-03T16:30"),
        ("25/02/2025", "2025-02-25"),
        ("03/02/2025", ""),
        ("3 hours ago", ""),
        ("February 30, 2025", ""),
    ],
)
def test_dates(text: str, iso: str) -> None:
    found = read_date(text)
    assert found is not None and found.iso == iso and found.text == text


def test_a_date_found_inside_a_line() -> None:
    found = find_date("By Ann Lee, Updated: FEBRUARY 3, 2025 13:54Terror group")
    assert found is not None and found.text == "FEBRUARY 3, 2025 13:54"


@pytest.mark.parametrize(
    "line",
    [
        "Updated: FEBRUARY 3, 2025 13:54",
        "Published: 3 February 2025",
        "Last modified on 2025-02-03",
        "Published 3 hours ago",
    ],
)
def test_date_lines_with_prefixes_are_removed(line: str) -> None:
    found = clean_article(f"A headline about the harbour\n{line}\nThe harbour opened today.\n")
    assert found.text == "A headline about the harbour\n\nThe harbour opened today.\n"


def test_sentences_that_start_with_a_date_or_by_stay() -> None:
    text = (
        "A headline about the harbour\n"
        "The bakery sold cookies to use up the flour.\n"
        "Accept all cookies\n"
        "3 February 2025 was the day the harbour opened.\n"
        "By the end of the week, ferries were running.\n"
    )
    found = clean_article(text)
    assert "3 February 2025 was the day" in found.text
    assert "By the end of the week" in found.text
    assert "The bakery sold cookies to use up the flour." in found.text
    assert "Accept all cookies" not in found.text
    assert "author" not in found.meta and "date" not in found.meta


_LINES = st.sampled_from(
    [
        "ARTICLE AD BOX",
        "Share",
        "By Ann Lee | Reuters",
        "Updated: FEBRUARY 3, 2025 13:54Terror group Hamas said",
        "Home",
        "03/02/2025",
        "",
        "The harbour opened on Monday.",
        "the river rose",
        "Image source, Getty Images",
    ]
)


@given(st.lists(st.one_of(_LINES, st.text(max_size=40)), max_size=20))
def test_any_text_is_cleaned_without_joining_words(lines: list[str]) -> None:
    raw = "\n".join(lines)
    found = clean_article(raw)
    assert isinstance(found.text, str) and isinstance(found.title, str)
    for word in found.text.split():
        assert word in raw  # no word is made of two joined ones
    for change in found.changes:
        assert 1 <= change.first <= change.last
