"""A report is editable: any edit a person makes reads back with diagnostics, never a crash
(issue 13). Deleting or renaming a phase row, a truncated report, a duplicated header row, an
emptied cell: each becomes an ``MP014`` warning naming the report line, or is read as written."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import cache

import pytest

import mdplan
from mdplan.render import render_report
from tests.helpers import FIXTURES, REFERENCE

PLANS = [REFERENCE, *sorted((FIXTURES / "reports").glob("*.md"))]
MUTATIONS_PER_REPORT = 75  # bounded: 4 reports, 300 edited reports in all
RENDERED_PER_REPORT = 10  # of those, the first few also go through the whole report again


@cache
def report_of(name: str) -> str:
    path = next(p for p in PLANS if p.name == name)
    return render_report(mdplan.analyze(mdplan.parse(path.read_text(encoding="utf-8"), "plan.md")))


def reread(text: str, render: bool = True) -> mdplan.Plan | None:
    """The edited report through parse, analyze and (optionally) render: a plan, or None when
    mdplan says clearly that it is none (``UnusableInput``); anything else fails the test."""
    try:
        plan = mdplan.parse(text, "plan.md")
    except mdplan.UnusableInput:
        return None
    analysis = mdplan.analyze(plan)
    if render:
        render_report(analysis)
    return plan


def codes(plan: mdplan.Plan | None) -> list[str]:
    assert plan is not None
    return [d.code for d in plan.diagnostics]


# --- the edits the attack run found -----------------------------------------------------


def test_deleting_a_phase_row_keeps_the_dependency_on_it_untimed() -> None:
    edited = re.sub(r"(?m)^\| Phase 1 +\| Add Types .*\n", "", report_of(REFERENCE.name))
    plan = reread(edited)
    assert plan is not None and plan.phases["1"].minutes is None
    assert "MP014" in codes(plan)
    assert any("which no row of the table has" in d.message for d in plan.diagnostics)


def test_a_deleted_row_many_rows_depend_on_is_one_warning() -> None:
    edited = re.sub(r"(?m)^\| Phase 2 +\| Update Endpoint .*\n", "", report_of(REFERENCE.name))
    plan = reread(edited)
    assert plan is not None and plan.phases["2"].minutes is None
    missing = [d for d in plan.diagnostics if "depends on Phase 2, which no row" in d.message]
    assert len(missing) == 1  # Phase 3 and Phase 4a depend on it, in both plans


def test_a_statement_naming_no_phase_is_read_with_a_warning() -> None:
    first = report_of(REFERENCE.name)
    edited = first.replace("- Line 250: Phase 5 depends on Phase 3\n", "- Line 250: Phase 5 depends on the schema\n")
    assert edited != first
    plan = reread(edited)
    assert plan is not None
    assert [e.src for e in plan.stated if e.line == 250] == ["the schema"]
    assert [d.message for d in plan.diagnostics if d.code == "MP014"] == [
        '"the schema" is no phase of the report; the statement is read with it as one'
    ]


def test_renaming_a_phase_row_is_read_with_a_warning() -> None:
    edited = report_of(REFERENCE.name).replace("| Phase 4a | Unit Tests", "| Phase 9z | Unit Tests", 1)
    plan = reread(edited)
    assert plan is not None and "9z" in plan.phases and "4a" in plan.phases
    assert "MP014" in codes(plan)


def test_a_header_row_copied_among_the_rows_is_a_cell_that_is_not_minutes() -> None:
    lines = report_of(REFERENCE.name).split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("| Phase   | Title"))
    plan = reread("\n".join([*lines[: at + 2], lines[at], *lines[at + 2 :]]))  # after the |---| row
    assert plan is not None
    assert any('Minutes cell "Minutes"' in d.message for d in plan.diagnostics)


def test_unreadable_minutes_and_line_cells_are_warnings() -> None:
    edited = report_of(REFERENCE.name).replace("| Phase 2 | Update Endpoint    |       5 |", "| Phase 2 | X | nan |", 1)
    edited = edited.replace("| Phase 1                   |   19 |", "| Phase 1 | ²¹ |", 1)
    plan = reread(edited)
    assert plan is not None and plan.phases["2"].minutes is None
    messages = [d.message for d in plan.diagnostics if d.code == "MP014"]
    assert any('"nan"' in m for m in messages) and any('"²¹"' in m for m in messages)


def test_a_window_claim_whose_covers_was_emptied_is_left_out() -> None:
    edited = report_of(REFERENCE.name).replace(
        '- Line 371, "Phase 1: 0-10 min": claimed 0-10 min; covers Phase 1;',
        '- Line 371, "Phase 1: 0-10 min": claimed 0-10 min;',
    )
    assert edited != report_of(REFERENCE.name)
    plan = reread(edited)
    assert plan is not None
    assert [c.text for c in plan.claims if c.pos.line == 371] == []
    assert [c.text for c in plan.claims if c.pos.line == 372] == ["Phase 2: 10-15 min"]


def test_a_claim_whose_item_under_the_table_was_deleted_is_left_out() -> None:
    lines = report_of(REFERENCE.name).split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith('- Line 64, "Total: 38 minutes"'))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  "))
    plan = reread("\n".join(lines[:start] + lines[end:]))
    assert plan is not None
    assert [c.text for c in plan.claims if c.pos.line == 64] == []
    assert [c.text for c in plan.claims if c.pos.line == 74] == ["Total: ~30 minutes", "20%"]


@pytest.mark.parametrize("fraction", [0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 0.95])
def test_a_truncated_report_reads_back_or_is_clearly_not_a_plan(fraction: float) -> None:
    text = report_of(REFERENCE.name)
    reread(text[: int(len(text) * fraction)])


# --- random edits, bounded ---------------------------------------------------------------

Edit = Callable[[list[str], random.Random], list[str]]


def _delete(lines: list[str], rng: random.Random) -> list[str]:
    del lines[rng.randrange(len(lines))]
    return lines


def _duplicate(lines: list[str], rng: random.Random) -> list[str]:
    at = rng.randrange(len(lines))
    return [*lines[: at + 1], lines[at], *lines[at + 1 :]]


def _rename(lines: list[str], rng: random.Random) -> list[str]:
    at = rng.randrange(len(lines))
    words = lines[at].split(" ")
    words[rng.randrange(len(words))] = rng.choice(["Phase 99", "Renamed", "", "|", "?", "–", "12", "(optional)"])
    lines[at] = " ".join(words)
    return lines


def _drop_cell(lines: list[str], rng: random.Random) -> list[str]:
    at = rng.randrange(len(lines))
    cells = lines[at].split("|")
    if len(cells) > 2:
        del cells[rng.randrange(1, len(cells) - 1)]
    lines[at] = "|".join(cells)
    return lines


def _swap(lines: list[str], rng: random.Random) -> list[str]:
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return lines


def _cut_line(lines: list[str], rng: random.Random) -> list[str]:
    at = rng.randrange(len(lines))
    lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
    return lines


def _insert(lines: list[str], rng: random.Random) -> list[str]:
    at = rng.randrange(len(lines))
    column = rng.randrange(len(lines[at]) + 1)
    extra = rng.choice(["|", "`", "\\", "9" * 12, "-", " (optional)", "²", "nan", "Phase 1, "])
    lines[at] = lines[at][:column] + extra + lines[at][column:]
    return lines


EDITS: tuple[Edit, ...] = (_delete, _duplicate, _rename, _drop_cell, _swap, _cut_line, _insert)


def mutated(text: str, rng: random.Random) -> str:
    if rng.random() < 0.15:
        return text[: rng.randrange(len(text))]  # truncated anywhere, mid-line too
    lines = text.split("\n")
    for _ in range(rng.randrange(1, 4)):
        lines = rng.choice(EDITS)(lines, rng)
    return "\n".join(lines)


@pytest.mark.parametrize("name", [p.name for p in PLANS])
def test_any_edit_of_a_report_reads_back_with_diagnostics_never_a_crash(name: str) -> None:
    rng = random.Random(f"issue 13 {name}")
    text = report_of(name)
    for index in range(MUTATIONS_PER_REPORT):
        edited = mutated(text, rng)
        try:
            reread(edited, render=index < RENDERED_PER_REPORT)
        except Exception as error:  # pragma: no cover - the message is the point
            pytest.fail(f"edit {index} of {name} crashed: {error!r}\n{edited}")
