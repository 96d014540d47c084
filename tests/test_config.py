"""Configuration in ``[tool.mdplan]`` or ``.mdplan.toml``, found upward, checked strictly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mdplan.cli import run
from mdplan.cli.config import MAX_CONFIG_BYTES

PLAN = "## Phase 1: Build (2-4 h)\n\n## Phase 2: Ship (1 h)\n- Depends on: Phase 1\n"


def plan_in(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan.md"
    path.write_text(PLAN, encoding="utf-8")
    return path


def minutes(path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> int:
    assert run(["graph", str(path), *flags]) == 0
    phases = json.loads(capsys.readouterr().out)["scenarios"][0]["phases"]
    return int(next(p for p in phases if p["id"] == "1")["minutes"])


def test_pyproject_table_found_upward_and_flags_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".git").mkdir()  # the search goes up to the repository root, no further
    (tmp_path / "pyproject.toml").write_text('[tool.mdplan]\nestimate = "high"\n', encoding="utf-8")
    plan = plan_in(tmp_path / "docs" / "plans")
    assert minutes(plan, capsys) == 240
    assert minutes(plan, capsys, "--estimate", "low") == 120


def test_nearest_dotfile_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.mdplan]\nestimate = "high"\n', encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / ".mdplan.toml").write_text('estimate = "low"\n', encoding="utf-8")
    assert minutes(plan_in(tmp_path / "docs"), capsys) == 120


def test_strict_in_the_configuration_fails_check_on_warnings(tmp_path: Path) -> None:
    plan = plan_in(tmp_path)
    plan.write_text(PLAN + "\nTotal: 99 minutes\n", encoding="utf-8")
    assert run(["check", str(plan)]) == 0
    (tmp_path / ".mdplan.toml").write_text("strict = true\n", encoding="utf-8")
    assert run(["check", str(plan)]) == 1


def test_template_dir_is_relative_to_the_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "summary.md.j2").write_text("## Executive Summary\n\nCustom {{ phase_count }}.\n", "utf-8")
    (tmp_path / ".mdplan.toml").write_text('template-dir = "tpl"\n', encoding="utf-8")
    assert run(["report", str(plan_in(tmp_path / "sub"))]) == 0
    assert "Custom 2." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("colour = 1\n", "unknown key 'colour'"),
        ('estimate = "soon"\n', "'estimate' in"),
        ('strict = "yes"\n', "'strict' in"),
        ("estimate = \n", "cannot read the configuration"),
        # tomllib reads nesting by recursion: past Python's limit, a RecursionError, not a TOML error
        ("estimate = " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        ("estimate = " + "{a=" * 30_000 + "1" + "}" * 30_000 + "\n", "nested too deeply"),
    ],
)
def test_bad_configuration_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    (tmp_path / ".mdplan.toml").write_text(content, encoding="utf-8")
    assert run(["check", str(plan_in(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert message in err and "MP009" in err
    assert "allowed: estimate, strict, template-dir" in err or "unknown key" not in message


def test_report_out_dir_writes_one_report_per_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    plan_in(docs / "a")
    (docs / "notes.md").write_text("No plan here.\n", encoding="utf-8")
    out = tmp_path / "site"
    assert run(["report", str(docs), "--out-dir", str(out)]) == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.md")) == ["a/plan.md"]
    written = (out / "a" / "plan.md").stat().st_mtime_ns
    assert run(["report", str(docs), "--out-dir", str(out)]) == 0
    assert (out / "a" / "plan.md").stat().st_mtime_ns == written  # unchanged content: not rewritten
    assert run(["report", str(docs), "--out-dir", str(out), "--check"]) == 0
    assert run(["report", str(docs), str(docs / "a" / "plan.md")]) == 2
    assert "need --out-dir" in capsys.readouterr().err


def test_a_pyproject_without_mdplan_is_not_ours_to_parse(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text("[project\nname = broken", encoding="utf-8")
    plan = tmp_path / "plan.md"
    plan.write_text("## Phase 1: A (5 min)\n", encoding="utf-8")
    assert run(["check", str(plan)]) == 0
    (tmp_path / "pyproject.toml").write_text("[tool.mdplan\nestimate = 'high'", encoding="utf-8")
    assert run(["check", str(plan)]) == 2
    assert "MP009" in capsys.readouterr().err


def test_a_fifo_or_device_named_pyproject_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".git").mkdir()
    plan = plan_in(tmp_path)
    os.mkfifo(tmp_path / "pyproject.toml")  # reading it would wait for a writer forever
    assert run(["check", str(plan)]) == 0
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "pyproject.toml").symlink_to("/dev/zero")  # reading it would never end
    assert run(["check", str(plan)]) == 0
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / ".mdplan.toml").write_bytes(b"#" * (MAX_CONFIG_BYTES + 1))
    assert run(["check", str(plan)]) == 2
    assert "MP009" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("pyproject.toml", "tool = 3  # mdplan\n", None),  # no [tool.mdplan] table: nothing of ours
        ("pyproject.toml", "[tool]\nmdplan = 3\n", "MP009"),
        (".mdplan.toml", 'template-dir = "a\\u0000b"\n', "MP009"),
        (".mdplan.toml", 'template-dir = "no-such-folder"\n', "MP004"),
    ],
)
def test_odd_configuration_values_are_clear(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str, code: str | None
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert run(["report", str(plan_in(tmp_path))]) == (0 if code is None else 2)
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert code is None or f"error {code} " in err
