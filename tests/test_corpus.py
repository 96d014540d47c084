"""Real plans from ../shared/corpus, read in place, against graphs counted by hand.

``tests/corpus/expected/<document>.json`` holds, per document, the units, edges and durations
a careful reader finds (written by reading the document, not by running mdplan), with notes
on every judgment call. The documents themselves are never copied into the project; these
tests skip where ../shared is absent. A document whose expectation says ``not_a_plan`` states
units that nothing orders or times: mdplan answers MP002 (exit 2) for it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import mdplan
from mdplan.cli import run
from tests.helpers import ROOT, SHARED

CORPUS = SHARED / "corpus"
EXPECTED = sorted((ROOT / "tests" / "corpus" / "expected").glob("*.json"))
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")


def expectation(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def plan_of(data: dict[str, Any]) -> mdplan.Plan:
    document = CORPUS / data["document"]
    return mdplan.parse(document.read_text(encoding="utf-8"), document.name)


PLANS = [p for p in EXPECTED if "not_a_plan" not in expectation(p)]
NOT_PLANS = [p for p in EXPECTED if "not_a_plan" in expectation(p)]


@needs_corpus
def test_every_corpus_document_has_an_expectation() -> None:
    documents = sorted(p.name for p in CORPUS.glob("*.md"))
    assert documents == sorted(expectation(p)["document"] for p in EXPECTED)


@needs_corpus
@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_graph_matches_the_hand_count(path: Path) -> None:
    data = expectation(path)
    plan = plan_of(data)
    assert [s.name for s in plan.scenarios] == sorted(data["scenarios"])
    for name, expected in data["scenarios"].items():
        scenario = plan.scenario(name)
        assert scenario is not None
        assert set(scenario.phase_ids) == set(expected["nodes"])
        firm = {(e.src, e.dst) for e in scenario.edges if not e.optional}
        soft = {(e.src, e.dst) for e in scenario.edges if e.optional}
        assert firm == {tuple(edge) for edge in expected["edges"]}
        assert soft <= {tuple(edge) for edge in expected.get("optional_edges", [])}


@needs_corpus
@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_durations_match_the_hand_count(path: Path) -> None:
    data = expectation(path)
    plan = plan_of(data)
    for node, (low, high) in data.get("durations_minutes", {}).items():
        assert plan.phases[node].minutes_range == (low, high), node


@needs_corpus
@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_graph_command_exits_0(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph", str(CORPUS / expectation(path)["document"])]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == 1


@needs_corpus
@pytest.mark.parametrize("path", NOT_PLANS, ids=lambda p: p.stem)
def test_units_that_nothing_orders_or_times_are_not_a_plan(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(mdplan.UnusableInput) as raised:
        plan_of(expectation(path))
    assert raised.value.code == "MP002"
    assert run(["check", str(CORPUS / expectation(path)["document"])]) == 2
    assert "error MP002 not a plan" in capsys.readouterr().err
