"""The vocabulary every stage shares: how ids sort, how units are named and labelled, how
minutes are written, and the words the claim audit writes and the report reader reads back.

Reading any of these from text (unit words in twelve languages, duration spellings) is
parsing, and lives in ``mdplan.parse``; this module only names and formats.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from mdplan.model import patterns

MINUTES_PER_DAY = 8 * 60  # a working day
MINUTES_PER_WEEK = 5 * MINUTES_PER_DAY

# --- ids ----------------------------------------------------------------------------------

_NATURAL_PART = patterns.compile(r"(\d+)")


NaturalKey = tuple[tuple[int, int, str], ...]


@functools.lru_cache(maxsize=65536)
def natural_key(text: str) -> NaturalKey:
    """Sort key that orders ``2 < 4 < 4a < 4b < 10`` and ``T002 < T010``.

    A digit run compares by its length without leading zeros, then by its digits: the order of
    its value, with no conversion to ``int`` (which refuses runs past 4,300 digits).
    """
    parts = _NATURAL_PART.split(text.lower())
    return tuple(_natural_part(p) for p in parts if p)


def natural_order(text: str) -> tuple[NaturalKey, str]:
    """``natural_key`` with the text itself after it: a total order (``1`` and ``01``, ``a`` and
    ``A`` rank the same by ``natural_key``, and sets iterate in an order that varies by run)."""
    return natural_key(text), text


def _natural_part(part: str) -> tuple[int, int, str]:
    if part.isdigit():
        digits = part.lstrip("0")
        return (0, len(digits), digits)
    return (1, 0, part)


# --- units and their labels ---------------------------------------------------------------


class Unit(NamedTuple):
    key: str
    word: str  # regex of the unit's name, singular and plural
    prefix: str  # id prefix: "" for phases, "epic-" for epics, "US" for user stories
    label: str


ENGLISH_UNITS = (
    Unit("phase", r"phases?", "", "Phase"),
    Unit("story", r"user\s+stor(?:y|ies)", "US", "US"),
    Unit("step", r"steps?", "step-", "Step"),
    Unit("stage", r"stages?", "stage-", "Stage"),
    Unit("wave", r"waves?", "wave-", "Wave"),
    Unit("epic", r"epics?", "epic-", "Epic"),
    Unit("milestone", r"milestones?", "milestone-", "Milestone"),
    Unit("sprint", r"sprints?", "sprint-", "Sprint"),
    Unit("task", r"tasks?", "task-", "Task"),
    Unit("pr", r"prs?|pull\s+requests?", "pr-", "PR"),
    Unit("part", r"parts?", "part-", "Part"),
    Unit("feature", r"features?", "feature-", "Feature"),
)


_PREFIXED = {u.prefix: u for u in ENGLISH_UNITS if u.prefix.endswith("-")}


def phase_label(node_id: str) -> str:
    """How a node is named in text: ``4a`` -> ``Phase 4a``, ``epic-2`` -> ``Epic 2``."""
    prefix, dash, rest = node_id.partition("-")
    unit = _PREFIXED.get(prefix + dash)
    if unit and rest:
        return f"{unit.label} {rest}"
    if re.fullmatch(r"\d[\w.]*", node_id):
        return f"Phase {node_id}"
    return node_id


# --- minutes ------------------------------------------------------------------------------


def format_minutes(value: float) -> str:
    """``90`` -> ``90 min``; fractions keep one decimal."""
    return f"{format_number(value)} min"


def format_span(minutes: float) -> str:
    """A length in the unit a planner would use: s, min, h, days (8 h) or weeks (5 days)."""
    size = abs(minutes)
    if 0 < size < 1:
        return f"{format_number(minutes * 60)} s"
    if size < 120:
        return format_minutes(minutes)
    if size < 2 * MINUTES_PER_DAY:
        return f"{format_number(minutes / 60)} h"
    if size < 2 * MINUTES_PER_WEEK:
        return f"{format_number(minutes / MINUTES_PER_DAY)} days"
    return f"{format_number(minutes / MINUTES_PER_WEEK)} weeks"


def format_number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def format_range(low: float, high: float) -> str:
    if low == high:
        return format_minutes(low)
    return f"{format_number(low)}-{format_number(high)} min"


def format_duration(minutes: float) -> str:
    """Minutes, or seconds below one minute."""
    if 0 < minutes < 1:
        return f"{format_number(minutes * 60)} s"
    return format_minutes(minutes)


# --- the claim audit's basis, as the report writes it and reads it back --------------------

WHOLE_PLAN = "the whole plan"
ONE_AFTER_ANOTHER = "; one after another"
NOT_THE_PLAN = "not the plan: "
ROWS = "rows: "
CRITICAL_PATH = "the critical path"
ARITHMETIC = "the arithmetic"
