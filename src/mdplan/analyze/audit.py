"""The claim audit: every number a plan claims about its schedule, recomputed from its graph.

A claim (``mdplan.parse.claims``, ``mdplan.parse.timeline``) is checked against the scenario
it names (a word such as *current* or *optimized* just before it, else the heading or label
it sits under, else the plan the document proposes). Verdicts:

- ``consistent``: the computed value is within the claim's tolerance: exact numbers ±0.5 min
  (±0.5 s below one minute) and ±1.5 percentage points; ``~``/``about`` ±10 % of the value and
  ±5 points; ranges widen by the same amounts; ``<40`` and ``>40`` are bounds;
- ``inconsistent``: it is not (a warning ``MP114`` in ``check``);
- ``unverifiable``: the number is about something the plan does not model (``30% of Phase 4
  duration``, a total with nothing drawn above it), or needs a scenario the plan lacks.

Savings (``20% faster``, ``saves 12 min``) compare the proposed plan with the current one; a
saving on a line with a total compares that total (as computed) with the current plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from mdplan.analyze.graph import Reach, critical_path_method, longest_chain, timed_graph, topological_order
from mdplan.model import ClaimStated, Diagnostic, Plan, ScenarioName
from mdplan.model.vocabulary import (
    ARITHMETIC,
    CRITICAL_PATH,
    NOT_THE_PLAN,
    ONE_AFTER_ANOTHER,
    ROWS,
    WHOLE_PLAN,
    format_number,
    format_span,
    phase_label,
)
from mdplan.parse.durations import unit_minutes

if TYPE_CHECKING:
    from mdplan.analyze import Schedule

Verdict = Literal["consistent", "inconsistent", "unverifiable"]
CLAIM_DOES_NOT_HOLD = "MP114"
_MINUTE_TOLERANCE = 0.5
_SECOND_TOLERANCE = 0.5 / 60
_POINT_TOLERANCE = 1.5
_APPROX_SHARE = 0.10
_APPROX_POINTS = 5.0
SHOWN_PATH = 12  # phases of a critical path a claim's check writes out


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """One claim with its verdict: what the document says, what mdplan computes, and why."""

    line: int
    col: int
    kind: str
    text: str
    scenario: ScenarioName | None
    claimed: str
    computed: str
    verdict: Verdict
    note: str = ""
    covers: str = ""  # what the claim is about, as the report writes it (and reads it back)


@dataclass(frozen=True, slots=True)
class _Result:
    value: float | None  # None: unverifiable
    shown: str
    note: str = ""


def audit(plan: Plan, schedules: dict[str, Schedule]) -> tuple[ClaimCheck, ...]:
    auditor = _Auditor(plan, schedules)
    return tuple(auditor.check(claim) for claim in plan.claims)


class _Graphed:
    """What many claims ask of one schedule's graph, computed once: a document may hold
    thousands of claims, and each would otherwise rebuild these (quadratic in claims)."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule

    @cached_property
    def edges(self) -> set[tuple[str, str]]:
        return {(e.src, e.dst) for e in self.schedule.scenario.edges}

    @cached_property
    def critical_path(self) -> str:
        """The critical path as a claim's check shows it: every phase, or past ``SHOWN_PATH``
        phases its first and last few (each claim about it shows it: thousands of claims would
        otherwise each write out a path of thousands of phases)."""
        path = self.schedule.critical_path
        if len(path) > SHOWN_PATH:
            half = SHOWN_PATH // 2
            path = (*path[:half], "…", *path[-half:])
        return " → ".join(phase_label(i) if i != "…" else i for i in path)

    @cached_property
    def longest_chain(self) -> int:
        """The most phases on any one dependency chain."""
        return longest_chain(self.schedule.graph) if self.schedule.graph is not None else 0

    @cached_property
    def reach(self) -> Reach | None:
        return Reach(self.schedule.graph) if self.schedule.graph is not None else None

    @cached_property
    def phases(self) -> set[str]:
        return set(self.schedule.minutes)

    @cached_property
    def untimed_set(self) -> set[str]:
        return set(self.schedule.unknown_durations)

    @cached_property
    def untimed(self) -> list[str]:
        """The phases without a duration, in the plan's order."""
        return [i for i in self.schedule.minutes if i in self.untimed_set]

    @cached_property
    def size(self) -> int:
        """Phases and dependencies (networkx counts the edges by walking every node)."""
        graph = self.schedule.graph
        return len(graph) + graph.number_of_edges() if graph is not None else 0

    @cached_property
    def order(self) -> list[str]:
        if self.schedule.cpm is not None:  # the schedule's own order, already found
            return list(self.schedule.cpm.order)
        return topological_order(self.schedule.graph) if self.schedule.graph is not None else []

    def length_of(self, ids: tuple[str, ...]) -> float:
        """Length of some phases of a plan, keeping the order the plan implies among them: the
        longest chain of them in reachability order. Pairs by reach for a few phases; for many,
        one pass over the whole graph with every other phase taking no time (same sums)."""
        graph, minutes = self.schedule.graph, self.schedule.minutes
        if graph is None or self.reach is None:
            return 0.0
        if len(ids) ** 2 <= self.size:
            pairs = [(a, b) for a in ids for b in ids if self.reach.reaches(a, b)]
            return critical_path_method(timed_graph(ids, pairs, minutes)).makespan
        members = set(ids)
        finish: dict[str, float] = {}
        for node in self.order:
            start = max((finish[p] for p in graph.predecessors(node)), default=0.0)
            finish[node] = start + minutes[node] if node in members else start
        return max(finish.values(), default=0.0)


