"""The report in mdformat's canonical form (GFM tables, consecutive list numbers), cheaply.

mdformat is the authority: every report is stable under the formatter users run. On large
plans formatting the whole report at once was most of the run and most of the memory, so the
text is cut into sections that no Markdown block spans, and each section takes the cheapest
path that gives mdformat's own text:

- a fenced code block written as mdformat writes fences is kept as it is;
- a table is padded here, with each cell's text as mdformat renders it (plain words need no
  rendering; any other cell is rendered by mdformat, all of them in one small table);
- a tight bullet list of plain one-line items is kept as it is;
- anything else is formatted by mdformat, consecutive sections in one call.

Tests hold the result equal to mdformat on the whole text: the reference report, and a
property over generated tables, fences, lists, quotes, paragraphs and HTML blocks.

``mdformat_text`` is mdformat itself (for reports and ``mdplan fmt``), with the lookups mdformat
makes in quadratic time (a node's siblings, a list's tightness, the lists before a list)
remembered per node while it formats: linear, and the same text.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
from collections.abc import Iterable, Iterator, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from mdplan.model import patterns

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

_FENCE = patterns.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = patterns.compile(r"#{1,6}(?: |$)")
_HTML_BLOCK = patterns.compile(
    r" {0,3}(?:(?P<raw><(?:script|pre|style|textarea)(?=[\s>]|$))|(?P<comment><!--)|(?P<pi><\?)"
    r"|(?P<cdata><!\[CDATA\[)|(?P<declaration><![A-Za-z]))",
    re.IGNORECASE,
)
_HTML_ENDS = {
    "raw": ("</script>", "</pre>", "</style>", "</textarea>"),
    "comment": ("-->",),
    "pi": ("?>",),
    "cdata": ("]]>",),
    "declaration": (">",),
}
_LIST_ITEM = patterns.compile(r"(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_PLAIN_ITEM = patterns.compile(r"- (?:\[[ x]\] )?([^\W_].*)")  # a task box as mdformat writes it, or none
_DELIMITER_ROW = patterns.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$")
_CELL = patterns.compile(r"((?:\\.|[^\\|])*)\|")
# characters mdformat never escapes or rewrites in a table cell (with at least one letter or digit
# in the cell, so no cell reads as a delimiter row); URLs and runs of spaces go the long way. A
# cell is read by one match, not a step per character: ``\w`` is what ``str.isalnum`` accepts and
# ``_``, which is not plain (``_`` is looked for apart)
_PLAIN_TEXT = patterns.compile(r"[\w ,.;:()'\"/?%+=#→←–—-]*")
_LETTER_OR_DIGIT = patterns.compile(r"[^\W_]")
# a code span of single backticks (``P3 (`P3`)``, ```src/a.py```), which mdformat writes as it is
_CODE_SPAN = patterns.compile(r"(?<!`)`([^`]+)`(?!`)")


BATCH = 64 * 1024  # characters of consecutive sections mdformat formats in one call


def mdformat_text(text: str) -> str:
    """mdformat with GFM and consecutive list numbers: the canonical form of ``mdplan fmt`` and,
    section by section, of reports."""
    import mdformat

    with _syntax_tree_freed(), mdformat_in_linear_time():
        formatted: str = mdformat.text(text, extensions={"gfm"}, options={"number": True})
    return formatted


@contextlib.contextmanager
def _syntax_tree_freed() -> Iterator[None]:
    """mdformat's syntax tree links each node to its parent, so it is freed by the cycle
    collector, not when mdformat returns; by then the collector has moved it among the oldest
    objects, which it visits rarely (on a large report, tens of megabytes of trees waited).
    No collection runs during the call, and the objects it made (the young generation) are
    collected right after it: the tree goes at once, at the cost of visiting only those."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect(0)


def normalize(markdown: str) -> str:
    """``markdown`` exactly as ``mdformat --extensions gfm --number`` writes it."""
    return "\n".join(normalized_parts([markdown]))


