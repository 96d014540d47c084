"""Tables with a Phase (or id) column: files touched, dependencies, durations, titles.

Columns are found by their header: Phase/ID/Step/Task; Module/File/Path/Component; Depends/
Dependencies/Blocked by/After/Requires; Est/Duration/Effort/Time; Title/Name/Description.
Any other cell is read as prose about the row's phase (``Depends on Phase 3``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mdplan.model import (
    DenialStated,
    DurationStated,
    EdgeStated,
    Fact,
    FileTouched,
    PhaseNamed,
    Pos,
    View,
    WindowStated,
)
from mdplan.parse import cues
from mdplan.parse.blocks import Block, Line
from mdplan.parse.durations import MINUTES_PER_WEEK, parse_duration
from mdplan.parse.files import paths_in
from mdplan.parse.ids import NAME_PREFIX, field_refs, normalize_name
from mdplan.parse.prose import read_clause
from mdplan.parse.refs import bare_ids, phase_label, strip_markup

_COLUMNS: dict[str, re.Pattern[str]] = {
    "phase": re.compile(r"^(?:phases?|id|#|step|stage|wave|tasks?|epic|story|item)$|phase", re.IGNORECASE),
    "file": re.compile(r"module|file|path|component|location", re.IGNORECASE),
    "depends": cues.DEPENDS_COLUMN,
    "duration": re.compile(r"^(?:est\.?|estimate[sd]?|duration|time|effort|hours|days|size|t-shirt)\b", re.IGNORECASE),
    "title": re.compile(r"^(?:title|name|description|task|goal)$", re.IGNORECASE),
    "week": re.compile(r"^(?:weeks?|tuần|周|週)$", re.IGNORECASE),
}
_NONE = cues.NONE_CELL
_PLURAL_UNITS = re.compile(r"^(?:phases|steps|stages|waves|tasks|epics|stories|items)$", re.IGNORECASE)
_COUNT = re.compile(r"\s*(?:\d{1,3}(?:,\d{3})+|\d+)\s*")


@dataclass(frozen=True, slots=True)
class _Row:
    ids: tuple[str, ...]
    cells: dict[str, Line]
    others: tuple[Line, ...]
    view: View | None


def read_table(block: Block) -> list[Fact]:
    if len(block.rows) < 2:
        return []
    columns = _unit_column(_columns([cell.text for cell in block.rows[0]]), block.rows[1:])
    if "phase" not in columns:
        return []
    counts = _counts_units(block.rows[0][columns["phase"]].text, columns)
    facts: list[Fact] = []
    for cells in block.rows[1:]:
        row = _row(cells, columns, block.view, counts)
        if row.ids:
            facts.extend(_row_facts(row))
    return facts


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        plain = strip_markup(name).strip()
        kind = next((k for k, pattern in _COLUMNS.items() if pattern.search(plain)), None)
        if kind and kind not in columns:
            columns[kind] = index
    return columns


def _unit_column(columns: dict[str, int], rows: tuple[tuple[Line, ...], ...]) -> dict[str, int]:
    """The unit column is where the dependency column points: the column whose cells the
    Depends cells name (``| schema-builder | … | Phase 1 | … | api-builder |``), whatever
    its header; without a Depends column, or when it names no cell, the header decides."""
    if "depends" not in columns:
        return columns
    wanted = {_ref_key(r) for row in rows for r in _depends_refs(row, columns)}
    scores = {
        index: sum(_cell_name(row[index].text) in wanted for row in rows if index < len(row))
        for index in range(max(len(row) for row in rows))
        if index != columns["depends"]
    }
    best = max(scores, key=lambda index: (scores[index], index == columns.get("phase")), default=None)
    if best is None or scores[best] == 0 or best == columns.get("phase"):
        return columns
    return {kind: index for kind, index in columns.items() if index != best} | {"phase": best}


def _depends_refs(row: tuple[Line, ...], columns: dict[str, int]) -> tuple[str, ...]:
    index = columns["depends"]
    return field_refs(row[index].text) if index < len(row) else ()


def _ref_key(ref: str) -> str:
    return normalize_name(ref.removeprefix(NAME_PREFIX)) if ref.startswith(NAME_PREFIX) else ref


def _cell_name(text: str) -> str:
    """A cell as a reference would name it: its id (``阶段 1`` -> ``1``), else its name."""
    ids = bare_ids(text)
    return ids[0] if len(ids) == 1 else normalize_name(strip_markup(text))


def _counts_units(header: str, columns: dict[str, int]) -> bool:
    """A unit column headed by a plural (``phases``) in a table that says nothing else about
    units (no depends, duration, file, week or title column) is a measurement: its numbers
    count units (a benchmark's ``| 100 |``), they are not ids. Lists (``1, 2``) stay ids."""
    return bool(_PLURAL_UNITS.match(strip_markup(header).strip())) and columns.keys() == {"phase"}


def _row(cells: tuple[Line, ...], columns: dict[str, int], view: View | None, counts: bool) -> _Row:
    """``counts``: the unit column counts units (:func:`_counts_units`): a lone number names none."""
    named = {kind: cells[index] for kind, index in columns.items() if index < len(cells)}
    others = tuple(cell for index, cell in enumerate(cells) if index not in columns.values())
    unit = named.get("phase")
    if unit is None or (counts and _COUNT.fullmatch(strip_markup(unit.text))):
        return _Row((), named, others, view)
    return _Row(_row_ids(unit.text), named, others, view)


def _row_ids(text: str) -> tuple[str, ...]:
    """Ids in the unit column, or, where it holds a name (``Planning & Setup``), its slug."""
    ids = bare_ids(text)
    if ids:
        return ids
    plain = strip_markup(text).strip()
    numbered = re.match(r"^(\d+[a-z]?(?:\.\d+)*)[.:)]?\s+\S", plain)
    if numbered:
        return (numbered[1],)
    slug = re.sub(r"[^\w]+", "-", plain.lower()).strip("-")
    return (slug,) if slug and not slug.isdigit() else ()


def _row_facts(row: _Row) -> list[Fact]:
    pos = Pos(row.cells["phase"].number, 1)
    title_cell = row.cells.get("title")
    title = strip_markup(title_cell.text).strip() if title_cell and len(row.ids) == 1 else None
    named = strip_markup(row.cells["phase"].text).strip()
    facts: list[Fact] = [
        PhaseNamed(ref, phase_label(ref) if bare_ids(named) else named, title or None, pos, None) for ref in row.ids
    ]
    facts.extend(_week_window(row, pos))
    facts.extend(_files(row, pos))
    facts.extend(_depends(row, pos))
    facts.extend(_duration(row, pos))
    for cell in row.others:
        facts.extend(read_clause(cell.text, row.ids, pos, row.view))
    return facts


def _files(row: _Row, pos: Pos) -> list[Fact]:
    cell = row.cells.get("file")
    if cell is None:
        return []
    text = cell.text.strip()
    paths = paths_in(text) or ([text.strip("`")] if text and " " not in text.strip("`") else [])
    return [FileTouched(ref, path, pos) for path in paths for ref in row.ids]


def _depends(row: _Row, pos: Pos) -> list[Fact]:
    cell = row.cells.get("depends")
    if cell is None:
        return []
    if _NONE.match(strip_markup(cell.text)):
        return [DenialStated(ref, "no_predecessors", (), cell.text, pos, row.view) for ref in row.ids]
    return [
        EdgeStated(src, dst, "stated", pos, row.view) for src in _cell_refs(cell.text) for dst in row.ids if src != dst
    ]


def _cell_refs(text: str) -> tuple[str, ...]:
    """``4a``, ``1, 2`` (bare numbers name phases in a dependency column), else the field's refs."""
    plain = strip_markup(text).strip()
    if re.fullmatch(r"[\d.,a-z\s&+-]+", plain) and re.search(r"\d", plain):
        return bare_ids(plain)
    return field_refs(text)


def _week_window(row: _Row, pos: Pos) -> list[Fact]:
    """A Week column: ``3`` is the third week, ``11-12`` the eleventh and twelfth."""
    cell = row.cells.get("week")
    match = re.fullmatch(r"\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*", cell.text) if cell else None
    if match is None or len(row.ids) != 1:
        return []
    first, last = int(match[1]), int(match[2] or match[1])
    start, end = (first - 1) * MINUTES_PER_WEEK, last * MINUTES_PER_WEEK
    return [WindowStated(row.ids[0], start, end, cell.text.strip() if cell else "", pos, row.view)]


# T-shirt sizes, in working time: documented in the README
SIZES = {"XS": 60.0, "S": 240.0, "M": 960.0, "L": 2400.0, "XL": 4800.0, "XXL": 9600.0}


def _duration(row: _Row, pos: Pos) -> list[Fact]:
    cell = row.cells.get("duration")
    text = strip_markup(cell.text).strip() if cell else ""
    if text.upper() in SIZES and len(row.ids) == 1:
        size = SIZES[text.upper()]
        return [DurationStated(row.ids[0], size, size, 0, text, pos)]
    minutes = parse_duration(text) if cell else None
    if minutes is None or len(row.ids) != 1 or cell is None:
        return []
    return [DurationStated(row.ids[0], minutes.low, minutes.high, 0, cell.text.strip(), pos)]
