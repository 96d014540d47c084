"""Durations in every unit plans use, normalized to minutes (1 day = 8 h, 1 week = 5 days).

Units are data: one table per language (``LANGUAGES``), each listing the spellings of the
second, minute, hour, day and week, singular, plural and abbreviated. A language is added by
adding one table. The spellings of every language are read everywhere, through one compiled
alternation tried longest first:

- words and symbols in Latin or Cyrillic script (``3 days``, ``2 Tage``, ``4 Std``,
  ``3 jours``, ``2 días``, ``5 giorni``, ``6 uur``, ``2 часа``, ``8 giờ``, ``2 h``) may stand
  after a space and must not run on into a word (``2 hours`` is no ``2 h``);
- CJK and Hangul units follow the number with or without a space (``5分``, ``0.5 天``,
  ``2時間``, ``3일``);
- one-letter abbreviations of a language (``2j``, ``3g``, ``4u``) are read only directly
  after a number: as words they are an article or a pronoun (``j'ai``, ``g``).

Ranges join two numbers with a dash or the language's own word (``3 to 5 days``,
``2 à 3 jours``, ``2 bis 3 Tage``, ``2~3일``). A spelling two languages share must mean the
same length in both (``min``); the tables are checked for it when the module loads.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from mdplan.model import patterns
from mdplan.model.vocabulary import (
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    format_range,
)

# minutes per unit, by the unit's English name (the keys of every language table)
UNIT_LENGTHS: Mapping[str, float] = {
    "second": 1 / 60,
    "minute": 1.0,
    "hour": 60.0,
    "day": float(MINUTES_PER_DAY),
    "week": float(MINUTES_PER_WEEK),
}


@dataclass(frozen=True, slots=True)
class Language:
    """How one language writes durations: unit (a key of ``UNIT_LENGTHS``) -> spellings."""

    units: Mapping[str, tuple[str, ...]]  # words, symbols and CJK characters
    letters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # only right after a number: ``2j``
    ranges: tuple[str, ...] = ()  # between the two ends of a range: ``à`` in ``2 à 3 jours``
    estimates: tuple[str, ...] = ()  # words of a heading over a list of durations (``## Estimates``)


LANGUAGES: Mapping[str, Language] = {
    "en": Language(
        {
            "second": ("s", "sec", "secs", "second", "seconds"),
            "minute": ("min", "mins", "minute", "minutes"),
            "hour": ("h", "hr", "hrs", "hour", "hours"),
            "day": (
                "working day",
                "working days",
                "business day",
                "business days",
                "workday",
                "workdays",
                "man-day",
                "man-days",
                "person-day",
                "person-days",
                "d",
                "day",
                "days",
            ),
            "week": ("w", "wk", "wks", "week", "weeks"),
        },
        ranges=("to",),
        estimates=("duration", "durations", "estimate", "estimates", "estimation", "effort", "time estimates"),
    ),
    "fr": Language(
        {
            "second": ("seconde", "secondes"),
            "minute": ("minute", "minutes", "mn"),
            "hour": ("heure", "heures"),
            "day": (
                "jour ouvré",
                "jours ouvrés",
                "jour ouvrable",
                "jours ouvrables",
                "jour-homme",
                "jours-homme",
                "jour",
                "jours",
                "jr",
                "jrs",
            ),
            "week": ("semaine", "semaines", "sem"),
        },
        letters={"day": ("j",)},
        ranges=("à",),
        estimates=("durée", "durées", "estimation", "estimations", "charge", "charges"),
    ),
    "de": Language(
        {
            "second": ("Sek", "Sekunde", "Sekunden"),
            "minute": ("Minute", "Minuten"),
            "hour": ("Std", "Stunde", "Stunden"),
            "day": (
                "arbeitstag",
                "arbeitstage",
                "arbeitstagen",
                "werktag",
                "werktage",
                "werktagen",
                "personentag",
                "personentage",
                "Tag",
                "Tage",
                "Tagen",
            ),
            "week": ("Wo", "Woche", "Wochen"),
        },
        ranges=("bis",),
        estimates=("Dauer", "Aufwand", "Schätzung", "Schätzungen", "Zeitaufwand"),
    ),
    "es": Language(
        {
            "second": ("seg", "segundo", "segundos"),
            "minute": ("minuto", "minutos"),
            "hour": ("hora", "horas"),
            "day": ("día hábil", "días hábiles", "día laborable", "días laborables", "día", "días", "dia", "dias"),
            "week": ("semana", "semanas", "sem"),
        },
        ranges=("a",),
        estimates=("duración", "duraciones", "estimación", "estimaciones", "esfuerzo"),
    ),
    "pt": Language(
        {
            "second": ("seg", "segundo", "segundos"),
            "minute": ("minuto", "minutos"),
            "hour": ("hora", "horas"),
            "day": ("dia útil", "dias úteis", "dia", "dias"),
            "week": ("semana", "semanas", "sem"),
        },
        ranges=("a",),
        estimates=("duração", "durações", "estimativa", "estimativas", "esforço"),
    ),
    "it": Language(
        {
            "second": ("secondo", "secondi"),
            "minute": ("minuto", "minuti"),
            "hour": ("ora", "ore"),
            "day": ("giorno lavorativo", "giorni lavorativi", "giorno", "giorni", "gg"),
            "week": ("settimana", "settimane", "sett"),
        },
        letters={"day": ("g",)},
        ranges=("a",),
        estimates=("durata", "durate", "stima", "stime"),
    ),
    "nl": Language(
        {
            "second": ("seconde", "seconden"),
            "minute": ("minuut", "minuten"),
            "hour": ("uur", "uren"),
            "day": ("werkdag", "werkdagen", "mandag", "mandagen", "dag", "dagen"),
            "week": ("week", "weken"),
        },
        letters={"hour": ("u",)},
        ranges=("tot",),
        estimates=("duur", "schatting", "schattingen", "inspanning"),
    ),
    "ja": Language(
        {
            "second": ("秒",),
            "minute": ("分", "分間"),
            "hour": ("時間",),
            "day": ("日", "日間"),
            "week": ("週", "週間"),
        },
        ranges=("〜", "～"),
        estimates=("所要時間", "見積もり", "見積り", "工数"),
    ),
    "zh": Language(
        {
            "second": ("秒", "秒钟", "秒鐘"),
            "minute": ("分", "分钟", "分鐘"),
            "hour": ("小时", "小時", "个小时", "個小時"),
            "day": ("天", "日"),
            "week": ("周", "週", "星期", "个星期", "個星期"),
        },
        ranges=("到", "至"),
        estimates=("时长", "時長", "工期", "估算", "预估", "預估", "工作量"),
    ),
    "ko": Language(
        {
            "second": ("초",),
            "minute": ("분",),
            "hour": ("시간",),
            "day": ("일",),
            "week": ("주", "주일"),
        },
        ranges=("~",),
        estimates=("소요 시간", "예상 시간", "추정"),
    ),
    "ru": Language(
        {
            "second": ("сек", "секунда", "секунды", "секунд"),
            "minute": ("мин", "минута", "минуты", "минут", "минуту"),
            "hour": ("ч", "час", "часа", "часов"),
            "day": ("дн", "день", "дня", "дней"),
            "week": ("нед", "неделя", "недели", "недель", "неделю"),
        },
        ranges=("до",),
        estimates=("длительность", "оценка", "оценки", "трудоёмкость", "трудоемкость"),
    ),
    "vi": Language(
        {
            "second": ("giây",),
            "minute": ("phút",),
            "hour": ("giờ", "tiếng"),
            "day": ("ngày",),
            "week": ("tuần",),
        },
        ranges=("đến",),
        estimates=("thời lượng", "ước tính"),
    ),
}


def _spellings(languages: Mapping[str, Language]) -> tuple[dict[str, float], dict[str, float]]:
    """Every language's words and letters -> minutes; a spelling two tables share must agree."""
    words: dict[str, float] = {}
    letters: dict[str, float] = {}
    for name, language in languages.items():
        for found, table in ((words, language.units), (letters, language.letters)):
            for unit, spellings in table.items():
                for spelling in spellings:
                    minutes = UNIT_LENGTHS[unit]
                    known = words.get(spelling.lower(), letters.get(spelling.lower(), minutes))
                    if known != minutes:
                        raise ValueError(f"{name}: {spelling!r} is already another unit")
                    found[spelling.lower()] = minutes
    return words, letters


