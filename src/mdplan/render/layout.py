"""A layered box-drawing picture of a dependency graph, top to bottom.

Sugiyama in small: layers by longest path from the sources (a phase sits one layer below its
lowest predecessor), a dummy cell per layer an edge skips, phases ordered within layers by
barycenter sweeps to cut crossings, then drawn as boxes (critical phases in heavy lines) with
orthogonal edges. Each edge gets its own horizontal track in the gap below its source (edges
whose spans do not meet share one), so a ``┼`` is always a crossing, never a junction; the
boxes of one layer sit on even columns and the next on odd ones, so a line leaving one box
never runs into a line entering another.

Considered: grandalf (layout coordinates only; its splines do not map onto a character grid)
and phart (draws edges through nodes and reverses arrows in our tests). Past ``MAX_PHASES``
phases or ``MAX_WIDTH`` columns the picture would not be readable; callers fall back to the
list form (``ascii.draw_graph``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mdplan.analyze.graph import cycle, generations, timed_graph, transitive_reduction
from mdplan.model.vocabulary import natural_order

MAX_PHASES = 60
MAX_WIDTH = 160
_SWEEPS = 4
_GAP = 3  # columns between boxes
_LIGHT = {"tl": "┌", "tr": "┐", "bl": "└", "br": "┘", "h": "─", "v": "│", "exit": "┬"}
_HEAVY = {"tl": "┏", "tr": "┓", "bl": "┗", "br": "┛", "h": "━", "v": "┃", "exit": "┳"}
# directions -> glyph (N, S, E, W)
_GLYPHS = {
    frozenset("NS"): "│",
    frozenset("EW"): "─",
    frozenset("SE"): "┌",
    frozenset("SW"): "┐",
    frozenset("NE"): "└",
    frozenset("NW"): "┘",
    frozenset("NSE"): "├",
    frozenset("NSW"): "┤",
    frozenset("SEW"): "┬",
    frozenset("NEW"): "┴",
    frozenset("NSEW"): "┼",
    frozenset("N"): "│",
    frozenset("S"): "│",
    frozenset("E"): "─",
    frozenset("W"): "─",
}


@dataclass
class _Cell:
    """A phase, or a dummy where an edge passes a layer."""

    key: str
    text: str = ""
    critical: bool = False
    left: int = 0

    @property
    def dummy(self) -> bool:
        return not self.text

    @property
    def width(self) -> int:
        return 1 if self.dummy else len(self.text) + 4

    @property
    def center(self) -> int:
        return self.left if self.dummy else self.left + self.width // 2


@dataclass
class _Layout:
    layers: list[list[_Cell]]
    links: list[tuple[str, str]]  # between cells of adjacent layers
    cells: dict[str, _Cell] = field(default_factory=dict)


def draw_layers(
    nodes: list[str], edges: list[tuple[str, str]], texts: dict[str, str], critical: set[str]
) -> str | None:
    """The picture, or None when the graph is too large (or has a cycle) to draw readably."""
    if not nodes or len(nodes) > MAX_PHASES:
        return None
    layer_of = _layering(nodes, edges)
    if layer_of is None:
        return None
    layout = _with_dummies(nodes, _reduced(nodes, edges), layer_of, texts, critical)
    _order(layout)
    _place(layout)
    width = max(c.left + c.width for layer in layout.layers for c in layer)
    if width > MAX_WIDTH:
        return None
    return _draw(layout, width)


def _layering(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int] | None:
    """Each phase's layer: its topological generation (the longest chain of edges above it)."""
    graph = timed_graph(nodes, edges, {})
    if cycle(graph):
        return None
    return {node: index for index, wave in enumerate(generations(graph)) for node in wave}