def claim_diagnostics(plan: Plan, checks: tuple[ClaimCheck, ...]) -> list[Diagnostic]:
    return [
        Diagnostic(
            plan.source,
            c.line,
            c.col,
            "warning",
            CLAIM_DOES_NOT_HOLD,
            f'claim "{c.text}" does not hold: '
            + (f"it says {c.claimed}, " if c.claimed != c.text else "")
            + f"mdplan computes {c.computed}"
            + (f" ({c.note})" if c.note else ""),
        )
        for c in checks
        if c.verdict == "inconsistent"
    ]


@dataclass(frozen=True)
class _Auditor:
    plan: Plan
    schedules: dict[str, Schedule]
    _graphed: dict[str, _Graphed] = field(default_factory=dict)

    @cached_property
    def _totals_by_line(self) -> dict[int, ClaimStated]:
        """The first ``Total: …`` claim of each line."""
        totals: dict[int, ClaimStated] = {}
        for claim in self.plan.claims:
            if claim.kind == "total" and _is_total(claim):
                totals.setdefault(claim.pos.line, claim)
        return totals

    def _graph_of(self, schedule: Schedule) -> _Graphed:
        return self._graphed.setdefault(schedule.scenario.name, _Graphed(schedule))

    def check(self, claim: ClaimStated) -> ClaimCheck:
        scenario = self._scenario_of(claim)
        result = self._compute(claim, scenario)
        verdict: Verdict = "unverifiable"
        if result.value is not None:
            verdict = "consistent" if _holds(claim, result.value) else "inconsistent"
        return ClaimCheck(
            claim.pos.line,
            claim.pos.col,
            claim.kind,
            claim.text,
            scenario,
            _claimed(claim),
            result.shown,
            verdict,
            result.note,
            covers(claim, self.plan),
        )

    # --- which plan a claim is about ---

    @property
    def proposed(self) -> ScenarioName | None:
        for name in ("optimized", "current"):
            if name in self.schedules:
                return name
        return None

    def _scenario_of(self, claim: ClaimStated) -> ScenarioName | None:
        wanted = claim.hint or (claim.view.scenario if claim.view else None) or self.proposed
        return wanted if wanted in self.schedules else self.proposed

    def _schedule(self, name: ScenarioName | None) -> Schedule | None:
        found = self.schedules.get(name) if name else None
        return found if found is not None and not found.cycle else None

    # --- recomputing ---

    def _compute(self, claim: ClaimStated, scenario: ScenarioName | None) -> _Result:
        if claim.kind == "sum":
            total = sum(claim.terms)
            terms = " + ".join(in_unit(t, claim.unit) for t in claim.terms)
            return _Result(total, f"{terms} = {in_unit(total, claim.unit)}", "the arithmetic as written")
        if claim.not_about_plan:
            return _Result(None, "—", claim.not_about_plan)
        schedule = self._schedule(scenario)
        if schedule is None:
            return _Result(None, "—", "no schedule for this plan (a dependency cycle)")
        return _COMPUTE[claim.kind](self, claim, schedule)

    def _total(self, claim: ClaimStated, schedule: Schedule) -> _Result:
        if claim.rows:
            total = sum(claim.rows)
            rows = " + ".join(in_unit(r, claim.unit) for r in claim.rows)
            return _Result(total, in_unit(total, claim.unit), f"the rows above it, one after another: {rows}")
        members = tuple(i for i in claim.scope if i in schedule.minutes)
        graphed = self._graph_of(schedule)
        whole = not members or set(members) == graphed.phases
        ids = tuple(schedule.minutes) if whole else members
        unknown = graphed.untimed if whole else [i for i in ids if i in graphed.untimed_set]
        if unknown:
            return _Result(None, "—", f"{', '.join(phase_label(i) for i in unknown)} without a duration")
        name = _scenario_word(schedule)
        measure = "work (one after another)" if claim.measure == "work" else "length"
        if whole and claim.measure == "makespan" and not schedule.scenario.edges and len(ids) > 1:
            at_once, serial = in_unit(schedule.makespan or 0.0, claim.unit), in_unit(schedule.work, claim.unit)
            return _Result(
                None, "—", f"the plan states no dependencies: {at_once} all at once, {serial} one after another"
            )
        if whole:
            value = schedule.work if claim.measure == "work" else schedule.makespan or 0.0
            return _Result(value, in_unit(value, claim.unit), f"{name} plan, {measure}")
        if claim.measure == "work":
            value = sum(schedule.minutes[i] for i in ids)
        else:
            value = self._graph_of(schedule).length_of(ids)
        overall = schedule.work if claim.measure == "work" else schedule.makespan or 0.0
        return _Result(
            value,
            in_unit(value, claim.unit),
            f"those phases in the {name} plan; the whole plan takes {in_unit(overall, claim.unit)}",
        )

    def _saving_base(self, claim: ClaimStated) -> tuple[float, float, str] | str:
        """(current, proposed, what was compared) for a saving, or why it is unverifiable."""
        current = self._schedule("current")
        if current is None or current.makespan is None:
            return "no current plan to compare with"
        total = self._total_on_line(claim)
        if total is not None:
            if total.value is None:
                return "the total on its line cannot be checked"
            return current.makespan, total.value, f"the total on this line ({total.shown}) vs the current plan"
        optimized = self._schedule("optimized")
        if optimized is None or optimized.makespan is None:
            return "the document proposes no second plan to compare with"
        return current.makespan, optimized.makespan, "optimized vs current plan"

    def _total_on_line(self, claim: ClaimStated) -> _Result | None:
        total = self._totals_by_line.get(claim.pos.line)
        if total is None:
            return None
        if total.not_about_plan:
            return _Result(None, "—")
        schedule = self._schedule(self._scenario_of(total))
        return self._total(total, schedule) if schedule else _Result(None, "—")

    def _percent(self, claim: ClaimStated, schedule: Schedule) -> _Result:
        base = self._saving_base(claim)
        if isinstance(base, str):
            return _Result(None, "—", base)
        current, proposed, compared = base
        share = (current - proposed) / current * 100 if current else 0.0
        shown = f"{format_number(share)}% ({_minutes(proposed)} vs {_minutes(current)})"
        return _Result(share, shown, compared)

    def _saving(self, claim: ClaimStated, schedule: Schedule) -> _Result:
        base = self._saving_base(claim)
        if isinstance(base, str):
            return _Result(None, "—", base)
        current, proposed, compared = base
        saved, after, before = (in_unit(v, claim.unit) for v in (current - proposed, proposed, current))
        return _Result(current - proposed, f"{saved} ({after} vs {before})", compared)

    def _steps(self, claim: ClaimStated, schedule: Schedule) -> _Result:
        path = schedule.critical_path
        shown = f"{len(path)} phases ({self._graph_of(schedule).critical_path}, {_minutes(schedule.makespan or 0)})"
        longest = self._graph_of(schedule).longest_chain
        note = f"{_scenario_word(schedule)} plan"
        if longest != len(path):
            note += (
                "; a step count is checked against the critical path, "
                f"not against the chain with the most phases ({longest})"
            )
        return _Result(len(path), shown, note)

    def _path(self, claim: ClaimStated, schedule: Schedule) -> _Result:
        shown = self._graph_of(schedule).critical_path + f" ({_minutes(schedule.makespan or 0)})"
        written = _written_length(claim, schedule)
        note = f"{_scenario_word(schedule)} plan"
        critical = _is_critical(claim.path, schedule, self._graph_of(schedule).edges)
        if written is not None and not critical:
            note += f"; the path as written takes {_minutes(written)}"
        return _Result(claim.low if critical else -1.0, shown, note)

    def _window(self, claim: ClaimStated, schedule: Schedule) -> _Result:
        ids = [i for i in claim.scope if i in schedule.earliest_start]
        if len(ids) != len(claim.scope):
            return _Result(None, "—", f"not every phase of it is in the {_scenario_word(schedule)} plan")
        start = min(schedule.earliest_start[i] for i in ids)
        end = max(schedule.earliest_finish[i] for i in ids)
        fits = abs(start - claim.low) <= _MINUTE_TOLERANCE and abs(end - claim.high) <= _MINUTE_TOLERANCE
        return _Result(
            claim.low if fits else -1.0,
            f"{format_number(start)}-{format_number(end)} min",
            f"{_scenario_word(schedule)} plan, earliest start and finish",
        )


