"""Phase labels in headings, list items and bold paragraphs, and the facts any label carries.

``### Phase 4a (Unit Tests)``, ``1. Phase 1: Add types (independent)``,
``**Phase 4b: Integration Tests (8-10 min)**``: each names a phase, maybe with a title, a
duration (rank 0: the label on the phase itself), a timeline window, annotations read as
prose, and paths (``Phase 2: Write to types.rs``).

Under a heading that names estimates (``## Durations``, ``## Estimates``, ``## Estimaciones``:
the words are data in ``parse.durations``), a list item ``- Phase 2: 10-15 min`` is a duration
range, not a timeline window, and ``- Setup: 15 min`` gives the unit named Setup (by title, or
by the label a diagram node, gantt task or table row gives it) its duration.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re

from mdplan.model import (
    AliasStated,
    DurationStated,
    Fact,
    FileTouched,
    PhaseNamed,
    Pos,
    Sequenced,
    View,
    WindowStated,
    patterns,
)
from mdplan.parse import cues
from mdplan.parse.blocks import NAMED_ITEM, NUMBERED_CHECKLIST_ITEM, NUMBERED_ITEM, Block, Line
from mdplan.parse.durations import find_durations, names_estimates, parse_duration
from mdplan.parse.files import paths_in
from mdplan.parse.grid import MAX_COLUMNS, Glyph, Grid
from mdplan.parse.ids import name_ref, normalize_name
from mdplan.parse.prose import read_clause
from mdplan.parse.refs import (
    Label,
    find_refs,
    named_label,
    parse_label,
    phase_label,
    section_label,
    step_label,
    strip_markup,
    value_duration,
)

LABEL_RANK = 0


def label_facts(label: Label, text: str, pos: Pos, view: View | None, parent: tuple[str, ...] = ()) -> list[Fact]:
    """The facts one label states; ``parent`` is the unit that holds the labelled one."""
    holder = parent[0] if len(parent) == 1 else None
    title = label.title if len(label.ids) == 1 else None
    facts: list[Fact] = [
        PhaseNamed(ref, label.written or phase_label(ref), title, pos, view, _holder(holder, ref), "P" in label.markers)
        for ref in label.ids
    ]
    if len(label.ids) == 1:
        facts.extend(_single_phase_facts(label, text, pos, view))
        facts.extend(_alias(label, pos))
    for note in label.annotations:
        facts.extend(read_clause(note, label.ids, pos, view))
    return facts


_REQUIREMENT = patterns.compile(r"^(?:FR|NFR|REQ|SR|SC|AC|CR|BR|UR|UC)-\d")


def _is_requirement(label: Label) -> bool:
    """``- FR-007: The system must …``: a requirement, not a unit of work."""
    return any(_REQUIREMENT.match(i) for i in label.ids)


def _numbered_checklist_item(block: Block) -> Label | None:
    """``- [ ] 1. Remove the panel``: a numbered item of a checklist is a task (``task-1``)."""
    source = block.source_first_line
    match = NUMBERED_CHECKLIST_ITEM.match(source) if block.kind == "item" else None
    return Label((f"task-{match['n']}",), strip_markup(match["title"]).strip()) if match else None


def _alias(label: Label, pos: Pos) -> list[Fact]:
    """``Phase 3: User Story 1 - …``: the title names the same unit by another id;
    ``Release Command (US7)``: a name, the title of some other label, names it too."""
    refs = find_refs(label.title or "")
    if refs and refs[0].start == 0 and len(refs[0].ids) == 1 and refs[0].ids != label.ids:
        return [AliasStated(refs[0].ids[0], label.ids[0], pos)]
    if label.named and label.title:
        return [AliasStated(label.ids[0], name_ref(label.title), pos)]
    return []


def _holder(holder: str | None, ref: str) -> str | None:
    return holder if holder != ref else None


def _single_phase_facts(label: Label, text: str, pos: Pos, view: View | None) -> list[Fact]:
    (ref,) = label.ids
    facts: list[Fact] = [
        DurationStated(ref, minutes.low, minutes.high, LABEL_RANK, text.strip(), pos) for minutes in label.durations
    ]
    facts.extend(WindowStated(ref, start, end, text.strip(), pos, view) for start, end in label.windows)
    facts.extend(FileTouched(ref, path, pos) for path in paths_in(label.title or ""))
    return facts


_DURATION_FIELD = cues.DURATION_FIELD
# several fields on one line: ``**Duration**: 3 days | **Owner**: kim``, ``Owner: kim · Size: 3 weeks``
FIELD_SEPARATOR = patterns.compile(r"(?<!\s)\s+[|·•]\s+|(?<!\s)\s*；\s*")  # from a run of spaces' start: linear


def read_duration_fields(block: Block) -> list[Fact]:
    """``**Duration**: 3-4 days | **Dependencies**: …`` under a phase: a duration on the phase itself."""
    if len(block.owner) != 1:
        return []
    facts: list[Fact] = []
    for line in block.lines:
        for clause in FIELD_SEPARATOR.split(strip_markup(line.text)):
            match = _DURATION_FIELD.match(clause.strip())
            found = find_durations(match["value"]) if match else []
            if found:
                pos = Pos(line.number, line.col)
                facts.append(
                    DurationStated(block.owner[0], found[0].low, found[0].high, LABEL_RANK, clause.strip(), pos)
                )
    return facts


def _section_unit(block: Block) -> Label | None:
    """A heading that the block walker made a unit (its section states its dependencies)."""
    label = section_label(block.lines[0].text) if block.kind == "heading" and block.owner else None
    return label if label and label.ids == block.owner else None


_ARROW_HINT = patterns.compile(r"[-=─━═]>|<[-=─━═]|[→▶►⟶➜➔➝➞⇒⟹←◀◄⟵⇐⟸↔⇄⇆⟷⇔⟺]")


@functools.cache  # one document's texts, dropped after it (forget_texts): each recognizer asks
def is_chain(text: str) -> bool:
    """A line of prose that is only unit labels joined by arrows: ``Phase 1 (10 min) -> Phase 2``.

    Read on the same grid a drawing is read on: every text run a label (``strict``: a
    sentence such as ``Phase 2 is quick`` is not one), and between each two runs, nothing but
    horizontal connectors with an arrowhead among them. Runs joined by anything else, or an
    arrow at either end (``Weeks →``), make the line prose; so does a line wider than a
    drawing may be (``MAX_COLUMNS``).
    """
    if len(text) > MAX_COLUMNS or not _ARROW_HINT.search(text):
        return False
    grid = Grid((Line(1, 1, unescaped_arrows(text)),))
    runs = grid.runs
    if len(runs) < 2 or not all(parse_label(run.text) for run in runs):
        return False
    glyphs = grid.rows[0].glyphs
    columns = sorted(glyphs)
    if not columns or columns[0] < runs[0].first or columns[-1] > runs[-1].last:
        return False
    gaps = [
        columns[bisect.bisect(columns, a.last) : bisect.bisect(columns, b.first)] for a, b in itertools.pairwise(runs)
    ]
    return all(_joined([glyphs[c] for c in gap]) for gap in gaps)


def forget_texts() -> None:
    """Drop the chains memoized by text (see ``mdplan.parse.read_document``)."""
    is_chain.cache_clear()


_ESCAPED_ARROW = patterns.compile(r"\\(?=[<>=-])")


def unescaped_arrows(text: str) -> str:
    """``Phase 3 \\<-> Phase 4``, as mdformat writes ``<->`` in prose: the escape becomes a space,
    so columns stay where they are."""
    return _ESCAPED_ARROW.sub(" ", text) if "\\" in text else text


def _joined(between: list[Glyph]) -> bool:
    """Between two runs: horizontal connectors only, one of them an arrowhead."""
    return bool(between) and all(g.ports == {"E", "W"} for g in between) and any(g.points for g in between)


def _numbered_step(block: Block) -> Label | None:
    """A numbered item the block walker made a unit: a step (``step-3``) or a unit by its
    bold name (``unit-tests``)."""
    numbered = NUMBERED_ITEM.match(block.source_first_line) if block.kind == "item" else None
    if numbered is None or len(block.owner) != 1:
        return None
    if block.owner == (f"step-{numbered['n']}",):
        return step_label(numbered["n"], block.lines[0].text)
    named = NAMED_ITEM.match(block.source_first_line)
    if named is None:
        return None
    return named_label(block.owner[0], named["name"], named["name"] + block.source_first_line[named.end() :])


def read_labels(block: Block) -> list[Fact]:
    """Recognizer for headings, list items and paragraphs that open with a phase label; a
    line that is a chain of labels (``Phase 1 -> Phase 2``) is a drawing (``read_chains``)."""
    first = block.lines[0]
    if block.kind != "heading" and is_chain(first.text):
        return []
    label = parse_label(first.text, generic=block.kind != "paragraph") or _numbered_checklist_item(block)
    label = label or _section_unit(block) or _numbered_step(block)
    if label and block.kind == "item" and _is_requirement(label):
        return []
    if label is None:
        return _named_estimate(block)
    pos = Pos(first.number, first.col)
    facts = label_facts(label, first.text, pos, block.view, block.parent) + _estimated(label, first.text, pos, block)
    if block.sequence and len(label.ids) == 1:
        facts.append(Sequenced(label.ids[0], block.sequence, pos, block.view))
    return facts


def in_estimates(block: Block) -> bool:
    """Under a heading such as ``## Durations`` or ``## Estimaciones`` that names no unit itself."""
    return bool(block.section) and names_estimates(block.section) and parse_label(block.section) is None


