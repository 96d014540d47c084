"""The graph core from outside: the networkx DiGraph of each scenario, in the API and through
``mdplan graph --format graphml|node-link`` (networkx's own writers, read back by its readers)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

import mdplan
from mdplan.cli import run
from tests.helpers import REFERENCE

TWO_PHASES = """\
## Phase 1: Build (10 min)

- Files: `src/a.py`, `src/b.py`

## Phase 2: Ship (5 min)

- Depends on: Phase 1
"""


def test_each_scenario_is_a_digraph_with_the_documented_attributes() -> None:
    analysis = mdplan.analyze(mdplan.parse(REFERENCE.read_text(encoding="utf-8"), "plan.md"))
    graph = analysis.graph("optimized")
    assert isinstance(graph, nx.DiGraph)
    assert set(graph.nodes["4a"]) == {"minutes", "title", "files", "line"}
    assert graph.nodes["4a"]["minutes"] == 12
    assert all(set(data) == {"kind", "line", "optional"} for _, _, data in graph.edges(data=True))
    assert analysis.graph("recommended") is not None and analysis.graph("nothing") is None
    assert nx.dag_longest_path_length(graph) + 1 == 5  # the longest chain by count: 1 → 4a → 4b → 5 → 6


def test_graphml_reads_back_with_networkx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(TWO_PHASES, encoding="utf-8")
    assert run(["graph", str(plan), "--format", "graphml"]) == 0
    written = tmp_path / "plan.graphml"
    written.write_text(capsys.readouterr().out, encoding="utf-8")
    graph = nx.read_graphml(written)
    assert list(graph.edges(data=True)) == [("1", "2", {"kind": "stated", "line": 7, "optional": False})]
    assert graph.nodes["1"] == {"minutes": 10.0, "title": "Build", "files": "src/a.py\nsrc/b.py", "line": 1}


def test_graphml_of_titles_with_control_characters_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """XML 1.0 holds no C0 control character but tab, LF and CR, not even as ``&#1;``: a title with
    one once made GraphML that no XML parser reads."""
    plan = tmp_path / "plan.md"
    plan.write_text(TWO_PHASES.replace("Build", "Bu\x01il\x0bd"), encoding="utf-8")
    assert run(["graph", str(plan), "--format", "graphml"]) == 0
    written = tmp_path / "plan.graphml"
    written.write_text(capsys.readouterr().out, encoding="utf-8")
    assert nx.read_graphml(written).nodes["1"]["title"] == "Bu\ufffdil\ufffdd"


def test_node_link_reads_back_with_networkx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(TWO_PHASES, encoding="utf-8")
    assert run(["graph", str(plan), "--format", "node-link"]) == 0
    graph = nx.node_link_graph(json.loads(capsys.readouterr().out), edges="edges")
    assert graph.nodes["1"]["files"] == ["src/a.py", "src/b.py"] and graph.nodes["2"]["minutes"] == 5


@pytest.mark.parametrize("form", ["graphml", "node-link"])
def test_one_graph_formats_need_a_scenario_when_there_are_several(
    form: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["graph", str(REFERENCE), "--format", form]) == 2
    assert "choose one with --scenario (current, optimized)" in capsys.readouterr().err
    assert run(["graph", str(REFERENCE), "--format", form, "--scenario", "optimized"]) == 0
    assert "4a" in capsys.readouterr().out
