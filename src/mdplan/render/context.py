"""The template context: every number and picture of the report, computed from the analysis.

Templates only lay this out. Keys (documented in the README for ``--template-dir``):

- ``title``: the plan's own title; ``subject``: that title without a leading label that only
  says what the report's own title says (``Parallelization Analysis:``); ``source``: the input's name
- ``scenarios``: one :class:`ScenarioView` per scenario (``current`` first)
- ``comparisons``: makespan of each later scenario against ``current``
- ``modules``: the files × phases matrix (:class:`ModuleMatrix`)
- ``diagnostics``: every diagnostic, sorted by line; ``counts``: how many per severity;
  ``unresolved``: how many names in dependency statements match no unit (MP115)
- ``recommended``: the recommended plan (a :class:`ScenarioView`) or None
- ``findings``: one :class:`FindingView` per fact, the same finding in several plans merged
  into one that names them, largest saving first; ``finding_counts``: how many per type
- ``claims``: one :class:`ClaimView` per numeric claim; ``claim_counts``: how many per verdict
- ``metrics``: the :class:`Metrics` of the plan of record (recommended, else current) or None

Tables are kept within ``WIDTH`` columns, so that a report reads in a 120-column view: a phase
table whose titles would make it wider lists them under it, and Module Impact lists its files
when a table of them would be wider.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from mdplan.analyze import Analysis, Schedule
from mdplan.analyze.audit import ClaimCheck
from mdplan.analyze.findings import CONCURRENT_TESTING, MAX_RACES_ORDERED, RACE, REDUNDANT, Finding, recommendation
from mdplan.model import Diagnostic, Edge, Phase, Plan, Scenario, patterns
from mdplan.model.vocabulary import (
    ARITHMETIC,
    CRITICAL_PATH,
    NOT_THE_PLAN,
    format_duration,
    format_number,
    format_span,
    natural_order,
    phase_label,
)
from mdplan.parse.ids import label_id
from mdplan.parse.merge import UNRESOLVED
from mdplan.render import ascii, layout, mermaid
from mdplan.render.advice import before_after
from mdplan.render.wrap import WIDTH, columns

HEADINGS = {"current": "Current", "optimized": "Optimized", "recommended": "Recommended"}
# a document title that opens by naming what the report's own title already says
_REPORT_LABEL = patterns.compile(r"^parallel\w*\s+(?:analysis|report)\s*[:：–—-]\s*(?=\S)", re.IGNORECASE)


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
class TableRow:
    """A phase as the report's phase table writes it (and reads it back)."""

    phase: str  # the label, with the id in a code span when the label does not give it
    title: str
    minutes: str  # "10", "3-5", or "?"
    depends: str  # labels of its predecessors, "(optional)" after a soft one; "–" for none
    line: int
    group: str  # "in Phase 3", "[P]", or ""


@dataclass(frozen=True, slots=True)
class Statement:
    """A dependency fact stated in the source's prose, written so the report reads it back."""

    line: int
    text: str


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
    ascii_graph: str  # the layered picture, or the list form past the layout's limits
    layered: bool
    mermaid_graph: str
    ascii_gantt: str | None
    mermaid_gantt: str | None
    workers: tuple[tuple[int, str], ...]
    min_workers: int | None
    table: tuple[TableRow, ...]
    titled: bool  # the phase table has a Title column; else its titles are listed under it


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
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # every file with the labels of its phases
    shared: tuple[tuple[str, tuple[str, ...]], ...]  # the files more than one phase touches
    wide: bool  # a table of them would be wider than WIDTH: the template lists instead


