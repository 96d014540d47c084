# ruff: noqa: PLW0108  (inputs are built lazily, one lambda each, so collecting the tests stays cheap)
"""Hostile inputs through every command: each ends with 0, 1 or 2, at most one line of reason per
file, never a traceback, and a failed run leaves existing files untouched. Each run's work is
counted (``tests.work``, never timed) and bounded by the input's size: a linear path stays ten
times under the bound, a quadratic one on the larger inputs goes far past it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mdplan.cli import run
from tests.work import FACTOR, Work, assert_linear, measure

# work a run may do: per byte of input, and fixed (a report renders a dozen templates: about
# 350,000 calls); measured on these inputs, at most about 120 calls and 50 characters scanned
# per byte (6,000 one-line lists in a row, formatted and checked, make 730 calls a byte; their
# quadratic path in mdformat, over 6,000 a byte: ``test_bounded_work`` holds those shapes)
CALLS_PER_BYTE, FIXED_CALLS = 2_000, 2_000_000
SCANNED_PER_BYTE, FIXED_SCANNED = 500, 200_000


def fan_out(n: int) -> str:
    return "# Fan\n\n```\n" + "\n".join(f"Phase 1 (1 min) ──→ Phase {i} (1 min)" for i in range(2, n + 2)) + "\n```\n"


HOSTILE: dict[str, Callable[[], bytes]] = {
    "invalid-utf8": lambda: b"# Plan\n\n## Phase 1: \xff\xfe broken (5 min)\n",
    "binary": lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
    "nul-bytes": lambda: b"## Phase 1: A (5 min)\x00\x00\n",
    "empty": lambda: b"",
    "whitespace": lambda: b"   \n\t\n  \n",
    "deep-list": lambda: "".join("  " * i + "- Phase 1 (1 min)\n" for i in range(3000)).encode(),
    "fan-out-2000": lambda: fan_out(2_000).encode(),  # 20,000: its own test below (check and fmt only)
    "cycle": lambda: b"## Phase 1: A (5 min)\n- Depends on: Phase 2\n\n## Phase 2: B (5 min)\n- Depends on: Phase 1\n",
    "self-loop": lambda: b"## Phase 1: A (5 min)\n- Depends on: Phase 1\n",
    "absurd-numbers": lambda: (
        b"## Phase 1: A (99999999999999999999 min)\n\n## Phase 2: B (1e308 h)\n- Depends on: Phase 1\n\n"
        b"## Phase 3: C (0 min)\n\n## Phase 4: D (3-2 min)\n\nTotal: 99999999999999999999999 minutes, 1e999% faster\n"
    ),
    "jinja-text": lambda: b"## Phase 1: Render {{ 7*7 }} {% raw %} {# note #} (5 min)\n",
    "unclosed-fence": lambda: b"## Phase 1: A (5 min)\n\n```\nPhase 1 (5 min) --> Phase 2 (5 min)\n",
    "unclosed-comment": lambda: b"## Phase 1: A (5 min)\n\n<!-- never closed\n## Phase 2: B\n",
    "unclosed-region": lambda: b"## Phase 1: A (5 min)\n\n<!-- mdplan:begin summary -->\n",
    "phase-bomb": lambda: ("Phase " * 50_000).encode(),
    "paren-bomb": lambda: ("## Phase 1: " + "(" * 100_000).encode(),
    "range-bomb": lambda: ("## Phase 1: A (" + "1-" * 50_000 + " min)\n").encode(),
    "box-bomb": lambda: ("```\n" + "─" * 1500 + "\n" + "│\n" * 2000 + "```\n## Phase 1: A\n").encode(),
    "backticks": lambda: ("## Phase 1: A " + "`" * 20_000 + "\n").encode(),
    "letters-bomb": lambda: ("## Phase 1: " + "a" * 100_000 + "!\n").encode(),
    "huge-duration": lambda: ("## Phase 1: A (" + "9" * 400 + " min)\n").encode(),
    "huge-hours-minutes": lambda: ("## Phase 1: A (" + "9" * 400 + "h59)\n").encode(),
    "huge-phase-id": lambda: ("## Phase " + "7" * 5000 + ": A (5 min)\n- Depends on: Phase 1\n").encode(),
    "repeated-list": lambda: ("## Phase 1: A (5 min)\n- Depends on: " + "Phase 1, " * 5000 + "\n").encode(),
    "repeated-range": lambda: ("## Phase 1: A (5 min)\n- Depends on: " + "Phase 1-" * 5000 + "\n").encode(),
    "padded-code": lambda: ("## Phase 1: A (5 min)\n\n```\n" + ("x" + " " * 1900 + "\n") * 200 + "```\n").encode(),
    "digit-lines": lambda: ("## Phase 1: A (5 min)\n\n" + ("9" * 1990 + "\n\n") * 20).encode(),
    "jinja-heading": lambda: b"# {{ 7*7 }} plan\n\n## Phase 1: A (5 min)\n",
    "digit-run": lambda: ("## Phase 1: A (5 min)\n\n" + "7" * 19_990 + "\n").encode(),
    "box-run-in-code": lambda: ("## Phase 1: A (5 min)\n\n```\n" + "─" * 100_000 + "\n```\n").encode(),
    "deep-quote": lambda: ("> " * 2000 + "## Phase 1: A (5 min)\n").encode(),
    "wide-table": lambda: (
        "| "
        + " | ".join(f"c{i}" for i in range(5000))
        + " |\n|"
        + "---|" * 5000
        + "\n| Phase 1 |"
        + " x |" * 4999
        + "\n"
    ).encode(),
}


def bounded(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run in process, the work counted and bounded by the size of the input (the first path)."""
    statuses: list[int] = []
    work = measure(lambda: statuses.append(run(argv)))
    assert_within_budget(work, Path(next(a for a in argv[1:] if not a.startswith("-"))).stat().st_size, argv)
    out, err = capsys.readouterr()
    return statuses[0], out, err


