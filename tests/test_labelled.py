"""Real plans with hand-made truths (../shared/labelled), read in place and scored.

Each ``NAME.truth.json`` names its document, the units with every name the document gives
them, the dependencies it states (plus edges it leaves contested: any subset may be read) and
the minutes of the units it times. The score is reachability F1: both graphs are closed
transitively, so ``1 -> 2 -> 3`` and a reading that also draws ``1 -> 3`` score the same. A
unit of mdplan's matches a truth unit when its label, id or "label title" is one of the
truth's names (letters and digits only, lower case). These are documents mdplan was never
tuned on; the tests skip where ../shared is absent.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from mdplan.cli import run
from tests.helpers import SHARED

LABELLED = SHARED / "labelled"
TRUTHS = sorted(LABELLED.glob("*.truth.json")) if LABELLED.is_dir() else []
needs_labelled = pytest.mark.skipif(not TRUTHS, reason="../shared/labelled is not here")
MEAN_F1 = 0.95
MINUTES_RIGHT = 0.90
Pairs = set[tuple[str, str]]


def closure(edges: Pairs) -> Pairs:
    successors: dict[str, set[str]] = {}
    for src, dst in edges:
        successors.setdefault(src, set()).add(dst)
    reached: Pairs = set()
    for start, following in successors.items():
        stack, seen = list(following), set()
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(successors.get(node, ()))
        reached.update((start, node) for node in seen)
    return reached


def f1(got: Pairs, want: Pairs) -> float:
    if not got and not want:
        return 1.0
    hits = len(got & want)
    if not hits:
        return 0.0
    precision, recall = hits / len(got), hits / len(want)
    return 2 * precision * recall / (precision + recall)


def key(text: object) -> str:
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def read(document: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert run(["graph", str(document), "--format", "json"]) in (0, 1)
    model: dict[str, Any] = json.loads(capsys.readouterr().out)
    return model


def score(truth: dict[str, Any], model: dict[str, Any]) -> tuple[float, int, int]:
    """(reachability F1, units timed right, units timed in the truth)."""
    scenario = next(s for s in model["scenarios"] if s["name"] == truth.get("scenario", "current"))
    names = {key(name): unit for unit, aliases in truth["nodes"].items() for name in (unit, *aliases)}
    phases = {p["id"]: p for p in scenario["phases"]}

    def unit_of(pid: str) -> str | None:
        phase = phases.get(pid, {})
        keys = (phase.get("label"), pid, f"{phase.get('label', '')} {phase.get('title', '')}")
        return next((names[key(k)] for k in keys if k and key(k) in names), None)

    read_edges = {(unit_of(e["from"]), unit_of(e["to"])) for e in scenario["edges"]}
    got = closure({(a, b) for a, b in read_edges if a and b})
    stated = {(a, b) for a, b in truth["edges"]}
    contested = [(a, b) for a, b in truth.get("contested_edges", [])]
    readings = (
        [stated | set(chosen) for n in range(len(contested) + 1) for chosen in itertools.combinations(contested, n)]
        if len(contested) <= 12
        else [stated, stated | set(contested)]
    )
    best = max(f1(got, closure(reading)) for reading in readings)
    minutes = {unit_of(pid): p.get("minutes") for pid, p in phases.items()}
    wanted = truth.get("minutes") or {}
    right = sum(1 for u, m in wanted.items() if minutes.get(u) is not None and abs(minutes[u] - m) <= 0.01 * m)
    return best, right, len(wanted)


@needs_labelled
def test_plans_never_seen_before_are_read_right(capsys: pytest.CaptureFixture[str]) -> None:
    scores = {}
    timed = right = 0
    for path in TRUTHS:
        truth = json.loads(path.read_text(encoding="utf-8"))
        found, ok, total = score(truth, read(LABELLED / truth["file"], capsys))
        scores[truth["file"]] = found
        right, timed = right + ok, timed + total
        assert found >= truth.get("min_f1", 0.0), (truth["file"], found)
    assert sum(scores.values()) / len(scores) >= MEAN_F1, scores
    assert right >= MINUTES_RIGHT * timed, (right, timed)


def test_the_scorer_closes_graphs_and_forgives_contested_edges() -> None:
    truth = {
        "nodes": {"a": ["Phase 1"], "b": ["Phase 2"], "c": ["Phase 3"]},
        "edges": [["a", "b"], ["b", "c"]],
        "contested_edges": [["a", "c"]],
        "minutes": {"a": 10},
    }
    phases = [{"id": str(n), "label": f"Phase {n}", "title": "", "minutes": 10} for n in (1, 2, 3)]
    edges = [{"from": "1", "to": "2"}]
    chain = {"scenarios": [{"name": "current", "phases": phases, "edges": edges}]}
    assert score(truth, chain)[0] == pytest.approx(0.5)  # one of the three pairs 1 -> 2 -> 3 reaches
    edges.append({"from": "2", "to": "3"})
    assert score(truth, chain) == (1.0, 1, 1)
    edges.append({"from": "3", "to": "1"})
    assert score(truth, chain)[0] < 1.0
