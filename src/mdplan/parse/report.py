"""Reading mdplan's own report back as the plan it describes.

A report (first heading ``# Parallelization Report: …`` and an Executive Summary that starts
``mdplan read``) is read through what a person sees, section by section, into the facts any
notation states; ``parse.merge.merge`` builds the plan from them, as for any document:

- ``## <Scenario> Dependency Graph``: the line ``From "TITLE" (line N)`` and the phase table
  (Phase, Title, Minutes, Depends on, Line, and Group when a phase is in a group or ``[P]``;
  where titles would make the table too wide, they are a list under it, ``- PHASE: TITLE``):
  the scenario's phases (``PhaseNamed``), durations (``DurationStated``) and edges
  (``EdgeStated``, drawn), under a view that states the scenario whole (``View.whole``: the
  merge takes it as it stands) titled and placed as the From line says. A phase has a row in
  each scenario's table; its title, duration, line and group are those of its first row.
  Edit a duration or a dependency there and the next run computes with it. The ASCII and
  Mermaid pictures are drawn from the table. A graph with a dependency cycle says so under
  its pictures, naming each edge of the cycle with its source line (``Phase 1 → Phase 2
  (line 4), …``): those edges are read with those lines (a row gives the others its own).
- ``## Recommended Plan``: where the recommended plan has a dependency cycle, the edges its
  sentence names give their source lines to the same edges of the scenario it starts from
  (the optimized plan, else the current one); the rest of the section is not read.
- ``## Module Impact``: the table of files and the phases that touch them (or, in reports of
  earlier versions, the files × phases matrix), or the list ``- `PATH`: PHASES``
  (``FileTouched``).
- ``### Stated in the Source``: denials (``DenialStated``, marked as diagnosed: the report's
  Diagnostics keep the MP105 they gave), dependencies stated outside any drawing
  (``EdgeStated``, stated), partial needs and timed test runs, each with the source line it
  came from; a phase they name that no row has is a phase of the plan outside its scenarios.
- ``## Claim Audit``: each claim, re-audited (``ClaimStated``): the table gives its line,
  text, kind and plan, and the list under it (``- Line N, "TEXT": claimed C; covers V;
  computed …``) what it claims and covers (reports of earlier versions have Covers and
  Claimed columns instead).
- ``## Diagnostics``: the source's diagnostics (``Note``), kept with their source lines
  (those the analysis makes again, MP106, MP107 and MP114, are made again instead).

Tables are read by their header names; list items and paragraphs as a whole, over every line
they are wrapped on. Text is read with its Markdown escapes undone and, in code spans
(where no escape is), the ``&lt;`` the report writes for a ``<`` that could open a tag read as
``<``. What cannot be read as written is an ``MP014`` note at the report's line.
Everything else (summary, recommendations, critical paths, matrix, checklist, roadmap,
metrics) is computed output and is not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from mdplan.model import (
    ClaimKind,
    ClaimStated,
    DenialKind,
    DenialStated,
    DurationStated,
    EdgeStated,
    Fact,
    FileTouched,
    Note,
    PartialNeed,
    PhaseNamed,
    Plan,
    Pos,
    ScenarioName,
    Severity,
    TestRun,
    View,
    patterns,
)
from mdplan.model.vocabulary import (
    ARITHMETIC,
    CRITICAL_PATH,
    NOT_THE_PLAN,
    ONE_AFTER_ANOTHER,
    ROWS,
    WHOLE_PLAN,
    format_range,
    phase_label,
)
from mdplan.parse.blocks import Block, split_blocks
from mdplan.parse.claims import SUM, sum_terms, written_path
from mdplan.parse.document import REPORT_TITLE
from mdplan.parse.durations import NUMBER, parse_duration, unit_minutes
from mdplan.parse.escapes import unescape
from mdplan.parse.ids import label_id
from mdplan.parse.merge import Estimate, merge
from mdplan.parse.quotes import code_spans

TITLE_PREFIX = REPORT_TITLE.removeprefix("# ")
_GRAPH_HEADING = patterns.compile(r"^(?P<name>Current|Optimized) Dependency Graph$")
_FROM = patterns.compile(r'^From "(?P<title>.*)" \(line (?P<line>[0-9]{1,9})\):')
_ID_IN_CELL = patterns.compile(r"^(?P<label>.*) \(`(?P<id>[^`]+)`\)$")
_OPTIONAL = " (optional)"
_GROUP = patterns.compile(r"^in (?P<label>.+?)(?: \[P\])?$")
_DIAGNOSTIC = patterns.compile(
    r"^Line (?P<line>[0-9]{1,9}): (?P<severity>error|warning|info) (?P<code>MP\d+): (?P<message>.*)$"
)
_MODULE_ITEM = patterns.compile(r"^`(?P<path>[^`]+)`: (?P<labels>.+)$")
# a cycle as ``render.context`` states it: under a graph, and under the recommended plan
_CYCLE_STATED = patterns.compile(
    r"^(?:This graph has a dependency cycle, so it has no schedule: (?P<graph>.*)\."
    r"|No schedule: the graph has a dependency cycle \((?P<recommended>.*)\)\.)$"
)
_CYCLE_LINE = patterns.compile(r" \(line (?P<line>[0-9]{1,9})\)(?:, |$)")  # ends each edge of a cycle
_CYCLE_PHASE = "Phase "
_CYCLE_ARROW = " → "
# ``<`` before a tag's first character, which the report writes ``&lt;`` (``render.inert``)
_TAG_OPEN_WRITTEN = patterns.compile(r"&lt;(?=[A-Za-z/!?])")
_REMADE = {"MP106", "MP107", "MP114", "MP014"}  # made again from what the report holds
EDITED = "MP014"  # a cell or row of an edited report that cannot be read as written
_MINUTES = patterns.compile(rf"^(?P<low>{NUMBER})(?:-(?P<high>{NUMBER}))?$")
_LINE_NUMBER = patterns.compile(r"^[0-9]{1,9}$")
_STATEMENT = patterns.compile(
    r"^Line (?P<line>[0-9]{1,9})(?: \((?P<scenario>current|optimized) plan\))?: (?P<rest>.*)$"
)
_DENIAL = patterns.compile(
    r"^(?P<subject>.+?) (?P<phrase>blocks nothing|depends on nothing|depends only on|runs in parallel with)"
    r'(?: (?P<refs>.+?))? — "(?P<text>.*)"$'
)
_PARTIAL = patterns.compile(r'^(?P<subject>.+?) needs only the "(?P<what>.*)" of (?P<predecessor>.+)$')
_TESTS = patterns.compile(r"^test commands run one after another: (?P<commands>.*)$")
_COMMAND = patterns.compile(r"`(?P<command>[^`]*)` \((?P<time>[^()]*)\)")
_STATED = patterns.compile(r"^(?P<dst>.+?) depends on (?P<src>.+?)(?P<soft> \(optional\))?$")
_CLAIMED = patterns.compile(rf"^(?P<approx>~)?(?P<bound>[<>])?(?P<a>{NUMBER})(?:-(?P<b>{NUMBER}))?\s*(?P<unit>.*)$")
_DENIAL_KINDS: dict[str, DenialKind] = {
    "blocks nothing": "no_successors",
    "depends on nothing": "no_predecessors",
    "depends only on": "only_predecessors",
    "runs in parallel with": "parallel",
}
_CLAIM_KINDS: set[str] = {"total", "percent", "saving", "steps", "path", "window", "sum"}
_PHASE_COLUMNS = ("Phase", "Title", "Minutes", "Depends on", "Line", "Group")
_CLAIM_COLUMNS = ("Line", "Claim", "Kind", "Plan", "Covers", "Claimed")  # the last two: earlier reports
_CLAIM_ITEM = patterns.compile(r"^Line (?P<line>[0-9]{1,9}), ")
_CLAIMED_PART = patterns.compile(r"^claimed (?P<claimed>.*?)(?:; covers (?P<covers>.*?))?(?:; computed .*)?$")


def read_report(text: str, source: str, estimate: Estimate = "mid") -> Plan:
    """The plan a report describes: its facts, merged as any document's are."""
    title, facts = report_facts(text)
    return merge(facts, source, title, estimate)


