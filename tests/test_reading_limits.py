"""``check`` and ``report`` refuse what they cannot read in seconds (MP010) before the work, and
the cheap tests that keep the rest fast change nothing they read. No clock: limits are made
small for the test, and the fast paths are held by what they never call or never try."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdplan.cli import run
from mdplan.parse import blocks, claims, diagram, document, grid, labels, merge, prose
from mdplan.parse.blocks import Block, Line
from mdplan.parse.diagram import read_diagram
from mdplan.parse.grid import may_draw
from tests.work import calls_of

PLAN = "# Plan\n\n## Phase 1: A (5 min)\n\n## Phase 2: B (5 min)\n\n- Depends on: Phase 1\n"


def refused(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str], command: str = "check") -> str:
    path = tmp_path / "plan.md"
    path.write_text(text, encoding="utf-8", newline="")
    assert run([command, str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"{path}:1:1: error MP010 too large: ")
    return err


def no_block_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def split_blocks(text: str) -> object:
        raise AssertionError("blocks read before the limit refused the document")

    package = sys.modules["mdplan.parse"]  # the package (``mdplan.parse`` is also the function)
    monkeypatch.setattr(package, "split_blocks", split_blocks)


@pytest.mark.parametrize("command", ["check", "report"])
def test_past_the_line_limit_is_refused_before_any_block_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setattr(document, "MAX_LINES", 20)
    no_block_read(monkeypatch)
    text = PLAN + "```\n" + "x = 1\n" * 20 + "```\n"
    err = refused(tmp_path, text, capsys, command)
    assert f"too large: {document.line_count(text):,} lines; mdplan reads plans of up to 20 lines" in err


def test_lines_are_counted_as_markdown_ends_them() -> None:
    assert document.line_count("a\nb\rc\r\nd") == 4
    assert document.line_count("a\r\r\n") == 3


def test_cr_only_lines_are_counted_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document, "MAX_LINES", 20)
    no_block_read(monkeypatch)
    assert "lines; mdplan reads plans of up to 20 lines" in refused(
        tmp_path, (PLAN + "x\n" * 20).replace("\n", "\r"), capsys
    )


def test_past_the_character_limit_is_refused_before_any_block_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document, "MAX_CHARACTERS", 200)
    no_block_read(monkeypatch)
    text = PLAN + "word " * 40 + "\n"
    err = refused(tmp_path, text, capsys)
    assert f"too large: {len(text):,} characters; mdplan reads plans of up to 200" in err


def test_past_the_dependency_limit_is_refused_before_the_analysis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document, "MAX_EDGES", 2)
    text = PLAN + "\n## Phase 3: C (5 min)\n\n- Depends on: Phase 1, Phase 2\n"
    assert "too large: 3 dependencies in one plan; mdplan analyzes plans of up to 2" in refused(tmp_path, text, capsys)
    monkeypatch.setattr(document, "MAX_EDGES", 3)
    assert run(["check", str(tmp_path / "plan.md")]) == 0


def test_past_the_claim_limit_is_refused_before_the_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mdplan.analyze import audit

    monkeypatch.setattr(document, "MAX_CLAIMS", 2)
    audited = calls_of(audit, "audit", monkeypatch)
    text = PLAN + "\nThe plan saves 5 min.\n\nTotal: 10 min\n\nTotal (serial): 10 min\n"
    err = refused(tmp_path, text, capsys, "report")
    assert "numeric claims; mdplan audits plans of up to 2" in err and not audited
    monkeypatch.setattr(document, "MAX_CLAIMS", 10)
    assert run(["check", str(tmp_path / "plan.md")]) in (0, 1) and audited


def test_every_unit_above_refused_before_it_is_expanded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``all of the above`` under every phase names every unit before it: phases² dependencies."""
    monkeypatch.setattr(merge, "MAX_EXPANDED", 20)
    expanded = calls_of(merge, "_above", monkeypatch)
    text = PLAN + "".join(f"\n## Phase {i}: X (5 min)\n\nDepends on: all of the above\n" for i in range(3, 9))
    err = refused(tmp_path, text, capsys)
    assert "too large: 6 references to every unit of a kind" in err and "among 8 units" in err and "up to 20 " in err
    assert not expanded
    monkeypatch.setattr(merge, "MAX_EXPANDED", 48)
    assert run(["check", str(tmp_path / "plan.md")]) == 0 and len(expanded) == 6


# --- code blocks with no connector are not traced -----------------------------------------


def code_block(lines: list[str]) -> Block:
    text = "```\n" + "\n".join(lines) + "\n```\n"
    return next(b for b in blocks.split_blocks(text) if b.kind == "code")


