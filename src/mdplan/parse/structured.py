"""Structured task lists: fenced ``yaml``/``yml``/``json`` blocks that list units and their needs.

Two shapes, at the top of the block or under any key (``tasks:``, ``phases:``)::

    - id: anchor-extraction            T1:
      estimate: 2d                       estimate: 2h
    - id: schema-builder               T2: {needs: [T1], effort: 3h}
      depends_on: [anchor-extraction]
      files: [src/schema.py]

A list of mappings is a task list when every entry names its unit (an id key, else a name
key) and some entry states a dependency or a duration. A mapping of ids to mappings is one
when some entry depends on another of its keys. Neither is when an entry carries a key that
configuration files have and plans do not (``runs-on``, ``script``, ``image``, ...): CI
workflows, compose files and site configurations give nothing.

Ids stay as written (``T1``, ``P01-11``, ``anchor-extraction``); a unit label names its unit
(``Phase 2`` -> ``2``) and any other name with spaces becomes a slug. References are read the
same way, so they resolve by the ids the entries give. Dependencies are a list or a comma
string; ``blocks`` lists the units that wait for this one. A task list inside an entry
(``tasks:`` under a phase) holds that entry's parts. Every fact is at the line of its entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from mdplan.model import DurationStated, EdgeStated, Fact, FileTouched, PhaseNamed, Pos, View, patterns
from mdplan.model.vocabulary import phase_label
from mdplan.parse.blocks import Block
from mdplan.parse.durations import NUMBER, find_durations
from mdplan.parse.frontmatter import MAX_DEPTH, Map, Node, Scalar, Seq, key_name, read_yaml, texts
from mdplan.parse.ids import normalize_name
from mdplan.parse.refs import find_refs, parse_label

DATA_LANGUAGES = frozenset({"yaml", "yml", "json"})

_ID_KEYS = ("id", "key", "ref", "slug", "code", "task_id", "uid")
_UNIT_WORDS = ("phase", "step", "stage", "wave", "milestone", "sprint", "epic", "task", "part", "feature")
_NUMBERED = patterns.compile(r"\d+(?:\.\d+)*[a-z]?")  # ``step: 3``: a unit word's number
_NAME_KEYS = ("name", "title", "task", "summary")
_DEPENDS_KEYS = (
    "depends_on", "dependencies", "depends", "deps", "needs", "after", "blocked_by", "requires",
    "prerequisites", "predecessors", "waits_for",
)  # fmt: skip
_BLOCKS_KEYS = ("blocks", "required_by", "unblocks")
_DURATION_KEYS = ("duration", "estimate", "effort", "estimated_duration", "estimated_effort", "time_estimate")
_UNIT_KEYS = {"minutes": "min", "hours": "h", "days": "d", "weeks": "w"}  # ``hours: 3``
_FILE_KEYS = ("files", "files_modified", "files_touched", "paths", "modules")
_CONFIG_KEYS = frozenset({
    "runs_on", "uses", "run", "script", "before_script", "after_script", "image", "services", "ports",
    "volumes", "command", "cmds", "entrypoint", "container", "healthcheck", "restart", "networks",
    "artifacts", "template", "task_ref", "dockerfile",
})  # fmt: skip
_NONE = frozenset({"", "none", "null", "~", "-", "n/a", "nothing", "[]"})


def read_structured(block: Block) -> list[Fact]:
    """Recognizer for code blocks fenced as ``yaml``, ``yml`` or ``json``."""
    language = block.info.split()[0].lower().strip("{}") if block.info.split() else ""
    if language not in DATA_LANGUAGES or not block.lines:
        return []
    root = _json(block) if language == "json" else read_yaml(block.lines)
    found = list(_task_lists(root, None, 0))
    local = _Local.of(entry for entries, _ in found for entry in entries)
    return [fact for entries, parent in found for entry in entries for fact in _facts(entry, parent, local, block.view)]


# --- finding task lists ----------------------------------------------------------------------


class _Entry(NamedTuple):
    line: int
    unit: str
    names: tuple[str, ...]  # how the block refers to it: its id as written, its name
    fields: Map


class _Local(dict[str, str]):
    """The units of one block by the names it gives them (``T1``, ``1`` for ``step: 1``,
    ``Build parser``), compared as :func:`~mdplan.parse.ids.normalize_name` compares names."""

    @classmethod
    def of(cls, entries: Iterable[_Entry]) -> _Local:
        local = cls()
        for entry in entries:
            for name in entry.names:
                local.setdefault(normalize_name(name), entry.unit)
        return local

    def refs(self, piece: str) -> list[str]:
        """The units a reference names: one of the block's own, else what its text names."""
        own = self.get(normalize_name(piece))
        return [own] if own else _piece_refs(piece)


