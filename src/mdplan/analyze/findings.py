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

import dataclasses
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from mdplan.analyze.graph import (
    Cpm,
    DiGraph,
    GrowingCpm,
    Reach,
    WhatIf,
    makespan,
    redundant_edges,
    scenario_graph,
    timed_graph,
)
from mdplan.model import Denied, Edge, Plan, Scenario, patterns
from mdplan.model.vocabulary import format_duration, format_minutes, natural_order, phase_label
from mdplan.parse.merge import denied_edges

if TYPE_CHECKING:
    from mdplan.analyze import Schedule

PARALLEL = "PARALLEL_EXECUTION_OPPORTUNITY"
RACE = "RACE_CONDITION_RISK"
REDUNDANT = "REDUNDANT_DEPENDENCY"
SPLITTING = "PHASE_SPLITTING_OPPORTUNITY"
EARLY_START = "DEPENDENCY_OPTIMIZATION"
CONCURRENT_TESTING = "CONCURRENT_TESTING"
RECOMMENDED_TITLE = "Recommended plan (the document's stated dependencies, file races ordered)"


@dataclass(frozen=True, slots=True, kw_only=True)
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


def longest_path(ids: Iterable[str], edges: Iterable[Edge], minutes: Mapping[str, float]) -> float | None:
    """The critical-path length of a graph, or None when it has a cycle."""
    return makespan(timed_graph(ids, ((e.src, e.dst) for e in edges), minutes))


