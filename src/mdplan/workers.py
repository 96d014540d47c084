"""Makespan with k workers: list scheduling with critical-path priority.

Whenever a worker is free, it starts the ready phase (all predecessors finished) with the
longest remaining path to the end of the plan (its *bottom level*: own minutes plus the
longest chain after it); ties go to the phase that comes first in natural id order. With one
worker the makespan is the total work; with as many workers as phases it is the unlimited
(critical-path) makespan.

The curve is computed for k = 1, 2, … up to ``LINEAR_UP_TO``, then for doubling k, and always
for k = number of phases, stopping at the first k that reaches the unlimited makespan;
``min_workers`` is the smallest k computed that reaches it. For plans no wider than
``LINEAR_UP_TO`` that is exactly the smallest such k.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mdplan.model import natural_key

EPSILON = 1e-9
LINEAR_UP_TO = 64


@dataclass(frozen=True, slots=True)
class WorkerRun:
    k: int
    makespan: float
    start: dict[str, float]


def bottom_levels(
    order: Sequence[str], successors: Mapping[str, Sequence[str]], minutes: Mapping[str, float]
) -> dict[str, float]:
    """Own minutes plus the longest chain of minutes after each phase."""
    level: dict[str, float] = {}
    for node in reversed(order):
        level[node] = minutes[node] + max((level[s] for s in successors[node]), default=0.0)
    return level


def list_schedule(
    order: Sequence[str],
    successors: Mapping[str, Sequence[str]],
    minutes: Mapping[str, float],
    k: int,
) -> WorkerRun:
    """Start times with at most ``k`` phases running at once; ``order`` is topological."""
    priority = bottom_levels(order, successors, minutes)
    waiting = {node: 0 for node in order}
    for node in order:
        for succ in successors[node]:
            waiting[succ] += 1
    ready = [_entry(node, priority) for node in order if waiting[node] == 0]
    heapq.heapify(ready)
    running: list[tuple[float, str]] = []
    start: dict[str, float] = {}
    now = 0.0
    while ready or running:
        while ready and len(running) < k:
            node = heapq.heappop(ready)[-1]
            start[node] = now
            heapq.heappush(running, (now + minutes[node], node))
        now, done = heapq.heappop(running)
        _release(done, successors, waiting, ready, priority)
        while running and running[0][0] <= now + EPSILON:
            _release(heapq.heappop(running)[1], successors, waiting, ready, priority)
    makespan = max((start[n] + minutes[n] for n in order), default=0.0)
    return WorkerRun(k, makespan, start)


def _entry(node: str, priority: Mapping[str, float]) -> tuple[float, tuple[tuple[int, int | str], ...], str]:
    return (-priority[node], natural_key(node), node)


def _release(
    done: str,
    successors: Mapping[str, Sequence[str]],
    waiting: dict[str, int],
    ready: list[tuple[float, tuple[tuple[int, int | str], ...], str]],
    priority: Mapping[str, float],
) -> None:
    for succ in successors[done]:
        waiting[succ] -= 1
        if waiting[succ] == 0:
            heapq.heappush(ready, _entry(succ, priority))


def worker_counts(phases: int) -> list[int]:
    """The k to compute: 1 … ``LINEAR_UP_TO``, then doubling, and the number of phases."""
    counts = list(range(1, min(phases, LINEAR_UP_TO) + 1))
    k = LINEAR_UP_TO * 2
    while k < phases:
        counts.append(k)
        k *= 2
    if phases > LINEAR_UP_TO:
        counts.append(phases)
    return counts


def worker_curve(
    order: Sequence[str], successors: Mapping[str, Sequence[str]], minutes: Mapping[str, float], unlimited: float
) -> tuple[list[tuple[int, float]], int]:
    """(k, makespan) from one worker up to the first k that reaches ``unlimited``; that k."""
    curve: list[tuple[int, float]] = []
    for k in worker_counts(len(order)):
        run = list_schedule(order, successors, minutes, k)
        curve.append((k, run.makespan))
        if run.makespan <= unlimited + EPSILON:
            return curve, k
    return curve, max(len(order), 1)