@dataclass(frozen=True, slots=True)
class FindingView:
    """One fact found, in every plan it holds in (the same type, phases and files)."""

    number: int
    type: str
    severity: str
    scenario: str  # the plans it holds in: "Current, Optimized"
    scenarios: tuple[str, ...]
    phases: str
    labels: tuple[str, ...]
    files: tuple[str, ...]
    effect: str  # per plan where the plans differ
    minutes: str  # signed minutes it is worth (negative: it costs), in the plan it is worth most
    line: int
    message: str  # as found in that plan
    risk: str
    recommendation: str
    detail: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ClaimView:
    line: int
    text: str
    kind: str
    covers: str  # what it is about; "" where its kind says so (a path, a sum)
    scenario: str
    claimed: str  # "the critical path" for a written path (the text itself says which)
    computed: str
    verdict: str
    note: str  # the audit's own note
    basis: str  # why the verdict: the note, worded so it reads with the verdict


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
    groups = has_groups(plan)
    scenarios = [_scenario_view(s, plan.phases, groups) for s in analysis.schedules]
    # by line, then code and message: columns are not shown, and a report read back has none
    diagnostics = tuple(sorted(analysis.all_diagnostics, key=lambda d: (d.line, d.code, d.message)))
    every = (*analysis.schedules, analysis.recommended) if analysis.recommended else analysis.schedules
    findings = _finding_views(analysis)
    return {
        "title": plan.title or "Plan",
        "subject": subject(plan.title or "Plan"),
        "source": plan.source,
        "phase_count": len({p for s in plan.scenarios for p in s.phase_ids}),
        "scenarios": scenarios,
        "recommended": _scenario_view(analysis.recommended, plan.phases, groups) if analysis.recommended else None,
        "changes": _change_views(analysis),
        "races_accepted": _races_accepted(analysis),
        "races_unordered": _races_unordered(analysis),
        "max_races_ordered": f"{MAX_RACES_ORDERED:,}",
        "findings": findings[:MAX_DETAILED],
        "more_findings": findings[MAX_DETAILED:],
        "claims": [_claim_view(c) for c in analysis.claims],
        "statements": statements(plan),
        "has_groups": groups,
        "claim_counts": _claim_counts(analysis),
        "metrics": _metrics(analysis, findings),
        "finding_counts": dict(Counter(f.type for f in findings)),
        "comparisons": _comparisons(tuple(every)),
        "modules": _modules(plan.phases),
        "diagnostics": diagnostics,
        "counts": _counts(diagnostics),
        "unresolved": sum(d.code == UNRESOLVED for d in diagnostics),
    }


@dataclass(frozen=True, slots=True)
class ChangeView:
    change: str  # Added, Dropped, Reversed
    edge: str
    line: int
    minutes: str  # signed: what this change alone does to the plan's length
    reason: str
    alternatives: str  # "other order: 47 min; race accepted: 35 min", or ""


def _change_views(analysis: Analysis) -> list[ChangeView]:
    recommendation = analysis.recommendation
    if recommendation is None:
        return []
    return [
        ChangeView(
            change=c.change.capitalize(),
            edge=f"{phase_label(c.src)} → {phase_label(c.dst)}",
            line=c.line,
            minutes="–" if c.minutes is None else f"{'+' if c.minutes > 0 else ''}{_minutes(c.minutes)}",
            reason=c.reason,
            alternatives="; ".join(f"{choice}: {_minutes(m)}" for choice, m in c.alternatives),
        )
        for c in recommendation.changes
    ]


def _races_unordered(analysis: Analysis) -> str:
    """How many file races the recommended plan leaves as they are (too many to order), or ""."""
    left = analysis.recommendation.races_unordered if analysis.recommendation else 0
    return f"{left:,}" if left else ""


def _races_accepted(analysis: Analysis) -> str | None:
    """The recommended plan's length with no file race ordered, when ordering them costs time."""
    recommendation, chosen = analysis.recommendation, analysis.recommended
    if recommendation is None or chosen is None or recommendation.races_accepted is None:
        return None
    if chosen.makespan is None or recommendation.races_accepted >= chosen.makespan:
        return None
    return _minutes(recommendation.races_accepted)


def subject(title: str) -> str:
    """The document's title as the report's title names it: without a leading label such as
    ``Parallelization Analysis:``, which ``Parallelization Report:`` already says."""
    return _REPORT_LABEL.sub("", title, count=1)


def has_groups(plan: Plan) -> bool:
    """Whether a phase table needs the Group column: a phase in a group, or marked ``[P]``."""
    return any(plan.phases[pid].parent or plan.phases[pid].parallel for s in plan.scenarios for pid in s.phase_ids)


def table_width(rows: Sequence[Sequence[str]]) -> int:
    """Columns a GFM table of these rows (header first, cells as the template writes them) takes
    once padded: each column as wide as its widest cell, at least 3, with ``| `` and `` |``."""
    widths = [max(3, *(columns(_in_cell(row[i])) for row in rows)) for i in range(len(rows[0]))]
    return 1 + sum(width + 3 for width in widths)


