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

from mdplan.model import patterns
from mdplan.parse.blocks import Line

Direction = str  # one of "N", "S", "E", "W"
STEP: dict[Direction, tuple[int, int]] = {"N": (-1, 0), "S": (1, 0), "E": (0, 1), "W": (0, -1)}
OPPOSITE: dict[Direction, Direction] = {"N": "S", "S": "N", "E": "W", "W": "E"}
TAB_STOP = 4
MAX_COLUMNS = 2000  # a wider line is data, not a drawing: it is not traced (MP112)


class Glyph(NamedTuple):
    ports: frozenset[Direction]
    points: str | None = None  # an arrowhead: the side it points to ("EW" for ``↔``: both)
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
    **_glyphs("↔⇄⇆⟷⇔⟺", "EW", points="EW"),  # mutual: a contradiction, never an edge
    **_glyphs("↕⇅⇵⇕", "NS", points="NS"),
}
# any connector glyph: a row's connectors found by one search rather than a look at every cell
_GLYPH_CHAR = patterns.compile("[" + "".join(re.escape(char) for char in sorted(GLYPHS)) + "]")
_WHITESPACE = patterns.compile(r"\s")
_NOT_WHITESPACE = patterns.compile(r"\S")
ASCII_HORIZONTAL = Glyph(frozenset("EW"))
ASCII_VERTICAL = Glyph(frozenset("NS"))
ASCII_RIGHT = Glyph(frozenset("EW"), "E")
ASCII_LEFT = Glyph(frozenset("EW"), "W")
ASCII_DOWN = Glyph(frozenset("NS"), "S")
ASCII_UP = Glyph(frozenset("NS"), "N")

_ASCII_ARROW = patterns.compile(r"<?(?<![-=])[-=]+>|<[-=]+")  # from a run's start only: linear
_LONE_HEAD = patterns.compile(r"^\s*[vV^](?:\s+[vV^|])*\s*$")


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


class Row:
    """One row of a drawing, kept as its characters and its connectors; a :class:`Cell` is made
    when asked for (a drawing of 16,000 lines has 740,000 cells)."""

    __slots__ = ("chars", "cols", "glyphs", "line", "text")

    def __init__(
        self, chars: list[str], glyphs: dict[int, Glyph], line: int, cols: Sequence[int], text: str | None = None
    ) -> None:
        self.chars = chars  # one per display column: "" after a wide character, marks joined
        self.glyphs = glyphs  # column -> connector
        self.line = line
        self.cols = cols  # column -> 1-based source column
        self.text = text  # the chars joined, where each is one character of the line (else None)

    def __len__(self) -> int:
        return len(self.chars)

    def __getitem__(self, c: int) -> Cell:
        return Cell(self.chars[c], self.line, self.cols[c], self.glyphs.get(c))

    def cells(self, first: int, stop: int) -> list[Cell]:
        return [self[c] for c in range(max(0, first), min(stop, len(self.chars)))]


class Grid:
    def __init__(self, lines: Sequence[Line]) -> None:
        self.rows: list[Row] = [_row(line) for line in lines]
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

    def within(self, r: int, c: int) -> bool:
        """Whether the cell is in the drawing (what ``cell`` answers, without making the cell)."""
        return 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r])

    def glyph(self, r: int, c: int) -> Glyph | None:
        """The connector at a cell; None for text, space, and the border of a boxed node (a
        connector is never in a text run: runs are made of text cells)."""
        glyph = self.rows[r].glyphs.get(c) if 0 <= r < len(self.rows) else None
        if glyph is None or (r, c) in self._box_at:
            return None
        return glyph

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
        """Every connector outside a boxed node, row by row, left to right."""
        return [
            (r, c, row[c]) for r, row in enumerate(self.rows) for c in sorted(row.glyphs) if (r, c) not in self._box_at
        ]

    def _add_box(self, box: Box) -> None:
        """A box drawn around text is one node: its border and inside belong to that node."""
        inside = [self.rows[r].cells(box.left + 1, box.right) for r in range(box.top + 1, box.bottom)]
        texts = ["".join(c.char for c in row).strip() for row in inside]
        first = next((c for row in inside for c in row if c.char.strip()), None)
        if first is None:
            return
        run = Run(
            len(self.runs), box.top + 1, box.left, box.right, " ".join(t for t in texts if t), first.line, first.col
        )
        self.runs.append(run)
        for r in range(box.top, box.bottom + 1):
            for c in range(box.left, box.right + 1):
                self._box_at[(r, c)] = run.index

    def _find_runs(self, r: int, row: Row) -> None:
        """Text runs: text cells outside boxes, a single space joining two parts (the space
        may lead to text inside a box, which ends the run after the space)."""
        boxed, glyphs = self._box_at, row.glyphs
        if row.text is not None and not boxed:
            mask = _mask(row.text, glyphs)
        else:
            mask = "".join(
                "x" if c in glyphs else " " if char.isspace() else "b" if boxed and (r, c) in boxed else "T"
                for c, char in enumerate(row.chars)
            )
        for run in _TEXT_RUN.finditer(mask):
            self._add_run(r, row, run.start(), run.end() - 1)

    def _add_run(self, r: int, row: Row, first: int, last: int) -> None:
        text = "".join(row.chars[first : last + 1])
        run = Run(len(self.runs), r, first, last, text.strip(), row.line, row.cols[first])
        self.runs.append(run)
        self._spans[r].append((first, last, run.index))
        self._firsts[r].append(first)