def report_facts(text: str) -> tuple[str | None, list[Fact]]:
    """The report's title (its plan's) and every fact it states."""
    reader = _Reader()
    for block in split_blocks(text):
        reader.read(block)
    return reader.title, reader.facts()


@dataclass
class _Row:
    id: str
    label: str
    title: str
    minutes: tuple[float, float] | None
    depends: list[tuple[str, bool]]  # (label, optional)
    line: int
    group: str
    at: int  # the row's line in the report
    cell: str  # the Phase cell as written, which a list of titles names it by


@dataclass(frozen=True, slots=True)
class _ClaimRow:
    """A row of the claim audit's table; ``claimed`` and ``covers`` are None where the table
    has no such column (they are in the list under it)."""

    line: str
    text: str
    kind: str
    plan: str
    covers: str | None
    claimed: str | None


@dataclass
class _Reader:
    title: str | None = None
    scenario: ScenarioName | None = None
    scenarios: dict[ScenarioName, tuple[str, int, list[_Row]]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)  # cells that cannot be read, the source's diagnostics
    denials: list[DenialStated] = field(default_factory=list)
    stated: list[tuple[str, str, int, bool]] = field(default_factory=list)  # (src label, dst label, line, soft)
    needs: list[tuple[str, str, str, int]] = field(default_factory=list)  # (subject, predecessor labels, what, line)
    phases_stated: list[tuple[str, int, int]] = field(default_factory=list)  # (label, line, report line) of those two
    runs: list[TestRun] = field(default_factory=list)
    claim_rows: list[_ClaimRow] = field(default_factory=list)
    claim_items: list[str] = field(default_factory=list)  # the list under the claim audit's table
    # source lines of the edges a cycle sentence names, by the plan it is under ("recommended" too)
    cycle_lines: dict[str, dict[tuple[str, str], int]] = field(default_factory=dict)

    # --- reading blocks ---

    def read(self, block: Block) -> None:
        if block.kind == "heading":
            self._heading(block)
        elif self.scenario:
            self._in_graph_section(block)
        elif block.kind == "table" and block.section in ("Module Impact", "Claim Audit"):
            (self._module_table if block.section == "Module Impact" else self._claim_table)(block)
        elif block.kind == "item":
            self._item(block.section, block.text, block.lines[0].number)
        elif block.kind == "paragraph" and block.section == "Recommended Plan":
            self._cycle(_as_written(block.text), "recommended")

    def _in_graph_section(self, block: Block) -> None:
        assert self.scenario is not None
        if block.kind == "paragraph":
            self._from_line(block.text)
            self._cycle(_as_written(block.text), self.scenario)
        elif block.kind == "table":
            self._phase_table(block)
        elif block.kind == "item":
            self._title_item(_as_written(block.text))

    def _item(self, section: str, text: str, at: int) -> None:
        if section == "Module Impact":
            self._module_item(text)
        elif section == "Stated in the Source":
            self._statement(text, at)
        elif section == "Claim Audit":
            self.claim_items.append(_as_written(text))
        elif section == "Diagnostics":
            self._diagnostic(text)

    def _heading(self, block: Block) -> None:
        text = block.lines[0].text.strip()
        if block.level == 1 and self.title is None:
            self.title = text.removeprefix(TITLE_PREFIX)
        graph = _GRAPH_HEADING.match(text) if block.level == 2 else None
        self.scenario = None
        if graph:
            self.scenario = "current" if graph["name"] == "Current" else "optimized"
            self.scenarios[self.scenario] = ("", 1, [])

    def _from_line(self, text: str) -> None:
        found = _FROM.match(text)
        if found and self.scenario:
            rows = self.scenarios[self.scenario][2]
            self.scenarios[self.scenario] = (_as_written(found["title"]), int(found["line"]), rows)

    def _cycle(self, text: str, plan: str) -> None:
        """The edges a cycle sentence names, each with its source line."""
        found = _CYCLE_STATED.match(text)
        edges = found and (found["graph"] if plan != "recommended" else found["recommended"])
        if edges:
            self.cycle_lines[plan] = dict(_cycle_edges(edges))

    def _phase_table(self, block: Block) -> None:
        assert self.scenario is not None
        rows = self.scenarios[self.scenario][2]
        columns = _columns(_cells(block.rows[0]), _PHASE_COLUMNS)
        for row in block.rows[1:]:
            cells = _cells(row)
            at = row[0].number if row else block.lines[0].number
            read = self._phase_row({name: _cell(cells, columns, name) for name in _PHASE_COLUMNS}, at)
            if read:
                rows.append(read)

    def _title_item(self, text: str) -> None:
        """``- PHASE: TITLE`` under a phase table without a Title column: the title of the row
        whose Phase cell it names (the longest such cell, if one names another)."""
        assert self.scenario is not None
        rows = self.scenarios[self.scenario][2]
        named = [row for row in rows if row.cell and text.startswith(row.cell + ": ")]
        if named:
            row = max(named, key=lambda r: len(r.cell))
            row.title = row.title or text[len(row.cell) + 2 :]

    def _phase_row(self, cells: dict[str, str], at: int) -> _Row | None:
        """A row of a phase table, its cells by column name."""
        phase, title, minutes, line = cells["Phase"], cells["Title"], cells["Minutes"], cells["Line"]
        label, phase_id = _phase_cell(phase)
        if not phase_id:
            self._edited(at, "a row of the phase table names no phase; it is left out")
            return None
        if line and not _LINE_NUMBER.match(line):
            self._edited(at, f'the Line cell "{line}" of {label} is not a line number; it is left out')
        number = int(line) if _LINE_NUMBER.match(line) else 0
        minutes_read = self._minutes(minutes, label, at)
        return _Row(
            phase_id, label, title, minutes_read, _depends(cells["Depends on"]), number, cells["Group"], at, phase
        )

    def _minutes(self, cell: str, label: str, at: int) -> tuple[float, float] | None:
        found = _MINUTES.match(cell)
        if cell not in ("", "?") and not found:
            self._edited(at, f'the Minutes cell "{cell}" of {label} is not minutes (10, 3-5 or ?); it is left out')
        if not found:
            return None
        low = float(found["low"])
        return low, float(found["high"] or low)

    def _edited(self, line: int, message: str) -> None:
        self.notes.append(_edited(line, message))

    def _module_table(self, block: Block) -> None:
        header = _cells(block.rows[0])
        for cells in (_cells(row) for row in block.rows[1:]):
            path = cells[0].strip("`") if cells else ""
            if header[1:] == ("Phases",):  # a file with the labels of the phases that touch it
                owners = self.files.setdefault(path, [])
                labels = cells[1].split(", ") if len(cells) > 1 and cells[1] else []
                owners.extend(label for label in labels if label not in owners)
            else:  # the files × phases matrix of earlier reports: one column per phase id
                self.files[path] = [pid for pid, mark in zip(header[1:], cells[1:], strict=False) if mark == "●"]

    def _claim_table(self, block: Block) -> None:
        header = _cells(block.rows[0])
        columns = _columns(header, _CLAIM_COLUMNS)
        for cells in (_cells(row) for row in block.rows[1:]):
            line, text, kind, plan, covers, claimed = (_cell(cells, columns, name) for name in _CLAIM_COLUMNS)
            listed = "Claimed" not in columns  # what it claims and covers is in the list under it
            self.claim_rows.append(
                _ClaimRow(line, text, kind, plan, None if listed else covers, None if listed else claimed)
            )

    def _module_item(self, text: str) -> None:
        found = _MODULE_ITEM.match(_as_written(text))
        if found:
            owners = self.files.setdefault(found["path"], [])
            owners.extend(label for label in found["labels"].split(", ") if label not in owners)

    def _statement(self, text: str, at: int) -> None:
        found = _STATEMENT.match(_as_written(text))
        if not found:
            return
        line, rest = int(found["line"]), found["rest"]
        view = View(found["scenario"], "", line) if found["scenario"] else None  # type: ignore[arg-type]
        if denial := _DENIAL.match(rest):
            refs = tuple(denial["refs"].split(", ")) if denial["refs"] else ()
            kind = _DENIAL_KINDS[denial["phrase"]]
            self.denials.append(DenialStated(denial["subject"], kind, refs, denial["text"], Pos(line), view, True))
        elif partial := _PARTIAL.match(rest):
            self.needs.append((partial["subject"], partial["predecessor"], partial["what"], line))
            self.phases_stated.extend((partial[name], line, at) for name in ("subject", "predecessor"))
        elif tests := _TESTS.match(rest):
            commands = tuple(_timed(m["command"], m["time"]) for m in _COMMAND.finditer(tests["commands"]))
            self.runs.append(TestRun(commands, Pos(line)))
        elif stated := _STATED.match(rest):
            self.stated.append((stated["src"], stated["dst"], line, bool(stated["soft"])))
            self.phases_stated.extend((stated[name], line, at) for name in ("src", "dst"))

    def _diagnostic(self, text: str) -> None:
        found = _DIAGNOSTIC.match(text)
        if found and found["code"] not in _REMADE:
            severity: Severity = found["severity"]  # type: ignore[assignment]
            message = _as_written(found["message"])
            self.notes.append(Note(found["code"], severity, message, Pos(int(found["line"]))))

    # --- the facts ---

    def facts(self) -> list[Fact]:
        """What the report states, as the facts of any plan: a phase table is a whole scenario
        (its view says so), a phase's title, duration and group come from its first row (a phase
        has a row in each scenario's table), the rest is as the source stated it."""
        ids = self._ids()
        first: dict[str, _Row] = {}
        for row in self._rows():
            first.setdefault(row.id, row)
        facts: list[Fact] = [*self.notes]
        unknown: set[str] = set()  # phases a dependency names that no row has, warned about once
        for name, (title, line, rows) in self.scenarios.items():
            facts.extend(self._scenario_facts(View(name, title, line, whole=True), rows, first, ids, unknown))
        facts.extend(_duration(row) for row in first.values() if row.minutes)
        facts.extend(self._files(ids))
        facts.extend(_group(pid) for pid in self._groups(first, ids))
        facts.extend(
            replace(d, subject=_id(ids, d.subject), refs=tuple(_id(ids, r) for r in d.refs)) for d in self.denials
        )
        facts.extend(
            EdgeStated(_id(ids, s), _id(ids, d), "stated", Pos(line), None, soft) for s, d, line, soft in self.stated
        )
        facts.extend(PartialNeed(_id(ids, s), _id(ids, p), what, Pos(line)) for s, p, what, line in self.needs)
        facts.extend(self._stated_phases(first, ids))
        facts.extend(self.runs)
        facts.extend(c for c in (_claim(row, ids) for row in self._claims_with_items()) if c is not None)
        return facts

    def _scenario_facts(
        self, view: View, rows: list[_Row], first: dict[str, _Row], ids: dict[str, str], unknown: set[str]
    ) -> Iterator[Fact]:
        """A scenario's phases (each as its first row names it) and edges; a dependency on a
        phase no row has is kept, untimed, as a plan keeps one on a phase nothing else names."""
        for row in rows:
            yield _named(first[row.id], view, ids)
        edges: dict[tuple[str, str], EdgeStated] = {}
        lines = self._edge_lines(view.scenario)
        for row in rows:
            for label, soft in row.depends:
                src = _id(ids, label)
                line = lines.get((src, row.id), row.line)
                edges[src, row.id] = EdgeStated(src, row.id, "drawn", Pos(line), view, soft)
                if src not in first:
                    yield PhaseNamed(src, phase_label(src), None, Pos(1), view)
                if src not in first and src not in unknown:
                    unknown.add(src)
                    message = f"{row.label} depends on {label}, which no row of the table has; it is kept, untimed"
                    yield _edited(row.at, message)
        yield from edges.values()
        if len(dict.fromkeys(row.id for row in rows)) < len(rows):
            yield _edited(rows[0].at, f"a phase has two rows in the {view.scenario} plan's table; they are read as one")

    def _edge_lines(self, scenario: str | None) -> dict[tuple[str, str], int]:
        """Source lines of a scenario's edges that cycle sentences name: its own sentence's,
        then, for the plan the recommended plan starts from, the recommended plan's."""
        base = "optimized" if "optimized" in self.scenarios else "current"
        recommended = self.cycle_lines.get("recommended", {}) if scenario == base else {}
        return {**recommended, **self.cycle_lines.get(scenario or "", {})}

    def _stated_phases(self, first: dict[str, _Row], ids: dict[str, str]) -> Iterator[PhaseNamed | Note]:
        """Phases a stated dependency or a partial need names that no row has: phases of the
        plan outside its scenarios, named as the statement names them (``LABEL (`ID`)``, or a
        label that names its id; any other text is no phase the report wrote, read as one)."""
        for label, line, at in self.phases_stated:
            pid = _id(ids, label)
            if pid in first:
                continue
            yield PhaseNamed(pid, _phase_cell(label)[0], None, Pos(line), None)
            if not _ID_IN_CELL.match(label) and not label_id(label):
                yield _edited(at, f'"{label}" is no phase of the report; the statement is read with it as one')

    def _files(self, ids: dict[str, str]) -> Iterator[FileTouched]:
        for path, owners in self.files.items():
            for owner in dict.fromkeys(_id(ids, o) for o in owners):  # ids from the matrix, labels from the lists
                yield FileTouched(owner, path, Pos(1))

    def _groups(self, first: dict[str, _Row], ids: dict[str, str]) -> Iterator[str]:
        """Groups the tables name that no row has (their phases are in the scenarios)."""
        for row in first.values():
            parent = _parent(row, ids)
            if parent and parent not in first:
                yield parent

    def _claims_with_items(self) -> Iterator[_ClaimRow]:
        """Each row of the claim audit with what it claims and covers: from its own cells, or
        from the item of the list that names its line and text (in order, where two rows are
        alike); a row whose item is gone is left out (nothing says what it claims)."""
        by_line: dict[str, list[str]] = {}
        for text in self.claim_items:
            line = _CLAIM_ITEM.match(text)
            if line:
                by_line.setdefault(line["line"], []).append(text)
        for row in self.claim_rows:
            if row.claimed is not None:
                yield row
                continue
            prefix = f'Line {row.line}, "{row.text}": '
            items = by_line.get(row.line, [])
            item = next((text for text in items if text.startswith(prefix)), None)
            parts = _CLAIMED_PART.match(item.removeprefix(prefix)) if item else None
            if item and parts:
                items.remove(item)
                yield _ClaimRow(row.line, row.text, row.kind, row.plan, parts["covers"] or "", parts["claimed"])

    def _rows(self) -> Iterator[_Row]:
        for _, _, rows in self.scenarios.values():
            yield from rows

    def _ids(self) -> dict[str, str]:
        """Every label (and cell) the tables use, to the id it names."""
        ids: dict[str, str] = {}
        for row in self._rows():
            ids.setdefault(row.label, row.id)
            ids.setdefault(f"{row.label} (`{row.id}`)", row.id)
            ids.setdefault(row.id, row.id)
        return ids


