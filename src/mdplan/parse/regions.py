"""Generated regions in a document: ``<!-- mdplan:begin KIND [options] -->`` … ``<!-- mdplan:end -->``.

Found here (what a region holds is output, never plan, so reading blanks it out), refreshed by
``mdplan.rewrite.sync``. KINDs: ``report`` or one section (``SECTIONS``: the template each
renders); the option ``scenario=NAME`` limits a section to one scenario.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mdplan.model import patterns
from mdplan.model.errors import UnusableInput

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
_BEGIN = patterns.compile(r"<!--\s*mdplan:begin\b")
_END = patterns.compile(r"<!--\s*mdplan:end\s*-->")
_OPTION = patterns.compile(r"^(?P<key>[a-z-]+)=(?P<value>\S+)$")


@dataclass(frozen=True, slots=True)
class Region:
    kind: str
    options: dict[str, str]
    body_start: int  # offsets of what lies between the markers
    body_end: int
    line: int
    indent: str = ""  # the spaces before the begin marker: a list item's region is indented so


def find_regions(text: str, source: str) -> list[Region]:
    """Every region, in order; a marker without its pair, or an unknown KIND or option, is an
    error. Markers shown as examples are not markers: in code (fenced, indented, or in a code
    span), in YAML front matter, or in raw-text HTML (``<pre>``, ``<script>``, ``<style>``,
    ``<textarea>``). Each marker begins its line (spaces aside): one after ``> ``, ``- `` or
    ``| `` sits in a quote, list item or table cell, which a section of several blocks would
    break out of. Linear in the text's length."""
    if "mdplan:" not in text:
        return []
    starts = line_starts(text)
    original, text = text, code_blanked(text, starts)
    regions: list[Region] = []
    position = 0
    while begin := _BEGIN.search(text, position):
        line = _line_of(starts, begin.start())
        early = _END.search(text, position, begin.start())
        if early:
            raise _unpaired(source, "mdplan:end without an mdplan:begin", _line_of(starts, early.start()))
        close = text.find("-->", begin.end())
        end = _END.search(text, close + 3) if close >= 0 else None
        nested = _BEGIN.search(text, close + 3, end.start()) if end else None
        if end is None or nested is not None:
            raise _unpaired(source, "mdplan:begin without its mdplan:end", line)
        kind, options = _spec(text[begin.end() : close], source, line)
        indent = _indent_before(original, begin.start(), source, line)
        _indent_before(original, end.start(), source, _line_of(starts, end.start()))
        regions.append(Region(kind, options, close + 3, end.start(), line, indent))
        position = end.end()
    stray = _END.search(text, position)
    if stray:
        raise _unpaired(source, "mdplan:end without an mdplan:begin", _line_of(starts, stray.start()))
    return regions


def _indent_before(text: str, marker: int, source: str, line: int) -> str:
    """The spaces and tabs before a marker on its line; anything else there is MP007."""
    before = text[max(text.rfind("\n", 0, marker), text.rfind("\r", 0, marker)) + 1 : marker]
    if before.strip(" \t"):
        message = (
            f"a region marker must begin its line, not follow {before.strip()[:20]!r}: "
            "a quote, list item or table cell cannot hold a region"
        )
        raise UnusableInput(source, BAD_REGION, message, line)
    return before


def _unpaired(source: str, message: str, line: int) -> UnusableInput:
    return UnusableInput(source, BAD_REGION, message, line)


_NEWLINE = patterns.compile(r"\r\n?|\n")
_TICKS = patterns.compile(r"`+")
_RAW_HTML = patterns.compile(r"\s*<(?:pre|script|style|textarea)(?:[\s>]|$)", re.IGNORECASE)
_NOT_MARKERS = ("fence", "code_block", "front_matter")


def line_starts(text: str) -> list[int]:
    """The offset each line starts at (lines end in ``\\r\\n``, ``\\r`` or ``\\n``, as the
    Markdown parser counts them), and the text's length last."""
    return [0, *(newline.end() for newline in _NEWLINE.finditer(text)), len(text)]


def _line_of(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return min(bisect_right(starts, offset), len(starts) - 1)


def code_blanked(text: str, starts: list[int] | None = None) -> str:
    """``text`` with what cannot hold a live marker blanked (offsets and line ends kept): code
    blocks, front matter, raw-text HTML blocks, and code spans, each span within its own block."""
    from mdplan.parse.blocks import make_parser

    starts = starts or line_starts(text)
    blanks: list[tuple[int, int]] = []
    for token in make_parser().parse(text):
        if token.map is None:
            continue
        first, last = (starts[min(n, len(starts) - 1)] for n in token.map)
        if token.type in _NOT_MARKERS or (token.type == "html_block" and _RAW_HTML.match(token.content)):
            blanks.append((first, last))
        elif token.type == "inline":
            blanks.extend(code_spans(text, first, last))
    return _blanked(text, blanks)


def code_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The code spans of ``text[start:end]``: a run of backticks up to the next run of the same
    length (CommonMark); found in one pass, each run looked at twice."""
    runs = [(run.start(), run.end()) for run in _TICKS.finditer(text, start, end)]
    following: list[int | None] = [None] * len(runs)
    latest: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index], latest[length] = latest.get(length), index
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        closer = following[index]
        if closer is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closer][1]))
        index = closer + 1
    return spans


def _blanked(text: str, blanks: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end in sorted(blanks):
        if end > position:
            first = max(start, position)
            parts += [text[position:first], re.sub(r"[^\r\n]", " ", text[first:end])]
            position = end
    return "".join(parts) + text[position:]


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
        parts.append("\n" * len(_NEWLINE.findall(text, region.body_start, region.body_end)))
        position = region.body_end
    parts.append(text[position:])
    return "".join(parts)