_COMPUTE = {
    "total": _Auditor._total,
    "percent": _Auditor._percent,
    "saving": _Auditor._saving,
    "steps": _Auditor._steps,
    "path": _Auditor._path,
    "window": _Auditor._window,
}


def covers(claim: ClaimStated, plan: Plan) -> str:
    """What a claim is about: its phases, its rows, the whole plan, or why not the plan."""
    if claim.not_about_plan:
        return NOT_THE_PLAN + claim.not_about_plan
    serial = ONE_AFTER_ANOTHER if claim.measure == "work" else ""
    labels = ", ".join(plan.phases[i].label if i in plan.phases else phase_label(i) for i in claim.scope)
    by_kind = {
        "window": labels,
        "steps": CRITICAL_PATH,
        "path": CRITICAL_PATH,
        "sum": ARITHMETIC,
    }
    if claim.kind in by_kind:
        return by_kind[claim.kind]
    if claim.rows:
        return ROWS + " + ".join(in_unit(r, claim.unit) for r in claim.rows) + serial
    return (labels or WHOLE_PLAN) + serial


def _is_total(claim: ClaimStated) -> bool:
    """``Total: …`` itself, not a baseline ``vs. 50 min`` beside it."""
    return claim.text.lower().startswith("total")


def _holds(claim: ClaimStated, value: float) -> bool:
    if claim.kind in ("path", "window"):
        return value == claim.low
    low, high = claim.low, claim.high
    if claim.kind == "percent":
        tolerance = _APPROX_POINTS if claim.approx else _POINT_TOLERANCE
    elif claim.kind == "steps":
        tolerance = 0.0
    else:
        tolerance = _MINUTE_TOLERANCE if high >= 1 else _SECOND_TOLERANCE
        if claim.approx:
            tolerance = max(tolerance, high * _APPROX_SHARE)
    if claim.bound == "<":
        return value < high
    if claim.bound == ">":
        return value > low
    return low - tolerance <= value <= high + tolerance


