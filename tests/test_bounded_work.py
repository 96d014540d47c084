"""fmt, sync, ``--check`` diffs and the claim reader do work that grows linearly with their
input (counted by ``tests.work``, never timed), and refuse what would take more than seconds."""

from __future__ import annotations

import contextlib
import difflib
import functools
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import pytest

import mdplan
import mdplan.render.canonical
import mdplan.rewrite.fmt
import mdplan.rewrite.sync
from mdplan.cli import run
from mdplan.render.canonical import mdformat_text
from mdplan.rewrite.diff import unified
from mdplan.rewrite.fmt import format_text, redraw_chains, work_of
from mdplan.rewrite.sync import sync_text
from tests.work import assert_count_linear, assert_linear, calls_of, measure
from tests.work import plan_of_headings as headings

FENCE = "```"


# --- mdformat, as fmt and reports run it --------------------------------------------------


MDFORMAT_SHAPES: dict[str, Callable[[int], str]] = {
    "one long list": lambda n: "".join(f"* item {i}\n" for i in range(n)),
    "lists in a row": lambda n: "".join("- a\n" if i % 2 else "* b\n" for i in range(n)),
    "ordered lists in a row": lambda n: "".join("1. a\n" if i % 2 else "1) b\n" for i in range(n)),
    "a paragraph of emphasis": lambda n: "*a**a" * n + "\n",
    "sections each with a list": headings,
}


@pytest.mark.parametrize("shape", MDFORMAT_SHAPES.values(), ids=MDFORMAT_SHAPES.keys())
def test_mdformat_reads_lists_and_siblings_in_linear_work(shape: Callable[[int], str]) -> None:
    """mdformat searches all siblings for a node's neighbours, asks every list item whether its
    whole list is tight, and counts the lists before each list: each quadratic, each now once."""
    assert_linear(lambda n: mdformat_text(shape(n)), 40)


@pytest.mark.parametrize("shape", MDFORMAT_SHAPES.values(), ids=MDFORMAT_SHAPES.keys())
def test_mdformat_writes_what_it_wrote_before(monkeypatch: pytest.MonkeyPatch, shape: Callable[[int], str]) -> None:
    text = shape(30)
    fast = mdformat_text(text)
    monkeypatch.setattr(mdplan.render.canonical, "mdformat_in_linear_time", contextlib.nullcontext)
    assert mdformat_text(text) == fast


# --- fmt ----------------------------------------------------------------------------------


def test_fmt_check_of_a_generated_plan_grows_linearly() -> None:
    """``fmt --check`` on the benchmark's plans: format, check (HTML, definitions, plan and claims
    before and after, second pass) and the diff shown."""

    def check(n: int) -> str:
        text = headings(n)
        return unified(text, format_text(text, "plan.md"), "a", "b")

    assert_linear(check, 30)


def test_the_diff_of_a_large_change_grows_linearly() -> None:
    """A blank line after every heading: difflib looks for the longest match again between
    every two changes (quadratic); anchored by lines unique to both, the diff is linear."""

    def diff(n: int) -> str:
        text = headings(n)
        return unified(text, text.replace(")\n- Depends", ")\n\n- Depends"), "a", "b")

    assert_linear(diff, 200)


def _applied(old: str, diff: str) -> str:
    """``old`` with a unified diff applied, each context and removed line checked."""
    lines, result, at = old.splitlines(keepends=True), [], 0
    body = diff.splitlines(keepends=True)[2:]
    for line in body:
        hunk = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", line)
        if hunk:
            start = int(hunk[1]) - (1 if hunk[2] != "0" else 0)
            result += lines[at:start]
            at = start
        elif line[0] in " -":
            assert lines[at] == line[1:] or lines[at] + "\n" == line[1:], (lines[at], line)
            result += [lines[at]] if line[0] == " " else []
            at += 1
        else:
            result.append(line[1:])
    return "".join(result + lines[at:])


