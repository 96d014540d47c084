"""mdplan: read Markdown plans, rebuild their dependency graph, and report the truth about them.

The public API is small::

    plan = mdplan.parse(text, source="plan.md")
    analysis = mdplan.analyze(plan)
    markdown = mdplan.render_report(analysis)

The report renderer (Jinja2, mdformat) loads on first use, so ``mdplan check`` stays fast.
``parse`` and ``analyze`` are bound after their modules are imported: a subpackage or module
of the same name imported later would otherwise take the name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mdplan.analyze import Analysis, Schedule, analyze
from mdplan.model import Diagnostic, Edge, Phase, Plan, Scenario
from mdplan.model.errors import UnusableInput
from mdplan.parse.document import parse, parse_file

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name == "render_report":
        from mdplan.render import render_report

        return render_report
    raise AttributeError(f"module 'mdplan' has no attribute {name!r}")
