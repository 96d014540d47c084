"""Partial needs: a phase that needs only part of its predecessor.

``Phase 5 only needs the multipart schema, which could be defined early in Phase 3``,
``Phase 5 only needs the schema from Phase 3``, ``Phase 5 can start once Phase 3's schema is
ready``; in a phase's own section the subject may be left out (``Only needs the types from
Phase 1``). What is needed must be a thing, not a phase: ``Phase 5 only needs Phase 3`` is a
restrictive dependency (``mdplan.parse.prose``), not a partial one.
"""

from __future__ import annotations

import re

from mdplan.model import Fact, PartialNeed, Pos, patterns
from mdplan.parse.blocks import Block
from mdplan.parse.refs import find_refs, strip_markup

_CUE = patterns.compile(
    r"\b(?:only\s+needs|needs\s+only|only\s+requires|requires\s+only|only\s+depends\s+on|only\s+uses"
    r"|can\s+start\s+(?:as\s+soon\s+as|once|when))\b",
    re.IGNORECASE,
)
_PART_OF = patterns.compile(r"(?:\b(?:from|of|in|by|within)|'s|’s)\s*$", re.IGNORECASE)
_POSSESSIVE = patterns.compile(r"^\s*(?:'s|’s)\s+(?P<what>[^,.;]+?)(?:\s+(?:is|are)\b|[,.;]|$)", re.IGNORECASE)
_THING = patterns.compile(r"[^\W\d][\w-]*")
_FILLER = {
    "the",
    "a",
    "an",
    "its",
    "their",
    "which",
    "that",
    "could",
    "can",
    "be",
    "is",
    "are",
    "defined",
    "written",
    "made",
    "ready",
    "early",
    "first",
    "part",
    "output",
    "outputs",
    "results",
    "result",
    "done",
}
_SENTENCE = patterns.compile(r"(?<=[.;!?])\s+")


def read_partial_needs(block: Block) -> list[Fact]:
    """Recognizer for paragraphs and list items."""
    facts: list[Fact] = []
    for line in block.lines:
        text = strip_markup(line.text)
        for sentence in _SENTENCE.split(text):
            need = partial_need(sentence, block.owner, Pos(line.number, line.col + max(text.find(sentence), 0)))
            if need:
                facts.append(need)
    return facts


def partial_need(sentence: str, owner: tuple[str, ...], pos: Pos) -> PartialNeed | None:
    cue = _CUE.search(sentence)
    if cue is None:
        return None
    refs = find_refs(sentence)
    before = [r for r in refs if r.end <= cue.start()]
    after = [r for r in refs if r.start >= cue.end()]
    subject = before[-1].ids if before else owner
    if len(subject) != 1 or not after:
        return None
    target = after[0]
    between = sentence[cue.end() : target.start]
    possessive = _POSSESSIVE.match(sentence[target.end :])
    if len(target.ids) != 1 or target.ids[0] == subject[0]:
        return None
    if _PART_OF.search(between) and _thing(between):
        return PartialNeed(subject[0], target.ids[0], _thing(between), pos)
    if possessive and _thing(possessive["what"]):
        return PartialNeed(subject[0], target.ids[0], _thing(possessive["what"]), pos)
    return None


def _thing(text: str) -> str:
    """The thing needed, without articles and linking words; "" when nothing is left."""
    head = re.split(r",|\bwhich\b|\bthat\b|\bfrom\b|\bof\b|\bin\b|\bby\b", text, maxsplit=1)[0]
    words = [w for w in _THING.findall(head) if w.lower() not in _FILLER]
    return " ".join(words)
