"""Documents that are not plans: units (or none) that nothing orders or times are MP002, exit 2.

``fixtures/nonplans/`` holds a README, a changelog and an API page written for these tests;
this project's own README, full of notation examples in code spans and a benchmark table of
phase counts, is one too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mdplan
from mdplan.cli import run
from tests.helpers import FIXTURES, ROOT

NONPLANS = sorted((FIXTURES / "nonplans").glob("*.md"))
DOCUMENTS = [*NONPLANS, ROOT / "README.md"]


def test_the_fixtures_are_here() -> None:
    assert {p.name for p in NONPLANS} >= {"README-like.md", "CHANGELOG.md", "api-reference.md"}


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_check_exits_2_with_mp002(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1:1: error MP002 not a plan" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_graph_and_report_refuse_too(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph", str(path)]) == 2
    assert run(["report", str(path)]) == 2
    assert capsys.readouterr().out == ""


def test_the_message_says_why() -> None:
    with pytest.raises(mdplan.UnusableInput) as raised:
        mdplan.parse((FIXTURES / "nonplans" / "README-like.md").read_text(encoding="utf-8"), "README.md")
    assert raised.value.code == "MP002"
    assert raised.value.message == "not a plan: 3 units named but no dependency and no duration"


def test_a_folder_of_non_plans_is_skipped_quietly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in NONPLANS:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "plan.md").write_text("## Phase 1: Build (10 min)\n## Phase 2: Ship\nAfter Phase 1.\n")
    assert run(["check", str(tmp_path)]) == 0
    assert "MP002" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "text",
    [
        "## Phase 1: Build (10 min)\n",  # one timed unit
        "## Phase 1: Build\n## Phase 2: Ship\n- Depends on: Phase 1\n",  # a stated edge
        "## Phase 1: Build\nDependencies: None\n",  # a dependency field that denies
        "```\nPhase 1 ──→ Phase 2\n```\n",  # a drawn edge
        "```mermaid\ngantt\n  Build :a, 2024-01-01, 2d\n```\n",  # a gantt task
    ],
)
def test_one_dependency_statement_or_one_timed_unit_makes_a_plan(text: str) -> None:
    assert mdplan.parse(text).phases
