"""Every Mermaid block mdplan writes parses with the real ``mermaid`` npm package; the gantt's
text says what it means in any time zone (``tests/test_mermaid_browser.py`` draws it).

The parse tests skip where Node.js is absent; elsewhere (CI included) the packages are installed
once into ``tests/mermaid/node_modules`` with ``npm ci`` from the locked
``tests/mermaid/package-lock.json``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

import mdplan
from mdplan.render import render_report
from mdplan.render.mermaid import axis_format, gantt
from tests.browser import install_node_packages
from tests.helpers import FIXTURES, REFERENCE, SHARED

CHECKER = FIXTURES.parent / "tests" / "mermaid"
MERMAID = re.compile(r"^```mermaid\n(.*?)\n```$", re.DOTALL | re.MULTILINE)
needs_node = pytest.mark.skipif(not (shutil.which("node") and shutil.which("npm")), reason="Node.js is not here")


def documents() -> list[str]:
    paths = [REFERENCE, *sorted((FIXTURES / "reports").glob("*.md"))]
    if (SHARED / "corpus").is_dir():
        paths += sorted((SHARED / "corpus").glob("*.md"))
    return [p.read_text(encoding="utf-8") for p in paths]


def mermaid_blocks() -> list[str]:
    blocks: list[str] = []
    for text in documents():
        try:
            plan = mdplan.parse(text, "plan.md")
        except mdplan.UnusableInput:
            continue
        blocks += MERMAID.findall(render_report(mdplan.analyze(plan)))
    return blocks


@pytest.fixture(scope="module")
def checker() -> list[str]:
    install_node_packages()
    node = shutil.which("node")
    assert node is not None
    return [node, str(CHECKER / "check.mjs")]


@needs_node
def test_every_mermaid_block_parses(checker: list[str]) -> None:
    blocks = mermaid_blocks()
    assert len(blocks) >= 4  # a flowchart and a gantt per scenario of the reference plan, at least
    result = subprocess.run(checker, check=False, input=json.dumps(blocks), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_node
def test_the_checker_rejects_a_broken_block(checker: list[str]) -> None:
    result = subprocess.run(
        checker, check=False, input=json.dumps(["flowchart TD\n  a -->"]), capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "0 of 1 parsed" in result.stdout


def gantt_of(plan: str) -> list[str]:
    analysis = mdplan.analyze(mdplan.parse(plan, "plan.md"))
    (schedule,) = analysis.schedules
    return gantt(schedule, analysis.plan.phases, "Current schedule").splitlines()


def test_gantt_times_are_dates_and_minutes_from_midnight() -> None:
    lines = gantt_of("## Phase 1: Build (10 min)\n\n## Phase 2: Ship (75 min)\n- Depends on: Phase 1\n")
    assert lines == [
        "gantt",
        "    title Current schedule",
        "    dateFormat YYYY-MM-DD HH:mm",
        "    axisFormat %H:%M",
        "    todayMarker off",
        "    section current",
        "    Phase 1 Build :crit, p1, 2023-01-01 00:00, 10m",
        "    Phase 2 Ship :crit, p2, 2023-01-01 00:10, 75m",
    ]


def test_fractions_of_a_minute_are_written_in_seconds() -> None:
    lines = gantt_of("## Phase 1: A (2.5 min)\n\n## Phase 2: B (0 min)\n- Depends on: Phase 1\n")
    assert "    dateFormat YYYY-MM-DD HH:mm:ss" in lines
    assert "    Phase 1 A :crit, p1, 2023-01-01 00:00:00, 150s" in lines
    assert "    Phase 2 B :crit, milestone, p2, 2023-01-01 00:02:30, 0m" in lines


def test_plans_past_a_day_run_into_the_next_days() -> None:
    plan = "## Phase 1: A (2 d)\n\n## Phase 2: B (2 d)\n- Depends on: Phase 1\n\n"
    lines = gantt_of(plan + "## Phase 3: C (1 d)\n- Depends on: Phase 2\n")
    assert "    axisFormat day %-j %H:%M" in lines
    assert lines[-2:] == [
        "    Phase 2 B :crit, p2, 2023-01-01 16:00, 16h",
        "    Phase 3 C :crit, p3, 2023-01-02 08:00, 8h",
    ]


@pytest.mark.parametrize(
    ("seconds", "labels"),
    [
        (599, "%H:%M:%S"),
        (600, "%H:%M"),
        (86399, "%H:%M"),
        (86400, "day %-j %H:%M"),
        (864000, "day %-j"),
        (364 * 86400, "day %-j"),
        (365 * 86400, "%Y-%m-%d"),
    ],
)
def test_the_axis_shows_what_the_length_of_the_plan_needs(seconds: int, labels: str) -> None:
    assert axis_format(seconds) == labels


def test_a_plan_past_the_year_9999_gets_a_gantt_without_bars_that_says_so() -> None:
    lines = gantt_of("## Phase 1: A (999999999 w)\n\n## Phase 2: B (999999999 w)\n- Depends on: Phase 1\n")
    assert lines[1] == "    title Current schedule (too long to draw)"
    assert lines[-1] == "    section current"


def test_gantt_labels_cannot_write_diagram_syntax() -> None:
    lines = gantt_of("## Phase 1: Deploy: now; #1 `x` <b> (5 min)\n")
    assert lines[-1] == "    Phase 1 Deploy  now   1  x   b :crit, p1, 2023-01-01 00:00, 5m"


@needs_node
def test_graph_mermaid_prints_one_diagram_that_parses(checker: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from mdplan.cli import run

    outputs = []
    for name in ("current", "optimized"):
        assert run(["graph", str(REFERENCE), "--format", "mermaid", "--scenario", name]) == 0
        outputs.append(capsys.readouterr().out)
    result = subprocess.run(checker, check=False, input=json.dumps(outputs), capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # what `graph --format mermaid` printed for both scenarios at once, which is why it now
    # asks for one: two diagrams back to back are no Mermaid file
    both = "\n\n".join(outputs)
    result = subprocess.run(checker, check=False, input=json.dumps([both]), capture_output=True, text=True)
    assert result.returncode == 1


def test_no_label_or_title_can_write_a_mermaid_directive() -> None:
    """Mermaid reads ``%%{init: …}%%`` anywhere in a diagram's text, inside quoted labels too,
    and applies it as configuration: a ``%`` from the plan is written ``#37;`` or left out."""
    directive = "%%{init: {'theme': 'dark'}}%%"
    plan = f"# Plan {directive}\n\n## Phase 1: A {directive} (5 min)\n\n## Phase 2: B (5 min)\n- Depends on: Phase 1\n"
    analysis = mdplan.analyze(mdplan.parse(plan, "plan.md"))
    report = render_report(analysis)
    blocks = re.findall(r"```mermaid\n(.*?)```", report, re.S)
    assert blocks and all("%%{" not in block and "}%%" not in block for block in blocks)
    assert any("#37;#37;{init" in block for block in blocks)  # the label still says what the plan says