def _in_cell(text: str) -> str:
    """Text as a table cell writes it: pipes and backslashes escaped, ``<`` as ``\\<``."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<")


def _scenario_view(schedule: Schedule, phases: dict[str, Phase], groups: bool) -> ScenarioView:
    scenario = schedule.scenario
    table = phase_table(scenario, phases)
    makespan = schedule.makespan
    parallelism = schedule.parallelism
    schedulable = makespan is not None
    picture = _picture(schedule, phases)
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
        ascii_graph=picture,
        layered=picture != ascii.draw_graph(schedule, phases),
        mermaid_graph=mermaid.flowchart(schedule, phases),
        ascii_gantt=ascii.draw_gantt(schedule, phases) if schedulable else None,
        mermaid_gantt=mermaid.gantt(schedule, phases, f"{HEADINGS[scenario.name]} schedule") if schedulable else None,
        workers=tuple((k, _minutes(m)) for k, m in schedule.workers),
        min_workers=schedule.min_workers,
        table=table,
        titled=_titles_fit(table, groups),
    )


def _titles_fit(table: tuple[TableRow, ...], groups: bool) -> bool:
    """Whether the phase table keeps within WIDTH with its Title column."""
    header = ("Phase", "Title", "Minutes", "Depends on", "Line", *(("Group",) if groups else ()))
    rows = [(r.phase, r.title, r.minutes, r.depends, str(r.line), *((r.group,) if groups else ())) for r in table]
    return table_width([header, *rows]) <= WIDTH


def _picture(schedule: Schedule, phases: dict[str, Phase]) -> str:
    scenario = schedule.scenario
    texts = {
        p: phases[p].label + (f" · {format_span(schedule.minutes[p])}" if phases[p].minutes is not None else "")
        for p in scenario.phase_ids
    }
    critical = {p for p in scenario.phase_ids if schedule.is_critical(p)}
    edges = [(e.src, e.dst) for e in scenario.edges]
    drawn = layout.draw_layers(list(scenario.phase_ids), edges, texts, critical)
    return drawn if drawn is not None else ascii.draw_graph(schedule, phases)


def phase_cell(phase: Phase) -> str:
    """The label, plus the id as code when the label alone does not name it."""
    return phase.label if label_id(phase.label) == phase.id else f"{phase.label} (`{phase.id}`)"


def phase_table(scenario: Scenario, phases: dict[str, Phase]) -> tuple[TableRow, ...]:
    rows = []
    incoming: dict[str, list[Edge]] = {pid: [] for pid in scenario.phase_ids}
    for edge in scenario.edges:
        incoming[edge.dst].append(edge)
    for pid in scenario.phase_ids:
        phase = phases[pid]
        sources = sorted(incoming[pid], key=lambda e: natural_order(e.src))
        depends = ", ".join(phases[e.src].label + (" (optional)" if e.optional else "") for e in sources)
        low, high = phase.minutes_range or (None, None)
        minutes = (
            "?"
            if low is None or high is None
            else format_number(low)
            if low == high
            else f"{format_number(low)}-{format_number(high)}"
        )
        parent = phase.parent and (phases[phase.parent].label if phase.parent in phases else phase_label(phase.parent))
        group = " ".join(part for part in (f"in {parent}" if parent else "", "[P]" if phase.parallel else "") if part)
        rows.append(TableRow(phase_cell(phase), phase.title or "", minutes, depends or "–", phase.line, group))
    return tuple(rows)


def _finding_views(analysis: Analysis) -> list[FindingView]:
    """One view per fact: the findings of one type, phases and files in several plans merged
    (they give the same advice), then ordered by the minutes they save, largest first (a
    stable order: ties keep the analysis's order)."""
    groups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], list[Finding]] = {}
    for finding in analysis.findings:
        groups.setdefault((finding.type, finding.phases, finding.files), []).append(finding)
    ordered = sorted(groups.values(), key=lambda group: -_saved(_primary(group)))
    return [_finding_view(number, group, analysis) for number, group in enumerate(ordered, start=1)]


# findings a report details (its own section, pictures before and after, a row of the matrix, an
# item of the checklist); the others, of least effect, are listed a line each: a dense plan has
# tens of thousands of dependencies implied by longer chains, each a finding
MAX_DETAILED = 100


def _saved(finding: Finding) -> float:
    return finding.minutes_saved or 0.0


def _primary(group: list[Finding]) -> Finding:
    """The finding of a group in the plan where it is worth most (the first such)."""
    return max(group, key=_saved)


