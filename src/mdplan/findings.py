"""Findings: what a planner should change, each with the minutes it is worth.

- ``PARALLEL_EXECUTION_OPPORTUNITY``: an edge is drawn, but the document's prose says the
  phase needs less (``Blocks: Nothing``, ``Only Phase 1``); minutes saved by dropping it.
- ``RACE_CONDITION_RISK``: two phases that may overlap (neither reaches the other) touch the
  same file or folder (``[P]`` tasks included); the cost in minutes of serializing them.
- ``REDUNDANT_DEPENDENCY``: an edge implied by a longer chain (transitive reduction).

And the recommended plan: the graph the document's own stated dependencies imply, i.e. the
proposed (else current) graph without the edges its prose rules out, with the dependencies its
prose states.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

from mdplan.model import Edge, Plan, Scenario, natural_key
from mdplan.parse.durations import format_minutes
from mdplan.parse.ids import phase_label

PARALLEL = "PARALLEL_EXECUTION_OPPORTUNITY"
RACE = "RACE_CONDITION_RISK"
REDUNDANT = "REDUNDANT_DEPENDENCY"
RECOMMENDED_TITLE = "Recommended plan (the document's stated dependencies)"


@dataclass(frozen=True, slots=True)
class Finding:
    type: str
    severity: str
    scenario: str
    phases: tuple[str, ...]
    files: tuple[str, ...]
    minutes_saved: float | None
    line: int
    message: str


def longest_path(ids: tuple[str, ...], edges: tuple[Edge, ...], minutes: dict[str, float]) -> float | None:
    """The critical-path length of a graph, or None when it has a cycle."""
    graph: dict[str, set[str]] = {i: set() for i in ids}
    for edge in edges:
        graph[edge.dst].add(edge.src)
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError:
        return None
    finish: dict[str, float] = {}
    for node in order:
        finish[node] = max((finish[p] for p in graph[node]), default=0.0) + minutes.get(node, 0.0)
    return max(finish.values(), default=0.0)


def find(plan: Plan) -> list[Finding]:
    found: list[Finding] = []
    for scenario in plan.scenarios:
        minutes = {p: plan.phases[p].minutes or 0.0 for p in scenario.phase_ids}
        if longest_path(scenario.phase_ids, scenario.edges, minutes) is None:
            continue
        found.extend(_parallel_opportunities(plan, scenario, minutes))
        found.extend(_races(plan, scenario, minutes))
        found.extend(_redundant(scenario))
    return sorted(found, key=lambda f: (f.line, f.type, f.phases))


def recommended(plan: Plan) -> Scenario | None:
    """The proposed (else current) graph, less what prose rules out, plus what prose states."""
    base = plan.scenario("optimized") or plan.scenario("current")
    if base is None:
        return None
    ruled_out = {(d.edge.src, d.edge.dst) for d in plan.denied if d.scenario == base.name}
    members = set(base.phase_ids)
    kept = [e for e in base.edges if (e.src, e.dst) not in ruled_out]
    present = {(e.src, e.dst) for e in kept}
    added = [e for e in plan.stated if {e.src, e.dst} <= members and (e.src, e.dst) not in present | ruled_out]
    edges = tuple(sorted([*kept, *added], key=lambda e: (natural_key(e.src), natural_key(e.dst))))
    return Scenario("recommended", RECOMMENDED_TITLE, base.line, base.phase_ids, edges)


# --- the finding types -------------------------------------------------------------------


def _parallel_opportunities(plan: Plan, scenario: Scenario, minutes: dict[str, float]) -> list[Finding]:
    before = longest_path(scenario.phase_ids, scenario.edges, minutes) or 0.0
    found = []
    for denied in (d for d in plan.denied if d.scenario == scenario.name):
        edge = denied.edge
        rest = tuple(e for e in scenario.edges if e != edge)
        after = longest_path(scenario.phase_ids, rest, minutes) or 0.0
        saved = before - after
        message = (
            f"{phase_label(edge.src)} → {phase_label(edge.dst)} is drawn (line {edge.line}), but "
            f'"{denied.text}" (line {denied.line}): without it the plan takes {format_minutes(after)} '
            f"instead of {format_minutes(before)}"
        )
        severity = "high" if saved > 0 else "low"
        found.append(
            Finding(
                "PARALLEL_EXECUTION_OPPORTUNITY",
                severity,
                scenario.name,
                (edge.src, edge.dst),
                (),
                saved,
                denied.line,
                message,
            )
        )
    return found


def _overlap(a: str, b: str) -> bool:
    """Same file, or one is a folder holding the other."""
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


def _reach(scenario: Scenario) -> dict[str, set[str]]:
    successors: dict[str, set[str]] = {p: set() for p in scenario.phase_ids}
    for edge in scenario.edges:
        successors[edge.src].add(edge.dst)
    reach: dict[str, set[str]] = {}
    for node in scenario.phase_ids:
        seen: set[str] = set()
        stack = list(successors[node])
        while stack:
            nxt = stack.pop()
            if nxt not in seen:
                seen.add(nxt)
                stack.extend(successors[nxt])
        reach[node] = seen
    return reach


def _races(plan: Plan, scenario: Scenario, minutes: dict[str, float]) -> list[Finding]:
    touching = [p for p in scenario.phase_ids if plan.phases[p].files]
    if len(touching) < 2:
        return []
    reach = _reach(scenario)
    before = longest_path(scenario.phase_ids, scenario.edges, minutes) or 0.0
    found = []
    for a, b in itertools.combinations(touching, 2):
        shared = _shared(plan.phases[a].files, plan.phases[b].files)
        if shared and b not in reach[a] and a not in reach[b]:
            found.append(_race(plan, scenario, minutes, pair=(a, b), shared=shared, before=before))
    return found


def _shared(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[str, ...]:
    """Paths both phases name; failing that, the paths inside a folder the other one names."""
    same = set(left) & set(right)
    if same:
        return tuple(sorted(same))
    pairs = [(x, y) for x in left for y in right if _overlap(x, y)]
    return tuple(sorted({max(x, y, key=len) for x, y in pairs}))


def _race(
    plan: Plan,
    scenario: Scenario,
    minutes: dict[str, float],
    *,
    pair: tuple[str, str],
    shared: tuple[str, ...],
    before: float,
) -> Finding:
    a, b = pair
    costs = [
        (longest_path(scenario.phase_ids, (*scenario.edges, Edge(x, y, "stated", 0)), minutes) or before) - before
        for x, y in ((a, b), (b, a))
    ]
    cost = min(costs)
    both_parallel = plan.phases[a].parallel and plan.phases[b].parallel
    marked = " (both marked [P])" if both_parallel else ""
    message = (
        f"{phase_label(a)} and {phase_label(b)} may run at the same time{marked} and both touch "
        f"{', '.join(shared)}; making one wait for the other costs {format_minutes(cost)}"
    )
    line = max(plan.phases[a].line, plan.phases[b].line)
    severity = "high" if both_parallel else "medium"
    return Finding(RACE, severity, scenario.name, pair, shared, -cost, line, message)


def _redundant(scenario: Scenario) -> list[Finding]:
    successors: dict[str, set[str]] = {p: set() for p in scenario.phase_ids}
    for edge in scenario.edges:
        successors[edge.src].add(edge.dst)
    reach = _reach(scenario)
    found = []
    for edge in scenario.edges:
        via = next(
            (m for m in sorted(successors[edge.src] - {edge.dst}, key=natural_key) if edge.dst in reach[m]), None
        )
        if via is not None:
            message = (
                f"{phase_label(edge.src)} → {phase_label(edge.dst)} (line {edge.line}) is implied by "
                f"{phase_label(edge.src)} → {phase_label(via)} → … → {phase_label(edge.dst)}"
            )
            found.append(
                Finding("REDUNDANT_DEPENDENCY", "low", scenario.name, (edge.src, edge.dst), (), 0.0, edge.line, message)
            )
    return found
