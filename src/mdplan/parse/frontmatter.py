"""YAML front matter of a plan file: its id, what it depends on, the files it modifies.

``id`` (or ``plan`` with the number that opens ``phase``, as GSD plans write it: ``phase:
04-oauth``, ``plan: 02`` -> ``04-02``), ``depends_on``/``dependencies``/``blocked_by``,
``files_modified``/``files``, ``duration``/``estimate``, ``title``/``name``. A dependency key
with no value (``depends_on: []``, ``none``) states that the unit waits for nothing.

Read with a small reader of flat keys, scalars and lists: YAML loaders turn ``plan: 02`` into
the number 2, and an id must stay as written.
"""

from __future__ import annotations

import re

from mdplan.model import DenialStated, DurationStated, EdgeStated, Fact, FileTouched, PhaseNamed, Pos
from mdplan.parse.blocks import Block, Line
from mdplan.parse.durations import find_durations

_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
_ITEM = re.compile(r"^\s+-\s+(?P<value>.+)$")
_DEPENDS = ("depends_on", "dependencies", "depends", "blocked_by", "after", "requires")
_NOTHING = {"none", "null", "~", "[]"}
_FILES = ("files_modified", "files", "files_touched")


def read_front_matter(block: Block) -> list[Fact]:
    fields = _fields(block.lines)
    unit = _unit_id(fields)
    if unit is None:
        return []
    pos = Pos(block.lines[0].number if block.lines else 1)
    title = _first(fields, ("title", "name"))
    facts: list[Fact] = [PhaseNamed(unit, unit, title, pos, None)]
    depends = {key: [d for d in fields[key] if d.lower() not in _NOTHING] for key in _DEPENDS if key in fields}
    facts.extend(EdgeStated(dep, unit, "stated", pos, None) for deps in depends.values() for dep in deps)
    facts.extend(DenialStated(unit, "no_predecessors", (), f"{k}: []", pos, None) for k, v in depends.items() if not v)
    facts.extend(FileTouched(unit, path, pos) for key in _FILES for path in fields.get(key, []))
    duration = _first(fields, ("duration", "estimate", "effort"))
    found = find_durations(duration or "")
    if found:
        facts.append(DurationStated(unit, found[0].low, found[0].high, 0, duration or "", pos))
    return facts


def _fields(lines: tuple[Line, ...]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    key: str | None = None
    for line in lines:
        item = _ITEM.match(line.text)
        if item and key is not None:
            fields[key].append(_scalar(item["value"]))
            continue
        match = _KEY.match(line.text)
        key = match["key"].lower() if match else None
        if match and key is not None:
            fields[key] = _values(match["value"])
    return fields


def _values(text: str) -> list[str]:
    text = text.split(" #", maxsplit=1)[0].strip()
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(v) for v in text[1:-1].split(",") if v.strip()]
    return [_scalar(text)] if text else []


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _first(fields: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    return next((fields[k][0] for k in keys if fields.get(k)), None)


def _unit_id(fields: dict[str, list[str]]) -> str | None:
    if fields.get("id"):
        return fields["id"][0]
    plan, phase = _first(fields, ("plan",)), _first(fields, ("phase",))
    if plan and phase and (number := re.match(r"\d+", phase)):
        return f"{number[0]}-{plan}"
    return None