def assert_within_budget(work: Work, size: int, what: object) -> None:
    assert work.calls <= CALLS_PER_BYTE * size + FIXED_CALLS, (what, work)
    assert work.scanned <= SCANNED_PER_BYTE * size + FIXED_SCANNED, (what, work)
    assert work.siblings <= size + FIXED_SCANNED, (what, work)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_check_and_report_end_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    plan = tmp_path / "plan.md"
    plan.write_bytes(HOSTILE[name]())
    status, _, err = bounded(["check", str(plan)], capsys)
    assert status in (0, 1, 2)
    assert len(err.strip().splitlines()) <= 1 and "Traceback" not in err and "internal error" not in err
    out = tmp_path / "analysis.md"
    out.write_text("previous\n", encoding="utf-8")
    status, _, err = bounded(["report", str(plan), "-o", str(out)], capsys)
    assert status in (0, 1, 2)
    assert "Traceback" not in err and "internal error" not in err
    if status == 2:
        assert out.read_text(encoding="utf-8") == "previous\n"
    elif name == "jinja-text":
        report = out.read_text(encoding="utf-8")
        assert "{{ 7\\*7 }}" in report or "{{ 7*7 }}" in report
        assert "Render 49" not in report


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("command", ["fmt", "sync"])
def test_rewrites_never_lose_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, command: str
) -> None:
    plan = tmp_path / "plan.md"
    data = HOSTILE[name]()
    plan.write_bytes(data)
    status, _, err = bounded([command, str(plan)], capsys)
    assert status in (0, 1, 2)
    assert len(err.strip().splitlines()) <= 1 and "Traceback" not in err and "internal error" not in err
    if status != 0:
        assert plan.read_bytes() == data


