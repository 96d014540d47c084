"""Mermaid blocks: ``flowchart``/``graph`` edges and ``gantt`` tasks.

Flowcharts: ``A --> B``, chains ``A --> B --> C``, ``A -->|label| B``, ``A -- text --> B``,
``A & B --> C``, ``A ==> B``; ``A -.-> B`` is a soft (optional) edge; lines without an
arrowhead (``---``, ``~~~``) are not dependencies. A node whose label names a unit
(``A[Phase 1: Add types]``) is that unit; any other node keeps its Mermaid id.

Gantt: ``Name :tags, id, start, end-or-duration``; ``after a b`` gives an edge from each of
``a`` and ``b``; durations ``30m``, ``2h``, ``5d``, ``1w`` (working time: 1 d = 8 h, 1 w = 5 d);
an end date gives calendar days.
A task without a unit reference keeps its Mermaid id, or a slug of its name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from mdplan.model import AliasStated, DurationStated, EdgeStated, Fact, Note, PhaseNamed, Pos, View, patterns
from mdplan.model.vocabulary import MINUTES_PER_DAY, MINUTES_PER_WEEK
from mdplan.parse.blocks import Block, Line
from mdplan.parse.durations import NUMBER
from mdplan.parse.labels import label_facts
from mdplan.parse.refs import parse_label

BAD_GANTT = "MP110"
_SKIP = patterns.compile(r"^\s*(?:classDef|class|style|linkStyle|click|subgraph|end|direction|%%|accTitle|accDescr)\b")
_LINK = patterns.compile(
    r"\s*(?P<op><?-{2,}>|<?={2,}>|<?-\.+->|-{3,}|={3,}|-\.+-|~{3,}|--[ox]|<?--\s[^>|]*?\s-->|<?==\s[^>|]*?\s==>"
    r"|<?-\.\s[^>|]*?\s\.->)(?:\s*\|[^|]*\|)?\s*"
)
_NODE = patterns.compile(
    r"^\s*(?P<id>[\w.-]+)\s*(?P<shape>\[\[.*\]\]|\[\(.*\)\]|\(\(.*\)\)|\(\[.*\]\)|\[/.*/\]|\[\\.*\\\]|\{\{.*\}\}"
    r"|\[.*\]|\(.*\)|\{.*\}|>.*\])?\s*$"
)


def read_mermaid(block: Block) -> list[Fact]:
    """Recognizer for code blocks fenced as ``mermaid``."""
    if not block.lines or not block.is_mermaid:
        return []
    body = [line for line in block.lines if line.text.strip()]
    if not body:
        return []
    kind = body[0].text.split()[0].lower()
    if kind in ("flowchart", "graph"):
        return _Flowchart(block.view).read(body[1:])
    if kind == "gantt":
        return _Gantt(block.view).read(body[1:])
    return []


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text.lower()).strip("-") or "node"


_SHAPES = (("[[", "]]"), ("[(", ")]"), ("((", "))"), ("([", "])"), ("[/", "/]"), ("[\\", "\\]"), ("{{", "}}"),
           ("[", "]"), ("(", ")"), ("{", "}"), (">", "]"))  # fmt: skip


def _shape_text(shape: str) -> str:
    """The label inside a node shape: ``[Phase 1]``, ``([Start])``, ``{{Decide}}``."""
    for opening, closing in _SHAPES:
        if shape.startswith(opening) and shape.endswith(closing) and len(shape) >= len(opening) + len(closing):
            return shape[len(opening) : len(shape) - len(closing)]
    return shape


def _unquote(label: str) -> str:
    label = label.strip()
    return label[1:-1] if len(label) > 1 and label[0] == label[-1] == '"' else label


# --- flowchart ---------------------------------------------------------------------------


@dataclass
class _Flowchart:
    view: View | None
    labels: dict[str, tuple[str, Line]] = field(default_factory=dict)
    links: list[tuple[list[str], list[str], bool, Line]] = field(default_factory=list)
    shaped: set[str] = field(default_factory=set)

    def read(self, lines: list[Line]) -> list[Fact]:
        for line in lines:
            for statement in line.text.split(";"):
                if statement.strip() and not _SKIP.match(statement):
                    self._statement(statement, line)
        return self._facts()

    def _statement(self, statement: str, line: Line) -> None:
        parts = _LINK.split(statement)
        groups = [self._group(part, line) for part in parts[0::2]]
        for index, op in enumerate(parts[1::2]):
            if op.rstrip().endswith((">",)) and not op.lstrip().startswith("<"):
                self.links.append((groups[index], groups[index + 1], "." in op, line))

    def _group(self, text: str, line: Line) -> list[str]:
        ids = []
        for piece in text.split("&"):
            match = _NODE.match(piece)
            if not match:
                continue
            node, shape = match["id"], match["shape"]
            ids.append(node)
            if shape and node not in self.shaped:
                self.shaped.add(node)
                self.labels[node] = (_unquote(_shape_text(shape)), line)
            else:
                self.labels.setdefault(node, (node, line))
        return ids

    def _facts(self) -> list[Fact]:
        facts: list[Fact] = []
        units: dict[str, tuple[str, ...]] = {}
        for node, (text, line) in self.labels.items():
            label = parse_label(text, strict=False, generic=True)
            pos = Pos(line.number, line.col)
            if label:
                units[node] = label.ids
                facts.extend(label_facts(label, text, pos, self.view))
                if len(label.ids) == 1 and node != label.ids[0] and node != text:
                    # ``T1[Task 1: Schema]``: a table or a list elsewhere may name the node ``T1``
                    facts.append(AliasStated(node, label.ids[0], pos))
            else:
                units[node] = (node,)
                facts.append(PhaseNamed(node, text, None, pos, self.view))
        for sources, targets, optional, line in self.links:
            for src in sources:
                for dst in targets:
                    facts.extend(self._edges(units, src, dst, optional, line))
        return facts

    def _edges(self, units: dict[str, tuple[str, ...]], src: str, dst: str, optional: bool, line: Line) -> list[Fact]:
        pos = Pos(line.number, line.col)
        return [
            EdgeStated(a, b, "drawn", pos, self.view, optional)
            for a in units.get(src, (src,))
            for b in units.get(dst, (dst,))
            if a != b
        ]


# --- gantt -------------------------------------------------------------------------------

_GANTT_SKIP = patterns.compile(
    r"^\s*(?:title|dateFormat|axisFormat|section|excludes|includes|todayMarker|tickInterval|weekday|displayMode"
    r"|inclusiveEndDates|topAxis|%%|accTitle|accDescr|click)\b",
    re.IGNORECASE,
)
_TAGS = {"done", "active", "crit", "milestone"}
_MERMAID_DURATION = patterns.compile(rf"^(?P<n>{NUMBER})\s*(?P<unit>ms|s|m|h|d|w)$")
_UNIT_MINUTES = {"ms": 1 / 60000, "s": 1 / 60, "m": 1.0, "h": 60.0, "d": MINUTES_PER_DAY, "w": MINUTES_PER_WEEK}
_DATE = patterns.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class _Task:
    name: str
    key: str | None
    start: str | None
    end: str | None
    line: Line


@dataclass
class _Gantt:
    view: View | None

    def read(self, lines: list[Line]) -> list[Fact]:
        tasks = [task for line in lines if (task := _task(line))]
        ids = {task.key: self._unit(task) for task in tasks if task.key}
        facts: list[Fact] = []
        for task in tasks:
            facts.extend(self._task_facts(task, ids))
        return facts

    def _unit(self, task: _Task) -> str:
        label = parse_label(task.name, strict=False, generic=True)
        if label and len(label.ids) == 1:
            return label.ids[0]
        return task.key or _slug(task.name)

    def _task_facts(self, task: _Task, ids: dict[str, str]) -> list[Fact]:
        unit = self._unit(task)
        pos = Pos(task.line.number, task.line.col)
        facts: list[Fact] = [PhaseNamed(unit, task.name, None, pos, self.view)]
        for before in _after(task.start):
            facts.append(EdgeStated(ids.get(before, before), unit, "drawn", pos, self.view))
        minutes = _length(task.start, task.end)
        if minutes is not None:
            facts.append(DurationStated(unit, minutes, minutes, 0, task.line.text.strip(), pos))
        elif task.end and not _after(task.end):
            message = f"gantt task {task.name!r} has no duration Mermaid can read ({task.end!r})"
            facts.append(Note(BAD_GANTT, "warning", message, pos))
        return facts


def _task(line: Line) -> _Task | None:
    if _GANTT_SKIP.match(line.text) or ":" not in line.text:
        return None
    name, _, meta = line.text.partition(":")
    items = [item.strip() for item in meta.split(",") if item.strip()]
    items = [item for item in items if item.lower() not in _TAGS]
    if not name.strip() or not items:
        return None
    key = items.pop(0) if len(items) == 3 else None
    start = items[0] if len(items) == 2 else None
    return _Task(name.strip(), key, start, items[-1], line)


def _after(value: str | None) -> list[str]:
    if value and value.lower().startswith("after "):
        return value.split()[1:]
    return []


def _length(start: str | None, end: str | None) -> float | None:
    if end is None:
        return None
    duration = _MERMAID_DURATION.match(end)
    if duration:
        return float(duration["n"]) * _UNIT_MINUTES[duration["unit"]]
    if start and _DATE.match(start) and _DATE.match(end):
        days = (date.fromisoformat(end) - date.fromisoformat(start)).days
        return float(days * MINUTES_PER_DAY) if days >= 0 else None
    return None
