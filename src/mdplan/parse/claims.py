"""Numeric claims a plan makes about its own schedule, for the claim audit (``mdplan.analyze.audit``).

Read here, recomputed there:

- totals: ``Total: 38 minutes``, ``Total delivery time: <40 minutes``, ``Total: 30s (serial)``;
  the scope of a total in a drawing is the phases drawn above it since the previous total
  (minus ``ignoring Phase 4``; right under another total, everything since the last such
  total); unnamed timed rows above it (``cargo test … # 10s``) are what it adds up;
- baselines: ``(vs. ~50 min original sequential)``;
- savings: ``20-25% savings``, ``reducing the critical path by 20%``, ``saves 12-15 min``;
  a percentage ``of`` something else (``30% of Phase 4 duration``) is about that, not the plan;
- lengths: ``Critical Path Length: 5 steps``, ``5 serial phases``;
- critical paths as written under a heading that says so: ``Phase 1 → {Phase 2, Phase 3} → Phase 4``;
- sums: ``35 min + 15 min = 50 min``.

Timeline windows (``Phase 2: 10-15 min``) are claims too; ``mdplan.parse.timeline`` reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal, NamedTuple

from mdplan.model import ClaimKind, ClaimStated, Fact, Pos, ScenarioName, patterns
from mdplan.model.vocabulary import natural_order
from mdplan.parse.blocks import Block, Line
from mdplan.parse.durations import NUMBER, UNIT_PATTERN, find_durations, unit_minutes
from mdplan.parse.escapes import unescape
from mdplan.parse.refs import find_refs

_NUMBER = NUMBER
_APPROX = r"(?P<approx>\\?~|≈|about\s+|approx(?:imately|\.)?\s+|roughly\s+|around\s+)?"
_BOUND = r"(?P<bound>\\?<=?|\\?>=?|≤|≥|under\s+|less\s+than\s+|at\s+most\s+|over\s+|more\s+than\s+)?"
_RANGE = rf"(?P<a>{_NUMBER})(?:\s*(?:-|–|—|to)\s*(?P<b>{_NUMBER}))?"
_AMOUNT = rf"{_BOUND}{_APPROX}{_RANGE}"

_TOTAL = patterns.compile(
    rf"\btotal\b[^:=\n]{{0,40}}?(?::|=|\bis\b|\bof\b)[*_\s]*{_AMOUNT}\s*(?P<unit>{UNIT_PATTERN})(?![A-Za-z])",
    re.IGNORECASE,
)
_BASELINE = patterns.compile(
    rf"\bvs\.?\s*{_AMOUNT}\s*(?P<unit>{UNIT_PATTERN})(?![A-Za-z])(?P<words>[^)\n]{{0,40}})", re.IGNORECASE
)
_PERCENT = patterns.compile(rf"{_APPROX}{_RANGE}\s*%")
_SAVING_AFTER = patterns.compile(
    r"^[*_\s]*(?:overall\s+|time\s+|total\s+)?(?:savings?|faster|shorter|reduction|quicker|speed-?up|saved|less\s+time)\b",
    re.IGNORECASE,
)
_SAVING_BEFORE = patterns.compile(
    r"(?:\b(?:reduc|sav|cut|shorten|speed)\w*\b[^%\d]{0,40}\bby|\bsavings?\s*:|\bfaster\s+by)\s*[*_]*\s*$",
    re.IGNORECASE,
)
_BEFORE_BASELINE = patterns.compile(r"(?:(?!\bvs\b).)*", re.IGNORECASE)
_PLAN_LENGTH_WORDS = r"(?:the\s+)?(?:plan|critical|total|overall|whole|schedule|timeline|delivery)"
_OF_SOMETHING = patterns.compile(
    rf"^[*_\s]*(?:savings?\s+|reduction\s+)?(?:of|in)\s+(?!{_PLAN_LENGTH_WORDS})\S", re.IGNORECASE
)
_MINUTES_SAVED = (
    patterns.compile(
        rf"\b(?:saves?|saving|savings?\s+(?:of|are|is))\s+{_APPROX}{_RANGE}\s*(?P<unit>{UNIT_PATTERN})(?![A-Za-z])",
        re.IGNORECASE,
    ),
    patterns.compile(
        rf"{_APPROX}{_RANGE}\s*(?P<unit>{UNIT_PATTERN})\s+(?:of\s+)?(?:savings?|saved|faster|shorter)\b", re.I
    ),
)
_STEPS = patterns.compile(
    rf"{_APPROX}(?<!\d)(?P<a>\d+)(?P<b>)\s+(?P<serial>serial\s+|sequential\s+)?(?:steps?|phases?|stages?)\b(?!\s*\d)",
    re.IGNORECASE,
)
SUM = patterns.compile(
    rf"(?P<terms>{_NUMBER}\s*(?:{UNIT_PATTERN})(?:\s*\([^()]*\))?(?:\s*\+\s*{_NUMBER}\s*(?:{UNIT_PATTERN})"
    rf"(?:\s*\([^()]*\))?)+)\s*=\s*(?P<a>{_NUMBER})\s*(?P<unit>{UNIT_PATTERN})(?![A-Za-z])",
    re.IGNORECASE,
)
TERM = patterns.compile(rf"(?P<n>{_NUMBER})\s*(?P<unit>{UNIT_PATTERN})(?:\s*\([^()]*\))?", re.IGNORECASE)
_PLAN_WORDS = patterns.compile(
    r"critical\s+path|\btotal\b|deliver|overall|\bplan\b|time\s+savings?|makespan|end-to-end|schedule|wall.?clock",
    re.IGNORECASE,
)
_SERIAL = patterns.compile(r"\b(?:serial|sequential|sequentially|one after another)\b", re.IGNORECASE)
_CURRENT_HINT = patterns.compile(r"\b(?:current|original|before|as-is|baseline|existing)\b", re.IGNORECASE)
_PROPOSED_HINT = patterns.compile(r"\b(?:optimi[sz]ed|proposed|parallelized|parallelised|improved|to-be)\b", re.I)
_IGNORED = patterns.compile(r"\b(?:ignoring|excluding|except|without|not counting)\b", re.IGNORECASE)
_CRITICAL_PATH = patterns.compile(r"critical\s+path", re.IGNORECASE)
# from the start of a run of spaces only (one try per run: linear)
_ARROW = patterns.compile(r"(?<!\s)\s*(?:→|->|-->|──→|⟶|=>)\s*")
# a drawing's closing line that is only a length: ``43 min``, ``└─ 36 min (16% faster)``
_CLOSING_TOTAL = patterns.compile(
    rf"^[\s|│└┘─=>:*]*{_AMOUNT}\s*(?P<unit>{UNIT_PATTERN})(?![A-Za-z])(?=\s*(?:\([^()]*\))?\s*$)", re.IGNORECASE
)
_WORDY = patterns.compile(r"[^\W_]")
_PATH_FILLER = patterns.compile(r"^[\s{},&*_`]*(?:and[\s{},&*_`]*)*$")


MAX_CLAIM_LINE = 2_000
_DIGIT = patterns.compile(r"\d")


def read_claims(block: Block) -> list[Fact]:
    """Recognizer for paragraphs, list items and code blocks."""
    facts: list[Fact] = []
    drawn = _Drawn()
    for line in block.lines:
        text = line.text  # as written, so columns are exact; the patterns allow ** and _
        if len(text) <= MAX_CLAIM_LINE:  # no claim is longer; the patterns are quadratic on digit runs
            facts.extend(_Line(text, line, block, drawn).claims())
        if block.kind == "code":
            drawn.add(line)
    return facts


class _Amount(NamedTuple):
    low: float
    high: float
    approx: bool
    bound: Literal["", "<", ">"]


def _amount(match: re.Match[str], scale: float = 1.0) -> _Amount:
    groups = match.groupdict()
    low = float(groups["a"]) * scale
    high = float(groups["b"]) * scale if groups.get("b") else low
    bound_word = (groups.get("bound") or "").strip().lower().lstrip("\\")  # ``\\<5`` is ``<5``
    bound: Literal["", "<", ">"] = ""
    if bound_word:
        bound = "<" if bound_word[0] in "<≤ula" else ">"
    return _Amount(min(low, high), max(low, high), bool(groups.get("approx")), bound)


def _scale(match: re.Match[str]) -> float:
    return unit_minutes(match["unit"]) or 1.0


@dataclass
class _Line:
    """One line of a block, and the claims on it."""

    text: str
    line: Line
    block: Block
    drawn: _Drawn
    taken: list[tuple[int, int]] = field(default_factory=list)

    def claims(self) -> Iterator[ClaimStated]:
        if not _DIGIT.search(self.text):  # every amount is written in digits; only a path is not
            yield from self._path()
            return
        total = _TOTAL.search(self.text) or self._closing_total()
        yield from self._total(total)
        yield from self._baselines()
        yield from self._sums()
        about_plan_line = total is not None or bool(_PLAN_WORDS.search(self.text))
        yield from self._percents(about_plan_line)
        yield from self._savings(about_plan_line)
        yield from self._steps()
        yield from self._path()

    def claim(self, kind: ClaimKind, match: re.Match[str], amount: _Amount, end: int = 0, **extra: Any) -> ClaimStated:
        self.taken.append(match.span())
        return ClaimStated(
            kind,
            unescape(self.text[match.start() : end or match.end()].replace("**", "").replace("__", "").strip()),
            amount.low,
            amount.high,
            Pos(self.line.number, self.line.col + match.start()),
            self.block.view,
            hint=_hint(self.text[: match.start()]),
            unit=match.groupdict().get("unit") or "",
            approx=amount.approx,
            bound=amount.bound,
            **extra,
        )

    def _total(self, total: re.Match[str] | None) -> Iterator[ClaimStated]:
        if total is None:
            return
        rest = _BEFORE_BASELINE.match(self.text, total.end())
        measure = "work" if rest and _SERIAL.search(rest[0]) else "makespan"
        scope: tuple[str, ...] = ()
        rows: tuple[float, ...] = ()
        if self.block.kind == "code":
            scope, rows = self.drawn.scope()
        nothing = self.block.kind == "code" and not (scope or rows)
        reason = "nothing is drawn or timed above it to add up" if nothing else ""
        yield self.claim(
            "total",
            total,
            _amount(total, _scale(total)),
            measure=measure,
            scope=scope,
            rows=rows,
            not_about_plan=reason,
        )

    def _closing_total(self) -> re.Match[str] | None:
        """The length a drawing of phases ends on (a timeline's last line), as its total."""
        if self.block.kind != "code" or self.line is not _last_written(self.block):
            return None
        closing = _CLOSING_TOTAL.match(self.text)
        return closing if closing and self.drawn.peek()[0] else None

    def _baselines(self) -> Iterator[ClaimStated]:
        for baseline in _BASELINE.finditer(self.text):
            words = baseline["words"]
            measure = "work" if _SERIAL.search(words) else "makespan"
            found = self.claim(
                "total", baseline, _amount(baseline, _scale(baseline)), baseline.end("unit"), measure=measure
            )
            yield replace(found, hint=_hint(words) or "current")

    def _sums(self) -> Iterator[ClaimStated]:
        for summed in SUM.finditer(self.text):
            terms = sum_terms(summed)
            yield self.claim("sum", summed, _amount(summed, _scale(summed)), terms=terms)

    def _percents(self, about_plan_line: bool) -> Iterator[ClaimStated]:
        for percent in _PERCENT.finditer(self.text):
            after, before = self.text[percent.end() :], self.text[: percent.start()]
            if not (_SAVING_AFTER.match(after) or _SAVING_BEFORE.search(before)):
                continue
            reason = _not_about_plan(about_plan_line, _SAVING_AFTER.sub("", after, count=1))
            yield self.claim("percent", percent, _amount(percent), not_about_plan=reason)

    def _savings(self, about_plan_line: bool) -> Iterator[ClaimStated]:
        for saved in (m for pattern in _MINUTES_SAVED for m in pattern.finditer(self.text)):
            if not _overlaps(saved.span(), self.taken):
                reason = _not_about_plan(about_plan_line, self.text[saved.end() :])
                yield self.claim("saving", saved, _amount(saved, _scale(saved)), not_about_plan=reason)

    def _steps(self) -> Iterator[ClaimStated]:
        on_critical_path = bool(_CRITICAL_PATH.search(self.text))
        for steps in _STEPS.finditer(self.text):
            if on_critical_path or steps["serial"]:
                yield self.claim("steps", steps, _amount(steps))

    def _path(self) -> Iterator[ClaimStated]:
        view_title = self.block.view.title if self.block.view else ""
        if not (_CRITICAL_PATH.search(self.block.section) or _CRITICAL_PATH.search(view_title)):
            return
        path = written_path(self.text)
        whole = re.match(r"^\s*(?P<a>.*?)\s*$", self.text)
        if path and whole:
            yield self.claim("path", whole, _Amount(len(path), len(path), False, ""), path=path)


def _last_written(block: Block) -> Line | None:
    return next((line for line in reversed(block.lines) if _WORDY.search(line.text)), None)


def _not_about_plan(about_plan_line: bool, after: str) -> str:
    """Why a saving is not about the plan's length: it says what it is a share of, or its line
    names no plan length; "" when it is about the plan."""
    other = _OF_SOMETHING.match(after)
    if other:
        return f'said of "{_phrase(after)}", not of the whole plan'
    return "" if about_plan_line else "its line names no plan length (critical path, total, delivery)"


def _phrase(text: str) -> str:
    words = re.sub(r"^(?:of|in)\s+", "", text.strip(), flags=re.IGNORECASE)
    return re.split(r"[(),;.]|\s[-–—]\s", words, maxsplit=1)[0].strip()


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _hint(before: str) -> ScenarioName | None:
    """The scenario a word just before the number names: the last such word wins."""
    current = [m.start() for m in _CURRENT_HINT.finditer(before)]
    proposed = [m.start() for m in _PROPOSED_HINT.finditer(before)]
    if not current and not proposed:
        return None
    return "current" if max(current, default=-1) > max(proposed, default=-1) else "optimized"


Covered = tuple[tuple[str, ...], tuple[float, ...]]  # (phase ids, else durations of unnamed rows)


@dataclass
class _Stretch:
    """What some lines of a code block draw: phase ids, and durations of unnamed rows."""

    ids: dict[str, None] = field(default_factory=dict)
    rows: list[float] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ids or self.rows)

    def covered(self) -> Covered:
        ids = tuple(sorted(self.ids, key=natural_order))
        return ids, (tuple(self.rows) if not ids else ())


