"""Every Mermaid block of the fixture reports (and of three plans timed in seconds, in days and
in millennia), drawn by the real ``mermaid`` package in headless Chromium (one browser for all
blocks, ``tests/browser.py``), in two time zones.

A gantt must draw the schedule mdplan computed: one bar per phase, in the report's order, each
starting and ending in proportion to its start and finish minutes, on an axis that starts at
00:00 (or day 1) in every zone. Skipped, with the reason, where Node.js or Chromium is absent.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import pytest

import mdplan
from mdplan.analyze import Schedule
from mdplan.render.mermaid import node_id
from tests.browser import MERMAID_BLOCK, BrowserRequest, missing_tools, render
from tests.helpers import FIXTURES, REFERENCE

pytestmark = [pytest.mark.slow, pytest.mark.skipif(missing_tools() is not None, reason=missing_tools() or "")]

TIMEZONES = ("UTC", "Asia/Kolkata")
OFFSETS = {"UTC": 0, "Asia/Kolkata": -330}  # Date.getTimezoneOffset() on 1 January 2023
AXIS_STARTS = ("00:00", "00:00:00", "day 1", "day 1 00:00")
PIXEL = 1.5  # Mermaid rounds each end of a bar to a whole pixel
TOO_LONG = "(too long to draw)"
SECTION = re.compile(r"^\s*section (\S+)$", re.MULTILINE)
NODE = re.compile(r'^\s*p\w+\["', re.MULTILINE)
EDGE = re.compile(r"^\s*p\w+ -\.?-> p\w+$", re.MULTILINE)


SECONDS_PLAN = """\
## Phase 1: Setup (2.5 min)

## Phase 2: Build (4 min)

- Depends on: Phase 1

## Phase 3: Tag (0 min)

- Depends on: Phase 2

## Phase 4: Docs (1.25 min)

- Depends on: Phase 1
"""
DAYS_PLAN = "## Phase 1: Design (1 d)\n\n## Phase 2: Build (2 d)\n- Depends on: Phase 1\n\n## Phase 3: Review (3 h)\n"
MILLENNIA_PLAN = "## Phase 1: Dig (999999999 w)\n\n## Phase 2: Fill (999999999 w)\n- Depends on: Phase 1\n"


def documents() -> list[str]:
    paths = [REFERENCE, *sorted((FIXTURES / "reports").glob("*.md"))]
    return [path.read_text(encoding="utf-8") for path in paths] + [SECONDS_PLAN, DAYS_PLAN, MILLENNIA_PLAN]


def blocks_with_schedules() -> list[tuple[str, dict[str, Schedule]]]:
    """Each Mermaid block of each report, with the schedules of its plan by scenario."""
    found: list[tuple[str, dict[str, Schedule]]] = []
    for text in documents():
        analysis = mdplan.analyze(mdplan.parse(text, "plan.md"))
        every = (*analysis.schedules, analysis.recommended) if analysis.recommended else analysis.schedules
        schedules = {s.scenario.name: s for s in every}
        found += [(block, schedules) for block in MERMAID_BLOCK.findall(mdplan.render_report(analysis))]
    return found


@pytest.fixture(scope="module")
def drawn() -> tuple[list[tuple[str, dict[str, Schedule]]], dict[str, Any]]:
    blocks = blocks_with_schedules()
    return blocks, render(BrowserRequest(timezones=TIMEZONES, blocks=tuple(b for b, _ in blocks)))


def expected_times(block: str, schedules: dict[str, Schedule]) -> dict[str, tuple[float, float]]:
    """Task id → (start, finish) in minutes, from the schedule the gantt's section names."""
    section = SECTION.search(block)
    assert section is not None, block
    schedule = schedules[section.group(1)]
    return {
        node_id(pid): (schedule.earliest_start[pid], schedule.earliest_finish[pid])
        for pid in schedule.scenario.phase_ids
    }


def bars_by_task(svg: dict[str, Any], index: int) -> list[dict[str, Any]]:
    """The gantt's bars from top to bottom, each with its task id (the rect's id is ``diagram-N-ID``)."""
    prefix = f"diagram-{index}-"
    bars = [{**bar, "task": bar["id"].removeprefix(prefix)} for bar in svg["tasks"]]
    return sorted(bars, key=lambda bar: bar["y"])


