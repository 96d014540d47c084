"""Shared test helpers: a compact, reviewable description of a plan."""

from __future__ import annotations

import json
from pathlib import Path

import mdplan
from mdplan.model.vocabulary import format_number, natural_key

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
REFERENCE = FIXTURES / "reference-multipart-plan.md"
SHARED = ROOT.parent / "shared"
CORPUS_EXPECTED = ROOT / "tests" / "corpus" / "expected"
REPORT_SECTIONS = (
    "## Executive Summary",
    "## Current Dependency Graph",
    "## Optimized Dependency Graph",
    "## Detailed Recommendations",
    "## Recommended Plan",
    "## Critical Path Analysis",
    "## Claim Audit",
    "## Module Impact",
    "## Parallelization Decision Matrix",
    "## Risk Mitigation Checklist",
    "## Implementation Roadmap",
    "## Success Metrics",
    "## Diagnostics",
)


def corpus_plans() -> list[Path]:
    """The documents of ``../shared/corpus`` that are plans: their expectation (``tests/corpus/
    expected``) does not say ``not_a_plan``; empty where ``../shared`` is absent."""
    if not (SHARED / "corpus").is_dir():
        return []
    not_plans = set()
    for path in CORPUS_EXPECTED.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "not_a_plan" in data:
            not_plans.add(data["document"])
    return sorted(p for p in (SHARED / "corpus").glob("*.md") if p.name not in not_plans)


def _minutes(phase: mdplan.Phase) -> str:
    assert phase.minutes_range is not None
    low, high = phase.minutes_range
    if low == high:
        return format_number(low)
    return f"{format_number(low)}-{format_number(high)}"


def describe(text: str) -> str:
    """``current: 1 2 | 1->2`` lines, then minutes, files and diagnostic codes with lines."""
    try:
        plan = mdplan.parse(text, "fixture.md")
    except mdplan.UnusableInput:
        return "\n".join(["no plan", *_diagnostic_line(_facts_only(text))])
    analysis = mdplan.analyze(plan)
    lines = []
    for scenario in plan.scenarios:
        edges = " ".join(f"{e.src}->{e.dst}" + (" (optional)" if e.optional else "") for e in scenario.edges)
        lines.append(f"{scenario.name}: {' '.join(scenario.phase_ids)}" + (f" | {edges}" if edges else ""))
    members = sorted({p for s in plan.scenarios for p in s.phase_ids}, key=natural_key)
    timed = [f"{p}={_minutes(plan.phases[p])}" for p in members if plan.phases[p].minutes is not None]
    if timed:
        lines.append("minutes: " + " ".join(timed))
    touched = [f"{p}={','.join(plan.phases[p].files)}" for p in members if plan.phases[p].files]
    if touched:
        lines.append("files: " + " ".join(touched))
    lines.extend(_diagnostic_line(analysis.all_diagnostics))
    return "\n".join(lines)


def _facts_only(text: str) -> tuple[mdplan.Diagnostic, ...]:
    from mdplan.parse import read_facts
    from mdplan.parse.merge import merge

    return merge(read_facts(text), "fixture.md", None).diagnostics


def _diagnostic_line(diagnostics: tuple[mdplan.Diagnostic, ...]) -> list[str]:
    """Warnings and errors (notes such as "no duration" are tested on their own)."""
    shown = [d for d in diagnostics if d.severity != "info"]
    if not shown:
        return []
    return ["diagnostics: " + " ".join(f"{d.code}:{d.line}" for d in shown)]
