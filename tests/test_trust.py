"""Issue 13, trust: configuration from the repository only, templates in a sandbox, text from
the document never live HTML, exit codes as the spec says."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import mdplan
from mdplan.cli import run
from mdplan.cli.mkdocs_plugin import html_safe
from mdplan.render import render_report

PLAN = "## Phase 1: Build (2 h)\n\n## Phase 2: Ship (1 h)\n- Depends on: Phase 1\n"
HOSTILE = (
    "# Plan\n\n```mermaid\ngraph TD\n"
    "    A[Phase 1: <img src=x onerror=alert(1)>] --> B[Phase 2: <b>bold</b> and </script>]\n```\n\n"
    "- Phase 1: 2 h\n- Phase 2: 1 h\n"
)
ESCAPE = "{{ cycler.__init__.__globals__.os.system('touch %s') }}\n"


def plan_in(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan.md"
    path.write_text(PLAN, encoding="utf-8")
    return path


# --- templates run in the sandbox ---------------------------------------------------------


@pytest.mark.parametrize("command", ["report", "sync"])
def test_a_template_reaching_python_internals_fails_and_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    witness = tmp_path / "ran"
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "summary.md.j2").write_text(ESCAPE % witness, encoding="utf-8")
    plan = plan_in(tmp_path / "docs")
    if command == "sync":
        plan.write_text(PLAN + "\n<!-- mdplan:begin summary -->\n<!-- mdplan:end -->\n", encoding="utf-8")
    before = plan.read_bytes()
    assert run([command, str(plan), "--template-dir", str(templates)]) == 2
    err = capsys.readouterr().err
    assert not witness.exists()
    assert "MP018" in err and "sandbox" in err and "summary.md.j2:1:" in err
    assert plan.read_bytes() == before


def test_a_template_syntax_error_names_the_template_and_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "summary.md.j2").write_text("## Summary\n\n{% if %}\n", encoding="utf-8")
    assert run(["report", str(plan_in(tmp_path)), "--template-dir", str(templates)]) == 2
    err = capsys.readouterr().err
    assert "summary.md.j2:3:" in err and "MP018" in err and "internal error" not in err


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("{% include 'summary.md.j2' %}", "RecursionError"),  # includes itself
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        (b"\xff\xfe not UTF-8", "UnicodeDecodeError"),
        ("{{ 'x' * 10**10 }}", "would be too large"),  # 10 GB, built before anything is checked
        ("{{ ([1] * 100000) * 100000 }}", "would be too large"),
        ("{{ 9 ** 99999999 }}", "would be too large"),  # minutes of bignum arithmetic
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "range()"),
        ("{{ 'x'|center(2000000000) }}", "a number past"),
        ("{{ 'x'.ljust(2000000000) }}", "a number past"),
        ("{{ '%2000000000d' % 1 }}", "a width past"),
        ("{{ '%*d' % (2000000000, 1) }}", "a number past"),
        ("{{ '{:>2000000000}'.format(1) }}", "a width past"),
        ("{{ '%2000000000d'|format(1) }}", "a width past"),
    ],
)
def test_a_template_that_fails_or_builds_too_much_is_mp018(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], template: str | bytes, says: str
) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "summary.md.j2").write_bytes(template if isinstance(template, bytes) else template.encode())
    out = tmp_path / "report.md"
    assert run(["report", str(plan_in(tmp_path)), "--template-dir", str(tmp_path / "tpl"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "MP018" in err and says in err and "internal error" not in err
    assert not out.exists()


def test_the_bounds_leave_a_template_free_with_the_plan_s_own_text(tmp_path: Path) -> None:
    """Long digit runs in the plan's text are data, never taken for a width."""
    (tmp_path / "tpl").mkdir()
    template = "{% for s in scenarios %}{{ '%s' % s.rows[0].title }} {{ s.rows[0].title|format() }}{% endfor %}"
    (tmp_path / "tpl" / "summary.md.j2").write_text(template, encoding="utf-8")
    plan = tmp_path / "plan.md"
    plan.write_text(PLAN.replace("Build", "Build 123456789012345"), encoding="utf-8")
    out = tmp_path / "report.md"
    assert run(["report", str(plan), "--template-dir", str(tmp_path / "tpl"), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("Build 123456789012345") >= 2


# --- text from the document never becomes HTML --------------------------------------------


def hostile_report() -> str:
    return render_report(mdplan.analyze(mdplan.parse(HOSTILE, "plan.md")))


def test_labels_with_tags_are_escaped_in_tables_and_wave_lists() -> None:
    report = hostile_report()
    outside_code = "\n".join(line for line in report.splitlines() if not line.startswith("    "))
    assert "<img" not in outside_code.replace("\\<img", "") and "<b>" not in outside_code.replace("\\<b>", "")
    assert "| \\<img src=x onerror=alert(1)> |" in report
    assert "- Wave 1 (from minute 0): Phase 1 (\\<img src=x onerror=alert(1)>, 2 h)" in report


def test_the_escaped_report_reads_back_to_the_same_labels() -> None:
    plan = mdplan.parse(HOSTILE, "plan.md")
    again = mdplan.parse(hostile_report(), "plan.md")
    assert {p.id: p.title for p in again.phases.values()} == {p.id: p.title for p in plan.phases.values()}


def test_the_mkdocs_plugin_builds_no_tag_from_a_label() -> None:
    import markdown

    html = markdown.markdown(html_safe(hostile_report()), extensions=["tables", "fenced_code"])
    assert "<img" not in html and "<b>" not in html and "</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or "&lt;img src=x onerror=alert(1)>" in html


def test_html_safe_keeps_code_and_is_the_same_text_in_commonmark() -> None:
    from markdown_it import MarkdownIt

    text = "a \\<img x> b `c \\<d>` e\n\n```\n\\<f>\n```\n"
    safe = html_safe(text)
    assert safe == "a &lt;img x> b `c \\<d>` e\n\n```\n\\<f>\n```\n"
    commonmark = MarkdownIt("commonmark")
    assert commonmark.render(safe) == commonmark.render(text)


# --- exit codes as the spec says ----------------------------------------------------------

CYCLE = "## Phase 1: A (1 h)\n- Depends on: Phase 2\n\n## Phase 2: B (1 h)\n- Depends on: Phase 1\n"
TYPO = PLAN + "\n## Phase 3: Docs (1 h)\n- Depends on: Phase 7\n"


def test_report_exits_1_when_its_diagnostics_hold_an_error_and_still_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(CYCLE, encoding="utf-8")
    assert run(["check", str(plan)]) == 1
    assert "MP107" in capsys.readouterr().out
    assert run(["report", str(plan), "-o", str(tmp_path / "report.md")]) == 1
    assert "error MP107" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert run(["report", str(plan), "--format", "json"]) == 1
    assert run(["report", str(plan), "--out-dir", str(tmp_path / "out")]) == 1
    assert (tmp_path / "out" / "plan.md").is_file()


def test_report_of_a_clean_plan_exits_0(tmp_path: Path) -> None:
    assert run(["report", str(plan_in(tmp_path)), "-o", str(tmp_path / "report.md")]) == 0


def test_a_dependency_on_a_unit_that_does_not_exist_fails_check_without_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(TYPO, encoding="utf-8")
    assert run(["check", str(plan)]) == 1
    out = capsys.readouterr().out
    assert f"{plan}:7:3: error MP101 Phase 7 is referenced but never named" in out
    assert run(["report", str(plan)]) == 1


# --- configuration from the project only --------------------------------------------------

HIGH = 'estimate = "high"\n'


def phase_1_minutes(plan: Path, capsys: pytest.CaptureFixture[str]) -> int:
    import json

    assert run(["graph", str(plan)]) == 0
    phases = json.loads(capsys.readouterr().out)["scenarios"][0]["phases"]
    return int(next(p for p in phases if p["id"] == "1")["minutes"])


def test_configuration_above_the_repository_root_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".mdplan.toml").write_text(HIGH, encoding="utf-8")
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    plan = plan_in(tmp_path / "repo" / "docs")
    plan.write_text(PLAN.replace("(2 h)", "(2-4 h)"), encoding="utf-8")
    assert phase_1_minutes(plan, capsys) == 180  # mid: the planted file two folders up is not read
    (tmp_path / "repo" / ".mdplan.toml").write_text(HIGH, encoding="utf-8")
    assert phase_1_minutes(plan, capsys) == 240


def test_configuration_above_the_file_outside_any_repository_or_home_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mdplan.cli.config import config_for, search_folders

    (tmp_path / ".mdplan.toml").write_text(HIGH, encoding="utf-8")
    plan = plan_in(tmp_path / "a" / "b")
    assert list(search_folders(plan.parent)) == [plan.parent]
    assert config_for(str(plan)).source is None
    (plan.parent / ".mdplan.toml").write_text(HIGH, encoding="utf-8")
    assert config_for(str(plan)).source == plan.parent / ".mdplan.toml"


def test_the_search_stops_at_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mdplan.cli.config import config_for, search_folders

    home = tmp_path / "home"
    plan = plan_in(home / "docs")
    (tmp_path / ".mdplan.toml").write_text(HIGH, encoding="utf-8")
    (tmp_path / ".git").mkdir()  # a repository holding the home folder: home comes first
    monkeypatch.setenv("HOME", str(home))
    assert list(search_folders(plan.parent)) == [plan.parent, home]
    assert config_for(str(plan)).source is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown to another user needs root")
def test_a_configuration_owned_by_another_user_is_ignored_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    witness = tmp_path / "ran"
    (tmp_path / ".git").mkdir()
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "summary.md.j2").write_text("Planted.\n", encoding="utf-8")
    config = tmp_path / ".mdplan.toml"
    config.write_text('template-dir = "tpl"\nestimate = "high"\n', encoding="utf-8")
    os.chown(config, 4242, 4242)
    plan = plan_in(tmp_path / "docs")
    plan.write_text(PLAN.replace("(2 h)", "(2-4 h)"), encoding="utf-8")
    assert run(["report", str(plan)]) == 0
    out, err = capsys.readouterr()
    assert "Planted." not in out and not witness.exists()
    assert f"{config}:1:1: warning MP017 configuration owned by another user (uid 4242) is ignored" in err
    assert phase_1_minutes(plan, capsys) == 180  # mid, not the planted high
    os.chown(config, 0, 0)
    assert phase_1_minutes(plan, capsys) == 240


