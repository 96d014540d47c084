"""mdplan: read Markdown plans, rebuild their dependency graph, and report the truth about them.

The public API is small::

    plan = mdplan.parse(text, source="plan.md")
    analysis = mdplan.analyze(plan)
    markdown = mdplan.render_report(analysis)
"""

from __future__ import annotations

from mdplan.analyze import Analysis, Schedule, analyze
from mdplan.api import parse, parse_file
from mdplan.errors import UnusableInput
from mdplan.model import Diagnostic, Edge, Phase, Plan, Scenario
from mdplan.render import render_report

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Diagnostic",
    "Edge",
    "Phase",
    "Plan",
    "Scenario",
    "Schedule",
    "UnusableInput",
    "__version__",
    "analyze",
    "parse",
    "parse_file",
    "render_report",
]