def find(plan: Plan, schedules: Mapping[str, Schedule]) -> list[Finding]:
    found: list[Finding] = []
    for scenario in plan.scenarios:
        schedule = schedules.get(scenario.name)
        if schedule is None or schedule.graph is None or schedule.cpm is None:
            continue  # a cycle: nothing to optimize until it is broken
        found.extend(_parallel_opportunities(plan, scenario, schedule.cpm))
        found.extend(_races(plan, scenario, schedule.graph, schedule.cpm))
        found.extend(_redundant(plan, scenario, schedule.graph))
        found.extend(_splits(plan, scenario, schedule.cpm))
        found.extend(_early_starts(plan, scenario, schedule.cpm))
    found.extend(_concurrent_tests(plan))
    return sorted(found, key=lambda f: (f.line, f.type, f.phases))


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One way the recommended plan differs from the plan it starts from.

    ``minutes``: what this change alone does to the recommended plan's length (undoing it,
    everything else kept, gives the length minus ``minutes``); None when undoing it would close
    a cycle. ``alternatives``: for a choice mdplan made (which way round to order a file race),
    the length of the plan had it chosen otherwise."""

    src: str
    dst: str
    change: Literal["added", "dropped", "reversed"]
    reason: str
    line: int
    minutes: float | None
    alternatives: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Recommendation:
    scenario: Scenario
    base: str  # the scenario it starts from
    changes: tuple[Change, ...]
    races_accepted: float | None  # its length with no file race ordered
    races_unordered: int = 0  # races left as they are: more than MAX_RACES_ORDERED


def recommended(plan: Plan) -> Recommendation | None:
    """The proposed (else current) graph, less what prose rules out, plus what prose states,
    with every file race settled in its cheaper order; and each change with its reason."""
    base = plan.scenario("optimized") or plan.scenario("current")
    if base is None:
        return None
    denials = {(d.edge.src, d.edge.dst): d for d in plan.denied if d.scenario == base.name}
    members = set(base.phase_ids)
    kept = [e for e in base.edges if (e.src, e.dst) not in denials]
    known = {(e.src, e.dst) for e in kept} | set(denials)
    added = [e for e in plan.stated if {e.src, e.dst} <= members and (e.src, e.dst) not in known]
    # a stated dependency the scenario's own prose denies ("Phase 2 doesn't depend on Phase 1") stays out
    trial = Scenario(base.name, base.title, base.line, base.phase_ids, tuple(added))
    denied_here = {(d.edge.src, d.edge.dst) for d in denied_edges(list(plan.denials), [trial])}
    added = [e for e in added if (e.src, e.dst) not in denied_here]
    edges = tuple(sorted([*kept, *added], key=lambda e: (natural_order(e.src), natural_order(e.dst))))
    stated = Scenario("recommended", RECOMMENDED_TITLE, base.line, base.phase_ids, edges)
    final, races, unordered = _races_ordered(plan, stated)
    dropped = [e for e in base.edges if (e.src, e.dst) in denials]
    first_statements = list({(e.src, e.dst): e for e in reversed(added)}.values())[::-1]
    changes = _changes(
        plan, final, dropped=[(e, denials[(e.src, e.dst)]) for e in dropped], added=first_statements, races=races
    )
    races_accepted = makespan(scenario_graph(stated, plan.phases))
    return Recommendation(final, base.name, changes, races_accepted, races_unordered=unordered)


# file races the recommended plan orders one by one; past this many (a thousand phases on one
# file make half a million), it leaves them as they are and says how many
MAX_RACES_ORDERED = 2_000


def _races_ordered(plan: Plan, scenario: Scenario) -> tuple[Scenario, list[tuple[Edge, tuple[str, ...]]], int]:
    """Each race left, first by line, settled in its cheaper order, until none is left; and the
    edges that settled them, each with the files it is for; and how many races were left as they
    are (all of them, when there are more than ``MAX_RACES_ORDERED``).

    Ordering two phases only ever orders more pairs, so the races to settle are among those of
    the start; each is settled with the CPM numbers of the graph as it stands (one edge's cost
    is the earliest finish of its source plus the tail of its target, past the makespan), and
    the reachability and CPM are brought up to date after each edge added."""
    graph = scenario_graph(scenario, plan.phases)
    if makespan(graph) is None:
        return scenario, [], 0
    reach = Reach(graph)
    pairs = _race_pairs(plan, scenario, reach)
    if len(pairs) > MAX_RACES_ORDERED:
        return scenario, [], len(pairs)
    cpm = GrowingCpm(graph)
    by_line: dict[int, list[tuple[str, str]]] = {}
    for pair in pairs:
        by_line.setdefault(_race_line(plan, pair), []).append(pair)
    settled: list[tuple[Edge, tuple[str, ...]]] = []
    for line in sorted(by_line):
        pending = by_line[line]
        while pending := [pair for pair in pending if not reach.ordered(*pair)]:
            first, then = min(_cheaper_order(cpm, pair) for pair in pending)
            settled.append(
                (Edge(first, then, "stated", line), _shared(plan.phases[first].files, plan.phases[then].files))
            )
            cpm.add_edge(first, then)
            reach.add_edge(first, then)
    if not settled:
        return scenario, [], 0
    edges = sorted(
        [*scenario.edges, *(e for e, _ in settled)], key=lambda e: (natural_order(e.src), natural_order(e.dst))
    )
    return Scenario(scenario.name, scenario.title, scenario.line, scenario.phase_ids, tuple(edges)), settled, 0


def _changes(
    plan: Plan,
    final: Scenario,
    *,
    dropped: list[tuple[Edge, Denied]],
    added: list[Edge],
    races: list[tuple[Edge, tuple[str, ...]]],
) -> tuple[Change, ...]:
    graph = scenario_graph(final, plan.phases)
    lengths = WhatIf(graph) if makespan(graph) is not None else None  # a cycle: no lengths to compare

    def length(undone: Literal["dropped", "added", "reversed"], edge: tuple[str, str]) -> float | None:
        """The recommended plan's length with ``edge`` dropped, added or reversed."""
        if lengths is None:
            return None
        return {"dropped": lengths.dropped, "added": lengths.added, "reversed": lengths.reversed}[undone](*edge)

    def effect(undone: Literal["dropped", "added", "reversed"], edge: tuple[str, str]) -> float | None:
        """The recommended plan's length minus its length with one change undone."""
        after = length(undone, edge)
        return None if lengths is None or after is None else lengths.makespan - after

    found: list[Change] = []
    for edge, denial in dropped:
        reason = f'the prose rules it out: "{denial.text}"'
        found.append(_change(edge, "dropped", reason, denial.line, effect("added", (edge.src, edge.dst))))
    for edge in added:
        minutes = effect("dropped", (edge.src, edge.dst))
        found.append(_change(edge, "added", "the source states it", edge.line, minutes))
    for edge, files in races:
        pair = (edge.src, edge.dst)
        reason = f"both touch {', '.join(files)}: one after the other, the cheaper way round"
        choices = (("other order", length("reversed", pair)), ("race accepted", length("dropped", pair)))
        change = _change(edge, "added", reason, edge.line, effect("dropped", pair))
        found.append(_with_alternatives(change, [(c, m) for c, m in choices if m is not None]))
    return tuple(
        _replace(change, minutes=effect("reversed", (change.src, change.dst)))
        if change.change == "reversed"
        else change
        for change in _reversals(found)
    )


