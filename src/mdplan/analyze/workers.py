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
from typing import NamedTuple

from mdplan.analyze.graph import Cpm, DiGraph, minutes_of
from mdplan.model.vocabulary import natural_order

EPSILON = 1e-9
LINEAR_UP_TO = 64


class WorkerRun(NamedTuple):
    k: int
    makespan: float
    start: dict[str, float]


def list_schedule(graph: DiGraph, cpm: Cpm, k: int) -> WorkerRun:
    """Start times with at most ``k`` phases running at once."""
    return _Scheduler(graph, cpm).run(k)


class _Scheduler:
    """What every k shares: priorities as integer ranks (lower runs first), the successor lists
    and the in-degrees by rank. Heaps of small integers keep each run cheap on wide plans."""

    def __init__(self, graph: DiGraph, cpm: Cpm):
        priority = cpm.tail  # the bottom level: own minutes plus the longest chain after
        self.nodes = sorted(cpm.order, key=lambda node: (-priority[node], natural_order(node), node))
        rank = {node: i for i, node in enumerate(self.nodes)}
        minutes = minutes_of(graph)
        self.minutes = [minutes[node] for node in self.nodes]
        self.successors = [sorted(rank[s] for s in graph.successors(node)) for node in self.nodes]
        self.indegree = [0] * len(self.nodes)
        for succs in self.successors:
            for succ in succs:
                self.indegree[succ] += 1

    def run(self, k: int) -> WorkerRun:
        waiting = list(self.indegree)
        ready = [r for r, count in enumerate(waiting) if count == 0]  # ascending: already a heap
        running: list[tuple[float, int]] = []
        start = [0.0] * len(self.nodes)
        now = 0.0
        while ready or running:
            while ready and len(running) < k:
                rank = heapq.heappop(ready)
                start[rank] = now
                heapq.heappush(running, (now + self.minutes[rank], rank))
            now, done = heapq.heappop(running)
            self._release(done, waiting, ready)
            while running and running[0][0] <= now + EPSILON:
                self._release(heapq.heappop(running)[1], waiting, ready)
        makespan = max((s + m for s, m in zip(start, self.minutes, strict=True)), default=0.0)
        return WorkerRun(k, makespan, dict(zip(self.nodes, start, strict=True)))

    def _release(self, done: int, waiting: list[int], ready: list[int]) -> None:
        for succ in self.successors[done]:
            waiting[succ] -= 1
            if waiting[succ] == 0:
                heapq.heappush(ready, succ)


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


def worker_curve(graph: DiGraph, cpm: Cpm) -> tuple[list[tuple[int, float]], int]:
    """(k, makespan) from one worker up to the first k that reaches the unlimited makespan; that k."""
    curve: list[tuple[int, float]] = []
    scheduler = _Scheduler(graph, cpm)
    unlimited = cpm.makespan
    order = cpm.order
    for k in worker_counts(len(order)):
        run = scheduler.run(k)
        curve.append((k, run.makespan))
        if run.makespan <= unlimited + EPSILON:
            return curve, k
    return curve, max(len(order), 1)
