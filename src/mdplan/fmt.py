"""``mdplan fmt``: the canonical form of a Markdown document, proven to mean the same.

Steps: keep YAML front matter as written; normalize the rest with mdformat (GFM tables,
ordered lists keep their numbers); redraw recognized diagrams, i.e. code blocks that hold
only chains (``Phase 1 (10 min) -> Phase 2``, ``A --> B ──→ C``), with one arrow, ``──→``,
single-spaced. Before anything is written it is verified: the HTML (same parser settings) is
the same outside the redrawn blocks, the model (phases, edges, minutes, files per scenario) is
the same, and a second pass changes nothing. Otherwise ``FormatRefused`` says why.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mdplan.errors import UnusableInput

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

REFUSED = "MP008"
MAX_CHAIN_LINE = 2_000
ARROW = "──→"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?:.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_ANY_ARROW = re.compile(r"\s*(?:─+→|─+>|-+>|=+>|→|⟶)\s*")
_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL
)
_CHAIN_INFO = {"", "text", "txt", "plain"}


class FormatRefused(UnusableInput):
    """The canonical form would change the document's meaning; nothing is written."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path, REFUSED, f"fmt refused: {message}; the file was left as it was")


def format_text(text: str, source: str) -> str:
    """The verified canonical form of ``text`` (a plan or any Markdown)."""
    formatted = _canonical(text)
    if formatted != text:  # a file already in canonical form has nothing to verify
        verify(text, formatted, source)
    return formatted


def _canonical(text: str) -> str:
    front = _FRONT_MATTER.match(text)
    head, body = (front.group(0), text[front.end() :]) if front else ("", text)
    newline = "\r\n" if "\r\n" in text else "\n"
    normalized = mdformat_text(body.replace("\r\n", "\n")) if body.strip() else body.replace("\r\n", "\n")
    return head + redraw_chains(normalized).replace("\n", newline)


def mdformat_text(text: str) -> str:
    """mdformat with GFM and consecutive list numbers: the canonical form of ``mdplan fmt`` and,
    section by section, of reports."""
    import mdformat

    formatted: str = mdformat.text(text, extensions={"gfm"}, options={"number": True})
    return formatted


def redraw_chains(text: str) -> str:
    """Code blocks (no info string, or ``text``) that hold only chains, redrawn canonically."""

    def redraw(block: re.Match[str]) -> str:
        if block["info"].strip().lower() not in _CHAIN_INFO:
            return block.group(0)
        lines = block["body"].split("\n")
        drawn = [_chain(line) for line in lines]
        if not any(drawn) or any(d is None and line.strip() for d, line in zip(drawn, lines, strict=True)):
            return block.group(0)
        body = "\n".join(d if d is not None else "" for d in drawn)
        return f"{block['fence']}{block['info']}\n{body}{block['fence']}"

    return _FENCE.sub(redraw, text)


def _chain(line: str) -> str | None:
    """``A -> B --> C`` as ``A ──→ B ──→ C`` when every part names a unit; else None."""
    from mdplan.parse.refs import find_refs

    if not line.strip() or len(line) > MAX_CHAIN_LINE:
        return None  # a chain that long is no chain; splitting it would take quadratic time
    parts = _ANY_ARROW.split(line.strip())
    if len(parts) < 2 or not all(part and find_refs(part) and find_refs(part)[0].start == 0 for part in parts):
        return None
    return f" {ARROW} ".join(part.strip() for part in parts)


# --- verification ------------------------------------------------------------------------


def verify(before: str, after: str, source: str) -> None:
    if _html(_masked(before)) != _html(_masked(after)):
        raise FormatRefused(source, "the rendered HTML would change")
    if _model(before, source) != _model(after, source):
        raise FormatRefused(source, "the plan mdplan reads would change")
    if _canonical(after) != after:
        raise FormatRefused(source, "a second pass would change it again")


def _masked(text: str) -> str:
    """Redrawn chain blocks compare by their fences only (their meaning is checked as model)."""
    front = _FRONT_MATTER.match(text)
    body = text[front.end() :] if front else text
    return redraw_chains(body.replace("\r\n", "\n"))


_PRE = re.compile(r"(<pre[ >].*?</pre>)", re.DOTALL)


def _html(text: str) -> str:
    """The rendered HTML, with runs of whitespace outside ``<pre>`` counted as one space (as a
    browser shows them); inside ``<pre>`` every character counts."""
    html: str = _parser().render(text)
    parts = _PRE.split(html)
    return "".join(part if index % 2 else _squeeze(part) for index, part in enumerate(parts))


def _squeeze(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    return re.sub(r" ?(<(?:/?p|/?li|/?h\d|br /|/?blockquote|/?ul|/?ol)[ >]) ?", r"\1", html).strip()


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)
    return parser.use(tasklists_plugin)


def _model(text: str, source: str) -> Any:
    """Per scenario: phases with title, minutes and files, and edges; None without a plan."""
    from mdplan.api import parse

    try:
        plan = parse(text, source)
    except UnusableInput:
        return None
    return {
        s.name: (
            {p: (plan.phases[p].title, plan.phases[p].minutes_range, plan.phases[p].files) for p in s.phase_ids},
            sorted((e.src, e.dst, e.optional) for e in s.edges),
        )
        for s in plan.scenarios
    }
