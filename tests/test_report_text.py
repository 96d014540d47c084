"""The report reads on GitHub: lines within 120 columns outside code blocks, tables of at most
six columns, the document's title once, one finding per fact ordered by minutes saved, claim
verdicts whose basis reads with them."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import mdplan
from mdplan.render import render_report
from mdplan.render.context import build_context, subject
from tests.helpers import FIXTURES, REFERENCE, corpus_plans

VIEW = 120  # columns of the view a report is read in
MAX_COLUMNS = 6  # of any table
PLANS = [REFERENCE, *sorted((FIXTURES / "reports").glob("*.md")), *corpus_plans()]


@cache
def report_of(path: Path) -> str:
    return render_report(mdplan.analyze(mdplan.parse(path.read_text(encoding="utf-8"), path.name)))


def display_columns(line: str) -> int:
    """Columns a line takes in a terminal or on GitHub: wide (CJK) characters count two."""
    return sum(
        2 if unicodedata.east_asian_width(c) in ("W", "F") else 0 if unicodedata.combining(c) else 1 for c in line
    )


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def lines_outside_code(text: str) -> list[tuple[int, str]]:
    code: set[int] = set()
    for token in _parser().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            code.update(range(*token.map))
    return [(number, line) for number, line in enumerate(text.split("\n")) if number not in code]


def table_widths(text: str) -> list[int]:
    """Columns of each table (header cells)."""
    widths: list[int] = []
    in_header = False
    for token in _parser().parse(text):
        if token.type == "thead_open":
            in_header = True
            widths.append(0)
        elif token.type == "thead_close":
            in_header = False
        elif token.type == "th_open" and in_header:
            widths[-1] += 1
    return widths


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_every_line_fits_120_columns_outside_code_and_every_table_has_at_most_6_columns(path: Path) -> None:
    report = report_of(path)
    long = [(n + 1, display_columns(line)) for n, line in lines_outside_code(report) if display_columns(line) > VIEW]
    assert long == []
    widths = table_widths(report)
    assert widths and max(widths) <= MAX_COLUMNS


def test_the_checks_above_see_a_long_line_and_a_wide_table() -> None:
    text = (
        "# T\n\n"
        + "word " * 30
        + "\n\n| a | b | c | d | e | f | g |\n| - | - | - | - | - | - | - |\n\n```\n"
        + "x" * 200
        + "\n```\n"
    )
    assert [display_columns(line) for _, line in lines_outside_code(text) if display_columns(line) > VIEW] == [150]
    assert table_widths(text) == [7]
    assert display_columns("阶段一") == 6


# --- the title ----------------------------------------------------------------------------


def test_the_title_comes_from_the_documents_title_once() -> None:
    assert report_of(REFERENCE).split("\n", 1)[0] == "# Parallelization Report: Multipart Form Data Implementation Plan"
    assert subject("Parallelization Analysis: Multipart Form Data Implementation Plan") == (
        "Multipart Form Data Implementation Plan"
    )
    assert subject("parallelization report — Billing") == "Billing"
    assert subject("Rollout Plan: Parallelization Analysis") == "Rollout Plan: Parallelization Analysis"
    assert subject("Parallelization Analysis") == "Parallelization Analysis"


def test_a_report_of_a_report_keeps_the_title() -> None:
    first = report_of(REFERENCE)
    again = render_report(mdplan.analyze(mdplan.parse(first, "report.md")))
    assert again.split("\n", 1)[0] == first.split("\n", 1)[0]


# --- findings -----------------------------------------------------------------------------


def reference_context() -> dict[str, object]:
    return build_context(mdplan.analyze(mdplan.parse(REFERENCE.read_text(encoding="utf-8"), "plan.md")))


def test_one_finding_per_fact_naming_every_plan_it_holds_in() -> None:
    analysis = mdplan.analyze(mdplan.parse(REFERENCE.read_text(encoding="utf-8"), "plan.md"))
    found = [f for f in analysis.findings if f.type == "DEPENDENCY_OPTIMIZATION"]
    assert [f.scenario for f in found] == ["current", "optimized"]  # the analysis finds it in both plans
    views = [f for f in reference_context()["findings"] if f.type == "DEPENDENCY_OPTIMIZATION"]  # type: ignore[attr-defined]
    assert len(views) == 1
    (view,) = views
    assert view.scenarios == ("Current", "Optimized")
    assert view.effect == "no change in length in the current and optimized plans"
    assert view.message.startswith("In the current plan: Phase 5 waits for all of Phase 3")
    report = report_of(REFERENCE)
    assert report.count("DEPENDENCY_OPTIMIZATION: Phase 3, Phase 5") == 1
    assert "plans: Current, Optimized; line 250" in report
    assert "- Findings: 1 CONCURRENT_TESTING, 1 DEPENDENCY_OPTIMIZATION," in report


def test_findings_are_ordered_by_the_minutes_they_save_largest_first() -> None:
    views = reference_context()["findings"]
    assert [(f.number, f.type, f.minutes) for f in views] == [  # type: ignore[attr-defined]
        (1, "PARALLEL_EXECUTION_OPPORTUNITY", "12 min"),
        (2, "PHASE_SPLITTING_OPPORTUNITY", "3 min"),
        (3, "CONCURRENT_TESTING", "18 s"),
        (4, "REDUNDANT_DEPENDENCY", "0 min"),  # the three redundant edges in the analysis's order
        (5, "REDUNDANT_DEPENDENCY", "0 min"),
        (6, "REDUNDANT_DEPENDENCY", "0 min"),
        (7, "DEPENDENCY_OPTIMIZATION", "0 min"),
        (8, "RACE_CONDITION_RISK", "−5 min"),  # ordering the two costs time
    ]
    headings = re.findall(r"^### (\d+)\. (\w+):", report_of(REFERENCE), re.MULTILINE)
    assert [int(n) for n, _ in headings] == list(range(1, 9))
    assert headings[0][1] == "PARALLEL_EXECUTION_OPPORTUNITY"


def test_test_commands_are_named_by_their_count_in_headings_and_the_matrix() -> None:
    report = report_of(REFERENCE)
    assert "### 3. CONCURRENT_TESTING: 3 test commands on line 313\n" in report
    assert re.search(r"^\| +3 \| CONCURRENT_TESTING +\| 3 test commands on line 313 +\|", report, re.MULTILINE)


# --- the claim audit ----------------------------------------------------------------------


def claim_item(report: str, start: str) -> str:
    """The item of the claim audit's list that starts so, its wrapped lines joined."""
    lines = report.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    rest = [line.strip() for line in lines[first + 1 :]]
    return " ".join(
        [lines[first], *rest[: next(i for i, line in enumerate(lines[first + 1 :]) if not line.startswith("  "))]]
    )


