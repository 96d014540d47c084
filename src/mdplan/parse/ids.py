"""Units of work and references to them: ``Phase 4a``, ``Epics 2 & 3``, ``T001-T003``, ``US1``.

Ids (the spec's rule): ``Phase 4a`` -> ``4a``; code-like ids stay as written (``T001``,
``US1``, ``CORE-001``, ``2TI.17``); other numbered units get a slug, ``Epic 2`` -> ``epic-2``,
``Step 3`` -> ``step-3``; ``User Story 1`` is ``US1``. Lists and ranges expand:
``Phases 1-4``, ``Phases 2+4``, ``Phase 1,2,3``, ``Epics 2 & 3``, ``T001-T003``,
``Phase 2.1-2.3``. A number followed by a unit of time (``Phase 1, 2 hours``) is not an id.

Always-on code ids are the spec-kit forms (``T001``, ``US1``); the generic upper-case forms
(``CORE-001``, ``F-001``, ``2TI.17``) are read only where an id is expected (``generic=True``:
the start of a label, the value of a dependency field), since prose is full of ``UTF-8``.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

from mdplan.model import patterns
from mdplan.model.vocabulary import ENGLISH_UNITS, Unit
from mdplan.parse import cues


def _in_every_language(unit: Unit) -> Unit:
    """The unit's English words and its words in every cue table (``Fase``, ``阶段``)."""
    words = [re.escape(w).replace(r"\ ", r"\s+") for w in cues.unit_words(unit.key)]
    return unit._replace(word="|".join([unit.word, *words]))


UNITS = tuple(_in_every_language(u) for u in ENGLISH_UNITS)

_NUMBER_ID = r"\d+(?:\.\d+)*[a-zA-Z]?(?![A-Za-z0-9_])"  # ``Phase 1完了``: CJK may follow
_TIME_AFTER = r"(?!\s*(?:%|min\b|mins\b|minutes?\b|h\b|hrs?\b|hours?\b|days?\b|d\b|weeks?\b|w\b|s\b|sec))"
# ``Phase 2``, ``phase-1`` (``all phase-1 items``), ``阶段1`` (no space after a CJK word)
_UNIT_WORD_PATTERN = r"\b(?P<word>" + "|".join(u.word for u in UNITS) + r")(?:\s+|-|(?<=[^\x00-\x7f])\s*)(?=\d)"
_UNIT_WORD_LOWER = patterns.compile(_UNIT_WORD_PATTERN)  # on lower-cased text: many times faster (cues.CuePattern)
_NUMBER_AT = patterns.compile(_NUMBER_ID + _TIME_AFTER, re.IGNORECASE)
_SPEC_CODE = r"(?:T\d{3,}[a-z]?|US\d+)(?!\w)"
# ``CORE-001``, ``PROMPT-GOV-001`` (every segment kept: never cut to ``GOV-001``), ``P01-11``, ``2TI.17``
_GENERIC_CODE = (
    r"(?:[A-Z][A-Z0-9]*(?:-[A-Z][A-Z0-9]*)*-(?:\d+[A-Za-z]?|[A-Z]+\d+[a-z]?|[A-Z]{2,})(?:\.\d+)?|\d+[A-Z]{2,}\.\d+"
    r"|#\d{1,6})(?![\w-])"  # ``W1-T2``; ``#123``, an issue, is the unit ``123``
)
_CODE = {
    False: patterns.compile(rf"(?<![\w/.-])(?:{_SPEC_CODE})"),
    True: patterns.compile(rf"(?<![\w/.-])(?:{_SPEC_CODE}|{_GENERIC_CODE})"),
}
# the items after the first of a list (``T001-T003``): the separator may be a dash
_CODE_ITEM = {
    False: patterns.compile(rf"(?:{_SPEC_CODE})"),
    True: patterns.compile(rf"(?:{_SPEC_CODE}|{_GENERIC_CODE})"),
}
_LIST_SEPARATOR = rf"\s*(?:,|&|\+|/|、|(?<!\w)(?:{cues.words('and_words')})(?!\w))\s*"
_RANGE_SEPARATOR = rf"\s*(?:-|–|—|(?<!\w)(?:{cues.words('to_words')})(?!\w))\s*"
_IS_RANGE = patterns.compile(_RANGE_SEPARATOR, re.IGNORECASE)


