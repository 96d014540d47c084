"""ASCII pictures: the dependency graph in box-drawing characters and a Gantt chart.

The graph is drawn as one entry per phase in topological order, each with a ``├──→``/``└──→``
branch to every successor: the notation of hand-drawn plans, so mdplan reads it back. Several
scenarios are listed one after the other, each under a line that names it. The
Gantt chart puts a time axis over one bar per phase; critical phases are drawn ``█``, others
``░``, zero-length phases ``◆``.
"""

from __future__ import annotations

import math

from mdplan.analyze import Schedule
from mdplan.model import Phase
from mdplan.model.vocabulary import format_number, format_span, natural_order

GANTT_WIDTH = 60
_SCALES = (0.25, 0.5, 1, 2, 3, 5, 10, 15, 20, 30, 60, 120, 240, 480, 960, 2400, 4800, 9600, 24000)


def node_text(phase: Phase) -> str:
    """``Phase 2 (Update Endpoint, 5 min)``."""
    parts = [phase.title] if phase.title else []
    if phase.minutes is not None:
        parts.append(format_span(phase.minutes))
    return f"{phase.label} ({', '.join(parts)})" if parts else phase.label


def draw_graph(schedule: Schedule, phases: dict[str, Phase]) -> str:
    successors: dict[str, list[str]] = {pid: [] for pid in schedule.scenario.phase_ids}
    for edge in schedule.scenario.edges:
        successors[edge.src].append(edge.dst)
    order = _order(schedule)
    lines: list[str] = []
    for pid in order:
        lines.append(node_text(phases[pid]))
        targets = sorted(successors[pid], key=natural_order)
        for index, target in enumerate(targets):
            branch = "└──→" if index == len(targets) - 1 else "├──→"
            lines.append(f"    {branch} {phases[target].label}")
    return "\n".join(lines)


def draw_scenarios(schedules: list[Schedule], phases: dict[str, Phase]) -> str:
    """Each scenario's graph under a line that names it (``current: Current Dependency Graph
    (line 14)``), a blank line between them: one listing, whichever scenario a part is."""
    return "\n\n".join(f"{scenario_heading(s)}\n{draw_graph(s, phases)}" for s in schedules)


def scenario_heading(schedule: Schedule) -> str:
    scenario = schedule.scenario
    return f"{scenario.name}: {scenario.title} (line {scenario.line})" if scenario.title else scenario.name


def _order(schedule: Schedule) -> list[str]:
    if schedule.cycle or not schedule.earliest_start:
        return list(schedule.scenario.phase_ids)
    return sorted(schedule.scenario.phase_ids, key=lambda p: (schedule.earliest_start[p], natural_order(p)))


def gantt_scale(makespan: float, width: int = GANTT_WIDTH) -> float:
    """Minutes per character: the smallest round step that fits the makespan in ``width``."""
    return next((s for s in _SCALES if makespan / s <= width), math.ceil(makespan / width))


def draw_gantt(schedule: Schedule, phases: dict[str, Phase]) -> str:
    makespan = schedule.makespan or 0.0
    scale = gantt_scale(makespan)
    order = _order(schedule)
    label_width = max((len(phases[p].label) for p in order), default=5) + 2
    span = math.ceil(makespan / scale) if makespan else 1
    lines = [*_axis(span, scale, label_width)]
    for pid in order:
        lines.append(_bar(schedule, phases[pid], scale, label_width, span))
    lines.append(f"{'':<{label_width}}1 char = {format_number(scale)} min; █ critical, ░ slack, ◆ no duration")
    return "\n".join(line.rstrip() for line in lines)


def _axis(span: int, scale: float, label_width: int) -> list[str]:
    ticks = range(0, span + 1, 10)
    numbers = "".join(f"{format_number(t * scale):<10}" for t in ticks)
    rule = "".join("┼" if c % 10 == 0 else "─" for c in range(span + 1))
    return [f"{'min':<{label_width}}{numbers}", f"{'':<{label_width}}{rule}"]


def _bar(schedule: Schedule, phase: Phase, scale: float, label_width: int, span: int) -> str:
    start, finish = schedule.earliest_start[phase.id], schedule.earliest_finish[phase.id]
    first, last = round(start / scale), round(finish / scale)
    if finish - start <= 0:
        body = " " * first + "◆"
    else:
        glyph = "█" if schedule.is_critical(phase.id) else "░"
        body = " " * first + glyph * max(1, last - first)
    window = f"{format_number(start)}-{format_number(finish)}"
    return f"{phase.label:<{label_width}}{body:<{span + 1}}  {window}"