_WORDS, _LETTERS = _spellings(LANGUAGES)
# unit spelling (lower case) -> minutes, every language
UNIT_MINUTES: Mapping[str, float] = {**_WORDS, **_LETTERS}
_CJK_RANGES = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def _is_cjk(character: str) -> bool:
    """CJK, kana, Hangul or full-width (a character class this wide costs milliseconds to compile)."""
    return any(low <= ord(character) <= high for low, high in _CJK_RANGES)


_NO_LETTER = r"(?![A-Za-zÀ-ɏḀ-ỿЀ-ӿ])"  # a unit word does not run on into a word (Latin, Cyrillic)


def _alternation(spellings: list[str]) -> str:
    """One regex alternation, longest spelling first; one that matches nothing when empty."""
    escaped = (re.escape(s.lower()).replace(r"\ ", r"\s+") for s in spellings)  # text is lowered to match
    return "|".join(sorted(escaped, key=lambda s: (-len(s), s))) or "(?!)"  # ties in one order


def _scripts(spellings: list[str]) -> tuple[str, str, str]:
    """Alternations of the spellings written in letters (Latin, Cyrillic), in CJK or Hangul, and
    in other signs: each script has its own rule for what may stand around it."""
    cjk = [s for s in spellings if any(_is_cjk(ch) for ch in s)]
    letters = [s for s in spellings if re.sub(r"[\s-]", "", s).isalpha() and s not in cjk]  # ``dias úteis``
    signs = [s for s in spellings if s not in cjk and s not in letters]
    return _alternation(letters), _alternation(cjk), _alternation(signs)