@pytest.mark.parametrize("seed", range(40))
def test_a_diff_turns_the_old_text_into_the_new(seed: int) -> None:
    rnd = random.Random(seed)
    words = [f"line {i}\n" for i in range(rnd.randint(1, 6))] + ["\n"]
    size = rnd.choice([8, 30, 120])  # 120 lines: past GAP_CELLS, anchored
    old = [rnd.choice(words) if rnd.random() < 0.5 else f"unique {i}\n" for i in range(size)]
    new = list(old)
    for _ in range(rnd.randint(0, 12)):
        at = rnd.randint(0, len(new))
        if rnd.random() < 0.4 and at < len(new):
            del new[at]
        else:
            new.insert(at, rnd.choice([*words, "added\n"]))
    before, after = "".join(old), "".join(new)
    diff = unified(before, after, "a", "b")
    assert (diff == "") == (before == after)
    assert _applied(before, diff) == after
    if len(old) * len(new) <= 4_096:  # compared line by line: as short as difflib's
        changed = sum(line[0] in "+-" for line in diff.splitlines()[2:])
        reference = "".join(difflib.unified_diff(old, new, "a", "b"))
        assert changed <= sum(line[0] in "+-" for line in reference.splitlines()[2:])


_OLD_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL
)


def _redrawn_by_the_pattern(text: str) -> str:
    """How chain blocks were redrawn before: blocks found by one pattern (quadratic on fences
    that never close), each line a chain or blank."""

    def redraw(block: re.Match[str]) -> str:
        if block["info"].strip().lower() not in {"", "text", "txt", "plain"}:
            return block.group(0)
        lines = block["body"].split("\n")
        drawn = [mdplan.rewrite.fmt._chain(line) for line in lines]
        if not any(drawn) or any(d is None and line.strip() for d, line in zip(drawn, lines, strict=True)):
            return block.group(0)
        body = "\n".join(d if d is not None else "" for d in drawn)
        return f"{block['fence']}{block['info']}\n{body}{block['fence']}"

    return _OLD_FENCE.sub(redraw, text)


@pytest.mark.parametrize("seed", range(30))
def test_chain_blocks_are_the_blocks_the_pattern_found(seed: int) -> None:
    """Blocks are now found by a scan of lines and an index of closing lines; they are the
    blocks the pattern found, redrawn the same way."""
    rnd = random.Random(seed)
    pieces = ["```", "````", "~~~", "~~~~", "~~~~a", "``` text", "```a`", "~~~ txt  ", "x", "", "Phase 1 -> Phase 2"]
    text = "\n".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 24))) + rnd.choice(["", "\n"])
    assert redraw_chains(text) == _redrawn_by_the_pattern(text), text


def test_fences_that_never_close_are_read_in_linear_work() -> None:
    """The scan's own work. (The pattern it replaced was quadratic inside one call of the regular
    expression engine, which no count sees; the test above holds the scan to its blocks.)"""
    assert_linear(lambda n: redraw_chains("~~~a\n" * n + "```\nPhase 1 -> Phase 2\n```\n"), 500)


def test_a_document_past_the_work_limit_is_refused_before_formatting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.md"
    text = headings(20)
    plan.write_text(text, encoding="utf-8")
    monkeypatch.setattr(mdplan.rewrite.fmt, "MAX_FORMAT_WORK", work_of(text).units - 1)
    formatted = []
    monkeypatch.setattr(mdplan.rewrite.fmt, "mdformat_text", lambda body: formatted.append(body) or body)
    assert run(["fmt", str(plan)]) == 2
    err = capsys.readouterr().err
    assert f"{plan}:1:1: error MP010 too large to format: 61 lines of text" in err
    assert "fmt formats documents of up to" in err and "nothing was written" in err
    assert not formatted and plan.read_text(encoding="utf-8") == text


def test_a_change_past_the_check_limit_is_refused_and_a_formatted_file_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.md"
    text = headings(20)
    formatted = format_text(text, "plan.md")  # checked at the real limit
    plan.write_text(text, encoding="utf-8")
    monkeypatch.setattr(mdplan.rewrite.fmt, "MAX_WORK", work_of(text).units - 1)
    assert run(["fmt", str(plan)]) == 2
    assert "error MP010 too large to check a change" in capsys.readouterr().err
    assert plan.read_text(encoding="utf-8") == text
    plan.write_text(formatted, encoding="utf-8")
    monkeypatch.setattr(mdplan.rewrite.fmt, "MAX_WORK", work_of(formatted).units - 1)
    assert run(["fmt", "--check", str(plan)]) == 0  # nothing to change, nothing to check


