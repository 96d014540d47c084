"""Generated regions: ``<!-- mdplan:begin KIND [options] -->`` … ``<!-- mdplan:end -->``.

``sync_text`` refreshes every region of a document in place from the plan the rest of the
document states (what a region holds is never read as plan). Every byte outside the regions
stays as it was; inside, lines end the way the document's lines do. KINDs: ``report`` or one
section (``SECTIONS``); the option ``scenario=NAME`` limits a section to one scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mdplan.errors import UnusableInput

if TYPE_CHECKING:
    from mdplan.analyze import Analysis
    from mdplan.merge import Estimate

SECTIONS = {
    "report": "report.md.j2",
    "summary": "summary.md.j2",
    "graph": "graph.md.j2",
    "critical-path": "critical-path.md.j2",
    "gantt": "gantt.md.j2",
    "claims": "claims.md.j2",
    "findings": "recommendations.md.j2",
    "modules": "modules.md.j2",
    "matrix": "matrix.md.j2",
    "checklist": "checklist.md.j2",
    "roadmap": "roadmap.md.j2",
    "metrics": "metrics.md.j2",
}
OPTIONS = ("scenario",)
BAD_REGION = "MP007"
_BEGIN = re.compile(r"<!--\s*mdplan:begin\b(?P<spec>.*?)-->", re.DOTALL)
_END = re.compile(r"<!--\s*mdplan:end\s*-->")
_OPTION = re.compile(r"^(?P<key>[a-z-]+)=(?P<value>\S+)$")


@dataclass(frozen=True, slots=True)
class Region:
    kind: str
    options: dict[str, str]
    body_start: int  # offsets of what lies between the markers
    body_end: int
    line: int


def find_regions(text: str, source: str) -> list[Region]:
    """Every region, in order; a marker without its pair, or an unknown KIND or option, is an
    error. Markers shown in code (fenced, indented, or in backticks) are examples, not markers."""
    if "mdplan:" not in text:
        return []
    text = code_blanked(text)
    regions: list[Region] = []
    position = 0
    while begin := _BEGIN.search(text, position):
        line = text.count("\n", 0, begin.start()) + 1
        early = _END.search(text, position, begin.start())
        if early:
            line = text.count("\n", 0, early.start()) + 1
            raise UnusableInput(source, BAD_REGION, "mdplan:end without an mdplan:begin", line)
        end = _END.search(text, begin.end())
        nested = _BEGIN.search(text, begin.end())
        if end is None or (nested is not None and nested.start() < end.start()):
            raise UnusableInput(source, BAD_REGION, "mdplan:begin without its mdplan:end", line)
        kind, options = _spec(begin["spec"], source, line)
        regions.append(Region(kind, options, begin.end(), end.start(), line))
        position = end.end()
    stray = _END.search(text, position)
    if stray:
        line = text.count("\n", 0, stray.start()) + 1
        raise UnusableInput(source, BAD_REGION, "mdplan:end without an mdplan:begin", line)
    return regions


_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


def code_blanked(text: str) -> str:
    """``text`` with code blocks and code spans replaced by spaces (offsets and lines kept)."""
    from mdplan.parse.blocks import make_parser

    lines = text.split("\n")
    for token in make_parser().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            for number in range(token.map[0], min(token.map[1], len(lines))):
                lines[number] = " " * len(lines[number])
    return _CODE_SPAN.sub(_spaces, "\n".join(lines))


def _spaces(span: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", span.group(0))


def _spec(spec: str, source: str, line: int) -> tuple[str, dict[str, str]]:
    words = spec.split()
    if not words or words[0] not in SECTIONS:
        known = ", ".join(SECTIONS)
        raise UnusableInput(source, BAD_REGION, f"unknown region kind {' '.join(words[:1])!r}; known: {known}", line)
    options: dict[str, str] = {}
    for word in words[1:]:
        option = _OPTION.match(word)
        if option is None or option["key"] not in OPTIONS:
            raise UnusableInput(
                source, BAD_REGION, f"unknown region option {word!r}; known: {', '.join(OPTIONS)}", line
            )
        options[option["key"]] = option["value"]
    return words[0], options


def without_regions(text: str, regions: list[Region]) -> str:
    """The document with what its regions hold blanked out, line numbers kept."""
    parts: list[str] = []
    position = 0
    for region in regions:
        parts.append(text[position : region.body_start])
        parts.append("\n" * text.count("\n", region.body_start, region.body_end))
        position = region.body_end
    parts.append(text[position:])
    return "".join(parts)


def sync_text(text: str, source: str, template_dir: Path | None = None, estimate: Estimate = "mid") -> str:
    """The document with every region refreshed; the same text when it has none.

    A region's new length moves the lines after it, and sections show source lines: so the
    refresh repeats until nothing moves (twice at most, since a section's line count does not
    depend on the numbers in it), and a second sync changes nothing.
    """
    current = text
    for _ in range(3):
        refreshed = _sync_once(current, source, template_dir, estimate)
        if refreshed == current:
            break
        current = refreshed
    return current


def _sync_once(text: str, source: str, template_dir: Path | None, estimate: Estimate) -> str:
    regions = find_regions(text, source)
    if not regions:
        return text
    from mdplan.analyze import analyze
    from mdplan.api import parse

    analysis = analyze(parse(without_regions(text, regions), source, estimate))
    newline = "\r\n" if "\r\n" in text else "\n"
    parts: list[str] = []
    position = 0
    for region in regions:
        parts.append(text[position : region.body_start])
        section = render_section(analysis, region, template_dir, source)
        # a blank line after the opening marker and before the closing one: the canonical form
        # `mdplan fmt` (mdformat) gives, so that sync and fmt never undo each other
        parts.append(("\n\n" + section + "\n").replace("\n", newline))
        position = region.body_end
    parts.append(text[position:])
    return "".join(parts)


def render_section(analysis: Analysis, region: Region, template_dir: Path | None, source: str) -> str:
    from mdplan.render import render_template
    from mdplan.render.context import build_context

    context = build_context(analysis)
    wanted = region.options.get("scenario")
    if wanted:
        scenarios = [s for s in context["scenarios"] if s.name == wanted]  # type: ignore[attr-defined]
        if not scenarios:
            raise UnusableInput(source, BAD_REGION, f"no scenario {wanted!r} for this region", region.line)
        context["scenarios"] = scenarios
    return render_template(SECTIONS[region.kind], context, template_dir)