def normalized_parts(chunks: Iterable[str]) -> Iterator[str]:
    """The text the ``chunks`` make when joined, as :func:`normalize` writes it, in parts made
    as the chunks come (a template's output as it renders): joined by newlines the parts are
    ``normalize("".join(chunks))``. None of them is empty."""
    for window in _windows(_sections(_lines(chunks))):
        yield from (part for part in _formatted(window) if part)


def _lines(chunks: Iterable[str], size: int = BATCH) -> Iterator[str]:
    """The lines of the text the ``chunks`` make, as ``str.splitlines(keepends=True)`` cuts
    them, read about ``size`` characters at a time. The last line of each read waits for the
    next (it may go on, or a ``\\r`` may be followed by ``\\n``); a line longer than ``size``
    waits for twice its length, so it is copied a bounded number of times."""
    pending: list[str] = []
    held, limit = 0, size
    for chunk in chunks:
        pending.append(chunk)
        held += len(chunk)
        if held >= limit:
            *lines, rest = "".join(pending).splitlines(keepends=True)
            yield from lines
            pending, held, limit = [rest], len(rest), max(size, 2 * len(rest))
    yield from "".join(pending).splitlines(keepends=True)


def _windows(sections: Iterable[str]) -> Iterator[list[str | list[str]]]:
    """The sections in windows of about ``BATCH`` characters; in each, every section already in
    canonical form (a str) and runs of consecutive other sections (a list)."""
    window: list[str | list[str]] = []
    size = 0
    for section in sections:
        canonical = _canonical_form(section)
        if canonical is not None:
            window.append(canonical)
        elif window and isinstance(window[-1], list):
            window[-1].append(section)
        else:
            window.append([section])
        size += len(section)
        if size > BATCH:
            yield window
            window, size = [], 0
    if window:
        yield window


# a line mdformat keeps as it is (an HTML block) and no report holds: what runs formatted in one
# call are cut at again
_CUT = "<!-- mdplan: one call of mdformat cut here -->"
_TASKLISTS = "github-tasklists"  # the rule mdit-py-plugins' task lists add


def _formatted(window: list[str | list[str]]) -> list[str]:
    """Each part of a window in canonical form. The runs mdformat formats (the lists) go to it in
    one call, each after the one before with a cut line between them (small runs between fences
    and tables would otherwise cost a call each: thousands in a large report); where the cuts do
    not come back as written (a run that leaves a block open), or a run may define a link that
    another uses, each run is formatted alone."""
    runs = ["".join(part) for part in window if isinstance(part, list)]
    formatted = iter(_runs_formatted(runs))
    return [part if isinstance(part, str) else next(formatted) for part in window]


def _runs_formatted(runs: list[str]) -> list[str]:
    if len(runs) < 2 or any(_CUT in run or "]:" in run for run in runs):  # a link definition serves every run
        return [mdformat_text(run) for run in runs]
    together = mdformat_text(f"\n\n{_CUT}\n\n".join(runs))
    parts = together.split(f"\n\n{_CUT}\n\n")
    if len(parts) != len(runs) or not all(parts):
        return [mdformat_text(run) for run in runs]
    return [part + "\n" for part in parts[:-1]] + parts[-1:]


def _canonical_form(section: str) -> str | None:
    """The section as mdformat writes it, when it is a fence, a table or a plain list that can
    be written here; None for anything else (mdformat formats it)."""
    if "\x00" in section or "\r" in section:
        return None
    lines = section.rstrip("\n").split("\n")
    return _canonical_fence(lines) or _canonical_table(lines) or _canonical_list(lines)


