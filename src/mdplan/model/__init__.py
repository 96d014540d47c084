"""The data model: facts read from a document, and the plan they merge into.

Every recognizer emits *facts* (a phase named, a duration, an edge drawn or stated, a denial,
a file touched), each with its source position and the scenario view it came from. One merge
step (``mdplan.parse.merge``) turns the facts of a document into a :class:`Plan`: scenarios of phases
and edges, plus diagnostics for whatever disagrees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ScenarioName = Literal["current", "optimized", "recommended"]
Severity = Literal["error", "warning", "info"]
EdgeKind = Literal["drawn", "stated"]
DenialKind = Literal["no_successors", "no_predecessors", "only_predecessors", "parallel"]
ClaimKind = Literal["total", "percent", "saving", "steps", "path", "window", "sum"]


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based source position."""

    line: int
    col: int = 1


@dataclass(frozen=True, slots=True)
class View:
    """The scenario a fact belongs to, and the heading or label that said so. ``whole``: the
    view states its scenario whole, every unit and edge at one level (a report's phase table),
    so the merge takes it as it stands: a scenario even with no edge, units kept whatever
    their kind, no second leveling."""

    scenario: ScenarioName
    title: str
    line: int
    whole: bool = False


# --- facts -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhaseNamed:
    """A place that names a phase as a thing of its own: heading, list item, diagram node."""

    ref: str
    label: str
    title: str | None
    pos: Pos
    view: View | None
    parent: str | None = None  # the unit that holds it (a phase holding tasks)
    parallel: bool = False  # marked ``[P]``: may run in parallel with its siblings


@dataclass(frozen=True, slots=True)
class DurationStated:
    """A duration given for a phase. ``rank``: 0 label, 1 timeline window, 2 prose mention."""

    ref: str
    low: float
    high: float
    rank: int
    text: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class WindowStated:
    """A timeline window ``Phase 2: 10-15 min``: a start and an end, in minutes."""

    ref: str
    start: float
    end: float
    text: str
    pos: Pos
    view: View | None


@dataclass(frozen=True, slots=True)
class EdgeStated:
    """``src`` must finish before ``dst`` starts: drawn in a diagram or stated in prose."""

    src: str
    dst: str
    kind: EdgeKind
    pos: Pos
    view: View | None
    optional: bool = False  # a soft edge: ``-.->``, ``(optional)``


@dataclass(frozen=True, slots=True)
class DenialStated:
    """Prose that rules edges out: ``Blocks: Nothing``, ``Only Phase 1``, ``in parallel with``."""

    subject: str
    kind: DenialKind
    refs: tuple[str, ...]
    text: str
    pos: Pos
    view: View | None
    diagnosed: bool = False  # the edges it rules out were diagnosed where it was first read (MP105 in a report)


@dataclass(frozen=True, slots=True)
class ClaimStated:
    """A number the document claims about its own schedule, for the claim audit to recompute.

    ``low``/``high`` are the claimed value or range (minutes, percent, phases, or a window's
    start and end). ``scope`` is the phases a total covers (those drawn before it in its
    block; empty for the whole scenario) or a window's phases; ``path`` a critical path as
    written, one group of ids per step; ``rows`` the durations of unnamed rows a total adds
    up; ``terms`` the addends of ``a + b = c``.
    """

    kind: ClaimKind
    text: str
    low: float
    high: float
    pos: Pos
    view: View | None
    hint: ScenarioName | None = None  # a scenario word written on the line before the number
    unit: str = ""  # the time unit as written (``minutes``, ``giờ``), for showing values
    approx: bool = False  # ``~30``, ``about 30``
    bound: Literal["", "<", ">"] = ""  # ``<40 minutes``
    measure: Literal["makespan", "work"] = "makespan"  # ``(serial)``: the sum of durations
    not_about_plan: str = ""  # why the number is about something else (``30% of Phase 4 duration``)
    scope: tuple[str, ...] = ()
    path: tuple[tuple[str, ...], ...] = ()
    rows: tuple[float, ...] = ()
    terms: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class PartialNeed:
    """``Phase 5 only needs the schema, defined early in Phase 3``: ``subject`` needs only part
    (``what``) of ``predecessor``."""

    subject: str
    predecessor: str
    what: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class TestRun:
    """Timed test commands a block runs one after another (``cargo test -p a  # 10s``)."""

    commands: tuple[tuple[str, float], ...]  # (command, minutes)
    pos: Pos


@dataclass(frozen=True, slots=True)
class FileTouched:
    """A file or module a phase touches."""

    ref: str
    path: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class AliasStated:
    """``Phase 3: User Story 1 - …``: ``US1`` is another name of Phase 3."""

    alias: str
    ref: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Mentioned:
    """A unit named in a dependency statement that has no subject (``## Required for Epic 2``)."""

    ref: str
    pos: Pos
    view: View | None


@dataclass(frozen=True, slots=True)
class Sequenced:
    """A unit listed under a heading that says its units run in order (``## Merge Order``);
    ``group`` is that heading's line. The merge chains a group's units in document order."""

    ref: str
    group: int
    pos: Pos
    view: View | None


@dataclass(frozen=True, slots=True)
class Note:
    """Something a recognizer could not read, reported as a diagnostic."""

    code: str
    severity: Severity
    message: str
    pos: Pos


Fact = (
    PhaseNamed
    | DurationStated
    | WindowStated
    | EdgeStated
    | DenialStated
    | FileTouched
    | ClaimStated
    | PartialNeed
    | TestRun
    | AliasStated
    | Mentioned
    | Sequenced
    | Note
)


# --- the merged plan ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}"


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    label: str
    title: str | None
    minutes: float | None
    minutes_range: tuple[float, float] | None
    files: tuple[str, ...]
    line: int
    parent: str | None = None
    parallel: bool = False


@dataclass(frozen=True, slots=True)
class Edge:
    src: str
    dst: str
    kind: EdgeKind
    line: int
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Scenario:
    name: ScenarioName
    title: str
    line: int
    phase_ids: tuple[str, ...]
    edges: tuple[Edge, ...]


@dataclass(frozen=True, slots=True)
class Denied:
    """An edge a scenario holds that the document's prose rules out."""

    scenario: ScenarioName
    edge: Edge
    line: int  # of the prose
    text: str


@dataclass(frozen=True, slots=True)
class Plan:
    source: str
    title: str | None
    phases: dict[str, Phase]
    scenarios: tuple[Scenario, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    denied: tuple[Denied, ...] = field(default=())  # edges prose rules out
    stated: tuple[Edge, ...] = field(default=())  # dependencies prose outside any view states
    claims: tuple[ClaimStated, ...] = field(default=())  # numbers the document claims, in order
    denials: tuple[DenialStated, ...] = field(default=())  # every denial the prose states
    partial_needs: tuple[PartialNeed, ...] = field(default=())
    test_runs: tuple[TestRun, ...] = field(default=())

    def scenario(self, name: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.name == name), None)
