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

import itertools
import re
from collections.abc import Callable, Generator, Iterator

from mdplan.model import (
    DenialKind,
    DenialStated,
    DurationStated,
    EdgeStated,
    Fact,
    Mentioned,
    Note,
    Pos,
    View,
    patterns,
)
from mdplan.parse import cues
from mdplan.parse.blocks import Block, Line
from mdplan.parse.durations import Minutes, find_durations, parse_duration, spoken_duration
from mdplan.parse.ids import ABOVE, field_refs, is_above, name_ref, with_open_end
from mdplan.parse.partial import partial_need
from mdplan.parse.refs import find_refs, ids_in, parse_label, strip_markup

_NEGATIVE = cues.NONE
_ONLY = patterns.compile(r"\bonly\b", re.IGNORECASE)
_OPTIONAL = patterns.compile(r"\boptional(?:ly)?\b|\bnice to have\b|\bsoft\b", re.IGNORECASE)
_NEGATED = patterns.compile(
    r"\b(?:(?:does\s+not|doesn't|do\s+not|don't|never|no\s+longer)\s+(?:depend|rely|wait)s?"
    r"|(?:no\s+need\s+to|need\s+not|needn't|(?:does\s+not|doesn't|do\s+not|don't)\s+(?:need|have)\s+to)\s+wait"
    r"|without\s+waiting)\s+(?:on|for)\s+(?P<value>.*)",
    re.IGNORECASE,
)
_INDEPENDENT_OF_EACH_OTHER = patterns.compile(r"\s*(?:are|is)\s+(?:independent|parallel)\b", re.IGNORECASE)
_DEPENDS_FIELD = cues.DEPENDS_FIELD
_BLOCKS_FIELD = cues.BLOCKS_FIELD
_WAITS = patterns.compile(r"\b(?:must\s+|should\s+)?waits?\s+for\s+(?:all\s+of\s+)?(?P<value>.*)", re.IGNORECASE)
_AFTER = patterns.compile(
    r"\b(?:must run|can run|can start|starts?|runs?|begins?)\s*:?\s*(?:(?:immediately|only)\s+)*after\s+"
    r"(?P<value>.*)",
    re.IGNORECASE,
)
_BEFORE = patterns.compile(r"\b(?:complete[ds]?|finish(?:ed)?|done)\s+before\s+(?P<value>.*)", re.IGNORECASE)
_PARALLEL = cues.PARALLEL
_SUBJECT_PARALLEL = cues.CuePattern(
    r"\s*(?:\([^)]*\)\s*)?(?:(?:can|may|will|should|could)\s+)?(?:(?:be|is|are|runs?|executes?|happens?|goes)\s+)?"
    r"(?:(?:done|run|executed|worked\s+on)\s+)?(?:" + cues.PARALLEL.pattern + ")"
)
_DEPENDS_PHRASE = patterns.compile(r"\b(?:depends?|relies|rely)\s+on\s+(?:all\s+of\s+)?(?P<value>.*)", re.IGNORECASE)
# ``Needs the handlers from PR 3``, ``sits on top of the schema from PR 1``: what the owner uses
_USES_FROM = patterns.compile(
    r"\b(?:needs?|requires?|uses?|consumes?|builds?\s+on|(?:sits?|is\s+built|builds?)\s+(?:directly\s+)?on\s+top\s+of)"
    r"\s+(?:[\w-]+\s+){0,4}?(?:from|of|in|added\s+in|built\s+in)\s+(?P<value>.*)",
    re.IGNORECASE,
)
_INVERSE_PHRASE = patterns.compile(
    r"\b(?:consumed|needed|required|used|awaited)\s+(?:by|for)\s+(?P<value>.*)|\brequired\s+for\s+(?P<also>.*)"
    r"|\b(?:unused|not\s+(?:yet\s+)?(?:used|needed|required|called))\s+(?:until|before)\s+(?P<until>.*)",
    re.IGNORECASE,
)
_INDEPENDENT = patterns.compile(r"^\W*(?:independent|no dependencies)\W*$", re.IGNORECASE)
_SUBJECT_HEAD = r"(?:\s*\([^)]*\))?\s*(?:→|->|:|-|—)?\s*"
_WORDS = r"(?:[^\W\d][\w'-]*\s+){0,8}?"
# (pattern after the subject, does the subject come first in the dependency?, restrictive?)
_SUBJECT_FORMS: tuple[tuple[re.Pattern[str], bool, bool], ...] = tuple(
    (patterns.compile(_SUBJECT_HEAD + pattern + r"\s*(?:all\s+of\s+)?(?P<value>.*)", re.IGNORECASE), first, only)
    for pattern, first, only in (
        (r"(?:only needs|needs only|depends only on)", False, True),
        (r"needs\s+" + _WORDS + r"(?:from|of)", False, False),  # ``needs sign-off from the soak (Phase 4)``
        (r"(?:depends on|relies on|needs|waits for|must wait for|is blocked by|builds on)", False, False),
        (
            r"(?:\w+\s+){0,2}?(?:should|must|can|will)\s+(?:only\s+)?(?:run|start|begin|execute|happen|come)"
            r"\s+(?:only\s+)?after",
            False,
            False,
        ),
        (r"(?:runs|starts|begins|comes)\s+(?:only\s+)?after", False, False),
        # ``Phase 4 starts when Phase 3 is green``, ``S-13 can start once S-12's API is merged``,
        # ``S-17 picks up after S-15 lands``, ``Phase 6 follows Phase 5``
        (r"(?:\w+\s+){0,3}?(?:after|once|when|as\s+soon\s+as)", False, False),
        (r"(?:follows|comes\s+after|is\s+followed\s+by\s+nothing\s+but)", False, False),
        (r"requires\s+" + _WORDS + r"(?:from|of)", False, False),
        (r"requires", False, False),
        (
            r"(?:must|should|has to|needs to)\s+(?:be\s+)?(?:complete[ds]?|finish(?:ed)?|done|land(?:ed)?|merged?)"
            r"\s+before",
            True,
            False,
        ),
        (r"(?:(?:comes|runs|goes|happens)\s+before|precedes|blocks)\s+", True, False),
        (
            r"(?:provides|produces|creates|delivers)\s+" + _WORDS + r"(?:needed|required|used)\s+(?:by|for|in)",
            True,
            False,
        ),
        (r"(?:is|are)\s+(?:needed|required)\s+(?:by|for)", True, False),
        (r"\)?\s*before\s+(?:[^\W\d][\w-]*\s+)?\(?", True, False),
    )
)
_LEADING_REF_SPAN = 12
_CLAUSE_SPLIT = patterns.compile(r"(?<=[.;])\s+|\s+[|·•—]\s+|\s*[；。]\s*")  # ``… PR 2 — it only needs PR 1 — so …``