def test_a_code_block_without_any_connector_builds_no_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    grids = calls_of(diagram, "Grid", monkeypatch)
    assert read_diagram(code_block(["x = 1", "y = x - 2 # a <b>", "for i in range(3): print(i)"])) == []
    assert not grids
    drawn = read_diagram(code_block(["Phase 1 (5 min) -> Phase 2 (5 min)"]))
    assert len(grids) == 1 and any(type(f).__name__ == "EdgeStated" for f in drawn)


LINES = [
    "x = 1",
    "a - b = c",
    "a -> b",
    "a <- b",
    "a ==> b",
    "a | b",
    "   v",
    "  ^  ",
    "v",
    "value",
    "a < b > c",
    "a\t-\t>",
    "Phase 1 ──→ Phase 2",
    "┌──┐",
    "e\u0301->x",
    "A --- B",
    "-->",
    "",
]


@pytest.mark.parametrize("text", LINES)
def test_a_line_that_may_not_draw_has_no_connector(text: str) -> None:
    """The cheap test never says no where the grid finds a connector."""
    row = grid._row(Line(1, 1, text))
    assert may_draw(text) or not row.glyphs


def test_the_cheap_test_says_no_to_plain_code() -> None:
    assert not any(may_draw(t) for t in ["x = 1", "a - b = c", "value", "a < b > c", "v = 2", ""])


# --- patterns that try a run of spaces, digits or dashes once -----------------------------


RUNS = [
    (claims._STEPS, "in 12345 steps", "12345"),
    (claims._ARROW, "a     → b", "     "),
    (grid._ASCII_ARROW, "a ------> b", "------"),
    (labels.FIELD_SEPARATOR, "Duration: 3 days     | Owner: kim", "     "),
    (labels.FIELD_SEPARATOR, "Duration: 3 days     ；Owner", "     "),
    (prose._SENTENCE, "It takes a day     — roughly", "     "),
]


@pytest.mark.parametrize(("pattern", "text", "run"), RUNS)
def test_a_pattern_starts_only_where_a_run_starts(pattern: re.Pattern[str], text: str, run: str) -> None:
    """Started inside a run, each of these patterns would scan to the run's end and fail, at
    every position of it: quadratic in the run (20,000 spaces took seconds). A match starts
    where its run starts, and nowhere inside it."""
    start = text.index(run)
    found = pattern.search(text)
    assert found is not None and found.start() == start
    assert all(pattern.match(text, i) is None for i in range(start + 1, start + len(run)))


# --- ranges -----------------------------------------------------------------------------------


def _ranges(lines: int) -> str:
    """400 phases, then ``lines`` more each depending on all of them by two ranges of 200."""
    named = "".join(f"- Phase {i}: step (1 min)\n" for i in range(1, 401))
    depends = "".join(
        f"- Phase {i}: last (5 min). Depends on: Phases 1-200, 201-400\n" for i in range(401, lines + 401)
    )
    return f"# Plan\n\n{named}{depends}"


@pytest.mark.parametrize("command", ["check", "report", "fmt"])
def test_ranges_naming_more_ids_than_the_limit_are_refused_before_they_are_all_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    from mdplan.parse import ids

    monkeypatch.setattr(ids, "MAX_RANGE_IDS", 5_000)
    named = calls_of(ids, "_ids_between", monkeypatch)
    if command == "fmt":  # a list written with ``*``: fmt changes it, so it compares the plans
        path = tmp_path / "plan.md"
        path.write_text(_ranges(40).replace("\n- ", "\n* "), encoding="utf-8")
        assert run(["fmt", str(path)]) == 2
        assert "MP010 too large: ranges" in capsys.readouterr().err
    else:
        assert 'ranges such as "Phases 1-200" name more than' in refused(tmp_path, _ranges(40), capsys, command)
    assert len(named) <= 5_000 // 199 + 1  # stopped at the limit, not after all 80 ranges


def test_ranges_within_the_limit_are_read_and_the_budget_is_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    import mdplan
    from mdplan.parse import ids

    monkeypatch.setattr(ids, "MAX_RANGE_IDS", 20_000)  # each line's ranges are read in a few of its texts
    for _ in range(3):  # each document has a budget of its own: three in a row all read
        plan = mdplan.parse(_ranges(10))  # 4,000 ids
        assert {e.src for e in plan.scenarios[0].edges if e.dst == "410"} == {str(i) for i in range(1, 401)}
    assert ids.ids_in("Phases 1-1000 and 2-200") and not ids._budgets  # no budget outside a document


# --- what a report lists ----------------------------------------------------------------------


