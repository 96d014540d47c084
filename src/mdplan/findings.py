"""Findings: what a planner should change, each with the minutes it is worth.

- ``PARALLEL_EXECUTION_OPPORTUNITY``: an edge is drawn, but the document's prose says the
  phase needs less (``Blocks: Nothing``, ``Only Phase 1``); minutes saved by dropping it.
- ``RACE_CONDITION_RISK``: two phases that may overlap (neither reaches the other) touch the
  same file or folder (``[P]`` tasks included); the cost in minutes of serializing them.
- ``REDUNDANT_DEPENDENCY``: an edge implied by a longer chain (transitive reduction).
- ``PHASE_SPLITTING_OPPORTUNITY``: a phase of a scenario whose parts (``4a``/``4b``, ``4.1``, or
  the units it holds) the document gives different dependencies; minutes saved by running the
  parts each after its own predecessors.
- ``DEPENDENCY_OPTIMIZATION``: a successor needs only part of its predecessor (``Phase 5 only
  needs the schema from Phase 3``); minutes saved at most, if that part came first.
- ``CONCURRENT_TESTING``: timed test commands run one after another; minutes saved by running
  them together (the longest instead of the sum).

And the recommended plan: the graph the document's own stated dependencies imply, i.e. the
proposed (else current) graph without the edges its prose rules out, with the dependencies its
prose states (unless the scenario's own prose denies them), and with every file race left
settled in its cheaper order: a plan with a known race is no plan to recommend.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter

from mdplan.merge import denied_edges
from mdplan.model import Denied, Edge, Plan, Scenario, natural_key
from mdplan.parse.durations import format_minutes, format_number
from mdplan.parse.ids import phase_label

PARALLEL = "PARALLEL_EXECUTION_OPPORTUNITY"
RACE = "RACE_CONDITION_RISK"
REDUNDANT = "REDUNDANT_DEPENDENCY"
SPLITTING = "PHASE_SPLITTING_OPPORTUNITY"
EARLY_START = "DEPENDENCY_OPTIMIZATION"
CONCURRENT_TESTING = "CONCURRENT_TESTING"
RECOMMENDED_TITLE = "Recommended plan (the document's stated dependencies, file races ordered)"


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
    risk: str = "low"  # of acting on it: none, low, medium, high
    detail: str = ""  # what a partial need needs


def recommendation(finding: Finding) -> str:
    """What to do about a finding, for the decision matrix."""
    saved = finding.minutes_saved or 0.0
    if finding.type == RACE:
        return "MITIGATE"
    if finding.type == REDUNDANT:
        return "SIMPLIFY"
    if saved <= 0:
        return "SKIP"
    return "IMPLEMENT" if finding.risk in ("none", "low") else "CONSIDER"


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
        found.extend(_redundant(plan, scenario))
        found.extend(_splits(plan, scenario, minutes))
        found.extend(_early_starts(plan, scenario, minutes))
    found.extend(_concurrent_tests(plan))
    return sorted(found, key=lambda f: (f.line, f.type, f.phases))


def recommended(plan: Plan) -> Scenario | None:
    """The proposed (else current) graph, less what prose rules out, plus what prose states."""
    base = plan.scenario("optimized") or plan.scenario("current")
    if base is None:
        return None
    ruled_out = {(d.edge.src, d.edge.dst) for d in plan.denied if d.scenario == base.name}
    members = set(base.phase_ids)
    kept = [e for e in base.edges if (e.src, e.dst) not in ruled_out]
    known = {(e.src, e.dst) for e in kept} | ruled_out
    added = [e for e in plan.stated if {e.src, e.dst} <= members and (e.src, e.dst) not in known]
    # a stated dependency the scenario's own prose denies ("Phase 2 doesn't depend on Phase 1") stays out
    trial = Scenario(base.name, base.title, base.line, base.phase_ids, tuple(added))
    denied_here = {(d.edge.src, d.edge.dst) for d in denied_edges(list(plan.denials), [trial])}
    added = [e for e in added if (e.src, e.dst) not in denied_here]
    edges = tuple(sorted([*kept, *added], key=lambda e: (natural_key(e.src), natural_key(e.dst))))
    return _races_ordered(plan, Scenario("recommended", RECOMMENDED_TITLE, base.line, base.phase_ids, edges))


def _races_ordered(plan: Plan, scenario: Scenario) -> Scenario:
    """Each race left, first by line, settled in its cheaper order, until none is left."""
    minutes = {p: plan.phases[p].minutes or 0.0 for p in scenario.phase_ids}
    for _ in range(len(scenario.phase_ids) ** 2):
        races = sorted(_races(plan, scenario, minutes), key=lambda f: (f.line, f.phases))
        if not races:
            break
        first, then = races[0].phases
        edges = sorted(
            [*scenario.edges, Edge(first, then, "stated", races[0].line)],
            key=lambda e: (natural_key(e.src), natural_key(e.dst)),
        )
        scenario = Scenario(scenario.name, scenario.title, scenario.line, scenario.phase_ids, tuple(edges))
    return scenario


# --- the finding types -------------------------------------------------------------------


def _parallel_opportunities(plan: Plan, scenario: Scenario, minutes: dict[str, float]) -> list[Finding]:
    before = longest_path(scenario.phase_ids, scenario.edges, minutes) or 0.0
    found = []
    by_edge: dict[Edge, list[Denied]] = {}
    for denial in (d for d in plan.denied if d.scenario == scenario.name):
        by_edge.setdefault(denial.edge, []).append(denial)
    for edge, denials in by_edge.items():
        denied = denials[0]
        rest = tuple(e for e in scenario.edges if e != edge)
        after = longest_path(scenario.phase_ids, rest, minutes) or 0.0
        saved = before - after
        also = ", ".join(str(d.line) for d in denials[1:])
        effect = (
            f"without it the plan takes {format_minutes(after)} instead of {format_minutes(before)}"
            if saved > 0
            else f"dropping it leaves the plan at {format_minutes(before)}"
        )
        message = (
            f"{phase_label(edge.src)} → {phase_label(edge.dst)} is drawn, but "
            f'"{denied.text}" (line {denied.line}{f"; also line {also}" if also else ""}): {effect}'
        )
        severity = "high" if saved > 0 else "low"
        shared = _shared(plan.phases[edge.src].files, plan.phases[edge.dst].files)
        risk = "medium" if shared else "low"
        found.append(
            Finding(PARALLEL, severity, scenario.name, (edge.src, edge.dst), shared, saved, denied.line, message, risk)
        )
    return found


def _overlap(a: str, b: str) -> bool:
    """Same file, or one is a folder holding the other."""
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


class Reach:
    """Which phase reaches which through a scenario's edges: one bit set (a Python int) per
    phase, built in reverse topological order, so 20,000 phases take megabytes, not gigabytes."""

    def __init__(self, scenario: Scenario) -> None:
        self._bit = {p: 1 << i for i, p in enumerate(scenario.phase_ids)}
        successors: dict[str, list[str]] = {p: [] for p in scenario.phase_ids}
        for edge in scenario.edges:
            successors[edge.src].append(edge.dst)
        self._reach: dict[str, int] = {}
        graph = {p: set(successors[p]) for p in scenario.phase_ids}
        try:
            order = list(TopologicalSorter(graph).static_order())  # successors first
        except CycleError:
            order = list(scenario.phase_ids)
        for node in order:
            bits = 0
            for nxt in successors[node]:
                bits |= self._bit[nxt] | self._reach.get(nxt, 0)
            self._reach[node] = bits

    def reaches(self, src: str, dst: str) -> bool:
        return bool(self._reach[src] & self._bit[dst])

    def beyond(self, nodes: Iterable[str]) -> int:
        """Every phase reached from ``nodes`` through at least one more edge, as bits."""
        bits = 0
        for node in nodes:
            bits |= self._reach[node]
        return bits

    def within(self, bits: int, node: str) -> bool:
        return bool(bits & self._bit[node])


def reachability(scenario: Scenario) -> Reach:
    return Reach(scenario)


def _races(plan: Plan, scenario: Scenario, minutes: dict[str, float]) -> list[Finding]:
    touching = [p for p in scenario.phase_ids if plan.phases[p].files]
    if len(touching) < 2:
        return []
    reach = reachability(scenario)
    before = longest_path(scenario.phase_ids, scenario.edges, minutes) or 0.0
    found = []
    for a, b in _file_neighbours(plan, touching):
        shared = _shared(plan.phases[a].files, plan.phases[b].files)
        if shared and not reach.reaches(a, b) and not reach.reaches(b, a):
            found.append(_race(plan, scenario, minutes, pair=(a, b), shared=shared, before=before))
    return found


def _file_neighbours(plan: Plan, touching: list[str]) -> list[tuple[str, str]]:
    """Pairs of phases (in scenario order) that name the same path, or a folder and a path in
    it: found through an index of paths and their folders, not by trying every pair."""
    position = {p: i for i, p in enumerate(touching)}
    exact: dict[str, set[str]] = {}
    under: dict[str, set[str]] = {}  # folder -> phases naming a path below it
    for phase in touching:
        for path in plan.phases[phase].files:
            key = path.rstrip("/")
            exact.setdefault(key, set()).add(phase)
            for cut in range(len(key)):
                if key[cut] == "/":
                    under.setdefault(key[:cut], set()).add(phase)
    pairs: set[tuple[str, str]] = set()
    for phase in touching:
        for path in plan.phases[phase].files:
            key = path.rstrip("/")
            folders = [key[:cut] for cut in range(len(key)) if key[cut] == "/"]
            others = set(exact.get(key, ())) | under.get(key, set())
            for folder in folders:
                others |= exact.get(folder, set())
            pairs.update(tuple(sorted((phase, o), key=position.__getitem__)) for o in others if o != phase)  # type: ignore[misc]
    return sorted(pairs, key=lambda pair: (position[pair[0]], position[pair[1]]))


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
    first, then = (a, b) if costs[0] <= costs[1] else (b, a)
    both_parallel = plan.phases[a].parallel and plan.phases[b].parallel
    marked = " (both marked [P])" if both_parallel else ""
    message = (
        f"{phase_label(a)} and {phase_label(b)} may run at the same time{marked} and both touch "
        f"{', '.join(shared)}; making {phase_label(then)} wait for {phase_label(first)} costs {format_minutes(cost)}"
    )
    line = max(plan.phases[a].line, plan.phases[b].line)
    severity = "high" if both_parallel else "medium"
    return Finding(RACE, severity, scenario.name, (first, then), shared, -cost, line, message, severity)


def _redundant(plan: Plan, scenario: Scenario) -> list[Finding]:
    """Edges implied by a longer chain; each at the line of the phase it leads to."""
    successors: dict[str, set[str]] = {p: set() for p in scenario.phase_ids}
    for edge in scenario.edges:
        successors[edge.src].add(edge.dst)
    reach = reachability(scenario)
    beyond = {node: reach.beyond(successors[node]) for node in scenario.phase_ids}  # reached through a successor
    found = []
    for edge in scenario.edges:
        if not reach.within(beyond[edge.src], edge.dst):
            continue  # the common case, decided without looking at each successor
        via = next(
            (m for m in sorted(successors[edge.src] - {edge.dst}, key=natural_key) if reach.reaches(m, edge.dst)),
            None,
        )
        if via is not None:
            line = plan.phases[edge.dst].line
            message = (
                f"{phase_label(edge.src)} → {phase_label(edge.dst)} is implied by "
                f"{phase_label(edge.src)} → {phase_label(via)} → … → {phase_label(edge.dst)}"
            )
            found.append(
                Finding(REDUNDANT, "low", scenario.name, (edge.src, edge.dst), (), 0.0, line, message, "none", via)
            )
    return found


def _parts_index(plan: Plan) -> dict[str, list[str]]:
    """Each unit's parts: ``4a``/``4b``/``4.1`` of ``4``, and the units it holds."""
    parts: dict[str, list[str]] = {}
    for candidate in plan.phases:
        whole = _PART_ID.match(candidate)
        owners = {whole["whole"] if whole else None, plan.phases[candidate].parent} - {None, candidate}
        for owner in owners:
            parts.setdefault(str(owner), []).append(candidate)
    return parts


