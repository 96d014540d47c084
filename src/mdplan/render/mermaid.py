"""Mermaid pictures: a flowchart of the dependency graph and a gantt of the schedule.

Document text only ever appears inside quoted labels, with the characters Mermaid treats
specially written as its entity codes, so no plan can break or inject diagram syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from mdplan.analyze import Schedule
from mdplan.model import Phase, patterns
from mdplan.model.vocabulary import format_number

_ENTITIES = {
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "#": "#35;",
    "`": "#96;",
    "%": "#37;",
}  # "%": so no label writes a %%{init: …}%% directive
_GANTT_UNSAFE = patterns.compile(r"[:;#\"`<>%]")

# Gantt times count from local midnight on 1 January 2023. Its day of the year is the day of the
# plan (``%j``), and no time zone changed its UTC offset in the 9 weeks after it (tzdata: 67 days
# at one Antarctic station, 70 everywhere else), so daylight saving moves no bar of a plan that
# long. A time without a date would be read on the day the picture is seen, DST changes included.
EPOCH = datetime(2023, 1, 1)
_LONGEST = (datetime(9999, 12, 31) - EPOCH).total_seconds()  # four-digit years, in Python and in Mermaid
_DAY = 24 * 3600
_AXIS_FORMATS = ((600, "%H:%M:%S"), (_DAY, "%H:%M"), (10 * _DAY, "day %-j %H:%M"), (365 * _DAY, "day %-j"))
_LENGTH_UNITS = (("h", 3600), ("m", 60), ("s", 1))  # never "d": Mermaid adds days on the calendar


@dataclass(frozen=True, slots=True)
class GanttClock:
    """How a gantt writes a time: Mermaid's ``dateFormat`` and the same in ``strftime``."""

    date_format: str
    strftime: str


MINUTES = GanttClock("YYYY-MM-DD HH:mm", "%Y-%m-%d %H:%M")
SECONDS = GanttClock("YYYY-MM-DD HH:mm:ss", "%Y-%m-%d %H:%M:%S")


def node_id(phase_id: str) -> str:
    return "p" + re.sub(r"\W", "_", phase_id)


def escape_label(text: str) -> str:
    return "".join(_ENTITIES.get(char, char) for char in text)


def flowchart(schedule: Schedule, phases: dict[str, Phase]) -> str:
    lines = ["flowchart TD"]
    for pid in schedule.scenario.phase_ids:
        lines.append(f'    {node_id(pid)}["{escape_label(_node_label(phases[pid]))}"]')
    for edge in schedule.scenario.edges:
        lines.append(f"    {node_id(edge.src)} {'-.->' if edge.optional else '-->'} {node_id(edge.dst)}")
    critical = [node_id(p) for p in schedule.critical_path]
    if critical:
        lines.append("    classDef critical stroke:#c92a2a,stroke-width:3px")
        lines.append(f"    class {','.join(critical)} critical")
    return "\n".join(lines)


def _node_label(phase: Phase) -> str:
    text = f"{phase.label}: {phase.title}" if phase.title else phase.label
    if phase.minutes is not None:
        text += f" · {format_number(phase.minutes)} min"
    return text


def gantt(schedule: Schedule, phases: dict[str, Phase], title: str) -> str:
    """A gantt of the schedule on a clock that starts at midnight on ``EPOCH``.

    Each start is a date and time (``2023-01-01 00:23``, with seconds where some time has a
    fraction of a minute) and each duration a whole number of hours, minutes or seconds
    (``2h``, ``15m``, ``150s``), so nothing is rounded past the second. Mermaid reads the
    dates and labels the axis in the viewer's time zone, so every zone sees the same clock
    times (a plain number would be milliseconds since 1970 UTC, shown at the zone's offset).
    A plan that would run past the year 9999 gets a gantt without bars that says so.
    """
    times = {pid: _seconds(schedule, pid) for pid in schedule.scenario.phase_ids}
    span = max((end for _, end in times.values()), default=0)
    drawable = span <= _LONGEST
    clock = SECONDS if any(time % 60 for pair in times.values() for time in pair) else MINUTES
    lines = [
        "gantt",
        f"    title {_GANTT_UNSAFE.sub(' ', title)}{'' if drawable else ' (too long to draw)'}",
        f"    dateFormat {clock.date_format}",
        f"    axisFormat {axis_format(span)}",
        "    todayMarker off",
        f"    section {_GANTT_UNSAFE.sub(' ', schedule.scenario.name)}",
    ]
    if drawable:
        for pid in sorted(schedule.scenario.phase_ids, key=lambda p: schedule.earliest_start[p]):
            lines.append("    " + _task(schedule, phases[pid], times[pid], clock))
    return "\n".join(lines)


def axis_format(span_seconds: int) -> str:
    """The axis labels for a plan of ``span_seconds``: the clock, with the day of the plan past
    24 hours; calendar dates from ``EPOCH`` past a year, where the day of the year would wrap."""
    return next((labels for limit, labels in _AXIS_FORMATS if span_seconds < limit), "%Y-%m-%d")


def _seconds(schedule: Schedule, phase_id: str) -> tuple[int, int]:
    """Start and finish in whole seconds, each rounded, so a phase ends where the next one starts."""
    return round(schedule.earliest_start[phase_id] * 60), round(schedule.earliest_finish[phase_id] * 60)


def _task(schedule: Schedule, phase: Phase, times: tuple[int, int], clock: GanttClock) -> str:
    name = _GANTT_UNSAFE.sub(" ", f"{phase.label} {phase.title or ''}").strip()
    start, finish = times
    tags = ["crit"] if schedule.is_critical(phase.id) else []
    if finish == start:
        tags.append("milestone")
    when = (EPOCH + timedelta(seconds=start)).strftime(clock.strftime)
    return f"{name} :{', '.join([*tags, node_id(phase.id), when, _length(finish - start)])}"


def _length(seconds: int) -> str:
    """``seconds`` in the largest unit that holds it whole: ``2h``, ``90m``, ``150s`` (``0m``)."""
    whole = (f"{seconds // size}{unit}" for unit, size in _LENGTH_UNITS if seconds >= size and seconds % size == 0)
    return next(whole, "0m")
