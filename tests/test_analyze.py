"""The graph core: properties against brute force on random DAGs."""

from __future__ import annotations

import importlib
import itertools

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdplan import parse
from mdplan.analyze import analyze, schedule
from mdplan.analyze.graph import (
    GrowingCpm,
    Reach,
    WhatIf,
    critical_path_method,
    makespan,
    minutes_of,
    redundant_edges,
    scenario_graph,
    transitive_reduction,
)
from mdplan.analyze.workers import list_schedule, worker_counts
from mdplan.model import Edge, Phase, Plan, Scenario
from mdplan.model.vocabulary import natural_order
from tests.helpers import REFERENCE
from tests.work import assert_count_linear, calls_of


@st.composite
def dags(draw: st.DrawFn) -> tuple[Plan, Scenario]:
    size = draw(st.integers(min_value=1, max_value=8))
    ids = [str(i) for i in range(1, size + 1)]
    pairs = [(a, b) for a, b in itertools.combinations(ids, 2)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    minutes = draw(st.lists(st.integers(min_value=0, max_value=60), min_size=size, max_size=size))
    phases = {
        i: Phase(i, f"Phase {i}", None, float(m), (float(m), float(m)), (), 1)
        for i, m in zip(ids, minutes, strict=True)
    }
    edges = tuple(Edge(a, b, "drawn", 1) for a, b in chosen)
    scenario = Scenario("current", "Plan", 1, tuple(ids), edges)
    return Plan("test.md", None, phases, (scenario,)), scenario


def longest_path(plan: Plan, scenario: Scenario) -> float:
    successors = {p: [e.dst for e in scenario.edges if e.src == p] for p in scenario.phase_ids}

    def longest_from(node: str) -> float:
        minutes = plan.phases[node].minutes or 0.0
        return minutes + max((longest_from(s) for s in successors[node]), default=0.0)

    return max(longest_from(p) for p in scenario.phase_ids)


@settings(max_examples=150, deadline=None)
@given(dags())
def test_makespan_is_the_longest_path(case: tuple[Plan, Scenario]) -> None:
    plan, scenario = case
    assert schedule(plan, scenario).makespan == longest_path(plan, scenario)


@settings(max_examples=150, deadline=None)
@given(dags())
def test_critical_path_is_a_zero_slack_chain_as_long_as_the_makespan(case: tuple[Plan, Scenario]) -> None:
    plan, scenario = case
    result = schedule(plan, scenario)
    path = result.critical_path
    edges = {(e.src, e.dst) for e in scenario.edges}
    assert all((a, b) in edges for a, b in itertools.pairwise(path))
    assert all(result.is_critical(p) for p in path)
    assert sum(result.minutes[p] for p in path) == result.makespan


@settings(max_examples=150, deadline=None)
@given(dags())
def test_schedule_respects_every_edge_and_slack_is_never_negative(case: tuple[Plan, Scenario]) -> None:
    plan, scenario = case
    result = schedule(plan, scenario)
    for edge in scenario.edges:
        assert result.earliest_start[edge.dst] >= result.earliest_finish[edge.src]
    assert all(result.slack(p) >= 0 for p in scenario.phase_ids)


@settings(max_examples=150, deadline=None)
@given(dags())
def test_waves_partition_the_phases_in_dependency_order(case: tuple[Plan, Scenario]) -> None:
    plan, scenario = case
    waves = schedule(plan, scenario).waves
    wave_of = {p: i for i, wave in enumerate(waves) for p in wave}
    assert sorted(wave_of) == sorted(scenario.phase_ids)
    assert all(wave_of[e.src] < wave_of[e.dst] for e in scenario.edges)


def test_cycle_is_an_error_naming_every_edge() -> None:
    phases = {i: Phase(i, f"Phase {i}", None, 5.0, (5.0, 5.0), (), 1) for i in "123"}
    edges = (Edge("1", "2", "drawn", 3), Edge("2", "3", "drawn", 4), Edge("3", "1", "drawn", 5))
    plan = Plan("c.md", None, phases, (Scenario("current", "Plan", 1, ("1", "2", "3"), edges),))
    analysis = analyze(plan)
    assert analysis.schedules[0].makespan is None
    (error,) = [d for d in analysis.diagnostics if d.severity == "error"]
    assert error.code == "MP107"
    for edge in edges:
        assert f"Phase {edge.src} → Phase {edge.dst} (line {edge.line})" in error.message


def test_unknown_durations_count_as_zero_and_are_reported() -> None:
    phases = {
        "1": Phase("1", "Phase 1", None, 5.0, (5.0, 5.0), (), 1),
        "2": Phase("2", "Phase 2", None, None, None, (), 2),
    }
    plan = Plan("u.md", None, phases, (Scenario("current", "Plan", 1, ("1", "2"), (Edge("1", "2", "drawn", 1),)),))
    analysis = analyze(plan)
    assert analysis.schedules[0].makespan == 5
    assert [d.code for d in analysis.diagnostics] == ["MP106"]


@settings(max_examples=150, deadline=None)
@given(dags(), st.integers(min_value=1, max_value=8))
def test_k_worker_schedules_respect_edges_and_the_worker_limit(case: tuple[Plan, Scenario], k: int) -> None:
    plan, scenario = case
    graph = scenario_graph(scenario, plan.phases)
    order, minutes = list(scenario.phase_ids), minutes_of(graph)
    run = list_schedule(graph, critical_path_method(graph), k)
    for edge in scenario.edges:
        assert run.start[edge.dst] >= run.start[edge.src] + minutes[edge.src] - 1e-9
    moments = {run.start[p] for p in order}
    for moment in moments:
        running = [p for p in order if run.start[p] <= moment < run.start[p] + minutes[p]]
        assert len(running) <= k
    assert run.makespan >= schedule(plan, scenario).makespan - 1e-9  # type: ignore[operator]


@settings(max_examples=150, deadline=None)
@given(dags())
def test_one_worker_takes_the_total_work_and_enough_reach_the_critical_path(case: tuple[Plan, Scenario]) -> None:
    plan, scenario = case
    result = schedule(plan, scenario)
    curve = dict(result.workers)
    assert curve[1] == result.work
    assert result.min_workers is not None
    assert curve[result.min_workers] == result.makespan
    assert all(m > result.makespan for k, m in result.workers if k < result.min_workers)  # type: ignore[operator]


def test_worker_counts_are_exact_up_to_64_then_double_and_end_at_the_width() -> None:
    assert worker_counts(3) == [1, 2, 3]
    assert worker_counts(64) == list(range(1, 65))
    assert worker_counts(300) == [*range(1, 65), 128, 256, 300]


def test_reference_optimized_plan_needs_three_workers() -> None:
    plan = parse(REFERENCE.read_text(encoding="utf-8"))
    scenario = plan.scenario("optimized")
    assert scenario is not None
    optimized = schedule(plan, scenario)
    assert optimized.workers == ((1, 55.0), (2, 43.0), (3, 42.0))
    assert optimized.min_workers == 3


@st.composite
def ranged_dags(draw: st.DrawFn) -> tuple[Plan, Scenario]:
    """Random DAGs whose phases take a range of minutes, planned at the midpoint."""
    plan, scenario = draw(dags())
    phases = {}
    for pid, phase in plan.phases.items():
        low = phase.minutes or 0.0
        high = low + draw(st.integers(min_value=0, max_value=30))
        phases[pid] = Phase(pid, phase.label, None, (low + high) / 2, (low, high), (), 1)
    return Plan(plan.source, None, phases, plan.scenarios), scenario


@settings(max_examples=100, deadline=None)
@given(ranged_dags())
def test_best_and_worst_makespans_come_from_the_range_ends(case: tuple[Plan, Scenario]) -> None:
    plan, scenario = case
    result = schedule(plan, scenario)
    assert result.makespan_range is not None
    best, worst = result.makespan_range
    assert best <= (result.makespan or 0.0) <= worst
    for end, expected in ((0, best), (1, worst)):
        at_end = {
            p: Phase(p, ph.label, None, (ph.minutes_range or (0, 0))[end], None, (), 1) for p, ph in plan.phases.items()
        }
        assert longest_path(Plan(plan.source, None, at_end, plan.scenarios), scenario) == expected


@settings(max_examples=60, deadline=None)
@given(dags())
def test_a_total_claim_of_the_computed_makespan_is_consistent_and_any_other_is_not(
    case: tuple[Plan, Scenario],
) -> None:
    plan, scenario = case
    chains = [f"Phase {e.src} ({plan.phases[e.src].minutes:g} min) ──→ Phase {e.dst}" for e in scenario.edges]
    nodes = [f"Phase {p} ({plan.phases[p].minutes:g} min)" for p in scenario.phase_ids]
    makespan = longest_path(plan, scenario)
    unordered = not scenario.edges and len(scenario.phase_ids) > 1  # no dependency stated: no length to check
    for claimed, holds in ((makespan, "consistent"), (makespan + 5, "inconsistent")):
        verdict = "unverifiable" if unordered else holds
        lines = ["## Current Plan", "", *[f"## {n}" for n in nodes], "", "```", *chains, "```", ""]
        document = "\n".join([*lines, f"Total: {claimed:g} minutes", ""])
        analysis = analyze(parse(document))
        assert [(c.kind, c.verdict) for c in analysis.claims] == [("total", verdict)], document


@settings(max_examples=150, deadline=None)
@given(dags())
def test_slack_is_zero_exactly_on_phases_of_some_longest_path(case: tuple[Plan, Scenario]) -> None:
    plan, scenario = case
    result = schedule(plan, scenario)
    minutes = {p: plan.phases[p].minutes or 0.0 for p in scenario.phase_ids}
    successors = {p: [e.dst for e in scenario.edges if e.src == p] for p in scenario.phase_ids}
    predecessors = {p: [e.src for e in scenario.edges if e.dst == p] for p in scenario.phase_ids}

    def longest_from(node: str) -> float:  # brute force, including the node
        return minutes[node] + max((longest_from(s) for s in successors[node]), default=0.0)

    def longest_to(node: str) -> float:  # brute force, excluding the node
        return max((longest_to(p) + minutes[p] for p in predecessors[node]), default=0.0)

    for phase in scenario.phase_ids:
        on_a_longest_path = longest_to(phase) + longest_from(phase) == result.makespan
        assert (result.slack(phase) == 0) == on_a_longest_path


def _reference(scenario: Scenario, pairs: list[tuple[str, str]]) -> nx.DiGraph[str]:
    reference: nx.DiGraph[str] = nx.DiGraph()
    reference.add_nodes_from(scenario.phase_ids)
    reference.add_edges_from(pairs)
    return reference


@settings(max_examples=150, deadline=None)
@given(dags())
def test_own_graph_code_agrees_with_networkx(dag: tuple[Plan, Scenario]) -> None:
    """Reachability bit sets and redundant edges are written here (for speed): each is checked
    against networkx's own answer."""
    _, scenario = dag
    reference = _reference(scenario, [(e.src, e.dst) for e in scenario.edges])
    reach = Reach(reference)
    for node in scenario.phase_ids:
        assert {other for other in scenario.phase_ids if reach.reaches(node, other)} == nx.descendants(reference, node)
    assert set(transitive_reduction(reference)) == set(nx.transitive_reduction(reference).edges())
    implied = {(src, dst) for src, dst, _ in redundant_edges(reference)}
    assert implied == set(reference.edges()) - set(nx.transitive_reduction(reference).edges())
    for src, dst, via in redundant_edges(reference):  # the first other successor, in id order, that leads there
        others = sorted((s for s in reference.successors(src) if s != dst), key=natural_order)
        assert via == next(s for s in others if dst in nx.descendants(reference, s))


def test_redundant_edges_of_a_wide_node_take_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """A node whose n successors form a chain (a story every task of a spec-kit list names) has
    n - 1 redundant edges: their ``via`` once took n sorts of n successors (15 s at 4,000)."""
    graph_core = importlib.import_module("mdplan.analyze.graph")  # ``mdplan.analyze`` is also a function
    sorts = calls_of(graph_core, "natural_order", monkeypatch)

    def count_at(n: int) -> int:
        graph = nx.DiGraph()
        graph.add_edges_from(("story", f"T{i}") for i in range(n))
        graph.add_edges_from((f"T{i}", f"T{i + 1}") for i in range(n - 1))
        sorts.clear()
        assert len(redundant_edges(graph)) == n - 1
        return len(sorts)

    assert_count_linear(count_at, 200)


@settings(max_examples=150, deadline=None)
@given(dags(), st.data())
def test_an_added_edge_costs_what_the_cpm_says_and_reach_follows_it(
    dag: tuple[Plan, Scenario], data: st.DataObject
) -> None:
    plan, scenario = dag
    graph = scenario_graph(scenario, plan.phases)
    reach = Reach(graph)
    unordered = [(a, b) for a in scenario.phase_ids for b in scenario.phase_ids if a != b and not reach.ordered(a, b)]
    if not unordered:
        return
    src, dst = data.draw(st.sampled_from(unordered))
    cpm = critical_path_method(graph)
    predicted = cpm.makespan + cpm.cost_of_edge(src, dst)
    graph.add_edge(src, dst)
    reach.add_edge(src, dst)
    assert abs(critical_path_method(graph).makespan - predicted) < 1e-9
    for node in scenario.phase_ids:
        assert {other for other in scenario.phase_ids if reach.reaches(node, other)} == nx.descendants(graph, node)


@settings(max_examples=150, deadline=None)
@given(dags(), st.data())
def test_growing_cpm_matches_a_fresh_pass_after_each_added_edge(
    dag: tuple[Plan, Scenario], data: st.DataObject
) -> None:
    plan, scenario = dag
    graph = scenario_graph(scenario, plan.phases)
    growing, reach = GrowingCpm(graph), Reach(graph)
    for _ in range(data.draw(st.integers(min_value=0, max_value=4))):
        ids = scenario.phase_ids
        unordered = [(a, b) for a in ids for b in ids if a != b and not reach.ordered(a, b)]
        if not unordered:
            break
        src, dst = data.draw(st.sampled_from(unordered))
        growing.add_edge(src, dst)
        reach.add_edge(src, dst)
        fresh = critical_path_method(graph)
        assert growing.earliest_finish == fresh.earliest_finish
        assert growing.tail == fresh.tail
        assert growing.makespan == fresh.makespan


def what_if(graph: nx.DiGraph[str], *, drop: list[tuple[str, str]] = [], add: list[Edge] = []) -> float | None:  # noqa: B006
    """The reference: the makespan of a changed copy, computed afresh."""
    changed = graph.copy()
    changed.remove_edges_from(drop)
    changed.add_edges_from((e.src, e.dst) for e in add)
    return makespan(changed)


@settings(max_examples=150, deadline=None)
@given(dags(), st.data())
def test_what_if_lengths_match_a_fresh_pass(dag: tuple[Plan, Scenario], data: st.DataObject) -> None:
    """The shortcuts (an edge that sets no start, an added edge's finish plus tail, a reversal
    another path blocks) give what recomputing the changed graph gives."""
    plan, scenario = dag
    graph = scenario_graph(scenario, plan.phases)
    lengths = WhatIf(graph)
    ids = scenario.phase_ids
    for src, dst in list(graph.edges):
        assert lengths.dropped(src, dst) == what_if(graph, drop=[(src, dst)])
        assert lengths.reversed(src, dst) == what_if(graph, drop=[(src, dst)], add=[Edge(dst, src, "stated", 0)])
    pairs = [(a, b) for a in ids for b in ids if a != b and not graph.has_edge(a, b)]
    for src, dst in data.draw(st.lists(st.sampled_from(pairs), max_size=5)) if pairs else []:
        assert lengths.added(src, dst) == what_if(graph, add=[Edge(src, dst, "stated", 0)])