def test_a_step_count_verdict_and_its_basis_agree() -> None:
    # "5 serial phases" (the current plan's longest chain by count) is checked against the
    # critical path, which has 4: inconsistent, and the basis says why rather than naming the 5
    item = claim_item(report_of(REFERENCE), '- Line 10, "5 serial phases"')
    assert item == (
        '- Line 10, "5 serial phases": claimed 5 phases; covers the critical path; '
        "computed 4 phases (Phase 1 → Phase 2 → Phase 3 → Phase 4, 38 min); "
        "basis: current plan; a step count is checked against the critical path, "
        "not against the chain with the most phases (5)"
    )
    assert "|   10 | 5 serial phases" in report_of(REFERENCE) and "| steps   | Current   | inconsistent |" in report_of(
        REFERENCE
    )


def test_a_total_of_some_phases_is_checked_against_those_phases() -> None:
    item = claim_item(report_of(REFERENCE), '- Line 74, "Total: ~30 minutes"')
    assert item.endswith("computed 30 min; basis: those phases in the optimized plan; the whole plan takes 42 min")


def test_a_claim_about_something_else_gives_its_reason_once() -> None:
    item = claim_item(report_of(REFERENCE), '- Line 52, "30-40%"')
    assert item == (
        '- Line 52, "30-40%": claimed 30-40%; '
        'covers not the plan: said of "Phase 4 duration", not of the whole plan; computed —'
    )


