"""The few graph algorithms the schedule needs, on plain dicts.

networkx is the reference (the tests compare against it), but importing it costs about a
fifth of a second, more than a whole ``mdformat --check`` run and a fifth of a small report;
``mdplan check`` runs in pre-commit on every commit, so the critical-path core and the report's
layout use these instead: Kahn's algorithm with a heap (lexicographic order by
``natural_key``), topological generations, an iterative depth-first search for a cycle, and a
transitive reduction through reachability bit sets.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from mdplan.model import natural_key


class DiGraph:
    """Nodes in insertion order; successor and predecessor lists without duplicates."""

    def __init__(self, nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> None:
        self._succ: dict[str, list[str]] = {node: [] for node in nodes}
        self._pred: dict[str, list[str]] = {node: [] for node in self._succ}
        seen: set[tuple[str, str]] = set()
        for src, dst in edges:
            if (src, dst) in seen:
                continue
            seen.add((src, dst))
            for node in (src, dst):
                self._succ.setdefault(node, [])
                self._pred.setdefault(node, [])
            self._succ[src].append(dst)
            self._pred[dst].append(src)

    @property
    def nodes(self) -> list[str]:
        return list(self._succ)

    def successors(self, node: str) -> list[str]:
        return self._succ[node]

    def predecessors(self, node: str) -> list[str]:
        return self._pred[node]


def lexicographic_order(graph: DiGraph) -> list[str]:
    """A topological order that takes the naturally smallest ready node first."""
    indegree = {node: len(graph.predecessors(node)) for node in graph.nodes}
    ready = [(natural_key(node), node) for node, degree in indegree.items() if degree == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, node = heapq.heappop(ready)
        order.append(node)
        for successor in graph.successors(node):
            indegree[successor] -= 1
            if indegree[successor] == 0:
                heapq.heappush(ready, (natural_key(successor), successor))
    return order


def generations(graph: DiGraph) -> list[list[str]]:
    """Waves: the nodes with no predecessor, then those whose predecessors are all placed, …"""
    indegree = {node: len(graph.predecessors(node)) for node in graph.nodes}
    wave = [node for node, degree in indegree.items() if degree == 0]
    waves: list[list[str]] = []
    while wave:
        waves.append(wave)
        following: list[str] = []
        for node in wave:
            for successor in graph.successors(node):
                indegree[successor] -= 1
                if indegree[successor] == 0:
                    following.append(successor)
        wave = following
    return waves


def find_cycle(graph: DiGraph) -> list[tuple[str, str]]:
    """The edges of one cycle, in order, or [] when the graph is acyclic."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in graph.nodes:
        if root in state:
            continue
        path: list[str] = [root]
        iterators = [iter(graph.successors(root))]
        state[root] = 1
        while iterators:
            successor = next(iterators[-1], None)
            if successor is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state.get(successor) == 1:
                loop = path[path.index(successor) :]
                return list(zip(loop, [*loop[1:], successor], strict=True))
            elif successor not in state:
                state[successor] = 1
                path.append(successor)
                iterators.append(iter(graph.successors(successor)))
    return []


def transitive_reduction(graph: DiGraph) -> list[tuple[str, str]]:
    """The edges no longer path implies, in node order; ``graph`` must be acyclic.

    Each node's reach (everything after it, as bits of one int) is built in reverse topological
    order; an edge ``u → v`` stays when no other successor of ``u`` reaches ``v``.
    """
    bit = {node: 1 << index for index, node in enumerate(graph.nodes)}
    reach: dict[str, int] = {}
    for node in reversed(lexicographic_order(graph)):
        bits = 0
        for successor in graph.successors(node):
            bits |= bit[successor] | reach[successor]
        reach[node] = bits
    kept: list[tuple[str, str]] = []
    for node in graph.nodes:
        beyond = 0
        for successor in graph.successors(node):
            beyond |= reach[successor]
        kept.extend((node, successor) for successor in graph.successors(node) if not beyond & bit[successor])
    return kept