# --- sync is never wrong ------------------------------------------------------------------

REGION = "<!-- mdplan:begin summary -->\nstale\n<!-- mdplan:end -->\n"


def synced(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    plan = tmp_path / "plan.md"
    plan.write_bytes(text.encode())
    status = run(["sync", str(plan)])
    return status, plan.read_bytes().decode(), capsys.readouterr().err


def test_stray_backticks_around_a_region_do_not_hide_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = PLAN + "\nA stray ` before.\n\n" + REGION + "\nAnd one ` after.\n"
    status, after, err = synced(tmp_path, text, capsys)
    assert (status, err) == (0, "")
    assert "stale" not in after and "## Executive Summary" in after
    assert run(["sync", "--check", str(tmp_path / "plan.md")]) == 0


def test_a_backtick_inside_a_region_is_no_false_mp007(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = PLAN + "\n" + REGION.replace("stale", "stale ` tick") + "\nLater `code` and a ` stray.\n"
    status, after, err = synced(tmp_path, text, capsys)
    assert (status, err) == (0, "")
    assert "stale" not in after and after.endswith("\nLater `code` and a ` stray.\n")


def test_a_cr_only_file_is_synced_and_keeps_its_line_ends(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (PLAN + "\n```\n<!-- mdplan:begin summary -->\n```\n\n" + REGION).replace("\n", "\r")
    status, after, err = synced(tmp_path, text, capsys)
    assert (status, err) == (0, "")
    assert "\n" not in after and "stale" not in after and "## Executive Summary\r" in after


@pytest.mark.parametrize(
    "example",
    [
        "<pre>\n<!-- mdplan:begin summary -->\n</pre>\n",
        "<script>\n// <!-- mdplan:end -->\n</script>\n",
    ],
)
def test_markers_inside_raw_html_are_not_regions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], example: str
) -> None:
    status, after, err = synced(tmp_path, PLAN + "\n" + example + "\n" + REGION, capsys)
    assert (status, err) == (0, "")
    assert example in after and "stale" not in after


def test_markers_inside_front_matter_are_not_regions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    front = "---\nnote: <!-- mdplan:begin summary -->\n---\n\n"
    status, after, err = synced(tmp_path, front + PLAN, capsys)
    assert (status, err) == (0, "")
    assert after == front + PLAN
    assert run(["check", str(tmp_path / "plan.md")]) == 0


def test_sync_refuses_before_writing_what_mdplan_would_refuse_to_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mdplan.parse import document

    text = PLAN + "\n" + REGION
    monkeypatch.setattr(document, "MAX_INPUT_BYTES", len(text) + 100)  # the summary is longer than that
    status, after, err = synced(tmp_path, text, capsys)
    assert status == 2 and after == text
    assert "MP010 too large once synced" in err and "nothing was written" in err


def _backtick_runs(size: int) -> str:
    """Runs of backticks of length 1, 2, 3, …, none closed, up to ``size`` characters."""
    runs, total, length = [], 0, 1
    while total < size:
        runs.append("`" * length)
        total, length = total + length + 1, length + 1
    return " ".join(runs)


MARKER_LINES = {  # each of about 200 KB at the larger size
    "backtick-runs": _backtick_runs,
    "spans": lambda size: "a`b`` " * (size // 6),
    "unclosed-markers": lambda size: "<!-- mdplan:begin summary " * (size // 26),
}


@pytest.mark.parametrize("make", MARKER_LINES.values(), ids=MARKER_LINES.keys())
@pytest.mark.parametrize("command", ["check", "sync"])
def test_regions_are_found_in_linear_work(tmp_path: Path, make: Callable[[int], str], command: str) -> None:
    """The work of finding regions (counted, never timed: the quadratic scan took minutes)
    grows as the text does."""
    from mdplan.parse.regions import code_spans
    from tests.work import FACTOR, assert_linear

    plan = tmp_path / "plan.md"

    def text(size: int) -> str:
        return PLAN + "\nmdplan: " + make(size) + "\n"

    def found(size: int) -> None:
        plan.write_text(text(size), encoding="utf-8")
        assert run([command, str(plan)]) in (0, 2)
        assert plan.read_text(encoding="utf-8") == text(size)

    assert_linear(found, 200_000 // FACTOR, size=lambda size: len(text(size)))
    whole = text(200_000)
    assert len(code_spans(whole, 0, len(whole))) <= whole.count("`")


# --- check on several files ---------------------------------------------------------------


@pytest.mark.parametrize("form", ["text", "json"])
def test_check_groups_diagnostics_by_file_errors_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    import json

    clean = plan_in(tmp_path / "clean")
    warned = tmp_path / "warned.md"
    warned.write_text(PLAN + "\nTotal: 99 minutes\n", encoding="utf-8")
    broken = tmp_path / "broken.md"
    broken.write_text(CYCLE + "\n## Phase 3: C\n- Depends on: Phase 1\n", encoding="utf-8")
    assert run(["check", "--format", form, str(clean), str(warned), str(broken)]) == 1
    out = capsys.readouterr().out
    if form == "json":
        order = [f["source"] for f in json.loads(out)["files"]]
    else:
        order = list(dict.fromkeys(line.split(":", 1)[0] for line in out.splitlines()))
    assert order[:2] == [str(broken), str(warned)]
    lines = [line for line in out.splitlines() if line.startswith(str(broken))] if form == "text" else []
    assert lines == sorted(lines, key=lambda line: int(line.split(":")[1]))
