"""Markdown -> blocks with context: the scenario view and the phase that owns each block.

The markdown-it token stream is walked once. Each heading, paragraph, list item, code block
and table becomes a :class:`Block` holding its source lines (1-based numbers, original
columns), the *view* it belongs to (a heading or label such as ``Current Flow`` or
``**OPTIMIZED PLAN:**``) and its *owner*: the phase named by the nearest enclosing label
(a list item ``Phase 4b: …``, a bold paragraph ``**Phase 4a (Unit Tests)**``, a heading
``### Phase 2``), which is the subject of fields such as ``Dependencies:``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypedDict

from mdplan.model import ScenarioName, View, patterns
from mdplan.parse import cues
from mdplan.parse.ids import ids_in, normalize_name, slug
from mdplan.parse.refs import Label, parse_label, section_label, strip_markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

BlockKind = Literal["heading", "paragraph", "item", "code", "table", "front_matter"]

_CURRENT_WORDS = {"current", "original", "before", "sequential", "as-is", "baseline", "existing"}
_OPTIMIZED_WORDS = {
    "optimized",
    "optimised",
    "proposed",
    "after",
    "parallel",
    "parallelized",
    "parallelised",
    "to-be",
    "improved",
    "target",
    "recommended",
}
_NUMBERING = patterns.compile(r"^(?:[^\w\s]\s*)*(?:\d+(?:\.\d+)*[.)]?\s+)?")
_LINE_PREFIX = patterns.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:\[[ xX]\][ \t]+)?")
NUMBERED_CHECKLIST_ITEM = patterns.compile(r"^\s*[-*+]\s+\[[ xX]\]\s+(?P<n>\d{1,3})[.)]\s+(?P<title>\S.*)$")
ListKind = Literal["steps", "named", ""]
# ``2. **Unit tests** (15 min) — starts after Build``: an item that opens with a bold name
NAMED_ITEM = patterns.compile(r"^\s*\d{1,3}[.)]\s+(?:\*\*|__)(?P<name>[^*_]{1,60}?)(?:\*\*|__)")
_NAMED_ITEM = NAMED_ITEM
_WAITS_FOR_NAME = patterns.compile(
    r"\b(?:after|once|when|waits?\s+for|needs?|requires?|depends\s+on|follows)\s+(?:the\s+)?(?P<rest>[A-Z][^,;.]{0,60})"
)
NUMBERED_ITEM = patterns.compile(r"^\s*(?P<n>\d{1,3})[.)]\s+(?P<title>\S.*)$")
_ITEM_START = patterns.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
_SECTION_SCAN = 40  # lines under a heading searched for its own dependency field
_CLOSING_FENCE = patterns.compile(r"^[ \t]*(?:`{3,}|~{3,})[ \t]*$")
_LINE_END = patterns.compile(r"\r\n?|\n")  # what ends a line for markdown-it (not \f, \v, U+2028, ...)


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based source line
    col: int  # 1-based source column where ``text`` starts
    text: str


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    lines: tuple[Line, ...]
    view: View | None
    owner: tuple[str, ...] = ()
    level: int = 0  # heading level
    parent: tuple[str, ...] = ()  # the owner around this block's own label
    info: str = ""  # a fenced code block's info string (``mermaid``)
    source_first_line: str = ""  # the first source line as written, list marker included
    rows: tuple[tuple[Line, ...], ...] = ()  # table: header row first, one Line per cell
    section: str = ""  # the text of the nearest heading above
    section_line: int = 0  # its line
    sequence: int = 0  # the line of the heading this block is listed under when it says "in order"

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def is_mermaid(self) -> bool:
        """A fenced block whose info string names Mermaid (``mermaid``, ``{mermaid}``)."""
        words = self.info.split()
        return bool(words) and words[0].lower().strip("{}") == "mermaid"

    @property
    def is_data(self) -> bool:
        """A fenced block whose info string names YAML or JSON (``yaml``, ``yml``, ``json``)."""
        words = self.info.split()
        return bool(words) and words[0].lower().strip("{}") in ("yaml", "yml", "json")


def make_parser() -> MarkdownIt:
    """The one markdown-it configuration mdplan reads with: CommonMark, GFM tables, front matter.

    Only the block structure is used (recognizers read each block's source text), so the
    inline pass, the costliest on long lines, is switched off.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)
    return parser.disable("inline")