_UNIT_WORDS, _UNIT_CJK, _ = _scripts(list(_WORDS))
_UNIT = rf"(?:(?:{_UNIT_WORDS}){_NO_LETTER}|{_UNIT_CJK}|(?<=\d)(?:{_alternation(list(_LETTERS))}){_NO_LETTER})"
UNIT_PATTERN = _UNIT  # every unit spelling of every language, as one regex group
_RANGE_WORDS, _RANGE_CJK, _RANGE_SIGNS = _scripts(sorted({w for lang in LANGUAGES.values() for w in lang.ranges}))
# Dashes with or without spaces; words between spaces (``2 à 3``); CJK signs with or without
# spaces (``2〜3``, ``2 到 3``); other signs only between digits (``2~3일``: ``~2`` is "about 2").
_RANGE = rf"(?:\s*[-–—]\s*|\s+(?:{_RANGE_WORDS})\s+|\s*(?:{_RANGE_CJK})\s*|(?<=\d)(?:{_RANGE_SIGNS})(?=\d))"
_ESTIMATE_WORDS, _ESTIMATE_CJK, _ = _scripts(sorted({w for lang in LANGUAGES.values() for w in lang.estimates}))
_ESTIMATES = patterns.compile(rf"(?<![^\W\d_])(?:{_ESTIMATE_WORDS})(?![^\W\d_])|{_ESTIMATE_CJK}", re.IGNORECASE)


def names_estimates(heading: str) -> bool:
    """``## Durations``, ``### Estimaciones``, ``## 見積もり``: a heading over a list of durations."""
    return _ESTIMATES.search(heading) is not None