def sections(markdown: str) -> list[str]:
    """``markdown`` cut where no block continues across the cut.

    Cuts fall before each heading (``#`` to ``######`` flush left), before each flush-left line
    that follows a blank line (unless it is a list item and a list is running: the same list
    goes on), and after a table at the blank line that ends it. A heading ends any paragraph,
    list or quote above it; a blank line and then a flush-left line start a new block. Text
    inside fences and HTML blocks that run over blank lines (comments, ``<pre>``) is never cut.
    """
    return list(_sections(markdown.splitlines(keepends=True)))


def _sections(lines: Iterable[str]) -> Iterator[str]:
    """The sections of :func:`sections`, each as soon as the line after it is read."""
    cutter = _Cutter()
    for line in lines:
        done = cutter.add(line)
        if done is not None:
            yield done
    yield "".join(cutter.current)


class _Cutter:
    """The state of :func:`sections` between lines: the lines of the section being read, the
    open fence, whether a table or a list is running."""

    def __init__(self) -> None:
        self.current: list[str] = []
        self.fence = ""
        self.in_table = False
        self.in_list = False
        self.html_ends: tuple[str, ...] = ()  # an open HTML block that blank lines do not end

    def add(self, line: str) -> str | None:
        """Take ``line``; the section it ends, when it starts a new one."""
        done = None
        if self._cuts_before(line) and self.current:
            done, self.current = "".join(self.current), []
        self.current.append(line)
        return done

    def _cuts_before(self, line: str) -> bool:
        opening = _FENCE.match(line)
        after_blank = not self.current or not self.current[-1].strip()
        if self._inside_verbatim(line, opening):
            return False
        if self.in_table and not line.startswith("|"):
            self.in_table = False
            if not line.strip():
                return True  # else a heading ends the table, and a line of text is one more row
        if not line.strip():
            return False
        if opening:
            self.fence = opening[1]
        flush_left = not line[0].isspace()
        item = bool(_LIST_ITEM.match(line))
        if _HEADING.match(line) or (flush_left and not item and after_blank):
            self.in_list = False
        cut = bool(_HEADING.match(line)) or (after_blank and flush_left and not (item and self.in_list))
        self.in_list = self.in_list or item
        if line.startswith("|") and after_blank and not self.in_table:
            self.in_table = True
        self.html_ends = _open_html_block(line)
        return cut

    def _inside_verbatim(self, line: str, opening: re.Match[str] | None) -> bool:
        """Whether ``line`` is inside a fence or an HTML block opened above (its closing line
        included); closes them where they end."""
        if self.fence:
            if opening and _closes(opening, line, self.fence):
                self.fence = ""
            return True
        if self.html_ends:
            if any(end in line.lower() for end in self.html_ends):
                self.html_ends = ()
            return True
        return False


def _open_html_block(line: str) -> tuple[str, ...]:
    """The end markers of an HTML block (CommonMark kinds 1 to 5: raw text, comment, processing
    instruction, declaration, CDATA) that ``line`` opens and does not close; else ()."""
    opening = _HTML_BLOCK.match(line)
    if opening is None or opening.lastgroup is None:
        return ()
    ends = _HTML_ENDS[opening.lastgroup]
    rest = line[opening.end() :].lower()
    return () if any(end in rest for end in ends) else ends


def _closes(opening: re.Match[str], line: str, fence: str) -> bool:
    marker = opening[1]
    return marker[0] == fence[0] and len(marker) >= len(fence) and not line[opening.end() :].strip()


def _canonical_fence(lines: list[str]) -> str | None:
    """One fenced code block already written as mdformat writes it (backticks, one longer than
    any run inside, the info string trimmed, the body kept as it is)."""
    if len(lines) < 2:
        return None
    opening, body, closing = lines[0], lines[1:-1], lines[-1]
    marker = opening[: len(opening) - len(opening.lstrip("`"))]
    info = opening[len(marker) :]
    longest = max((len(run) for run in re.findall(r"`+", "\n".join(body))), default=0)
    if closing != marker or marker != "`" * max(3, longest + 1) or info != info.strip() or "`" in info:
        return None
    return "\n".join(lines) + "\n"