def _named(row: _Row, view: View, ids: dict[str, str]) -> PhaseNamed:
    """A phase as its row names it: label, title, line, and the group it is in."""
    return PhaseNamed(row.id, row.label, row.title or None, Pos(row.line), view, _parent(row, ids), "[P]" in row.group)


def _parent(row: _Row, ids: dict[str, str]) -> str | None:
    """The group a row's Group cell puts it in (``in Phase 3``, ``in Phase 3 [P]``)."""
    group = _GROUP.match(row.group)
    return _id(ids, group["label"]) if group else None


def _duration(row: _Row) -> DurationStated:
    assert row.minutes is not None
    low, high = row.minutes
    return DurationStated(row.id, low, high, 0, format_range(low, high), Pos(row.line))


def _group(pid: str) -> PhaseNamed:
    return PhaseNamed(pid, phase_label(pid), None, Pos(1), None)


def _edited(line: int, message: str) -> Note:
    return Note(EDITED, "warning", message, Pos(line))


def _id(ids: dict[str, str], label: str) -> str:
    """The id a label names: from the report's tables, else from the label itself."""
    return ids.get(label) or _phase_cell(label)[1]


def _phase_cell(cell: str) -> tuple[str, str]:
    """(label, id) of a phase as the report names it: ``LABEL (`ID`)``, or a label that names its id."""
    named = _ID_IN_CELL.match(cell)
    if named:
        return named["label"], named["id"]
    return cell, label_id(cell) or cell