_PART_ID = re.compile(r"^(?P<whole>.*\d)(?:[a-z]|\.\d+)$")


def _splits(plan: Plan, scenario: Scenario, minutes: dict[str, float]) -> list[Finding]:
    found = []
    members = set(scenario.phase_ids)
    index = _parts_index(plan)
    for whole in scenario.phase_ids:
        parts = [p for p in index.get(whole, []) if p not in members]
        if len(parts) < 2:
            continue
        needs = _part_needs(plan, parts)
        outside = {part: frozenset(needs[part] - set(parts)) for part in parts}
        if len(set(outside.values())) < 2 or not all(needs[p] for p in parts):
            continue
        found.append(_split(plan, scenario, minutes, whole=whole, needs=needs))
    return found


def _part_needs(plan: Plan, parts: list[str]) -> dict[str, set[str]]:
    """What the document says each part waits for, in any scenario or in prose."""
    needs: dict[str, set[str]] = {part: set() for part in parts}
    for edge in (*[e for s in plan.scenarios for e in s.edges], *plan.stated):
        if edge.dst in needs:
            needs[edge.dst].add(edge.src)
    return needs


def _split(
    plan: Plan,
    scenario: Scenario,
    minutes: dict[str, float],
    *,
    whole: str,
    needs: dict[str, set[str]],
) -> Finding:
    """The scenario with ``whole`` replaced by its parts (the keys of ``needs``), each after what it needs."""
    parts = list(needs)
    ids = tuple(p for p in scenario.phase_ids if p != whole) + tuple(parts)
    edges = [e for e in scenario.edges if whole not in (e.src, e.dst)]
    for edge in scenario.edges:
        if edge.dst == whole:
            edges.extend(Edge(edge.src, part, "stated", edge.line) for part in parts if edge.src in needs[part])
        elif edge.src == whole:
            edges.extend(Edge(part, edge.dst, "stated", edge.line) for part in parts)
    edges.extend(Edge(src, part, "stated", 0) for part in parts for src in needs[part] if src in parts)
    split_minutes = {**minutes, **{p: plan.phases[p].minutes or 0.0 for p in parts}}
    before = longest_path(scenario.phase_ids, scenario.edges, minutes) or 0.0
    after = longest_path(ids, tuple(edges), split_minutes)
    saved = before - after if after is not None else 0.0
    waits = "; ".join(
        f"{phase_label(p)} after {', '.join(phase_label(n) for n in sorted(needs[p], key=natural_key))}" for p in parts
    )
    message = (
        f"{phase_label(whole)} waits for everything any of its parts needs; split as the document describes it "
        f"({waits}) the plan takes {format_minutes(after or 0.0)} instead of {format_minutes(before)}"
    )
    severity = "medium" if saved > 0 else "low"
    line = min(plan.phases[p].line for p in parts)
    shared = tuple(
        sorted(
            {
                f
                for x, y in itertools.combinations(parts, 2)
                for f in _shared(plan.phases[x].files, plan.phases[y].files)
            }
        )
    )
    risk = "medium" if shared else "low"
    return Finding(SPLITTING, severity, scenario.name, (whole, *parts), shared, saved, line, message, risk)