ClauseRule = Callable[[str, tuple[str, ...], Pos, View | None], Iterator[Fact]]


def read_clause(text: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> list[Fact]:
    """Every dependency fact in one clause of prose that belongs to ``owner``.

    Without an owner, a dependency phrase still names units (``## Required for Epic 2``):
    they are mentioned, so the plan knows them, though the phrase has no subject.
    """
    plain = strip_markup(text).strip()
    facts: list[Fact] = []
    for clause in _CLAUSE_SPLIT.split(plain):
        denied = list(_negations(clause, owner, pos, view))
        if denied:
            facts.extend(denied)
            continue
        own = (
            list(_arrow_chain(clause, pos, view))
            or list(_opening_clause(clause, pos, view))
            or list(_subject_sentences(clause, pos, view))
        )
        facts.extend(own)
        if own:
            continue  # a sentence with its own subject is not about the owner
        for rule in _OWNER_RULES:
            found = list(rule(clause, owner or (_NOBODY,), pos, view))
            facts.extend(found if owner else _mentions(found, pos, view))
    return facts


_NOBODY = "\0"


def _mentions(facts: list[Fact], pos: Pos, view: View | None) -> list[Fact]:
    named = {i for f in facts if isinstance(f, EdgeStated) for i in (f.src, f.dst)} - {_NOBODY}
    return [Mentioned(ref, pos, view) for ref in sorted(named)]


def read_prose(block: Block) -> list[Fact]:
    """Recognizer for paragraphs and list items: each sentence, though a paragraph wraps it
    over lines, at the line where it starts."""
    facts: list[Fact] = []
    for line in _logical_lines(block.lines):
        if _MAY_STATE_DEPENDENCY.search(line.text):
            facts.extend(read_clause(line.text, block.owner, Pos(line.number, line.col), block.view))
    return facts


_SENTENCE_ENDS = frozenset(".;:!?。；：|")  # a line ends a sentence where one of these ends its text
_STARTS_FIELD = patterns.compile(r"^\W*[^\W\d][\w\s'/-]{0,40}?\s*[:：]|^\W*(?:[-*+]|\d{1,9}[.)])\s")


def _is_field_line(text: str) -> bool:
    return bool(_STARTS_FIELD.match(strip_markup(text)))


def _logical_lines(lines: tuple[Line, ...]) -> list[Line]:
    """Lines joined where a sentence runs on (``… in parallel with`` / ``Phases 3 and 4.``); a
    line that ends a sentence, and a field (``Blocks: …``), end where they end.

    A text ends a sentence where the characters after its last letter or digit hold a stop
    (``.``, ``;``, ``:``, ``!``, ``?``, ``|``): known from each new line alone, since a line runs
    on only from a text that did not end one. Whether joined lines read as a field (``*Note*:``
    paired over two lines) is asked while they are at most ``FIELD_RUN`` characters long. So a
    paragraph is joined in linear time however long its sentences run (the joined text was read
    again whole for each line it took)."""
    joined: list[Line] = []
    parts: list[str] = []
    length = 0  # of the joined text, to ask whether it is a field only while it is short
    runs_on = False  # whether the next line may run on into the last logical line
    for line in lines:
        if runs_on and not _is_field_line(line.text):
            piece = line.text.strip()
            parts += [" ", piece]
            length += 1 + len(piece)
            runs_on = not _ends_sentence(piece) and not (length <= FIELD_RUN and _is_field_line("".join(parts)))
            continue
        _close(joined, parts)
        joined.append(line)
        parts, length = [line.text], len(line.text)
        runs_on = not _ends_sentence(line.text) and not _is_field_line(line.text)
    _close(joined, parts)
    return joined


FIELD_RUN = 2_000  # characters of joined lines a field is looked for in


def _close(joined: list[Line], parts: list[str]) -> None:
    """The last logical line, with the lines it took."""
    if len(parts) > 1:
        first = joined[-1]
        joined[-1] = Line(first.number, first.col, "".join(parts))


def _ends_sentence(text: str) -> bool:
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "_"):  # back over what ``\W`` matches
        end -= 1
    return any(c in _SENTENCE_ENDS for c in text[end:])


