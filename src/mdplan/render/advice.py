"""Pictures of what each finding changes: the affected dependencies before and after, as text.

Drawn with the same arrow the report's graphs use; one line per dependency (or per command).
"""

from __future__ import annotations

from mdplan.analyze import Analysis
from mdplan.analyze.findings import CONCURRENT_TESTING, EARLY_START, PARALLEL, RACE, REDUNDANT, SPLITTING, Finding
from mdplan.model import Edge
from mdplan.model.vocabulary import natural_order, phase_label

ARROW = "──→"


def before_after(finding: Finding, analysis: Analysis) -> tuple[str, str]:
    scenario = next((s for s in analysis.plan.scenarios if s.name == finding.scenario), None)
    edges = scenario.edges if scenario else ()
    draw = _DRAWERS.get(finding.type)
    return draw(finding, edges) if draw else ("", "")


def _line(src: str, dst: str, note: str = "") -> str:
    return f"{phase_label(src)} {ARROW} {phase_label(dst)}{note}"


def _into(edges: tuple[Edge, ...], dst: str) -> list[str]:
    return sorted((e.src for e in edges if e.dst == dst), key=natural_order)


def _parallel(finding: Finding, edges: tuple[Edge, ...]) -> tuple[str, str]:
    src, dst = finding.phases
    sources = _into(edges, dst)
    before = [_line(s, dst) for s in sources]
    after = [_line(s, dst) for s in sources if s != src] or [f"{phase_label(dst)} (starts at the beginning)"]
    return "\n".join(before), "\n".join(after)


def _race(finding: Finding, edges: tuple[Edge, ...]) -> tuple[str, str]:
    first, then = finding.phases
    files = ", ".join(finding.files)
    before = f"{phase_label(first)}  ║  {phase_label(then)}   (side by side, both touch {files})"
    return before, _line(first, then, "   (one after the other)")


def _redundant(finding: Finding, edges: tuple[Edge, ...]) -> tuple[str, str]:
    src, dst = finding.phases
    chain = f"{phase_label(src)} {ARROW} {phase_label(finding.detail)} {ARROW} … {ARROW} {phase_label(dst)}"
    return f"{_line(src, dst)}\n{chain}", chain


def _splitting(finding: Finding, edges: tuple[Edge, ...]) -> tuple[str, str]:
    whole, *parts = finding.phases
    before = [_line(s, whole) for s in _into(edges, whole)]
    names = ", ".join(phase_label(p) for p in parts)
    return "\n".join(before), f"{phase_label(whole)} becomes {names}, each after its own needs"


def _early_start(finding: Finding, edges: tuple[Edge, ...]) -> tuple[str, str]:
    src, dst = finding.phases
    return _line(src, dst, "   (all of it)"), _line(src, dst, f"   (its {finding.detail} only, delivered first)")


def _concurrent(finding: Finding, edges: tuple[Edge, ...]) -> tuple[str, str]:
    return "\n".join(finding.files), "\n".join(f"{command} &" for command in finding.files) + "\nwait"


_DRAWERS = {
    PARALLEL: _parallel,
    RACE: _race,
    REDUNDANT: _redundant,
    SPLITTING: _splitting,
    EARLY_START: _early_start,
    CONCURRENT_TESTING: _concurrent,
}