# A number plans write: at most 9 digits before the point (a billion minutes is ~8,000 years of
# 8-hour days). A longer digit run is not read as a number at all, so no value can overflow later.
MAX_NUMBER_DIGITS = 9
NUMBER = rf"(?<![\d.])\d{{1,{MAX_NUMBER_DIGITS}}}(?:\.\d{{1,{MAX_NUMBER_DIGITS}}})?(?![\d.]\d)(?!\d)"
# ``1,5 jours``, ``0,5 Tage``: a decimal comma, as most languages write it, right before a unit
# (``Phase 1,2`` stays a list: no unit follows it)
_DECIMAL_COMMA = rf"(?<![\d.,])\d{{1,{MAX_NUMBER_DIGITS}}},\d{{1,2}}(?![\d,])(?=\s*(?:{_UNIT}|[-–—~]))"
# ``10,000 hours``: thousands; a number never starts inside another one (``1,5`` is not ``5``)
_THOUSANDS = r"(?<![\d.,])\d{1,3}(?:,\d{3}){1,2}(?![\d,])"  # nine digits at most, as NUMBER
# ``½ day``, ``1½ days``, ``1/2 day``: fractions written as such, right before a unit or a range
_FRACTION = rf"(?<![\d.,/])(?:\d{{0,3}}[½¼¾]|[1-3]/[2-4])(?=\s*(?:{_UNIT}|[-–—]))"
_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75}
_AMOUNT = rf"(?:{_FRACTION}|{_DECIMAL_COMMA}|{_THOUSANDS}|(?<!\d,){NUMBER})"
_DURATION_LOWER = patterns.compile(  # ``2h30`` first: otherwise its ``2h`` alone would read as a duration
    rf"(?P<approx>~|≈|about\s+|approx\.?\s+)?"
    rf"(?:(?<!\d)(?P<hh>\d{{1,{MAX_NUMBER_DIGITS}}})h(?P<mm>\d{{1,2}})(?![\dA-Za-z])"
    rf"|(?P<a>{_AMOUNT})\s*(?P<unit_a>{_UNIT})?"
    rf"(?:{_RANGE}(?P<b>{_AMOUNT}))?\s*(?P<unit>{_UNIT}))",
)  # the units are lower case; text is lowered before it is matched (many times faster than IGNORECASE)


@functools.cache
def _duration_folding_case() -> re.Pattern[str]:
    """For the rare text whose lower case is longer than itself (``İ``): positions must hold."""
    return patterns.compile(_DURATION_LOWER.pattern, re.IGNORECASE)


def _durations_in(text: str) -> Iterator[re.Match[str]]:
    lowered = text.lower()
    if len(lowered) == len(text):
        return _DURATION_LOWER.finditer(lowered)
    return _duration_folding_case().finditer(text)


_RANGE_ONLY = patterns.compile(rf"^\s*(?P<a>{NUMBER})\s*(?:-|–|—)\s*(?P<b>{NUMBER})\s*$")


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
    return [_to_minutes(m) for m in _durations_in(text)]