# a line without any of these words states no dependency: a cheap test before the rules
_MAY_STATE_DEPENDENCY = cues.CuePattern(
    r"depend|wait|after|before|block|requir|need|parallel|only|independent|none|nothing|consum|prerequisite"
    r"|precede|rel(?:y|ies)|build|provid|produc|creat|deliver|come|run|start|begin|complete|finish|done|land|merge"
    r"|until|top of|uses?\b|" + cues.ANY_CUE.pattern
)


# --- rules about the owner ---------------------------------------------------------------


def _depends_field(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    match = _DEPENDS_FIELD.match(clause)
    if not match:
        return
    value = match["value"]
    if _NEGATIVE.match(value):
        yield from _denials(owner, "no_predecessors", (), text=clause, pos=pos, view=view)
        return
    refs = yield from _predecessors(field_refs(value), owner, pos)
    yield from _edges(refs, owner, pos, view, optional=bool(_OPTIONAL.search(value)))
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
        yield from _edges((subject,), _others(field_refs(match["value"]), owner), pos, view)


def _after_phrases(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    if _DEPENDS_FIELD.match(clause) or _BLOCKS_FIELD.match(clause):
        return
    for pattern in (_WAITS, _AFTER, _DEPENDS_PHRASE, _USES_FROM):
        match = pattern.search(clause)
        if match:
            ids = yield from _predecessors(_leading_ids(match["value"], ()), owner, pos)
            yield from _edges(ids, owner, pos, view)
            return
    landing = _LANDS_ONCE.search(clause)
    if landing:  # ``Lands once everything else above is merged``
        ids = yield from _predecessors(_landing_refs(landing["value"]), owner, pos)
        yield from _edges(ids, owner, pos, view)
        return
    opening = cues.ONCE.match(clause)
    if opening:  # ``Once step 4 is done, …``, ``When both step 6 and step 7 are done, …``
        ids = yield from _predecessors(ids_in(opening["value"], generic=True), owner, pos)
        yield from _edges(ids, owner, pos, view)
        return
    cue = cues.AFTER.search(clause)
    refs = find_refs(cue["value"], generic=True) if cue else []
    if refs and refs[0].start == 0:  # in any language: the cue, then a unit's id
        ids = yield from _predecessors(refs[0].ids, owner, pos)
        yield from _edges(ids, owner, pos, view)
    elif cue and (short := _short_names(cue["value"])):  # ``Requires M3 and M4 to be finished``
        ids = yield from _predecessors(short, owner, pos)
        yield from _edges(ids, owner, pos, view)


_SHORT_NAMES = patterns.compile(r"^(?:[A-Z]{1,3}\d{1,3}[a-z]?(?:\s*(?:,|&|\band\b|\bor\b)\s*|(?=[\s.;:)]|$)))+")


def _short_names(value: str) -> tuple[str, ...]:
    """``M3 and M4``, ``P1, P2``: short ids by name, only as the whole start of what follows a
    cue (the merge resolves them against the units' names; a word is never one)."""
    lead = _SHORT_NAMES.match(value.strip())
    return tuple(name_ref(i) for i in re.findall(r"[A-Z]{1,3}\d{1,3}[a-z]?", lead[0])) if lead else ()


# ``Lands once PR 3 is merged``, ``Ships after everything above has landed``
_LANDS_ONCE = patterns.compile(
    r"\b(?:lands?|starts?|begins?|ships?|merges?|goes\s+in|goes\s+out|can\s+go)\s+(?:only\s+)?(?:once|after|when)\s+"
    r"(?P<value>[^,;]{1,80}?)\s+(?:is|are|has|have)\s+(?:been\s+)?(?:merged|done|complete[d]?|finished|landed|shipped|green|in)\b",
    re.IGNORECASE,
)


def _landing_refs(value: str) -> tuple[str, ...]:
    return (ABOVE,) if is_above(value) else ids_in(value, generic=True)


def _inverse_phrases(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    """``Consumed by Phase 5``, ``Required for Phase 3``, ``Complete before user stories``."""
    match = _INVERSE_PHRASE.search(clause) or _BEFORE.search(clause)
    if match:
        value = match.groupdict().get("value") or match.groupdict().get("also") or match.groupdict().get("until") or ""
        yield from _edges(owner, _leading_ids(value, owner), pos, view)


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


def _negations(clause: str, owner: tuple[str, ...], pos: Pos, view: View | None) -> Iterator[Fact]:
    """``Stage 3 doesn't depend on Stage 2``, ``Stages 5 and 6 are independent``: no edge."""
    refs = find_refs(clause, generic=True)
    negated = _NEGATED.search(clause)
    if negated:
        before = [r for r in refs if r.end <= negated.start()]
        subject = before[-1].ids if before else owner
        others = _others(_leading_ids(negated["value"], subject), subject)
        yield from _denials(subject, "parallel", others, text=clause, pos=pos, view=view)
        return
    for ref in refs:
        parallel = _SUBJECT_PARALLEL.match(clause, ref.end)
        others = _others(_leading_ids(parallel["value"], ref.ids), ref.ids) if parallel else ()
        if others:  # ``T006 runs parallel to T003–T005``: never an edge
            yield from _denials(ref.ids, "parallel", others, text=clause, pos=pos, view=view)
            return
        if len(ref.ids) > 1 and _INDEPENDENT_OF_EACH_OTHER.match(clause, ref.end):
            for one in ref.ids:
                yield from _denials((one,), "parallel", _others(ref.ids, (one,)), text=clause, pos=pos, view=view)


_ARROW = patterns.compile(r"\s*(?:→|->|-->|──+>|─+→|⟶|=>|⇒|➜|➔)\s*")


def _arrow_chain(clause: str, pos: Pos, view: View | None) -> Iterator[Fact]:
    """``The rollout runs Stage 1 → Stage 2 → Stage 3``: units joined by arrows inside a
    sentence (text on either side is fine; only unit references count, so ``72% → 85%`` and
    ``FK → id`` give nothing)."""
    if not _ARROW.search(clause):
        return
    refs = find_refs(clause, generic=True)
    for before, after in itertools.pairwise(refs):
        if _ARROW.fullmatch(clause[before.end : after.start]):  # an arrow drawn in the sentence
            yield from (EdgeStated(a, b, "drawn", pos, view) for a in before.ids for b in after.ids if a != b)


_MAIN_SUBJECT_SPAN = 60


def _opening_clause(clause: str, pos: Pos, view: View | None) -> Iterator[Fact]:
    """``After Stage 3 has been at 100 %, a cleanup stage (Stage 4, 1 week) removes …``: the
    opening clause names what waits; the first unit of the main clause is what waits for it."""
    opening = cues.ONCE.match(clause)
    if not opening:
        return
    main = find_refs(clause[opening.end() : opening.end() + _MAIN_SUBJECT_SPAN], generic=True)
    earlier = ids_in(opening["value"], generic=True)
    if main and earlier:
        yield from _edges(_others(earlier, main[0].ids), main[0].ids, pos, view)


def _subject_sentences(clause: str, pos: Pos, view: View | None) -> Iterator[Fact]:
    """``Epic 1 must complete before Epics 2 & 3``, ``T004 should run after T001-T003``."""
    for ref in find_refs(clause, generic=True):
        for pattern, subject_first, restrictive in _SUBJECT_FORMS:
            match = pattern.match(clause, ref.end)
            if not match:
                continue
            subject = ref.ids
            refs = _others(_leading_ids(match["value"], ()), subject)
            if not subject_first:
                refs = yield from _predecessors(_leading_ids(match["value"], ()), subject, pos)
            partial = partial_need(clause, subject, pos) if restrictive else None
            if partial:  # "only needs the schema from Phase 2": Phase 2, and only Phase 2
                refs = (partial.predecessor,)
            if subject_first:
                yield from _edges(subject, refs, pos, view)
            else:
                yield from _edges(refs, subject, pos, view)
            if refs and restrictive:
                yield from _denials(subject, "only_predecessors", refs, text=clause, pos=pos, view=view)
            break


# --- helpers -----------------------------------------------------------------------------


def _leading_ids(value: str, owner: tuple[str, ...]) -> tuple[str, ...]:
    """Ids of the references at the start of ``value`` (``Phase 2 & 3 to finish``)."""
    refs = find_refs(value, generic=True)
    if not refs or refs[0].start > _LEADING_REF_SPAN:
        return _named(value, owner)
    ids = list(with_open_end(value, refs[0]))
    for before, ref in itertools.pairwise(refs):  # ``US1 & US2``, ``Phase 3 + Phase 4``: one list
        if not re.fullmatch(r"\s*(?:,|&|\+|/|and|or)\s*", value[before.end : ref.start]):
            break
        ids.extend(with_open_end(value, ref))
    return _others(tuple(ids), owner)


_NAME_THEN_REF = patterns.compile(r"^\W*(?:the\s+)?(?:[^\W\d][\w&/-]*\s+){1,4}\((?P<ref>[^()]+)\)")
# a name starts with a capital; the words after it may be any case (``Unit tests``): the merge
# resolves the longest run of them that a unit goes by
_NAME = patterns.compile(r"^(?:the\s+)?(?P<name>[A-Z][\w&/-]*(?:\s+[\w&/-]+){0,5})(?![\w-])")


# capitalized words that start a phrase but name nothing (``before ANY user story``)
_NOT_NAMES = frozenset(
    [
        "any",
        "all",
        "every",
        "each",
        "other",
        "others",
        "some",
        "more",
        "most",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "they",
        "them",
        "we",
        "you",
        "then",
        "next",
        "everything",
        "anything",
        "nothing",
        "something",
        "none",
        "both",
        "either",
        "neither",
    ]
)


def _named(value: str, owner: tuple[str, ...]) -> tuple[str, ...]:
    """``Foundational (Phase 2)``: the reference in brackets; ``Setup completion``: a name,
    which the merge resolves to the unit whose title it is."""
    paren = _NAME_THEN_REF.match(value)
    if paren:
        refs = find_refs(paren["ref"], generic=True)
        if len(refs) == 1 and refs[0].start == 0:
            return _others(refs[0].ids, owner)
    name = _NAME.match(value)
    if not name or name["name"].split()[0].lower() in _NOT_NAMES:
        return ()
    return (name_ref(name["name"]),)


SELF_REFERENCE = "MP116"


def _predecessors(ids: tuple[str, ...], owner: tuple[str, ...], pos: Pos) -> Generator[Fact, None, tuple[str, ...]]:
    """What ``owner`` waits for; nothing when the list holds the owner itself among others
    (``US2: best run after US1–US4``): the statement is about a group, and reading it unit by
    unit would make every member wait for every other (a false cycle). Said, not guessed."""
    others = _others(ids, owner)
    if len(owner) == 1 and owner[0] in ids and others:
        message = f"a dependency statement lists {owner[0]} among what {owner[0]} waits for; it was not read"
        yield Note(SELF_REFERENCE, "warning", message, pos)
        return ()
    return others


def _others(ids: tuple[str, ...], owner: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(i for i in ids if i not in owner)


def _edges(
    sources: tuple[str, ...], targets: tuple[str, ...], pos: Pos, view: View | None, *, optional: bool = False
) -> Iterator[Fact]:
    for src in sources:
        for dst in targets:
            if src != dst:
                yield EdgeStated(src, dst, "stated", pos, view, optional)


def _denials(
    owner: tuple[str, ...], kind: DenialKind, refs: tuple[str, ...], *, text: str, pos: Pos, view: View | None
) -> Iterator[Fact]:
    for subject in owner:
        yield DenialStated(subject, kind, refs, text.strip(), pos, view)


# --- durations mentioned in prose --------------------------------------------------------

PROSE_RANK = 2
_PROSE_DURATION = patterns.compile(
    r"^(?:[^().;]|\.(?!\s)){0,60}?\(\s*(?P<value>[^()]*\d[^()]*)\)"
)  # within the sentence


def read_owner_durations(block: Block) -> list[Fact]:
    """A sentence about its unit's length (``Half a day.``, ``About 3 hours.``, ``This is the
    biggest one: roughly 2 days.``, ``1–2 days depending on …``): a duration of rank 2."""
    if len(block.owner) != 1 or block.kind not in ("paragraph", "item"):
        return []
    facts: list[Fact] = []
    for line in _logical_lines(block.lines):
        for sentence in _SENTENCE.split(strip_markup(line.text)):
            minutes = _sentence_length(sentence)
            if minutes is not None:
                pos = Pos(line.number, line.col)
                facts.append(DurationStated(block.owner[0], minutes.low, minutes.high, PROSE_RANK, sentence, pos))
                break
    return facts


_SENTENCE = patterns.compile(r"(?<=[.;!?])\s+|(?<!\s)\s+[—–]\s+")  # from a run of spaces' start: linear
_LEAD_IN = patterns.compile(
    r"^(?:[^:\d]{1,40}[:：]\s*|[^\W\d]\w*,\s*|(?:this|it)\s+(?:takes|lasts|needs|should\s+take|will\s+take)\s+)",
    re.IGNORECASE,
)
_APPROXIMATELY = patterns.compile(
    r"^(?:(?:about|around|roughly|approximately|approx\.?|circa|ca\.|~|≈)\s*)+", re.IGNORECASE
)


def _sentence_length(sentence: str) -> Minutes | None:
    text = _APPROXIMATELY.sub("", _LEAD_IN.sub("", sentence.strip().strip("()[] "), count=1))
    spoken = spoken_duration(text)
    if spoken:
        return spoken
    found = find_durations(text[:_LEADING_DURATION_SPAN])
    return found[0] if found and found[0].start == 0 else None


_LEADING_DURATION_SPAN = 40


def read_prose_durations(block: Block) -> list[Fact]:
    """``Phase 2 is quick (~2 min)``: a duration of rank 2, used only where nothing else is."""
    facts: list[Fact] = []
    for line in block.lines:
        if "(" not in line.text or parse_label(line.text):
            continue
        plain = strip_markup(line.text)
        refs = find_refs(plain)
        for ref, after in zip(refs, [*refs[1:], None], strict=False):
            facts.extend(_prose_duration(plain, ref.ids, ref.end, after.start if after else len(plain), line))
        facts.extend(_bracketed_unit_duration(plain, line))
    return facts


_BRACKETED = patterns.compile(r"\(([^()]{1,80})\)")


def _bracketed_unit_duration(plain: str, line: Line) -> list[Fact]:
    """``a cleanup stage (Stage 4, 1 week)``: a unit and its length in one bracket."""
    facts: list[Fact] = []
    for bracket in _BRACKETED.finditer(plain):
        parts = [p.strip() for p in re.split(r"[,;]", bracket[1])]
        refs = [find_refs(p, generic=True) for p in parts]
        named = [r[0].ids for p, r in zip(parts, refs, strict=True) if len(r) == 1 and r[0].end == len(p)]
        lengths = [m for m in map(parse_duration, parts) if m]
        if len(parts) == 2 and len(named) == 1 and len(named[0]) == 1 and len(lengths) == 1:
            pos = Pos(line.number, line.col)
            facts.append(DurationStated(named[0][0], lengths[0].low, lengths[0].high, PROSE_RANK, bracket[0], pos))
    return facts


def _prose_duration(plain: str, ids: tuple[str, ...], start: int, stop: int, line: Line) -> list[Fact]:
    match = _PROSE_DURATION.match(plain[start:stop])
    parts = re.split(r"\s*[,;]\s*", match["value"]) if match else []  # ``(docs, 1 day)``
    minutes = next((m for m in map(parse_duration, parts) if m), None)
    if minutes is None or len(ids) != 1:
        return []
    pos = Pos(line.number, line.col)
    return [DurationStated(ids[0], minutes.low, minutes.high, PROSE_RANK, plain.strip(), pos)]