def _canonical_table(lines: list[str]) -> str | None:
    """One GFM table, rows of equal width, nothing else: padded as mdformat-gfm pads (wcwidth
    columns, at least 3 wide), cells as mdformat renders them."""
    if len(lines) < 2 or not _DELIMITER_ROW.match(lines[1]):
        return None
    rows = [row for row in map(_cells, lines) if row is not None]
    if len(rows) != len(lines) or any(len(row) != len(rows[0]) for row in rows):
        return None
    header, delimiter, *body = rows
    rendered = _rendered_cells([cell for row in (header, *body) for cell in row])
    if rendered is None:
        return None
    aligns = [_alignment(cell) for cell in delimiter]
    table = [[rendered[cell] for cell in row] for row in (header, *body)]
    return "\n".join(_padded(table, aligns)) + "\n"


def _canonical_list(lines: list[str]) -> str | None:
    """One tight bullet list of one-line items in plain words (task items too: ``- [ ] Settle``,
    which mdformat would otherwise read with a search back per item), each starting with a letter or
    digit (and no ``1.`` or ``1)``, which would nest an ordered list): mdformat writes it as it
    is."""
    for line in lines:
        item = _PLAIN_ITEM.fullmatch(line)
        if item is None or not _is_plain(item[1]) or _LIST_ITEM.match(item[1]) or item[1] != item[1].strip():
            return None
    return "\n".join(lines) + "\n"


def _cells(line: str) -> list[str] | None:
    """The cells of ``| a | b \\| c |``, split at unescaped pipes as GFM splits them."""
    line = line.rstrip()
    if not line.startswith("|"):
        return None
    cells: list[str] = []
    position = 1
    while position < len(line):
        match = _CELL.match(line, position)
        if match is None:
            return None
        cells.append(match[1].strip())
        position = match.end()
    return cells if position == len(line) and cells else None


def _alignment(delimiter: str) -> str:
    left, right = delimiter.startswith(":"), delimiter.endswith(":")
    return "^" if left and right else ">" if right else "<" if left else ""


def _is_plain(cell: str) -> bool:
    if not cell:
        return True
    if "  " in cell or "://" in cell or "www." in cell.lower():
        return False
    words = _CODE_SPAN.sub(_kept_code, cell) if "`" in cell else cell
    plain = "_" not in words and _PLAIN_TEXT.fullmatch(words) is not None
    return plain and _LETTER_OR_DIGIT.search(words) is not None


def _kept_code(span: re.Match[str]) -> str:
    """A letter for a code span mdformat writes as it is (its text printable, with no backslash
    or pipe, no space at either end); the span itself otherwise, whose backticks are not plain."""
    code = span[1]
    kept = code.isprintable() and not ("\\" in code or "|" in code or code[0] == " " or code[-1] == " ")
    return "x" if kept else span[0]


def _rendered_cells(cells: Sequence[str]) -> dict[str, str] | None:
    """Each distinct cell's text as mdformat renders it in a table; None if mdformat's table
    does not come back one row per cell."""
    rendered = {cell: cell for cell in cells if _is_plain(cell)}
    others = sorted({cell for cell in cells if cell not in rendered})
    for batch in _batches(others):
        table = "| x |\n| --- |\n" + "".join(f"| {cell} |\n" for cell in batch)
        lines = mdformat_text(table).split("\n")[2:-1]
        if len(lines) != len(batch) or not all(line.startswith("| ") and line.endswith(" |") for line in lines):
            return None
        rendered.update((cell, line[2:-2].rstrip(" ")) for cell, line in zip(batch, lines, strict=True))
    return rendered