def _effect(finding: Finding) -> str:
    saved = _saved(finding)
    if finding.type == RACE:
        return f"ordering the two costs {format_duration(-saved)}"
    if saved > 0:
        return f"{format_duration(saved)} shorter"
    if saved < 0:
        return f"{format_duration(-saved)} longer"
    return "no change in length"


def _plan_name(finding: Finding) -> str:
    return HEADINGS.get(finding.scenario, finding.scenario)


def _merged_effect(group: list[Finding]) -> str:
    """The effect on the length, once when every plan has the same, else plan by plan."""
    per_plan: dict[str, str] = {}
    for finding in group:
        per_plan.setdefault(_plan_name(finding), _effect(finding))
    effects = set(per_plan.values())
    if len(effects) == 1:
        (effect,) = effects
        return effect if len(per_plan) == 1 else f"{effect} in the {_joined(list(per_plan))} plans"
    return "; ".join(f"{effect} in the {plan.lower()} plan" for plan, effect in per_plan.items())


def _joined(names: list[str]) -> str:
    """``current and optimized``, ``a, b and c``."""
    lower = [name.lower() for name in names]
    return lower[0] if len(lower) == 1 else f"{', '.join(lower[:-1])} and {lower[-1]}"


def _finding_view(number: int, group: list[Finding], analysis: Analysis) -> FindingView:
    finding = _primary(group)
    saved = _saved(finding)
    plans = tuple(dict.fromkeys(_plan_name(f) for f in group))
    same_message = all(f.message == finding.message for f in group)
    message = finding.message if same_message else f"In the {_plan_name(finding).lower()} plan: {finding.message}"
    before, after = before_after(finding, analysis) if number <= MAX_DETAILED else ("", "")
    labels = tuple(phase_label(p) for p in finding.phases)
    return FindingView(
        number=number,
        type=finding.type,
        severity=finding.severity,
        scenario=", ".join(plans),
        scenarios=plans,
        phases=", ".join(labels) or _unnamed(finding),
        labels=labels,
        files=finding.files,
        effect=_merged_effect(group),
        minutes=format_duration(saved) if saved >= 0 else f"−{format_duration(-saved)}",
        line=finding.line,
        message=message,
        risk=finding.risk,
        recommendation=recommendation(finding),
        detail=phase_label(finding.detail) if finding.type == REDUNDANT else finding.detail,
        before=before,
        after=after,
    )


def _unnamed(finding: Finding) -> str:
    """What a finding that names no phase is about: its test commands, or its files."""
    if finding.type == CONCURRENT_TESTING:
        return f"{len(finding.files)} test commands on line {finding.line}"
    return ", ".join(f"`{path}`" for path in finding.files)


# covers a claim's kind already says: a written path is about the critical path, a sum its arithmetic
_IMPLIED_COVERS = {("path", CRITICAL_PATH), ("sum", ARITHMETIC)}


def _claim_view(check: ClaimCheck) -> ClaimView:
    return ClaimView(
        line=check.line,
        text=check.text,
        kind=check.kind,
        covers="" if (check.kind, check.covers) in _IMPLIED_COVERS else check.covers,
        scenario=HEADINGS.get(check.scenario or "", "–"),
        claimed="the critical path" if check.kind == "path" else check.claimed,
        computed=check.computed,
        verdict=check.verdict,
        note=check.note,
        basis=basis(check),
    )


def basis(check: ClaimCheck) -> str:
    """Why a claim has its verdict; "" where what it covers already says it (a claim that is
    not about the plan)."""
    return "" if check.covers == NOT_THE_PLAN + check.note else check.note


def _claim_counts(analysis: Analysis) -> dict[str, int]:
    counts = Counter(c.verdict for c in analysis.claims)
    return {verdict: counts[verdict] for verdict in ("consistent", "inconsistent", "unverifiable")}