def _as_written(text: str) -> str:
    """Report text as the plan wrote it: Markdown escapes undone, and the ``&lt;`` the report
    writes for a ``<`` that could open a tag read as ``<`` inside code spans too (there no
    escape is undone, so a title's `` `<name>` `` is shown ``&lt;name>``)."""
    text = unescape(text)
    if "&lt;" not in text or "`" not in text:
        return text
    parts: list[str] = []
    position = 0
    for start, end, _ in code_spans(text):
        parts.extend((text[position:start], _TAG_OPEN_WRITTEN.sub("<", text[start:end])))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _cells(row: tuple[object, ...]) -> tuple[str, ...]:
    return tuple(_as_written(str(getattr(cell, "text", cell)).strip()) for cell in row)


def _columns(header: tuple[str, ...], names: tuple[str, ...]) -> dict[str, int]:
    """Where each known column is, by its header; by position where the header names none."""
    found = {name: header.index(name) for name in names if name in header}
    return found or {name: index for index, name in enumerate(names)}


def _cell(cells: tuple[str, ...], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index] if index is not None and index < len(cells) else ""


def _depends(cell: str) -> list[tuple[str, bool]]:
    if cell in ("", "–"):
        return []
    return [(part.removesuffix(_OPTIONAL), part.endswith(_OPTIONAL)) for part in cell.split(", ")]