def test_no_traceback_reaches_a_real_process(tmp_path: Path) -> None:
    plan = tmp_path / "binary.md"
    plan.write_bytes(HOSTILE["binary"]())
    result = subprocess.run(
        [sys.executable, "-m", "mdplan", "report", str(plan)], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "MP001" in result.stderr and "Traceback" not in result.stderr


def test_twenty_thousand_way_fan_out_is_checked_in_linear_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "fan.md"

    def check(n: int) -> None:
        plan.write_text(fan_out(n), encoding="utf-8")
        assert run(["check", str(plan)]) == 0

    assert_linear(check, 20_000 // FACTOR**2)
    assert not capsys.readouterr().err
    plan.write_text(fan_out(20_000), encoding="utf-8")
    status, _, err = bounded(["fmt", "--check", str(plan)], capsys)
    assert status == 0 and not err  # already formatted: accepted at any size


def test_past_the_size_limits_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mdplan.parse import document as api

    plan = tmp_path / "huge.md"
    plan.write_bytes(b"## Phase 1: A (5 min)\n" + b"x" * api.MAX_INPUT_BYTES)
    status, _, err = bounded(["check", str(plan)], capsys)
    assert status == 2 and "MP010" in err and "8 MiB" in err and len(err.strip().splitlines()) == 1
    status, _, err = bounded(["fmt", str(plan)], capsys)
    assert status == 2 and "MP010" in err
    monkeypatch.setattr(api, "MAX_PHASES", 3)
    plan.write_text("".join(f"## Phase {i}: Step (5 min)\n" for i in range(1, 5)), encoding="utf-8")
    status, _, err = bounded(["check", str(plan)], capsys)
    assert status == 2 and "MP010" in err and "4 phases" in err


def test_a_five_megabyte_line_is_read_in_linear_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "line.md"

    def write(n: int) -> None:
        plan.write_text("## Phase 1: A (5 min)\n\n" + "Phase 1 " * n + "\n", encoding="utf-8")

    def check(n: int) -> None:
        write(n)
        assert run(["check", str(plan)]) in (0, 1)

    assert_linear(check, 480_000 // FACTOR**2)  # up to 960 KB, counted (under the character limit)
    write(650_000)  # five megabytes: refused before a block is read
    status = run(["check", str(plan)])
    err = capsys.readouterr().err
    assert status == 2 and "MP010 too large: 5,200,024 characters" in err and "Traceback" not in err


@pytest.mark.parametrize("separator", ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_characters_python_splits_lines_at_do_not_shift_lines(separator: str) -> None:
    """Only LF, CR and CRLF end a Markdown line: a form feed or U+2028 in an early line once moved
    every block's text onto the wrong lines (a dependency lost, an unknown phase not reported)."""
    from mdplan.parse.document import parse

    text = (
        f"# Plan\n\nA note{separator}with{separator}separators.\n\n## Phase 1: Setup (5 min)\n\n"
        "## Phase 2: Build (10 min)\nDepends on: Phase 1\n\n## Phase 3: Test (3 min)\nDepends on: Phase 9\n"
    )
    plan = parse(text, "plan.md")
    assert {(e.src, e.dst, e.line) for e in plan.scenarios[0].edges} == {("1", "2", 8), ("9", "3", 11)}
    assert [(d.code, d.line) for d in plan.diagnostics if d.severity == "error"] == [("MP101", 11)]


def test_a_lone_surrogate_escaped_in_json_is_written_as_a_replacement_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``"\\ud800"`` is valid JSON for a string no UTF-8 output can hold: every command once failed
    on it (MP005, "cannot write to standard output"), and GraphML wrote an invalid reference."""
    plan = tmp_path / "plan.md"
    plan.write_text(
        '```json\n[{"id": "T1", "title": "\\ud800 x", "duration": "5 min"},\n'
        ' {"id": "T2", "title": "y", "depends_on": ["T1"], "duration": "3 min", "\\udc00": 1}]\n```\n',
        encoding="utf-8",
    )
    for argv in (["report", str(plan)], ["graph", str(plan)], ["graph", "--format", "graphml", str(plan)]):
        assert run(argv) == 0, argv
        out, err = capsys.readouterr()
        assert "\ufffd x" in out and not err
