"""Findings and the recommended plan, one fixture file of small plans with what they imply."""

from __future__ import annotations

import pytest
from markdown_it.utils import read_fixture_file

import mdplan
from mdplan.model.vocabulary import format_number
from tests.helpers import FIXTURES

CASES = [
    pytest.param(text, expected, id=f"{line}:{title}")
    for line, title, text, expected in read_fixture_file(FIXTURES / "findings" / "findings.md")
]


def describe_findings(text: str) -> str:
    analysis = mdplan.analyze(mdplan.parse(text, "plan.md"))
    lines = []
    for f in analysis.findings:
        severity = " high" if f.severity == "high" and f.type == "RACE_CONDITION_RISK" else ""
        saved = format_number(f.minutes_saved or 0.0)
        lines.append(f"{f.type} {f.scenario} {','.join(f.phases)} saved {saved}{severity}")
    recommended = analysis.recommended
    if (
        recommended is not None
        and recommended.makespan is not None
        and any(p.minutes for p in analysis.plan.phases.values())
    ):
        lines.append(f"recommended {format_number(recommended.makespan)} min")
    return "\n".join(lines)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_findings(text: str, expected: str) -> None:
    assert describe_findings(text) == expected.rstrip("\n")


def test_reference_findings_and_recommended_plan() -> None:
    from tests.helpers import REFERENCE

    analysis = mdplan.analyze(mdplan.parse(REFERENCE.read_text(encoding="utf-8")))
    kinds = [(f.type, f.phases, f.minutes_saved) for f in analysis.findings]
    assert ("PARALLEL_EXECUTION_OPPORTUNITY", ("4b", "5"), 12.0) in kinds  # "Blocks: Nothing" (line 211)
    assert ("RACE_CONDITION_RISK", ("2", "4a"), -5.0) in kinds  # both touch types.rs
    assert analysis.recommended is not None
    assert analysis.recommended.makespan == 35  # without 4b → 5, with Option A's 2 → 4a


RECOMMENDED_CASES = [
    pytest.param(text, expected, id=f"{line}:{title}")
    for line, title, text, expected in read_fixture_file(FIXTURES / "findings" / "recommended.md")
]


def describe_recommendation(text: str) -> str:
    """The recommended plan's length, with races accepted, and each change as the JSON model has it."""
    from mdplan.render.model_json import model_json

    data = model_json(mdplan.analyze(mdplan.parse(text, "plan.md")), full=True)["recommended"]
    lines = [f"recommended {data['makespan']} min, races accepted {data['makespan_races_accepted']} min"]
    for c in data["changes"]:
        alternatives = "; ".join(f"{a['choice']} {a['makespan']}" for a in c.get("alternatives", []))
        line = f"{c['change']} {c['from']} -> {c['to']} line {c['line']}: {c['minutes']:+} min"
        lines.append(line + (f" (instead: {alternatives})" if alternatives else ""))
    return "\n".join(lines)


@pytest.mark.parametrize(("text", "expected"), RECOMMENDED_CASES)
def test_recommended_plan_changes(text: str, expected: str) -> None:
    assert describe_recommendation(text) == expected.rstrip("\n")


def test_reference_recommendation_reverses_the_race_and_says_what_accepting_races_gives() -> None:
    from tests.helpers import REFERENCE

    analysis = mdplan.analyze(mdplan.parse(REFERENCE.read_text(encoding="utf-8")))
    assert analysis.recommendation is not None
    changes = {(c.src, c.dst): c for c in analysis.recommendation.changes}
    assert changes[("5", "4b")].change == "reversed" and changes[("5", "4b")].minutes == -12
    assert dict(changes[("5", "4b")].alternatives) == {"other order": 47, "race accepted": 35}
    assert changes[("2", "4a")].change == "added" and changes[("2", "4a")].minutes == 4
    assert analysis.recommendation.races_accepted == 30
