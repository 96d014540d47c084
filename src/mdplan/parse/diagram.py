"""Diagrams in code blocks: traced arrows between nodes, contracted to edges between phases.

Nodes are runs of text the arrows reach. A node that opens with a phase reference is that
phase (``Phase 2 (5 min)``, ``[Phase 4b: Integration Tests]``, ``Phase 3 Start``) or, for a
group ``{Phase 2, Phase 3}``, each of them. Other nodes are *steps* (``Define multipart
types``, ``Total: 38 minutes``): arrows pass through them, so ``Phase 3 → step → Phase 5``
is the edge 3 → 5. A note pointed at a phase from its right (``Phase 4 ← Waits for Phase 3``)
is read as prose about that phase. An arrow that reaches text on one side only is a warning.
An arrow both ways between units (``Phase 1 ↔ Phase 2``, ``<->``, ``⇄``) is a contradiction:
a warning (MP117) and no edge. Outside code, a paragraph or list-item line that is a chain
of unit labels joined by arrows is read the same way, as a one-row drawing.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import replace

from mdplan.model import EdgeStated, Fact, Note, Pos, View, patterns
from mdplan.parse.blocks import Block, Line
from mdplan.parse.grid import MAX_COLUMNS, Grid, Run, may_draw
from mdplan.parse.labels import is_chain, label_facts, unescaped_arrows
from mdplan.parse.prose import read_clause
from mdplan.parse.refs import Label, parse_label, phase_label
from mdplan.parse.trace import Arrow, Dangling, trace

UNTRACED = "MP103"
MUTUAL = "MP117"
TOO_WIDE = "MP112"
_TREE_ENTRY = patterns.compile(r"^[\s│|]*[├└]──")
_AXIS = patterns.compile(r"^\s*[^\W\d_]+\s*[→↓←↑▶▼►]\s*[\d\s.,|]*$")


def read_diagram(block: Block) -> list[Fact]:
    """Recognizer for code blocks. Lines wider than ``MAX_COLUMNS`` are not drawings (a limit
    that keeps tracing linear on any input): they are left out, with a note."""
    wide = [line for line in block.lines if len(line.text) > MAX_COLUMNS]
    notes: list[Fact] = [
        Note(
            TOO_WIDE,
            "info",
            f"line of {len(line.text)} characters is not traced as a diagram (limit {MAX_COLUMNS})",
            Pos(line.number, 1),
        )
        for line in wide
    ]
    lines = tuple(line for line in block.lines if len(line.text) <= MAX_COLUMNS)
    if not any(may_draw(line.text) for line in lines):  # no connector: nothing to trace (code, data)
        return notes
    return notes + _traced(block, lines)


def read_chains(block: Block) -> list[Fact]:
    """Recognizer for paragraphs and list items: a line that is a chain of unit labels joined
    by arrows (``Phase 1 (10 min) -> Phase 2 (5 min)``, ``T001 → T002``) is the one-row drawing
    it would be in a code block, and is read as one. Arrows with anything but a unit label on
    a side (``72% → 85%``, ``FK → id``, `` `old` → `new` ``, ``Weeks →``) are prose."""
    facts: list[Fact] = []
    for line in block.lines:
        if is_chain(line.text):
            facts.extend(_traced(block, (replace(line, text=unescaped_arrows(line.text)),)))
    return facts


def _traced(block: Block, lines: tuple[Line, ...]) -> list[Fact]:
    grid = Grid(lines)
    arrows, dangling = trace(grid)
    mutual = [d for d in dangling if d.mutual and len(_labels(grid, d.runs)) > 1]
    facts = _dangling_notes([d for d in dangling if d not in mutual], grid, lines)
    facts.extend(_mutual_notes(mutual, grid))
    nodes = {
        i: parse_label(grid.runs[i].text, strict=False, generic=True) for a in arrows for i in (a.source, a.target)
    }
    nodes.update({i: parse_label(grid.runs[i].text, strict=False, generic=True) for d in mutual for i in d.runs})
    if not nodes:
        return facts
    arrows, notes = _split_notes(arrows, grid, nodes)
    facts.extend(notes_facts(notes, grid, nodes, block.view))
    for index, label in sorted(nodes.items()):
        if label is not None:
            run = grid.runs[index]
            facts.extend(_as_drawn(label_facts(label, run.text, Pos(run.line, run.col), block.view)))
    facts.extend(_contracted_edges(arrows, grid, nodes, block.view))
    return facts


def _dangling_notes(dangling: list[Dangling], grid: Grid, lines: tuple[Line, ...]) -> list[Fact]:
    """MP103 for an arrow that reaches a unit on one side only; axes (``Weeks →  1  2``), notes
    in file trees and arrows between plain words are no dependency."""
    texts = {line.number: line.text for line in lines}
    return [
        Note(UNTRACED, "warning", "arrow reaches no node on one side; it was not read", Pos(d.line, d.col))
        for d in dangling
        if not _AXIS.match(texts.get(d.line, ""))
        and not _TREE_ENTRY.match(texts.get(d.line, ""))
        and any(parse_label(grid.runs[i].text, strict=False, generic=True) for i in d.runs)
    ]


def _labels(grid: Grid, runs: tuple[int, ...]) -> list[Label]:
    return [label for i in runs if (label := parse_label(grid.runs[i].text, strict=False, generic=True))]


def _mutual_notes(mutual: list[Dangling], grid: Grid) -> list[Fact]:
    """``Phase 1 ↔ Phase 2``: each waits for the other, which no schedule can do (MP117)."""
    facts: list[Fact] = []
    for arrow in mutual:
        names = [", ".join(phase_label(ref) for ref in label.ids) for label in _labels(grid, arrow.runs)]
        message = f"{' ↔ '.join(names)}: a mutual dependency; which comes first?"
        facts.append(Note(MUTUAL, "warning", message, Pos(arrow.line, arrow.col)))
    return facts


def _as_drawn(facts: list[Fact]) -> list[Fact]:
    """Dependencies written inside a diagram (``[waits for Phase 2]``) are part of the drawing."""
    return [replace(f, kind="drawn") if isinstance(f, EdgeStated) else f for f in facts]


def _split_notes(arrows: list[Arrow], grid: Grid, nodes: dict[int, Label | None]) -> tuple[list[Arrow], list[Arrow]]:
    """Arrows from a note on a phase's right, pointing back at it, are notes, not flow."""
    flow: list[Arrow] = []
    notes: list[Arrow] = []
    for arrow in arrows:
        source, target = grid.runs[arrow.source], grid.runs[arrow.target]
        is_note = nodes[arrow.source] is None and nodes[arrow.target] is not None and _right_of(source, target)
        (notes if is_note else flow).append(arrow)
    return flow, notes


