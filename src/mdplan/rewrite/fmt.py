"""``mdplan fmt``: the canonical form of a Markdown document, proven to mean the same.

Steps: keep YAML front matter as written; normalize the rest with mdformat (GFM tables,
ordered lists keep their numbers); redraw recognized diagrams, i.e. code blocks that hold
only chains (``Phase 1 (10 min) -> Phase 2``, ``A --> B ──→ C``), with one arrow, ``──→``,
single-spaced; put back each line's ending as found (CRLF, CR or LF, line by line).

What the guard checks, in order (``FormatRefused`` says which failed; nothing is written):

1. The document is within what the parser sees: markdown-it drops every block nested
   deeper than its ``maxNesting`` (20 levels: ``> > > …``, ``> - > - …``) without a word, so
   neither mdformat nor any comparison made with that parser can see text down there. A
   document that reaches the limit is refused (a check that re-reads with no limit would
   need a second Markdown parser with no recursion bound of its own). An inline run (a
   paragraph, a heading) of more than ``MAX_INLINE_TOKENS`` parts is refused too: mdformat
   took quadratic time in it (``*a**a`` × 50,000 ran for minutes; its sibling lookups are now
   remembered, ``render.canonical.mdformat_text``). The ``Work`` a document
   takes (lines of text and code, characters, inline marks, counted by markdown-it's block
   pass, and what mdformat-gfm reads again after each ``_`` of a run like ``_a_a…``, which
   grows as the square of the run) is bounded: past ``MAX_FORMAT_WORK`` units nothing is
   formatted, and a change to a document past ``MAX_WORK`` units is not checked (MP010 each,
   nothing written): formatting, or formatting twice and reading the document twice as a plan,
   would take over ten seconds.
2. The rendered HTML is the same outside redrawn blocks: whitespace runs count as one space
   in text (as browsers show them) but count exactly inside ``<pre>`` and inside quoted
   attribute values of raw HTML (``<a href="foo  \nbar">``).
3. Link reference definitions are the same (mdformat drops unused ones, and
   ``[//]: # (comment)`` is a comment people write).
4. The plan mdplan reads is the same (phases, titles, durations, files, edges per scenario)
   and so are its claims (kind, value, bound, scope, text), backslash escapes aside.
5. A second pass changes nothing.

Each step is linear in the document: mdformat's list helpers are remembered per node while it
formats (``render.canonical.mdformat_text``), chain blocks are found in one pass over the lines, and the
text before and after is each parsed once by markdown-it for the HTML, definitions and limits.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from mdplan.model import patterns
from mdplan.model.errors import UnusableInput
from mdplan.render.canonical import mdformat_text, tasklists_in_linear_time

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from mdplan.model import ClaimStated, Plan

REFUSED = "MP008"
MAX_CHAIN_LINE = 2_000
MAX_INLINE_TOKENS = 10_000  # parts of one paragraph or heading (mdformat was quadratic past it)
MAX_WORK = 10_000  # units of ``Work`` a change is checked on: about ten seconds on a busy 2-core box
MAX_FORMAT_WORK = 30_000  # units of ``Work`` fmt formats (a file already formatted needs no check)
ARROW = "──→"
_FRONT_MATTER = patterns.compile(r"\A---[ \t]*\n(?:.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_ANY_ARROW = patterns.compile(r"\s*(?:─+→|─+>|-+>|=+>|→|⟶)\s*")
_OPENING = patterns.compile(r"(`{3,}|~{3,})([^\n`]*)")  # a whole line: the fence, then its info string
_CLOSING = patterns.compile(r"(`{3,}|~{3,})[ \t]*")  # a whole line
_CHAIN_INFO = {"", "text", "txt", "plain"}
_NEWLINE = patterns.compile(r"\r\n?")
_LINE = patterns.compile(r"[^\r\n]*(\r\n|\r|\n|\Z)")
_CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}
_VERBATIM = {"fence", "code_block", "html_block", "front_matter"}
_MARKS = patterns.compile(r"[*_`\[\]<>\\&!]")
# what mdformat-gfm's text rule reads, looking for an e-mail autolink's ``@``, after each ``_``
_EMAIL_RUN = patterns.compile(r"[A-Za-z0-9._+-]+")
_UNDERSCORE = patterns.compile(r"_")
RESCANS_PER_UNIT = 25_000  # characters that text rule scans again in about a millisecond of fmt's passes
_LOOKAHEAD = 64  # lines of the original searched for each formatted line, in a mixed-ending file


class FormatRefused(UnusableInput):
    """The canonical form would change the document's meaning; nothing is written."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path, REFUSED, f"fmt refused: {message}; the file was left as it was")


