"""The claim audit: one fixture file of small plans with the verdict for each numeric claim."""

from __future__ import annotations

import pytest
from markdown_it.utils import read_fixture_file

import mdplan
from tests.helpers import FIXTURES, REFERENCE

CASES = [
    pytest.param(text, expected, id=f"{line}:{title}")
    for line, title, text, expected in read_fixture_file(FIXTURES / "claims" / "claims.md")
]


def describe_claims(text: str) -> str:
    analysis = mdplan.analyze(mdplan.parse(text, "plan.md"))
    return "\n".join(f"{c.line} {c.kind} {c.verdict}: {c.claimed} | {c.computed}" for c in analysis.claims)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_claims(text: str, expected: str) -> None:
    assert describe_claims(text) == expected.rstrip("\n")


def verdicts(line: int) -> list[tuple[str, str, str]]:
    analysis = mdplan.analyze(mdplan.parse(REFERENCE.read_text(encoding="utf-8")))
    return [(c.text, c.verdict, c.computed) for c in analysis.claims if c.line == line]


def test_reference_savings_claims_do_not_hold() -> None:
    # "reducing the critical path by 20-25%": the optimized plan (42 min) is longer than the current one (38 min)
    assert verdicts(5) == [("20-25%", "inconsistent", "-10.5% (42 min vs 38 min)")]
    assert verdicts(42) == [("~20-25%", "inconsistent", "-10.5% (42 min vs 38 min)")]


def test_reference_totals_hold_only_for_what_they_cover() -> None:
    assert verdicts(64) == [("Total: 38 minutes", "consistent", "38 min")]  # 1 → 2 → 3 → 4
    assert verdicts(376) == [("Total: 35 minutes", "consistent", "35 min")]  # ignoring Phase 4
    assert verdicts(389)[0] == ("Total: 45 minutes", "inconsistent", "42 min")
    assert verdicts(397)[0] == ("Total: 43 minutes", "inconsistent", "42 min")


def test_reference_critical_paths_and_step_counts() -> None:
    assert verdicts(367)[0][1:] == ("inconsistent", "Phase 1 → Phase 2 → Phase 3 → Phase 4 (38 min)")
    assert verdicts(381)[0][1] == "consistent"
    assert [v[1] for v in verdicts(10)] == ["inconsistent", "inconsistent"]  # 5 serial → 4 serial phases


def test_reference_timeline_rows() -> None:
    original = [verdicts(line)[0][1] for line in range(371, 376)]
    assert original == ["consistent"] * 5  # the original timeline matches the current plan
    assert verdicts(386) == [("Phase 4b: 23-33 min", "inconsistent", "22-30 min")]


def test_inconsistent_claims_are_warnings_in_check() -> None:
    analysis = mdplan.analyze(mdplan.parse(REFERENCE.read_text(encoding="utf-8")))
    warnings = [d for d in analysis.all_diagnostics if d.code == "MP114"]
    assert len(warnings) == sum(c.verdict == "inconsistent" for c in analysis.claims) == 27
    assert all(d.severity == "warning" for d in warnings)


def test_reference_timeline_totals_are_audited_against_the_plan_each_timeline_draws() -> None:
    assert verdicts(413) == [("43 min", "inconsistent", "38 min")]  # ORIGINAL PLAN: the current plan takes 38
    assert verdicts(426) == [
        ("36 min", "inconsistent", "42 min"),  # OPTIMIZED PLAN: as drawn, 42 min
        ("16%", "inconsistent", "-10.5% (42 min vs 38 min)"),
    ]
