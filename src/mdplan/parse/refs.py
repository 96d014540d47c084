"""Labels: text that names a unit of work as a thing of its own.

A *label* is text that names a phase as a thing of its own: ``Phase 4a: Unit Tests (3-5 min)``,
``Phase 1 (Add Types)``, ``[Phase 4b: Integration Tests]``, ``{Phase 2, Phase 3}``. Its parts
are split here: ids, title, durations, timeline windows, and annotations such as
``[serial, waits for Phase 2 & 3]`` that other recognizers read as prose.

Times a label carries: in parentheses alone (``(3-5 min)``, ``(Week 2-3)``) or after a title
(``(Foundations - 2 días)``, ``(API, 2d)``, ``(Setup: 30 min)``); as its value
(``Phase 1: 15 min``; a range there, ``Phase 2: 10-15 min``, is a timeline window); after its
title and a dash (``Phase 2: Backend – 3-5 days``). Windows: ordinal weeks and days
(``Week 2-3``, ``Day 1-2``), hour offsets (``Hour 0-1.5``), hours of numbered working days of
8 h (``D1 Hr 2 – D1 Hr 4``, ``Day 2 Hr 6 – Day 3 Hr 2``).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field, replace
from typing import TypeVar

from mdplan.model import patterns
from mdplan.model.vocabulary import MINUTES_PER_DAY, phase_label
from mdplan.parse.durations import NUMBER, Minutes, parse_duration, parse_unitless_range, unit_minutes
from mdplan.parse.ids import Ref, bare_ids, find_refs, ids_in, slug

__all__ = [
    "Label",
    "Ref",
    "bare_ids",
    "find_refs",
    "ids_in",
    "parse_label",
    "phase_label",
    "strip_markup",
    "value_duration",
]

_T = TypeVar("_T")
_DEPENDENCY_WORDS = patterns.compile(
    r"\b(?:independent|depends?|waits?|after|before|blocks?|blocked|requires?|needs?|parallel|only"
    r"|prerequisites?|none|no dependencies)\b",
    re.IGNORECASE,
)


# --- labels ------------------------------------------------------------------------------

_LEAD = patterns.compile(
    r"^\s*(?:#{1,6}\s+)?(?:[-*+]\s+)?(?:\d{1,3}[a-z]?[.)]\s+|[A-Za-z][.)]\s+)?(?:\[[ xX]\]\s+)?"
    r"(?:[^\w\s\[{(`*_~#]\s*)*"  # emoji and symbols before the name
)
_STRONG = patterns.compile(r"(?<![\w*_/])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*_.])")
_EMPHASIS = patterns.compile(r"(?<![\w*_])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*_])")
_HOLE = "\ue000"  # a private-use character: where a code span stands while markers are stripped
_CODE_SPANS = patterns.compile(r"(`+[^`]*`+)")
_FULL_WIDTH = str.maketrans("（）［］", "()[]")  # ``フェーズ1: 型定義（所要: 10分）``
_PAREN = patterns.compile(r"\(([^()]*)\)")
_BRACKET = patterns.compile(r"\[([^\[\]]*)\]")
# from a run's start: linear; ``准备（3 小时）``: a bracket right after a CJK title ends it too
_TITLE_END = patterns.compile(r"(?<!\s)(?:\s+(?:\(|\[|-\s|–\s|—\s|←|\|)|\s*$)|(?<=[^\x00-\x7f])\((?=[^()]*\d)")
_SEPARATOR = patterns.compile(r"^\s*(?::|：|·\s|-\s|–\s|—\s|\(|\[|←|\.\s|\.$|,|$)")


@dataclass(frozen=True, slots=True)
class Label:
    """What a label says about the phase(s) it names."""

    ids: tuple[str, ...]
    title: str | None
    durations: tuple[Minutes, ...] = ()
    windows: tuple[tuple[float, float], ...] = ()
    annotations: tuple[str, ...] = ()
    body: str = field(default="")  # the label text after its phase reference
    markers: tuple[str, ...] = ()  # spec-kit ``[P]``, ``[US1]``
    named: bool = False  # ``Name (Phase 1)``: the name comes first
    written: str = ""  # the unit as the document writes it, where no English label says the same (``Étape 1``)


@functools.cache  # one document's texts, dropped after it (forget_texts)
def strip_markup(text: str) -> str:
    """Text without strong/emphasis markers; code spans are kept as written, and markers
    around them still pair (``**PR 7 — drop `ILIKE` endpoints.**``)."""
    if "`" not in text:
        return _EMPHASIS.sub(r"\2", _STRONG.sub(r"\2", text))
    parts = _CODE_SPANS.split(text.replace(_HOLE, " "))
    spans = parts[1::2]
    held = _HOLE.join(parts[0::2])  # the text around the spans, each span marked by one _HOLE
    pieces = _EMPHASIS.sub(r"\2", _STRONG.sub(r"\2", held)).split(_HOLE)
    return "".join(itertools.chain.from_iterable(itertools.zip_longest(pieces, spans, fillvalue="")))


def forget_texts() -> None:
    """Drop the labels memoized by text (see ``mdplan.parse.read_document``)."""
    parse_label.cache_clear()
    strip_markup.cache_clear()


@functools.cache  # one document's texts, dropped after it (forget_texts)
def parse_label(text: str, *, strict: bool = True, generic: bool = False) -> Label | None:
    """Read ``text`` as a label, or None when it does not start by naming a phase.

    ``strict`` (prose) also needs a separator after the name (``:``, ``(``, ``-``, end), so
    ``Phase 2 is quick`` is a sentence, not a label; diagram nodes are read leniently.
    ``generic`` also accepts upper-case ids (``F-001``) where a heading or table names them;
    list items are full of requirement ids (``FR-007``) that are not units of work.
    """
    plain = strip_markup(_LEAD.sub("", text, count=1)).strip().translate(_FULL_WIDTH)
    plain = _unwrap(plain, "[", "]")
    if plain.startswith("{"):
        return _parse_group(plain)
    refs = find_refs(plain, generic=generic)
    if generic and (not refs or refs[0].start != 0):
        refs = _short_id(plain) or refs
    if not refs or refs[0].start != 0:
        return _parse_alias(plain, generic)
    first = refs[0]
    rest = plain[first.end :]
    if strict and not first.code and not _SEPARATOR.match(rest):
        return None
    if first.code and (rest[:1].isalnum() or re.match(r"\s+[a-z]", rest)):
        return None  # ``T004 should run after T001``: a sentence about T004, not its label
    label = _parse_rest(first.ids, rest, code=first.code)
    return replace(label, written=_written(plain[first.start : first.end], first.ids))


# ``E1: Schema``, ``P7 — Cache``, ``#5. Login``: a short id heads a label where ids are expected
_SHORT_ID = patterns.compile(r"#?(?P<id>[A-Z]{1,4}\d{1,4}[a-z]?(?=\s*(?::|—|–|-\s|\.\s|\)|\(|$))|(?<=#)\d{1,5}(?!\w))")


def _short_id(plain: str) -> list[Ref]:
    match = _SHORT_ID.match(plain)
    return [Ref((match["id"],), 0, match.end(), code=True)] if match else []


MAX_SECTION_NAME_WORDS = 6


def section_label(text: str) -> Label | None:
    """A heading read as a unit by its name (``schema-builder (2 days)``): its slug is the id."""
    plain = strip_markup(_LEAD.sub("", text, count=1)).strip().translate(_FULL_WIDTH)
    name = _PAREN.sub(" ", plain).strip(" :-—–")
    if not slug(name) or len(name.split()) > MAX_SECTION_NAME_WORDS:
        return None
    return _named_label(slug(name), name, plain)


def step_label(number: str, text: str) -> Label:
    """A numbered list item in a list of steps (``3. **Run the migration** (20 min)`` over
    ``- Depends on: Step 2``) is step 3, titled by its bold lead or else its text."""
    lead = _BOLD_LEAD.match(_LEAD.sub("", text, count=1))
    plain = strip_markup(lead[0] if lead else _LEAD.sub("", text, count=1)).strip().translate(_FULL_WIDTH)
    name = _PAREN.sub(" ", plain).strip(" :-—–.")
    return _named_label(f"step-{number}", name, plain)


_BOLD_LEAD = patterns.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?:\s*\([^()]*\))?")


def named_label(ref: str, name: str, text: str) -> Label:
    """``ref``, known by ``name``, and what ``text`` (the name, then the rest) says of its time."""
    plain = strip_markup(text).strip().translate(_FULL_WIDTH)
    return _named_label(ref, strip_markup(name).strip(), plain)


def _named_label(ref: str, name: str, plain: str) -> Label:
    label = _parse_rest((ref,), plain.removeprefix(name))
    return Label(label.ids, name or None, label.durations, label.windows)


_ALIAS = patterns.compile(r"^(?P<name>[^\s()][^()]{0,40}?)\s*\((?P<ref>[^()]+)\)\s*(?P<rest>(?::.*)?)$")


def _written(text: str, ids: tuple[str, ...]) -> str:
    """``Étape 1``, ``タスク1``, ``Fase 2``: a unit word of another language is kept as written, so
    the plan names the unit as its document does; English words give the canonical label."""
    if len(ids) != 1 or not text or text.lower() == phase_label(ids[0]).lower() or (text.isascii() and " " not in text):
        return ""
    word = text.rstrip("0123456789.abcdefghijklmnopqrstuvwxyz -")
    return text if word and not _ENGLISH_UNIT.fullmatch(word) else ""


_ENGLISH_UNIT = patterns.compile(
    r"(?:phases?|steps?|stages?|waves?|epics?|milestones?|sprints?|tasks?|prs?|parts?|features?)", re.I
)


def _parse_alias(plain: str, generic: bool) -> Label | None:
    """``Setup (Phase 1): No dependencies``: a name, then the unit it stands for."""
    match = _ALIAS.match(plain)
    if not match or not re.match(r"\w", match["name"]):
        return None
    refs = find_refs(match["ref"], generic=generic)
    if len(refs) != 1 or refs[0].start != 0 or refs[0].end != len(match["ref"].strip()):
        return None
    rest = match["rest"].lstrip(":").strip()
    annotations = (rest,) if rest else ()
    return Label(refs[0].ids, match["name"].strip(), annotations=annotations, body=match["rest"], named=True)


def _unwrap(text: str, opening: str, closing: str) -> str:
    if text.startswith(opening) and closing in text:
        inner, _, after = text[1:].partition(closing)
        return f"{inner}{after}" if find_refs(inner[:12]) else text
    return text


def _parse_group(text: str) -> Label | None:
    inner, _, rest = text[1:].partition("}")
    ids = ids_in(inner)
    if not ids:
        return None
    label = _parse_rest(ids, rest)
    return Label(ids, None, label.durations, label.windows, label.annotations, rest)


def _parse_rest(ids: tuple[str, ...], rest: str, *, code: bool = False) -> Label:
    written_durations, written_windows = _written_time(rest)
    title, field_value = _title_after_colon(rest) if not _value_time(rest)[1] else (None, None)
    brackets = [m[1].strip() for m in _BRACKET.finditer(rest)]
    parts = [(_classify_part(part), part) for paren in _PAREN.finditer(rest) for part in _paren_parts(paren[1])]
    durations = [_must(parse_duration(p)) for kind, p in parts if kind == "duration"] + written_durations
    durations += [_must(parse_duration(_ESTIMATED.sub("", p))) for kind, p in parts if kind == "estimated"]
    durations += [m for m in map(parse_duration, brackets) if m]  # ``#120 Tokens [3d]``
    brackets = [b for b in brackets if not parse_duration(b)]
    windows = [
        _must(unit_window(p) if kind == "unit-window" else parse_unitless_range(p))
        for kind, p in parts
        if kind in ("unit-window", "window")
    ] + written_windows
    annotations = [b for b in brackets if not _is_marker(b)] + ([field_value] if field_value else [])
    annotations += [p for kind, p in parts if kind == "annotation"] + _dash_annotations(rest)
    if title is None:
        title = next((p for kind, p in parts if kind == "title" and p and not _is_marker(p)), None)
    if title is None and not field_value and (code or _DASH_TITLE.match(rest)):
        title = _plain_title(rest)
    markers = tuple(b for b in brackets if _is_marker(b))
    return Label(ids, title, tuple(durations), tuple(windows), tuple(annotations), rest, markers)


def _written_time(rest: str) -> tuple[list[Minutes], list[tuple[float, float]]]:
    """Durations and windows written outside parentheses: as the value, or after the title."""
    value_durations, value_windows = _value_time(rest)
    titled_durations, titled_windows = _titled_time(rest)
    return value_durations + titled_durations, value_windows + titled_windows


_TITLE_THEN_TIME = patterns.compile(r"^(?P<title>.*\S)(?::|\s[-–—/])\s+(?P<time>\S.*)$")


def _paren_parts(inner: str) -> list[str]:
    """The parts of a parenthesis: ``(API, 2d)`` -> ``API``, ``2d``; a title and its time
    after a dash, slash or colon are two parts too: ``(Foundations - 2 días)``,
    ``(Backend – Week 2-3)``, ``(Setup: 30 min)``."""
    parts: list[str] = []
    for part in re.split(r"\s*(?:(?<!\d),|,(?!\d)|[;·])\s*", inner):  # ``0,5 jour`` is one part
        split = _TITLE_THEN_TIME.match(part)
        timed = split is not None and (unit_window(split["time"]) or parse_duration(split["time"]))
        parts.extend([split["title"], split["time"]] if split and timed else [part])
    return parts


_VALUE = patterns.compile(r"^\s*(?:[:：]|[-–—=])(?P<time>[^()\[\]]*)")  # greedy, then stripped: linear


def value_duration(body: str) -> Minutes | None:
    """The duration a label's body is the value of: ``: 15 min``, ``– 2 days``, ``: 10-15 min``."""
    match = _VALUE.match(body)
    return parse_duration(match["time"]) if match and match["time"].strip() else None


def _value_time(rest: str) -> tuple[list[Minutes], list[tuple[float, float]]]:
    """``Phase 1: 15 min``, ``Phase 2 – 2 days``: one length is the label's value, its duration;
    ``Phase 3: D2 Hr 0 – D2 Hr 3``, ``Phase 4: Week 2-3``: a window. A range of lengths there
    (``Phase 2: 10-15 min``) is a timeline window (``parse.timeline``), except in a list of
    estimates (``parse.labels``)."""
    match = _VALUE.match(rest)
    if match is None or not match["time"].strip():
        return [], []
    window = unit_window(match["time"])
    if window is not None:
        return [], [window]
    minutes = parse_duration(match["time"])
    return ([minutes] if minutes is not None and minutes.low == minutes.high else []), []


_TITLED = patterns.compile(r"^\s*[:：](?P<body>[^()\[\]]*)")
_SPACED_DASH = patterns.compile(r"\s[-–—]\s+")


def _titled_time(rest: str) -> tuple[list[Minutes], list[tuple[float, float]]]:
    """``Phase 2: Backend – 3-5 days``, ``Phase 4: Docs – D3 Hr 2 – D3 Hr 3``: the time after the
    title and a dash (the first dash after which the rest is one time)."""
    match = _TITLED.match(rest)
    body = match["body"].strip() if match else ""
    for dash in _SPACED_DASH.finditer(body):
        time = body[dash.end() :]
        window = unit_window(time)
        minutes = parse_duration(time) if window is None else None
        if window or minutes:
            return ([minutes] if minutes else []), ([window] if window else [])
    return [], []


def _is_marker(text: str) -> bool:
    """Spec-kit markers: ``[P]`` (may run in parallel), ``[US1]`` (the story it serves), ``P1``
    and ``Priority: P1`` (a priority, not a title)."""
    return text == "P" or bool(re.fullmatch(r"US\d+|P\d|priority:?\s*P?\d", text, re.IGNORECASE))


# ``Étape 1 — Inventaire``: a title after a dash, unless it states a dependency (``- Must wait for …``)
_DASH_TITLE = patterns.compile(
    r"^\s+[—–·-]\s+(?!.*\b(?:depends?|waits?|after|before|blocks?|requires?|needs?|parallel)\b)", re.I
)


def _plain_title(rest: str) -> str | None:
    text = re.split(r"\s(?:→|->|—|–)\s|\s-\s", re.sub(r"^\s*(?:—|–|-|·)\s+", "", rest))[0]
    text = _BRACKET.sub(" ", text)
    text = _PAREN.sub(lambda m: " " if _classify_part(m[1]) in ("duration", "estimated") else m[0], text)
    return re.sub(r"\s+", " ", text).strip(" :-—–") or None


_UNIT_WINDOW = patterns.compile(
    rf"^(?P<unit>weeks?|days?|hours?|tuần|ngày|giờ|第?周|天)\s*(?P<a>{NUMBER})(?:\s*[-–]\s*(?P<b>{NUMBER}))?$",
    re.IGNORECASE,
)


_DAY = r"(?:d|day)\s*"
_HOUR = r"[\s,]*(?:h|hr|hour)\s*"
_HOUR_WINDOW = patterns.compile(
    rf"^{_DAY}(?P<d1>\d{{1,4}}){_HOUR}(?P<h1>{NUMBER})\s*(?:-|–|—|to)\s*"
    rf"(?:{_DAY}(?P<d2>\d{{1,4}}))?{_HOUR}(?P<h2>{NUMBER})$",
    re.IGNORECASE,
)


def hour_window(part: str) -> tuple[float, float] | None:
    """``D1 Hr 2 – D1 Hr 4``, ``Day 2 Hr 6 – Day 3 Hr 2``: hour offsets into numbered working
    days of 8 hours, in minutes from the plan's start (day 1 hour 0)."""
    match = _HOUR_WINDOW.match(part.strip())
    if not match:
        return None
    first_day = int(match["d1"])
    last_day = int(match["d2"] or first_day)
    start = (first_day - 1) * MINUTES_PER_DAY + float(match["h1"]) * 60
    end = (last_day - 1) * MINUTES_PER_DAY + float(match["h2"]) * 60
    return (start, end) if first_day >= 1 and end > start else None


def unit_window(part: str) -> tuple[float, float] | None:
    """``Week 2-3``, ``Day 1-2`` (ordinals: both ends included), ``Hour 0-1.5`` (offsets), in minutes;
    day-and-hour windows (``D1 Hr 2 – D1 Hr 4``, see ``hour_window``)."""
    match = _UNIT_WINDOW.match(part.strip())
    if not match:
        return hour_window(part)
    scale = unit_minutes(match["unit"].rstrip("sS")) or unit_minutes(match["unit"]) or 1.0
    low = float(match["a"])
    high = float(match["b"] or match["a"])
    if low == 0 or low != int(low) or high != int(high):
        return low * scale, high * scale
    return (low - 1) * scale, high * scale


# ``(预计 3 小时)``, ``(est. 2d)``, ``(timebox 1 day)``: one word before the length
_ESTIMATED = patterns.compile(r"^[^\W\d_]{1,12}\.?\s*[:：]?\s*(?=\d)")


def _classify_part(part: str) -> str:
    if unit_window(part):
        return "unit-window"
    if parse_duration(part):
        return "duration"
    if _ESTIMATED.match(part) and parse_duration(_ESTIMATED.sub("", part)):
        return "estimated"
    if parse_unitless_range(part):
        return "window"
    if _DEPENDENCY_WORDS.search(part) or find_refs(part):
        return "annotation"
    return "title"


def _title_after_colon(rest: str) -> tuple[str | None, str | None]:
    """The title after ``:``, or, when what follows is a dependency field value, that value."""
    match = re.match(r"^\s*[:：]\s*(.+)", rest)
    if not match:
        return None, None
    body = match[1]
    if _DEPENDENCY_WORDS.match(body) or re.match(r"(?:no|none|nothing)\b", body, re.IGNORECASE):
        return None, body
    title = body[: _TITLE_END.search(body).start()].strip()  # type: ignore[union-attr]
    if not title or parse_duration(title) or parse_unitless_range(title.split(" ")[0]):
        return None, None
    return title, None


def _dash_annotations(rest: str) -> list[str]:
    notes = re.findall(r"(?:\s[-–—]\s|←)\s*([^()\[\]←]+)", rest)
    return [n.strip() for n in notes if _DEPENDENCY_WORDS.search(n)]


def _must(value: _T | None) -> _T:
    assert value is not None
    return value
