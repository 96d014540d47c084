"""Code spans are quoted text: what a document shows, not what it states.

A code span (`` `Phase 1 (10 min) -> Phase 2` ``, `` `Depends on: T001` ``, `` `🆔 abc123` ``)
is an example, a command or a name: a README that documents a notation quotes it, and a plan
that renames ``old → new`` quotes code. So the recognizers of statements (dependencies,
durations, timelines, claims) read a block with its code spans blanked, columns kept. A span
that holds nothing but unit references (`` Depends on: `T001`, `T002` ``) is how some plans
write ids, and stays. Labels (titles keep their code) and file fields (paths are code spans)
read the block as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import replace

from mdplan.model import Fact, patterns
from mdplan.parse.blocks import Block
from mdplan.parse.ids import find_refs

_TICKS = patterns.compile(r"`+")
_SPACE = patterns.compile(r"[^\n]")
_SEPARATORS = patterns.compile(r"[\s,&+/()\[\]–-]*|\s*(?:and|or|to)\s*", re.IGNORECASE)

Recognizer = Callable[[Block], list[Fact]]


def outside_code(recognizer: Recognizer) -> Recognizer:
    """``recognizer`` reading blocks whose quoted code spans are blanked."""

    def read(block: Block) -> list[Fact]:
        return recognizer(without_quotes(block))

    read.__name__ = recognizer.__name__
    return read


def without_quotes(block: Block) -> Block:
    """``block`` with each quoted code span replaced by spaces (lines and columns as written).

    A span may run over the lines of its paragraph, so the block's lines are read as one text.
    """
    if not any("`" in line.text for line in block.lines):
        return block
    return _blanked(block)


@functools.lru_cache(maxsize=4)
def _blanked(block: Block) -> Block:
    """Blanked once per block: every statement recognizer reads the same block in turn."""
    texts = blank_quotes("\n".join(line.text for line in block.lines)).split("\n")
    lines = tuple(replace(line, text=text) for line, text in zip(block.lines, texts, strict=True))
    first = block.source_first_line
    return replace(block, lines=lines, source_first_line=blank_quotes(first) if first else first)


def blank_quotes(text: str) -> str:
    """``text`` with its quoted code spans (all but bare references) replaced by spaces."""
    if "`" not in text:
        return text
    parts: list[str] = []
    position = 0
    for start, end, code in code_spans(text):
        parts.append(text[position:start])
        parts.append(text[start:end] if _only_references(code) else _SPACE.sub(" ", text[start:end]))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def code_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of each code span, as CommonMark pairs backtick runs: a run opens a
    span that the next run of the same length closes (linear in the text)."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    closing = _next_of_same_length(runs)
    spans = []
    index = 0
    while index < len(runs):
        end = closing[index]
        if end is None:
            index += 1  # a run without its pair is literal text
            continue
        spans.append((runs[index][0], runs[end][1], text[runs[index][1] : runs[end][0]]))
        index = end + 1
    return spans


def _next_of_same_length(runs: list[tuple[int, int]]) -> list[int | None]:
    """For each run of backticks, the index of the next run as long as it, if any."""
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        width = runs[index][1] - runs[index][0]
        following[index] = last.get(width)
        last[width] = index
    return following


def _only_references(code: str) -> bool:
    """``T001``, ``Phase 3``, ``US1 & US2``, ``CORE-001``: ids and the separators of a list."""
    refs = find_refs(code, generic=True)
    if not refs:
        return False
    position = 0
    for ref in refs:
        if not _SEPARATORS.fullmatch(code[position : ref.start]):
            return False
        position = ref.end
    return bool(_SEPARATORS.fullmatch(code[position:]))
