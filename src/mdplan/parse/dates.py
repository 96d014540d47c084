"""Calendar dates in plan tables, and the working days between them.

Dates are written ``2026-03-02``, ``2026/03/02``, ``02.03.2026``, ``Mar 2``, ``2 Mar``,
``March 2, 2026``, ``2 March 2026`` (month names as data: ``MONTHS``). A Start/End pair
lasts its working days (Monday to Friday), both ends included. A date written without a year
takes the year the table writes elsewhere; where no cell has one, the year (from
``FIRST_YEAR`` on) that puts most of the table's dates on working days, since plans schedule
work on working days. Nothing here reads the clock, so a plan reads the same every year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from mdplan.model import patterns

FIRST_YEAR = 2024
_YEARS = range(FIRST_YEAR, FIRST_YEAR + 11)  # every weekday alignment, leap years included

# month name or abbreviation (lower case, without a trailing dot) -> month number
MONTHS: Mapping[str, int] = {
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
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_NUMERIC = patterns.compile(
    r"^(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})$|^(?P<d2>\d{1,2})\.(?P<m2>\d{1,2})\.(?P<y2>\d{4})$"
)
_NAMED = patterns.compile(
    rf"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month2>{_MONTH})\.?)"
    rf"(?:,?\s+(?P<year>\d{{4}}))?$",
    re.IGNORECASE,
)

YearlessDate = tuple[int | None, int, int]  # (year or None, month, day)


def read_date(text: str) -> YearlessDate | None:
    """The date ``text`` is, its year None where none is written."""
    plain = text.strip().strip("*_`").strip()
    numeric = _NUMERIC.match(plain)
    if numeric:
        year, month, day = (
            (numeric["y"], numeric["m"], numeric["d"]) if numeric["y"] else numeric.group("y2", "m2", "d2")
        )
        return int(year), int(month), int(day)
    named = _NAMED.match(plain)
    if named is None:
        return None
    month = MONTHS[(named["month"] or named["month2"]).lower()]
    day = int(named["day"] or named["day2"])
    return (int(named["year"]) if named["year"] else None), month, day


def year_of(dates: Iterable[YearlessDate]) -> int:
    """The year for dates written without one: the first year written, else the year that puts
    the most of them on working days (the earliest such year from ``FIRST_YEAR``)."""
    listed = list(dates)
    written = [year for year, _, _ in listed if year is not None]
    if written:
        return written[0]
    return max(_YEARS, key=lambda year: (sum(_on_working_day(year, m, d) for _, m, d in listed), -year))


def to_date(written: YearlessDate, year: int) -> date | None:
    """The calendar date, or None where there is no such day (``Feb 30``)."""
    try:
        return date(written[0] or year, written[1], written[2])
    except ValueError:
        return None


def working_days(start: date, end: date) -> int:
    """Monday to Friday from ``start`` to ``end``, both included (0 when ``end`` is earlier)."""
    days = (end - start).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    extra = sum((start + timedelta(days=offset)).weekday() < 5 for offset in range(rest))
    return weeks * 5 + extra


def _on_working_day(year: int, month: int, day: int) -> bool:
    found = to_date((year, month, day), year)
    return found is not None and found.weekday() < 5