def _reduced(nodes: list[str], edges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The edges no longer chain implies (transitive reduction): the picture shows the order,
    the phase table every stated dependency."""
    return transitive_reduction(timed_graph(nodes, edges, {}))


def _with_dummies(
    nodes: list[str], edges: list[tuple[str, str]], layer_of: dict[str, int], texts: dict[str, str], critical: set[str]
) -> _Layout:
    depth = max(layer_of.values()) + 1
    layout = _Layout([[] for _ in range(depth)], [])
    for node in sorted(nodes, key=natural_order):
        cell = _Cell(node, texts[node], node in critical)
        layout.cells[node] = cell
        layout.layers[layer_of[node]].append(cell)
    for src, dst in sorted(edges, key=lambda e: (natural_order(e[0]), natural_order(e[1]))):
        previous = src
        for layer in range(layer_of[src] + 1, layer_of[dst]):
            dummy = _Cell(f"{src}>{dst}@{layer}")
            layout.cells[dummy.key] = dummy
            layout.layers[layer].append(dummy)
            layout.links.append((previous, dummy.key))
            previous = dummy.key
        layout.links.append((previous, dst))
    return layout


def _order(layout: _Layout) -> None:
    """Barycenter sweeps, down then up, to cut crossings."""
    above: dict[str, list[str]] = {key: [] for key in layout.cells}
    below: dict[str, list[str]] = {key: [] for key in layout.cells}
    for src, dst in layout.links:
        below[src].append(dst)
        above[dst].append(src)
    last = len(layout.layers) - 1
    for sweep in range(_SWEEPS):
        downward = sweep % 2 == 0
        for index in range(1, last + 1) if downward else range(last - 1, -1, -1):
            fixed = layout.layers[index - 1] if downward else layout.layers[index + 1]
            layout.layers[index] = _by_barycenter(layout.layers[index], fixed, above if downward else below)


def _by_barycenter(layer: list[_Cell], fixed: list[_Cell], links: dict[str, list[str]]) -> list[_Cell]:
    """A layer ordered by the mean position of its neighbours in the fixed layer (stable)."""
    position = {cell.key: i for i, cell in enumerate(fixed)}

    def barycenter(item: tuple[int, _Cell]) -> float:
        index, cell = item
        linked = [position[k] for k in links[cell.key] if k in position]
        return sum(linked) / len(linked) if linked else float(index)

    return [cell for _, cell in sorted(enumerate(layer), key=barycenter)]


def _place(layout: _Layout) -> None:
    """Each cell under the mean of its predecessors where it fits, left to right, boxes apart;
    centers on even columns in even layers and odd ones in odd layers."""
    above: dict[str, list[str]] = {key: [] for key in layout.cells}
    for src, dst in layout.links:
        above[dst].append(src)
    for index, layer in enumerate(layout.layers):
        free = 0
        for cell in layer:
            parents = [layout.cells[k].center for k in above[cell.key]]
            wanted = round(sum(parents) / len(parents)) - (0 if cell.dummy else cell.width // 2) if parents else 0
            cell.left = max(free, wanted)
            if cell.center % 2 != index % 2:
                cell.left += 1
            free = cell.left + cell.width + _GAP


def _draw(layout: _Layout, width: int) -> str:
    rows: list[list[str]] = []
    for index, layer in enumerate(layout.layers):
        rows.extend(_box_rows(layer, width, exits=index < len(layout.layers) - 1, layout=layout))
        if index < len(layout.layers) - 1:
            rows.extend(_gap_rows(layout, layer, width))
    return "\n".join("".join(row).rstrip() for row in rows)


def _box_rows(layer: list[_Cell], width: int, *, exits: bool, layout: _Layout) -> list[list[str]]:
    top, middle, bottom = ([" "] * width for _ in range(3))
    sources = {src for src, _ in layout.links}
    for cell in layer:
        if cell.dummy:
            for row in (top, middle, bottom):
                row[cell.left] = "│"
            continue
        style = _HEAVY if cell.critical else _LIGHT
        inner = cell.width - 2
        top[cell.left : cell.left + cell.width] = [style["tl"], *style["h"] * inner, style["tr"]]
        middle[cell.left : cell.left + cell.width] = [style["v"], *f" {cell.text} ", style["v"]]
        bottom[cell.left : cell.left + cell.width] = [style["bl"], *style["h"] * inner, style["br"]]
        if exits and cell.key in sources:
            bottom[cell.center] = style["exit"]
    return [top, middle, bottom]


def _gap_rows(layout: _Layout, layer: list[_Cell], width: int) -> list[list[str]]:
    keys = {cell.key for cell in layer}
    links = [(layout.cells[s], layout.cells[d]) for s, d in layout.links if s in keys]
    tracks = _tracks(links)
    height = max(tracks.values(), default=0) + 3  # a stub row, the tracks, the arrow row
    marks: list[list[set[str]]] = [[set() for _ in range(width)] for _ in range(height)]
    for (src, dst), track in ((link, tracks[i]) for i, link in enumerate(links)):
        row = track + 1
        for r in range(0, row):
            marks[r][src.center].update("NS")
        marks[row][src.center].add("N")
        for r in range(row + 1, height - 1):
            marks[r][dst.center].update("NS")
        marks[row][dst.center].add("S")
        low, high = sorted((src.center, dst.center))
        marks[row][low].add("E")
        marks[row][high].add("W")
        for c in range(low + 1, high):
            marks[row][c].update("EW")
    rows = [[_GLYPHS.get(frozenset(m), " ") if m else " " for m in line] for line in marks[:-1]]
    arrows = [" "] * width
    for _, dst in links:
        arrows[dst.center] = "│" if dst.dummy else "▼"
    return [*rows, arrows]


def _tracks(links: list[tuple[_Cell, _Cell]]) -> dict[int, int]:
    """One track per link, the longest spans highest (so short links cross nothing); links
    whose spans stay a column apart share a track."""
    spans = sorted(
        ((min(s.center, d.center), max(s.center, d.center), i) for i, (s, d) in enumerate(links)),
        key=lambda span: (span[0] - span[1], span[0]),
    )
    used: list[list[tuple[int, int]]] = []  # the spans on each track
    found: dict[int, int] = {}
    for low, high, index in spans:
        track = next(
            (t for t, taken in enumerate(used) if all(high + 1 < a or b + 1 < low for a, b in taken)), len(used)
        )
        if track == len(used):
            used.append([])
        used[track].append((low, high))
        found[index] = track
    return found
