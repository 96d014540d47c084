"""Obsidian Tasks links: ``🆔 abc123`` names a task, ``⛔ abc123`` on another waits for it.

A checklist item with ``🆔`` is the unit of that id; an item with only ``⛔`` gets a slug of
its description. The other Tasks fields (``📅 ⏳ 🛫 ✅ ➕ 🔁`` and priorities) end the description.
"""

from __future__ import annotations

import re

from mdplan.model import EdgeStated, Fact, PhaseNamed, Pos, patterns
from mdplan.parse.blocks import Block

_ID = patterns.compile(r"🆔\s*(?P<id>[\w-]+)")
_BLOCKED_BY = patterns.compile(r"⛔\s*(?P<ids>[\w-]+(?:\s*,\s*[\w-]+)*)")
_FIELD_START = patterns.compile(r"[🆔⛔📅⏳🛫✅➕🔁⏫🔼🔽⏬🔺❌]")
_CHECKBOX = patterns.compile(r"^\s*(?:[-*+]\s+)?(?:\[[ xX/-]\]\s+)?")


def read_obsidian_tasks(block: Block) -> list[Fact]:
    """Recognizer for list items."""
    line = block.lines[0]
    own, blocked_by = _ID.search(line.text), _BLOCKED_BY.search(line.text)
    if own is None and blocked_by is None:
        return []
    title = _FIELD_START.split(_CHECKBOX.sub("", block.source_first_line or line.text), maxsplit=1)[0].strip()
    unit = own["id"] if own else re.sub(r"[^\w]+", "-", title.lower()).strip("-")
    if not unit:
        return []
    pos = Pos(line.number, line.col)
    facts: list[Fact] = [PhaseNamed(unit, title or unit, None, pos, block.view)]
    if blocked_by:
        waits = [i.strip() for i in blocked_by["ids"].split(",") if i.strip()]
        facts.extend(EdgeStated(before, unit, "stated", pos, block.view) for before in waits)
    return facts