class Ref(NamedTuple):
    ids: tuple[str, ...]
    start: int
    end: int
    code: bool = False  # a code-like id (``T001``), which needs no separator after it in a label


@functools.lru_cache(maxsize=256)
def unit_of(word: str) -> Unit:
    lowered = re.sub(r"\s+", " ", word.lower())
    return next(u for u in UNITS if re.fullmatch(u.word, lowered))


def label_id(label: str) -> str | None:
    """The id a label names, when it names exactly one (``Phase 4a`` -> ``4a``, ``T001``)."""
    refs = find_refs(label, generic=True)
    if len(refs) == 1 and len(refs[0].ids) == 1 and refs[0].start == 0 and refs[0].end == len(label):
        return refs[0].ids[0]
    return None


ALL_STORIES = "@stories"
ABOVE = "@above"  # ``Depends on: all of the above``: every unit of its kind named before the statement
_ABOVE = patterns.compile(
    r"^(?:all|every(?:thing|one)?|each)\s+(?:(?:of\s+)?the\s+|else\s+|other\s+)?(?:\w+\s+){0,2}?"
    r"(?:above|before|previous|preceding|prior)(?:\s+(?:ones|items|rows|tasks|phases|steps))?$",
    re.IGNORECASE,
)
OPEN_RANGE = "+"  # ``PR 4+``: the id, then every later unit of its kind (resolved by the merge)
_OPEN_END = patterns.compile(r"\+(?![\w+])")


def with_open_end(text: str, ref: Ref) -> tuple[str, ...]:
    """The ids of ``ref``, the last marked open (``4+``) when ``text`` writes ``+`` after it."""
    if ref.ids and _OPEN_END.match(text, ref.end):
        return (*ref.ids[:-1], ref.ids[-1] + OPEN_RANGE)
    return ref.ids


NAME_PREFIX = "name:"


def name_ref(name: str) -> str:
    """A unit referred to by name (``Setup``), for the merge to resolve against titles."""
    return NAME_PREFIX + normalize_name(name)


def slug(name: str) -> str:
    """The id of a unit known by its name only: ``Planning & Setup`` -> ``planning-setup``."""
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-")


_NOT_A_WORD = patterns.compile(r"[\W_]+")


def normalize_name(name: str) -> str:
    return _NOT_A_WORD.sub(" ", name.lower()).strip()


_ITEM_SPLIT = patterns.compile(rf"\s*(?:[,;、]|\s[&+]\s|\s(?:{cues.words('and_words')})\s)\s*", re.IGNORECASE)
_ASIDE = patterns.compile(r"\([^()]*\)|\[[^\[\]]*\]\(.*?\)|[`*_\"'“”‘’\[\]{}]")
_DONE_WORDS = patterns.compile(
    r"(?:\s+(?:(?:is|are|must|should|has\s+to|have\s+to|has|have|to)\s+)?(?:be\s+|been\s+)?(?:complete[ds]?|done|finished|merged|approved|ready|landed|output|"
    r"results?|gate|passed?|green|signed\s+off|completion))+$|完了|完成|済み?$",
    re.IGNORECASE,
)
_LEAD_WORDS = patterns.compile(r"^(?:(?:only|all\s+of|all|the|after|until|both|either)\s+)+", re.IGNORECASE)
MAX_NAME_WORDS = 5


def is_above(text: str) -> bool:
    """``all of the above``, ``everything else above``, ``all previous phases``."""
    return bool(_ABOVE.match(text.strip()))


def field_refs(value: str) -> tuple[str, ...]:
    """The units a dependency field's value names: ids by their shape (``Phase 2``, ``E1``,
    ``PROMPT-GOV-001``, ``#5``), and every other item as a name (``schema-builder``,
    ``Setup``) that the merge resolves against the names units go by; a name it cannot
    resolve is reported there, with this line."""
    plain = _ASIDE.sub(" ", value)
    refs = find_refs(plain, generic=True)  # lists by shape first: ``Phase 1,2,3``
    found = dict.fromkeys(i for ref in refs for i in with_open_end(plain, ref))
    start = 0
    for separator in [*_ITEM_SPLIT.finditer(plain), None]:
        end = separator.start() if separator else len(plain)
        if not any(ref.start < end and start < ref.end for ref in refs):  # an item with no id: a name
            found.update(dict.fromkeys(_item_refs(plain[start:end])))
        start = separator.end() if separator else end
    return tuple(found)