def view_of(text: str, line: int) -> View | None:
    """The scenario a heading or label names by its first word (``Current Flow``)."""
    words = _NUMBERING.sub("", strip_markup(text)).strip().split()
    first = words[0].lower().strip(":,.()") if words else ""
    scenario: ScenarioName | None = None
    if first in _CURRENT_WORDS:
        scenario = "current"
    elif first in _OPTIMIZED_WORDS:
        scenario = "optimized"
    return View(scenario, strip_markup(text).strip().rstrip(":"), line) if scenario else None


def split_blocks(source: str) -> list[Block]:
    return list(_Walker(source_lines(source)).walk(_Tokens(make_parser().parse(source))))


def source_lines(source: str) -> list[str]:
    """The lines of ``source`` as markdown-it numbers them: ``str.splitlines`` also cuts at form
    feeds, vertical tabs, U+0085, U+2028 and others, which would shift every line after one."""
    lines = _LINE_END.split(source)
    if lines[-1] == "":
        lines.pop()
    return lines


class _Tokens:
    """markdown-it's tokens, read once front to back and each let go as it is read: on a large
    plan the token stream is most of what reading holds, and no token is needed twice.
    Takes over the list it is given (reversed, it is popped from its end)."""

    def __init__(self, tokens: list[Token]) -> None:
        tokens.reverse()
        self._ahead = tokens

    def __iter__(self) -> Iterator[Token]:
        while self._ahead:
            yield self._ahead.pop()

    def take(self) -> Token:
        """The next token."""
        return self._ahead.pop()


class _Section(TypedDict):
    section: str
    section_line: int


@dataclass
class _Heading:
    level: int
    view: View | None
    owner: tuple[str, ...]
    text: str = ""
    line: int = 0
    in_order: bool = False  # ``## Merge Order``: the units listed under it run in that order


