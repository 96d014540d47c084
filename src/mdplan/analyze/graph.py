"""The graph core: a networkx ``DiGraph`` per scenario, and the little networkx does not have.

networkx gives the order (``lexicographical_topological_sort``), the waves
(``topological_generations``), cycles (``find_cycle``), ancestors and longest chains by count
(``dag_longest_path_length``). Written here, once, over the DiGraph: the critical-path method
(earliest and latest start and finish, tails), and reachability as bit sets. networkx's own
``transitive_closure_dag`` stores every reachable pair as an edge and its
``transitive_reduction`` keeps a descendant set per node: 2.8 s for a generated plan of 4,000
phases against milliseconds here, so file races and redundant edges use ``Reach``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from mdplan.model import Phase, Scenario, patterns
from mdplan.model.vocabulary import natural_order

if TYPE_CHECKING:
    DiGraph = nx.DiGraph[str]
else:
    DiGraph = nx.DiGraph


def scenario_graph(scenario: Scenario, phases: Mapping[str, Phase]) -> DiGraph:
    """The scenario as a DiGraph: nodes ``minutes`` (0 when unknown), ``title``, ``files``,
    ``line``; edges ``kind``, ``line``, ``optional``."""
    graph: DiGraph = nx.DiGraph(name=scenario.name)
    for pid in scenario.phase_ids:
        phase = phases[pid]
        graph.add_node(pid, minutes=phase.minutes or 0.0, title=phase.title, files=phase.files, line=phase.line)
    for edge in scenario.edges:
        graph.add_edge(edge.src, edge.dst, kind=edge.kind, line=edge.line, optional=edge.optional)
    return graph


def timed_graph(nodes: Iterable[str], edges: Iterable[tuple[str, str]], minutes: Mapping[str, float]) -> DiGraph:
    """A bare DiGraph of ids and minutes, for what-if questions (this edge dropped, that added)."""
    graph: DiGraph = nx.DiGraph()
    graph.add_nodes_from((node, {"minutes": minutes.get(node, 0.0)}) for node in nodes)
    graph.add_edges_from(edges)
    return graph


def minutes_of(graph: DiGraph) -> dict[str, float]:
    return {node: float(data.get("minutes", 0.0)) for node, data in graph.nodes(data=True)}


def cycle(graph: DiGraph) -> list[tuple[str, str]]:
    """The edges of one cycle, in order, or [] when the graph is acyclic."""
    if nx.is_directed_acyclic_graph(graph):  # the common case, without find_cycle's edge walk
        return []
    try:
        return [(src, dst) for src, dst, *_ in nx.find_cycle(graph)]
    except nx.NetworkXNoCycle:
        return []


def topological_order(graph: DiGraph) -> list[str]:
    """The order that takes the naturally smallest ready phase first (``graph`` acyclic)."""
    return list(nx.lexicographical_topological_sort(graph, key=natural_order))


def generations(graph: DiGraph) -> list[list[str]]:
    """Waves: the phases with no predecessor, then those whose predecessors are all placed, …"""
    return [list(wave) for wave in nx.topological_generations(graph)]


def longest_chain(graph: DiGraph) -> int:
    """The most phases on any one dependency chain."""
    return nx.dag_longest_path_length(graph) + 1 if len(graph) else 0


def ancestors(graph: DiGraph, node: str) -> set[str]:
    return set(nx.ancestors(graph, node))


@dataclass(frozen=True, slots=True)
class Cpm:
    """The critical-path method's numbers for an acyclic graph."""

    order: tuple[str, ...]
    earliest_start: dict[str, float]
    earliest_finish: dict[str, float]
    latest_start: dict[str, float]
    latest_finish: dict[str, float]
    tail: dict[str, float]  # own minutes plus the longest chain after

    @property
    def makespan(self) -> float:
        return max(self.earliest_finish.values(), default=0.0)

    def cost_of_edge(self, src: str, dst: str) -> float:
        """Minutes the plan grows by if ``dst`` waits for ``src`` (the two unordered before):
        the only new chains run through the new edge, earliest finish of ``src`` plus the tail of
        ``dst``."""
        return max(0.0, self.earliest_finish[src] + self.tail[dst] - self.makespan)