def format_text(text: str, source: str) -> str:
    """The verified canonical form of ``text`` (a plan or any Markdown)."""
    try:
        work = within_work_limit(_lf(text), source)
        within_limits(_lf(text), source)
        formatted = _canonical(text)
        if formatted != text:  # a file already in canonical form has nothing to verify
            within_check_limit(work, source)
            verify(text, formatted, source)
    finally:
        _parsed.cache_clear()
    return formatted


def _lf(text: str) -> str:
    return _NEWLINE.sub("\n", text) if "\r" in text else text


def _canonical(text: str) -> str:
    lf = _lf(text)
    front = _FRONT_MATTER.match(lf)
    head, body = (front.group(0), lf[front.end() :]) if front else ("", lf)
    normalized = mdformat_text(body) if body.strip() else body
    return with_endings_of(text, head + redraw_chains(normalized))


def redraw_chains(text: str) -> str:
    """Code blocks (no info string, or ``text``) that hold only chains, redrawn canonically.

    A block opens at a line of three or more backticks or tildes (and its info string) and
    closes at the next line that holds the same fence alone. Closing lines are indexed first, so
    finding the blocks is one pass over the lines however many fences never close."""
    lines = text.split("\n")
    closers = _closing_lines(lines)
    kept: list[str] = []
    at = 0
    while at < len(lines):
        block = _block_at(lines, at, closers)
        if block is None:
            kept.append(lines[at])
            at += 1
            continue
        fence, info, end = block
        kept.append(_redrawn(fence, info, lines[at + 1 : end]) or "\n".join(lines[at : end + 1]))
        at = end + 1
    return "\n".join(kept)


def _closing_lines(lines: list[str]) -> dict[tuple[str, int], list[int]]:
    """(fence character, length) -> the lines that hold only that fence, in order."""
    closers: dict[tuple[str, int], list[int]] = {}
    for number, line in enumerate(lines):
        closing = _CLOSING.fullmatch(line)
        if closing:
            closers.setdefault((line[0], len(closing[1])), []).append(number)
    return closers


def _block_at(lines: list[str], at: int, closers: dict[tuple[str, int], list[int]]) -> tuple[str, str, int] | None:
    """(fence, info string, closing line) of the block that opens at line ``at``; None if none
    does. Tildes past the third may be read as the start of the info string (``~~~~`` closed by
    ``~~~``), backticks may not (an info string holds none)."""
    opening = _OPENING.fullmatch(lines[at]) if at < len(lines) - 1 else None
    if opening is None:
        return None
    run, info = opening[1], opening[2]
    shortest = 3 if run[0] == "~" else len(run)
    for length in range(len(run), shortest - 1, -1):
        after = closers.get((run[0], length), [])
        index = bisect.bisect_right(after, at)
        if index < len(after):
            return run[:length], run[length:] + info, after[index]
    return None


def _redrawn(fence: str, info: str, body: list[str]) -> str | None:
    """The block redrawn, if it is a chain block (every line that is not blank a chain)."""
    if info.strip().lower() not in _CHAIN_INFO:
        return None
    drawn = [_chain(line) for line in body]
    if not any(drawn) or any(d is None and line.strip() for d, line in zip(drawn, body, strict=True)):
        return None
    return "\n".join([f"{fence}{info}", *(d if d is not None else "" for d in drawn), fence])


def _chain(line: str) -> str | None:
    """``A -> B --> C`` as ``A ──→ B ──→ C`` when every part names a unit; else None."""
    from mdplan.parse.refs import find_refs

    if not line.strip() or len(line) > MAX_CHAIN_LINE:
        return None  # a chain that long is no chain; splitting it would take quadratic time
    parts = _ANY_ARROW.split(line.strip())
    if len(parts) < 2 or not all(part and find_refs(part) and find_refs(part)[0].start == 0 for part in parts):
        return None
    return f" {ARROW} ".join(part.strip() for part in parts)


# --- line endings -------------------------------------------------------------------------


