"""The report is a plan mdplan reads: same graph back, and a second report byte-identical.

Properties on random plans in several notations, and the same on every fixture file (the
reference plan among them) and on every corpus and labelled document that is a plan (skipped
where ``../shared/`` is absent).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

import mdplan
from mdplan.render import render_report
from mdplan.render.model_json import model_json
from tests.helpers import FIXTURES, REFERENCE, SHARED, corpus_plans
from tests.test_notation_roundtrip import NOTATIONS, drawn_plans

CORPUS = corpus_plans()
LABELLED = sorted((SHARED / "labelled").glob("*.md")) if (SHARED / "labelled").is_dir() else []
# fixture files that are no plan read whole: each case opens with its own front matter, the file never does
NO_PLAN_WHOLE = {"notations/front-matter.md"}


def fixture_documents() -> dict[str, str]:
    """Every fixture file as one document, by its path under ``fixtures/`` (but the files of
    ``nonplans/``). A file of cases reads as a plan of all of them, cycles among them too."""
    return {
        path.relative_to(FIXTURES).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(FIXTURES.rglob("*.md"))
        if path.parent.name != "nonplans"
    }


FIXTURE_DOCUMENTS = fixture_documents()


def graph(plan: mdplan.Plan) -> dict[str, Any]:
    """Per scenario: phases (label, title, minutes, range, files) and edges; lines aside."""
    data = model_json(mdplan.analyze(plan))
    return {
        s["name"]: (
            {p["id"]: (p["label"], p["title"], p["minutes"], p["minutes_range"], p["files"]) for p in s["phases"]},
            sorted((e["from"], e["to"], e["optional"]) for e in s["edges"]),
        )
        for s in data["scenarios"]
    }


def report(plan: mdplan.Plan) -> str:
    return render_report(mdplan.analyze(plan))


def assert_round_trip(text: str) -> None:
    plan = mdplan.parse(text, "plan.md")
    first = report(plan)
    again = mdplan.parse(first, "plan.md")
    assert graph(again) == graph(plan)
    assert report(again) == first


@pytest.mark.skipif(not CORPUS + LABELLED, reason="../shared/ is not here")
@pytest.mark.parametrize("path", CORPUS + LABELLED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_reports_read_back_to_the_same_plan_and_report(path: Path) -> None:
    assert_round_trip(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(FIXTURE_DOCUMENTS))
def test_fixture_reports_read_back_to_the_same_plan_and_report(name: str) -> None:
    """Plans with a dependency cycle among them (the report names each edge of the cycle with
    its line), and ``structured.md`` and ``findings.md`` whole, whose prose states dependencies
    on phases outside every scenario (the report names those phases only in its statements,
    ``T1 (`T1`)``, and reading it back keeps them phases, named as they were)."""
    if name in NO_PLAN_WHOLE:
        with pytest.raises(mdplan.UnusableInput):
            mdplan.parse(FIXTURE_DOCUMENTS[name], "plan.md")
        return
    assert_round_trip(FIXTURE_DOCUMENTS[name])


def test_a_phase_only_a_statement_names_reads_back_as_that_phase() -> None:
    text = (FIXTURES / "notations" / "scenarios.md").read_text(encoding="utf-8")
    plan = mdplan.parse(text, "plan.md")
    again = mdplan.parse(report(plan), "plan.md")
    assert all("9" not in s.phase_ids for s in again.scenarios)  # Phase 9: only "Phase 9 depends on Phase 4"
    assert again.phases["9"].label == plan.phases["9"].label == "Phase 9"
    assert [(d.line, d.code, d.message) for d in again.diagnostics] == [
        (d.line, d.code, d.message) for d in plan.diagnostics
    ]  # no MP101: Phase 9 is a phase of the plan


@pytest.mark.parametrize("name", list(NOTATIONS))
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_random_plans_reach_a_fixed_point(name: str, data: st.DataObject) -> None:
    notation = NOTATIONS[name]
    document = notation.write(data.draw(drawn_plans(connected=notation.connected), label="plan"))
    note(document)
    assert_round_trip(document)


def test_an_edit_in_the_report_is_what_the_next_run_computes() -> None:
    first = report(mdplan.parse(REFERENCE.read_text(encoding="utf-8"), "plan.md"))
    # Phase 4 of the current plan takes 15 min; make it 25: the current plan becomes 48 min
    edited = re.sub(r"(\| Phase 4 +\| Tests +\| +)15 \|", r"\g<1>25 |", first, count=1)
    assert edited != first
    analysis = mdplan.analyze(mdplan.parse(edited, "plan.md"))
    current = analysis.schedule("current")
    assert current is not None and current.makespan == 48
    # and an arrow: Phase 6 of the current plan also depends on Phase 4
    arrow = re.sub(r"(\| Phase 6 +\| README +\| +7 \| )Phase 5", r"\1Phase 4, Phase 5", first, count=1)
    current = mdplan.analyze(mdplan.parse(arrow, "plan.md")).schedule("current")
    assert current is not None and current.critical_path == ("1", "2", "3", "4", "6")


def test_a_cycle_only_the_recommended_plan_has_reads_back_with_the_lines_it_names() -> None:
    """The current plan is drawn (lines 14); prose adds Phase 3 → Phase 1 (line 5) to the
    recommended plan only, closing a cycle whose drawn edges no other sentence names."""
    text = (
        "# Plan\n\n## Phase 1: Schema (10 min)\n\nPhase 1 depends on Phase 3.\n\n## Phase 2: API (5 min)\n\n"
        "## Phase 3: Docs (5 min)\n\n## Current Flow\n\n```\nPhase 1 ──→ Phase 2 ──→ Phase 3\n```\n"
    )
    first = report(mdplan.parse(text, "plan.md"))
    cycle = "(Phase 1 → Phase 2 (line 14), Phase 2 → Phase 3 (line 14), Phase 3 → Phase 1 (line 5))"
    assert cycle in " ".join(first.split())
    assert "This graph has a dependency cycle" not in first  # the current plan has none
    assert_round_trip(text)


def test_a_tag_in_a_code_span_of_a_title_reads_back_as_written() -> None:
    """The report writes ``<`` before a letter as ``&lt;``, inside code spans too, where no
    escape is undone: the reader takes it back, so pictures drawn from the title keep ``<``."""
    text = "## Phase 1: Name files `ILR-<stamp>.xml` (5 min)\n\n## Phase 2: Ship (2 min)\n- Depends on: Phase 1\n"
    again = mdplan.parse(report(mdplan.parse(text, "plan.md")), "plan.md")
    assert again.phases["1"].title == "Name files `ILR-<stamp>.xml`"
    assert_round_trip(text)


def test_template_syntax_in_a_plan_survives_the_round_trip() -> None:
    assert_round_trip(
        "## Phase 1: Render {{ secrets }} | {% raw %} (5 min)\n\n## Phase 2: Ship (2 min)\n- Depends on: Phase 1\n"
    )