def _claimed(claim: ClaimStated) -> str:
    prefix = ("~" if claim.approx else "") + claim.bound
    written = {
        "path": claim.text,
        "window": f"{format_number(claim.low)}-{format_number(claim.high)} min",
        "percent": f"{prefix}{_span(claim.low, claim.high)}%",
        "steps": f"{prefix}{format_number(claim.low)} phases",
    }
    if claim.kind in written:
        return written[claim.kind]
    low, high = in_unit(claim.low, claim.unit), in_unit(claim.high, claim.unit)
    if low == high:
        return prefix + low
    unit = high.rsplit(" ", 1)[-1]
    if low.endswith(" " + unit):
        return f"{prefix}{low.rsplit(' ', 1)[0]}-{high}"
    return f"{prefix}{low}-{high}"


_SHORT_UNITS = {1.0: "min", 60.0: "h", 1 / 60: "s"}


def in_unit(minutes: float, unit: str) -> str:
    """A value in the unit its claim was written in (``49 giờ``, ``38 min``), else a planner's unit."""
    scale = unit_minutes(unit) if unit else None
    if not scale:
        return format_span(minutes)
    name = _SHORT_UNITS.get(scale, unit)
    return f"{format_number(minutes / scale)} {name}"


def _span(low: float, high: float) -> str:
    return format_number(low) if low == high else f"{format_number(low)}-{format_number(high)}"


def _minutes(value: float) -> str:
    return format_span(value)


def _scenario_word(schedule: Schedule) -> str:
    return schedule.scenario.name


def _is_critical(path: tuple[tuple[str, ...], ...], schedule: Schedule, edges: set[tuple[str, str]]) -> bool:
    """Whether one phase from each written step makes a critical path: tight zero-slack links
    from a start at 0 to a finish at the makespan (``edges``: the schedule's, as pairs)."""
    es, ef = schedule.earliest_start, schedule.earliest_finish
    reachable = {i for i in path[0] if i in es and es[i] == 0 and schedule.is_critical(i)}
    for step in path[1:]:
        reachable = {
            i
            for i in step
            if i in es
            and schedule.is_critical(i)
            and any((p, i) in edges and abs(ef[p] - es[i]) <= 1e-9 for p in reachable)
        }
    return any(abs(ef[i] - (schedule.makespan or 0)) <= 1e-9 for i in reachable)


def _written_length(claim: ClaimStated, schedule: Schedule) -> float | None:
    """The length of a written path with one phase per step, as the plan times its phases."""
    if any(len(step) != 1 for step in claim.path) or any(step[0] not in schedule.minutes for step in claim.path):
        return None
    return sum(schedule.minutes[step[0]] for step in claim.path)