def with_endings_of(original: str, lf: str) -> str:
    """``lf`` (lines ending ``\n``) with the line endings of ``original``: its one ending when it
    has one kind; line by line when it mixes them (a line kept from the original keeps its
    ending, a new line takes the ending of the original line it stands in for)."""
    if "\r" not in original:
        return lf
    endings = [m[1] for m in _LINE.finditer(original) if m[1]]
    if len(set(endings)) == 1:
        return lf.replace("\n", endings[0])
    return "".join(_mixed(original, lf))


def _mixed(original: str, lf: str) -> Iterable[str]:
    old = [(m[0].rstrip("\r\n"), m[1] or "\n") for m in _LINE.finditer(original) if m[0]]
    at = 0
    for line in lf.removesuffix("\n").split("\n"):
        found = _match(old, at, line)
        yield line + old[min(found, len(old) - 1)][1]
        at = found + 1
    if not lf.endswith("\n"):
        yield ""


def _match(old: list[tuple[str, str]], at: int, line: str) -> int:
    """The index of the original line ``line`` stands for: the next equal one a few lines on
    (a blank line only right here), else the line at ``at`` (it was rewritten)."""
    reach = min(at + (_LOOKAHEAD if line else 1), len(old))
    return next((i for i in range(at, reach) if old[i][0] == line), at)


# --- verification ------------------------------------------------------------------------


def within_limits(text: str, source: str) -> None:
    """Refuse, before formatting, what the parser cannot see or mdformat cannot do in time."""
    limit = _parser().options["maxNesting"]
    for token in _parsed(text)[0]:
        if token.type in _CONTAINERS and token.level >= limit - 1:
            raise FormatRefused(source, _too_deep(token, limit))
        children = token.children or []
        if len(children) > MAX_INLINE_TOKENS:
            parts = f"{len(children):,} inline parts (emphasis, links, lines)"
            raise FormatRefused(
                source, f"the paragraph at line {_line(token)} has {parts}; fmt formats up to {MAX_INLINE_TOKENS:,}"
            )


@dataclass(frozen=True, slots=True)
class Work:
    """What formatting and checking a document costs, counted before either starts."""

    text_lines: int  # lines of paragraphs, headings, list items, tables (not blank)
    text_chars: int
    marks: int  # characters that start inline markup: emphasis, code spans, links, escapes, entities
    code_lines: int  # lines of code blocks, HTML blocks and front matter
    code_chars: int
    rescans: int = 0  # characters mdformat's inline pass scans again (``_rescans``): fmt's work only

    @property
    def units(self) -> int:
        """About a millisecond each on a busy 2-core machine, at most (measured on documents of
        headings, lists, nested lists, tables, prose, emphasis runs, links, HTML blocks, and code
        blocks of plain lines, chains, Mermaid and YAML task lists)."""
        text = self.text_lines + self.text_chars // 160 + self.marks // 6
        return text + self.code_lines // 25 + self.code_chars // 40

    @property
    def format_units(self) -> int:
        """The units of formatting and checking: reading as a plan never scans inline text."""
        return self.units + self.rescans // RESCANS_PER_UNIT


def work_of(text: str) -> Work:
    """The work ``text`` takes, from markdown-it's block pass alone (linear and cheap, whatever
    the inline markup)."""
    lines = text.split("\n")
    verbatim = bytearray(len(lines))
    marks = rescans = 0
    for token in _block_parser().parse(text):
        if token.type in _VERBATIM and token.map:
            first, end = token.map
            verbatim[first:end] = b"\x01" * (end - first)
        elif token.type == "inline":
            marks += len(_MARKS.findall(token.content))
            rescans += _rescans(token.content)
    text_lines = [line for number, line in enumerate(lines) if line.strip() and not verbatim[number]]
    code_lines = [line for number, line in enumerate(lines) if verbatim[number]]
    return Work(len(text_lines), sum(map(len, text_lines)), marks, len(code_lines), sum(map(len, code_lines)), rescans)


def _rescans(inline: str) -> int:
    """Characters mdformat-gfm's text rule scans again: it stops at each ``_`` and, from there,
    reads the run of e-mail characters after it for an ``@``, so ``_a_a_a…`` costs the square of
    its length (50,000 pairs: 16 s a pass). The sum, over each ``_``, of what is left of its run."""
    total = 0
    for run in _EMAIL_RUN.finditer(inline):
        start, end = run.span()
        if inline.find("_", start, end) >= 0:
            total += sum(end - underscore.start() for underscore in _UNDERSCORE.finditer(inline, start, end))
    return total