# ``an hour``, ``half a day``, ``two weeks``: amounts in words (English; other languages write digits)
_SPOKEN_AMOUNTS = {"a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0}


@functools.cache
def _spoken() -> re.Pattern[str]:
    amounts = "|".join(_SPOKEN_AMOUNTS)
    return patterns.compile(rf"^(?P<half>half\s+(?:an?\s+)?)?(?P<amount>{amounts})?\s*(?P<unit>{_UNIT})(?![^\W\d_])")


# half a unit, as languages say it in words
_HALVES = {
    "half day": MINUTES_PER_DAY / 2,
    "half-day": MINUTES_PER_DAY / 2,
    "half an hour": 30.0,
    "meio dia": MINUTES_PER_DAY / 2,
    "meia hora": 30.0,
    "medio día": MINUTES_PER_DAY / 2,
    "medio dia": MINUTES_PER_DAY / 2,
    "media hora": 30.0,
    "demi-journée": MINUTES_PER_DAY / 2,
    "demi-heure": 30.0,
    "halber tag": MINUTES_PER_DAY / 2,
    "halbe stunde": 30.0,
    "mezza giornata": MINUTES_PER_DAY / 2,
    "mezz'ora": 30.0,
    "halve dag": MINUTES_PER_DAY / 2,
    "半日": MINUTES_PER_DAY / 2,
    "半天": MINUTES_PER_DAY / 2,
    "半小时": 30.0,
    "半時間": 30.0,
    "반나절": MINUTES_PER_DAY / 2,
    "полдня": MINUTES_PER_DAY / 2,
    "nửa ngày": MINUTES_PER_DAY / 2,
}


def spoken_duration(text: str) -> Minutes | None:
    """``an hour``, ``half a day``, ``two days``, ``meio dia``, ``半日`` at the start of ``text``."""
    lowered = text.strip().lower()
    half = next((h for h in _HALVES if lowered.startswith(h)), None)
    if half:
        return Minutes(_HALVES[half], _HALVES[half], 0, len(half))
    first = lowered.split(maxsplit=1)[0] if lowered else ""
    if first != "half" and first not in _SPOKEN_AMOUNTS:
        return None
    match = _spoken().match(lowered)
    if not match or not (match["half"] or match["amount"]):
        return None
    scale = _unit_scale(match["unit"])
    value = (_SPOKEN_AMOUNTS[match["amount"].lower()] if match["amount"] else 1.0) * scale
    value = value / 2 if match["half"] else value
    return Minutes(value, value, match.start(), match.end())


def parse_duration(text: str) -> Minutes | None:
    """The duration when ``text`` is one duration and nothing else (``~2 min``, ``3-5 min``)."""
    stripped = text.strip()
    lowered = stripped.lower()
    pattern = _DURATION_LOWER if len(lowered) == len(stripped) else _duration_folding_case()
    match = pattern.fullmatch(lowered if pattern is _DURATION_LOWER else stripped)
    if match:
        return _to_minutes(match)
    spoken = spoken_duration(stripped)  # ``half a day``, ``an hour``
    return spoken if spoken and spoken.end == len(stripped) else None


def parse_unitless_range(text: str) -> tuple[float, float] | None:
    """``10-15`` with no unit: a timeline window, not a duration."""
    match = _RANGE_ONLY.match(text)
    return (float(match["a"]), float(match["b"])) if match else None


def unit_minutes(unit: str) -> float | None:
    return UNIT_MINUTES.get(" ".join(unit.lower().split()))


def _unit_scale(unit: str) -> float:
    """Minutes per unit as matched (``dias  úteis``: spaces as the table writes them)."""
    return UNIT_MINUTES[" ".join(unit.lower().split())]


def _to_minutes(match: re.Match[str]) -> Minutes:
    if match["hh"]:
        value = int(match["hh"]) * 60 + int(match["mm"])
        return Minutes(value, value, match.start(), match.end())
    scale = _unit_scale(match["unit"])
    scale_a = _unit_scale(match["unit_a"]) if match["unit_a"] else scale
    low = _number(match["a"]) * scale_a
    high = _number(match["b"]) * scale if match["b"] else low
    return Minutes(min(low, high), max(low, high), match.start(), match.end())


def _number(text: str) -> float:
    """``1,5`` (a decimal comma), ``10,000`` (thousands), ``2.5``, ``1½``, ``1/2``."""
    if text[-1:] in _FRACTIONS:
        return float(text[:-1] or 0) + _FRACTIONS[text[-1]]
    if "/" in text:
        numerator, denominator = text.split("/")
        return int(numerator) / int(denominator)
    if re.fullmatch(_THOUSANDS, text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))
