"""``mdplan sync``: regions refreshed in place, every byte outside them kept."""

from __future__ import annotations

from pathlib import Path

import pytest

import mdplan
from mdplan.cli import run
from mdplan.rewrite.sync import SECTIONS, sync_text

PLAN = "# Plan\n\n## Phase 1: Build (10 min)\n\n## Phase 2: Ship (5 min)\n- Depends on: Phase 1\n"


def test_a_region_is_filled_and_a_second_pass_changes_nothing() -> None:
    text = PLAN + "\n<!-- mdplan:begin summary -->\nstale\n<!-- mdplan:end -->\n"
    once = sync_text(text, "plan.md")
    assert "## Executive Summary" in once and "stale" not in once
    assert "| Current     |      2 |            1 | 15 min |   15 min |" in once
    assert sync_text(once, "plan.md") == once


@pytest.mark.parametrize("kind", list(SECTIONS))
def test_every_kind_renders(kind: str) -> None:
    text = PLAN + f"\n<!-- mdplan:begin {kind} -->\n<!-- mdplan:end -->\n"
    synced = sync_text(text, "plan.md")
    assert synced != text
    assert synced.startswith(PLAN)
    assert sync_text(synced, "plan.md") == synced


def test_bytes_outside_regions_stay_exactly(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    outside = "\ufeff# Plan  \r\n\r\n## Phase 1: Build (10 min)\t\r\n\r\n"
    tail = "\r\ntrailing   \r\n"
    plan.write_bytes((outside + "<!-- mdplan:begin roadmap -->\r\n<!-- mdplan:end -->" + tail).encode())
    assert run(["sync", str(plan)]) == 0
    data = plan.read_bytes().decode("utf-8")
    assert data.startswith(outside + "<!-- mdplan:begin roadmap -->\r\n\r\n## Implementation Roadmap\r\n")
    assert data.endswith("<!-- mdplan:end -->" + tail)
    assert "\n" not in data.replace("\r\n", "")


def test_region_content_is_not_read_as_plan() -> None:
    text = PLAN + "\n<!-- mdplan:begin report -->\n<!-- mdplan:end -->\n"
    synced = sync_text(text, "plan.md")
    assert mdplan.parse(synced).phases.keys() == mdplan.parse(PLAN).phases.keys()
    assert sync_text(synced, "plan.md") == synced


def test_scenario_option_limits_a_section() -> None:
    text = (
        "# Plan\n\n## Current Plan\n```\nPhase 1 (5 min) ──→ Phase 2 (5 min)\n```\n\n"
        "## Optimized Plan\n```\nPhase 1 (5 min) ──→ Phase 2 (5 min)\n```\n\n"
        "<!-- mdplan:begin graph scenario=optimized -->\n<!-- mdplan:end -->\n"
    )
    synced = sync_text(text, "plan.md")
    assert "## Optimized Dependency Graph" in synced
    assert "## Current Dependency Graph" not in synced


@pytest.mark.parametrize(
    ("region", "message"),
    [
        ("<!-- mdplan:begin nonsense -->\n<!-- mdplan:end -->", "unknown region kind 'nonsense'"),
        ("<!-- mdplan:begin graph color=red -->\n<!-- mdplan:end -->", "unknown region option 'color=red'"),
        ("<!-- mdplan:begin graph -->\n", "mdplan:begin without its mdplan:end"),
        ("<!-- mdplan:end -->\n", "mdplan:end without an mdplan:begin"),
    ],
)
def test_bad_regions_are_clear_errors_and_change_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], region: str, message: str
) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN + "\n" + region, encoding="utf-8")
    before = plan.read_bytes()
    assert run(["sync", str(plan)]) == 2
    err = capsys.readouterr().err
    assert message in err and ":8:1: error MP007" in err
    assert plan.read_bytes() == before


def test_check_reports_stale_regions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN + "\n<!-- mdplan:begin metrics -->\n<!-- mdplan:end -->\n", encoding="utf-8")
    assert run(["sync", "--check", str(plan)]) == 1
    assert "+## Success Metrics" in capsys.readouterr().out
    assert run(["sync", str(plan)]) == 0
    assert run(["sync", "--check", str(plan)]) == 0


def test_a_document_without_regions_is_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("Just notes, no plan.\n", encoding="utf-8")
    mtime = notes.stat().st_mtime_ns
    assert run(["sync", str(notes)]) == 0
    assert notes.stat().st_mtime_ns == mtime


def test_sync_and_fmt_agree_so_hooks_never_undo_each_other() -> None:
    from mdplan.rewrite.fmt import format_text

    text = PLAN + "\n<!-- mdplan:begin summary -->\n<!-- mdplan:end -->\n"
    formatted = format_text(sync_text(format_text(text, "plan.md"), "plan.md"), "plan.md")
    assert sync_text(formatted, "plan.md") == formatted
    assert format_text(formatted, "plan.md") == formatted


def test_markers_shown_in_code_are_examples_not_regions() -> None:
    text = PLAN + "\nWrite `<!-- mdplan:begin summary -->` and:\n\n```\n<!-- mdplan:end -->\n```\n"
    assert sync_text(text, "plan.md") == text


@pytest.mark.parametrize(
    "region",
    [
        "> <!-- mdplan:begin summary -->\n> stale\n> <!-- mdplan:end -->\n",  # a quote
        "- <!-- mdplan:begin summary -->\n  stale\n  <!-- mdplan:end -->\n",  # a list item's first line
        "| a | b |\n|---|---|\n| <!-- mdplan:begin summary --> | <!-- mdplan:end --> |\n",  # a table cell
        "<!-- mdplan:begin summary -->\nstale <!-- mdplan:end -->\n",
    ],
)
def test_a_marker_that_does_not_begin_its_line_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], region: str
) -> None:
    """The section would break out of the quote, list or table (a table lost its row, a quote
    its end): MP007, and the file as it was."""
    path = tmp_path / "plan.md"
    path.write_text(PLAN + "\n" + region, encoding="utf-8")
    assert run(["sync", str(path)]) == 2
    assert "MP007" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == PLAN + "\n" + region


def test_a_region_indented_in_a_list_item_stays_in_it() -> None:
    from markdown_it import MarkdownIt

    text = PLAN + "\n- Status:\n\n  <!-- mdplan:begin summary -->\n  stale\n  <!-- mdplan:end -->\n\nAfter.\n"
    synced = sync_text(text, "plan.md")
    html = MarkdownIt("commonmark").enable("table").render(synced)
    status, end_of_list = html.index("<p>Status:</p>"), html.rindex("</li>\n</ul>\n<p>After.</p>")
    for part in ("<h2>Executive Summary</h2>", "<table>", "<!-- mdplan:end -->"):
        assert status < html.index(part) < end_of_list  # inside the Status item
    assert sync_text(synced, "plan.md") == synced
