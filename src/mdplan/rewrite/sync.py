"""Generated regions: ``<!-- mdplan:begin KIND [options] -->`` … ``<!-- mdplan:end -->``.

``sync_text`` refreshes every region of a document in place from the plan the rest of the
document states (what a region holds is never read as plan). Every byte outside the regions
stays as it was; inside, lines end the way the document's lines do. KINDs: ``report`` or one
section (``SECTIONS``); the option ``scenario=NAME`` limits a section to one scenario.
"""

from __future__ import annotations

import bisect
from pathlib import Path
from typing import TYPE_CHECKING

from mdplan.model import patterns
from mdplan.model.errors import UnusableInput
from mdplan.parse.regions import BAD_REGION, SECTIONS, Region, find_regions, without_regions

if TYPE_CHECKING:
    from mdplan.analyze import Analysis
    from mdplan.parse.merge import Estimate

_NEWLINE = patterns.compile(r"\r\n?|\n")  # line ends as the Markdown parser counts them


def sync_text(text: str, source: str, template_dir: Path | None = None, estimate: Estimate = "mid") -> str:
    """The document with every region refreshed; the same text when it has none.

    A region's new length moves the lines after it, and sections show source lines: so the
    refresh repeats while it moves lines (twice at most, since a section's line count does not
    depend on the numbers in it), and a second sync changes nothing. A refresh that moves no
    line would read the same plan again, so it is not repeated: a document whose regions keep
    their length is read and analyzed once.
    """
    if "mdplan:" in text:
        _within_work_limit(_outside_marked_spans(text), source)  # before the regions are parsed for
    current = text
    for _ in range(3):
        current, moved = _sync_once(current, source, template_dir, estimate)
        if not moved:
            break
    _within_limits(current, source)
    return current


_BEGIN = patterns.compile(r"<!--\s*mdplan:begin\b")
_END = patterns.compile(r"<!--\s*mdplan:end\s*-->")


def _outside_marked_spans(text: str) -> str:
    """``text`` without what lies from each ``mdplan:begin`` to the next ``mdplan:end``, found
    without parsing (so markers shown in code count too): a first measure of the plan's work, in
    one pass, before the regions are parsed for (a parse that alone takes seconds on 8 MiB)."""
    ends = [end.start() for end in _END.finditer(text)]
    kept: list[str] = []
    position = 0
    for begin in _BEGIN.finditer(text):
        if begin.start() < position:
            continue
        after = bisect.bisect_left(ends, begin.end())
        if after == len(ends):
            break
        kept.append(text[position : begin.start()])
        position = ends[after]
    return "".join(kept) + text[position:]


def _within_work_limit(plan_text: str, source: str) -> None:
    """Refuse a document whose plan takes more than ``fmt.MAX_WORK`` units of work to read,
    analyze and render (MP010): about ten seconds on a busy 2-core machine."""
    from mdplan.parse.document import TOO_LARGE
    from mdplan.rewrite.fmt import MAX_WORK, describe, work_of

    work = work_of(plan_text)
    if work.units > MAX_WORK:
        message = (
            f"too large to sync: {describe(work)} outside the regions make {work.units:,} units of work;"
            f" sync refreshes documents of up to {MAX_WORK:,}; nothing was written"
        )
        raise UnusableInput(source, TOO_LARGE, message)


def _within_limits(text: str, source: str) -> None:
    """Refuse a result mdplan could not read again (past the input limit), before it is written."""
    from mdplan.parse.document import MAX_INPUT_BYTES, TOO_LARGE

    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_INPUT_BYTES:
        message = (
            f"too large once synced: {size:,} bytes; mdplan reads files of up to {MAX_INPUT_BYTES:,} bytes"
            " (8 MiB), so nothing was written"
        )
        raise UnusableInput(source, TOO_LARGE, message)


def _sync_once(text: str, source: str, template_dir: Path | None, estimate: Estimate) -> tuple[str, bool]:
    """The document with its regions refreshed from the plan the rest states, and whether a
    region's line count changed (which moves the lines after it)."""
    regions = find_regions(text, source)
    if not regions:
        return text, False
    from mdplan.analyze import analyze
    from mdplan.parse.document import parse

    plan_text = without_regions(text, regions)
    _within_work_limit(plan_text, source)
    analysis = analyze(parse(plan_text, source, estimate, bounded=False))  # within MAX_WORK, checked before
    newline = line_ending(text)
    parts: list[str] = []
    position = 0
    moved = False
    sections: dict[tuple[str, str | None], str] = {}  # one rendering per KIND and scenario
    for region in regions:
        parts.append(text[position : region.body_start])
        key = (region.kind, region.options.get("scenario"))
        if key not in sections:
            sections[key] = render_section(analysis, region, template_dir, source)
        section = sections[key]
        # a blank line after the opening marker and before the closing one: the canonical form
        # `mdplan fmt` (mdformat) gives, so that sync and fmt never undo each other
        # (indented as the markers are, so a region in a list item stays in it)
        body = ("\n\n" + _indented(section, region.indent) + "\n" + region.indent).replace("\n", newline)
        moved = moved or _line_count(body) != _line_count(text[region.body_start : region.body_end])
        parts.append(body)
        position = region.body_end
    parts.append(text[position:])
    return "".join(parts), moved


def _indented(section: str, indent: str) -> str:
    if not indent:
        return section
    return "\n".join(indent + line if line else line for line in section.split("\n"))


def _line_count(text: str) -> int:
    return len(_NEWLINE.findall(text))


def line_ending(text: str) -> str:
    """The line ending new lines take: CRLF when the document has one, CR in a CR-only one."""
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


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
