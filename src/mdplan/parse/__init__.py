"""Markdown -> facts. Each notation is a recognizer: one small function, one row below.

A recognizer takes a :class:`~mdplan.parse.blocks.Block` (a heading, paragraph, list item,
code block or table with its scenario view and owning phase) and returns facts with their
source positions. It never prints and never raises for odd input.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace

from mdplan.model import Fact, Note, Pos
from mdplan.parse import cues, ids, labels, refs
from mdplan.parse.blocks import Block, BlockKind, split_blocks
from mdplan.parse.claims import read_claims
from mdplan.parse.commands import read_test_runs
from mdplan.parse.diagram import read_chains, read_diagram
from mdplan.parse.files import read_code_paths, read_file_fields
from mdplan.parse.labels import read_duration_fields, read_labels
from mdplan.parse.obsidian import read_obsidian_tasks
from mdplan.parse.outline import read_code_outline
from mdplan.parse.partial import read_partial_needs
from mdplan.parse.prose import read_owner_durations, read_prose, read_prose_durations
from mdplan.parse.quotes import outside_code
from mdplan.parse.tables import read_table
from mdplan.parse.timeline import read_timeline

Recognizer = Callable[[Block], list[Fact]]


def _on_first_use(module: str, name: str, wanted: Callable[[Block], bool] | None = None) -> Recognizer:
    """A recognizer whose module loads when a block first needs it: blocks most plans never
    have (Mermaid, front matter, YAML and JSON) cost nothing at start-up. ``wanted`` says
    cheaply which blocks it reads; any other gets nothing without the module loading."""

    def recognizer(block: Block) -> list[Fact]:
        if wanted is not None and not wanted(block):
            return []
        found: Recognizer = getattr(importlib.import_module(f"mdplan.parse.{module}"), name)
        return found(block)

    recognizer.__name__ = name
    return recognizer


read_mermaid = _on_first_use("mermaid", "read_mermaid")
read_front_matter = _on_first_use("frontmatter", "read_front_matter")
read_structured = _on_first_use("structured", "read_structured", lambda block: block.is_data)

# Statements are read outside quoted code spans (``parse/quotes.py``); labels and file fields
# read the text as written (titles keep their code, paths are code spans).
_prose = outside_code(read_prose)
_timeline = outside_code(read_timeline)
_prose_durations = outside_code(read_prose_durations)
_owner_durations = outside_code(read_owner_durations)
_duration_fields = outside_code(read_duration_fields)
_obsidian_tasks = outside_code(read_obsidian_tasks)
_claims = outside_code(read_claims)
_partial_needs = outside_code(read_partial_needs)

RECOGNIZERS: dict[BlockKind, tuple[Recognizer, ...]] = {
    "heading": (read_labels, _prose),
    "paragraph": (
        read_labels,
        read_chains,
        _prose,
        read_file_fields,
        _timeline,
        _prose_durations,
        _owner_durations,
        _duration_fields,
        _claims,
        _partial_needs,
    ),
    "item": (
        read_labels,
        read_chains,
        _prose,
        read_file_fields,
        _timeline,
        _prose_durations,
        _owner_durations,
        _duration_fields,
        _obsidian_tasks,
        _claims,
        _partial_needs,
    ),
    "code": (
        read_mermaid,
        read_structured,
        read_diagram,
        read_code_outline,
        read_timeline,
        read_code_paths,
        read_claims,
        read_test_runs,
    ),
    "table": (read_table,),
    "front_matter": (read_front_matter,),
}


def read_facts(text: str) -> list[Fact]:
    """Every fact the document states, in document order of its blocks."""
    return read_document(text)[1]


def read_document(text: str) -> tuple[str | None, list[Fact]]:
    """The document's title (its first level-1 heading) and every fact it states. Raises
    ``ids.TooManyRangeIds`` when its ranges name more than ``ids.MAX_RANGE_IDS`` ids."""
    try:
        with ids.ranges_counted():
            return _read_document(text)
    finally:
        _forget_texts()


def _forget_texts() -> None:
    """Labels, references, chain tests and lowered texts are memoized by text while one
    document is read (the block splitter and the recognizers read the same lines); the memo is
    dropped after it, so a large plan's texts do not stay in memory through the analysis and
    the report."""
    ids.forget_texts()
    refs.forget_texts()
    labels.forget_texts()
    cues.lower_case.cache_clear()


def _read_document(text: str) -> tuple[str | None, list[Fact]]:
    blocks = split_blocks(text)
    title = next((b.lines[0].text.strip() for b in blocks if b.kind == "heading" and b.level == 1), None)
    facts: list[Fact] = []
    for whole in blocks:
        block, skipped = _without_overlong_lines(whole)
        facts.extend(skipped)
        for recognizer in _recognizers(block):
            facts.extend(recognizer(block))
    return title, facts


MAX_LINE = 20_000
TOO_LONG = "MP113"


def _without_overlong_lines(block: Block) -> tuple[Block, list[Fact]]:
    """A line longer than ``MAX_LINE`` characters is no plan text (it is data): left unread."""
    if all(len(line.text) <= MAX_LINE for line in block.lines):
        return block, []
    notes: list[Fact] = [
        Note(
            TOO_LONG,
            "info",
            f"line of {len(line.text)} characters is longer than {MAX_LINE}; it was not read",
            Pos(line.number),
        )
        for line in block.lines
        if len(line.text) > MAX_LINE
    ]
    kept = tuple(replace(line, text="") if len(line.text) > MAX_LINE else line for line in block.lines)
    return replace(block, lines=kept), notes


def _recognizers(block: Block) -> tuple[Recognizer, ...]:
    """A Mermaid block is read as Mermaid only, never traced as a drawing."""
    if block.kind == "code" and block.is_mermaid:
        return (read_mermaid,)
    return RECOGNIZERS[block.kind]


__all__ = ["RECOGNIZERS", "read_document", "read_facts"]