def _right_of(run: Run, other: Run) -> bool:
    return run.row == other.row and run.first > other.last


def notes_facts(notes: list[Arrow], grid: Grid, nodes: dict[int, Label | None], view: View | None) -> list[Fact]:
    facts: list[Fact] = []
    for arrow in notes:
        label = nodes[arrow.target]
        assert label is not None
        facts.extend(_as_drawn(read_clause(grid.runs[arrow.source].text, label.ids, Pos(arrow.line, arrow.col), view)))
    return facts


def _contracted_edges(arrows: list[Arrow], grid: Grid, nodes: dict[int, Label | None], view: View | None) -> list[Fact]:
    """Edges between phase nodes, through step nodes; each at the position of its target node."""
    successors: dict[int, list[Arrow]] = defaultdict(list)
    for arrow in arrows:
        successors[arrow.source].append(arrow)
    for arrow in _imports(arrows, grid, nodes):
        successors[arrow.source].append(arrow)
        successors[arrow.target].remove(arrow._replace(source=arrow.target, target=arrow.source))
    facts: list[Fact] = []
    for start, label in sorted(nodes.items()):
        if label is not None:
            for arrow, reached in _reachable_phases(start, successors, nodes):
                target = grid.runs[arrow.target]
                facts.extend(
                    EdgeStated(src, dst, "drawn", Pos(target.line, target.col), view)
                    for src in label.ids
                    for dst in reached.ids
                    if src != dst
                )
    return facts


_IMPORTS = patterns.compile(r"\b(?:imports?|uses?|needs?|requires?|depends\s+on|extends|builds\s+on)\b", re.IGNORECASE)


def _imports(arrows: list[Arrow], grid: Grid, nodes: dict[int, Label | None]) -> list[Arrow]:
    """``A ← B (imports A)``: the arrow points at what B uses, so A comes first: reversed."""
    found = []
    for arrow in arrows:
        source, label = grid.runs[arrow.source], nodes[arrow.source]
        if label and _right_of(source, grid.runs[arrow.target]) and _IMPORTS.search(label.body):
            found.append(arrow._replace(source=arrow.target, target=arrow.source))
    return found


def _reachable_phases(
    start: int, successors: dict[int, list[Arrow]], nodes: dict[int, Label | None]
) -> list[tuple[Arrow, Label]]:
    """The phase nodes reachable from ``start`` through step nodes only."""
    found: list[tuple[Arrow, Label]] = []
    seen = {start}
    queue = deque([start])
    while queue:
        for arrow in successors[queue.popleft()]:
            if arrow.target in seen:
                continue
            seen.add(arrow.target)
            label = nodes[arrow.target]
            if label is not None:
                found.append((arrow, label))
            else:
                queue.append(arrow.target)
    return found
