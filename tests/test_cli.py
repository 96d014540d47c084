"""The command line, in-process through ``run(argv)``, plus one real ``python -m mdplan``."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mdplan.cli import run
from tests.helpers import FIXTURES, REFERENCE, REPORT_SECTIONS

DIAGNOSTIC = re.compile(r"^[^:]+:\d+:\d+: (error|warning|info) MP\d{3} .+$")
CYCLE = "```\nPhase 1 ──→ Phase 2 ──→ Phase 3\nPhase 3 ──→ Phase 1\n```\n"


def stdin(monkeypatch: pytest.MonkeyPatch, text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_report_to_file_stdout_and_from_stdin_are_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "analysis.md"
    assert run(["report", str(REFERENCE), "-o", str(out)]) == 0
    assert run(["report", str(REFERENCE)]) == 0
    to_stdout = capsys.readouterr().out
    stdin(monkeypatch, REFERENCE.read_bytes())
    assert run(["report", "-", "-o", "-"]) == 0
    from_stdin = capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == to_stdout == from_stdin
    assert all(heading in to_stdout for heading in REPORT_SECTIONS)


def test_report_leaves_an_unchanged_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "analysis.md"
    assert run(["report", str(REFERENCE), "-o", str(out)]) == 0
    os.utime(out, (1_000_000, 1_000_000))
    assert run(["report", str(REFERENCE), "-o", str(out)]) == 0
    assert out.stat().st_mtime == 1_000_000


def test_report_check_shows_a_diff_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "analysis.md"
    assert run(["report", str(REFERENCE), "-o", str(out), "--check"]) == 1
    assert not out.exists()
    assert "+# Parallelization Report" in capsys.readouterr().out
    assert run(["report", str(REFERENCE), "-o", str(out)]) == 0
    assert run(["report", str(REFERENCE), "-o", str(out), "--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("38 min", "35 min"), encoding="utf-8")
    assert run(["report", str(REFERENCE), "-o", str(out), "--check"]) == 1
    diff = capsys.readouterr().out
    assert "-| Current" in diff and "+| Current" in diff


def test_report_json_carries_the_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", str(REFERENCE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    optimized = data["scenarios"][1]
    assert optimized["makespan_minutes"] == 42
    assert optimized["slack"]["3"] == 4
    assert optimized["waves"][1] == ["2", "3", "4a"]
    assert optimized["work_minutes"] == 55


def test_graph_json_is_the_v1_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph", str(REFERENCE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1
    assert data["source"] == str(REFERENCE)
    assert [s["name"] for s in data["scenarios"]] == ["current", "optimized"]
    current = data["scenarios"][0]
    assert current["makespan_minutes"] == 38
    assert current["critical_path"] == ["1", "2", "3", "4"]
    phase = next(p for p in current["phases"] if p["id"] == "1")
    assert phase == {
        "id": "1",
        "label": "Phase 1",
        "title": "Add Types",
        "minutes": 10,
        "minutes_range": [10, 10],
        "files": ["schematic/define"],
        "line": 17,
    }
    assert {"from": "1", "to": "2", "line": 19, "kind": "drawn", "optional": False} in current["edges"]
    codes = [d["code"] for d in data["diagnostics"] if d["code"] != "MP114"]
    assert codes == ["MP109", "MP104", "MP104", "MP105", "MP105"]
    assert {"line": 64, "text": "Total: 38 minutes", "claimed": "38 min", "computed": "38 min"}.items() <= next(
        c for c in data["claims"] if c["line"] == 64
    ).items()


@pytest.mark.parametrize(("form", "marker"), [("mermaid", "flowchart TD"), ("dot", "digraph"), ("ascii", "├──→")])
def test_graph_other_formats(form: str, marker: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph", str(REFERENCE), "--format", form, "--scenario", "optimized"]) == 0
    out = capsys.readouterr().out
    assert marker in out
    assert "4a" in out


def test_graph_mermaid_of_several_scenarios_needs_one_named(capsys: pytest.CaptureFixture[str]) -> None:
    # a Mermaid file holds one diagram: two printed back to back would be no Mermaid at all
    assert run(["graph", str(REFERENCE), "--format", "mermaid"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "MP003" in captured.err
    assert "mermaid holds one graph: choose one with --scenario (current, optimized)" in captured.err
    for name in ("current", "optimized"):
        assert run(["graph", str(REFERENCE), "--format", "mermaid", "--scenario", name]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"%% {name}\nflowchart TD\n")
        assert out.count("flowchart") == 1


def test_graph_mermaid_of_a_single_scenario_needs_no_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("## Phase 1: Build (5 min)\n\n## Phase 2: Ship (2 min)\n- Depends on: Phase 1\n", "utf-8")
    assert run(["graph", str(plan), "--format", "mermaid"]) == 0
    out = capsys.readouterr().out
    assert out.count("flowchart TD") == 1
    assert "p1 --> p2" in out


def test_graph_ascii_names_each_scenario_it_lists(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph", str(REFERENCE), "--format", "ascii"]) == 0
    parts = capsys.readouterr().out.rstrip("\n").split("\n\n")
    assert [part.split("\n", 1)[0] for part in parts] == [
        "current: Current Dependency Graph (line 14)",
        "optimized: Optimized Dependency Graph (line 29)",
    ]
    for name, part in zip(("current", "optimized"), parts, strict=True):
        assert run(["graph", str(REFERENCE), "--format", "ascii", "--scenario", name]) == 0
        assert capsys.readouterr().out == part + "\n"
    assert "Phase 4a (Unit Tests, 12 min)" in parts[1] and "Phase 4a" not in parts[0]


def test_graph_dot_names_one_digraph_per_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph", str(REFERENCE), "--format", "dot"]) == 0
    out = capsys.readouterr().out
    assert re.findall(r"^digraph (.+) \{$", out, re.MULTILINE) == ['"current"', '"optimized"']


def test_graph_help_says_what_each_format_prints_of_several_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph", "--help"]) == 0
    out = capsys.readouterr().out
    assert "each scenario under a line that names it" in out
    assert "a plan of several scenarios needs\n             --scenario NAME" in out


def test_graph_unknown_scenario_is_unusable(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph", str(REFERENCE), "--scenario", "recommended"]) == 2
    assert "no scenario 'recommended'" in capsys.readouterr().err


def test_graph_estimate_picks_the_end_of_a_range(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text("## Phase 1: Build (2-4 h)\n", encoding="utf-8")
    for estimate, minutes in (("low", 120), ("mid", 180), ("high", 240)):
        assert run(["graph", str(plan), "--estimate", estimate]) == 0
        assert json.loads(capsys.readouterr().out)["scenarios"][0]["phases"][0]["minutes"] == minutes


def test_check_prints_diagnostics_and_fails_only_on_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(REFERENCE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 32  # 5 about how the plan is written, 27 claims that do not hold
    assert all(DIAGNOSTIC.match(line) for line in lines), lines
    assert sum(" MP114 " in line for line in lines) == 27
    assert any(
        line.startswith(f"{REFERENCE}:193:1: warning MP104 Phase 4a has conflicting durations") for line in lines
    )
    assert run(["check", "--strict", str(REFERENCE)]) == 1


def test_check_cycle_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "cycle.md"
    plan.write_text(CYCLE, encoding="utf-8")
    assert run(["check", str(plan)]) == 1
    out = capsys.readouterr().out
    assert f"{plan}:2:1: error MP107 current: dependency cycle:" in out
    assert "Phase 3 → Phase 1 (line 3)" in out


def test_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(REFERENCE), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    durations = [d for d in data["files"][0]["diagnostics"] if d["code"] == "MP104"]
    assert durations[0] == {
        "line": 193,
        "col": 1,
        "severity": "warning",
        "code": "MP104",
        "message": "Phase 4a has conflicting durations: 12 min (line 72), 3-5 min (line 193); using 12 min",
    }


def test_check_folder_skips_documents_without_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.md").write_text("# Notes\n\nNothing planned here.\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "cycle.md").write_text(CYCLE, encoding="utf-8")
    assert run(["check", str(tmp_path)]) == 1
    assert "MP107" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        (b"\xff\xfe broken", "not UTF-8"),
        (b"Phase 1\x00", "NUL"),
        (b"# Notes\n\nNo plan in here.\n", "not a plan: no phase found"),
        (b"", "not a plan: no phase found"),
    ],
)
def test_unusable_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "plan.md"
    if content is not None:
        path.write_bytes(content)
    for command in (["report", str(path)], ["graph", str(path)], ["check", str(path)]):
        assert run(command) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and DIAGNOSTIC.match(err[0]) and message in err[0], err


def test_failed_report_leaves_the_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "analysis.md"
    out.write_text("keep me\n", encoding="utf-8")
    assert run(["report", str(tmp_path / "missing.md"), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.md"]


def test_unwritable_output_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", str(REFERENCE), "-o", str(tmp_path / "no" / "such" / "dir.md")]) == 2
    assert "cannot write" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["report"], ["graph"], ["check"], ["report", "x.md", "--format", "pdf"]])
def test_usage_errors_exit_2(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(command) == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["--help"], ["report", "--help"], ["graph", "--help"], ["check", "--help"]])
def test_help_explains(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(command) == 0
    assert "usage: mdplan" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.startswith("mdplan 0.")


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mdplan", "check", str(FIXTURES / "reference-multipart-plan.md")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "MP104" in result.stdout
