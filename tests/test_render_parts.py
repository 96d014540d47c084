"""The report made in parts as its template runs: the same text as rendering the template to one
string, normalizing it and wrapping it; and what reading and rendering let go as they go (the
token stream, mdformat's syntax trees, table cells formatted in runs)."""

from __future__ import annotations

import gc
from pathlib import Path

import mdformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mdplan
from mdplan.parse.blocks import _Tokens, _Walker, make_parser, split_blocks
from mdplan.render import REPORT_TEMPLATE, canonical, joined, make_environment, render_report
from mdplan.render.canonical import _lines, mdformat_text, normalize, normalized_parts
from mdplan.render.context import build_context
from mdplan.render.wrap import wrap_markdown, wrap_parts
from tests.helpers import FIXTURES, REFERENCE


@pytest.mark.parametrize(
    "plan",
    [
        REFERENCE,
        *(FIXTURES / "reports" / f"{name}.md" for name in ("speckit-tasks", "roadmap-weeks", "migration-ascii")),
    ],
    ids=lambda path: path.stem,
)
def test_the_report_in_parts_is_the_template_rendered_whole_then_normalized_and_wrapped(plan: Path) -> None:
    analysis = mdplan.analyze(mdplan.parse(plan.read_text(encoding="utf-8"), str(plan)))
    whole = make_environment().get_template(REPORT_TEMPLATE).render(build_context(analysis))
    assert render_report(analysis) == wrap_markdown(normalize(whole))


_TEXT = st.text(alphabet=st.sampled_from(list("ab #-|`\n\r\x0b\u2028→")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=8), st.integers(min_value=1, max_value=8))
def test_lines_of_chunks_are_the_lines_of_their_text(chunks: list[str], size: int) -> None:
    # a "\r" at the end of one chunk and "\n" at the start of the next stay one line ending
    assert list(_lines(chunks, size)) == "".join(chunks).splitlines(keepends=True)


def test_a_long_line_is_read_whole_however_it_is_chunked() -> None:
    text = "x" * 1000 + "\r\n" + "y" * 10 + "\n"
    assert list(_lines(list(text), 16)) == ["x" * 1000 + "\r\n", "y" * 10 + "\n"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), max_size=12))
def test_normalized_parts_of_any_chunking_make_the_normalized_text(cuts: list[int]) -> None:
    text = (FIXTURES / "reports" / "migration-ascii.md").read_text(encoding="utf-8")[:4000]
    points = sorted({min(cut * 10, len(text)) for cut in cuts})
    chunks = [text[start:end] for start, end in zip([0, *points], [*points, len(text)], strict=True)]
    parts = list(normalized_parts(chunks))
    assert all(parts)
    assert "\n".join(parts) == normalize(text)


def test_wrapped_parts_keep_a_fence_open_across_parts() -> None:
    long = " ".join(f"word{n}" for n in range(30))
    parts = [f"{long}\n", f"```\n{long}\n", f"{long}\n```\n", f"{long}\n"]
    assert "\n".join(wrap_parts(parts, width=40)) == wrap_markdown("\n".join(parts), width=40)
    assert f"\n{long}\n```" in "\n".join(wrap_parts(parts, width=40))  # inside the fence: as it is


@given(st.lists(st.text(min_size=1, max_size=10), max_size=6))
def test_joined_is_joining_with_newlines(parts: list[str]) -> None:
    assert joined(parts) == "\n".join(parts)


def test_joined_keeps_lone_surrogates() -> None:
    assert joined(["a\udcff", "→"]) == "a\udcff\n→"


def test_mdformat_leaves_no_syntax_tree_for_the_cycle_collector() -> None:
    text = "".join(f"## Part {n}\n\n- item *{n}*\n  - nested `{n}`\n\n> quote {n}\n\n" for n in range(50))
    gc.collect()
    assert mdformat_text(text) == mdformat.text(text, extensions={"gfm"}, options={"number": True})
    gc.collect()  # what the reference call above left
    mdformat_text(text)
    assert gc.collect() == 0


def test_table_cells_are_formatted_in_runs_of_at_most_a_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(canonical, "BATCH", 200)
    calls: list[str] = []
    formatter = canonical.mdformat_text

    def counted(text: str) -> str:
        calls.append(text)
        return formatter(text)

    monkeypatch.setattr(canonical, "mdformat_text", counted)
    rows = "".join(f"| `src/part{n}.py` | *{n}* \\| x |\n" for n in range(60))
    table = "| File | Note |\n| --- | --- |\n" + rows
    assert canonical._canonical_table(table.rstrip("\n").split("\n")) == mdformat.text(
        table, extensions={"gfm"}, options={"number": True}
    )
    assert len(calls) > 1
    assert all(len(call) < 500 for call in calls)  # a run of 200 characters of cells, as rows


