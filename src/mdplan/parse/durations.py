"""Durations in every unit plans use, normalized to minutes (1 day = 8 h, 1 week = 5 days)."""

from __future__ import annotations

import re
from typing import NamedTuple

MINUTES_PER_DAY = 8 * 60
MINUTES_PER_WEEK = 5 * MINUTES_PER_DAY

# unit spelling -> minutes; longest spellings are tried first by the regex below
UNIT_MINUTES: dict[str, float] = {
    **dict.fromkeys(["s", "sec", "secs", "second", "seconds", "秒"], 1 / 60),
    **dict.fromkeys(["min", "mins", "minute", "minutes", "分钟", "分", "phút"], 1.0),
    **dict.fromkeys(["h", "hr", "hrs", "hour", "hours", "小时", "小時", "giờ", "horas", "hora"], 60.0),
    **dict.fromkeys(["d", "day", "days", "天", "日", "días", "dias", "día", "dia", "ngày"], MINUTES_PER_DAY),
    **dict.fromkeys(["w", "wk", "wks", "week", "weeks", "周", "週", "semana", "semanas", "tuần"], MINUTES_PER_WEEK),
}

_UNIT = "|".join(sorted((re.escape(u) for u in UNIT_MINUTES), key=len, reverse=True))
UNIT_PATTERN = _UNIT  # every unit spelling, as a regex alternation
# A number plans write: at most 9 digits before the point (a billion minutes is ~8,000 years of
# 8-hour days). A longer digit run is not read as a number at all, so no value can overflow later.
MAX_NUMBER_DIGITS = 9
NUMBER = rf"(?<![\d.])\d{{1,{MAX_NUMBER_DIGITS}}}(?:\.\d{{1,{MAX_NUMBER_DIGITS}}})?(?![\d.]\d)(?!\d)"
_DURATION = re.compile(  # ``2h30`` first: otherwise its ``2h`` alone would read as a duration
    rf"(?P<approx>~|≈|about\s+|approx\.?\s+)?"
    rf"(?:(?<!\d)(?P<hh>\d{{1,{MAX_NUMBER_DIGITS}}})h(?P<mm>\d{{1,2}})(?![\dA-Za-z])"
    rf"|(?P<a>{NUMBER})\s*(?P<unit_a>{_UNIT})?"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<b>{NUMBER}))?\s*(?P<unit>{_UNIT})(?![A-Za-z]))",
    re.IGNORECASE,
)
_RANGE_ONLY = re.compile(rf"^\s*(?P<a>{NUMBER})\s*(?:-|–|—)\s*(?P<b>{NUMBER})\s*$")


class Minutes(NamedTuple):
    low: float
    high: float
    start: int  # span of the match in the text it was found in
    end: int

    @property
    def text(self) -> str:
        return format_range(self.low, self.high)


def find_durations(text: str) -> list[Minutes]:
    """Every duration written in ``text``, in order."""
    return [_to_minutes(m) for m in _DURATION.finditer(text)]


def parse_duration(text: str) -> Minutes | None:
    """The duration when ``text`` is one duration and nothing else (``~2 min``, ``3-5 min``)."""
    match = _DURATION.fullmatch(text.strip())
    return _to_minutes(match) if match else None


def parse_unitless_range(text: str) -> tuple[float, float] | None:
    """``10-15`` with no unit: a timeline window, not a duration."""
    match = _RANGE_ONLY.match(text)
    return (float(match["a"]), float(match["b"])) if match else None


def unit_minutes(unit: str) -> float | None:
    return UNIT_MINUTES.get(unit.lower())


def _to_minutes(match: re.Match[str]) -> Minutes:
    if match["hh"]:
        value = int(match["hh"]) * 60 + int(match["mm"])
        return Minutes(value, value, match.start(), match.end())
    scale = UNIT_MINUTES[match["unit"].lower()]
    scale_a = UNIT_MINUTES[match["unit_a"].lower()] if match["unit_a"] else scale
    low = float(match["a"]) * scale_a
    high = float(match["b"]) * scale if match["b"] else low
    return Minutes(min(low, high), max(low, high), match.start(), match.end())


def format_minutes(value: float) -> str:
    """``90`` -> ``90 min``; fractions keep one decimal."""
    return f"{format_number(value)} min"


def format_span(minutes: float) -> str:
    """A length in the unit a planner would use: s, min, h, days (8 h) or weeks (5 days)."""
    size = abs(minutes)
    if 0 < size < 1:
        return f"{format_number(minutes * 60)} s"
    if size < 120:
        return format_minutes(minutes)
    if size < 2 * MINUTES_PER_DAY:
        return f"{format_number(minutes / 60)} h"
    if size < 2 * MINUTES_PER_WEEK:
        return f"{format_number(minutes / MINUTES_PER_DAY)} days"
    return f"{format_number(minutes / MINUTES_PER_WEEK)} weeks"


def format_number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def format_range(low: float, high: float) -> str:
    if low == high:
        return format_minutes(low)
    return f"{format_number(low)}-{format_number(high)} min"
