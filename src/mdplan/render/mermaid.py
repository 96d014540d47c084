"""Mermaid pictures: a flowchart of the dependency graph and a gantt of the schedule.

Document text only ever appears inside quoted labels, with the characters Mermaid treats
specially written as its entity codes, so no plan can break or inject diagram syntax.
"""

from __future__ import annotations

import re

from mdplan.analyze import Schedule
from mdplan.model import Phase
from mdplan.parse.durations import format_number

_ENTITIES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "`": "#96;"}
_GANTT_UNSAFE = re.compile(r"[:;#\"`<>]")


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
    """A gantt with times in seconds from zero, so any length of plan lays out exactly."""
    lines = [
        "gantt",
        f"    title {_GANTT_UNSAFE.sub(' ', title)}",
        "    dateFormat X",
        "    axisFormat %H:%M",
        f"    section {_GANTT_UNSAFE.sub(' ', schedule.scenario.name)}",
    ]
    for pid in sorted(schedule.scenario.phase_ids, key=lambda p: schedule.earliest_start[p]):
        lines.append("    " + _task(schedule, phases[pid]))
    return "\n".join(lines)


def _task(schedule: Schedule, phase: Phase) -> str:
    name = _GANTT_UNSAFE.sub(" ", f"{phase.label} {phase.title or ''}").strip()
    start = round(schedule.earliest_start[phase.id] * 60)
    seconds = round(schedule.minutes[phase.id] * 60)
    tags = ["crit"] if schedule.is_critical(phase.id) else []
    if seconds == 0:
        tags.append("milestone")
    return f"{name} :{', '.join([*tags, node_id(phase.id), str(start), f'{seconds}s'])}"