def _change(edge: Edge, change: Literal["added", "dropped"], reason: str, line: int, minutes: float | None) -> Change:
    return Change(src=edge.src, dst=edge.dst, change=change, reason=reason, line=line, minutes=minutes)


def _with_alternatives(change: Change, alternatives: list[tuple[str, float]]) -> Change:
    return _replace(change, alternatives=tuple(alternatives))


def _replace(original: Change, **fields: Any) -> Change:
    return dataclasses.replace(original, **fields)


def _reversals(changes: list[Change]) -> list[Change]:
    """An edge dropped and its opposite added are one change: the dependency reversed."""
    dropped = {(c.src, c.dst): c for c in changes if c.change == "dropped"}
    merged: list[Change] = []
    used: set[tuple[str, str]] = set()
    for change in changes:
        opposite = dropped.get((change.dst, change.src)) if change.change == "added" else None
        if opposite is None:
            merged.append(change)
            continue
        used.add((opposite.src, opposite.dst))
        reason = f"{opposite.reason}; and {change.reason}"
        merged.append(_replace(change, change="reversed", reason=reason, minutes=None))
    return [c for c in merged if not (c.change == "dropped" and (c.src, c.dst) in used)]


# --- the finding types -------------------------------------------------------------------


def _parallel_opportunities(plan: Plan, scenario: Scenario, cpm: Cpm) -> list[Finding]:
    minutes = _minutes(plan, scenario)
    before = cpm.makespan
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
            Finding(
                type=PARALLEL,
                severity=severity,
                scenario=scenario.name,
                phases=(edge.src, edge.dst),
                files=shared,
                minutes_saved=saved,
                line=denied.line,
                message=message,
                risk=risk,
            )
        )
    return found


def _minutes(plan: Plan, scenario: Scenario) -> dict[str, float]:
    return {p: plan.phases[p].minutes or 0.0 for p in scenario.phase_ids}


def _overlap(a: str, b: str) -> bool:
    """Same file, or one is a folder holding the other."""
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


def _races(plan: Plan, scenario: Scenario, graph: DiGraph, cpm: Cpm) -> list[Finding]:
    reach = Reach(graph)
    return [_race(plan, scenario, cpm, pair) for pair in _race_pairs(plan, scenario, reach)]


# pairs of phases that may overlap on one file a report lists, each a finding of its own (a
# thousand unordered phases on one file make half a million: minutes, and a report of gigabytes)
MAX_RACES = 20_000


class TooManyRaces(Exception):
    """A scenario has more than ``MAX_RACES`` file races (found before they are all listed)."""


def _race_pairs(plan: Plan, scenario: Scenario, reach: Reach) -> list[tuple[str, str]]:
    """Phases (in scenario order) that may overlap and touch the same file or folder."""
    touching = [p for p in scenario.phase_ids if plan.phases[p].files]
    if len(touching) < 2:
        return []
    pairs: list[tuple[str, str]] = []
    for a, b in _file_neighbours(plan, touching):
        if not reach.ordered(a, b) and _shared(plan.phases[a].files, plan.phases[b].files):
            pairs.append((a, b))
            if len(pairs) > MAX_RACES:
                raise TooManyRaces
    return pairs


def _race_line(plan: Plan, pair: tuple[str, str]) -> int:
    return max(plan.phases[pair[0]].line, plan.phases[pair[1]].line)


def _cheaper_order(cpm: Cpm | GrowingCpm, pair: tuple[str, str]) -> tuple[str, str]:
    a, b = pair
    return (a, b) if cpm.cost_of_edge(a, b) <= cpm.cost_of_edge(b, a) else (b, a)


def _file_neighbours(plan: Plan, touching: list[str]) -> Iterator[tuple[str, str]]:
    """Pairs of phases (in scenario order) that name the same path, or a folder and a path in
    it: found through an index of paths and their folders, not by trying every pair, and
    yielded one phase at a time (a plan of 8,000 phases has some 150,000 such pairs, mostly
    ordered, which the caller drops as they come)."""
    position = {p: i for i, p in enumerate(touching)}
    exact: dict[str, set[str]] = {}
    under: dict[str, set[str]] = {}  # folder -> phases naming a path below it
    for phase in touching:
        for path in plan.phases[phase].files:
            key = path.rstrip("/")
            exact.setdefault(key, set()).add(phase)
            for folder in _folders(key):
                under.setdefault(folder, set()).add(phase)
    for phase in touching:
        others: set[str] = set()
        for path in plan.phases[phase].files:
            key = path.rstrip("/")
            others |= exact.get(key, set()) | under.get(key, set())
            for folder in _folders(key):
                others |= exact.get(folder, set())
        later = sorted((o for o in others if position[o] > position[phase]), key=position.__getitem__)
        yield from ((phase, other) for other in later)


