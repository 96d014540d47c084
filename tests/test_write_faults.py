"""A failure while writing leaves the original file intact and no temporary file behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mdplan.cli import run
from tests.helpers import REFERENCE

PLAN = "# Plan\n\n## Phase 1: Build (10 min)\n* messy item\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("broken", ["replace", "fsync"])
def test_report_over_an_existing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], broken: str
) -> None:
    out = tmp_path / "analysis.md"
    out.write_text("the previous analysis\n", encoding="utf-8")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path if broken == "replace" else os, broken, fail)
    assert run(["report", str(REFERENCE), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "MP005 cannot write" in err[0] and "Traceback" not in err[0]
    assert out.read_text(encoding="utf-8") == "the previous analysis\n"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("command", ["fmt", "sync"])
def test_rewriting_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    plan = tmp_path / "plan.md"
    text = PLAN + ("\n<!-- mdplan:begin summary -->\n<!-- mdplan:end -->\n" if command == "sync" else "")
    plan.write_text(text, encoding="utf-8")

    def fail(*_: object) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", fail)
    assert run([command, str(plan)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot write" in err[0]
    assert plan.read_text(encoding="utf-8") == text
    assert leftovers(tmp_path) == []
