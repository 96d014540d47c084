"""Tables with a Phase (or id) column: files touched, dependencies, durations, titles.

Columns are found by their header: Phase/ID/Step/Task; Module/File/Path/Component; Depends/
Dependencies/Blocked by/After/Requires; Est/Duration/Effort/Time; Title/Name/Description.
Any other cell is read as prose about the row's phase (``Depends on Phase 3``).

Schedules (``_scheduled``, one duration per row, the first of these that the row has):

- a bare number in a column whose header names a unit: ``Days`` ``3``, ``Duration (hours)``
  ``1.5`` (a cell with its own unit, ``2d``, is read as written);
- Start and End columns (also Begin/From, Finish/Due/Until, ``… Date``): the working days from
  start to end, Monday to Friday, both ends included, 8 h each (dates: ``parse.dates``);
- PERT columns Optimistic / Most likely / Pessimistic (also Best / Likely / Worst, ``O``,
  ``M``, ``P``): the row's own Expected (``TE``, ``E``) cell, else (O + 4M + P) / 6; numbers
  take the unit of their header, or of any PERT header; with no unit anywhere, no duration;
- a Window column, or a window in the duration column: ``D1 Hr 2 – D1 Hr 4``, ``Week 2-3``.
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
    patterns,
)
from mdplan.model.vocabulary import MINUTES_PER_DAY, MINUTES_PER_WEEK
from mdplan.parse import cues
from mdplan.parse.blocks import Block, Line
from mdplan.parse.dates import read_date, to_date, working_days, year_of
from mdplan.parse.durations import NUMBER, UNIT_PATTERN, parse_duration, unit_minutes
from mdplan.parse.files import paths_in
from mdplan.parse.ids import NAME_PREFIX, UNITS, field_refs, normalize_name
from mdplan.parse.prose import read_clause
from mdplan.parse.refs import bare_ids, phase_label, strip_markup, unit_window

_UNIT_NOTE = r"(?:\s*\([^()]*\))?"  # ``Optimistic (days)``
_COLUMNS: dict[str, re.Pattern[str] | cues.CuePattern] = {
    # a unit word of any language (``Milestone``, ``Sprint``, ``Etapa``, ``阶段``), or an id column
    "phase": patterns.compile(
        r"^(?:" + "|".join(u.word for u in UNITS) + r"|id|#|story|item|ticket|issue|key|ref)$|phase", re.IGNORECASE
    ),
    "file": patterns.compile(r"module|file|path|component|location", re.IGNORECASE),
    "depends": cues.DEPENDS_COLUMN,
    "duration": cues.DURATION_COLUMN,
    "title": patterns.compile(r"^(?:title|name|description|task|goal)$", re.IGNORECASE),
    "week": patterns.compile(r"^(?:weeks?|tuần|周|週)$", re.IGNORECASE),
    # schedules: dates, PERT estimates, hour windows (``_scheduled``)
    "start": patterns.compile(rf"^(?:start|starts|begin|begins|from)(?:\s+date)?{_UNIT_NOTE}$", re.IGNORECASE),
    "end": patterns.compile(rf"^(?:end|ends|finish|finishes|due|until)(?:\s+date)?{_UNIT_NOTE}$", re.IGNORECASE),
    "optimistic": patterns.compile(rf"^(?:optimistic|best(?:[\s-]case)?|o){_UNIT_NOTE}$", re.IGNORECASE),
    "likely": patterns.compile(rf"^(?:most[\s-]likely|likely|realistic|nominal|m){_UNIT_NOTE}$", re.IGNORECASE),
    "pessimistic": patterns.compile(rf"^(?:pessimistic|worst(?:[\s-]case)?|p){_UNIT_NOTE}$", re.IGNORECASE),
    "expected": patterns.compile(rf"^(?:expected(?:\s+(?:duration|time|effort))?|te|e){_UNIT_NOTE}$", re.IGNORECASE),
    "window": patterns.compile(r"^(?:window|slot|schedule|when)$", re.IGNORECASE),
}
_NONE = cues.NONE_CELL
_BARE_NUMBER = patterns.compile(r"\d+[a-z]?")
_SHORT_ID = patterns.compile(r"[A-Z]{1,4}\d{1,4}[a-zA-Z]?(?![\w-])")
_TITLE_AFTER_ID = patterns.compile(r"\s*[:.–—-]\s+\S|\s+\S")
_PLURAL_UNITS = patterns.compile(r"^(?:phases|steps|stages|waves|tasks|epics|stories|items)$", re.IGNORECASE)
_COUNT = patterns.compile(r"\s*(?:\d{1,3}(?:,\d{3})+|\d+)\s*")


@dataclass(frozen=True, slots=True)
class _Row:
    ids: tuple[str, ...]
    cells: dict[str, Line]
    others: tuple[Line, ...]
    view: View | None
    prefix: str = ""  # bare numbers name units of this kind (``step-``)


def read_table(block: Block) -> list[Fact]:
    if len(block.rows) < 2:
        return []
    columns = _unit_column(_columns([cell.text for cell in block.rows[0]]), block.rows[1:])
    if "phase" not in columns:
        return []
    header = block.rows[0][columns["phase"]].text
    counts = _counts_units(header, columns)
    prefix = _id_prefix(header)
    facts: list[Fact] = []
    schedule = _Schedule.of(block.rows, columns)
    for cells in block.rows[1:]:
        row = _row(cells, columns, block.view, counts, prefix)
        if row.ids:
            facts.extend(_row_facts(row))
            facts.extend(_scheduled(row, schedule))
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
        index: sum(bool(_cell_keys(row[index].text) & wanted) for row in rows if index < len(row))
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


def _cell_keys(text: str) -> set[str]:
    """A cell as references would name it: its ids (``阶段 1`` -> ``1``; ``1, 2``), else its name."""
    return set(bare_ids(text)) or {normalize_name(strip_markup(text))}


def _counts_units(header: str, columns: dict[str, int]) -> bool:
    """A unit column headed by a plural (``phases``) in a table that says nothing else about
    units (no depends, duration, file, week or title column) is a measurement: its numbers
    count units (a benchmark's ``| 100 |``), they are not ids. Lists (``1, 2``) stay ids."""
    return bool(_PLURAL_UNITS.match(strip_markup(header).strip())) and columns.keys() == {"phase"}


def _id_prefix(header: str) -> str:
    """``| Step | …`` over ``| 3 |``: the number names Step 3 (``step-3``), not Phase 3."""
    words = strip_markup(header).strip()
    unit = next((u for u in UNITS if re.fullmatch(u.word, words, re.IGNORECASE)), None)
    return unit.prefix if unit and unit.prefix.endswith("-") else ""


def _with_prefix(ids: tuple[str, ...], prefix: str) -> tuple[str, ...]:
    return tuple(prefix + i if prefix and _BARE_NUMBER.fullmatch(i) else i for i in ids)


def _row(cells: tuple[Line, ...], columns: dict[str, int], view: View | None, counts: bool, prefix: str) -> _Row:
    """``counts``: the unit column counts units (:func:`_counts_units`): a lone number names none;
    ``prefix``: the unit its header names (:func:`_id_prefix`)."""
    named = {kind: cells[index] for kind, index in columns.items() if index < len(cells)}
    others = tuple(cell for index, cell in enumerate(cells) if index not in columns.values())
    unit = named.get("phase")
    if unit is None or (counts and _COUNT.fullmatch(strip_markup(unit.text))):
        return _Row((), named, others, view)
    return _Row(_with_prefix(_row_ids(unit.text), prefix), named, others, view, prefix)


def _row_ids(text: str) -> tuple[str, ...]:
    """Ids in the unit column, or, where it holds a name (``Planning & Setup``), its slug."""
    ids = bare_ids(text)
    if ids:
        return ids
    plain = strip_markup(text).strip().strip("`")
    short = _SHORT_ID.match(plain)  # ``M1``, ``T1 – Data model``: the id as headings and diagrams write it
    if short and (short.end() == len(plain) or _TITLE_AFTER_ID.match(plain, short.end())):
        return (short[0],)
    numbered = re.match(r"^(\d+[a-z]?(?:\.\d+)*)[.:)]?\s+\S", plain)
    if numbered:
        return (numbered[1],)
    slug = re.sub(r"[^\w]+", "-", plain.lower()).strip("-")
    return (slug,) if slug and not slug.isdigit() else ()


def _row_facts(row: _Row) -> list[Fact]:
    pos = Pos(row.cells["phase"].number, 1)
    title_cell = row.cells.get("title")
    title = strip_markup(title_cell.text).strip() if title_cell and len(row.ids) == 1 else None
    named = strip_markup(row.cells["phase"].text).strip().strip("`")
    if len(row.ids) == 1 and named.startswith(row.ids[0]) and named != row.ids[0]:  # ``T1 – Data model``
        title = title or named[len(row.ids[0]) :].strip(" :.–—-") or None
        named = row.ids[0]
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
        EdgeStated(src, dst, "stated", pos, row.view)
        for src in _with_prefix(_cell_refs(cell.text), row.prefix)
        for dst in row.ids
        if src != dst
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


# --- schedules: units from headers, Start/End dates, PERT, windows -----------------------

_PERT = ("optimistic", "likely", "pessimistic")
_HEADER_UNIT = patterns.compile(rf"(?<![^\W\d_])(?P<unit>{UNIT_PATTERN})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Schedule:
    """What a table's header and date cells say once for all its rows."""

    units: dict[str, float]  # column kind -> minutes per bare number, from its header
    year: int  # for dates written without one

    @classmethod
    def of(cls, rows: tuple[tuple[Line, ...], ...], columns: dict[str, int]) -> _Schedule:
        header = rows[0]
        units = {kind: _header_unit(header[index].text) for kind, index in columns.items() if index < len(header)}
        shared = next((u for kind in (*_PERT, "expected") if (u := units.get(kind)) is not None), None)
        found = {
            kind: shared if unit is None and kind in (*_PERT, "expected") else unit for kind, unit in units.items()
        }
        dates = [
            written
            for row in rows[1:]
            for kind in ("start", "end")
            if kind in columns and columns[kind] < len(row) and (written := read_date(row[columns[kind]].text))
        ]
        return cls({kind: unit for kind, unit in found.items() if unit is not None}, year_of(dates))


def _header_unit(text: str) -> float | None:
    """``Days``, ``Duration (days)``, ``Est. (h)``, ``Optimistic (hours)``: the unit of bare numbers."""
    match = _HEADER_UNIT.search(strip_markup(text))
    return unit_minutes(match["unit"]) if match else None


def _scheduled(row: _Row, schedule: _Schedule) -> list[Fact]:
    """Durations a table states through its header or several cells (one unit per row)."""
    if len(row.ids) != 1:
        return []
    pos = Pos(row.cells["phase"].number, 1)
    for reader in (_bare_duration, _dated, _pert, _window):
        facts = reader(row, schedule, pos)
        if facts:
            return facts
    return []


def _cell_minutes(row: _Row, kind: str, schedule: _Schedule) -> float | None:
    """A cell's length: ``2d`` as written, a bare ``2`` in the unit of its header."""
    cell = row.cells.get(kind)
    text = strip_markup(cell.text).strip() if cell else ""
    written = parse_duration(text)
    if written is not None:
        return (written.low + written.high) / 2
    unit = schedule.units.get(kind)
    return float(text) * unit if unit is not None and re.fullmatch(NUMBER, text) else None


def _bare_duration(row: _Row, schedule: _Schedule, pos: Pos) -> list[Fact]:
    """``| Task | Days |`` with ``3``: three days (a cell with its own unit is ``_duration``'s)."""
    cell = row.cells.get("duration")
    if cell is None or parse_duration(strip_markup(cell.text).strip()) is not None:
        return []
    minutes = _cell_minutes(row, "duration", schedule)
    return [DurationStated(row.ids[0], minutes, minutes, 0, cell.text.strip(), pos)] if minutes is not None else []


def _dated(row: _Row, schedule: _Schedule, pos: Pos) -> list[Fact]:
    """``| T1 | 2026-03-02 | 2026-03-06 |``: working days from start to end, both included."""
    start, end = row.cells.get("start"), row.cells.get("end")
    first = read_date(start.text) if start else None
    last = read_date(end.text) if end else None
    if first is None or last is None or "duration" in row.cells:
        return []
    begins, ends = to_date(first, schedule.year), to_date(last, schedule.year)
    days = working_days(begins, ends) if begins and ends else 0
    if days == 0:
        return []
    written = f"{start.text.strip()} – {end.text.strip()}" if start and end else ""
    return [DurationStated(row.ids[0], days * MINUTES_PER_DAY, days * MINUTES_PER_DAY, 0, written, pos)]


def _pert(row: _Row, schedule: _Schedule, pos: Pos) -> list[Fact]:
    """Optimistic / Most likely / Pessimistic: the row's Expected cell, else (O + 4M + P) / 6."""
    if "duration" in row.cells or not all(kind in row.cells for kind in _PERT):
        return []
    expected = _cell_minutes(row, "expected", schedule)
    if expected is None:
        o, m, p = (_cell_minutes(row, kind, schedule) for kind in _PERT)
        expected = (o + 4 * m + p) / 6 if o is not None and m is not None and p is not None else None
    if expected is None:
        return []
    written = " / ".join(row.cells[kind].text.strip() for kind in _PERT)
    return [DurationStated(row.ids[0], expected, expected, 0, written, pos)]


def _window(row: _Row, schedule: _Schedule, pos: Pos) -> list[Fact]:
    """A Window column, or a time window in the duration column: ``D1 Hr 2 – D1 Hr 4``, ``Week 2-3``."""
    cell = row.cells.get("window") or row.cells.get("duration")
    window = unit_window(strip_markup(cell.text)) if cell else None
    if cell is None or window is None:
        return []
    return [WindowStated(row.ids[0], window[0], window[1], cell.text.strip(), pos, row.view)]
