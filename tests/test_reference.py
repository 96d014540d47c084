"""The reference plan, fact by fact, each checked against the line of text it came from."""

from __future__ import annotations

import pytest

import mdplan
from tests.helpers import REFERENCE

TEXT = REFERENCE.read_text(encoding="utf-8")
LINES = TEXT.splitlines()


@pytest.fixture(scope="module")
def plan() -> mdplan.Plan:
    return mdplan.parse(TEXT, "reference.md")


@pytest.fixture(scope="module")
def analysis(plan: mdplan.Plan) -> mdplan.Analysis:
    return mdplan.analyze(plan)


def edges(plan: mdplan.Plan, name: str) -> dict[tuple[str, str], int]:
    scenario = plan.scenario(name)
    assert scenario is not None
    return {(e.src, e.dst): e.line for e in scenario.edges}


def test_title(plan: mdplan.Plan) -> None:
    assert plan.title == "Parallelization Analysis: Multipart Form Data Implementation Plan"


def test_two_scenarios_from_the_headings(plan: mdplan.Plan) -> None:
    assert [(s.name, s.title, s.line) for s in plan.scenarios] == [
        ("current", "Current Dependency Graph", 14),
        ("optimized", "Optimized Dependency Graph", 29),
    ]


def test_current_graph(plan: mdplan.Plan) -> None:
    current = plan.scenario("current")
    assert current is not None
    assert current.phase_ids == ("1", "2", "3", "4", "5", "6")
    assert edges(plan, "current") == {
        ("1", "2"): 19,  # ├──→ Phase 2 on the trunk under Phase 1
        ("1", "4"): 21,  # └──→ Phase 4
        ("2", "3"): 19,  # Phase 2 ──→ Phase 3
        ("2", "4"): 21,  # [serial, waits for Phase 2 & 3]
        ("3", "4"): 21,
        ("3", "5"): 19,
        ("5", "6"): 19,
    }


def test_optimized_graph(plan: mdplan.Plan) -> None:
    optimized = plan.scenario("optimized")
    assert optimized is not None
    assert optimized.phase_ids == ("1", "2", "3", "4a", "4b", "5", "6")
    assert edges(plan, "optimized") == {
        ("1", "2"): 34,
        ("1", "3"): 36,
        ("1", "4a"): 38,
        ("2", "4b"): 35,  # the ┐ ├ ┤ │ ┘ bracket, drawn a few columns off, merges into 4b
        ("3", "4b"): 35,
        ("4a", "4b"): 35,
        ("4b", "5"): 35,
        ("5", "6"): 35,
        ("3", "5"): 267,  # Optimized Flow of the intermediate milestone: Phase 3 → … → Phase 5 Starts
    }


def test_every_edge_line_names_its_target(plan: mdplan.Plan) -> None:
    for scenario in plan.scenarios:
        for edge in scenario.edges:
            assert f"Phase {edge.dst}" in LINES[edge.line - 1], (scenario.name, edge)


@pytest.mark.parametrize(
    ("phase_id", "title", "minutes", "line", "written"),
    [
        ("1", "Add Types", 10, 56, "Phase 1 (10 min)"),
        ("2", "Update Endpoint", 5, 58, "Phase 2 (5 min)"),
        ("3", "Update Definitions", 8, 60, "Phase 3 (8 min)"),
        ("4", "Tests", 15, 62, "Phase 4 (15 min)"),
        ("4a", "Unit Tests", 12, 72, "Phase 4a (12 min)"),  # first label; 3-5 min at line 193 conflicts
        ("4b", "Integration Tests", 8, 71, "Phase 4b (8 min)"),  # first label; 8-10 min at 203 conflicts
        ("5", "Example", 5, 374, "Phase 5: 23-28 min"),  # no label: the timeline window
        ("6", "README", 7, 375, "Phase 6: 28-35 min"),
    ],
)
def test_phase_titles_and_durations(
    plan: mdplan.Plan, phase_id: str, title: str, minutes: float, line: int, written: str
) -> None:
    phase = plan.phases[phase_id]
    assert (phase.title, phase.minutes) == (title, minutes)
    assert written in LINES[line - 1]


def test_files_per_phase(plan: mdplan.Plan) -> None:
    files = {pid: set(p.files) for pid, p in plan.phases.items()}
    assert "schematic/define/src/types.rs" in files["2"]  # tree listing "(modified Phase 2)"
    assert "schematic/define/src/schema.rs" in files["2"]
    assert "schematic/define/src/types.rs" in files["4a"]  # "Phase 4a: Read types.rs", resolved
    assert "schematic/define/tests/multipart_types.rs" in files["4a"]  # Location:
    assert "schematic/definitions/tests/elevenlabs_multipart.rs" in files["4b"]
    assert "schematic/gen/tests/multipart_codegen.rs" in files["4b"]
    assert "schematic/definitions/src/elevenlabs/multipart_endpoints.rs" in files["3"]
    assert "schematic/definitions/src/elevenlabs/examples.rs" in files["5"]  # // path (Phase 5)
    assert files["6"] == {"schematic/docs"}  # the module table
    assert files["4"] == set()


def test_diagnostics(analysis: mdplan.Analysis) -> None:
    found = [(d.line, d.code) for d in analysis.all_diagnostics if d.code != "MP114"]  # claims: test_claims.py
    # line 73: the ``↓`` under the fan-out reaches only "Total: ~30 minutes", no phase: not a dependency
    # line 250: "Phase 5 only needs the multipart schema, which could be defined early in Phase 3"
    assert found == [(136, "MP109"), (193, "MP104"), (203, "MP104"), (211, "MP105"), (250, "MP105")]
    messages = {d.code: d.message for d in reversed(analysis.all_diagnostics)}  # the first of each code
    assert "Phase 4b → Phase 5 (line 35)" in messages["MP105"]
    assert "Blocks: Nothing" in messages["MP105"]
    # Option A of the race mitigation: "Phase 4a begins only after Phase 2 `cargo build` succeeds"
    assert messages["MP109"].startswith("optimized: Phase 2 → Phase 4a is stated here but not drawn")


def test_conflicting_durations_name_every_value(analysis: mdplan.Analysis) -> None:
    conflicts = [d.message for d in analysis.all_diagnostics if d.code == "MP104"]
    assert conflicts == [
        "Phase 4a has conflicting durations: 12 min (line 72), 3-5 min (line 193); using 12 min",
        "Phase 4b has conflicting durations: 8 min (line 71), 8-10 min (line 203); using 8 min",
    ]


def test_makespans_and_critical_paths(analysis: mdplan.Analysis) -> None:
    current, optimized = analysis.schedules
    assert (current.makespan, current.critical_path) == (38, ("1", "2", "3", "4"))
    assert (optimized.makespan, optimized.critical_path) == (42, ("1", "4a", "4b", "5", "6"))
    assert current.work == 50
    assert optimized.work == 55
    assert optimized.slack("2") == 7
    assert optimized.slack("3") == 4
    assert optimized.waves == (("1",), ("2", "3", "4a"), ("4b",), ("5",), ("6",))
