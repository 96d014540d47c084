"""Facts -> plan: one merge, and the one home of every conflict.

Rules (documented in docs/architecture.md):

- A phase exists when something names it (label, diagram node, table row, timeline row).
  Its title is the first one written; its files are all files attributed to it, bare names
  resolved to the one longer path that ends with them.
- Durations rank: label on the phase (0) over timeline window (1) over prose mention (2).
  Within the best rank that has values, different values are a conflict (MP104); the first
  is used. ``estimate`` picks low, mid or high of a range as the planning value.
- Scenarios: a fact under a view (``Current …``, ``Optimized …``) belongs to that scenario,
  and the phases it names are members. Facts under no view describe the plan as written:
  with no scoped ``current`` facts they *are* ``current``; otherwise an unscoped edge joins
  every scenario that holds both of its phases. A document whose only view is ``optimized``
  has just that graph, and it is ``current``.
- A view that states its scenario whole (``View.whole``: a report's phase table) is taken as
  it stands: a scenario even with nothing drawn in it, its units kept whatever their kind,
  not leveled again, not joined to the plan as written.
- Prose that denies an edge a scenario holds (``Blocks: Nothing``, ``Only Phase 1``,
  ``in parallel with``) is a conflict (MP105) naming both lines; the edge stays. A denial
  diagnosed where it was first read (``DenialStated.diagnosed``: a report keeps its MP105)
  still rules the edge out, without a second warning.
- A stated edge to a phase nothing names is an error, MP101.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Literal, NamedTuple, TypeVar

from mdplan.model import (
    AliasStated,
    ClaimStated,
    DenialStated,
    Denied,
    Diagnostic,
    DurationStated,
    Edge,
    EdgeStated,
    Fact,
    FileTouched,
    Mentioned,
    Note,
    PartialNeed,
    Phase,
    PhaseNamed,
    Plan,
    Pos,
    Scenario,
    ScenarioName,
    Sequenced,
    TestRun,
    View,
    WindowStated,
    patterns,
)
from mdplan.model.errors import UnusableInput
from mdplan.model.vocabulary import format_range, natural_key, natural_order, phase_label
from mdplan.parse.diagram import MUTUAL
from mdplan.parse.ids import ABOVE, ALL_STORIES, NAME_PREFIX, OPEN_RANGE, normalize_name
from mdplan.parse.prose import SELF_REFERENCE

Estimate = Literal["low", "mid", "high"]
UNKNOWN_REFERENCE = "MP101"
AMBIGUOUS_ID = "MP102"
DURATION_CONFLICT = "MP104"
EDGE_DENIED = "MP105"
EDGE_NOT_DRAWN = "MP109"
UNRESOLVED = "MP115"
TOO_LARGE = "MP010"  # as ``parse.document`` refuses what is past its limits
# a reference to every unit of a kind (``all of the above``, ``all user stories``, ``PR 4+``) is
# read against every unit: past this many (reference, unit) pairs the merge alone takes seconds
MAX_EXPANDED = 200_000
UNSCOPED_TITLE = "Plan as written"


def merge(facts: Sequence[Fact], source: str, title: str | None, estimate: Estimate = "mid") -> Plan:
    facts = _of_the_same_units(_with_live_views(_in_order(_resolve_aliases(facts, source))))
    diagnostics = [Diagnostic(source, n.pos.line, n.pos.col, n.severity, n.code, n.message) for n in _of(facts, Note)]
    known = _at_stated_level(_known_ids(facts), facts)
    facts = [f for f in facts if not isinstance(f, PhaseNamed) or f.ref in known]
    edges = _of(facts, EdgeStated)
    diagnostics.extend(_unknown_references(source, facts, edges))
    diagnostics.extend(_ambiguous_ids(source, facts))
    about = _facts_about(facts)
    phases = {ref: _phase(ref, about[ref], estimate, source, diagnostics) for ref in sorted(known, key=natural_order)}
    _resolve_files(phases)
    parents = {
        ref: p.parent
        for ref, p in phases.items()
        if p.parent in phases and _family(ref) != _family(p.parent)  # tasks in phases, not phases in phases
    }
    scenarios = _scenarios(facts, edges, known, parents)
    denied = denied_edges(_of(facts, DenialStated), scenarios)
    diagnostics.extend(_denied_warning(source, d) for d in _not_yet_diagnosed(denied, facts, scenarios))
    diagnostics.extend(_undrawn(source, edges, scenarios))
    stated = _scenario("current", "", 1, set(), [e for e in edges if e.view is None and e.kind == "stated"]).edges
    final = _only_graph_is_current(scenarios)
    if final and final[0].name != (scenarios[0].name if scenarios else "current"):
        denied = [replace(d, scenario="current") for d in denied]
    claims = tuple(sorted(_of(facts, ClaimStated), key=lambda c: (c.pos.line, c.pos.col)))
    needs = tuple(n for n in _of(facts, PartialNeed) if {n.subject, n.predecessor} <= set(phases))
    runs = tuple(_of(facts, TestRun))
    denials = tuple(_of(facts, DenialStated))
    return Plan(
        source, title, phases, final, _sorted_unique(diagnostics), tuple(denied), stated, claims, denials, needs, runs
    )


def orders_or_times(facts: Iterable[Fact]) -> bool:
    """Whether the units a document names make a plan: something orders or times them.

    A plan says what waits for what, or how long its units take. So it needs at least one
    dependency statement: an edge drawn or stated (a diagram, a Mermaid edge, a gantt
    ``after``, a depends column, field or front-matter key), a statement that rules edges out
    (``Depends on: None``, ``Blocks: Nothing``, ``in parallel with``, a spec-kit ``[P]``), or
    one whose subject is not known (``## Required for Epic 2``), a heading that says its units
    run in order, a statement that waits for its own subject (MP116), a mutual arrow (MP117);
    or at least one timed unit (a duration or a window). Units alone (a changelog's versions,
    an API page's sections, the rows of a table of numbers) are not a plan, and neither are
    numbers about the whole document (claims).
    """
    facts = list(facts)
    named = {f.ref for f in facts if isinstance(f, PhaseNamed)}
    mentions = [f for f in facts if isinstance(f, Mentioned)]
    if len({f.pos.line for f in mentions}) > 1:  # ``## Required for Epic 2``, ``## Required for Epic 3``
        named |= {f.ref for f in mentions}
    return any(_orders_or_times(f, named) for f in facts)


def _orders_or_times(fact: Fact, named: set[str]) -> bool:
    """One fact that orders or times a unit the document names as a thing of its own (a
    heading, an item, a row, a node): units only mentioned in a sentence (``Step 3 depends on
    step 2`` under a README's numbered list) do not make a plan."""
    if isinstance(fact, EdgeStated):
        return fact.kind == "drawn" or bool({fact.src, fact.dst} & named) or fact.src.startswith(NAME_PREFIX)
    if isinstance(fact, DenialStated):
        return fact.subject in named
    if isinstance(fact, Mentioned | DurationStated | WindowStated | Sequenced):
        return fact.ref in named
    if isinstance(fact, PhaseNamed):
        return fact.parallel
    return isinstance(fact, Note) and fact.code in (SELF_REFERENCE, MUTUAL)


# --- aliases and views -------------------------------------------------------------------

_REF_FIELDS = ("ref", "src", "dst", "subject", "parent")


def _resolve_aliases(facts: Sequence[Fact], source: str) -> list[Fact]:
    """``US1`` written for Phase 3 becomes ``3``; ``all user stories`` becomes each of them;
    a name (``schema-builder``) becomes the unit that goes by it; ``PR 4+`` becomes PR 4 and
    every later PR. A dependency on a name no unit goes by is dropped with MP115."""
    names = _names(facts)
    aliases: dict[str, str] = {}
    for alias in _of(facts, AliasStated):
        target = _by_name(alias.ref, names)
        if target and target != alias.alias:
            aliases[alias.alias] = target
    refs = [_refs_of(f) for f in facts]  # each fact's references, read once
    stories = tuple(sorted({ref for alias, ref in aliases.items() if alias.startswith("US")}, key=natural_order))
    if not stories:
        stories = tuple(sorted({i for found in refs for i in found if _family(i) == "US"}, key=natural_order))
    units = tuple(sorted({f.ref for f in _of(facts, PhaseNamed)}, key=natural_order))
    _refuse_past_expansion_limit(refs, len(units), source)
    first_lines: dict[str, int] = {}
    for named in _of(facts, PhaseNamed):
        first_lines[named.ref] = min(first_lines.get(named.ref, named.pos.line), named.pos.line)
    expansions = _Expansions(stories, units, names, first_lines)
    resolved: list[Fact] = []
    for fact, found in zip(facts, refs, strict=True):
        if isinstance(fact, AliasStated):
            continue
        needs = any(r in aliases or r.startswith(("@", NAME_PREFIX)) or r.endswith(OPEN_RANGE) for r in found)
        if not needs:
            resolved.append(fact)
            continue
        resolved.extend(_rewritten(fact, aliases, expansions))
        resolved.extend(_unresolved(fact, found, names))
    return resolved


def _refuse_past_expansion_limit(refs: Sequence[list[str]], units: int, source: str) -> None:
    """MP010 before expanding: each reference to every unit of a kind is read against every unit
    (``refs``: each fact's references)."""
    wide = sum(1 for found in refs for r in found if r in (ABOVE, ALL_STORIES) or r.endswith(OPEN_RANGE))
    if wide * units > MAX_EXPANDED:
        message = (
            f"too large: {wide:,} references to every unit of a kind (all of the above, all user stories, "
            f"PR 4+) among {units:,} units; mdplan reads up to {MAX_EXPANDED:,} such pairs"
        )
        raise UnusableInput(source, TOO_LARGE, message)


class _Expansions(NamedTuple):
    stories: tuple[str, ...]
    units: tuple[str, ...]  # every named unit, in their order
    names: dict[str, str]
    first_lines: dict[str, int]  # where each unit is first named


def _above(fact: Fact, known: _Expansions) -> tuple[str, ...]:
    """``all of the above``: every unit of the subject's kind named before the statement."""
    subject = getattr(fact, "dst", None) or getattr(fact, "subject", None)
    family = _family(subject) if isinstance(subject, str) else None
    return tuple(
        u for u in known.units if known.first_lines[u] < fact.pos.line and (family is None or _family(u) == family)
    )


def _unresolved(fact: Fact, refs: list[str], names: dict[str, str]) -> list[Note]:
    """A dependency statement naming what no unit goes by (``refs``: the fact's references):
    never silently dropped."""
    if not isinstance(fact, EdgeStated | DenialStated):
        return []
    missing = [r for r in refs if r.startswith(NAME_PREFIX) and _by_name(r, names) is None]
    return [
        Note(
            UNRESOLVED, "warning", f'unresolved reference "{r.removeprefix(NAME_PREFIX)}": no unit goes by it', fact.pos
        )
        for r in dict.fromkeys(missing)
    ]


def _names(facts: Sequence[Fact]) -> dict[str, str]:
    """Every name a unit goes by: its title (``Setup`` for ``Phase 1: Setup (…)``), its label
    (``schema-builder``, ``Phase 2``) and its id; phases first, then the first unit named."""
    named = sorted(_of(facts, PhaseNamed), key=lambda f: (_family(f.ref) != "phase", f.pos.line))
    names: dict[str, str] = {}
    for fact in named:
        for text in (fact.label, fact.ref, fact.title or "", (fact.title or "").split("(")[0]):
            if name := normalize_name(text):
                names.setdefault(name, fact.ref)
    return names


def _by_name(value: str, names: dict[str, str]) -> str | None:
    """The unit a name goes by; for a phrase (``unit tests uses the farm``), its longest
    opening run of words that names a unit."""
    if not value.startswith(NAME_PREFIX):
        return value
    words = value.removeprefix(NAME_PREFIX).split()
    return next((names[n] for n in (" ".join(words[:k]) for k in range(len(words), 0, -1)) if n in names), None)


def _refs_of(fact: Fact) -> list[str]:
    found = [getattr(fact, name) for name in _REF_FIELDS if isinstance(getattr(fact, name, None), str)]
    return found + list(getattr(fact, "refs", ()))


def _rewritten(fact: Fact, aliases: dict[str, str], known: _Expansions) -> list[Fact]:
    def expand(value: str) -> tuple[str, ...]:
        if value == ALL_STORIES:
            return known.stories
        if value == ABOVE:
            return _above(fact, known)
        if value.endswith(OPEN_RANGE):
            return _open_range(value.removesuffix(OPEN_RANGE), known.units)
        named = _by_name(value, known.names)
        return (aliases.get(named, named),) if named else ()

    fields = [n for n in _REF_FIELDS if isinstance(getattr(fact, n, None), str)]
    choices = [expand(getattr(fact, n)) for n in fields]
    results: list[Fact] = []
    for combination in itertools.product(*choices):
        changes: dict[str, object] = dict(zip(fields, combination, strict=True))
        if isinstance(fact, DenialStated):
            changes["refs"] = tuple(i for r in fact.refs for i in expand(r))
            if fact.refs and not changes["refs"]:
                continue  # "only needs the API schema": a name that names no unit restricts nothing
        if isinstance(fact, PhaseNamed) and changes["ref"] != fact.ref:
            # named by another id here: the unit's own label and title are where it is labelled
            changes.update(label=phase_label(str(changes["ref"])), title=None)
        results.append(replace(fact, **changes))  # type: ignore[arg-type]
    return [f for f in results if not (isinstance(f, EdgeStated) and f.src == f.dst)]


def _in_order(facts: list[Fact]) -> list[Fact]:
    """Units listed under a heading that says they run in order (``## Merge Order``) wait each
    for the one before it, of the same kind, unless prose says that one need not wait
    (``doesn't depend on PR 2``, ``Depends on: none``)."""
    groups: dict[int, list[Sequenced]] = defaultdict(list)
    for fact in _of(facts, Sequenced):
        groups[fact.group].append(fact)
    free = _free_pairs(_of(facts, DenialStated))
    chained: list[Fact] = []
    for members in groups.values():
        ordered = list({m.ref: m for m in sorted(members, key=lambda m: (m.pos.line, m.pos.col))}.values())
        for before, after in itertools.pairwise(ordered):
            if _family(before.ref) == _family(after.ref) and not _is_free(before.ref, after.ref, free):
                chained.append(EdgeStated(before.ref, after.ref, "stated", after.pos, after.view))
    return [f for f in facts if not isinstance(f, Sequenced)] + chained


def _free_pairs(denials: list[DenialStated]) -> set[tuple[str, str]]:
    """(a, b): b need not wait for a; (``*``, b): b waits for nothing."""
    free: set[tuple[str, str]] = set()
    for denial in denials:
        if denial.kind == "no_predecessors":
            free.add(("*", denial.subject))
        elif denial.kind == "parallel":
            free.update(pair for ref in denial.refs for pair in ((ref, denial.subject), (denial.subject, ref)))
    return free


def _is_free(before: str, after: str, free: set[tuple[str, str]]) -> bool:
    return (before, after) in free or ("*", after) in free


def _open_range(first: str, units: tuple[str, ...]) -> tuple[str, ...]:
    """``PR 4+``: PR 4 and every later unit of its kind, in the units' own order."""
    family = _family(first)
    start = natural_key(first)
    return tuple(u for u in units if _family(u) == family and natural_key(u) >= start) or (first,)


def _with_live_views(facts: list[Fact]) -> list[Fact]:
    """A view counts only where something is drawn or timed in it, or where it states its
    scenario whole; elsewhere it is prose."""
    live = {
        _view_name(f)
        for f in facts
        if isinstance(f, WindowStated) or (isinstance(f, EdgeStated) and f.kind == "drawn") or _whole(f)
    }
    return [_unscoped(f) if _view_name(f) not in live else f for f in facts]


def _of_the_same_units(facts: list[Fact]) -> list[Fact]:
    """An optimized view is another plan of the same units; one that shares no unit with the
    plan as written (``## Recommended Release Order`` over milestones, beside phases) is part
    of the plan as written, not a scenario of its own."""
    proposed = _members(facts, "optimized")
    written = _members(facts, None) | _members(facts, "current")
    if (
        not proposed
        or not written
        or proposed & written
        or any(_whole(f) for f in facts if _view_name(f) == "optimized")
    ):
        return facts
    return [_unscoped(f) if _view_name(f) == "optimized" else f for f in facts]


def _view_name(fact: Fact) -> ScenarioName | None:
    view = getattr(fact, "view", None)
    return view.scenario if isinstance(view, View) else None


def _whole(fact: Fact) -> bool:
    """Whether the fact is in a view that states its scenario whole (``View.whole``)."""
    view = getattr(fact, "view", None)
    return isinstance(view, View) and view.whole


def _unscoped(fact: Fact) -> Fact:
    if isinstance(fact, PhaseNamed | WindowStated | EdgeStated | DenialStated | Mentioned):
        return replace(fact, view=None)
    return fact


_F = TypeVar("_F")


def _of(facts: Iterable[Fact], kind: type[_F]) -> list[_F]:
    return [f for f in facts if isinstance(f, kind)]


def _known_ids(facts: Sequence[Fact]) -> set[str]:
    """Units something names; and units only referenced, where nothing names one of their kind."""
    known: set[str] = set()
    for fact in facts:
        if isinstance(fact, PhaseNamed | WindowStated | DurationStated | FileTouched):
            known.add(fact.ref)
        elif isinstance(fact, EdgeStated) and fact.kind == "drawn":
            known.update((fact.src, fact.dst))
    known.update(i for edge in _of(facts, EdgeStated) for i in (edge.src, edge.dst))
    known.update(m.ref for m in _of(facts, Mentioned))
    return known


def _at_stated_level(known: set[str], facts: Sequence[Fact]) -> set[str]:
    """Units are at the level the dependency statements name: where statements name only
    phases, a numbered checklist of another kind (acceptance items, ``- [ ] 1. Login works``)
    is no unit, unless it is timed or held by a unit; phases are always units."""
    edges = _of(facts, EdgeStated)
    stated = {_family(i) for e in edges for i in (e.src, e.dst)}
    if not stated:
        return known
    kept = {i for e in edges for i in (e.src, e.dst)}
    kept.update(f.ref for f in facts if isinstance(f, DurationStated | WindowStated | FileTouched))
    kept.update(
        f.ref for f in _of(facts, PhaseNamed) if f.parent in known or _family(f.ref) in {*stated, "phase"} or _whole(f)
    )
    return {ref for ref in known if ref in kept}


_KIND_PREFIX = patterns.compile(r"([a-z]+)-\d")
_STORY_OR_TASK = patterns.compile(r"(US|T)\d")
_PHASE_NUMBER = patterns.compile(r"\d+(?:\.\d+)*[a-z]?")


@functools.lru_cache(maxsize=65536)  # every id of a large plan, asked for again and again
def _family(node_id: str) -> str:
    """The kind of unit an id names: ``phase``, ``epic``, ``US``, ``T``, or ``other``."""
    if match := _KIND_PREFIX.match(node_id):
        return match[1]
    if match := _STORY_OR_TASK.match(node_id):
        return match[1]
    return "phase" if _PHASE_NUMBER.fullmatch(node_id) else "other"


def _ambiguous_ids(source: str, facts: Sequence[Fact]) -> list[Diagnostic]:
    """A task id (``T024``, ``CORE-7``) given to two different tasks: which one do others mean?"""
    by_ref: dict[str, list[PhaseNamed]] = defaultdict(list)
    for fact in _of(facts, PhaseNamed):
        if fact.title and _family(fact.ref) in ("T", "other"):
            by_ref[fact.ref].append(fact)
    found = []
    for ref, named in by_ref.items():
        titles = list(dict.fromkeys(f.title for f in named))
        if len(titles) > 1:
            second = next(f for f in named if f.title != named[0].title)
            where = ", ".join(f"{f.title!r} (line {f.pos.line})" for f in named)
            message = f"{ref} names more than one unit: {where}"
            found.append(_warning(source, second.pos, AMBIGUOUS_ID, message))
    return found


def _unknown_references(source: str, facts: Sequence[Fact], edges: list[EdgeStated]) -> list[Diagnostic]:
    """A dependency on a unit that is never named, where others of its kind are (a likely typo):
    an error, as the graph holds a unit the plan does not have."""
    named = {f.ref for f in _of(facts, PhaseNamed)}
    families = {_family(i) for i in named}
    found = []
    for edge in edges:
        for missing in (edge.src, edge.dst):
            if missing not in named and _family(missing) == "phase" and "phase" in families:
                message = (
                    f"{phase_label(missing)} is referenced but never named; "
                    f"it is in the graph through {phase_label(edge.src)} → {phase_label(edge.dst)}"
                )
                found.append(Diagnostic(source, edge.pos.line, edge.pos.col, "error", UNKNOWN_REFERENCE, message))
    return found


# --- phases ------------------------------------------------------------------------------


def _facts_about(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Facts by the unit they are about (an edge is about both ends): one pass, not one per unit."""
    about: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        for ref in {r for r in (getattr(fact, n, None) for n in ("ref", "src", "dst")) if isinstance(r, str)}:
            about[ref].append(fact)
    return about


def _phase(ref: str, facts: Sequence[Fact], estimate: Estimate, source: str, diagnostics: list[Diagnostic]) -> Phase:
    named = sorted((f for f in _of(facts, PhaseNamed) if f.ref == ref), key=lambda f: (f.pos.line, f.pos.col))
    title = next((f.title for f in named if f.title), None)
    label = named[0].label if named else phase_label(ref)
    line = named[0].pos.line if named else _first_line(ref, facts)
    parent = next((f.parent for f in named if f.parent), None)
    parallel = any(f.parallel for f in named)
    chosen = _choose_duration(ref, facts, source, diagnostics)
    files = tuple(sorted({f.path for f in _of(facts, FileTouched) if f.ref == ref}))
    phase = Phase(ref, label, title, None, None, files, line, parent, parallel)
    if chosen is None:
        return phase
    return replace(phase, minutes=planning_minutes(chosen, estimate), minutes_range=chosen)


def planning_minutes(minutes_range: tuple[float, float], estimate: Estimate) -> float:
    """The planning value of a range: its low end, midpoint or high end."""
    low, high = minutes_range
    return {"low": low, "mid": (low + high) / 2, "high": high}[estimate]


def _first_line(ref: str, facts: Sequence[Fact]) -> int:
    lines = [f.pos.line for f in facts if getattr(f, "ref", None) == ref]
    lines += [f.pos.line for f in _of(facts, EdgeStated) if ref in (f.src, f.dst)]
    return min(lines, default=1)


class _Value(NamedTuple):
    low: float
    high: float
    line: int
    col: int


def _duration_values(ref: str, facts: Sequence[Fact]) -> dict[int, list[_Value]]:
    by_rank: dict[int, list[_Value]] = defaultdict(list)
    for fact in facts:
        if isinstance(fact, DurationStated) and fact.ref == ref:
            by_rank[fact.rank].append(_Value(fact.low, fact.high, fact.pos.line, fact.pos.col))
        elif isinstance(fact, WindowStated) and fact.ref == ref:
            length = fact.end - fact.start
            by_rank[1].append(_Value(length, length, fact.pos.line, fact.pos.col))
    return by_rank


def _choose_duration(
    ref: str, facts: Sequence[Fact], source: str, diagnostics: list[Diagnostic]
) -> tuple[float, float] | None:
    by_rank = _duration_values(ref, facts)
    if not by_rank:
        return None
    values = sorted(by_rank[min(by_rank)], key=lambda v: (v.line, v.col))
    distinct = list(dict.fromkeys((v.low, v.high) for v in values))
    if len(distinct) > 1:
        diagnostics.append(_duration_conflict(source, ref, values))
    return distinct[0]


def _duration_conflict(source: str, ref: str, values: list[_Value]) -> Diagnostic:
    first = values[0]
    stated = ", ".join(f"{format_range(v.low, v.high)} (line {v.line})" for v in values)
    later = next(v for v in values if (v.low, v.high) != (first.low, first.high))
    return Diagnostic(
        source,
        later.line,
        later.col,
        "warning",
        DURATION_CONFLICT,
        f"{phase_label(ref)} has conflicting durations: {stated}; using {format_range(first.low, first.high)}",
    )


def _resolve_files(phases: dict[str, Phase]) -> None:
    by_suffix: dict[str, set[str]] = defaultdict(set)
    for path in {path for phase in phases.values() for path in phase.files}:
        parts = path.split("/")
        for start in range(1, len(parts)):
            by_suffix["/".join(parts[start:])].add(path)
    for ref, phase in phases.items():
        resolved = tuple(sorted({_resolve(path, by_suffix) for path in phase.files}))
        if resolved != phase.files:
            phases[ref] = replace(phase, files=resolved)


def _resolve(path: str, by_suffix: dict[str, set[str]]) -> str:
    longer = by_suffix.get(path.lstrip("./"), set())
    return next(iter(longer)) if len(longer) == 1 else path


# --- scenarios ---------------------------------------------------------------------------


def _views(facts: Sequence[Fact]) -> dict[ScenarioName, list[View]]:
    views: dict[ScenarioName, list[View]] = defaultdict(list)
    for fact in facts:
        view = getattr(fact, "view", None)
        if isinstance(view, View) and isinstance(fact, PhaseNamed | EdgeStated | WindowStated):
            views[view.scenario].append(view)
    return views


def _members(facts: Sequence[Fact], scenario: ScenarioName | None) -> set[str]:
    members: set[str] = set()
    for fact in facts:
        view = getattr(fact, "view", None)
        name = view.scenario if isinstance(view, View) else None
        if name != scenario:
            continue
        if isinstance(fact, PhaseNamed | WindowStated | Mentioned):
            members.add(fact.ref)
        elif isinstance(fact, EdgeStated):
            members.update((fact.src, fact.dst))
    return members


def _scenarios(
    facts: Sequence[Fact], edges: list[EdgeStated], known: set[str], parents: dict[str, str]
) -> list[Scenario]:
    views = _views(facts)
    unscoped = _members(facts, None) & known
    scenarios: list[Scenario] = []
    if "current" in views:
        scenarios.append(_scoped("current", views["current"], facts, edges, parents))
    elif unscoped:
        unscoped_edges = [e for e in edges if e.view is None]
        first_line = min((e.pos.line for e in unscoped_edges), default=1)
        members, leveled = _leveled(unscoped, unscoped_edges, parents)
        scenarios.append(_scenario("current", UNSCOPED_TITLE, first_line, members, leveled))
    if "optimized" in views:
        scenarios.append(_scoped("optimized", views["optimized"], facts, edges, parents))
    return scenarios


def _leveled(members: set[str], edges: list[EdgeStated], parents: dict[str, str]) -> tuple[set[str], list[EdgeStated]]:
    """Two levels (phases holding tasks): draw the graph where the dependencies are written.

    With any edge that names a held unit, the graph is drawn at that level: a holder's edges
    become edges of each unit it holds. Otherwise holders stay, and what they hold is grouping.
    """
    held = {child: parent for child, parent in parents.items() if child in members or parent in members}
    if not any(e.src in held or e.dst in held for e in edges):
        return (members - held.keys()) | {p for p in held.values() if p in members}, edges
    children: dict[str, list[str]] = defaultdict(list)
    for child, parent in sorted(held.items(), key=lambda item: natural_order(item[0])):
        children[parent].append(child)
    expanded = [
        replace(edge, src=src, dst=dst)
        for edge in edges
        for src in children.get(edge.src, [edge.src])
        for dst in children.get(edge.dst, [edge.dst])
        if src != dst
    ]
    return (members - children.keys()) | held.keys(), expanded


def _only_graph_is_current(scenarios: list[Scenario]) -> tuple[Scenario, ...]:
    """A document with a single graph has only ``current``, whatever its heading says."""
    if len(scenarios) == 1 and scenarios[0].name != "current":
        return (replace(scenarios[0], name="current"),)
    return tuple(scenarios)


def _scoped(
    name: ScenarioName, views: list[View], facts: Sequence[Fact], edges: list[EdgeStated], parents: dict[str, str]
) -> Scenario:
    members = _members(facts, name)
    chosen = [e for e in edges if e.view is not None and e.view.scenario == name]
    first = min(views, key=lambda v: v.line)
    if not first.whole:  # a whole scenario is at one level already
        members, chosen = _leveled(members, chosen, parents)
    return _scenario(name, first.title, first.line, members, chosen)


def _scenario(name: ScenarioName, title: str, line: int, members: set[str], edges: list[EdgeStated]) -> Scenario:
    merged: dict[tuple[str, str], Edge] = {}
    for fact in sorted(edges, key=lambda e: (e.pos.line, e.pos.col)):
        key = (fact.src, fact.dst)
        seen = merged.get(key)
        if seen is None or (fact.kind == "drawn" and seen.kind == "stated"):
            optional = fact.optional and (seen is None or seen.optional)
            merged[key] = Edge(fact.src, fact.dst, fact.kind, fact.pos.line, optional)
        elif seen.optional and not fact.optional:
            merged[key] = replace(seen, optional=False)
    ids = set(members) | {i for key in merged for i in key}
    ordered = tuple(sorted(merged.values(), key=lambda e: (natural_order(e.src), natural_order(e.dst))))
    return Scenario(name, title, line, tuple(sorted(ids, key=natural_order)), ordered)


# --- prose that denies drawn edges -------------------------------------------------------


def denied_edges(denials: list[DenialStated], scenarios: list[Scenario]) -> list[Denied]:
    found: list[Denied] = []
    for scenario in scenarios:
        touching: dict[str, list[Edge]] = defaultdict(list)
        for edge in scenario.edges:
            touching[edge.src].append(edge)
            touching[edge.dst].append(edge)
        members = set(scenario.phase_ids)
        for denial in denials:
            if _applies(denial, scenario, members):
                denied = _denied(denial, touching[denial.subject])
                found.extend(Denied(scenario.name, edge, denial.pos.line, denial.text) for edge in denied)
    return list(dict.fromkeys(found))


def _applies(denial: DenialStated, scenario: Scenario, members: set[str]) -> bool:
    if denial.view is not None:
        return denial.view.scenario == scenario.name
    return denial.subject in members


def _denied(denial: DenialStated, edges: list[Edge]) -> list[Edge]:
    return [edge for edge in edges if _DENIES[denial.kind](denial.subject, denial.refs, edge)]


_DENIES: dict[str, Callable[[str, tuple[str, ...], Edge], bool]] = {
    "no_successors": lambda subject, _, e: e.src == subject,
    "no_predecessors": lambda subject, _, e: e.dst == subject,
    "only_predecessors": lambda subject, refs, e: e.dst == subject and e.src not in refs,
    "parallel": lambda subject, refs, e: (e.src, e.dst) in {(subject, r) for r in refs} | {(r, subject) for r in refs},
}


def _not_yet_diagnosed(denied: list[Denied], facts: Sequence[Fact], scenarios: list[Scenario]) -> list[Denied]:
    """The denied edges no earlier reading diagnosed (a report keeps its source's MP105, whose
    edge lines it does not show)."""
    denials = _of(facts, DenialStated)
    fresh = [d for d in denials if not d.diagnosed]
    return denied if len(fresh) == len(denials) else denied_edges(fresh, scenarios)


def _denied_warning(source: str, denied: Denied) -> Diagnostic:
    edge = denied.edge
    return Diagnostic(
        source,
        max(edge.line, denied.line),
        1,
        "warning",
        EDGE_DENIED,
        f"{denied.scenario}: {phase_label(edge.src)} → {phase_label(edge.dst)} (line {edge.line}) "
        f'contradicts "{denied.text}" (line {denied.line})',
    )


def _undrawn(source: str, edges: list[EdgeStated], scenarios: list[Scenario]) -> list[Diagnostic]:
    """Prose outside any view states an edge a drawn scenario holding both phases lacks."""
    found = []
    for scenario in scenarios:
        drawn = {(e.src, e.dst) for e in scenario.edges}
        members = set(scenario.phase_ids)
        if scenario.title == UNSCOPED_TITLE:
            continue
        for edge in edges:
            if edge.view is None and {edge.src, edge.dst} <= members and (edge.src, edge.dst) not in drawn:
                message = (
                    f"{scenario.name}: {phase_label(edge.src)} → {phase_label(edge.dst)} is stated here "
                    f'but not drawn in "{scenario.title}" (line {scenario.line})'
                )
                found.append(_warning(source, edge.pos, EDGE_NOT_DRAWN, message))
    return found


def _warning(source: str, pos: Pos, code: str, message: str) -> Diagnostic:
    return Diagnostic(source, pos.line, pos.col, "warning", code, message)


def _sorted_unique(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    unique = dict.fromkeys(diagnostics)
    return tuple(sorted(unique, key=lambda d: (d.line, d.col, d.code, d.message)))