def check_gantt(svg: dict[str, Any], index: int, times: dict[str, tuple[float, float]]) -> None:
    bars = bars_by_task(svg, index)
    assert [bar["task"] for bar in bars] == sorted(times, key=lambda task: times[task][0])  # the report's order
    spans = [bar for bar in bars if "milestone" not in bar["classes"]]
    assert spans, "a gantt with bars"
    first, last = min(times[b["task"]][0] for b in spans), max(times[b["task"]][1] for b in spans)
    left, right = min(b["x"] for b in spans), max(b["x"] + b["width"] for b in spans)
    assert right - left > 500, "the bars span the chart"
    per_minute = (right - left) / (last - first)
    for bar in bars:
        start, finish = times[bar["task"]]
        if bar in spans:
            assert abs(bar["x"] - (left + (start - first) * per_minute)) <= PIXEL, bar
            assert abs(bar["width"] - (finish - start) * per_minute) <= PIXEL, bar
        else:  # a milestone is a square centred on its time
            assert abs(bar["x"] + bar["width"] / 2 - (left + (start - first) * per_minute)) <= PIXEL, bar
    assert svg["ticks"][0] in AXIS_STARTS, svg["ticks"]


def test_the_browser_ran_in_each_time_zone(drawn: tuple[list[Any], dict[str, Any]]) -> None:
    _, result = drawn
    assert {zone: result["timezones"][zone]["offset"] for zone in TIMEZONES} == OFFSETS


def test_every_block_draws_without_an_error(drawn: tuple[list[Any], dict[str, Any]]) -> None:
    blocks, result = drawn
    assert len(blocks) >= 14  # a flowchart and a gantt per scenario, seven reports
    for zone in TIMEZONES:
        svgs = result["timezones"][zone]["blocks"]
        assert len(svgs) == len(blocks)
        for (block, _), svg in zip(blocks, svgs, strict=True):
            assert not svg["error"], (block, svg["text"][:300])
            assert svg["type"] == ("gantt" if block.startswith("gantt") else "flowchart-v2"), block


def test_flowcharts_draw_every_phase_and_dependency(drawn: tuple[list[Any], dict[str, Any]]) -> None:
    blocks, result = drawn
    svgs = result["timezones"]["UTC"]["blocks"]
    flowcharts = [(block, svg) for (block, _), svg in zip(blocks, svgs, strict=True) if block.startswith("flowchart")]
    assert flowcharts
    for block, svg in flowcharts:
        assert svg["nodes"] == len(NODE.findall(block)) > 0
        assert svg["edges"] == len(EDGE.findall(block))


def test_gantt_bars_are_the_schedule(drawn: tuple[list[Any], dict[str, Any]]) -> None:
    blocks, result = drawn
    gantts = [index for index, (block, _) in enumerate(blocks) if block.startswith("gantt") and TOO_LONG not in block]
    assert len(gantts) >= 6
    for zone in TIMEZONES:
        for index in gantts:
            block, schedules = blocks[index]
            check_gantt(result["timezones"][zone]["blocks"][index], index, expected_times(block, schedules))


def test_a_plan_past_the_year_9999_is_a_gantt_that_says_so(drawn: tuple[list[Any], dict[str, Any]]) -> None:
    blocks, result = drawn
    (index,) = [index for index, (block, _) in enumerate(blocks) if TOO_LONG in block]
    svg = result["timezones"]["UTC"]["blocks"][index]
    assert svg["type"] == "gantt" and not svg["error"] and not svg["tasks"]
    assert TOO_LONG in svg["text"]


def test_every_time_zone_sees_the_same_picture(drawn: tuple[list[Any], dict[str, Any]]) -> None:
    _, result = drawn
    first, *others = (result["timezones"][zone]["blocks"] for zone in TIMEZONES)
    for other in others:
        assert [(svg["tasks"], svg["ticks"]) for svg in other] == [(svg["tasks"], svg["ticks"]) for svg in first]


def test_the_reference_critical_path_runs_bar_after_bar(drawn: tuple[list[Any], dict[str, Any]]) -> None:
    blocks, result = drawn
    index = next(i for i, (block, _) in enumerate(blocks) if "section current" in block)  # the reference plan's
    bars = {bar["task"]: bar for bar in bars_by_task(result["timezones"]["Asia/Kolkata"]["blocks"][index], index)}
    chain = [bars[task] for task in ("p1", "p2", "p3", "p4")]  # 10 + 5 + 8 + 15 = 38 minutes
    for before, after in pairwise(chain):
        assert before["x"] + before["width"] == after["x"]
    assert all("crit" in bar["classes"] for bar in chain)
    assert result["timezones"]["Asia/Kolkata"]["blocks"][index]["ticks"][0] == "00:00"