def within_work_limit(text: str, source: str) -> Work:
    """The work ``text`` takes; refused, before any formatting, past ``MAX_FORMAT_WORK`` units
    (MP010): formatting it alone would run for more than about ten seconds."""
    work = work_of(text)
    if work.format_units > MAX_FORMAT_WORK:
        reason = f"too large to format: {describe(work)} make {work.format_units:,} units of work"
        _refuse(source, reason, "formats", MAX_FORMAT_WORK)
    return work


def within_check_limit(work: Work, source: str) -> None:
    """Refuse to check a change past ``MAX_WORK`` units (MP010): the checks read the document
    twice as a plan and format it twice more, which would run for more than about ten seconds."""
    if work.format_units > MAX_WORK:
        reason = f"too large to check a change: {describe(work)} make {work.format_units:,} units of work"
        _refuse(source, reason, "checks changes to", MAX_WORK)


def describe(work: Work) -> str:
    """``7,801 lines of text (270,016 characters, 5,200 inline marks) and 0 lines of code (…)``."""
    text = f"{_lines(work.text_lines)} of text ({work.text_chars:,} characters, {work.marks:,} inline marks)"
    rescans = f", {work.rescans:,} characters read again after underscores" if work.rescans >= RESCANS_PER_UNIT else ""
    return f"{text}{rescans} and {_lines(work.code_lines)} of code ({work.code_chars:,} characters)"


def _lines(count: int) -> str:
    return f"{count:,} line{'' if count == 1 else 's'}"


def _refuse(source: str, reason: str, does: str, limit: int) -> None:
    from mdplan.parse.document import TOO_LARGE

    raise UnusableInput(source, TOO_LARGE, f"{reason}; fmt {does} documents of up to {limit:,}; nothing was written")


def _too_deep(token: Any, limit: int) -> str:
    return (
        f"line {_line(token)} is nested {token.level + 1} levels deep (a quote counts one level, a list two), "
        "where the Markdown parser stops reading: the text below would be lost"
    )


def _line(token: Any) -> int:
    return int(token.map[0]) + 1 if token.map else 1


class _Check(NamedTuple):
    reason: str
    view: Callable[[str, str], Any]


class _PlanCheck(NamedTuple):
    reason: str
    view: Callable[[Plan | None], Any]


def verify(before: str, after: str, source: str) -> None:
    old, new = _lf(before), _lf(after)
    for check in _CHECKS:
        _same(check.reason, check.view(old, source), check.view(new, source), source)
    old_plan, new_plan = _plan(old, source), _plan(new, source)
    for plan_check in _PLAN_CHECKS:
        _same(plan_check.reason, plan_check.view(old_plan), plan_check.view(new_plan), source)
    if _canonical(after) != after:
        raise FormatRefused(source, "a second pass would change it again")


def _same(reason: str, seen: Any, kept: Any, source: str) -> None:
    if seen != kept:
        raise FormatRefused(source, reason + _first_difference(seen, kept))


def _first_difference(seen: Any, kept: Any) -> str:
    """``: "Total: <5 minutes"`` for the first item of a list that the other lacks; else ""."""
    if isinstance(seen, list) and isinstance(kept, list):
        lost = [item for item in seen if item not in kept] or [item for item in kept if item not in seen]
        if lost and isinstance(lost[0], tuple) and isinstance(lost[0][0], str):
            return f" ({lost[0][0]!r})"
    return ""


def _masked(text: str) -> str:
    """Redrawn chain blocks compare by their fences only (their meaning is checked as model)."""
    lf = _lf(text)
    front = _FRONT_MATTER.match(lf)
    return redraw_chains(lf[front.end() :] if front else lf)


_PRE = patterns.compile(r"(<pre[ >].*?</pre>)", re.DOTALL)
_TAG = patterns.compile(r"""(<(?:[^<>"']|"[^"<]*"|'[^'<]*')*>)""")  # never past the next <: linear
_IN_TAG = patterns.compile(r"""("[^"]*"|'[^']*')|\s+""")
_SPACES = patterns.compile(r"\s+")
_AROUND_BLOCK = patterns.compile(r" ?(<(?:/?p|/?li|/?h\d|br /|/?blockquote|/?ul|/?ol)[ >]) ?")