def _fan(n: int) -> str:
    """Phase 0, then ``n`` phases after it that all touch the same two files: n(n-1)/2 races."""
    phases = "".join(
        f"## Phase {i} (2 min)\n\nDepends on: Phase 0\n\nLocation: `a.py`, `b.py`\n\n" for i in range(1, n + 1)
    )
    return f"## Phase 0 (1 min)\n\n{phases}"


def test_a_report_past_the_race_limit_is_refused_and_check_still_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mdplan.analyze import findings

    monkeypatch.setattr(findings, "MAX_RACES", 20)
    err = refused(tmp_path, _fan(8), capsys, "report")  # 28 races
    assert "more than 20 pairs of phases that may overlap on one file" in err
    assert run(["check", str(tmp_path / "plan.md")]) == 0  # check lists no races: it reads the plan


def test_races_past_the_ordering_limit_are_left_as_they_are_and_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import mdplan
    from mdplan.analyze import findings
    from mdplan.render import render_report
    from mdplan.render.model_json import recommended_json

    monkeypatch.setattr(findings, "MAX_RACES_ORDERED", 5)
    analysis = mdplan.analyze(mdplan.parse(_fan(4)))  # 6 races
    assert analysis.recommendation is not None and analysis.recommendation.races_unordered == 6
    assert not [c for c in analysis.recommendation.changes if c.change == "added"]
    assert "It leaves the plan's 6 file races as they are: past " in render_report(analysis)
    assert recommended_json(analysis) is not None and recommended_json(analysis)["races_unordered"] == 6  # type: ignore[index]


def test_findings_past_the_detailed_ones_are_listed_a_line_each(monkeypatch: pytest.MonkeyPatch) -> None:
    import mdplan
    from mdplan.render import context, render_report

    monkeypatch.setattr(context, "MAX_DETAILED", 2)
    analysis = mdplan.analyze(mdplan.parse(_fan(3)))  # 3 races, and more findings
    report = render_report(analysis)
    total = len(context.build_context(analysis)["more_findings"]) + 2  # type: ignore[arg-type]
    assert f"### {total - 2} more findings" in report
    assert "- Finding 3, " in report and "### 3. " not in report
    assert report.count("What-if:") <= 2


def test_a_clause_is_lowered_once_for_all_its_cue_patterns() -> None:
    """A paragraph whose lines never end a sentence is one clause (a megabyte at the limits); each
    cue pattern tried at each reference in it lowered the whole clause again: quadratic."""
    from mdplan.model import Pos
    from mdplan.parse import cues

    clause = " ".join(f"After Phase {i} it takes 5 min (saves 20%)" for i in range(1, 400))
    cues.lower_case.cache_clear()
    prose.read_clause(clause, (), Pos(1), None)
    assert cues.lower_case.cache_info().misses <= 3


def test_a_chain_line_is_traced_on_one_grid_per_recognizer(monkeypatch: pytest.MonkeyPatch) -> None:
    """``is_chain`` is asked by the label recognizer and by the chain recognizer for the same
    line: its answer is kept by text, so a line with an arrow builds its test grid once."""
    grids = calls_of(labels, "Grid", monkeypatch)
    lines = "".join(f"- Phase {i} (5 min) saves 20% → Phase {i + 1} is next\n" for i in range(1, 51))
    document.parse("# Plan\n\n" + lines)
    assert len(grids) == 50


def test_each_schedule_orders_its_graph_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The schedule's order serves the range ends (best and worst lengths) and the claim audit:
    a natural-order topological sort of 8,000 phases costs about a second each time."""
    from mdplan.analyze import analyze, audit, graph

    order = graph.topological_order
    calls: list[None] = []

    def counted(g: object) -> list[str]:
        calls.append(None)
        return order(g)  # type: ignore[arg-type]

    monkeypatch.setattr(graph, "topological_order", counted)
    monkeypatch.setattr(audit, "topological_order", counted)
    phases = "".join(f"## Phase {i}: S{i} (10-{i + 10} min)\n\n- Depends on: Phase {i - 1}\n\n" for i in range(2, 40))
    claims = "Total: 400 min. Phases 1-30 take 300 minutes.\n"
    analysis = analyze(document.parse("# Plan\n\n## Phase 1: Start (5 min)\n\n" + phases + claims))
    assert len(calls) == len(analysis.schedules) + (analysis.recommended is not None)


def test_a_drawing_row_is_made_without_a_step_per_cell() -> None:
    """A row of a drawing (2,000 columns at most, 500,000 cells at the limits) is read by
    whole-row searches: its connectors, its ``|`` bars and its text runs."""
    from tests.work import measure

    row = " ".join(["word"] * 390) + " ──→ Phase 2 | x -> y"
    work = measure(lambda: grid.Grid((Line(1, 1, row),)))
    assert work.calls < len(row) // 5  # a step per cell made two calls a cell


def test_each_block_is_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A block is made with the heading it is under, not copied to add it: at the limits a copy
    of each of 24,000 blocks (``dataclasses.replace``) cost about half a second."""
    from tests.work import plan_of_headings

    made = calls_of(Block, "__init__", monkeypatch)
    found = blocks.split_blocks(plan_of_headings(50))
    assert len(made) == len(found) == 151  # the title, and per phase a heading and two items
    assert found[-1].section == "Phase 50: Step 50 (51 min)" and found[-1].section_line == found[-3].lines[0].number


