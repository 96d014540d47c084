"""Round trip: a random DAG, written in one notation mdplan reads, parses back to the same graph."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

import mdplan

FENCE = "```"


@dataclass(frozen=True)
class Drawn:
    """Phases ``1..n``, edges ``(a, b)`` with ``a < b``, and a duration in minutes per phase."""

    n: int
    edges: frozenset[tuple[int, int]]
    minutes: tuple[int, ...]

    @property
    def phases(self) -> range:
        return range(1, self.n + 1)

    def minutes_of(self, phase: int) -> int:
        return self.minutes[phase - 1]

    def predecessors(self, phase: int) -> list[int]:
        return sorted(a for a, b in self.edges if b == phase)

    def sorted_edges(self) -> list[tuple[int, int]]:
        return sorted(self.edges)


def _covered(n: int, edges: set[tuple[int, int]]) -> set[int]:
    return {p for edge in edges for p in edge if 1 <= p <= n}


@st.composite
def drawn_plans(draw: st.DrawFn, connected: bool = False) -> Drawn:
    """A random DAG; ``connected``: at least two phases, and every phase is in some edge."""
    n = draw(st.integers(min_value=2 if connected else 1, max_value=7))
    pairs = [(a, b) for a in range(1, n + 1) for b in range(a + 1, n + 1)]
    edges = set(draw(st.sets(st.sampled_from(pairs), max_size=len(pairs)))) if pairs else set()
    if connected:
        for phase in range(1, n + 1):
            if phase not in _covered(n, edges):
                other = draw(st.sampled_from([p for p in range(1, n + 1) if p != phase]))
                edges.add((min(phase, other), max(phase, other)))
    minutes = draw(st.lists(st.integers(min_value=1, max_value=90), min_size=n, max_size=n))
    return Drawn(n, frozenset(edges), tuple(minutes))


# --- document generators -------------------------------------------------------------------


def _document(body: list[str]) -> str:
    return "\n".join(["# Plan", "", *body]) + "\n"


def write_headings(plan: Drawn) -> str:
    body: list[str] = []
    for i in plan.phases:
        preds = plan.predecessors(i)
        depends = ", ".join(f"Phase {a}" for a in preds) if preds else "None"
        body += [f"## Phase {i}: Step {i} ({plan.minutes_of(i)} min)", "", f"- Depends on: {depends}", ""]
    return _document(body)


def write_ascii(plan: Drawn) -> str:
    lines = [
        f"Phase {a} ({plan.minutes_of(a)} min) ──→ Phase {b} ({plan.minutes_of(b)} min)" for a, b in plan.sorted_edges()
    ]
    return _document([FENCE, *lines, FENCE])


def write_mermaid_flowchart(plan: Drawn) -> str:
    nodes = [f'    p{i}["Phase {i}: Step {i} ({plan.minutes_of(i)} min)"]' for i in plan.phases]
    links = [f"    p{a} --> p{b}" for a, b in plan.sorted_edges()]
    return _document([f"{FENCE}mermaid", "flowchart TD", *nodes, *links, FENCE])


def _gantt_task(plan: Drawn, i: int) -> str:
    preds = plan.predecessors(i)
    start = "after " + " ".join(f"p{a}" for a in preds) if preds else "0"
    return f"    Phase {i} Step {i} :p{i}, {start}, {plan.minutes_of(i)}m"


def write_mermaid_gantt(plan: Drawn) -> str:
    header = ["gantt", "    dateFormat X", "    axisFormat %H:%M", "    section Plan"]
    tasks = [_gantt_task(plan, i) for i in plan.phases]
    return _document([f"{FENCE}mermaid", *header, *tasks, FENCE])


def _task_id(i: int) -> str:
    return f"T{i:03d}"


def write_spec_kit(plan: Drawn) -> str:
    tasks = [f"- [ ] {_task_id(i)} [P] Build part {i} in src/part_{i}.py" for i in plan.phases]
    depends = [
        f"- {_task_id(i)} depends on " + ", ".join(_task_id(a) for a in plan.predecessors(i))
        for i in plan.phases
        if plan.predecessors(i)
    ]
    return _document(["## Phase 1: Tasks", "", *tasks, "", "## Dependencies", "", *depends])


def _table_row(plan: Drawn, i: int) -> str:
    depends = ", ".join(str(a) for a in plan.predecessors(i)) or "—"
    return f"| {i} | Step {i} | {depends} | {plan.minutes_of(i)} min |"


def write_table(plan: Drawn) -> str:
    header = ["| ID | Task | Depends on | Estimate |", "|----|------|------------|----------|"]
    return _document([*header, *(_table_row(plan, i) for i in plan.phases)])


def write_prose_chains(plan: Drawn) -> str:
    minutes = plan.minutes_of
    lines = [f"- Phase {a} ({minutes(a)} min) -> Phase {b} ({minutes(b)} min)" for a, b in plan.sorted_edges()]
    return _document(lines)


def _yaml_id(i: int) -> str:
    return f"T{i}"


def write_yaml_tasks(plan: Drawn) -> str:
    entries: list[str] = []
    for i in plan.phases:
        needs = ", ".join(_yaml_id(a) for a in plan.predecessors(i))
        entries += [f"  - id: {_yaml_id(i)}", f"    estimate: {plan.minutes_of(i)} min", f"    depends_on: [{needs}]"]
    return _document([f"{FENCE}yaml", "tasks:", *entries, FENCE])


def write_json_needs(plan: Drawn) -> str:
    entries = {
        f"P{i}": {"needs": [f"P{a}" for a in plan.predecessors(i)], "estimate": f"{plan.minutes_of(i)}m"}
        for i in plan.phases
    }
    return _document([f"{FENCE}json", json.dumps(entries, indent=2), FENCE])


@dataclass(frozen=True)
class Notation:
    write: Callable[[Drawn], str]
    node_id: Callable[[int], str] = str
    has_minutes: bool = True
    connected: bool = False
    holder: str | None = None  # the phase that holds the units, when the notation has two levels


NOTATIONS: dict[str, Notation] = {
    "headings": Notation(write_headings),
    "ascii": Notation(write_ascii, connected=True),
    "mermaid-flowchart": Notation(write_mermaid_flowchart),
    "mermaid-gantt": Notation(write_mermaid_gantt),
    "spec-kit": Notation(write_spec_kit, node_id=_task_id, has_minutes=False, holder="1"),
    "table": Notation(write_table),
    "prose-chains": Notation(write_prose_chains, connected=True),
    "yaml-tasks": Notation(write_yaml_tasks, node_id=_yaml_id),
    "json-needs": Notation(write_json_needs, node_id=lambda i: f"P{i}", connected=True),
}


# --- the property --------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(NOTATIONS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_random_dag_round_trips(name: str, data: st.DataObject) -> None:
    notation = NOTATIONS[name]
    drawn = data.draw(drawn_plans(connected=notation.connected), label="plan")
    document = notation.write(drawn)
    note(document)
    plan = mdplan.parse(document, "doc.md")
    scenario = plan.scenario("current")
    assert scenario is not None
    expected_ids = sorted(notation.node_id(i) for i in drawn.phases)
    expected_edges = {(notation.node_id(a), notation.node_id(b)) for a, b in drawn.edges}
    if notation.holder and not drawn.edges:
        # two levels, no dependency written at either: the graph is the holding phase, tasks are grouping
        expected_ids = [notation.holder]
    assert sorted(scenario.phase_ids) == expected_ids
    assert {(e.src, e.dst) for e in scenario.edges} == expected_edges
    if notation.has_minutes:
        minutes = {notation.node_id(i): plan.phases[notation.node_id(i)].minutes_range for i in drawn.phases}
        assert minutes == {notation.node_id(i): (drawn.minutes_of(i), drawn.minutes_of(i)) for i in drawn.phases}