def _task_lists(node: Node, parent: str | None, depth: int) -> Iterator[tuple[list[_Entry], str | None]]:
    """Every task list in ``node``, with the unit that holds it; then those inside its entries."""
    if depth > MAX_DEPTH or isinstance(node, Scalar):
        return
    entries = _listed(node) if isinstance(node, Seq) else _keyed(node)
    if entries:
        yield entries, parent
        for entry in entries:
            for _, _, value in entry.fields.entries:
                yield from _task_lists(value, entry.unit, depth + 1)
        return
    children = node.items if isinstance(node, Seq) else tuple(value for _, _, value in node.entries)
    for child in children:
        yield from _task_lists(child, parent, depth + 1)


def _listed(node: Seq) -> list[_Entry]:
    """``- id: T1 …``: every item a mapping that names its unit, some with a need or a duration."""
    maps = [item for item in node.items if isinstance(item, Map)]
    if not maps or len(maps) != len(node.items) or not _is_task_list(maps):
        return []
    named = [(entry, _named(entry)) for entry in maps]
    return [_Entry(entry.line, *name, entry) for entry, name in named if name] if all(n for _, n in named) else []


def _keyed(node: Map) -> list[_Entry]:
    """``T1: {needs: [T0]}``: every value a mapping, and some entry needs another key of it."""
    entries = [
        _Entry(line, _unit(key), (key, *_names(value)), value)
        for key, line, value in node.entries
        if isinstance(value, Map)
    ]
    if not entries or len(entries) != len(node.entries) or not _is_task_list([e.fields for e in entries]):
        return []
    local = _Local.of(entries)
    units = {entry.unit for entry in entries}
    needed = {ref for entry in entries for ref in _refs(entry.fields, _DEPENDS_KEYS, local)}
    return entries if needed & units else []


def _is_task_list(entries: list[Map]) -> bool:
    if any(key_name(key) in _CONFIG_KEYS for entry in entries for key, _, _ in entry.entries):
        return False
    return any(entry.get(_DEPENDS_KEYS + _DURATION_KEYS + tuple(_UNIT_KEYS)) for entry in entries)


def _named(entry: Map) -> tuple[str, tuple[str, ...]] | None:
    """The entry's unit and names: an id key (``id: T1``), a numbered unit (``step: 3`` is
    Step 3), else a name key (``name: Build parser``)."""
    written = _text(entry, _ID_KEYS)
    if written:
        return _unit(written), (written, *_names(entry))
    for word in _UNIT_WORDS:
        number = _text(entry, (word,))
        if _NUMBERED.fullmatch(number):
            return _unit(f"{word} {number}"), (number, *_names(entry))
    name = _text(entry, _NAME_KEYS)
    return (_unit(name), (name,)) if name else None


def _names(entry: Map) -> tuple[str, ...]:
    return tuple(name for key in _NAME_KEYS if (name := _text(entry, (key,))) and not _NUMBERED.fullmatch(name))


def _text(entry: Map, keys: tuple[str, ...]) -> str:
    found = entry.get(keys)
    return found[1].text.strip() if found and isinstance(found[1], Scalar) else ""


# --- one entry -------------------------------------------------------------------------------


def _facts(entry: _Entry, parent: str | None, local: _Local, view: View | None) -> list[Fact]:
    unit, fields, pos = entry.unit, entry.fields, Pos(entry.line)
    facts: list[Fact] = [PhaseNamed(unit, phase_label(unit), _title(unit, fields), pos, view, parent)]
    facts.extend(
        EdgeStated(ref, unit, "stated", pos, view) for ref in _refs(fields, _DEPENDS_KEYS, local) if ref != unit
    )
    facts.extend(
        EdgeStated(unit, ref, "stated", pos, view) for ref in _refs(fields, _BLOCKS_KEYS, local) if ref != unit
    )
    facts.extend(_duration(unit, fields, pos))
    found = fields.get(_FILE_KEYS)
    if found:
        facts.extend(FileTouched(unit, path, pos) for path in _pieces(found[1]))
    return facts


def _title(unit: str, entry: Map) -> str | None:
    """The entry's name (``name: Parse anchors``); the title of a label (``Phase 2: Setup``)."""
    for name in _names(entry):
        label = parse_label(name, generic=True)
        title = label.title if label and label.ids == (unit,) else name
        if title and title != unit:
            return title
    return None


