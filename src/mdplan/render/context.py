"""The template context: every number and picture of the report, computed from the analysis.

Templates only lay this out. Keys (documented in the README for ``--template-dir``):

- ``title``: the plan's own title; ``source``: the input's name
- ``scenarios``: one :class:`ScenarioView` per scenario (``current`` first)
- ``comparisons``: makespan of each later scenario against ``current``
- ``modules``: the files × phases matrix (:class:`ModuleMatrix`)
- ``diagnostics``: every diagnostic, sorted by line; ``counts``: how many per severity
- ``recommended``: the recommended plan (a :class:`ScenarioView`) or None
- ``findings``: one :class:`FindingView` per finding; ``finding_counts``: how many per type
- ``claims``: one :class:`ClaimView` per numeric claim; ``claim_counts``: how many per verdict
- ``metrics``: the :class:`Metrics` of the plan of record (recommended, else current) or None
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mdplan.analyze import Analysis, Schedule
from mdplan.audit import ClaimCheck
from mdplan.findings import RACE, REDUNDANT, Finding, format_duration, recommendation
from mdplan.model import Diagnostic, Phase, natural_key
from mdplan.parse.durations import format_number
from mdplan.parse.ids import phase_label
from mdplan.render import ascii, mermaid
from mdplan.render.advice import before_after

HEADINGS = {"current": "Current", "optimized": "Optimized", "recommended": "Recommended"}


@dataclass(frozen=True, slots=True)
class PhaseRow:
    id: str
    label: str
    title: str
    minutes: str
    start: str
    finish: str
    slack: str
    critical: bool


@dataclass(frozen=True, slots=True)
class Wave:
    number: int
    start: str
    phases: tuple[str, ...]  # node texts


@dataclass(frozen=True, slots=True)
class ScenarioView:
    name: str
    heading: str
    title: str
    line: int
    phase_count: int
    edge_count: int
    work: str
    makespan: str | None
    parallelism: str | None
    critical_path: str
    rows: tuple[PhaseRow, ...]
    waves: tuple[Wave, ...]
    cycle: str | None
    unknown: tuple[str, ...]
    ascii_graph: str
    mermaid_graph: str
    ascii_gantt: str | None
    mermaid_gantt: str | None
    workers: tuple[tuple[int, str], ...]
    min_workers: int | None


@dataclass(frozen=True, slots=True)
class Comparison:
    name: str
    heading: str
    makespan: str
    baseline: str
    delta: str
    verdict: str


@dataclass(frozen=True, slots=True)
class ModuleMatrix:
    phases: tuple[str, ...]
    rows: tuple[tuple[str, tuple[bool, ...]], ...]
    shared: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class FindingView:
    number: int
    type: str
    severity: str
    scenario: str
    phases: str
    labels: tuple[str, ...]
    files: tuple[str, ...]
    effect: str
    minutes: str  # signed minutes it is worth (negative: it costs)
    line: int
    message: str
    risk: str
    recommendation: str
    detail: str
    before: str
    after: str
    repeats: bool  # the same advice as an earlier finding (same type and phases, another plan)


@dataclass(frozen=True, slots=True)
class ClaimView:
    line: int
    text: str
    scenario: str
    claimed: str
    computed: str
    verdict: str
    note: str


@dataclass(frozen=True, slots=True)
class Metrics:
    """The targets a finished plan should meet, from the plan of record."""

    plan: str  # heading of the plan of record
    makespan: str
    current: str | None
    workers: int | None
    one_worker: str | None
    critical_path: str
    most_slack: str | None  # "Phase 6 (7 min)"
    races: int
    warnings: int
    claims: int
    claims_failing: int


def build_context(analysis: Analysis) -> dict[str, object]:
    plan = analysis.plan
    scenarios = [_scenario_view(s, plan.phases) for s in analysis.schedules]
    diagnostics = analysis.all_diagnostics
    every = (*analysis.schedules, analysis.recommended) if analysis.recommended else analysis.schedules
    return {
        "title": plan.title or "Plan",
        "source": plan.source,
        "phase_count": len({p for s in plan.scenarios for p in s.phase_ids}),
        "scenarios": scenarios,
        "recommended": _scenario_view(analysis.recommended, plan.phases) if analysis.recommended else None,
        "findings": _finding_views(analysis),
        "claims": [_claim_view(c) for c in analysis.claims],
        "claim_counts": _claim_counts(analysis),
        "metrics": _metrics(analysis),
        "finding_counts": dict(Counter(f.type for f in analysis.findings)),
        "comparisons": _comparisons(tuple(every)),
        "modules": _modules(plan.phases),
        "diagnostics": diagnostics,
        "counts": _counts(diagnostics),
    }


def _scenario_view(schedule: Schedule, phases: dict[str, Phase]) -> ScenarioView:
    scenario = schedule.scenario
    makespan = schedule.makespan
    parallelism = schedule.parallelism
    schedulable = makespan is not None
    return ScenarioView(
        name=scenario.name,
        heading=HEADINGS[scenario.name],
        title=scenario.title,
        line=scenario.line,
        phase_count=len(scenario.phase_ids),
        edge_count=len(scenario.edges),
        work=_minutes(schedule.work),
        makespan=_minutes(makespan) if makespan is not None else None,
        parallelism=f"{parallelism:.2f}" if parallelism is not None else None,
        critical_path=" → ".join(phases[p].label for p in schedule.critical_path),
        rows=tuple(_rows(schedule, phases)) if schedulable else (),
        waves=_waves(schedule, phases) if schedulable else (),
        cycle=_cycle_text(schedule),
        unknown=tuple(phases[p].label for p in schedule.unknown_durations),
        ascii_graph=ascii.draw_graph(schedule, phases),
        mermaid_graph=mermaid.flowchart(schedule, phases),
        ascii_gantt=ascii.draw_gantt(schedule, phases) if schedulable else None,
        mermaid_gantt=mermaid.gantt(schedule, phases, f"{HEADINGS[scenario.name]} schedule") if schedulable else None,
        workers=tuple((k, _minutes(m)) for k, m in schedule.workers),
        min_workers=schedule.min_workers,
    )


def _finding_views(analysis: Analysis) -> list[FindingView]:
    seen: set[tuple[str, tuple[str, ...], tuple[str, ...]]] = set()
    views = []
    for number, finding in enumerate(analysis.findings, start=1):
        key = (finding.type, finding.phases, finding.files)
        views.append(_finding_view(number, finding, analysis, repeats=key in seen))
        seen.add(key)
    return views


def _finding_view(number: int, finding: Finding, analysis: Analysis, *, repeats: bool) -> FindingView:
    saved = finding.minutes_saved or 0.0
    if finding.type == RACE:
        effect = f"ordering the two costs {format_duration(-saved)}"
    elif saved > 0:
        effect = f"{format_duration(saved)} shorter"
    else:
        effect = "no change in length"
    before, after = before_after(finding, analysis)
    labels = tuple(phase_label(p) for p in finding.phases)
    return FindingView(
        number=number,
        type=finding.type,
        severity=finding.severity,
        scenario=HEADINGS.get(finding.scenario, finding.scenario),
        phases=", ".join(labels) or ", ".join(f"`{c}`" for c in finding.files),
        labels=labels,
        files=finding.files,
        effect=effect,
        minutes=format_duration(saved) if saved >= 0 else f"−{format_duration(-saved)}",
        line=finding.line,
        message=finding.message,
        risk=finding.risk,
        recommendation=recommendation(finding),
        detail=phase_label(finding.detail) if finding.type == REDUNDANT else finding.detail,
        before=before,
        after=after,
        repeats=repeats,
    )


def _claim_view(check: ClaimCheck) -> ClaimView:
    return ClaimView(
        line=check.line,
        text=check.text,
        scenario=HEADINGS.get(check.scenario or "", "–"),
        claimed=check.claimed,
        computed=check.computed,
        verdict=check.verdict,
        note=check.note,
    )


def _claim_counts(analysis: Analysis) -> dict[str, int]:
    counts = Counter(c.verdict for c in analysis.claims)
    return {verdict: counts[verdict] for verdict in ("consistent", "inconsistent", "unverifiable")}


def _metrics(analysis: Analysis) -> Metrics | None:
    chosen = analysis.recommended or (analysis.schedules[0] if analysis.schedules else None)
    if chosen is None or chosen.makespan is None:
        return None
    phases = analysis.plan.phases
    current = analysis.schedule("current")
    slack = sorted(
        ((chosen.slack(p), p) for p in chosen.scenario.phase_ids if not chosen.is_critical(p)),
        key=lambda item: (-item[0], natural_key(item[1])),
    )
    return Metrics(
        plan=HEADINGS[chosen.scenario.name],
        makespan=_minutes(chosen.makespan),
        current=_minutes(current.makespan) if current and current.makespan is not None else None,
        workers=chosen.min_workers,
        one_worker=_minutes(chosen.work),
        critical_path=" → ".join(phases[p].label for p in chosen.critical_path),
        most_slack=f"{phases[slack[0][1]].label} ({_minutes(slack[0][0])})" if slack else None,
        races=sum(1 for f in analysis.findings if f.type == RACE),
        warnings=sum(1 for d in analysis.all_diagnostics if d.severity in ("error", "warning")),
        claims=len(analysis.claims),
        claims_failing=sum(1 for c in analysis.claims if c.verdict == "inconsistent"),
    )


def _minutes(value: float) -> str:
    return f"{format_number(value)} min"


def _rows(schedule: Schedule, phases: dict[str, Phase]) -> list[PhaseRow]:
    order = sorted(schedule.scenario.phase_ids, key=lambda p: (schedule.earliest_start[p], natural_key(p)))
    return [
        PhaseRow(
            id=pid,
            label=phases[pid].label,
            title=phases[pid].title or "",
            minutes=format_number(schedule.minutes[pid]) if phases[pid].minutes is not None else "?",
            start=format_number(schedule.earliest_start[pid]),
            finish=format_number(schedule.earliest_finish[pid]),
            slack=format_number(schedule.slack(pid)),
            critical=schedule.is_critical(pid),
        )
        for pid in order
    ]


def _waves(schedule: Schedule, phases: dict[str, Phase]) -> tuple[Wave, ...]:
    return tuple(
        Wave(
            number=index,
            start=format_number(min(schedule.earliest_start[p] for p in wave)),
            phases=tuple(ascii.node_text(phases[p]) for p in wave),
        )
        for index, wave in enumerate(schedule.waves, start=1)
    )


def _cycle_text(schedule: Schedule) -> str | None:
    if not schedule.cycle:
        return None
    return ", ".join(f"Phase {e.src} → Phase {e.dst} (line {e.line})" for e in schedule.cycle)


def _comparisons(schedules: tuple[Schedule, ...]) -> list[Comparison]:
    base = schedules[0] if schedules else None
    if base is None or base.makespan is None:
        return []
    found = []
    for other in schedules[1:]:
        if other.makespan is not None:
            found.append(_compare(other, other.makespan, base.makespan))
    return found


def _compare(other: Schedule, makespan: float, baseline: float) -> Comparison:
    delta = makespan - baseline
    percent = f" ({abs(delta) / baseline:.0%})" if baseline else ""
    if delta < 0:
        verdict = f"{format_number(-delta)} min shorter{percent}"
    elif delta > 0:
        verdict = f"{format_number(delta)} min longer{percent}"
    else:
        verdict = "the same length"
    name = other.scenario.name
    return Comparison(name, HEADINGS[name], _minutes(makespan), _minutes(baseline), format_number(delta), verdict)


def _modules(phases: dict[str, Phase]) -> ModuleMatrix:
    touching = [p for p in phases.values() if p.files]
    files = sorted({f for p in touching for f in p.files})
    rows = tuple((f, tuple(f in p.files for p in touching)) for f in files)
    shared = tuple(
        (f, tuple(p.label for p in touching if f in p.files)) for f in files if sum(f in p.files for p in touching) > 1
    )
    return ModuleMatrix(tuple(p.id for p in touching), rows, shared)


def _counts(diagnostics: tuple[Diagnostic, ...]) -> dict[str, int]:
    counts = Counter(d.severity for d in diagnostics)
    return {severity: counts[severity] for severity in ("error", "warning", "info")}