def _folders(path: str) -> list[str]:
    return [path[:cut] for cut in range(len(path)) if path[cut] == "/"]


def _shared(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[str, ...]:
    """Paths both phases name; failing that, the paths inside a folder the other one names."""
    same = set(left) & set(right)
    if same:
        return tuple(sorted(same))
    pairs = [(x, y) for x in left for y in right if _overlap(x, y)]
    return tuple(sorted({max(x, y, key=len) for x, y in pairs}))


def _race(plan: Plan, scenario: Scenario, cpm: Cpm, pair: tuple[str, str]) -> Finding:
    a, b = pair
    shared = _shared(plan.phases[a].files, plan.phases[b].files)
    first, then = _cheaper_order(cpm, pair)
    cost = cpm.cost_of_edge(first, then)
    both_parallel = plan.phases[a].parallel and plan.phases[b].parallel
    marked = " (both marked [P])" if both_parallel else ""
    message = (
        f"{phase_label(a)} and {phase_label(b)} may run at the same time{marked} and both touch "
        f"{', '.join(shared)}; making {phase_label(then)} wait for {phase_label(first)} costs {format_minutes(cost)}"
    )
    severity = "high" if both_parallel else "medium"
    return Finding(
        type=RACE,
        severity=severity,
        scenario=scenario.name,
        phases=(first, then),
        files=shared,
        minutes_saved=-cost,
        line=_race_line(plan, pair),
        message=message,
        risk=severity,
    )


def _redundant(plan: Plan, scenario: Scenario, graph: DiGraph) -> list[Finding]:
    """Edges implied by a longer chain; each at the line of the phase it leads to."""
    found = []
    for src, dst, via in redundant_edges(graph):
        message = (
            f"{phase_label(src)} → {phase_label(dst)} is implied by "
            f"{phase_label(src)} → {phase_label(via)} → … → {phase_label(dst)}"
        )
        found.append(
            Finding(
                type=REDUNDANT,
                severity="low",
                scenario=scenario.name,
                phases=(src, dst),
                files=(),
                minutes_saved=0.0,
                line=plan.phases[dst].line,
                message=message,
                risk="none",
                detail=via,
            )
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


_PART_ID = patterns.compile(r"^(?P<whole>.*\d)(?:[a-z]|\.\d+)$")


def _splits(plan: Plan, scenario: Scenario, cpm: Cpm) -> list[Finding]:
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
        found.append(_split(plan, scenario, cpm, whole=whole, needs=needs))
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
    cpm: Cpm,
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
    split_minutes = {**_minutes(plan, scenario), **{p: plan.phases[p].minutes or 0.0 for p in parts}}
    before = cpm.makespan
    after = longest_path(ids, tuple(edges), split_minutes)
    saved = before - after if after is not None else 0.0
    waits = "; ".join(
        f"{phase_label(p)} after {', '.join(phase_label(n) for n in sorted(needs[p], key=natural_order))}"
        for p in parts
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
    return Finding(
        type=SPLITTING,
        severity=severity,
        scenario=scenario.name,
        phases=(whole, *parts),
        files=shared,
        minutes_saved=saved,
        line=line,
        message=message,
        risk=risk,
    )


def _early_starts(plan: Plan, scenario: Scenario, cpm: Cpm) -> list[Finding]:
    found = []
    minutes = _minutes(plan, scenario)
    edges = {(e.src, e.dst): e for e in scenario.edges}
    before = cpm.makespan
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
                type=EARLY_START,
                severity=severity,
                scenario=scenario.name,
                phases=(need.predecessor, need.subject),
                files=(),
                minutes_saved=saved,
                line=need.pos.line,
                message=message,
                risk="medium",
                detail=need.what,
            )
        )
    return found


def _concurrent_tests(plan: Plan) -> list[Finding]:
    found = []
    for run in (r for r in plan.test_runs if r.commands):
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
            Finding(
                type=CONCURRENT_TESTING,
                severity="low",
                scenario=scenario,
                phases=(),
                files=commands,
                minutes_saved=serial - together,
                line=run.pos.line,
                message=message,
            )
        )
    return found