def test_tokens_are_let_go_as_the_blocks_are_made() -> None:
    text = "".join(
        f"## Phase {n}: Step\n\n- Depends on: Phase {n - 1}\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n"
        for n in range(2, 40)
    )
    tokens = make_parser().parse(text)
    total = len(tokens)
    blocks = _Walker(text.splitlines()).walk(_Tokens(tokens))
    first = next(blocks)
    assert len(tokens) == total - 2  # heading_open and its inline read, the rest still to come
    assert [first, *blocks] == split_blocks(text)
    assert tokens == []


# --- runs of sections formatted in one call -----------------------------------------------------


def _formatted_run_by_run(markdown: str) -> str:
    """What normalizing did before runs were joined: each run of consecutive sections that are
    not in canonical form formatted by a call of its own."""
    parts: list[str] = []
    run: list[str] = []
    for section in canonical.sections(markdown):
        written = canonical._canonical_form(section)
        if written is None:
            run.append(section)
            continue
        if run:
            parts.append(mdformat_text("".join(run)))
            run = []
        parts.append(written)
    if run:
        parts.append(mdformat_text("".join(run)))
    return "\n".join(part for part in parts if part)


def _report_template_output(plan: Path) -> str:
    analysis = mdplan.analyze(mdplan.parse(plan.read_text(encoding="utf-8"), str(plan)))
    return make_environment().get_template(REPORT_TEMPLATE).render(build_context(analysis))


@pytest.mark.parametrize(
    "plan",
    [REFERENCE, *(FIXTURES / "reports" / f"{name}.md" for name in ("speckit-tasks", "migration-ascii"))],
    ids=lambda path: path.stem,
)
def test_runs_formatted_in_one_call_are_what_each_run_alone_gives(plan: Path) -> None:
    whole = _report_template_output(plan)
    assert normalize(whole) == _formatted_run_by_run(whole)


_SECTIONS = st.lists(
    st.sampled_from(
        [
            "Some *text* here.\n",
            "```\nPhase 1 ──→ Phase 2\n```\n",
            "| a | b |\n| --- | --- |\n| 1 | 2 |\n",
            "- plain item\n- another\n",
            "1. first\n1. second\n",
            "- [ ] a task\n- [x] done\n",
            "- [ ] `code` task\n",
            "<!-- open comment\n",
            "> quoted *words*\n",
            "# Heading\n",
            "* star item\n",
            "[x]: https://example.com\n",
            "Use [x] here.\n",
            "Intro.\n\n- [x]: https://example.com\n",
        ]
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(_SECTIONS)
def test_any_sections_normalize_as_run_by_run(sections: list[str]) -> None:
    markdown = "\n".join(sections)
    assert normalize(markdown) == _formatted_run_by_run(markdown)


def test_runs_between_fences_and_tables_cost_one_call_per_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A report alternates pictures and tables with short paragraphs: a call each was thousands."""
    from tests.work import calls_of

    calls = calls_of(canonical, "mdformat_text", monkeypatch)
    block = "Some *text* here.\n\n```\nPhase 1 ──→ Phase 2\n```\n\n"
    text = block * 2_000
    normalize(text)
    assert len(calls) <= len(text) // canonical.BATCH + 1


def test_task_lists_in_plain_words_are_written_without_mdformat(monkeypatch: pytest.MonkeyPatch) -> None:
    """mdformat's task-list rule looks back over every token for each item's list: a checklist
    of thousands of items took seconds to minutes in one call."""
    from tests.work import calls_of

    items = "".join(f"- [{' x'[i % 2]}] Settle line {i} (MP107): a → b (line {i})\n" for i in range(50))
    assert canonical._canonical_form(items) == mdformat_text(items)
    calls = calls_of(canonical, "mdformat_text", monkeypatch)
    normalize(items * 3)
    assert not calls


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a_ _.*\t\u3000\u00a0(b9")), max_size=30))
def test_underscores_are_escaped_as_mdformat_escapes_them(text: str) -> None:
    from mdformat.renderer._util import escape_underscore_emphasis

    assert canonical._underscores_escaped(text) == escape_underscore_emphasis(text)


def test_tables_and_lists_with_code_spans_are_written_without_mdformat(monkeypatch: pytest.MonkeyPatch) -> None:
    """A report names phases and files in code spans (``P3 (`P3`)``, `` `src/a.py` ``): each
    such cell went to mdformat, most of a large report's formatting."""
    from tests.work import calls_of

    rows = "".join(f"| P{i} (`P{i}`) | `src/m{i}.py` |\n" for i in range(50))
    table = "| Phase | Files |\n| --- | --- |\n" + rows
    items = "".join(f"- Line {i}: P{i} (`P{i}`) depends on P{i - 1} (`P{i - 1}`)\n" for i in range(50))
    for section in (table, items):
        assert canonical._canonical_form(section) == mdformat_text(section)
    calls = calls_of(canonical, "mdformat_text", monkeypatch)
    normalize(table)
    normalize(items)
    assert not calls