@dataclass
class _Walker:
    source_lines: Sequence[str]
    headings: list[_Heading] = field(default_factory=list)
    items: list[tuple[str, ...] | None] = field(default_factory=list)
    lists: list[ListKind] = field(default_factory=list)  # per open list: what its items are
    paragraph_view: View | None = None
    section_owner: tuple[str, ...] = ()
    tab_header: tuple[Line, ...] | None = None

    def walk(self, tokens: _Tokens) -> Iterator[Block]:
        return self._blocks(tokens)

    def _blocks(self, tokens: _Tokens) -> Iterator[Block]:
        """The blocks in order; a heading or paragraph takes the inline token after it (its
        text) and a table every token up to its end."""
        for token in tokens:
            if token.type.endswith(("list_item_open", "list_item_close", "list_open", "list_close")):
                self._nest(token)
            elif token.type == "heading_open":
                yield self._heading(token, tokens.take())
            elif token.type == "paragraph_open":
                yield self._paragraph(token, tokens.take())
            elif token.type in ("fence", "code_block"):
                yield self._code(token)
            elif token.type == "table_open":
                yield self._table(token, tokens)
            elif token.type == "front_matter":
                yield self._front_matter(token)

    def _nest(self, token: Token) -> None:
        if token.type == "list_item_open":
            self.items.append(None)
        elif token.type == "list_item_close":
            self.items.pop()
        elif token.type.endswith("_open"):
            self.lists.append(self._list_kind(token) if token.type == "ordered_list_open" else "")
        else:
            self.lists.pop()

    # --- context ---

    def _section(self) -> _Section:
        """The nearest heading above, which each block is made with (never copied after)."""
        heading = self.headings[-1] if self.headings else None
        return (
            {"section": heading.text, "section_line": heading.line} if heading else {"section": "", "section_line": 0}
        )

    def _view(self) -> View | None:
        if self.paragraph_view:
            return self.paragraph_view
        return next((h.view for h in reversed(self.headings) if h.view), None)

    def _heading_owner(self) -> tuple[str, ...]:
        return next((h.owner for h in reversed(self.headings) if h.owner), ())

    def _owner(self) -> tuple[str, ...]:
        item_owner = next((o for o in reversed(self.items) if o), None)
        return item_owner or self.section_owner

    # --- blocks ---

    def _heading(self, token: Token, inline: Token) -> Block:
        line = _first_line(token)
        level = int(token.tag[1])
        label = parse_label(inline.content, generic=True)
        # a unit by its name owns its own section only: it holds no headings below it
        named = None if label or level == 1 else self._section_label(inline.content, line)
        while self.headings and self.headings[-1].level >= level:
            self.headings.pop()
        heading = _Heading(level, view_of(inline.content, line), label.ids if label else (), inline.content, line)
        heading.in_order = not label and not named and bool(cues.SEQUENCE_HEADING.search(inline.content))
        above = self.headings[-1] if self.headings else None
        self.headings.append(heading)
        self.paragraph_view = None
        parent = next((h.owner for h in reversed(self.headings[:-1]) if h.owner), ())
        self.section_owner = label.ids if label else named.ids if named else parent
        lines = (Line(line, 1, inline.content),)
        sequence = above.line if above and above.in_order else 0
        return Block(
            "heading",
            lines,
            self._view(),
            self.section_owner,
            level,
            parent=parent,
            sequence=sequence,
            **self._section(),
        )

    def _section_label(self, text: str, line: int) -> Label | None:
        """A section that states its own dependencies is a unit, whatever its heading's shape:
        ``### schema-builder`` over ``- Depends: none`` (units first; references find it by name).
        A list item, a label or a heading before the field owns it instead."""
        for raw in itertools.islice(self.source_lines, line, line + _SECTION_SCAN):
            if raw.lstrip().startswith("#"):
                return None
            if _is_field(raw):
                return section_label(text)
            plain = _plain(raw)
            if plain and (parse_label(plain) or _ITEM_START.match(raw)):
                return None
        return None

    def _list_kind(self, token: Token) -> ListKind:
        """What an ordered list's items are: ``steps`` (a line of it is a dependency field,
        ``- Depends on: Step 3``, or names a step, ``Once step 4 is done, …``), ``named`` units
        (items that open with a bold name and say what they wait for: ``2. **Unit tests** —
        starts after Build``), or nothing. Each list is read once, when it opens."""
        start, end = token.map or (0, 0)
        lines = list(itertools.islice(self.source_lines, start, end))
        if any(_is_field(raw) or _names_a_step(raw) for raw in lines):
            return "steps"
        names = {normalize_name(m["name"]) for raw in lines if (m := _NAMED_ITEM.match(raw))}
        stating = [raw for raw in lines if _names_another_item(raw, names)]
        return "named" if len(names) > 1 and len(stating) > 1 else ""

    def _front_matter(self, token: Token) -> Block:
        start, end = token.map or (0, 0)
        lines = tuple(Line(n + 1, 1, self.source_lines[n]) for n in range(start + 1, max(start + 1, end - 1)))
        return Block("front_matter", lines, None, **self._section())

    def _tab_table(self, lines: tuple[Line, ...]) -> Block | None:
        """Lines of TAB-separated columns, as plain-text timelines write tables; a one-line
        paragraph of them just before is the header."""
        if self.items or "\t" not in lines[-1].text:
            return None
        rows = tuple(_tab_cells(line) for line in lines)
        if len(rows) == 1 or not all("\t" in line.text for line in lines):
            self.tab_header = rows[-1]
            return None
        header, self.tab_header = self.tab_header, None
        rows = (header, *rows) if header and len(header) == len(rows[0]) else rows
        return Block("table", lines, self._view(), self._owner(), rows=rows, **self._section())

    def _paragraph(self, token: Token, inline: Token) -> Block:
        lines = self._source_lines(token)
        table = self._tab_table(lines)
        if table:
            return table
        first_in_item = bool(self.items) and self.items[-1] is None
        label = parse_label(inline.content, generic=first_in_item)
        if label and first_in_item and any(i.startswith(("FR-", "NFR-", "REQ-", "SC-", "AC-")) for i in label.ids):
            label = None
        if first_in_item:
            parent = self._owner()
            numbered = NUMBERED_CHECKLIST_ITEM.match(self.source_lines[lines[0].number - 1])
            own = label.ids if label else ((f"task-{numbered['n']}",) if numbered else self._step(lines[0].number))
            self.items[-1] = own
            raw = self.source_lines[lines[0].number - 1]
            here = self.headings[-1] if self.headings else None
            sequence = here.line if here and here.in_order and len(self.items) == 1 else 0
            return Block(
                "item",
                lines,
                self._view(),
                self._owner(),
                parent=parent,
                source_first_line=raw,
                sequence=sequence,
                **self._section(),
            )
        if not self.items:
            self._read_paragraph_context(inline.content, lines[0].number, label is not None)
            parent = self._heading_owner()
            if inline.content.lstrip().startswith(("**", "__")) and _is_caption(inline.content):
                self.section_owner = label.ids if label else self._heading_owner()
            elif label and inline.content.lstrip().startswith(("**", "__")):
                self.section_owner = label.ids
            return Block("paragraph", lines, self._view(), self._owner(), parent=parent, **self._section())
        return Block("paragraph", lines, self._view(), self._owner(), **self._section())

    def _step(self, line: int) -> tuple[str, ...]:
        """``3. **Run the migration**`` in a list of steps: step 3; ``2. **Unit tests** — starts
        after Build`` in a list of named units: ``unit-tests`` (``labels.read_labels``)."""
        raw = self.source_lines[line - 1]
        kind = self.lists[-1] if self.lists else ""
        numbered = NUMBERED_ITEM.match(raw)
        if numbered and kind == "steps":
            return (f"step-{numbered['n']}",)
        named = _NAMED_ITEM.match(raw)
        return (slug(strip_markup(named["name"])),) if named and kind == "named" else ()

    def _read_paragraph_context(self, content: str, line: int, is_label: bool) -> None:
        if is_label or not _is_caption(content):
            return
        self.paragraph_view = view_of(content, line) or self.paragraph_view

    def _code(self, token: Token) -> Block:
        start, end = token.map or (0, 0)
        if token.type == "fence":
            start += 1
            if end > start and _CLOSING_FENCE.match(self.source_lines[end - 1]):
                end -= 1
        lines = tuple(Line(n + 1, 1, self.source_lines[n]) for n in range(start, end))
        return Block("code", lines, self._view(), self._owner(), info=token.info.strip(), **self._section())

    def _table(self, opening: Token, tokens: _Tokens) -> Block:
        rows: list[tuple[Line, ...]] = []
        row: list[Line] = []
        line = _first_line(opening)
        for token in tokens:
            if token.type == "table_close":
                break
            if token.type == "tr_open":
                row, line = [], _first_line(token)
            elif token.type == "inline":
                row.append(Line(line, 1, token.content))
            elif token.type == "tr_close":
                rows.append(tuple(row))
        lines = tuple(cells[0] for cells in rows if cells)
        return Block("table", lines, self._view(), self._owner(), rows=tuple(rows), **self._section())

    def _source_lines(self, token: Token) -> tuple[Line, ...]:
        start, end = token.map or (0, 0)
        lines = []
        for number in range(start, end):
            raw = self.source_lines[number]
            prefix = _LINE_PREFIX.match(raw)
            cut = prefix.end() if prefix else 0
            lines.append(Line(number + 1, cut + 1, raw[cut:].rstrip()))
        return tuple(lines)


