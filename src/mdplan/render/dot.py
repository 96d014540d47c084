"""Graphviz DOT for ``mdplan graph --format dot``."""

from __future__ import annotations

import json

from mdplan.analyze import Schedule
from mdplan.model import Phase
from mdplan.render.ascii import node_text


def digraph(schedule: Schedule, phases: dict[str, Phase]) -> str:
    lines = [f"digraph {json.dumps(schedule.scenario.name)} {{", "    rankdir=LR;"]
    critical = set(schedule.critical_path)
    for pid in schedule.scenario.phase_ids:
        style = ", penwidth=3" if pid in critical else ""
        lines.append(f"    {json.dumps(pid)} [label={json.dumps(node_text(phases[pid]))}{style}];")
    lines.extend(f"    {json.dumps(e.src)} -> {json.dumps(e.dst)};" for e in schedule.scenario.edges)
    lines.append("}")
    return "\n".join(lines)