def _item_refs(item: str) -> tuple[str, ...]:
    plain = item.strip(" .:!?-–—")
    if not plain or cues.NONE.fullmatch(plain):
        return ()
    if is_above(plain):
        return (ABOVE,)
    plain = _DONE_WORDS.sub("", _LEAD_WORDS.sub("", plain)).strip()
    if plain.startswith("#") and plain[1:].isdigit():
        return (plain[1:],)
    words = plain.split()
    if not words or len(words) > MAX_NAME_WORDS or not re.search(r"[^\W\d_]", plain):
        return ()
    return (name_ref(plain),)


_ALL_STORIES = patterns.compile(
    r"\b(?:all\s+(?:the\s+|desired\s+|other\s+)?(?:user\s+)?|any\s+(?:user\s+)?|user\s+)stories\b(?!\s+\d)",
    re.IGNORECASE,
)


def find_refs(text: str, *, generic: bool = False) -> list[Ref]:
    """Every reference in ``text``, lists and ranges expanded, in order, not overlapping.

    ``all user stories`` is the class reference ``@stories``, resolved by the merge to every
    unit that is a user story.
    """
    return list(_find_refs(text, generic))


@functools.cache  # one document's texts, dropped after it (forget_texts)
def _find_refs(text: str, generic: bool) -> tuple[Ref, ...]:
    refs = _unit_refs(text)
    refs.extend(_code_refs(text, generic))
    refs.extend(Ref((ALL_STORIES,), m.start(), m.end()) for m in _ALL_STORIES.finditer(text))
    refs.sort(key=lambda r: (r.start, -r.end))
    kept: list[Ref] = []
    for ref in refs:
        if not kept or ref.start >= kept[-1].end:
            kept.append(ref)
    return tuple(kept)


def forget_texts() -> None:
    """Drop the references memoized by text (see ``mdplan.parse.read_document``)."""
    _find_refs.cache_clear()


def ids_in(text: str, *, generic: bool = False) -> tuple[str, ...]:
    """The ids referenced anywhere in ``text``, in order, without repeats."""
    seen: dict[str, None] = {}
    for ref in find_refs(text, generic=generic):
        seen.update(dict.fromkeys(ref.ids))
    return tuple(seen)


def bare_ids(text: str) -> tuple[str, ...]:
    """Ids in a cell of an id column: ``4a``, ``1, 2``, ``Phase 3``, ``T001``."""
    plain = text.strip().strip("`*_ ")
    if _NUMBER_AT.match(plain):
        ids, end = _read_list(plain, 0, Unit("phase", "", "", "Phase"), _NUMBER_AT)
        if end >= len(plain):
            return tuple(ids)
    return ids_in(plain, generic=True)


def _hangul_or_han(character: str) -> bool:
    return "\uac00" <= character <= "\ud7af" or "\u4e00" <= character <= "\u9fff"


# ``1단계``, ``第2阶段``, ``3段階``: CJK and Hangul write the number before the unit word
_NUMBER_FIRST = patterns.compile(
    r"(?<![\w.])第?(?P<n>\d{1,4})\s*(?P<word>"
    + "|".join(re.escape(w) for u in UNITS for w in cues.unit_words(u.key) if _hangul_or_han(w[0]))
    + ")"
)


@functools.cache
def _unit_word() -> re.Pattern[str]:
    """For the rare text whose lower case is longer than itself (``İ``): positions must hold."""
    return patterns.compile(_UNIT_WORD_PATTERN, re.IGNORECASE)


def _unit_refs(text: str) -> list[Ref]:
    """``Phase 1, Phase 2-4``: a unit word inside a list already read starts no list of its own
    (reading it again would make a long list quadratic)."""
    refs: list[Ref] = []
    lowered = text.lower()
    words = _UNIT_WORD_LOWER.finditer(lowered) if len(lowered) == len(text) else _unit_word().finditer(text)
    for word in words:
        if refs and word.start() < refs[-1].end:
            continue
        if ref := _unit_ref(text, word):
            refs.append(ref)
    if text and max(text) > "\u2e7f":  # CJK or Hangul may write the number first
        refs.extend(_number_first_refs(text, refs))
    return refs