_MINUTES_M = patterns.compile(rf"^\s*({NUMBER}(?:\s*-\s*{NUMBER})?)\s*m\s*$")  # ``15m``, as data files write it


def _duration(unit: str, entry: Map, pos: Pos) -> list[Fact]:
    """``estimate: 2h`` (``15m`` is minutes here), else ``hours: 6``."""
    found = entry.get(_DURATION_KEYS)
    text, minutes = "", []
    if found and isinstance(found[1], Scalar):
        text = f"{found[0]}: {found[1].text}"
        minutes = find_durations(_MINUTES_M.sub(r"\1 min", found[1].text))
    counted = entry.get(tuple(_UNIT_KEYS))
    if not minutes and counted and isinstance(counted[1], Scalar):
        text = f"{counted[0]}: {counted[1].text}"
        minutes = find_durations(f"{counted[1].text} {_UNIT_KEYS[key_name(counted[0])]}")
    return [DurationStated(unit, minutes[0].low, minutes[0].high, 0, text, pos)] if minutes else []


def _refs(entry: Map, keys: tuple[str, ...], local: _Local) -> list[str]:
    """The units named under ``keys``: a list, or a comma string (``T1, T2``, ``Phases 1-3``)."""
    refs: list[str] = []
    for key in keys:
        found = entry.get((key,))
        if found:
            refs.extend(ref for piece in _pieces(found[1]) for ref in local.refs(piece))
    return list(dict.fromkeys(refs))


def _pieces(node: Node) -> list[str]:
    pieces = [piece.strip() for text in texts(node) for piece in re.split(r"[,;]", text)]
    if isinstance(node, Seq):
        pieces += [name[1][0] for item in node.items if isinstance(item, Map) and (name := _named(item))]
    return [piece for piece in pieces if piece.lower() not in _NONE]


def _piece_refs(piece: str) -> list[str]:
    refs = find_refs(piece, generic=True)
    if refs and refs[0].start == 0 and refs[-1].end == len(piece):
        return [ref for found in refs for ref in found.ids]
    return [_unit(piece)]


def _unit(text: str) -> str:
    """An id as written (``T1``, ``P01-11``), the unit a label names (``Phase 2``), or a slug."""
    text = text.strip()
    label = parse_label(text, generic=True)
    if label and len(label.ids) == 1:
        return label.ids[0]
    if not re.search(r"\s", text):
        return text
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-") or text


# --- JSON ------------------------------------------------------------------------------------

_SURROGATE = patterns.compile("[\ud800-\udfff]")  # a lone half of a pair: ``"\\ud800"`` in JSON
_JSON_MARK = patterns.compile(r'"(?:[^"\\]|\\.)*"(?P<key>\s*:)?|(?P<open>\{)|(?P<newline>\n)')


class _Object(list[tuple[str, object]]):
    """A JSON object's pairs, duplicates kept, so lines can be matched to keys in order."""


def _json(block: Block) -> Node:
    """The block's JSON as nodes, each mapping and key at its line; invalid JSON is nothing."""
    text = "\n".join(line.text for line in block.lines)
    try:
        value = json.loads(text, object_pairs_hook=_Object)
    except (ValueError, RecursionError):
        return Scalar("", block.lines[0].number)
    marks = iter(_json_marks(text, block.lines[0].number))
    return _json_node(value, marks, block.lines[0].number, 0)


def _json_marks(text: str, first: int) -> Iterator[int]:
    """The line of every ``{`` and every key, in the order the parser meets them."""
    line = first
    for match in _JSON_MARK.finditer(text):
        if match["newline"]:
            line += 1
        elif match["open"] or match["key"]:
            yield line


def _json_node(value: object, marks: Iterator[int], line: int, depth: int) -> Node:
    if isinstance(value, _Object):
        at = next(marks, line)
        entries = []
        for key, item in value:
            key_line = next(marks, at)
            entries.append((_encodable(key), key_line, _json_node(item, marks, key_line, depth + 1)))
        return Map(tuple(entries), at)
    if isinstance(value, list):
        return Seq(tuple(_json_node(item, marks, line, depth + 1) for item in value), line)
    if value is None:
        return Scalar("", line)
    return Scalar(_encodable(value) if isinstance(value, str) else json.dumps(value), line)


def _encodable(text: str) -> str:
    """JSON's ``\\ud800`` escapes a lone surrogate, which no UTF-8 output can hold: U+FFFD for it."""
    return _SURROGATE.sub("\ufffd", text)