def _html(text: str) -> str:
    """The rendered HTML, with runs of whitespace outside ``<pre>`` counted as one space (as a
    browser shows them); inside ``<pre>`` and inside quoted attribute values every character
    counts."""
    tokens, env = _parsed(text)
    html: str = _parser().renderer.render(tokens, _parser().options, env)
    parts = _PRE.split(html)
    return "".join(part if index % 2 else _squeeze(part) for index, part in enumerate(parts))


def _squeeze(html: str) -> str:
    parts = _TAG.split(html)
    squeezed = "".join(
        _IN_TAG.sub(lambda m: m[1] or " ", part) if index % 2 else _SPACES.sub(" ", part)
        for index, part in enumerate(parts)
    )
    return _AROUND_BLOCK.sub(r"\1", squeezed).strip()


@functools.cache
def _block_parser() -> MarkdownIt:
    """The parser below with its block pass only: inline runs are left as text (and task list
    items as written)."""
    return _new_parser().disable(["inline", "github-tasklists", "text_join"])


@functools.cache
def _parser() -> MarkdownIt:
    return _new_parser()


def _new_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)
    return parser.use(tasklists_in_linear_time)


@functools.lru_cache(maxsize=2)
def _parsed(text: str) -> tuple[list[Token], dict[str, Any]]:
    """The block tokens and the environment (link definitions) of ``text``. The checks of one
    document share them: the text before and after formatting are each parsed once (the HTML,
    the definitions and the limits read the same tokens); ``format_text`` drops them after."""
    env: dict[str, Any] = {}
    return _parser().parse(text, env), env


def _rendered(text: str, source: str) -> str:
    return _html(_masked(text))


def _references(text: str, source: str) -> list[tuple[str, str, str]]:
    """Link reference definitions: (label, destination, title), by normalized label."""
    found = _parsed(text)[1].get("references", {})
    return sorted((f"[{label}]", ref.get("href", ""), ref.get("title", "")) for label, ref in found.items())


def _plan(text: str, source: str) -> Plan | None:
    """The plan ``text`` states; None when it states none. A plan past mdplan's limits cannot be
    compared, so it is refused (MP010) rather than formatted unchecked."""
    from mdplan.parse.document import TOO_LARGE, parse

    try:
        return parse(text, source, bounded=False)  # within MAX_WORK, checked before
    except UnusableInput as error:
        if error.code == TOO_LARGE:
            message = f"{error.message}; fmt compares the plan before and after, so nothing was written"
            raise UnusableInput(source, TOO_LARGE, message) from None
        return None


def _model(text: str, source: str) -> Any:
    return _plan_model(_plan(text, source))


def _plan_model(plan: Plan | None) -> Any:
    """Per scenario: phases with title, minutes and files, and edges; None without a plan.
    Titles and files compare as they read, backslash escapes aside (``7\\*7`` is ``7*7``)."""
    from mdplan.parse.escapes import unescape

    if plan is None:
        return None
    phases = plan.phases
    return {
        s.name: (
            {
                p: (unescape(phases[p].title or ""), phases[p].minutes_range, tuple(map(unescape, phases[p].files)))
                for p in s.phase_ids
            },
            sorted((e.src, e.dst, e.optional) for e in s.edges),
        )
        for s in plan.scenarios
    }


def _plan_claims(plan: Plan | None) -> list[tuple[Any, ...]]:
    """The claims the plan makes, as the claim audit reads them (their lines aside)."""
    return sorted((_claim_view(claim) for claim in plan.claims), key=repr) if plan else []


def _claim_view(claim: ClaimStated) -> tuple[Any, ...]:
    from mdplan.parse.escapes import unescape

    view = (claim.view.scenario, unescape(claim.view.title)) if claim.view else None
    fields = (claim.low, claim.high, claim.hint, claim.unit, claim.approx, claim.bound, claim.measure)
    shape = (claim.scope, claim.path, claim.rows, claim.terms, unescape(claim.not_about_plan))
    return (unescape(claim.text), claim.kind, *fields, *shape, view)


_CHECKS = (
    _Check("the rendered HTML would change", _rendered),
    _Check("a link reference definition would be deleted or changed (mdformat keeps the used ones)", _references),
)
_PLAN_CHECKS = (
    _PlanCheck("the plan mdplan reads would change", _plan_model),
    _PlanCheck("a claim of the plan would be lost or changed", _plan_claims),
)
