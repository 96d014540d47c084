"""YAML front matter of a plan file, and the small YAML reader mdplan reads YAML with.

Front matter: ``id`` (or ``plan`` with the number that opens ``phase``, as GSD plans write it:
``phase: 04-oauth``, ``plan: 02`` -> ``04-02``), ``depends_on``/``dependencies``/``blocked_by``,
``files_modified``/``files``, ``duration``/``estimate``, ``title``/``name``. A dependency key
with no value (``depends_on: []``, ``none``) states that the unit waits for nothing.

The reader (:func:`read_yaml`) knows the part of YAML plans write: block mappings and lists by
indentation (``- key: value`` opening a mapping inside a list, a list under a key at the
key's own indentation), flow lists and mappings on one line or over several (``[a, b]``,
``{needs: [a]}``), quoted and plain scalars, comments, ``|``/``>`` block scalars. Scalars stay
text as written: YAML loaders turn ``plan: 02`` into the number 2, and an id must stay as
written. Every node keeps its 1-based line. It never raises; what it cannot read it skips.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from mdplan.model import DenialStated, DurationStated, EdgeStated, Fact, FileTouched, PhaseNamed, Pos, patterns
from mdplan.parse.blocks import Block, Line
from mdplan.parse.durations import find_durations

_DEPENDS = ("depends_on", "dependencies", "depends", "blocked_by", "after", "requires")
_NOTHING = {"none", "null", "~", "[]"}
_FILES = ("files_modified", "files", "files_touched")


def read_front_matter(block: Block) -> list[Fact]:
    fields = _fields(block.lines)
    unit = _unit_id(fields)
    if unit is None:
        return []
    pos = Pos(block.lines[0].number if block.lines else 1)
    title = _first(fields, ("title", "name"))
    facts: list[Fact] = [PhaseNamed(unit, unit, title, pos, None)]
    depends = {key: [d for d in fields[key] if d.lower() not in _NOTHING] for key in _DEPENDS if key in fields}
    facts.extend(EdgeStated(dep, unit, "stated", pos, None) for deps in depends.values() for dep in deps)
    facts.extend(DenialStated(unit, "no_predecessors", (), f"{k}: []", pos, None) for k, v in depends.items() if not v)
    facts.extend(FileTouched(unit, path, pos) for key in _FILES for path in fields.get(key, []))
    duration = _first(fields, ("duration", "estimate", "effort"))
    found = find_durations(duration or "")
    if found:
        facts.append(DurationStated(unit, found[0].low, found[0].high, 0, duration or "", pos))
    return facts


def _fields(lines: tuple[Line, ...]) -> dict[str, list[str]]:
    """The top-level keys of the front matter, each with its scalar or list of scalars."""
    root = read_yaml(lines)
    if not isinstance(root, Map):
        return {}
    return {key.lower(): texts(value) for key, _, value in root.entries}


def _first(fields: dict[str, list[str]], keys: tuple[str, ...]) -> str | None:
    return next((fields[k][0] for k in keys if fields.get(k)), None)


def _unit_id(fields: dict[str, list[str]]) -> str | None:
    if fields.get("id"):
        return fields["id"][0]
    plan, phase = _first(fields, ("plan",)), _first(fields, ("phase",))
    if plan and phase and (number := re.match(r"\d+", phase)):
        return f"{number[0]}-{plan}"
    return None


# --- the reader ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scalar:
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Node, ...]
    line: int


@dataclass(frozen=True, slots=True)
class Map:
    entries: tuple[tuple[str, int, Node], ...]  # key as written, its line, its value
    line: int
    by_name: dict[str, tuple[str, Node]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {key_name(key): (key, value) for key, _, value in reversed(self.entries)}
        object.__setattr__(self, "by_name", by_name)

    def get(self, keys: Sequence[str]) -> tuple[str, Node] | None:
        """The first of ``keys`` this mapping has (compared by :func:`key_name`), with its value."""
        return next((self.by_name[k] for k in keys if k in self.by_name), None)


Node = Scalar | Seq | Map

MAX_DEPTH = 32  # deeper nesting is skipped: no plan nests that deep, and reading stays linear


@functools.lru_cache(maxsize=1024)
def key_name(key: str) -> str:
    """A key compared by meaning: ``Depends-On``, ``depends on`` and ``depends_on`` are one key."""
    return re.sub(r"[\s-]+", "_", key.strip().lower())


def texts(node: Node) -> list[str]:
    """A scalar or a list of scalars as texts (empty ones left out); a mapping has none."""
    if isinstance(node, Scalar):
        return [node.text] if node.text else []
    if isinstance(node, Seq):
        return [item.text for item in node.items if isinstance(item, Scalar) and item.text]
    return []


class _Token(NamedTuple):
    """One entry line: ``- `` (``key`` None) or ``key:``, at its indentation, with its value."""

    indent: int
    line: int
    key: str | None
    value: str


# A quoted scalar; one left open runs to the end. Possessive, so no quote is ever read twice.
_QUOTED = r""""(?:[^"\\]|\\.)*+\\?(?:"|\Z)|'[^']*+(?:'|\Z)"""
_QUOTED_KEY = patterns.compile(rf"^(?P<key>{_QUOTED})[ \t]*:(?:\s|$)")
_KEY_END = patterns.compile(r":(?:\s|$)")
_PLAIN_KEY = patterns.compile(r"^(?:[^\s#'\"\[\]{},&*!|>%@`-]|-\S)")
_DASH = patterns.compile(r"^-(?:\s+|$)")
_BLOCK_SCALAR = patterns.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")


def read_yaml(lines: Sequence[Line]) -> Node:
    """The YAML document in ``lines`` as nodes; an empty or unreadable one is an empty scalar."""
    tokens = _tokens(lines)
    reader = _Reader(tokens)
    return reader.node(-1, tokens[0].line if tokens else 1, 0)


def _tokens(lines: Sequence[Line]) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        body = line.text.lstrip(" \t")
        if not body or body.startswith("#") or line.text.rstrip() in ("---", "..."):
            continue
        entry = _line_tokens(len(line.text) - len(body), line.number, body.rstrip())
        if entry and _BLOCK_SCALAR.match(entry[-1].value):
            index, text = _block_scalar(lines, index, entry[-1].indent)
            entry[-1] = entry[-1]._replace(value=_quoted(text))
        elif entry and _unbalanced(entry[-1].value):
            index, text = _flow_lines(lines, index, entry[-1].value)
            entry[-1] = entry[-1]._replace(value=text)
        tokens.extend(entry)
    return tokens


def _line_tokens(indent: int, number: int, body: str) -> list[_Token]:
    """``- - key: value`` is a dash, a dash, then a key, each at its own column."""
    tokens: list[_Token] = []
    while dash := _DASH.match(body):
        rest = body[dash.end() :]
        if not rest or len(tokens) >= MAX_DEPTH or not (_DASH.match(rest) or key_at(rest)):
            return [*tokens, _Token(indent, number, None, rest)]
        tokens.append(_Token(indent, number, None, ""))
        indent, body = indent + dash.end(), rest
    key = key_at(body)
    if key is None:
        return tokens  # a plain scalar over several lines: its later lines are not read
    return [*tokens, _Token(indent, number, key[0], key[1].strip())]


def key_at(text: str) -> tuple[str, str] | None:
    """``key: value`` -> the key (unquoted) and what follows its colon; None for a scalar."""
    if text[:1] in "\"'":
        quoted = _QUOTED_KEY.match(text)
        return (_unquote(quoted["key"]), text[quoted.end() :]) if quoted else None
    end = _KEY_END.search(text)
    key = text[: end.start()].rstrip() if end else ""
    if not key or not _PLAIN_KEY.match(key) or " #" in key or "\t#" in key:
        return None
    return key, text[end.end() :] if end else ""


def _block_scalar(lines: Sequence[Line], index: int, indent: int) -> tuple[int, str]:
    """The lines of a ``|`` or ``>`` scalar: blank, or indented deeper than its key."""
    kept: list[str] = []
    while index < len(lines):
        text = lines[index].text
        if text.strip() and len(text) - len(text.lstrip(" \t")) <= indent:
            break
        kept.append(text.strip())
        index += 1
    return index, " ".join(t for t in kept if t)


def _flow_lines(lines: Sequence[Line], index: int, value: str) -> tuple[int, str]:
    """A flow list or mapping that goes on over the next lines, until its brackets close."""
    parts = [value]
    depth = _depth_after(value)
    while index < len(lines) and depth > 0:
        parts.append(lines[index].text.strip())
        depth += _depth_after(parts[-1])
        index += 1
    return index, " ".join(parts)


def _unbalanced(value: str) -> bool:
    return value.startswith(("[", "{")) and _depth_after(value) > 0


def _depth_after(text: str) -> int:
    depth = 0
    for part in _QUOTED_OR_BRACKET.findall(text):
        if part in "[{":
            depth += 1
        elif part in "]}":
            depth -= 1
    return depth


_QUOTED_OR_BRACKET = patterns.compile(rf"{_QUOTED}|[\[\]{{}}]")


class _Reader:
    """Nodes from tokens by indentation; each token is read once."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def node(self, above: int, line: int, depth: int) -> Node:
        """The block below an entry at indentation ``above``, or an empty scalar."""
        token = self._peek()
        if token is None or token.indent <= above or depth > MAX_DEPTH:
            return Scalar("", line)
        return self._seq(token.indent, depth) if token.key is None else self._map(token.indent, depth)

    def _seq(self, indent: int, depth: int) -> Seq:
        items: list[Node] = []
        line = self.tokens[self.index].line
        while (token := self._peek()) is not None and token.indent >= indent:
            if token.indent > indent:
                self.index += 1  # a line deeper than anything open: not read
                continue
            if token.key is not None:
                break
            self.index += 1
            items.append(flow(token.value, token.line) if token.value else self.node(indent, token.line, depth + 1))
        return Seq(tuple(items), line)

    def _map(self, indent: int, depth: int) -> Map:
        entries: list[tuple[str, int, Node]] = []
        line = self.tokens[self.index].line
        while (token := self._peek()) is not None and token.indent >= indent:
            if token.indent > indent:
                self.index += 1
                continue
            if token.key is None:
                break
            self.index += 1
            entries.append((token.key, token.line, self._value(token, depth)))
        return Map(tuple(entries), line)

    def _value(self, token: _Token, depth: int) -> Node:
        if token.value:
            return flow(token.value, token.line)
        following = self._peek()
        if following is not None and following.key is None and following.indent == token.indent:
            return self._seq(token.indent, depth + 1)  # ``key:`` then ``- item`` at the key's column
        return self.node(token.indent, token.line, depth + 1)


def flow(text: str, line: int, depth: int = 0) -> Node:
    """A value written on the line: ``[a, b]``, ``{needs: [a]}``, ``"quoted"`` or plain."""
    text = text.strip()
    if text and text[0] in "[{" and depth <= MAX_DEPTH:
        inner = _bracketed(text)
        if inner is not None:
            parts = [part for part in _split_top(inner) if part.strip()]
            if text[0] == "[":
                return Seq(tuple(flow(part, line, depth + 1) for part in parts), line)
            return Map(tuple(_flow_entry(part, line, depth) for part in parts), line)
    return Scalar(_scalar(text), line)


def _flow_entry(part: str, line: int, depth: int) -> tuple[str, int, Node]:
    """``key: value`` in a flow mapping; JSON writes ``"key":value`` with no space."""
    part = part.strip()
    quoted = _FLOW_QUOTED_KEY.match(part)
    key = (_unquote(quoted["key"]), part[quoted.end() :]) if quoted else key_at(part)
    if key is None:
        return _unquote(part), line, Scalar("", line)
    return key[0], line, flow(key[1], line, depth + 1)


_FLOW_QUOTED_KEY = patterns.compile(rf"^(?P<key>{_QUOTED})[ \t]*:")


def _bracketed(text: str) -> str | None:
    """The inside of the bracket ``text`` opens with, up to its closing bracket."""
    depth = 0
    for match in _QUOTED_OR_BRACKET.finditer(text):
        part = match[0]
        depth += 1 if part in "[{" else -1 if part in "]}" else 0
        if depth == 0:
            return text[1 : match.start()]
    return None


def _split_top(text: str) -> list[str]:
    """``a, [b, c], "d, e"`` -> ``a``, ``[b, c]``, ``"d, e"``: commas outside brackets and quotes."""
    parts: list[str] = []
    depth, start = 0, 0
    for match in _QUOTED_OR_SEPARATOR.finditer(text):
        part = match[0]
        if part == "," and depth == 0:
            parts.append(text[start : match.start()])
            start = match.end()
        depth += 1 if part in "[{" else -1 if part in "]}" else 0
    return [*parts, text[start:]]


_QUOTED_OR_SEPARATOR = patterns.compile(rf"{_QUOTED}|[\[\]{{}},]")


def _scalar(text: str) -> str:
    """A scalar's text: quotes taken off, a trailing comment left out."""
    text = text.strip()
    if text[:1] in "\"'":
        closing = text.find(text[0], 1)
        if closing > 0:
            return text[1:closing]
    return text.split(" #", maxsplit=1)[0].strip()


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _quoted(text: str) -> str:
    """A block scalar's text as a quoted scalar, so ``#`` in it is no comment."""
    return '"' + text.replace('"', "'") + '"'