def _batches(cells: list[str]) -> Iterator[list[str]]:
    """``cells`` in runs of about ``BATCH`` characters: mdformat renders each row's cells on
    their own, so a run is rendered as one table of its own (a syntax tree of one run at a
    time, not of every cell of a large table)."""
    batch: list[str] = []
    size = 0
    for cell in cells:
        if batch and size + len(cell) > BATCH:
            yield batch
            batch, size = [], 0
        batch.append(cell)
        size += len(cell)
    if batch:
        yield batch


def _padded(table: list[list[str]], aligns: list[str]) -> list[str]:
    """The table's lines: columns as wide as their widest cell (at least 3), as wcwidth counts."""
    from wcwidth import wcswidth

    widths = [max(3, *(wcswidth(row[i]) for row in table)) for i in range(len(aligns))]
    rows = [[_pad(cell, width, align) for cell, width, align in zip(row, widths, aligns, strict=True)] for row in table]
    rule = [_delimiter(width, align) for width, align in zip(widths, aligns, strict=True)]
    return ["| " + " | ".join(cells) + " |" for cells in (rows[0], rule, *rows[1:])]


def _pad(text: str, width: int, align: str) -> str:
    """As mdformat-gfm pads, measured the same way (wcwidth gives -1 for control characters)."""
    from wcwidth import wcswidth

    if align == ">":
        return _before(text, width)
    if align == "^":
        return _after(_before(text, (width - wcswidth(text)) // 2 + wcswidth(text)), width)
    return _after(text, width)


def _before(text: str, width: int) -> str:
    from wcwidth import wcswidth

    return " " * max(0, width - wcswidth(text)) + text


def _after(text: str, width: int) -> str:
    from wcwidth import wcswidth

    return text + " " * max(0, width - wcswidth(text))


def _delimiter(width: int, align: str) -> str:
    text = (":" if align in ("<", "^") else "-") + "-" * max(0, width - 2) + (":" if align in (">", "^") else "-")
    return ":-:" if text == "::" else text


@contextlib.contextmanager
def mdformat_in_linear_time() -> Iterator[None]:
    """mdformat finds a node's previous or next sibling by searching all its siblings (every
    part of a paragraph, every block of the document), asks for every list item whether its
    whole list is tight, and counts the lists that run before each list to choose its marker:
    each quadratic (a paragraph of 10,000 parts, a list of 6,000 items, 16,000 sections that
    each hold a list: minutes). While it formats, positions and answers are remembered per node,
    so each sibling list and each list is looked at once; the output is unchanged. Its escape of
    underscores looks at every character of a text with one (``_underscores_escaped`` looks at
    the underscores only: a report of ``REDUNDANT_DEPENDENCY`` lines spent most of its time
    there). If a later mdformat or markdown-it moves one of these, nothing is patched."""
    from markdown_it.tree import SyntaxTreeNode
    from mdformat.renderer import _context, _util
    from mdformat_gfm import _mdformat_plugin

    patched: tuple[tuple[Any, str], ...] = (
        (_util, "is_tight_list"),
        (_context, "get_list_marker_type"),
        (SyntaxTreeNode, "previous_sibling"),
        (SyntaxTreeNode, "next_sibling"),
        (_context, "escape_underscore_emphasis"),
        (_mdformat_plugin, "tasklists_plugin"),
    )
    if not all(hasattr(owner, name) for owner, name in patched):
        yield
        return
    originals: list[Any] = [getattr(owner, name) for owner, name in patched]
    siblings = _Siblings()
    faster = (
        functools.cache(originals[0]),
        _ListMarkers(siblings).marker,
        property(siblings.before),
        property(siblings.after),
        _underscores_escaped,
        tasklists_in_linear_time,
    )
    for (owner, name), replacement in zip(patched, faster, strict=True):
        setattr(owner, name, replacement)
    try:
        yield
    finally:
        for (owner, name), original in zip(patched, originals, strict=True):
            setattr(owner, name, original)


def tasklists_in_linear_time(parser: MarkdownIt) -> None:
    """mdit-py-plugins' task lists, each item's list found from a stack of open lists: the
    plugin's rule searches back from every task item to its list (a list of 4,000 tasks: 4 s a
    parse). Its own rule still marks each item, given just the item and its list."""
    from mdit_py_plugins.tasklists import tasklists_plugin

    parser.use(tasklists_plugin)
    rules = [rule for rule in parser.core.ruler.__rules__ if rule.name == _TASKLISTS]
    if len(rules) != 1:  # a later plugin that names its rule otherwise is left as it is
        return
    mark = rules[0].fn

    def rule(state: StateCore) -> None:
        tokens = state.tokens
        lists: list[Token] = []
        for index, token in enumerate(tokens):
            if token.type.endswith("_list_open"):
                lists.append(token)
            elif token.type.endswith("_list_close") and lists:
                lists.pop()
            elif token.type == "inline" and index >= 2 and lists and tokens[index - 2].type == "list_item_open":
                item = tokens[index - 2 : index + 1]
                alone = SimpleNamespace(tokens=[lists[-1], *item, token])  # the rule reads tokens[2:-1]
                mark(cast("StateCore", alone))

    parser.core.ruler.at(_TASKLISTS, rule)


def _underscores_escaped(text: str) -> str:
    """mdformat's ``escape_underscore_emphasis``, looking at the underscores only: each is escaped
    unless whitespace is on both sides of it, or neither side is whitespace, punctuation or an
    end of the text."""
    if "_" not in text:
        return text
    whitespace, bad = _flanking_sets()
    parts: list[str] = []
    start = 0
    at = text.find("_")
    while at >= 0:
        before = text[at - 1] if at > 0 else None
        after = text[at + 1] if at + 1 < len(text) else None
        kept = (before in whitespace and after in whitespace) or (
            before is not None and after is not None and before not in bad and after not in bad
        )
        if not kept:
            parts += (text[start:at], "\\")
            start = at
        at = text.find("_", at + 1)
    parts.append(text[start:])
    return "".join(parts)


@functools.cache
def _flanking_sets() -> tuple[frozenset[str], frozenset[str]]:
    """mdformat's whitespace, and its whitespace and punctuation together (8,600 characters: made
    once, not for each text with an underscore)."""
    from mdformat import codepoints

    whitespace = frozenset(codepoints.UNICODE_WHITESPACE)
    return whitespace, whitespace | codepoints.UNICODE_PUNCTUATION


class _Siblings:
    """Each node's place among its siblings, found once per list of siblings."""

    def __init__(self) -> None:
        self._place: dict[Any, int] = {}

    def before(self, node: Any) -> Any:
        place = self._of(node)
        return node.siblings[place - 1] if place > 0 else None

    def after(self, node: Any) -> Any:
        place, siblings = self._of(node), node.siblings
        return siblings[place + 1] if place + 1 < len(siblings) else None

    def _of(self, node: Any) -> int:
        if node not in self._place:
            self._place.update((sibling, place) for place, sibling in enumerate(node.siblings))
        return self._place[node]


class _ListMarkers:
    """The marker mdformat gives a list: ``-`` (``.`` for an ordered list), or ``*`` (``)``) for
    every second list of a run of consecutive lists of one kind, as mdformat counts them."""

    def __init__(self, siblings: _Siblings) -> None:
        self._siblings = siblings
        self._run: dict[Any, int] = {}  # list -> how many lists of its kind run up to it

    def marker(self, node: Any) -> str:
        primary, secondary = ("-", "*") if node.type == "bullet_list" else (".", ")")
        return primary if self._run_length(node) % 2 else secondary

    def _run_length(self, node: Any) -> int:
        pending: list[Any] = []
        current = node
        while current is not None and current not in self._run:
            pending.append(current)
            before = self._siblings.before(current)
            current = before if before is not None and before.type == node.type else None
        length = self._run[current] if current is not None else 0
        for item in reversed(pending):
            length += 1
            self._run[item] = length
        return self._run[node]
