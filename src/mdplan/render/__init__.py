"""Analysis -> Markdown, through Jinja2 templates (overridable by name with a template dir).

Document text reaches templates only as data in the context, never as template source.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from mdplan.analyze import Analysis
from mdplan.render.canonical import normalize
from mdplan.render.context import build_context

if TYPE_CHECKING:
    from jinja2 import Environment

REPORT_TEMPLATE = "report.md.j2"


def bundled_template_dir() -> Path:
    """Templates inside the installed package, or the checkout's top-level ``templates/``."""
    packaged = Path(str(files("mdplan"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def make_environment(template_dir: Path | None = None) -> Environment:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    loaders = [FileSystemLoader(template_dir)] if template_dir else []
    loaders.append(FileSystemLoader(bundled_template_dir()))
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["cell"] = table_cell
    env.filters["fence"] = fence
    return env


def fence(text: object, info: str = "") -> str:
    """A fenced code block longer than any backtick run inside it."""
    body = str(text)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    marker = "`" * max(3, longest + 1)
    return f"{marker}{info}\n{body}\n{marker}"


def table_cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_report(analysis: Analysis, template_dir: Path | None = None) -> str:
    template = make_environment(template_dir).get_template(REPORT_TEMPLATE)
    return normalize(template.render(build_context(analysis)))


__all__ = ["bundled_template_dir", "make_environment", "normalize", "render_report"]