def _cycle_edges(text: str) -> Iterator[tuple[tuple[str, str], int]]:
    """``Phase A → Phase B (line N), …`` as ((A, B), N) pairs, in one pass over the text;
    a part that is not written so is left out."""
    start = 0
    for end in _CYCLE_LINE.finditer(text):
        src, arrow, dst = text[start : end.start()].partition(_CYCLE_ARROW)
        start = end.end()
        if arrow and src.startswith(_CYCLE_PHASE) and dst.startswith(_CYCLE_PHASE):
            yield (src.removeprefix(_CYCLE_PHASE), dst.removeprefix(_CYCLE_PHASE)), int(end["line"])


def _timed(command: str, time: str) -> tuple[str, float]:
    duration = parse_duration(time)
    return command, duration.high if duration else 0.0


def _claim(row: _ClaimRow, ids: dict[str, str]) -> ClaimStated | None:
    """A row of the claim audit as the claim it records, to audit again."""
    if row.kind not in _CLAIM_KINDS or not _LINE_NUMBER.match(row.line):
        return None
    line, text, kind, plan = row.line, row.text, row.kind, row.plan
    covering, claimed = row.covers or "", row.claimed or ""
    hint: ScenarioName | None = plan.lower() if plan.lower() in ("current", "optimized") else None  # type: ignore[assignment]
    value = _CLAIMED.match(claimed)
    unit = value["unit"] if value else ""
    scale = unit_minutes(unit) or 1.0 if unit not in ("%", "phases") else 1.0
    low = float(value["a"]) * scale if value else 0.0
    high = float(value["b"]) * scale if value and value["b"] else low
    path = written_path(text) if kind == "path" else ()
    if kind == "path":
        low = high = float(len(path))
    extra = _covering(covering, kind, text, ids)
    if kind == "window" and not extra.get("scope"):
        return None  # a window is a window of some phases: its Covers cell was emptied
    return ClaimStated(
        kind,  # type: ignore[arg-type]
        text,
        low,
        high,
        Pos(int(line)),
        None,
        hint=hint,
        unit=unit if unit not in ("%", "phases") else "",
        approx=bool(value and value["approx"]),
        bound=(value["bound"] if value and value["bound"] else ""),  # type: ignore[arg-type]
        path=path,
        **extra,  # type: ignore[arg-type]
    )


def _covering(cell: str, kind: ClaimKind | str, text: str, ids: dict[str, str]) -> dict[str, object]:
    """The fields of a claim its Covers cell gives back."""
    if cell.startswith(NOT_THE_PLAN):
        return {"not_about_plan": cell.removeprefix(NOT_THE_PLAN)}
    serial = cell.endswith(ONE_AFTER_ANOTHER)
    cell = cell.removesuffix(ONE_AFTER_ANOTHER)
    found: dict[str, object] = {"measure": "work" if serial else "makespan"}
    if kind == "sum":
        summed = SUM.search(text)
        if summed:
            found["terms"] = sum_terms(summed)
    elif cell.startswith(ROWS):
        found["rows"] = tuple(
            d.high for d in (parse_duration(part.strip()) for part in cell.removeprefix(ROWS).split(" + ")) if d
        )
    elif cell not in (WHOLE_PLAN, CRITICAL_PATH, ARITHMETIC, ""):
        found["scope"] = tuple(_id(ids, label) for label in cell.split(", "))
    return found