def _early_starts(plan: Plan, scenario: Scenario, minutes: dict[str, float]) -> list[Finding]:
    found = []
    edges = {(e.src, e.dst): e for e in scenario.edges}
    before = longest_path(scenario.phase_ids, scenario.edges, minutes) or 0.0
    for need in plan.partial_needs:
        edge = edges.get((need.predecessor, need.subject))
        if edge is None:
            continue
        inherited = [Edge(e.src, need.subject, "stated", e.line) for e in scenario.edges if e.dst == need.predecessor]
        rest = tuple(e for e in scenario.edges if e != edge) + tuple(inherited)
        after = longest_path(scenario.phase_ids, rest, minutes) or 0.0
        saved = before - after
        effect = (
            f"at best the plan takes {format_minutes(after)} instead of {format_minutes(before)}"
            if saved > 0
            else f"this does not shorten the plan ({format_minutes(before)}): its length is set elsewhere"
        )
        message = (
            f"{phase_label(need.subject)} waits for all of {phase_label(need.predecessor)} but "
            f'needs only its "{need.what}" (line {need.pos.line}): if {phase_label(need.predecessor)} delivers that '
            f"first, {phase_label(need.subject)} can start with it; {effect}"
        )
        severity = "medium" if saved > 0 else "low"
        found.append(
            Finding(
                EARLY_START,
                severity,
                scenario.name,
                (need.predecessor, need.subject),
                (),
                saved,
                need.pos.line,
                message,
                "medium",
                need.what,
            )
        )
    return found


def _concurrent_tests(plan: Plan) -> list[Finding]:
    found = []
    for run in plan.test_runs:
        serial = sum(m for _, m in run.commands)
        together = max(m for _, m in run.commands)
        names = " + ".join(format_duration(m) for _, m in run.commands)
        message = (
            f"{len(run.commands)} test commands run one after another ({names} = {format_duration(serial)}); "
            f"run together they take {format_duration(together)}, the longest of them"
        )
        scenario = plan.scenarios[0].name if plan.scenarios else "current"
        commands = tuple(c for c, _ in run.commands)
        found.append(
            Finding(CONCURRENT_TESTING, "low", scenario, (), commands, serial - together, run.pos.line, message)
        )
    return found


def format_duration(minutes: float) -> str:
    """Minutes, or seconds below one minute."""
    if 0 < minutes < 1:
        return f"{format_number(minutes * 60)} s"
    return format_minutes(minutes)
