"""Outlines drawn as a tree in a code block: labels and the units they hold.

::

    Wave 1 (Foundations - 2 días):
    ├── T1: Schema
    └── T2: Seed data

A line that opens with a unit's label (``Wave 1 (Foundations - 2 días):``) and has a tree
entry right under it (``├──``, ``└──``, ``|--``, ``+--``) is that unit, with everything its label
says (title, duration, window); an entry that is a label (``T1: Schema``) is a unit held by
the nearest entry above it drawn further left, as a nested list item is held by its parent.
A block with arrowheads (``├──→ Phase 2``), boxes or merges is a diagram (``parse.diagram``),
and a tree of file names (``├── types.rs``) names no unit: neither is read here; a root
starts its line (a line inside a box is no root).
"""

from __future__ import annotations

from mdplan.model import Fact, Pos, patterns
from mdplan.parse.blocks import Block
from mdplan.parse.labels import label_facts
from mdplan.parse.refs import parse_label

_DIAGRAM = patterns.compile(r"[┌┐┘┤┬┼╭╮╯→▶►▼↓]")  # boxes, merges, arrowheads: a drawing (``parse.diagram``)
_ROOT = patterns.compile(r"^\s*[\w*\[]")  # a root label starts its line
_ENTRY = patterns.compile(r"^(?P<indent>[\s│|]*)(?:[├└]─+|[|+`]--+)(?P<arrow>\s*[→▶►>])?\s*(?P<text>\S.*)$")


def read_code_outline(block: Block) -> list[Fact]:
    """Recognizer for code blocks (not Mermaid): roots and entries of an outline tree."""
    lines = [line for line in block.lines if line.text.strip()]
    entries = [_ENTRY.match(line.text) for line in lines]
    drawn = any(_DIAGRAM.search(line.text) for line in lines) or any(entry and entry["arrow"] for entry in entries)
    if drawn or not any(entries):
        return []
    facts: list[Fact] = []
    holders: list[tuple[int, tuple[str, ...]]] = []  # (column, ids) of the units still open
    for index, (line, entry) in enumerate(zip(lines, entries, strict=True)):
        column = entry.start("text") if entry else len(line.text) - len(line.text.lstrip())
        while holders and holders[-1][0] >= column:
            holders.pop()
        opens_tree = index + 1 < len(entries) and entries[index + 1] is not None and _ROOT.match(line.text)
        text = line.text[column:]
        label = parse_label(text, generic=True) if entry or opens_tree else None
        if label is not None:
            pos = Pos(line.number, line.col + column)
            facts.extend(label_facts(label, text, pos, block.view, holders[-1][1] if holders else ()))
            holders.append((column, label.ids))
    return facts