def _plain(raw: str) -> str:
    prefix = _LINE_PREFIX.match(raw)
    return strip_markup(raw[prefix.end() if prefix else 0 :]).strip()


def _names_another_item(raw: str, names: set[str]) -> bool:
    """``— starts after Unit tests``: a dependency phrase, then the bold name of an item."""
    for match in _WAITS_FOR_NAME.finditer(raw):
        rest = normalize_name(match["rest"])
        if any(rest == name or rest.startswith(name + " ") for name in names):
            return True
    return False


def _names_a_step(raw: str) -> bool:
    return any(ch.isdigit() for ch in raw) and any(i.startswith("step-") for i in ids_in(raw))


def _is_field(raw: str) -> bool:
    """A line that is a dependency field with a value: ``- Depends on: Step 2``."""
    plain = _plain(raw)
    field = cues.DEPENDS_FIELD.match(plain) or cues.BLOCKS_FIELD.match(plain)
    return bool(field and field["value"].strip())


def _tab_cells(line: Line) -> tuple[Line, ...]:
    cells = []
    for match in re.finditer(r"[^\t]+", line.text):
        if match[0].strip():
            offset = match.start() + len(match[0]) - len(match[0].lstrip())
            cells.append(Line(line.number, line.col + offset, match[0].strip()))
    return tuple(cells)


def _first_line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 1


def _is_caption(content: str) -> bool:
    """A short paragraph that titles what follows: ``**ORIGINAL PLAN:**``, ``After:``."""
    text = content.strip()
    whole_bold = text.startswith(("**", "__")) and text.endswith(("**", "__"))
    return (whole_bold or strip_markup(text).endswith(":")) and len(text.split()) <= 8