def _estimated(label: Label, text: str, pos: Pos, block: Block) -> list[Fact]:
    """``- Phase 2: 10-15 min`` in a list of estimates: a duration range, not a timeline window."""
    if len(label.ids) != 1 or label.durations or block.kind == "heading" or not in_estimates(block):
        return []
    minutes = value_duration(label.body)
    if minutes is None:
        return []
    return [DurationStated(label.ids[0], minutes.low, minutes.high, LABEL_RANK, text.strip(), pos)]


_ESTIMATE_SEPARATOR = patterns.compile(r":|=|\s[-–—]\s")


def _named_estimate(block: Block) -> list[Fact]:
    """``- Setup: 15 min`` in a list of estimates: the duration of the unit named Setup (by its
    title, or the label a diagram node or table row gives it); ``- Phase 2 = 30 min``,
    ``- Phases 3-4: 1 h``: of each unit named."""
    if block.kind != "item" or not in_estimates(block):
        return []
    first = block.lines[0]
    text = strip_markup(first.text)
    separator = _ESTIMATE_SEPARATOR.search(text)
    if separator is None:
        return []
    name = re.sub(r"^\W+", "", text[: separator.start()]).strip()
    minutes = parse_duration(re.split(r"[()\[\]]", text[separator.end() :])[0])
    if minutes is None or not normalize_name(name):
        return []
    refs = find_refs(name)
    whole = len(refs) == 1 and refs[0].start == 0 and refs[0].end == len(name)
    ids = refs[0].ids if whole else (name_ref(name),)
    pos = Pos(first.number, first.col)
    return [DurationStated(ref, minutes.low, minutes.high, LABEL_RANK, first.text.strip(), pos) for ref in ids]