def test_underscored_runs_mdformat_reads_again_are_refused_before_formatting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_a`` × 50,000 (100 KB): mdformat-gfm's text rule reads the rest of the run after each
    ``_`` looking for an e-mail's ``@`` (16 s a pass, four passes); counted, it is refused."""
    plan = tmp_path / "plan.md"
    text = "# Plan\n\n" + "_a" * 50_000 + "\n"
    plan.write_text(text, encoding="utf-8")
    formatted = []
    monkeypatch.setattr(mdplan.rewrite.fmt, "mdformat_text", lambda body: formatted.append(body) or body)
    assert run(["fmt", str(plan)]) == 2
    assert "error MP010 too large to format" in capsys.readouterr().err
    assert not formatted and plan.read_text(encoding="utf-8") == text
    assert work_of("x _a_b@c d").rescans == 4 + 2  # from each underscore to its run's end
    assert work_of("snake_case " * 1_000).rescans == 5_000  # short runs: linear, as plain text


def _lines_run_in(module: object, run_it: Callable[[], object]) -> int:
    """Lines of ``module`` run by ``run_it()``, counted by a trace function (no clock)."""
    filename = getattr(module, "__file__", None)
    count = 0

    def local(frame: FrameType, event: str, arg: object) -> Callable[..., object]:
        nonlocal count
        count += event == "line"
        return local

    def tracer(frame: FrameType, event: str, arg: object) -> Callable[..., object] | None:
        return local if frame.f_code.co_filename == filename else None

    sys.settrace(tracer)
    try:
        run_it()
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("reader", ["fmt's parser", "mdformat"])
def test_task_lists_are_read_in_linear_work(reader: str) -> None:
    """mdit-py-plugins' task-list rule searched back from every task item to its list: 4,000
    tasks in one list made fmt run 16 s. The rule is given each item with its list instead."""
    import mdit_py_plugins.tasklists

    def count_at(n: int) -> int:
        text = "".join(f"- [ ] T{i} do a thing\n  - [x] sub {i}\n" for i in range(n))
        if reader == "mdformat":
            return _lines_run_in(mdit_py_plugins.tasklists, lambda: mdformat_text(text))
        return _lines_run_in(mdit_py_plugins.tasklists, lambda: mdplan.rewrite.fmt._new_parser().parse(text))

    assert_count_linear(count_at, 200)


def test_task_lists_read_in_linear_work_are_read_as_the_plugin_reads_them() -> None:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.tasklists import tasklists_plugin

    from mdplan.render.canonical import tasklists_in_linear_time

    pieces = ["- [ ] a\n", "- [x] b\n", "  - [ ] c\n", "    - [X] d\n", "> - [ ] q\n", "1. [ ] n\n", "- [ ]\n"]
    pieces += ["- [] x\n", "\n", "text\n", "* [ ] s\n", "  1. [x] t\n", "- a\n  - [ ] b\n", "- > [ ] x\n"]
    plugin, linear = MarkdownIt().use(tasklists_plugin), MarkdownIt().use(tasklists_in_linear_time)
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12)))
        assert linear.render(text) == plugin.render(text), text


def test_work_counts_text_code_characters_and_marks() -> None:
    text = "# T\n\n- [ ] task *a* [x](y)\n\n```\ncode\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert work_of(text) == mdplan.rewrite.fmt.Work(text_lines=5, text_chars=51, marks=6, code_lines=4, code_chars=14)


def test_a_plan_past_the_phase_limit_is_refused_not_formatted_unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    from mdplan.parse import document

    monkeypatch.setattr(document, "MAX_PHASES", 3)
    with pytest.raises(mdplan.UnusableInput, match=r"too large: 4 phases.*fmt compares the plan") as error:
        format_text(headings(4), "plan.md")
    assert error.value.code == "MP010"


# --- claims ---------------------------------------------------------------------------------


