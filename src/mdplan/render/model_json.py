"""The JSON model (``"version": 1``): ``mdplan graph --format json`` and ``report --format json``."""

from __future__ import annotations

import json
from typing import Any

from mdplan.analyze import Analysis, Schedule
from mdplan.analyze.audit import ClaimCheck
from mdplan.analyze.findings import Change, Finding, recommendation
from mdplan.model import Diagnostic, Edge, Phase, Plan
from mdplan.render.context import statements

VERSION = 1


def number(value: float | None) -> float | int | None:
    """Whole minutes as integers, others rounded to 0.01."""
    if value is None:
        return None
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def phase_json(phase: Phase) -> dict[str, Any]:
    return {
        "id": phase.id,
        "label": phase.label,
        "title": phase.title,
        "minutes": number(phase.minutes),
        "minutes_range": [number(v) for v in phase.minutes_range] if phase.minutes_range else None,
        "files": list(phase.files),
        "line": phase.line,
    }


def edge_json(edge: Edge) -> dict[str, Any]:
    return {"from": edge.src, "to": edge.dst, "line": edge.line, "kind": edge.kind, "optional": edge.optional}


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "line": diagnostic.line,
        "col": diagnostic.col,
        "severity": diagnostic.severity,
        "code": diagnostic.code,
        "message": diagnostic.message,
    }


def recommended_json(analysis: Analysis) -> dict[str, Any] | None:
    """mdplan's re-plan: the scenario it is drawn in, what it starts from, its length, its length
    with every file race accepted, and each change with its reason and its minutes."""
    recommendation, chosen = analysis.recommendation, analysis.recommended
    if recommendation is None or chosen is None:
        return None
    return {
        "scenario": "recommended",
        "from": recommendation.base,
        "makespan": number(chosen.makespan),
        "makespan_races_accepted": number(recommendation.races_accepted),
        "races_unordered": recommendation.races_unordered,
        "changes": [change_json(c) for c in recommendation.changes],
    }


def change_json(change: Change) -> dict[str, Any]:
    data: dict[str, Any] = {
        "from": change.src,
        "to": change.dst,
        "change": change.change,
        "reason": change.reason,
        "line": change.line,
        "minutes": number(change.minutes),
    }
    if change.alternatives:
        data["alternatives"] = [{"choice": choice, "makespan": number(m)} for choice, m in change.alternatives]
    return data


def scenario_json(schedule: Schedule, plan: Plan, *, full: bool) -> dict[str, Any]:
    scenario = schedule.scenario
    data: dict[str, Any] = {
        "name": scenario.name,
        "title": scenario.title,
        "line": scenario.line,
        "phases": [phase_json(plan.phases[pid]) for pid in scenario.phase_ids],
        "edges": [edge_json(e) for e in scenario.edges],
        "makespan_minutes": number(schedule.makespan),
        "makespan_range_minutes": [number(v) for v in schedule.makespan_range] if schedule.makespan_range else None,
        "critical_path": list(schedule.critical_path),
    }
    if full:
        data.update(_schedule_json(schedule))
    return data


def _schedule_json(schedule: Schedule) -> dict[str, Any]:
    scheduled = not schedule.cycle
    ids = schedule.scenario.phase_ids
    return {
        "earliest_start": {p: number(schedule.earliest_start[p]) for p in ids} if scheduled else {},
        "earliest_finish": {p: number(schedule.earliest_finish[p]) for p in ids} if scheduled else {},
        "slack": {p: number(schedule.slack(p)) for p in ids} if scheduled else {},
        "waves": [list(w) for w in schedule.waves],
        "work_minutes": number(schedule.work),
        "parallelism": number(schedule.parallelism),
        "workers": [{"k": k, "makespan_minutes": number(m)} for k, m in schedule.workers],
        "min_workers": schedule.min_workers,
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "type": finding.type,
        "severity": finding.severity,
        "scenario": finding.scenario,
        "phases": list(finding.phases),
        "files": list(finding.files),
        "minutes_saved": number(finding.minutes_saved),
        "line": finding.line,
        "message": finding.message,
        "risk": finding.risk,
        "recommendation": recommendation(finding),
    }


def claim_json(check: ClaimCheck) -> dict[str, Any]:
    return {
        "line": check.line,
        "text": check.text,
        "kind": check.kind,
        "scenario": check.scenario,
        "claimed": check.claimed,
        "computed": check.computed,
        "verdict": check.verdict,
        "note": check.note,
        "covers": check.covers,
    }


def model_json(analysis: Analysis, *, full: bool = False, scenario: str | None = None) -> dict[str, Any]:
    """The v1 model; ``full`` (``report --format json``) adds the analyses and the recommended plan."""
    plan = analysis.plan
    schedules = [s for s in analysis.schedules if scenario in (None, s.scenario.name)]
    if full and analysis.recommended is not None:
        schedules.append(analysis.recommended)
    data: dict[str, Any] = {
        "version": VERSION,
        "source": plan.source,
        "title": plan.title,
        "scenarios": [scenario_json(s, plan, full=full) for s in schedules],
        "diagnostics": [diagnostic_json(d) for d in analysis.all_diagnostics],
        "claims": [claim_json(c) for c in analysis.claims],
    }
    if full:
        data["recommended"] = recommended_json(analysis)
        data["findings"] = [finding_json(f) for f in analysis.findings]
        data["stated"] = [{"line": s.line, "text": s.text.removeprefix(": ")} for s in statements(plan)]
    return data


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
