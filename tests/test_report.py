"""The report: its snapshot, stability under mdformat, templates and their loading."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import mdformat
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from syrupy.assertion import SnapshotAssertion

import mdplan
from mdplan.render import bundled_template_dir, make_environment, render_report
from mdplan.render.context import build_context
from mdplan.render.layout import MAX_WIDTH, draw_layers
from tests.helpers import FIXTURES, REFERENCE, REPORT_SECTIONS, ROOT


def report_of(text: str, template_dir: Path | None = None) -> str:
    return render_report(mdplan.analyze(mdplan.parse(text, "plan.md")), template_dir)


def test_reference_report_snapshot(md_snapshot: SnapshotAssertion) -> None:
    assert report_of(REFERENCE.read_text(encoding="utf-8")) == md_snapshot


@pytest.mark.parametrize("name", ["speckit-tasks", "roadmap-weeks", "migration-ascii"])
def test_corpus_like_report_snapshots(name: str, md_snapshot: SnapshotAssertion) -> None:
    assert report_of((FIXTURES / "reports" / f"{name}.md").read_text(encoding="utf-8")) == md_snapshot


def test_sections_in_order() -> None:
    report = report_of(REFERENCE.read_text(encoding="utf-8"))
    positions = [report.index(section) for section in REPORT_SECTIONS]
    assert positions == sorted(positions)


def test_report_is_deterministic_and_mdformat_stable() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    report = report_of(text)
    assert report == report_of(text)
    assert mdformat.text(report, extensions={"gfm"}, options={"number": True}) == report
    # and under plain mdformat too, as most pre-commit set-ups run it: the report has no
    # ordered list, so the two numbering styles cannot disagree
    assert mdformat.text(report, extensions={"gfm"}) == report


def test_numbers_come_from_the_plan() -> None:
    plan = "## Phase 1: Build (20 min)\n\n## Phase 2: Ship (7 min)\n- Depends on: Phase 1\n"
    report = report_of(plan)
    assert "| Current | 2 | 1 | 27 min | 27 min | 1.00 |" in re.sub(" +", " ", report)
    assert "- Current critical path (27 min): Phase 1 → Phase 2" in report
    changed = report_of(plan.replace("(7 min)", "(9 min)"))
    assert "29 min" in changed and "27 min" not in changed


def test_document_text_is_data_never_template_source() -> None:
    plan = "## Phase 1: Render {{ secrets }} and {% include 'x' %} (5 min)\n"
    report = report_of(plan)
    assert "{{ secrets }}" in report
    assert "{% include 'x' %}" in report


def test_template_dir_overrides_by_name_and_falls_back(tmp_path: Path) -> None:
    (tmp_path / "summary.md.j2").write_text("## Executive Summary\n\nOnly {{ phase_count }} phases.\n", "utf-8")
    report = report_of(REFERENCE.read_text(encoding="utf-8"), tmp_path)
    assert "Only 8 phases." in report
    assert "## Module Impact" in report


def test_a_template_is_compiled_once_per_process_and_again_when_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jinja2 import Environment

    compiled: list[str | None] = []
    compile_source = Environment.compile

    def counted(self: Environment, source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        compiled.append(name)
        return compile_source(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Environment, "compile", counted)
    summary = tmp_path / "summary.md.j2"
    summary.write_text("## Executive Summary\n\nFirst.\n", "utf-8")
    text = REFERENCE.read_text(encoding="utf-8")
    report_of(text, tmp_path)
    compiled.clear()
    assert "First." in report_of(text, tmp_path)  # a new environment, the same compiled templates
    assert compiled == []
    summary.write_text("## Executive Summary\n\nSecond, edited.\n", "utf-8")
    assert "Second, edited." in report_of(text, tmp_path)
    assert compiled == ["summary.md.j2"]


def test_every_bundled_template_is_shipped_and_renders() -> None:
    checkout = sorted(p.name for p in (ROOT / "templates").glob("*.j2"))
    shipped = sorted(p.name for p in bundled_template_dir().glob("*.j2"))
    assert checkout == shipped
    env = make_environment()
    context = build_context(mdplan.analyze(mdplan.parse(REFERENCE.read_text(encoding="utf-8"))))
    for name in shipped:
        rendered = env.get_template(name).render(context).strip()
        assert rendered or name.startswith("_"), name  # _macros.md.j2 only defines macros


def test_the_wheel_carries_the_templates(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("mdplan-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for template in (ROOT / "templates").glob("*.j2"):
        assert f"mdplan/templates/{template.name}" in names
    assert "mdplan/py.typed" in names


def test_cycle_report_says_so_instead_of_a_schedule() -> None:
    report = report_of("```\nPhase 1 ──→ Phase 2\nPhase 2 ──→ Phase 1\n```\n")
    assert "dependency cycle" in report
    assert "Phase 1 → Phase 2 (line 2)" in report


def section(report: str, heading: str) -> str:
    start = report.index(heading)
    end = report.find("\n## ", start + 1)
    return report[start : end if end > 0 else None]


def test_sections_of_a_plan_with_nothing_to_fix_say_so() -> None:
    report = report_of("## Phase 1: Build (20 min)\n\n## Phase 2: Ship (7 min)\n- Depends on: Phase 1\n")
    assert "mdplan found nothing to change" in section(report, "## Detailed Recommendations")
    assert "states no totals" in section(report, "## Claim Audit")
    assert "No opportunity or risk" in section(report, "## Parallelization Decision Matrix")
    assert "Nothing to mitigate" in section(report, "## Risk Mitigation Checklist")
    metrics = section(report, "## Success Metrics")
    assert "- [ ] Delivery in 27 min" in metrics
    assert "1 worker at once keeps that length" in metrics


def test_matrix_checklist_and_claims_follow_the_findings() -> None:
    plan = (
        "## Current Plan\n```\nPhase 1 (5 min) ──→ Phase 2 (10 min)\nPhase 1 (5 min) ──→ Phase 3 (4 min)\n```\n\n"
        "Total: 20 minutes\n\n## Phase 2: API\n- Location: `src/types.rs`\n\n"
        "## Phase 3: Tests\n- Location: `src/types.rs`\n"
    )
    report = re.sub(" +", " ", report_of(plan))
    assert "| 1 | RACE_CONDITION_RISK | Phase 2, Phase 3 | −4 min | medium | **MITIGATE** |" in report
    assert "- [ ] RACE_CONDITION_RISK (Phase 2, Phase 3): let Phase 3 wait for Phase 2" in report
    assert "| 7 | Total: 20 minutes | total | Current | inconsistent |" in report
    assert (
        '- Line 7, "Total: 20 minutes": claimed 20 min; covers the whole plan; computed 15 min; '
        "basis: current plan, length" in report
    )
    assert "- [ ] Correct the 1 claim the Claim Audit marks inconsistent" in report


@st.composite
def small_dags(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str]]]:
    size = draw(st.integers(min_value=1, max_value=12))
    nodes = [str(i) for i in range(1, size + 1)]
    pairs = [(a, b) for a in nodes for b in nodes if int(a) < int(b)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=18)) if pairs else []
    return nodes, edges


@settings(max_examples=80, deadline=None)
@given(small_dags())
def test_the_layered_picture_shows_every_phase_once_and_an_arrow_into_each_that_waits(
    dag: tuple[list[str], list[tuple[str, str]]],
) -> None:
    nodes, edges = dag
    picture = draw_layers(nodes, edges, {n: f"Phase {n}" for n in nodes}, set())
    if picture is None:
        return  # wider than the limit: the report falls back to the list form
    for node in nodes:
        assert len(re.findall(rf"│ Phase {node} │", picture)) == 1
    assert picture.count("▼") == len({dst for _, dst in edges})  # every phase that waits is entered once
    assert max(len(line) for line in picture.splitlines()) <= MAX_WIDTH
    waits = {dst: [src for src, d in edges if d == dst] for dst in nodes}
    rows = {n: next(i for i, line in enumerate(picture.splitlines()) if f"│ Phase {n} │" in line) for n in nodes}
    assert all(rows[src] < rows[dst] for dst, sources in waits.items() for src in sources)


def test_past_the_layout_limit_the_report_lists_each_phase_with_its_successors() -> None:
    chain = "\n".join(f"## Phase {i}: Step {i} (1 min)\n- Depends on: Phase {i - 1}\n" for i in range(2, 70))
    report = report_of("## Phase 1: Start (1 min)\n\n" + chain)
    assert "too large for a layered picture" in report
    assert "Phase 1 (Start, 1 min)\n    └──→ Phase 2" in report


def test_formatting_section_by_section_equals_formatting_the_whole() -> None:
    from mdplan.render import REPORT_TEMPLATE, make_environment, normalize
    from mdplan.render.canonical import sections as _sections
    from mdplan.render.context import build_context

    plan = FIXTURES / "reference-multipart-plan.md"
    analysis = mdplan.analyze(mdplan.parse(plan.read_text(encoding="utf-8"), str(plan)))
    raw = make_environment().get_template(REPORT_TEMPLATE).render(build_context(analysis))
    assert normalize(raw) == mdformat.text(raw, extensions={"gfm"}, options={"number": True})
    fenced = "# T\n\n```\n## not a heading\n```\n\n## A\n\ntext\n~~~~\n## B\n~~~\n~~~~\n## C\n"
    assert [s.splitlines()[0] for s in _sections(fenced)] == ["# T", "```", "## A", "text", "## C"]
    assert [s.splitlines()[0] for s in _sections("# T\n###### x\n#######\n#7\n")] == ["# T", "###### x"]
    assert len(_sections("- item\n  ```\n  code\n  ```\ntext\n```\nx\n```\n")) == 1  # no blank line before
    # two lists one after the other stay together (mdformat tells them apart by their bullets)
    assert [s.splitlines()[0] for s in _sections("- a\n\n- b\n\n1. c\n\npara\n\n- d\n")] == ["- a", "para", "- d"]


_CELL_TEXT = st.text(alphabet=st.sampled_from(list("ab Z09 .,:;()'\"/?%+=#→–-*_`[]<>&\\|!~{}é中\t\x07")), max_size=12)


_BLOCK = st.one_of(
    st.lists(_CELL_TEXT.map(lambda text: f"- {text}"), min_size=1, max_size=4).map("\n".join),
    st.lists(_CELL_TEXT, min_size=1, max_size=3).map(lambda texts: "\n".join(f"1. {t}" for t in texts)),
    _CELL_TEXT.map(lambda text: f"Para {text}"),
    st.sampled_from(["- [ ] task", "- a\n  - nested", "  - indented", "> quote", "- a\n\n  b", "---", "1. x"]),
    st.sampled_from(
        [
            "<!--\nnote\n\n## not a heading\n\n- x\n-->",
            "<pre>\na\n\n# b\n\n| c |\n|---|\n| d  |\n\n- e\n</pre>",
            "<!-- one line -->",
        ]
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_CELL_TEXT, _CELL_TEXT), min_size=1, max_size=5),
    st.sampled_from(["---", ":---", "---:", ":---:"]),
    st.text(alphabet=st.sampled_from(list("`~ab\n|-# ")), max_size=30),
    st.lists(_BLOCK, max_size=6),
)
def test_canonical_tables_fences_and_lists_are_what_mdformat_writes(
    rows: list[tuple[str, str]], align: str, body: str, blocks: list[str]
) -> None:
    from mdplan.render import fence, table_cell
    from mdplan.render.canonical import normalize

    table = (
        "| A | B |\n| --- | " + align + " |\n" + "".join(f"| {table_cell(a)} | {table_cell(b)} |\n" for a, b in rows)
    )
    between = "\n\n".join(blocks)
    document = f"# T\n\n{table}\n{fence(body, 'text')}\n\n{between}\n\n## Next\n\n{table}\n{between}\n"
    expected = mdformat.text(document, extensions={"gfm"}, options={"number": True})
    assert normalize(document) == expected


_CODE_TEXT = st.text(alphabet=st.sampled_from(list("ab 1_*<&|\\`~#!中\t")), min_size=0, max_size=6)
_WORDS = st.text(alphabet=st.sampled_from(list("ab Z09 .,:;()/→-#")), max_size=8)
_WITH_CODE = st.lists(st.one_of(_WORDS, _CODE_TEXT.map(lambda code: f"`{code}`")), min_size=1, max_size=5).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_WITH_CODE, _WITH_CODE), min_size=1, max_size=4), st.lists(_WITH_CODE, max_size=4))
@example([("` a `", "`a``b`")], ["` a `", "`a``b`", "(`P3`)", "`x` `\\`"])
def test_cells_and_items_with_code_spans_are_what_mdformat_writes(
    rows: list[tuple[str, str]], items: list[str]
) -> None:
    """Code spans mdformat writes as they are keep a cell or a list item plain (no mdformat call):
    the text must still be what mdformat gives."""
    from mdplan.render import table_cell
    from mdplan.render.canonical import normalize

    table = "| A | B |\n| --- | --- |\n" + "".join(f"| {table_cell(a)} | {table_cell(b)} |\n" for a, b in rows)
    listed = "".join(f"- Item {item}\n" for item in items)
    document = f"# T\n\n{table}\n{listed}\n## Next\n"
    assert normalize(document) == mdformat.text(document, extensions={"gfm"}, options={"number": True})
