"""Units per language, dates and windows: the data tables and the small functions over them."""

from __future__ import annotations

from datetime import date

import pytest

from mdplan.parse import dates, durations
from mdplan.parse.durations import LANGUAGES, UNIT_LENGTHS, Language, find_durations, parse_duration
from mdplan.parse.refs import hour_window

SPEC_LANGUAGES = ("en", "fr", "de", "es", "pt", "it", "nl", "ja", "zh", "ko", "ru", "vi")


@pytest.mark.parametrize("name", SPEC_LANGUAGES)
def test_every_language_writes_every_unit(name: str) -> None:
    assert set(LANGUAGES[name].units) == set(UNIT_LENGTHS)


def test_a_spelling_two_languages_share_must_mean_the_same() -> None:
    clash = {"en": LANGUAGES["en"], "xx": Language({"day": ("min",)})}
    with pytest.raises(ValueError, match="'min'"):
        durations._spellings(clash)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("3 jours", 1440), ("2 Tage", 960), ("4 Std", 240), ("0,5", None), ("0.5 天", 240), ("5分", 5), ("2j", 960)],
)
def test_one_duration(text: str, minutes: float | None) -> None:
    found = parse_duration(text)
    assert (found.low if found else None) == minutes


def test_a_one_letter_unit_is_no_word() -> None:
    assert find_durations("j'ai 2 j de retard") == []


def test_working_days_include_both_ends_and_skip_weekends() -> None:
    monday = date(2026, 3, 2)
    assert dates.working_days(monday, date(2026, 3, 6)) == 5
    assert dates.working_days(monday, date(2026, 3, 9)) == 6
    assert dates.working_days(date(2026, 3, 7), date(2026, 3, 8)) == 0
    assert dates.working_days(date(2026, 3, 6), monday) == 0


def test_dates_without_a_year_take_the_written_one_else_working_days() -> None:
    assert dates.read_date("Mar 2") == (None, 3, 2)
    assert dates.read_date("2 March 2026") == (2026, 3, 2)
    assert dates.year_of([(None, 3, 2), (2027, 3, 5)]) == 2027
    year = dates.year_of([(None, 3, 2), (None, 3, 9), (None, 3, 16)])
    assert all(date(year, 3, d).weekday() < 5 for d in (2, 9, 16))


def test_hour_windows_count_8_hour_days() -> None:
    assert hour_window("D1 Hr 2 – D1 Hr 4") == (120, 240)
    assert hour_window("Day 2 Hr 6 - Day 3 Hr 2") == (840, 1080)
    assert hour_window("D2 Hr 4 – D1 Hr 4") is None
