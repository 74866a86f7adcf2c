"""Dates as scraped news pages print them, read into ISO 8601 where that is certain.

"February 3, 2025", "3 February 2025", "FEBRUARY 3, 2025 13:54", "Mon 3 Feb 2025",
"2025-02-03" and "2025-02-03T13:54" read as ISO dates (with the time when one is given).
"03/02/2025" is either day or month first: it reads as a date only when one of the two
numbers is above 12, else it stays text, as does "Published 3 hours ago".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = (
    r"(?:,?\s*(?:at\s+)?(?P<hour>\d{1,2})[:.h](?P<minute>\d\d)"
    r"(?:\s*(?P<half>[ap]\.?m\.?)(?![a-z]))?"
    r"(?:\s*(?P<zone>GMT|UTC|BST|CET|CEST|EST|EDT|ET|PT|IST)\b)?)?"
)
_FORMS = (
    _WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR,
    _WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR,
    r"(?P<iso_year>\d{4})-(?P<iso_month>\d\d)-(?P<iso_day>\d\d)"
    r"(?:[T ](?P<iso_hour>\d\d):(?P<iso_minute>\d\d)(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?",
    r"(?P<first>\d{1,2})[/.](?P<second>\d{1,2})[/.](?P<slash_year>(?:19|20)\d\d)",
)
DATES = tuple(re.compile(form + _TIME, re.I) for form in _FORMS)
"""The printed forms of a date (each with the time after it, when there is one)."""
RELATIVE = re.compile(
    r"(?:\d+|an?|one)\s+(?:second|sec|minute|min|hour|hr|day|week|month|year)s?\s+ago", re.I
)
"""A date relative to when the page was saved: kept as text, never turned into a date."""
PREFIX = re.compile(
    r"(?P<prefix>first published|published|last updated|last modified|updated|posted|date)"
    r"(?:\s+on)?\s*[:\-–—]?\s*",
    re.I,
)
"""Words that say a date follows, and what kind of date it is."""


@dataclass(frozen=True)
class FoundDate:
    """A date read from text: ``iso`` when certain, else empty and ``text`` only."""

    text: str
    iso: str
    start: int
    end: int


def read_date(text: str, at: int = 0) -> FoundDate | None:
    """The date (or relative date) that starts exactly at ``at`` in ``text``, or None."""
    for pattern in DATES:
        match = pattern.match(text, at)
        if match is not None:
            return FoundDate(match.group(), _iso(match), match.start(), match.end())
    relative = RELATIVE.match(text, at)
    if relative is None:
        return None
    return FoundDate(relative.group(), "", relative.start(), relative.end())


def find_date(text: str, at: int = 0) -> FoundDate | None:
    """The first date (or relative date) in ``text`` from ``at`` on, or None."""
    found: list[re.Match[str]] = [
        match for pattern in (*DATES, RELATIVE) if (match := pattern.search(text, at))
    ]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    return read_date(text, first.start())


def _iso(match: re.Match[str]) -> str:
    """The ISO 8601 form of a matched date, or empty when it is not certain."""
    groups = match.groupdict()

    def group(name: str) -> str:
        return groups.get(name) or ""

    if group("iso_year"):
        year, month, day = int(group("iso_year")), int(group("iso_month")), int(group("iso_day"))
        hour, minute = group("iso_hour"), group("iso_minute")
    elif group("slash_year"):
        first, second = int(group("first")), int(group("second"))
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            month, day = first, second
        else:
            return ""  # 03/02/2025: the 3rd of February or the 2nd of March
        year, hour, minute = int(group("slash_year")), group("hour"), group("minute")
    else:
        month = _MONTHS[str(group("month")).lower().rstrip(".")]
        year, day = int(group("year")), int(group("day"))
        hour, minute = group("hour"), group("minute")
    if not (1 <= month <= 12 and 1 <= day <= _days_in(year, month)):
        return ""
    date = f"{year:04d}-{month:02d}-{day:02d}"
    if not hour or not minute:
        return date
    hours, minutes = int(hour), int(minute)
    half = (group("half") or "").lower().replace(".", "")
    if half == "pm" and hours < 12:
        hours += 12
    elif half == "am" and hours == 12:
        hours = 0
    if hours > 23 or minutes > 59:
        return date
    return f"{date}T{hours:02d}:{minutes:02d}"


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31
