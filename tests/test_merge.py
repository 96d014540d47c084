"""The merge's rules for facts that say more than a drawing: a view that states its scenario
whole (``View.whole``, a report's phase table) and a denial already diagnosed where it was
first read (``DenialStated.diagnosed``)."""

from __future__ import annotations

from mdplan.model import DenialStated, EdgeStated, Fact, PhaseNamed, Pos, View
from mdplan.parse.merge import merge

CURRENT = View("current", "Current Plan", 3)
WHOLE = View("current", "Current Plan", 3, whole=True)


def named(ref: str, view: View | None, line: int = 5, parent: str | None = None) -> PhaseNamed:
    return PhaseNamed(ref, ref, None, Pos(line), view, parent)


def test_a_whole_view_is_a_scenario_even_with_no_edge() -> None:
    facts: list[Fact] = [named("1", WHOLE), named("2", WHOLE)]
    plan = merge(facts, "plan.md", None)
    assert [(s.name, s.title, s.line, s.phase_ids) for s in plan.scenarios] == [
        ("current", "Current Plan", 3, ("1", "2"))
    ]
    # a view with nothing drawn in it is prose: its phases are the plan as written
    plan = merge([named("1", CURRENT), named("2", CURRENT)], "plan.md", None)
    assert [(s.title, s.line) for s in plan.scenarios] == [("Plan as written", 1)]


def test_a_whole_view_keeps_its_units_of_any_kind() -> None:
    edge = EdgeStated("1", "2", "drawn", Pos(6), None)
    untimed_milestone = named("milestone-1", WHOLE)
    plan = merge([named("1", WHOLE), named("2", WHOLE), untimed_milestone, edge], "plan.md", None)
    assert plan.scenarios[0].phase_ids == ("1", "2", "milestone-1")
    plan = merge([named("1", CURRENT), named("2", CURRENT), named("milestone-1", CURRENT), edge], "plan.md", None)
    assert "milestone-1" not in plan.phases  # statements name phases: an untimed checklist unit is dropped


def test_a_whole_view_is_not_leveled_again() -> None:
    def facts(view: View) -> list[Fact]:
        return [
            named("1", view),
            named("T1", view, parent="1"),
            named("T2", view, parent="1"),
            EdgeStated("T1", "T2", "drawn", Pos(7), view),
        ]

    assert merge(facts(WHOLE), "plan.md", None).scenarios[0].phase_ids == ("1", "T1", "T2")
    assert merge(facts(CURRENT), "plan.md", None).scenarios[0].phase_ids == ("T1", "T2")  # drawn at the task level


def test_a_whole_optimized_view_sharing_no_unit_is_still_a_scenario() -> None:
    optimized = View("optimized", "Optimized Plan", 20, whole=True)
    facts: list[Fact] = [
        named("1", WHOLE),
        named("2", WHOLE),
        EdgeStated("1", "2", "drawn", Pos(6), WHOLE),
        named("3", optimized, 21),
    ]
    plan = merge(facts, "plan.md", None)
    assert [(s.name, s.phase_ids) for s in plan.scenarios] == [("current", ("1", "2")), ("optimized", ("3",))]
    not_whole = View("optimized", "Optimized Plan", 20)
    facts[-1] = named("3", not_whole, 21)
    facts.append(EdgeStated("3", "3a", "drawn", Pos(22), not_whole))
    assert [s.name for s in merge(facts, "plan.md", None).scenarios] == ["current"]  # another plan: joins as written


def test_a_denial_already_diagnosed_rules_the_edge_out_without_a_second_warning() -> None:
    def plan_with(diagnosed: bool) -> tuple[list[str], int]:
        denial = DenialStated("1", "no_successors", (), "Blocks: Nothing", Pos(9), None, diagnosed)
        facts: list[Fact] = [named("1", WHOLE), named("2", WHOLE), EdgeStated("1", "2", "drawn", Pos(6), WHOLE), denial]
        plan = merge(facts, "plan.md", None)
        return [d.code for d in plan.diagnostics], len(plan.denied)

    assert plan_with(diagnosed=False) == (["MP105"], 1)
    assert plan_with(diagnosed=True) == ([], 1)


def test_the_order_of_phases_does_not_depend_on_how_sets_iterate() -> None:
    """``1`` and ``01``, ``T1`` and ``T001`` rank the same by their number: the text breaks the tie,
    so every run orders them alike (a set's order varies with the hash seed)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "notations" / "structured.md"
    code = f"import mdplan; print(list(mdplan.parse(open({str(fixture)!r}).read()).phases))"
    orders = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(orders) == 1 and "'01', '1'" in orders.pop()