def _metrics(analysis: Analysis, findings: list[FindingView]) -> Metrics | None:
    chosen = analysis.recommended or (analysis.schedules[0] if analysis.schedules else None)
    if chosen is None or chosen.makespan is None:
        return None
    phases = analysis.plan.phases
    current = analysis.schedule("current")
    slack = sorted(
        ((chosen.slack(p), p) for p in chosen.scenario.phase_ids if not chosen.is_critical(p)),
        key=lambda item: (-item[0], natural_order(item[1])),
    )
    return Metrics(
        plan=HEADINGS[chosen.scenario.name],
        makespan=_minutes(chosen.makespan),
        current=_minutes(current.makespan) if current and current.makespan is not None else None,
        workers=chosen.min_workers,
        one_worker=_minutes(chosen.work),
        critical_path=" → ".join(phases[p].label for p in chosen.critical_path),
        most_slack=f"{phases[slack[0][1]].label} ({_minutes(slack[0][0])})" if slack else None,
        races=sum(1 for f in findings if f.type == RACE),
        warnings=sum(1 for d in analysis.all_diagnostics if d.severity in ("error", "warning")),
        claims=len(analysis.claims),
        claims_failing=sum(1 for c in analysis.claims if c.verdict == "inconsistent"),
    )


def _minutes(value: float) -> str:
    """A length in a planner's unit: min up to two hours, then h, days (8 h), weeks (5 days)."""
    return format_span(value)


def _rows(schedule: Schedule, phases: dict[str, Phase]) -> list[PhaseRow]:
    order = sorted(schedule.scenario.phase_ids, key=lambda p: (schedule.earliest_start[p], natural_order(p)))
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
        verdict = f"{_minutes(-delta)} shorter{percent}"
    elif delta > 0:
        verdict = f"{_minutes(delta)} longer{percent}"
    else:
        verdict = "the same length"
    name = other.scenario.name
    return Comparison(name, HEADINGS[name], _minutes(makespan), _minutes(baseline), format_number(delta), verdict)


def _modules(phases: dict[str, Phase]) -> ModuleMatrix:
    touching = [p for p in phases.values() if p.files]
    files = sorted({f for p in touching for f in p.files})
    owners: dict[str, list[str]] = {f: [] for f in files}
    for phase in touching:
        for path in phase.files:
            owners[path].append(phase.label)
    rows = tuple((f, tuple(owners[f])) for f in files)
    shared = tuple(item for item in rows if len(item[1]) > 1)
    cells = [("File or module", "Phases"), *((f"`{path}`", ", ".join(labels)) for path, labels in rows)]
    return ModuleMatrix(rows, shared, wide=bool(rows) and table_width(cells) > WIDTH)


def _counts(diagnostics: tuple[Diagnostic, ...]) -> dict[str, int]:
    counts = Counter(d.severity for d in diagnostics)
    return {severity: counts[severity] for severity in ("error", "warning", "info")}


DENIAL_PHRASES = {
    "no_successors": "blocks nothing",
    "no_predecessors": "depends on nothing",
    "only_predecessors": "depends only on",
    "parallel": "runs in parallel with",
}


def statements(plan: Plan) -> list[Statement]:
    """What the source's prose says beyond its drawings: denials, dependencies stated outside
    any drawing, partial needs and timed test runs, each with its source line."""
    names = {s.name for s in plan.scenarios}
    only = plan.scenarios[0].name if len(plan.scenarios) == 1 else None
    found = []
    for denial in plan.denials:
        where = ""
        if denial.view is not None:
            scenario = denial.view.scenario if denial.view.scenario in names else only
            where = f" ({scenario} plan)" if scenario else ""
        refs = ", ".join(_label(plan, r) for r in denial.refs)
        said = f"{_label(plan, denial.subject)} {DENIAL_PHRASES[denial.kind]}{' ' + refs if refs else ''}"
        found.append(Statement(denial.pos.line, f'{where}: {said} — "{denial.text}"'))
    for edge in plan.stated:
        soft = " (optional)" if edge.optional else ""
        found.append(Statement(edge.line, f": {_label(plan, edge.dst)} depends on {_label(plan, edge.src)}{soft}"))
    for need in plan.partial_needs:
        what = f'"{need.what}"'
        found.append(
            Statement(
                need.pos.line,
                f": {_label(plan, need.subject)} needs only the {what} of {_label(plan, need.predecessor)}",
            )
        )
    for run in plan.test_runs:
        commands = "; ".join(f"`{command}` ({format_duration(m)})" for command, m in run.commands)
        found.append(Statement(run.pos.line, f": test commands run one after another: {commands}"))
    return sorted(found, key=lambda s: (s.line, s.text))


def _label(plan: Plan, phase_id: str) -> str:
    return phase_cell(plan.phases[phase_id]) if phase_id in plan.phases else phase_label(phase_id)
