"""Phase labels in headings, list items and bold paragraphs, and the facts any label carries.

``### Phase 4a (Unit Tests)``, ``1. Phase 1: Add types (independent)``,
``**Phase 4b: Integration Tests (8-10 min)**``: each names a phase, maybe with a title, a
duration (rank 0: the label on the phase itself), a timeline window, annotations read as
prose, and paths (``Phase 2: Write to types.rs``).
"""

from __future__ import annotations

from mdplan.model import DurationStated, Fact, FileTouched, PhaseNamed, Pos, View, WindowStated
from mdplan.parse.blocks import Block
from mdplan.parse.files import paths_in
from mdplan.parse.prose import read_clause
from mdplan.parse.refs import Label, parse_label, phase_label

LABEL_RANK = 0


def label_facts(label: Label, text: str, pos: Pos, view: View | None) -> list[Fact]:
    """The facts one label states."""
    facts: list[Fact] = [
        PhaseNamed(ref, phase_label(ref), label.title if len(label.ids) == 1 else None, pos, view) for ref in label.ids
    ]
    if len(label.ids) == 1:
        facts.extend(_single_phase_facts(label, text, pos, view))
    for note in label.annotations:
        facts.extend(read_clause(note, label.ids, pos, view))
    return facts


def _single_phase_facts(label: Label, text: str, pos: Pos, view: View | None) -> list[Fact]:
    (ref,) = label.ids
    facts: list[Fact] = [
        DurationStated(ref, minutes.low, minutes.high, LABEL_RANK, text.strip(), pos) for minutes in label.durations
    ]
    facts.extend(WindowStated(ref, start, end, text.strip(), pos, view) for start, end in label.windows)
    facts.extend(FileTouched(ref, path, pos) for path in paths_in(label.title or ""))
    return facts


def read_labels(block: Block) -> list[Fact]:
    """Recognizer for headings, list items and paragraphs that open with a phase label."""
    first = block.lines[0]
    label = parse_label(first.text)
    if label is None:
        return []
    return label_facts(label, first.text, Pos(first.number, first.col), block.view)
