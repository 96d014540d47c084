"""The schedule of each scenario, on the graph core (``mdplan.analyze.graph``: networkx and the CPM).

For each scenario: earliest/latest start and finish, slack, critical path, makespan, total
work, parallelism and waves (topological generations). Phases without a duration count as
0 min and are listed, so a makespan is never silently short. A cycle makes the scenario
unschedulable: it is an error naming every edge of the cycle with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mdplan.model import Diagnostic, Edge, Plan, Scenario
from mdplan.model.errors import UnusableInput
from mdplan.model.vocabulary import natural_order, phase_label

if TYPE_CHECKING:
    from mdplan.analyze.audit import ClaimCheck
    from mdplan.analyze.findings import Finding, Recommendation
    from mdplan.analyze.graph import Cpm, DiGraph

CYCLE = "MP107"
NO_DURATION = "MP106"
EPSILON = 1e-9


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    """The analysis of one scenario."""

    scenario: Scenario
    minutes: dict[str, float]
    earliest_start: dict[str, float] = field(default_factory=dict)
    earliest_finish: dict[str, float] = field(default_factory=dict)
    latest_start: dict[str, float] = field(default_factory=dict)
    latest_finish: dict[str, float] = field(default_factory=dict)
    critical_path: tuple[str, ...] = ()
    waves: tuple[tuple[str, ...], ...] = ()
    unknown_durations: tuple[str, ...] = ()
    cycle: tuple[Edge, ...] = ()
    workers: tuple[tuple[int, float], ...] = ()  # (k, makespan with k workers)
    min_workers: int | None = None
    makespan_range: tuple[float, float] | None = None  # every range at its low end, at its high end
    graph: DiGraph | None = field(default=None, compare=False, repr=False)
    cpm: Cpm | None = field(default=None, compare=False, repr=False)  # None for a scenario with a cycle

    @property
    def makespan(self) -> float | None:
        if self.cycle:
            return None
        return max(self.earliest_finish.values(), default=0.0)

    @property
    def work(self) -> float:
        return sum(self.minutes.values())

    @property
    def parallelism(self) -> float | None:
        makespan = self.makespan
        return self.work / makespan if makespan else None

    def slack(self, phase_id: str) -> float:
        return self.latest_start[phase_id] - self.earliest_start[phase_id]

    def is_critical(self, phase_id: str) -> bool:
        return not self.cycle and abs(self.slack(phase_id)) < EPSILON


@dataclass(frozen=True, slots=True)
class Analysis:
    plan: Plan
    schedules: tuple[Schedule, ...]
    diagnostics: tuple[Diagnostic, ...]
    findings: tuple[Finding, ...] = ()
    recommended: Schedule | None = None
    claims: tuple[ClaimCheck, ...] = ()
    recommendation: Recommendation | None = None  # its changes, and its length with races accepted

    def schedule(self, name: str) -> Schedule | None:
        return next((s for s in self.schedules if s.scenario.name == name), None)

    def graph(self, name: str = "current") -> DiGraph | None:
        """The scenario as a networkx DiGraph (``recommended`` included), or None."""
        chosen = self.recommended if name == "recommended" else self.schedule(name)
        return chosen.graph if chosen else None

    @property
    def all_diagnostics(self) -> tuple[Diagnostic, ...]:
        merged = dict.fromkeys([*self.plan.diagnostics, *self.diagnostics])
        return tuple(sorted(merged, key=lambda d: (d.line, d.col, d.code, d.message)))


def analyze(plan: Plan, *, full: bool = True) -> Analysis:
    """Schedules, diagnostics and the claim audit; with ``full`` (all but ``check``, which
    prints diagnostics only) also the worker curves, findings and the recommended plan."""
    # the graph core (networkx) loads here, once the document is read: ``check`` on a file
    # that is no plan never pays for it, and the parser's peak memory is spent before it
    from mdplan.analyze.audit import audit, claim_diagnostics

    schedules = tuple(schedule(plan, scenario, workers=full) for scenario in plan.scenarios)
    diagnostics: list[Diagnostic] = []
    for item in schedules:
        diagnostics.extend(_schedule_diagnostics(plan, item))
    by_name: dict[str, Schedule] = {s.scenario.name: s for s in schedules}
    claims = audit(plan, by_name)
    diagnostics.extend(claim_diagnostics(plan, claims))
    if not full:
        return Analysis(plan, schedules, tuple(diagnostics), claims=claims)
    from mdplan.analyze.findings import MAX_RACES, TooManyRaces, find, recommended

    try:
        plan_of_record = recommended(plan)
        found = tuple(find(plan, by_name))
    except TooManyRaces:
        from mdplan.parse.document import TOO_LARGE

        message = f"too large: more than {MAX_RACES:,} pairs of phases that may overlap on one file; "
        raise UnusableInput(plan.source, TOO_LARGE, message + f"mdplan reports plans of up to {MAX_RACES:,}") from None
    chosen = schedule(plan, plan_of_record.scenario) if plan_of_record else None
    return Analysis(plan, schedules, tuple(diagnostics), found, chosen, claims, plan_of_record)


def schedule(plan: Plan, scenario: Scenario, *, workers: bool = True) -> Schedule:
    from mdplan.analyze.graph import critical_path_method, cycle, generations, longest_finish, scenario_graph
    from mdplan.analyze.workers import worker_curve

    minutes = {pid: plan.phases[pid].minutes or 0.0 for pid in scenario.phase_ids}
    unknown = tuple(pid for pid in scenario.phase_ids if plan.phases[pid].minutes is None)
    graph = scenario_graph(scenario, plan.phases)
    loop = cycle(graph)
    if loop:
        return Schedule(
            scenario=scenario,
            minutes=minutes,
            unknown_durations=unknown,
            cycle=_cycle_edges(scenario, loop),
            graph=graph,
        )
    cpm = critical_path_method(graph)
    curve, needed = worker_curve(graph, cpm) if workers else ([], None)
    best, worst = (longest_finish(graph, cpm.order, _range_end(plan, scenario, end)) for end in (0, 1))
    return Schedule(
        scenario=scenario,
        minutes=minutes,
        earliest_start=cpm.earliest_start,
        earliest_finish=cpm.earliest_finish,
        latest_start=cpm.latest_start,
        latest_finish=cpm.latest_finish,
        critical_path=_critical_path(graph, cpm),
        waves=tuple(tuple(sorted(wave, key=natural_order)) for wave in generations(graph)),
        unknown_durations=unknown,
        workers=tuple(curve),
        min_workers=needed,
        makespan_range=(best, worst),
        graph=graph,
        cpm=cpm,
    )


def _range_end(plan: Plan, scenario: Scenario, end: int) -> dict[str, float]:
    """Every phase at one end of its range (0: low, 1: high); unknown durations count 0."""
    found = {}
    for pid in scenario.phase_ids:
        phase = plan.phases[pid]
        found[pid] = phase.minutes_range[end] if phase.minutes_range else phase.minutes or 0.0
    return found


def _cycle_edges(scenario: Scenario, loop: list[tuple[str, str]]) -> tuple[Edge, ...]:
    by_pair = {(e.src, e.dst): e for e in scenario.edges}
    return tuple(by_pair[pair] for pair in loop)


def _critical_path(graph: DiGraph, cpm: Cpm) -> tuple[str, ...]:
    """One longest path: from a zero-slack start, always the first tight zero-slack successor."""
    es, ef, ls = cpm.earliest_start, cpm.earliest_finish, cpm.latest_start

    def tight(node: str) -> bool:
        return abs(ls[node] - es[node]) < EPSILON

    start = next((n for n in cpm.order if tight(n) and es[n] < EPSILON), None)
    path: list[str] = []
    while start is not None:
        path.append(start)
        successors = sorted(graph.successors(start), key=natural_order)
        start = next((s for s in successors if tight(s) and abs(es[s] - ef[path[-1]]) < EPSILON), None)
    return tuple(path)


def _schedule_diagnostics(plan: Plan, item: Schedule) -> list[Diagnostic]:
    name = item.scenario.name
    found = [
        Diagnostic(
            plan.source,
            plan.phases[pid].line,
            1,
            "info",
            NO_DURATION,
            f"{name}: {phase_label(pid)} has no duration; counted as 0 min",
        )
        for pid in item.unknown_durations
    ]
    if item.cycle:
        edges = ", ".join(f"{phase_label(e.src)} → {phase_label(e.dst)} (line {e.line})" for e in item.cycle)
        first = min(e.line for e in item.cycle)
        found.append(Diagnostic(plan.source, first, 1, "error", CYCLE, f"{name}: dependency cycle: {edges}"))
    return found
