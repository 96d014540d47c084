"""References to phases (``Phase 4a``, ``Phases 2-3``, ``Phase 2 & 3``) and phase labels.

A *label* is text that names a phase as a thing of its own: ``Phase 4a: Unit Tests (3-5 min)``,
``Phase 1 (Add Types)``, ``[Phase 4b: Integration Tests]``, ``{Phase 2, Phase 3}``. Its parts
are split here: ids, title, durations, timeline windows, and annotations such as
``[serial, waits for Phase 2 & 3]`` that other recognizers read as prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypeVar

from mdplan.parse.durations import Minutes, parse_duration, parse_unitless_range

_ID = r"\d+(?:\.\d+)*[a-zA-Z]?(?![\w])"
_UNIT_WORD = re.compile(r"\bphases?\s+(?=\d)", re.IGNORECASE)
_ID_AT = re.compile(_ID)
_NOT_A_DURATION = r"(?!\s*(?:%|min|mins|minutes?|h\b|hrs?\b|hours?|days?|d\b|weeks?|w\b|s\b|sec))"
_RANGE_TAIL = re.compile(rf"\s*(?:-|–|\bto\b)\s*({_ID}){_NOT_A_DURATION}", re.IGNORECASE)
_LIST_TAIL = re.compile(rf"\s*(?:,|&|\+|/|\band\b|\bor\b)\s*(?:phases?\s+)?({_ID}){_NOT_A_DURATION}", re.IGNORECASE)
_NOT_A_DURATION_AT = re.compile(_NOT_A_DURATION, re.IGNORECASE)
_T = TypeVar("_T")
_DEPENDENCY_WORDS = re.compile(
    r"\b(?:independent|depends?|waits?|after|before|blocks?|requires?|needs?|parallel|only"
    r"|prerequisites?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Ref:
    ids: tuple[str, ...]
    start: int
    end: int


def phase_label(phase_id: str) -> str:
    return f"Phase {phase_id}"


def normalize_id(text: str) -> str:
    return text.lower()


def find_refs(text: str) -> list[Ref]:
    """Every phase reference in ``text``, with lists and ranges expanded."""
    refs: list[Ref] = []
    for word in _UNIT_WORD.finditer(text):
        if refs and word.start() < refs[-1].end:
            continue
        ref = _read_id_list(text, word.start(), word.end())
        if ref:
            refs.append(ref)
    return refs


def ids_in(text: str) -> tuple[str, ...]:
    """The phase ids referenced anywhere in ``text``, in order, without repeats."""
    seen: dict[str, None] = {}
    for ref in find_refs(text):
        seen.update(dict.fromkeys(ref.ids))
    return tuple(seen)


def bare_ids(text: str) -> tuple[str, ...]:
    """Ids in a cell of a Phase column: ``4a``, ``1, 2``, ``Phase 3``."""
    text = text.strip().strip("`*")
    ref = _read_id_list(text, 0, 0) if _ID_AT.match(text) else None
    if ref and ref.end >= len(text.rstrip()):
        return ref.ids
    return ids_in(text)


def _read_id_list(text: str, start: int, pos: int) -> Ref | None:
    first = _ID_AT.match(text, pos)
    if not first or not _NOT_A_DURATION_AT.match(text, first.end()):
        return None
    ids = [normalize_id(first[0])]
    end = first.end()
    while True:
        tail = _RANGE_TAIL.match(text, end) or _LIST_TAIL.match(text, end)
        if not tail:
            return Ref(tuple(dict.fromkeys(ids)), start, end)
        new_id = normalize_id(tail[1])
        is_range = tail.re is _RANGE_TAIL
        ids.extend(_expand_range(ids[-1], new_id) if is_range else [new_id])
        end = tail.end()


def _expand_range(low: str, high: str) -> list[str]:
    """``3``..``5`` -> 3, 4, 5; ``2.1``..``2.3`` -> 2.1, 2.2, 2.3; anything else as written."""
    low_head, _, low_last = low.rpartition(".")
    high_head, _, high_last = high.rpartition(".")
    if low_head != high_head or not (low_last.isdigit() and high_last.isdigit()):
        return [high]
    first, last = int(low_last), int(high_last)
    if not 0 < last - first <= 50:
        return [high]
    prefix = f"{low_head}." if low_head else ""
    return [f"{prefix}{n}" for n in range(first + 1, last + 1)]


# --- labels ------------------------------------------------------------------------------

_LEAD = re.compile(
    r"^\s*(?:#{1,6}\s+)?(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?:\[[ xX]\]\s+)?"
    r"(?:[^\w\s\[{(`*_~]\s*)*"  # emoji and symbols before the name
)
_STRONG = re.compile(r"(?<![\w*_])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
_EMPHASIS = re.compile(r"(?<![\w*_])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*_])")
_CODE_SPANS = re.compile(r"(`+[^`]*`+)")
_PAREN = re.compile(r"\(([^()]*)\)")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_TITLE_END = re.compile(r"\s+(?:\(|\[|-\s|–\s|—\s|←|\|)|\s*$")
_SEPARATOR = re.compile(r"^\s*(?::|-\s|–\s|—\s|\(|\[|←|\.\s|\.$|,|$)")


@dataclass(frozen=True, slots=True)
class Label:
    """What a label says about the phase(s) it names."""

    ids: tuple[str, ...]
    title: str | None
    durations: tuple[Minutes, ...] = ()
    windows: tuple[tuple[float, float], ...] = ()
    annotations: tuple[str, ...] = ()
    body: str = field(default="")  # the label text after its phase reference


def strip_markup(text: str) -> str:
    """Text without strong/emphasis markers; code spans are kept as written."""
    parts = _CODE_SPANS.split(text)
    for index in range(0, len(parts), 2):
        parts[index] = _EMPHASIS.sub(r"\2", _STRONG.sub(r"\2", parts[index]))
    return "".join(parts)


def parse_label(text: str, *, strict: bool = True) -> Label | None:
    """Read ``text`` as a label, or None when it does not start by naming a phase.

    ``strict`` (prose) also needs a separator after the name (``:``, ``(``, ``-``, end), so
    ``Phase 2 is quick`` is a sentence, not a label; diagram nodes are read leniently.
    """
    plain = strip_markup(_LEAD.sub("", text, count=1)).strip()
    plain = _unwrap(plain, "[", "]")
    if plain.startswith("{"):
        return _parse_group(plain)
    refs = find_refs(plain)
    if not refs or refs[0].start != 0:
        return None
    rest = plain[refs[0].end :]
    if strict and not _SEPARATOR.match(rest):
        return None
    return _parse_rest(refs[0].ids, rest)


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


def _parse_rest(ids: tuple[str, ...], rest: str) -> Label:
    title = _title_after_colon(rest)
    durations: list[Minutes] = []
    windows: list[tuple[float, float]] = []
    annotations = [m[1] for m in _BRACKET.finditer(rest)]
    for paren in _PAREN.finditer(rest):
        for part in re.split(r"\s*[,;·]\s*", paren[1]):
            kind = _classify_part(part)
            if kind == "duration":
                durations.append(_must(parse_duration(part)))
            elif kind == "window":
                windows.append(_must(parse_unitless_range(part)))
            elif kind == "annotation":
                annotations.append(part)
            elif title is None and part:
                title = part
    annotations.extend(_dash_annotations(rest))
    return Label(ids, title, tuple(durations), tuple(windows), tuple(annotations), rest)


def _classify_part(part: str) -> str:
    if parse_duration(part):
        return "duration"
    if parse_unitless_range(part):
        return "window"
    if _DEPENDENCY_WORDS.search(part) or find_refs(part):
        return "annotation"
    return "title"


def _title_after_colon(rest: str) -> str | None:
    match = re.match(r"^\s*:\s*(.+)", rest)
    if not match:
        return None
    body = match[1]
    title = body[: _TITLE_END.search(body).start()].strip()  # type: ignore[union-attr]
    if not title or parse_duration(title) or parse_unitless_range(title.split(" ")[0]):
        return None
    return title


def _dash_annotations(rest: str) -> list[str]:
    notes = re.findall(r"(?:\s[-–—]\s|←)\s*([^()\[\]←]+)", rest)
    return [n.strip() for n in notes if _DEPENDENCY_WORDS.search(n)]


def _must(value: _T | None) -> _T:
    assert value is not None
    return value