def critical_path_method(graph: DiGraph, order: list[str] | None = None) -> Cpm:
    """Forward and backward passes over ``order`` (a topological order of an acyclic graph)."""
    order = topological_order(graph) if order is None else order
    minutes = minutes_of(graph)
    es, ef = _forward(graph, order, minutes)
    makespan = max(ef.values(), default=0.0)
    ls: dict[str, float] = {}
    lf: dict[str, float] = {}
    tail: dict[str, float] = {}
    for node in reversed(order):
        lf[node] = min((ls[s] for s in graph.successors(node)), default=makespan)
        ls[node] = lf[node] - minutes[node]
        tail[node] = minutes[node] + max((tail[s] for s in graph.successors(node)), default=0.0)
    return Cpm(tuple(order), es, ef, ls, lf, tail)


def _forward(
    graph: DiGraph, order: Iterable[str], minutes: Mapping[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """Earliest starts and finishes, over a topological order."""
    es: dict[str, float] = {}
    ef: dict[str, float] = {}
    for node in order:
        es[node] = max((ef[p] for p in graph.predecessors(node)), default=0.0)
        ef[node] = es[node] + minutes[node]
    return es, ef


def longest_finish(graph: DiGraph, order: Iterable[str], minutes: Mapping[str, float]) -> float:
    """The plan's length with other ``minutes`` (range ends), over a topological order of the
    graph already found (any such order gives the same finishes)."""
    return max(_forward(graph, order, minutes)[1].values(), default=0.0)


def makespan(graph: DiGraph) -> float | None:
    """The critical-path length, or None when the graph has a cycle."""
    try:
        order = list(nx.topological_sort(graph))
    except nx.NetworkXUnfeasible:
        return None
    return critical_path_method(graph, order).makespan


class GrowingCpm:
    """Earliest finishes and tails of an acyclic graph that gains edges one at a time, kept
    current by walking only what a new edge changes (the target's descendants, the source's
    ancestors), so settling many races costs what they touch, not a pass over the plan each."""

    def __init__(self, graph: DiGraph) -> None:
        cpm = critical_path_method(graph, list(nx.topological_sort(graph)))
        self._graph = graph
        self._minutes = minutes_of(graph)
        self.earliest_finish = dict(cpm.earliest_finish)
        self.tail = dict(cpm.tail)
        self.makespan = cpm.makespan

    def cost_of_edge(self, src: str, dst: str) -> float:
        return max(0.0, self.earliest_finish[src] + self.tail[dst] - self.makespan)

    def add_edge(self, src: str, dst: str) -> None:
        """Add ``src → dst`` (the two unordered before) to the graph and update the numbers."""
        self._graph.add_edge(src, dst)
        self.makespan = max(self.makespan, self.earliest_finish[src] + self.tail[dst])
        self._push_finish(dst)
        self._push_tail(src)

    def _push_finish(self, start: str) -> None:
        pending = [start]
        while pending:
            node = pending.pop()
            finish = max((self.earliest_finish[p] for p in self._graph.predecessors(node)), default=0.0)
            finish += self._minutes[node]
            if finish > self.earliest_finish[node] or node == start:
                self.earliest_finish[node] = max(finish, self.earliest_finish[node])
                pending.extend(self._graph.successors(node))

    def _push_tail(self, start: str) -> None:
        pending = [start]
        while pending:
            node = pending.pop()
            tail = self._minutes[node] + max((self.tail[s] for s in self._graph.successors(node)), default=0.0)
            if tail > self.tail[node] or node == start:
                self.tail[node] = max(tail, self.tail[node])
                pending.extend(self._graph.predecessors(node))


class WhatIf:
    """The length of an acyclic graph with one edge dropped, one added, or one reversed:
    straight from its CPM numbers where they decide it, by a fresh pass only otherwise. An
    edge that does not set its target's start changes no finish when dropped; an added edge
    lengthens the plan to its source's finish plus its target's tail at most (exactly that,
    when longer); a reversed edge closes a cycle when another path still joins its ends; the
    rest is one pass over earliest finishes, with no copy of the graph."""

    def __init__(self, graph: DiGraph) -> None:
        self._graph = graph
        self._cpm = critical_path_method(graph, list(nx.topological_sort(graph)))
        self._reach = Reach(graph)
        self._minutes = minutes_of(graph)
        self._position = {node: index for index, node in enumerate(self._cpm.order)}
        self._finished_by: list[float] = []  # the latest finish among the first i phases
        latest = 0.0
        for node in self._cpm.order:
            self._finished_by.append(latest)
            latest = max(latest, self._cpm.earliest_finish[node])

    @property
    def makespan(self) -> float:
        return self._cpm.makespan

    def dropped(self, src: str, dst: str) -> float | None:
        if self._sets_no_start(src, dst):
            return self._cpm.makespan
        return self._longest_from(dst, drop=(src, dst))

    def added(self, src: str, dst: str) -> float | None:
        if src == dst or self._reach.reaches(dst, src):
            return None
        cpm = self._cpm
        return max(cpm.makespan, cpm.earliest_finish[src] + cpm.tail[dst])

    def reversed(self, src: str, dst: str) -> float | None:
        """``src → dst`` dropped and ``dst → src`` added."""
        if any(other != dst and self._reach.reaches(other, dst) for other in self._graph.successors(src)):
            return None
        cpm = self._cpm
        if self._sets_no_start(src, dst) and self._minutes[src] + cpm.tail[dst] < cpm.tail[src]:
            return max(cpm.makespan, cpm.earliest_finish[dst] + cpm.tail[src])  # nothing else moved
        return self._longest(drop=(src, dst), add=(dst, src))

    def _longest_from(self, start: str, *, drop: tuple[str, str]) -> float:
        """The longest chain with ``drop`` gone: finishes before ``start`` in the order stand,
        those from it on are recomputed in order."""
        begin = self._position[start]
        finish = self._cpm.earliest_finish
        changed: dict[str, float] = {}
        for node in self._cpm.order[begin:]:
            before = (changed.get(p, finish[p]) for p in self._graph.predecessors(node) if (p, node) != drop)
            changed[node] = self._minutes[node] + max(before, default=0.0)
        return max(self._finished_by[begin], max(changed.values(), default=0.0))

    def _longest(self, *, drop: tuple[str, str], add: tuple[str, str] | None = None) -> float:
        """The longest chain with ``drop`` gone and ``add`` there (acyclic, as the callers
        check): earliest finishes recomputed depth first over predecessors, needing no order."""
        extra = {add[1]: add[0]} if add else {}
        finish: dict[str, float] = {}
        for root in self._cpm.order:
            stack = [root]
            while stack:
                node = stack[-1]
                if node in finish:
                    stack.pop()
                    continue
                before = [p for p in self._graph.predecessors(node) if (p, node) != drop]
                if node in extra:
                    before.append(extra[node])
                waiting = [p for p in before if p not in finish]
                if waiting:
                    stack.extend(waiting)
                    continue
                stack.pop()
                finish[node] = self._minutes[node] + max((finish[p] for p in before), default=0.0)
        return max(finish.values(), default=0.0)

    def _sets_no_start(self, src: str, dst: str) -> bool:
        return self._cpm.earliest_finish[src] < self._cpm.earliest_start[dst]


class Reach:
    """Which node reaches which: one bit set (a Python int) per node, built in reverse
    topological order, so 20,000 phases take megabytes, not gigabytes. Edges added later
    (``add_edge``) update every node that reaches the new edge's source."""

    def __init__(self, graph: DiGraph) -> None:
        self._graph = graph
        self._bit = {node: 1 << index for index, node in enumerate(graph)}
        self._reach: dict[str, int] = {}
        try:
            order = list(nx.topological_sort(graph))
        except nx.NetworkXUnfeasible:
            order = list(graph)
        for node in reversed(order):
            bits = 0
            for successor in graph.successors(node):
                bits |= self._bit[successor] | self._reach.get(successor, 0)
            self._reach[node] = bits

    def reaches(self, src: str, dst: str) -> bool:
        return bool(self._reach[src] & self._bit[dst])

    def ordered(self, a: str, b: str) -> bool:
        return self.reaches(a, b) or self.reaches(b, a)

    def beyond(self, nodes: Iterable[str]) -> int:
        """Every node reached from ``nodes`` through at least one more edge, as bits."""
        bits = 0
        for node in nodes:
            bits |= self._reach[node]
        return bits

    def within(self, bits: int, node: str) -> bool:
        return bool(bits & self._bit[node])

    def first_reaching(self, sources: Iterable[str], targets: Iterable[str]) -> dict[str, str]:
        """For each of ``targets``, the first of ``sources`` (in their order) other than itself
        that reaches it, where one does: one pass over the sources, each target settled once."""
        node_at = {self._bit[target].bit_length() - 1: target for target in targets}
        wanted = sum(1 << index for index in node_at)
        first: dict[str, str] = {}
        for source in sources:
            settled = self._reach[source] & wanted & ~self._bit[source]
            wanted &= ~settled
            while settled:
                lowest = settled & -settled
                first[node_at[lowest.bit_length() - 1]] = source
                settled ^= lowest
            if not wanted:
                break
        return first

    def add_edge(self, src: str, dst: str) -> None:
        """Record ``src → dst`` (already added to the graph): everything that reaches ``src``,
        and ``src``, now reaches ``dst`` and all it reaches."""
        gained = self._bit[dst] | self._reach[dst]
        for node in (src, *nx.ancestors(self._graph, src)):
            self._reach[node] |= gained


def redundant_edges(graph: DiGraph, reach: Reach | None = None) -> list[tuple[str, str, str]]:
    """Edges a longer chain implies, as (source, target, the first other successor that leads
    there), in node order: what ``transitive_reduction`` removes, decided from bit sets."""
    reach = reach or Reach(graph)
    found: list[tuple[str, str, str]] = []
    for node in graph:
        successors = list(graph.successors(node))
        beyond = reach.beyond(successors)
        implied = [s for s in successors if reach.within(beyond, s)]  # most often none
        if implied:  # each settled once: a node of 4,000 successors once sorted them 4,000 times
            via = reach.first_reaching(sorted(successors, key=natural_order), implied)
            found.extend((node, successor, via[successor]) for successor in implied if successor in via)
    return found


def transitive_reduction(graph: DiGraph) -> list[tuple[str, str]]:
    """The edges no longer chain implies, in node order (``graph`` acyclic; networkx's
    algorithm, for the small graphs a picture can show)."""
    kept = nx.transitive_reduction(graph)
    return [(src, dst) for src, dst in graph.edges if kept.has_edge(src, dst)]


# characters XML 1.0 cannot hold, even as a reference: a title with one made GraphML no parser reads
_NOT_XML = patterns.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def exported(graph: DiGraph) -> DiGraph:
    """A copy every writer can take: no title is None, files are one string, a path a line, and
    what XML cannot hold (control characters) is U+FFFD."""
    copy = graph.copy()
    for _, data in copy.nodes(data=True):
        data["title"] = _NOT_XML.sub("\ufffd", data.get("title") or "")
        data["files"] = _NOT_XML.sub("\ufffd", "\n".join(data.get("files") or ()))
    return copy