def test_a_written_path_and_a_sum_say_what_they_cover_by_their_kind() -> None:
    report = report_of(REFERENCE)
    path = claim_item(report, '- Line 367, "Phase 1 → Phase 2 → Phase 3 → Phase 5 → Phase 6"')
    assert path.startswith(
        '- Line 367, "Phase 1 → Phase 2 → Phase 3 → Phase 5 → Phase 6": claimed the critical path; computed'
    )
    summed = claim_item(report, '- Line 398, "35 min')
    assert "claimed 50 min; computed 35 min + 15 min = 50 min; basis: the arithmetic as written" in summed


# --- tables that would be too wide --------------------------------------------------------

LONG_PATH = "services/billing/exports/streaming/writers/regional/invoices/monthly/consolidated/export_pipeline_step_"
LONG_TITLES = "".join(
    f"## Phase {n}: Move the invoice export pipeline of every region to the new streaming writer, step {n} (5 min)\n\n"
    + (f"- Depends on: Phase {n - 1}\n" if n > 1 else "")
    + f"- Location: `{LONG_PATH}{n}.py`\n\n"
    for n in range(1, 4)
)


def test_titles_too_long_for_the_phase_table_are_listed_under_it_and_read_back() -> None:
    report = render_report(mdplan.analyze(mdplan.parse(LONG_TITLES, "plan.md")))
    assert "| Phase   | Minutes | Depends on | Line |" in report
    assert "- Phase 2: Move the invoice export pipeline of every region to the new streaming writer, step 2\n" in report
    again = mdplan.parse(report, "plan.md")
    assert (
        again.phases["2"].title
        == "Move the invoice export pipeline of every region to the new streaming writer, step 2"
    )
    assert render_report(mdplan.analyze(again)) == report


def test_short_titles_stay_in_the_table() -> None:
    assert "| Phase   | Title              | Minutes | Depends on                | Line |" in report_of(REFERENCE)


def test_module_impact_is_a_table_of_files_and_phases_or_a_list_when_too_wide() -> None:
    assert "| `schematic/define`                                            | Phase 1, Phase 2, Phase 4a |" in (
        report_of(REFERENCE)
    )
    report = render_report(mdplan.analyze(mdplan.parse(LONG_TITLES, "plan.md")))
    assert "Each file or module with the phases that touch it (too many for a table):" in report
    assert f"- `{LONG_PATH}3.py`: Phase 3\n" in report
    again = mdplan.parse(report, "plan.md")
    assert again.phases["3"].files == (f"{LONG_PATH}3.py",)


EARLIER_REPORT = """# Parallelization Report: Two phases

## Executive Summary

mdplan read 2 phases in 1 scenario.

## Current Dependency Graph

From "Two phases" (line 1): 2 phases, 1 dependencies.

| Phase   | Title | Minutes | Depends on | Line |
| ------- | ----- | ------: | ---------- | ---: |
| Phase 1 | Build |      20 | –          |    3 |
| Phase 2 | Ship  |       7 | Phase 1    |    5 |

## Claim Audit

| Line | Claim | Kind | Plan | Covers | Claimed | Computed | Verdict | Basis |
| ---: | --- | --- | --- | --- | --- | --- | --- | --- |
| 7 | Total: 20 minutes | total | Current | Phase 1 | 20 min | 20 min | consistent | x |

## Module Impact

| File or module | 1 | 2 |
| --- | :-: | :-: |
| `src/a.py` | ● | |
| `src/b.py` | ● | ● |
"""


def test_reports_of_earlier_versions_still_read_back() -> None:
    plan = mdplan.parse(EARLIER_REPORT, "report.md")
    assert plan.phases["1"].files == ("src/a.py", "src/b.py") and plan.phases["2"].files == ("src/b.py",)
    (claim,) = plan.claims
    assert (claim.text, claim.scope, claim.low) == ("Total: 20 minutes", ("1",), 20.0)


def test_the_summary_counts_one_diagnostic_in_the_singular() -> None:
    report = report_of(FIXTURES / "reports" / "speckit-tasks.md")
    assert "- Diagnostics: 0 errors, 0 warnings, 1 note (listed under Diagnostics)." in report
