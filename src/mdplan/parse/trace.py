"""Trace the connectors of a grid cell by cell into *nets*, and nets into arrows between runs.

Connector cells join when their ports meet (``─`` has E and W, ``┐`` has S and W, …). A
vertical port that finds nothing in the next row looks up to ``TOLERANCE`` columns aside, so
hand-drawn brackets a few columns off (``┐ … ┤ … ┘``) still form one merge bar. Text that a
port reaches (across at most two spaces sideways) *touches* the net: at an arrowhead's point
it is a target, anywhere else a source. Every net with an arrowhead yields an arrow from each
source to each target; nets without arrowheads (file trees, tables) yield nothing.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from mdplan.parse.grid import OPPOSITE, STEP, Cell, Direction, Glyph, Grid, Run

TOLERANCE = 3
SIDE_GAP = 2


class Arrow(NamedTuple):
    source: int  # run index
    target: int
    line: int  # where the arrowhead into the target is
    col: int


class Dangling(NamedTuple):
    """An arrowhead whose net reaches text on one side only, or points at every text it reaches
    (``Phase 1 ↔ Phase 2``, ``A <-> B``: ``mutual``, a dependency both ways)."""

    line: int
    col: int
    runs: tuple[int, ...]  # the text it does reach
    mutual: bool = False


class Touch(NamedTuple):
    run: int
    cell: tuple[int, int]
    side: Direction  # direction from the connector cell to the text


@dataclass
class _Nets:
    grid: Grid
    parent: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    touches: list[Touch] = field(default_factory=list)

    def find(self, key: tuple[int, int]) -> tuple[int, int]:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: tuple[int, int], b: tuple[int, int]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def trace(grid: Grid) -> tuple[list[Arrow], list[Dangling]]:
    nets = _Nets(grid)
    connectors = grid.connectors()
    for r, c, _ in connectors:
        nets.parent[(r, c)] = (r, c)
    cells = {(r, c): cell for r, c, cell in connectors}
    _join_along_rows(nets, connectors)
    for r, c, cell in connectors:
        _link_cell(nets, r, c, cell, cells)
    return _arrows(nets, cells)


def _join_along_rows(nets: _Nets, connectors: list[tuple[int, int, Cell]]) -> None:
    """Each pair of connectors side by side in a row (``──→``), joined where their ports meet:
    the one step of tracing that a long drawn row takes per cell, done once per pair."""
    for (r, c, left), (row, col, right) in itertools.pairwise(connectors):
        beside = row == r and col == c + 1
        if beside and left.glyph is not None and right.glyph is not None and _meet(left.glyph, right.glyph):
            nets.union((r, c), (row, col))


def _meet(left: Glyph, right: Glyph) -> bool:
    return "E" in left.ports and "W" in right.ports


def _link_cell(nets: _Nets, r: int, c: int, cell: Cell, cells: dict[tuple[int, int], Cell]) -> None:
    """Links the ports of a connector; an east or west port that meets another connector was
    settled by ``_join_along_rows`` (it touches no text and looks nowhere else)."""
    assert cell.glyph is not None
    for side in sorted(cell.glyph.ports):
        if side in "EW" and (r, c + STEP[side][1]) in cells:
            continue
        _link(nets, r, c, side)
    if cell.glyph.junction and "W" not in cell.glyph.ports:
        _touch_sideways(nets, r, c, "W")


def _link(nets: _Nets, r: int, c: int, side: Direction) -> None:
    dr, dc = STEP[side]
    run = nets.grid.run_at(r + dr, c + dc)
    if run is not None:
        nets.touches.append(Touch(run.index, (r, c), side))
        return
    neighbour = nets.grid.glyph(r + dr, c + dc)
    if neighbour is not None:
        if OPPOSITE[side] in neighbour.ports:
            nets.union((r, c), (r + dr, c + dc))
        elif side in "NS":
            _link_misaligned(nets, r, c, side)
        return
    if side in "EW":
        _touch_sideways(nets, r, c, side)
    else:
        _link_misaligned(nets, r, c, side)


def _touch_sideways(nets: _Nets, r: int, c: int, side: Direction) -> None:
    step = STEP[side][1]
    for distance in range(1, SIDE_GAP + 2):
        run = nets.grid.run_at(r, c + step * distance)
        if run is not None:
            nets.touches.append(Touch(run.index, (r, c), side))
            return
        if not nets.grid.within(r, c + step * distance) or nets.grid.glyph(r, c + step * distance):
            return


def _link_misaligned(nets: _Nets, r: int, c: int, side: Direction) -> None:
    row = r + STEP[side][0]
    for offset in range(1, TOLERANCE + 1):
        for col in (c - offset, c + offset):
            other = nets.grid.glyph(row, col)
            if other is not None and OPPOSITE[side] in other.ports:
                nets.union((r, c), (row, col))
                return


def _arrows(nets: _Nets, cells: dict[tuple[int, int], Cell]) -> tuple[list[Arrow], list[Dangling]]:
    by_net: dict[tuple[int, int], list[Touch]] = defaultdict(list)
    for touch in nets.touches:
        by_net[nets.find(touch.cell)].append(touch)
    heads: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for key, cell in cells.items():
        if cell.glyph is not None and cell.glyph.points:
            heads[nets.find(key)].append(key)
    arrows: list[Arrow] = []
    dangling: list[Dangling] = []
    for net, net_heads in sorted(heads.items()):
        targets, sources = _ends(by_net.get(net, []), cells)
        found = [Arrow(s, t, head.line, head.col) for t, head in sorted(targets.items()) for s in sources]
        arrows.extend(found)
        if not found:
            first = cells[min(net_heads)]
            reached = tuple(sorted({*targets, *sources}))
            dangling.append(Dangling(first.line, first.col, reached, len(targets) > 1 and not sources))
    return arrows, dangling


def _ends(touches: list[Touch], cells: dict[tuple[int, int], Cell]) -> tuple[dict[int, Cell], list[int]]:
    """The runs a net points at (with the arrowhead that reaches each) and the runs it leaves."""
    targets: dict[int, Cell] = {}
    for touch in touches:
        glyph = cells[touch.cell].glyph
        if glyph is not None and glyph.points and touch.side in glyph.points:
            targets.setdefault(touch.run, cells[touch.cell])
    return targets, sorted({t.run for t in touches} - targets.keys())


def runs_of(grid: Grid, arrows: list[Arrow]) -> list[Run]:
    used = sorted({a.source for a in arrows} | {a.target for a in arrows})
    return [grid.runs[i] for i in used]