@dataclass
class _Drawn:
    """What the lines above a total in its code block draw, for the total to add up: the phases
    (not those a line says it ignores), else the durations of unnamed rows (not totals), the last
    one written on each row.

    A total covers the lines since the previous total. A total with nothing drawn since the
    previous one (``Total (serial)`` under ``Total``, an overall total under subtotals) covers
    everything drawn since the last such total, or, with nothing drawn since that one either,
    what it covered. So each line is read once, when a total first needs it, and each id is
    sorted at most twice: a block is read in n log n however many totals it holds (a total
    that covered everything above it made a block of alternating phases and totals quadratic)."""

    pending: list[Line] = field(default_factory=list)
    since_total: _Stretch = field(default_factory=_Stretch)
    since_overall: _Stretch = field(default_factory=_Stretch)
    overall: Covered = ((), ())

    def add(self, line: Line) -> None:
        self.pending.append(line)

    def peek(self) -> Covered:
        """What a total on the next line would cover."""
        for line in self.pending:
            self._read(line)
        self.pending.clear()
        stretch = next((s for s in (self.since_total, self.since_overall) if s), None)
        return stretch.covered() if stretch else self.overall

    def scope(self) -> Covered:
        """What a total on the next line covers; the lines after it start a new stretch."""
        covered = self.peek()
        if not self.since_total and self.since_overall:
            self.overall, self.since_overall = covered, _Stretch()
        self.since_total = _Stretch()
        return covered

    def _read(self, line: Line) -> None:
        ignored = _IGNORED.search(line.text)
        refs = [r for r in find_refs(line.text) if not (ignored and r.start > ignored.start())]
        if refs:
            for stretch in (self.since_total, self.since_overall):
                stretch.ids.update((i, None) for r in refs for i in r.ids)
        elif not ignored and not _TOTAL.search(line.text):  # a total is no row to add up
            durations = find_durations(line.text)
            if durations:
                self.since_total.rows.append(durations[-1].high)
                self.since_overall.rows.append(durations[-1].high)


def written_path(text: str) -> tuple[tuple[str, ...], ...]:
    """``Phase 1 → {Phase 2, Phase 3} → Phase 4``: one group of ids per step; () if the line is
    anything else (a chain of at least two steps, nothing but references between arrows)."""
    parts = _ARROW.split(text.strip())
    if len(parts) < 2:
        return ()
    path: list[tuple[str, ...]] = []
    for part in parts:
        refs = find_refs(part)
        rest = part
        for ref in reversed(refs):
            rest = rest[: ref.start] + rest[ref.end :]
        if not refs or not _PATH_FILLER.match(rest):
            return ()
        path.append(tuple(i for r in refs for i in r.ids))
    return tuple(path)


def sum_terms(summed: re.Match[str]) -> tuple[float, ...]:
    """The addends of a ``SUM`` match, in minutes."""
    return tuple(float(t["n"]) * _scale(t) for t in TERM.finditer(summed["terms"]))
