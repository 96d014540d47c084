"""A code block as a 2-D grid of display cells, each cell a connector glyph, text or space.

Columns are display columns: tabs expand to stops of 4, wide characters (CJK, most emoji)
take two cells, combining marks join the cell before them. Every cell remembers its source
column so diagnostics point into the file.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from mdplan.parse.blocks import Line

Direction = str  # one of "N", "S", "E", "W"
STEP: dict[Direction, tuple[int, int]] = {"N": (-1, 0), "S": (1, 0), "E": (0, 1), "W": (0, -1)}
OPPOSITE: dict[Direction, Direction] = {"N": "S", "S": "N", "E": "W", "W": "E"}
TAB_STOP = 4


class Glyph(NamedTuple):
    ports: frozenset[Direction]
    points: Direction | None = None  # an arrowhead: the side it points to
    junction: bool = False  # a branch glyph that may take text on its left (``Phase 3 ├→``)


def _glyphs(chars: str, ports: str, points: str | None = None, junction: bool = False) -> dict[str, Glyph]:
    return dict.fromkeys(chars, Glyph(frozenset(ports), points, junction))


GLYPHS: dict[str, Glyph] = {
    **_glyphs("─━═╌╍┄┅┈┉", "EW"),
    **_glyphs("│┃║╎╏┆┇┊┋", "NS"),
    **_glyphs("├┣╟╠┝┠", "NSE", junction=True),
    **_glyphs("┤┫╢╣┥┨", "NSW", junction=True),
    **_glyphs("┌┏╭╔┍┎", "SE"),
    **_glyphs("┐┓╮╗┑┒", "SW"),
    **_glyphs("└┗╰╚┕┖", "NE"),
    **_glyphs("┘┛╯╝┙┚", "NW"),
    **_glyphs("┬┳╦┯┰", "EWS"),
    **_glyphs("┴┻╩┷┸", "EWN"),
    **_glyphs("┼╋╬┿╂", "NSEW", junction=True),
    **_glyphs("→▶►⟶➜➔➝➞⇒⟹▸", "EW", points="E"),
    **_glyphs("←◀◄⟵⇐⟸◂", "EW", points="W"),
    **_glyphs("↓▼⇓▾", "NS", points="S"),
    **_glyphs("↑▲⇑▴", "NS", points="N"),
}
ASCII_HORIZONTAL = Glyph(frozenset("EW"))
ASCII_VERTICAL = Glyph(frozenset("NS"))
ASCII_RIGHT = Glyph(frozenset("EW"), "E")
ASCII_LEFT = Glyph(frozenset("EW"), "W")
ASCII_DOWN = Glyph(frozenset("NS"), "S")
ASCII_UP = Glyph(frozenset("NS"), "N")

_ASCII_ARROW = re.compile(r"<?[-=]+>|<[-=]+")
_LONE_HEAD = re.compile(r"^\s*[vV^](?:\s+[vV^|])*\s*$")


class Cell(NamedTuple):
    """One column of a drawing (a tuple: a drawing has one per character, made in bulk)."""

    char: str
    line: int
    col: int  # 1-based source column
    glyph: Glyph | None  # None: text


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text on one row (single spaces inside): a node candidate."""

    index: int
    row: int
    first: int
    last: int
    text: str
    line: int
    col: int


class Grid:
    def __init__(self, lines: Sequence[Line]) -> None:
        self.rows: list[list[Cell | None]] = [_row_cells(line) for line in lines]
        self.runs: list[Run] = []
        self._box_at: dict[tuple[int, int], int] = {}  # every cell of a boxed node (boxes are few)
        self._spans: list[list[tuple[int, int, int]]] = [[] for _ in self.rows]  # per row: runs
        self._firsts: list[list[int]] = [[] for _ in self.rows]  # per row: each run's first column
        for box in find_boxes(self.rows):
            self._add_box(box)
        for r, row in enumerate(self.rows):
            self._find_runs(r, row)

    def cell(self, r: int, c: int) -> Cell | None:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def glyph(self, r: int, c: int) -> Glyph | None:
        """The connector at a cell; None for text, space, and the border of a boxed node."""
        cell = self.cell(r, c)
        if cell is None or self._index_at(r, c) is not None:
            return None
        return cell.glyph

    def run_at(self, r: int, c: int) -> Run | None:
        index = self._index_at(r, c)
        return None if index is None else self.runs[index]

    def _index_at(self, r: int, c: int) -> int | None:
        """The run a cell belongs to: a text run of its row (found by bisection; a row's runs do
        not overlap and come in column order), else the boxed node around it."""
        if 0 <= r < len(self._spans) and self._spans[r]:
            i = bisect.bisect_right(self._firsts[r], c) - 1
            if i >= 0 and self._spans[r][i][1] >= c:
                return self._spans[r][i][2]
        return self._box_at.get((r, c)) if self._box_at else None

    def connectors(self) -> list[tuple[int, int, Cell]]:
        return [
            (r, c, cell)
            for r, row in enumerate(self.rows)
            for c, cell in enumerate(row)
            if cell is not None and cell.glyph is not None and self._index_at(r, c) is None
        ]

    def _add_box(self, box: Box) -> None:
        """A box drawn around text is one node: its border and inside belong to that node."""
        inside = [self.rows[r][box.left + 1 : box.right] for r in range(box.top + 1, box.bottom)]
        texts = ["".join(c.char if c else " " for c in row).strip() for row in inside]
        first = next((c for row in inside for c in row if c and c.char.strip()), None)
        if first is None:
            return
        run = Run(
            len(self.runs), box.top + 1, box.left, box.right, " ".join(t for t in texts if t), first.line, first.col
        )
        self.runs.append(run)
        for r in range(box.top, box.bottom + 1):
            for c in range(box.left, box.right + 1):
                self._box_at[(r, c)] = run.index

    def _find_runs(self, r: int, row: list[Cell | None]) -> None:
        """Text runs: text cells outside boxes, a single space joining two parts (the space
        may lead to text inside a box, which ends the run after the space)."""
        boxed = self._box_at
        mask = "".join(
            "x"
            if cell is None or cell.glyph is not None
            else " "
            if cell.char.isspace()
            else "b"
            if boxed and (r, c) in boxed
            else "T"
            for c, cell in enumerate(row)
        )
        for run in _TEXT_RUN.finditer(mask):
            self._add_run(r, row, run.start(), run.end() - 1)

    def _add_run(self, r: int, row: list[Cell | None], first: int, last: int) -> None:
        text = "".join(cell.char if cell else " " for cell in row[first : last + 1])
        head = row[first]
        assert head is not None
        run = Run(len(self.runs), r, first, last, text.strip(), head.line, head.col)
        self.runs.append(run)
        self._spans[r].append((first, last, run.index))
        self._firsts[r].append(first)