def _number_first_refs(text: str, found: list[Ref]) -> list[Ref]:
    taken = [(r.start, r.end) for r in found]
    refs = []
    for match in _NUMBER_FIRST.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            unit = unit_of(match["word"])
            refs.append(Ref((_make_id(match["n"], unit),), match.start(), match.end()))
    return refs


def _unit_ref(text: str, word: re.Match[str]) -> Ref | None:
    unit = unit_of(word["word"])
    if not _NUMBER_AT.match(text, word.end()):
        return None
    ids, end = _read_list(text, word.end(), unit, _NUMBER_AT)
    return Ref(tuple(dict.fromkeys(ids)), word.start(), end)


def _code_refs(text: str, generic: bool) -> list[Ref]:
    pattern = _CODE[generic]
    refs: list[Ref] = []
    position = 0
    while match := pattern.search(text, position):
        ids, end = _read_list(text, match.start(), None, _CODE_ITEM[generic])
        refs.append(Ref(tuple(dict.fromkeys(ids)), match.start(), end, code=True))
        position = end
    return refs


def _read_list(text: str, pos: int, unit: Unit | None, token: re.Pattern[str]) -> tuple[list[str], int]:
    """Ids from ``pos``: the first, then ``, & + / and or`` items and ``- to`` ranges."""
    first = token.match(text, pos)
    assert first is not None
    ids = [_make_id(first[0], unit)]
    end = first.end()
    tail_pattern = _tail(unit.word if unit else "")
    while tail := tail_pattern.match(text, end):
        item = token.match(text, tail.end())
        if item is None:
            break
        new_id = _make_id(item[0], unit)
        is_range = bool(_IS_RANGE.fullmatch(tail[1]))
        ids.extend(_expand_range(ids[-1], new_id) if is_range else [new_id])
        end = item.end()
    return ids, end


@functools.lru_cache(maxsize=64)
def _tail(word: str) -> re.Pattern[str]:
    """The separator before the next item of a list: ``, `` ``& `` ``- `` ``and Phase ``."""
    unit_word = rf"(?:(?:{word})\s+)?" if word else ""
    return patterns.compile(rf"({_RANGE_SEPARATOR}|{_LIST_SEPARATOR}){unit_word}", re.IGNORECASE)


def _make_id(token: str, unit: Unit | None) -> str:
    if unit is None:
        return token.removeprefix("#")
    return unit.prefix + (token if unit.prefix == "US" else token.lower())


# Ids that ranges (``Phases 1-200``, at most 200 each) may name while one document is read: a
# line of ten such ranges names 2,000 phases, and a megabyte of them fourteen million.
MAX_RANGE_IDS = 200_000


class TooManyRangeIds(Exception):
    """The ranges of one document name more ids than ``MAX_RANGE_IDS``."""


class _RangeBudget:
    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise TooManyRangeIds


_budgets: list[_RangeBudget] = []  # the documents being read, innermost last


@contextlib.contextmanager
def ranges_counted() -> Iterator[None]:
    """While the block runs, ranges name at most ``MAX_RANGE_IDS`` ids in all (else
    ``TooManyRangeIds``): ``read_document`` reads each document within one such budget."""
    budget = _RangeBudget(MAX_RANGE_IDS)
    _budgets.append(budget)
    try:
        yield
    finally:
        _budgets.remove(budget)


def _expand_range(low: str, high: str) -> list[str]:
    """``3``..``5``; ``2.1``..``2.3``; ``T001``..``T003``; ``epic-2``..``epic-4``."""
    expanded = _ids_between(low, high)
    if _budgets:
        _budgets[-1].spend(len(expanded))
    return expanded


def _ids_between(low: str, high: str) -> list[str]:
    low_match = re.fullmatch(r"(.*?)(\d+)", low)
    high_match = re.fullmatch(r"(.*?)(\d+)", high)
    if not (low_match and high_match) or low_match[1] != high_match[1]:
        return [high]
    first, last = int(low_match[2]), int(high_match[2])
    if not 0 < last - first <= 200:
        return [high]
    width = len(low_match[2]) if low_match[2].startswith("0") else 0
    return [f"{low_match[1]}{n:0{width}d}" for n in range(first + 1, last + 1)]
