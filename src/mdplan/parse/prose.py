"""Dependencies stated in prose: fields, annotations and sentences.

Forms read (``OWNER`` is the phase the text belongs to: its label, list item or heading):

- fields: ``Dependencies: Only Phase 1 output``, ``Depends on: Phase 3``, ``Blocked by: …``,
  ``Blocks: Nothing``, ``Blocks: Phase 5``, ``Can be in parallel with: Phase 2, Phase 3``;
- phrases about OWNER: ``waits for Phase 2 & 3``, ``Must wait for Phase 3``,
  ``Can start immediately after Phase 1``, ``Must run: After Phase 3 completes``,
  ``(independent)``;
- sentences with their own subject: ``Phase 5 only needs Phase 3``,
  ``Phase 5 waits for all of Phase 3``.

``only`` makes a statement restrictive (exactly these predecessors); ``Nothing``/``None``
deny edges. A phase's own id in its list is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from mdplan.model import DenialKind, DenialStated, DurationStated, EdgeStated, Fact, Pos, View
from mdplan.parse.blocks import Block, Line
from mdplan.parse.durations import parse_duration
from mdplan.parse.refs import find_refs, ids_in, parse_label, strip_markup

_NEGATIVE = re.compile(
    r"^\s*(?:none|nothing|no dependencies|no dependency|n/a|independent|—|-)(?![\w-])", re.IGNORECASE
)
_ONLY = re.compile(r"\bonly\b", re.IGNORECASE)
_DEPENDS_FIELD = re.compile(
    r"^(?:dependencies|dependency|depends on|prerequisites?|requires|blocked by)\s*:\s*(?P<value>.*)",
    re.IGNORECASE,
)
_BLOCKS_FIELD = re.compile(r"^blocks\s*:\s*(?P<value>.*)", re.IGNORECASE)
_WAITS = re.compile(r"\b(?:must\s+|should\s+)?waits?\s+for\s+(?:all\s+of\s+)?(?P<value>.*)", re.IGNORECASE)
_AFTER = re.compile(
    r"\b(?:must run|can run|can start|starts?|runs?|begins?)\s*:?\s*(?:immediately\s+)?after\s+"
    r"(?P<value>.*)",
    re.IGNORECASE,
)
_PARALLEL = re.compile(
    r"\b(?:(?:can\s+(?:be|run)\s+)?(?:run\s+)?in\s+parallel|parallel(?:ize|ise)?)\s+with\s*:?\s*(?P<value>.*)",
    re.IGNORECASE,
)
_DEPENDS_PHRASE = re.compile(r"\b(?:depends|relies)\s+on\s+(?:all\s+of\s+)?(?P<value>.*)", re.IGNORECASE)
_INVERSE_PHRASE = re.compile(
    r"\b(?:consumed|needed|required|used|awaited)\s+(?:by|for)\s+(?P<value>.*)|\brequired\s+for\s+(?P<also>.*)",
    re.IGNORECASE,
)
_INDEPENDENT = re.compile(r"^\s*(?:independent|no dependencies)\s*$", re.IGNORECASE)
_SUBJECT_VERB = re.compile(
    r"(?:\s*\([^)]*\))?\s+(?P<verb>only needs|needs only|depends only on|depends on|needs|requires"
    r"|waits for|must wait for)\s+(?:all\s+of\s+)?(?P<value>.*)",
    re.IGNORECASE,
)
_CLAUSE_SPLIT = re.compile(r"(?<=[.;])\s+|\s+\|\s+")

ClauseRule = Callable[[str, tuple[str, ...], Pos, View | None], Iterator[Fact]]


def read_clause(text: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> list[Fact]:
    """Every dependency fact in one clause of prose that belongs to ``owner``."""
    plain = strip_markup(text).strip()
    facts: list[Fact] = []
    for clause in _CLAUSE_SPLIT.split(plain):
        facts.extend(_subject_sentences(clause, pos, view))
        if owner:
            for rule in _OWNER_RULES:
                facts.extend(rule(clause, owner, pos, view))
    return facts


def read_prose(block: Block) -> list[Fact]:
    """Recognizer for paragraphs and list items."""
    facts: list[Fact] = []
    for line in block.lines:
        if line is block.lines[0] and parse_label(line.text):
            continue  # a label's own annotations are read with the label
        facts.extend(read_clause(line.text, block.owner, Pos(line.number, line.col), block.view))
    return facts


# --- rules about the owner ---------------------------------------------------------------


def _depends_field(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    match = _DEPENDS_FIELD.match(clause)
    if not match:
        return
    value = match["value"]
    if _NEGATIVE.match(value):
        yield from _denials(owner, "no_predecessors", (), text=clause, pos=pos, view=view)
        return
    refs = _others(ids_in(value), owner)
    yield from _edges(refs, owner, pos, view)
    if refs and _ONLY.search(value):
        yield from _denials(owner, "only_predecessors", refs, text=clause, pos=pos, view=view)


def _blocks_field(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    match = _BLOCKS_FIELD.match(clause)
    if not match:
        return
    if _NEGATIVE.match(match["value"]):
        yield from _denials(owner, "no_successors", (), text=clause, pos=pos, view=view)
        return
    for subject in owner:
        yield from _edges((subject,), _others(ids_in(match["value"]), owner), pos, view)


def _after_phrases(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    if _DEPENDS_FIELD.match(clause) or _BLOCKS_FIELD.match(clause):
        return
    for pattern in (_WAITS, _AFTER, _DEPENDS_PHRASE):
        match = pattern.search(clause)
        if match:
            yield from _edges(_leading_ids(match["value"], owner), owner, pos, view)
            return


def _inverse_phrases(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    """``Consumed by Phase 5``, ``Required for Phase 3``: the owner comes first."""
    match = _INVERSE_PHRASE.search(clause)
    if match:
        yield from _edges(owner, _leading_ids(match["value"] or match["also"], owner), pos, view)


def _parallel_phrase(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    match = _PARALLEL.search(clause)
    if match:
        refs = _others(ids_in(match["value"]), owner)
        if refs:
            yield from _denials(owner, "parallel", refs, text=clause, pos=pos, view=view)


def _independent(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    if _INDEPENDENT.match(clause):
        yield from _denials(owner, "no_predecessors", (), text=clause, pos=pos, view=view)


_OWNER_RULES: tuple[ClauseRule, ...] = (
    _depends_field,
    _blocks_field,
    _after_phrases,
    _inverse_phrases,
    _parallel_phrase,
    _independent,
)


# --- sentences with their own subject ----------------------------------------------------


def _subject_sentences(clause: str, pos: Pos, view: View | None) -> Iterator[Fact]:
    for ref in find_refs(clause):
        match = _SUBJECT_VERB.match(clause, ref.end)
        if not match or len(ref.ids) != 1:
            continue
        subject = ref.ids
        refs = _others(_leading_ids(match["value"], subject), subject)
        yield from _edges(refs, subject, pos, view)
        if refs and "only" in match["verb"].lower():
            yield from _denials(subject, "only_predecessors", refs, text=clause, pos=pos, view=view)


# --- helpers -----------------------------------------------------------------------------


def _leading_ids(value: str, owner: tuple[str, ...]) -> tuple[str, ...]:
    """Ids of the references at the start of ``value`` (``Phase 2 & 3 to finish``)."""
    refs = find_refs(value)
    if not refs or refs[0].start > 12:
        return ()
    return _others(refs[0].ids, owner)


def _others(ids: tuple[str, ...], owner: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(i for i in ids if i not in owner)


def _edges(sources: tuple[str, ...], targets: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    for src in sources:
        for dst in targets:
            if src != dst:
                yield EdgeStated(src, dst, "stated", pos, view)


def _denials(
    owner: tuple[str, ...], kind: DenialKind, refs: tuple[str, ...], *, text: str, pos: Pos, view: View | None
) -> Iterator[Fact]:
    for subject in owner:
        yield DenialStated(subject, kind, refs, text.strip(), pos, view)


# --- durations mentioned in prose --------------------------------------------------------

PROSE_RANK = 2
_PROSE_DURATION = re.compile(r"^[^()]{0,40}?\(\s*(?P<value>~?\s*[\d.]+[^()]*)\)")


def read_prose_durations(block: Block) -> list[Fact]:
    """``Phase 2 is quick (~2 min)``: a duration of rank 2, used only where nothing else is."""
    facts: list[Fact] = []
    for line in block.lines:
        if parse_label(line.text):
            continue
        plain = strip_markup(line.text)
        refs = find_refs(plain)
        for ref, after in zip(refs, [*refs[1:], None], strict=False):
            facts.extend(_prose_duration(plain, ref.ids, ref.end, after.start if after else len(plain), line))
    return facts


def _prose_duration(plain: str, ids: tuple[str, ...], start: int, stop: int, line: Line) -> list[Fact]:
    match = _PROSE_DURATION.match(plain[start:stop])
    minutes = parse_duration(match["value"]) if match else None
    if minutes is None or len(ids) != 1:
        return []
    pos = Pos(line.number, line.col)
    return [DurationStated(ids[0], minutes.low, minutes.high, PROSE_RANK, plain.strip(), pos)]