class Box(NamedTuple):
    top: int
    left: int
    bottom: int
    right: int


_TEXT_RUN = re.compile(r"T(?:T| (?=[Tb]))*")  # over Grid._mask: T text, b text in a box, space

_TOP_LEFT, _TOP_RIGHT, _BOTTOM_LEFT, _BOTTOM_RIGHT = "┌╭┏╔", "┐╮┓╗", "└╰┗╚", "┘╯┛╝"
_BOX_HORIZONTAL = "─━═┬┴┼┯┷"
_BOX_VERTICAL = "│┃║├┤┼┝┥"


def find_boxes(rows: list[list[Cell | None]]) -> list[Box]:
    """Rectangles drawn with box corners: ``┌───┐ │ A │ └───┘``."""
    boxes = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell is not None and cell.char in _TOP_LEFT:
                box = _box_from(rows, r, c)
                if box:
                    boxes.append(box)
    return boxes


def _is(rows: list[list[Cell | None]], r: int, c: int, chars: str) -> bool:
    cell = rows[r][c] if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else None
    return cell is not None and len(cell.char) == 1 and cell.char in chars


def _box_from(rows: list[list[Cell | None]], top: int, left: int) -> Box | None:
    right = left + 1
    while _is(rows, top, right, _BOX_HORIZONTAL):
        right += 1
    if not _is(rows, top, right, _TOP_RIGHT) or right == left + 1:
        return None
    bottom = top + 1
    while _is(rows, bottom, left, _BOX_VERTICAL):
        bottom += 1
    if not (_is(rows, bottom, left, _BOTTOM_LEFT) and _is(rows, bottom, right, _BOTTOM_RIGHT)):
        return None
    sides = all(_is(rows, r, right, _BOX_VERTICAL) for r in range(top + 1, bottom))
    base = all(_is(rows, bottom, c, _BOX_HORIZONTAL) for c in range(left + 1, right))
    return Box(top, left, bottom, right) if sides and base and bottom > top + 1 else None


@functools.lru_cache(maxsize=8192)
def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


@functools.lru_cache(maxsize=8192)
def _is_combining(char: str) -> bool:
    return bool(unicodedata.combining(char))


def _row_cells(line: Line) -> list[Cell | None]:
    if "\t" not in line.text and not any(_is_wide(c) or _is_combining(c) for c in set(line.text)):
        narrow: list[Cell | None] = [
            Cell(char, line.number, line.col + offset, GLYPHS.get(char)) for offset, char in enumerate(line.text)
        ]
        _mark_ascii(narrow)
        return narrow
    cells: list[Cell | None] = []
    for offset, char in enumerate(line.text):
        col = line.col + offset
        if char == "\t":
            cells.extend(Cell(" ", line.number, col, None) for _ in range(TAB_STOP - len(cells) % TAB_STOP))
        elif _is_combining(char) and cells and cells[-1] is not None:
            last = cells[-1]
            cells[-1] = Cell(last.char + char, last.line, last.col, last.glyph)
        else:
            cells.append(Cell(char, line.number, col, GLYPHS.get(char)))
            if _is_wide(char):
                cells.append(Cell("", line.number, col, None))
    _mark_ascii(cells)
    return cells


def _mark_ascii(cells: list[Cell | None]) -> None:
    """ASCII connectors: ``->``, ``-->``, ``==>``, ``<-``, ``|``, and lone ``v``/``^`` rows."""
    flat = "".join((cell.char[:1] or "\0") if cell else " " for cell in cells)
    for arrow in _ASCII_ARROW.finditer(flat):
        for c in range(arrow.start(), arrow.end()):
            head = {">": ASCII_RIGHT, "<": ASCII_LEFT}.get(flat[c], ASCII_HORIZONTAL)
            cells[c] = _with_glyph(cells[c], head)
    lone_heads = bool(_LONE_HEAD.match(flat))
    for c, char in enumerate(flat):
        if char == "|":
            cells[c] = _with_glyph(cells[c], ASCII_VERTICAL)
        elif lone_heads and char in "vV^":
            cells[c] = _with_glyph(cells[c], ASCII_UP if char == "^" else ASCII_DOWN)


def _with_glyph(cell: Cell | None, glyph: Glyph) -> Cell | None:
    return Cell(cell.char, cell.line, cell.col, glyph) if cell else None
