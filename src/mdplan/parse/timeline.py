"""Timeline windows: rows ``Phase 2: 10-15 min`` and inline ``Phase 2 (10-15)``.

A window gives a start and an end; its length is a duration of rank 1 (used only where no
label gives one), and the window itself is a schedule claim. A window for a group
(``Parallel Phase 2,3,4a: 10-23 min``) spans the group, so it says nothing about the length
of any one phase and is left to the claim audit.
"""

from __future__ import annotations

import re

from mdplan.model import Fact, Pos, View, WindowStated
from mdplan.parse.blocks import Block, Line
from mdplan.parse.durations import unit_minutes
from mdplan.parse.refs import find_refs, strip_markup

_ROW_LEAD = re.compile(r"^\s*(?:[-*+]\s+)?(?:parallel\s+)?$", re.IGNORECASE)
_NUMBER = r"\d+(?:\.\d+)?"
_ROW_WINDOW = re.compile(
    rf"\s*:\s*(?P<a>{_NUMBER})\s*(?:-|–|to)\s*(?P<b>{_NUMBER})\s*(?P<unit>[^\W\d]+)?\s*(?:\(.*\))?\s*$"
)
_INLINE_WINDOW = re.compile(rf"\s*\(\s*(?P<a>{_NUMBER})\s*(?:-|–)\s*(?P<b>{_NUMBER})\s*\)")
_LEAD_LIMIT = 16
_LINE_UNIT = re.compile(rf"{_NUMBER}\s*(?P<unit>min|mins|minutes|h|hours?|days?|weeks?)\b", re.IGNORECASE)


def read_timeline(block: Block) -> list[Fact]:
    """Recognizer for code blocks, paragraphs and list items."""
    facts: list[Fact] = []
    for line in block.lines:
        if _RANGE_ANYWHERE.search(line.text):
            facts.extend(_windows_in(line, block.view))
    return facts


_RANGE_ANYWHERE = re.compile(r"\d\s*(?:-|–|to)\s*\d")


def _windows_in(line: Line, view: View | None) -> list[Fact]:
    text = strip_markup(line.text)
    facts: list[Fact] = []
    for ref in find_refs(text):
        leads_row = ref.start <= _LEAD_LIMIT and _ROW_LEAD.match(text[: ref.start])
        row = _ROW_WINDOW.match(text, ref.end) if leads_row else None
        window = row or _INLINE_WINDOW.match(text, ref.end)
        if window is None or len(ref.ids) != 1:
            continue
        scale = _scale(window.groupdict().get("unit"), text)
        if scale is None:
            continue
        start, end = float(window["a"]) * scale, float(window["b"]) * scale
        if end > start:
            pos = Pos(line.number, line.col + ref.start)
            facts.append(WindowStated(ref.ids[0], start, end, text.strip(), pos, view))
    return facts


def _scale(unit: str | None, text: str) -> float | None:
    """Minutes per unit of a window: its own unit, else a unit written on the line, else min."""
    if unit:
        return unit_minutes(unit)
    written = _LINE_UNIT.search(text)
    return unit_minutes(written["unit"]) if written else 1.0