def _mask(text: str, glyphs: dict[int, Glyph]) -> str:
    """A row without boxes as ``_find_runs`` reads it: ``x`` a connector, a space, ``T`` text;
    made by whole-row substitutions, not a step per cell."""
    mask = _NOT_WHITESPACE.sub("T", _WHITESPACE.sub(" ", text))
    if not glyphs:
        return mask
    cells = list(mask)
    for c in glyphs:
        cells[c] = "x"
    return "".join(cells)


class Box(NamedTuple):
    top: int
    left: int
    bottom: int
    right: int


_TEXT_RUN = patterns.compile(r"T(?:T| (?=[Tb]))*")  # over a row's mask: T text, b text in a box, space

_TOP_LEFT, _TOP_RIGHT, _BOTTOM_LEFT, _BOTTOM_RIGHT = "┌╭┏╔", "┐╮┓╗", "└╰┗╚", "┘╯┛╝"
_BOX_HORIZONTAL = "─━═┬┴┼┯┷"
_BOX_VERTICAL = "│┃║├┤┼┝┥"


def find_boxes(rows: list[Row]) -> list[Box]:
    """Rectangles drawn with box corners: ``┌───┐ │ A │ └───┘``."""
    boxes = []
    for r, row in enumerate(rows):
        for c, char in enumerate(row.chars):
            if char in _TOP_LEFT:
                box = _box_from(rows, r, c)
                if box:
                    boxes.append(box)
    return boxes


def _is(rows: list[Row], r: int, c: int, chars: str) -> bool:
    char = rows[r].chars[c] if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else ""
    return len(char) == 1 and char in chars


def _box_from(rows: list[Row], top: int, left: int) -> Box | None:
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


def _row(line: Line) -> Row:
    text = line.text
    cols: Sequence[int]
    if "\t" not in text and not any(_is_wide(c) or _is_combining(c) for c in set(text)):
        chars, cols = list(text), range(line.col, line.col + len(text))
        glyphs = {m.start(): GLYPHS[m[0]] for m in _GLYPH_CHAR.finditer(text)}
        _mark_ascii(text, glyphs)
        return Row(chars, glyphs, line.number, cols, text)
    chars, cols = _display_columns(line)
    # a combining mark keeps the connector of the character it joins
    glyphs = {c: glyph for c, char in enumerate(chars) if (glyph := GLYPHS.get(char[:1])) is not None}
    _mark_ascii("".join(char[:1] or "\0" for char in chars), glyphs)
    return Row(chars, glyphs, line.number, cols)


def _display_columns(line: Line) -> tuple[list[str], list[int]]:
    """Tabs to stops of 4, wide characters over two cells, combining marks on the cell before."""
    chars: list[str] = []
    cols: list[int] = []
    for offset, char in enumerate(line.text):
        col = line.col + offset
        if char == "\t":
            width = TAB_STOP - len(chars) % TAB_STOP
            chars.extend(" " * width)
            cols.extend([col] * width)
        elif _is_combining(char) and chars:
            chars[-1] += char
        else:
            chars.append(char)
            cols.append(col)
            if _is_wide(char):
                chars.append("")
                cols.append(col)
    return chars, cols


def may_draw(text: str) -> bool:
    """Whether a line can hold a connector: a cheap test before a grid is built. ASCII text
    connects only through ``|``, ``->``/``<-`` runs and lone ``v``/``^`` rows; any other text is
    left to the grid (tabs, wide characters and combining marks change its cells)."""
    return not text.isascii() or "|" in text or bool(_ASCII_ARROW.search(text) or _LONE_HEAD.match(text))


def _mark_ascii(flat: str, glyphs: dict[int, Glyph]) -> None:
    """ASCII connectors: ``->``, ``-->``, ``==>``, ``<-``, ``|``, and lone ``v``/``^`` rows, in
    ``flat``: a row's cells, one character each."""
    for arrow in _ASCII_ARROW.finditer(flat):
        for c in range(arrow.start(), arrow.end()):
            glyphs[c] = {">": ASCII_RIGHT, "<": ASCII_LEFT}.get(flat[c], ASCII_HORIZONTAL)
    if _LONE_HEAD.match(flat):
        for c, char in enumerate(flat):
            if char == "|":
                glyphs[c] = ASCII_VERTICAL
            elif char in "vV^":
                glyphs[c] = ASCII_UP if char == "^" else ASCII_DOWN
        return
    c = flat.find("|")
    while c >= 0:  # the bars only, not every cell
        glyphs[c] = ASCII_VERTICAL
        c = flat.find("|", c + 1)
