"""The graph core: properties against brute force on random DAGs."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from mdplan.analyze import analyze, schedule
from mdplan.model import Edge, Phase, Plan, Scenario


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
