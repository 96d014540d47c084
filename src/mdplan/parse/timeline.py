"""Timeline windows: rows ``Phase 2: 10-15 min``, inline ``Phase 2 (10-15)``, groups.

A window gives a start and an end. For one phase its length is a duration of rank 1 (used
only where no label gives one); every window, for one phase or for a group
(``Parallel Phase 2,3,4a: 10-23 min``, ``{Phase 2, Phase 3} = 10-23 min``), is also a schedule
claim the claim audit checks against the computed earliest start and finish.
"""

from __future__ import annotations

import re

from mdplan.model import ClaimStated, Fact, Pos, View, WindowStated, patterns
from mdplan.parse.blocks import Block, Line
from mdplan.parse.durations import NUMBER, unit_minutes
from mdplan.parse.labels import in_estimates
from mdplan.parse.refs import find_refs, strip_markup

_ROW_LEAD = patterns.compile(r"^\s*(?:[-*+]\s+)?(?:parallel\s+)?$", re.IGNORECASE)
_NUMBER = NUMBER
_WINDOW = rf"(?P<a>{_NUMBER})\s*(?:-|–|to)\s*(?P<b>{_NUMBER})\s*(?P<unit>[^\W\d]+)?"
_ROW_WINDOW = patterns.compile(rf"\s*:\s*{_WINDOW}\s*(?:\(.*\))?\s*$")
_GROUP_ROW = patterns.compile(rf"^\s*\{{(?P<body>[^{{}}]*)\}}\s*[:=]\s*{_WINDOW}\s*(?:\(.*\))?\s*$")
_INLINE_WINDOW = patterns.compile(rf"\s*\(\s*(?P<a>{_NUMBER})\s*(?:-|–)\s*(?P<b>{_NUMBER})\s*\)")
_LEAD_LIMIT = 16
_LINE_UNIT = patterns.compile(rf"{_NUMBER}\s*(?P<unit>min|mins|minutes|h|hours?|days?|weeks?)\b", re.IGNORECASE)
_RANGE_ANYWHERE = patterns.compile(r"\d\s*(?:-|–|to)\s*\d")


def read_timeline(block: Block) -> list[Fact]:
    """Recognizer for code blocks, paragraphs and list items; not in a list of estimates
    (``## Durations``), where ``Phase 2: 10-15 min`` is a duration (``parse.labels``)."""
    if in_estimates(block):
        return []
    facts: list[Fact] = []
    for line in block.lines:
        if _RANGE_ANYWHERE.search(line.text):
            facts.extend(_windows_in(line, block.view))
    return facts


def _windows_in(line: Line, view: View | None) -> list[Fact]:
    text = strip_markup(line.text)
    facts: list[Fact] = []
    group = _GROUP_ROW.match(text)
    if group:
        ids = tuple(i for ref in find_refs(group["body"]) for i in ref.ids)
        facts.extend(_window_facts(ids, group, text.strip(), Pos(line.number, line.col), view))
    for ref in find_refs(text):
        leads_row = ref.start <= _LEAD_LIMIT and _ROW_LEAD.match(text[: ref.start])
        row = _ROW_WINDOW.match(text, ref.end) if leads_row else None
        window = row or _INLINE_WINDOW.match(text, ref.end)
        if window is not None:
            written = text[ref.start : window.end()].strip() if not row else text.strip()
            facts.extend(_window_facts(ref.ids, window, written, Pos(line.number, line.col + ref.start), view))
    return facts


def _window_facts(ids: tuple[str, ...], window: re.Match[str], text: str, pos: Pos, view: View | None) -> list[Fact]:
    scale = _scale(window.groupdict().get("unit"), text)
    if scale is None or not ids:
        return []
    start, end = float(window["a"]) * scale, float(window["b"]) * scale
    if end <= start:
        return []
    claim = ClaimStated("window", text, start, end, pos, view, scope=ids)
    if len(ids) > 1:
        return [claim]
    return [WindowStated(ids[0], start, end, text, pos, view), claim]


def _scale(unit: str | None, text: str) -> float | None:
    """Minutes per unit of a window: its own unit, else a unit written on the line, else min."""
    if unit:
        return unit_minutes(unit)
    written = _LINE_UNIT.search(text)
    return unit_minutes(written["unit"]) if written else 1.0