def _totals(n: int) -> str:
    rows = "".join(f"Phase {i}: 5 min\nTotal: 5 min\n" for i in range(1, n + 1))
    return f"# Plan\n\n## Phase 0: Start (5 min)\n\n{FENCE}\n{rows}{FENCE}\n"


def test_a_block_of_phases_and_totals_is_read_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each total used to cover every phase above it: quadratic in scopes and their sorting (the
    sort key runs from C, so its calls are counted on their own)."""
    from mdplan.parse import claims as claim_reader

    keys = calls_of(claim_reader, "natural_order", monkeypatch)

    def sort_keys(n: int) -> int:
        keys.clear()
        mdplan.parse(_totals(n))
        return len(keys)

    assert_count_linear(sort_keys, 100)
    assert_linear(lambda n: mdplan.parse(_totals(n)), 100)
    claims = mdplan.parse(_totals(400)).claims
    assert len(claims) == 400 and sum(len(claim.scope) for claim in claims) == 400


def _scopes(body: str) -> list[tuple[str, ...]]:
    plan = mdplan.parse(f"# Plan\n\n## Phase 9: Other (1 min)\n\n{FENCE}\n{body}{FENCE}\n")
    return [claim.scope for claim in plan.claims if claim.kind == "total"]


def test_a_total_covers_the_lines_since_the_previous_total() -> None:
    body = "Phase 1 (10 min) → Phase 2 (5 min)\nTotal: 15 min\nPhase 3 (8 min)\nTotal: 8 min\n"
    assert _scopes(body) == [("1", "2"), ("3",)]


def test_a_total_right_under_totals_covers_all_since_the_last_such_total() -> None:
    body = (
        "Backend: Phase 1 (10 min) → Phase 2 (5 min)\nBackend total: 15 min\n"
        "Frontend: Phase 3 (8 min)\nFrontend total: 8 min\nOverall total: 23 min\nTotal (serial): 23 min\n"
        "Phase 4 (1 min)\nTotal: 1 min\nTotal again: 1 min\n"
    )
    assert _scopes(body) == [("1", "2"), ("3",), ("1", "2", "3"), ("1", "2", "3"), ("4",), ("4",)]


# --- the claim audit ------------------------------------------------------------------------


def _claims_on_a_chain(n: int) -> str:
    """A chain of ``n + 1`` phases with a total under each link (two phases each), then ``n``
    sentences each claiming the number of serial steps."""
    links = "".join(f"Phase {i} (5 min) ──→ Phase {i + 1} (5 min)\nTotal: 10 min\n" for i in range(1, n + 1))
    steps = "".join(f"Step {i}: the plan has {n + 1} serial steps.\n" for i in range(n))
    return f"# Plan\n\n## Current Plan\n\n{FENCE}\n{links}{FENCE}\n\n{steps}"


@functools.cache
def _read_and_scheduled(n: int) -> tuple[mdplan.Plan, dict[str, mdplan.Schedule]]:
    plan = mdplan.parse(_claims_on_a_chain(n))
    return plan, {s.scenario.name: s for s in mdplan.analyze(plan).schedules}


def test_the_claim_audit_grows_linearly_with_claims() -> None:
    """Each claim used to rebuild what it asks of the graph (reachability for a total over some
    phases, the longest chain for a step count, the critical path written out), and each saving
    looked through every claim for a total on its line: quadratic in claims."""
    from mdplan.analyze.audit import audit

    for n in (20, 40, 160):
        _read_and_scheduled(n)  # read and scheduled before the audit is counted
    assert_linear(lambda n: audit(*_read_and_scheduled(n)), 40)
    checks = audit(*_read_and_scheduled(40))
    assert [c.verdict for c in checks] == ["consistent"] * 80
    assert checks[0].note == "those phases in the current plan; the whole plan takes 205 min"


def test_a_long_critical_path_is_shortened_where_each_claim_shows_it() -> None:
    from mdplan.analyze.audit import SHOWN_PATH, audit

    steps = audit(*_read_and_scheduled(40))[-1]
    half = " → ".join(f"Phase {i}" for i in range(1, SHOWN_PATH // 2 + 1))
    rest = " → ".join(f"Phase {i}" for i in range(42 - SHOWN_PATH // 2, 42))
    assert steps.computed == f"41 phases ({half} → … → {rest}, 3.4 h)"


# --- sync -----------------------------------------------------------------------------------


def _with_region(n: int, kind: str = "summary") -> str:
    region = f"<!-- mdplan:begin {kind} -->\n<!-- mdplan:end -->\n"
    return headings(n).replace("# Generated plan\n", f"# Generated plan\n\n{region}", 1)


def test_sync_grows_linearly() -> None:
    assert_linear(lambda n: sync_text(_with_region(n), "plan.md"), 20)


def _analyses(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    import importlib

    module = importlib.import_module("mdplan.analyze")  # the package binds the function to the name
    calls: list[object] = []
    original = module.analyze

    def counted(plan: mdplan.Plan) -> mdplan.Analysis:
        calls.append(plan)
        return original(plan)

    monkeypatch.setattr(module, "analyze", counted)
    return calls


def test_a_refresh_that_moves_no_line_reads_the_plan_once(monkeypatch: pytest.MonkeyPatch) -> None:
    synced = sync_text(_with_region(6), "plan.md")
    stale = synced.replace("## Phase 6: Step 6 (", "## Phase 6: Step 6 (1", 1)  # a longer duration
    calls = _analyses(monkeypatch)
    refreshed = sync_text(stale, "plan.md")
    assert len(calls) == 1 and refreshed != stale
    assert sync_text(refreshed, "plan.md") == refreshed
    calls.clear()
    assert sync_text(_with_region(6), "plan.md") == synced and len(calls) == 2  # a new region moves lines


def test_many_regions_of_one_kind_are_rendered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """5,000 summary regions took minutes: each rendered the section afresh."""
    regions = "".join(f"<!-- mdplan:begin {kind} -->\n<!-- mdplan:end -->\n\n" for kind in ("summary", "metrics") * 50)
    text = headings(6) + "\n" + regions + "<!-- mdplan:begin graph scenario=current -->\n<!-- mdplan:end -->\n"
    renders = calls_of(mdplan.rewrite.sync, "render_section", monkeypatch)
    synced = sync_text(text, "plan.md")
    assert len(renders) <= 2 * 3  # summary, metrics, graph of current: once each, in each of at most two passes
    assert synced.count("## Executive Summary") == 50 and synced.count("## Success Metrics") == 50


def test_sync_refuses_a_plan_past_the_work_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plan.md"
    text = _with_region(20)
    plan.write_text(text, encoding="utf-8")
    monkeypatch.setattr(mdplan.rewrite.fmt, "MAX_WORK", 50)
    calls = _analyses(monkeypatch)
    searches = calls_of(mdplan.rewrite.sync, "find_regions", monkeypatch)  # a parse of its own: not made
    assert run(["sync", str(plan)]) == 2
    err = capsys.readouterr().err
    assert f"{plan}:1:1: error MP010 too large to sync: 61 lines of text" in err and "outside the regions" in err
    assert plan.read_text(encoding="utf-8") == text and not calls and not searches


def test_what_regions_hold_is_not_counted_against_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = headings(3)
    synced = sync_text(plan + "\n<!-- mdplan:begin report -->\n<!-- mdplan:end -->\n", "plan.md")
    assert work_of(synced).units > 2 * work_of(plan).units  # the report is longer than the plan
    monkeypatch.setattr(mdplan.rewrite.fmt, "MAX_WORK", work_of(plan).units + 5)
    assert sync_text(synced, "plan.md") == synced


def test_the_meter_sees_each_quadratic_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counts fail when a quadratic path comes back: here mdformat's own sibling search."""
    monkeypatch.setattr(mdplan.render.canonical, "mdformat_in_linear_time", contextlib.nullcontext)
    with pytest.raises(AssertionError, match=r"calls|siblings"):
        assert_linear(lambda n: mdformat_text(MDFORMAT_SHAPES["lists in a row"](n)), 40)
    small = measure(lambda: mdformat_text(headings(10)))
    assert small.calls > 0 and small.siblings > 0