def test_the_merge_reads_each_facts_references_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The references of every fact serve the expansion limit, the stories and the aliases: read
    once, not once for each (about 48,000 facts at the limits, three times over)."""
    from mdplan.parse import read_document
    from tests.work import plan_of_headings

    title, facts = read_document(plan_of_headings(40))
    read = calls_of(merge, "_refs_of", monkeypatch)
    plan = merge.merge(facts, "<text>", title)
    assert len(read) == len(facts) and len(plan.phases) == 40


def test_connectors_side_by_side_are_joined_once_per_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two connectors side by side (``──→``) are joined by one step for the pair; each looked
    for the other from its own side, and the side step made a cell to test it was in the
    drawing: most of tracing a drawing of long arrows (300,000 connectors at the limits)."""
    from mdplan.parse import trace

    links, cells = calls_of(trace, "_link", monkeypatch), calls_of(grid.Grid, "cell", monkeypatch)
    row = " ──────→ ".join(f"Phase {i}" for i in range(1, 21))
    arrows, dangling = trace.trace(grid.Grid((Line(1, 1, row),)))
    assert [(a.source, a.target) for a in arrows] == [(i, i + 1) for i in range(19)] and not dangling
    assert len(links) == 2 * 19 and not cells  # the two outer sides of each arrow


PLAIN_PUNCTUATION = " ,.;:()'\"/?%+=#→←–—-"


@given(st.text(alphabet=st.sampled_from("aZé9٣ⅻ_ \t|\\*<>[]!~" + PLAIN_PUNCTUATION), min_size=1, max_size=30))
def test_a_plain_cell_is_one_of_letters_digits_and_plain_punctuation(cell: str) -> None:
    """The match says what the character test said: letters and digits (``str.isalnum``) and
    the plain punctuation, with at least one letter or digit."""
    from mdplan.render import canonical

    expected = all(c.isalnum() or c in PLAIN_PUNCTUATION for c in cell) and any(c.isalnum() for c in cell)
    assert canonical._is_plain(cell) == (expected and "  " not in cell)


def test_a_table_cell_is_read_without_a_step_per_character() -> None:
    """Each cell of every table of a report is tested for plain text (120,000 cells at the
    limits): one match a cell, not a call per character."""
    from mdplan.render import canonical
    from tests.work import measure

    cell = "Phase 12: Build the schema (10-15 min), then 3 tests → done " * 30
    work = measure(lambda: canonical._is_plain(cell.strip()))
    assert canonical._is_plain(cell.strip()) and work.calls < 20


def test_the_characters_around_an_underscore_are_gathered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """mdformat's whitespace and punctuation (8,600 characters) were joined into one set for
    each text with an underscore: 80 µs each, 8,000 lines of file names at the limits."""
    from mdformat import codepoints

    from mdplan.render import canonical

    joined: list[None] = []

    class Counted(frozenset[str]):
        def __or__(self, other: object) -> frozenset[str]:
            joined.append(None)
            return frozenset(self) | other  # type: ignore[operator]

    monkeypatch.setattr(codepoints, "UNICODE_WHITESPACE", Counted(codepoints.UNICODE_WHITESPACE))
    texts = [canonical._underscores_escaped(f"src/a_{i}.py and _{i}_ and {i}_") for i in range(100)]
    assert texts[7] == "src/a_7.py and \\_7\\_ and 7\\_"
    assert len(joined) <= 1


def test_display_columns_look_up_only_the_characters_past_ascii() -> None:
    """A report line with an arrow or a dash is measured (for wrapping) by looking up only its
    characters past ASCII, not each character (7,500,000 look-ups in a report at the limits)."""
    from mdplan.render import wrap
    from tests.work import measure

    line = "- Phase 3 → Phase 4 — waits for 漢字 and é\u0301 " * 40
    work = measure(lambda: wrap.columns(line))
    assert wrap.columns(line) == len(line) + 40 * (2 - 1)  # two wide characters one more each, the mark one less
    assert work.calls < len(line) // 4
